/**
 * FIS takes durations as ISO 8601 strings (`PT10M`, `PT1H30M`). These helpers turn a CDK
 * `Duration` into one and check it against FIS's bounds; pure, tested without synth.
 */
import { Duration } from 'aws-cdk-lib';
import { describeValue, unreadable } from '../private/describe';
import { formatDuration } from '../private/format';

/** FIS: an experiment, and so any action of it, runs for at most 12 hours. */
export const FIS_MAX_DURATION = Duration.hours(12);

/** `PT1H30M`, `PT45S`; whole seconds only. */
export function isoDuration(seconds: number): string {
  if (seconds === 0) {
    return 'PT0S';
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/** Seconds of an ISO 8601 duration of the `PT#H#M#S` form, `undefined` for anything else. */
export function isoDurationSeconds(value: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(value);
  if (!match || value === 'PT') {
    return undefined;
  }
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/**
 * Why `value` is not a usable FIS duration between `min` and `max`, or `undefined`.
 * FIS durations are whole seconds; tokens are refused because the experiment's length must be
 * known at synth (stop conditions, the plan and the game-day schedule depend on it).
 */
export function fisDurationProblem(value: unknown, min: Duration, max: Duration = FIS_MAX_DURATION): string | undefined {
  const allowed = `a Duration between ${formatDuration(min.toSeconds(), { exact: true })} and ${formatDuration(max.toSeconds(), { exact: true })}`;
  try {
    if (!(value instanceof Duration)) {
      return `must be ${allowed} (e.g. Duration.minutes(10)), got ${describeValue(value)}`;
    }
    return concreteDurationProblem(value, allowed, min, max);
  } catch (e) {
    return unreadable(e); // a Proxy, of a Duration or with a throwing getPrototypeOf
  }
}

function concreteDurationProblem(value: Duration, allowed: string, min: Duration, max: Duration): string | undefined {
  // Asked before converting: Duration.minutes(token).toSeconds() throws.
  if (value.isUnresolved()) {
    return `must be a concrete Duration (${allowed}), got a token`;
  }
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) {
    return `must be a whole number of seconds (${allowed}), got ${seconds} s`;
  }
  if (seconds < min.toSeconds() || seconds > max.toSeconds()) {
    return `must be ${allowed}, got ${formatDuration(seconds, { exact: true })}`;
  }
  return undefined;
}
