import type { BrowserContext } from 'playwright-core';

/** The Chromium binary used (`CHROMIUM_PATH`, default `/usr/bin/chromium`). */
export declare const CHROMIUM: string;
/** The flags Chromium starts with. */
export declare const FLAGS: readonly string[];
/** Starts headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export declare function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }>;
