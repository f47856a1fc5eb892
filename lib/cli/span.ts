/**
 * Time spans on the command line (`--for 1h30m`, `--since 14d`, `--replay 2w`): one grammar for
 * every command, each command keeping its own bounds and messages. Pure.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };
const WHOLE = String.raw`\d+`;
const FRACTION = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;

/**
 * `text` as seconds when it is a span of `units` (some of `smhdw`), one or more number-unit pairs
 * (`1d12h`), numbers whole unless `fractions`; `undefined` when it is not one. Case and surrounding
 * space are ignored.
 */
export function spanSeconds(text: string, units: string, fractions = false): number | undefined {
  const number = fractions ? FRACTION : WHOLE;
  const normalized = text.trim().toLowerCase();
  if (!new RegExp(`^(?:${number}[${units}])+$`).test(normalized)) {
    return undefined;
  }
  let seconds = 0;
  for (const m of normalized.matchAll(new RegExp(`(${number})([${units}])`, 'g'))) {
    seconds += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return seconds;
}
