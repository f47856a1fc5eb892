/**
 * Headless Chromium for the period report's browser test and screenshot script: Debian's
 * `chromium` (`apt-get install chromium`, done by .ci/run), driven by playwright-core, which
 * downloads no browser. The flags keep it from reaching the network on its own (updates, sync,
 * QUIC probes), which this machine's closed network would refuse; every run gets a fresh profile.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts Chromium with a fresh user-data-dir; `close()` ends the browser and removes the profile.
 * Throws with what to install when the browser is missing.
 */
async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the period report's HTML is tested in Debian's Chromium; install it with `
      + '`apt-get install -y chromium` (as .ci/run does), or set CHROMIUM_PATH to a Chromium binary.');
  }
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
    deviceScaleFactor: 1,
    offline: true,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

module.exports = { CHROMIUM, FLAGS, launchChromium };
