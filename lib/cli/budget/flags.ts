/**
 * The flags of `budget` that need more than a string. Pure.
 */
import { UsageError } from '../errors';

/**
 * `--min-remaining`: a percentage of the error budget, at least 0 and under 100, with or without
 * `%` (100 would fail every SLO that has data: nothing can have more than all of its budget left).
 */
export function parseMinRemaining(value: string | undefined): number {
  if (value === undefined) {
    return 0;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const percent = match ? Number(match[1]) : NaN;
  if (!match || !(percent >= 0 && percent < 100)) {
    throw new UsageError(`--min-remaining must be a percentage of the error budget, at least 0 and under 100 (e.g. 25%); got '${value}'`, 'budget');
  }
  return percent;
}
