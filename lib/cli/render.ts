/**
 * Text for the terminal: durations, times, columns, shortened values. Shared by the commands. Pure.
 */
import { truncateText } from '../private/describe';
import * as format from '../private/format';

/**
 * A duration as the command line writes it, compact and to the second: `1h 30m`, `10m`, `45s`,
 * `2m 5s`, `1d 1h 1m 1s`; `0s` for zero (the library's `formatDuration`, `lib/private/format.ts`).
 */
export function formatDuration(seconds: number): string {
  return format.formatDuration(seconds, { compact: true, exact: true });
}

/** Elapsed milliseconds as `[mm:ss]` (minutes keep counting past 59). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `[${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}]`;
}

/** A time as `2024-05-01 12:03:04 UTC` (UTC, so that logs from different machines agree). */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Shortens text to `max` characters with an ellipsis, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  return truncateText(text.replace(/\s+/g, ' ').trim(), max);
}

/** Two columns, the first padded to the widest entry. */
export function columns(rows: ReadonlyArray<readonly [string, string]>, indent = '  ', gap = 2): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width + gap)}${right}`.trimEnd());
}
