/**
 * The flags of a replay (`replay --since 14d`, `diff --replay 14d`): how far back, the ingestion
 * delay, and whether history older than 15 days may be replayed on 5-minute data. Each parser
 * throws a `UsageError` naming the flag, the value and the forms it accepts. Pure.
 */
import { DEFAULT_DELAY_MINUTES } from '../../simulation/evaluator';
import { UsageError } from '../errors';
import { spanSeconds } from '../span';
import { FIVE_MINUTE_RETENTION_DAYS } from './history';

/** `14d`, `36h`, `90m`, `1d12h` as whole minutes, at least 1 hour, at most 63 days. */
export function parseReplayLength(flag: string, value: string, command: string): number {
  const seconds = spanSeconds(value, 'mhd');
  if (seconds === undefined) {
    throw new UsageError(`--${flag} must be a time back from now such as 14d, 36h or 1d12h; got '${value}'`, command);
  }
  const minutes = seconds / 60;
  if (minutes < 60) {
    throw new UsageError(`--${flag} must be at least 1h (the alarms' shortest windows need an hour to say anything); got '${value}'`, command);
  }
  if (minutes > FIVE_MINUTE_RETENTION_DAYS * 1_440) {
    throw new UsageError(`--${flag} must be at most ${FIVE_MINUTE_RETENTION_DAYS}d: CloudWatch keeps 5-minute data for ${FIVE_MINUTE_RETENTION_DAYS} days `
      + `and only hourly data beyond; got '${value}'`, command);
  }
  return minutes;
}

/** The longest ingestion delay a replay takes, in minutes. */
export const MAX_REPLAY_DELAY_MINUTES = 60;

/** `--delay`: `2`, `0`, `3m`: whole minutes from 0 to an hour. @default DEFAULT_DELAY_MINUTES */
export function parseReplayDelay(value: string | undefined, command: string): number {
  if (value === undefined) {
    return DEFAULT_DELAY_MINUTES;
  }
  const m = /^(\d+)\s*(m|min|mins|minutes?)?$/i.exec(value.trim());
  const minutes = m ? Number(m[1]) : NaN;
  if (!m || !(minutes <= MAX_REPLAY_DELAY_MINUTES)) {
    throw new UsageError(`--delay must be a whole number of minutes from 0 to ${MAX_REPLAY_DELAY_MINUTES} (2, 0 or 3m); got '${value}'`, command);
  }
  return minutes;
}
