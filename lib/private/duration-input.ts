/**
 * Reading a Duration prop from a user's value. A JavaScript user, or a Python user past the type
 * checks, passes a number (`window: 30`) where a Duration is expected: that is a different mistake
 * from a Duration token, and the message says which one it is and what was given.
 *
 * A Duration is recognised by its methods, so that a Duration of another copy of aws-cdk-lib works.
 * Pure and free of package imports.
 */
import { describeValue, unreadable } from './describe';

/** A concrete Duration's length, or why the value is not one. */
export type DurationRead = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly problem: string };

/** What a message needs to say about a Duration prop. */
export interface DurationExpectation {
  /** A Duration that fits, shown as the example: `Duration.days(30)`. */
  readonly example: string;
  /** Why a token will not do: `burn-rate thresholds are computed at synth time`. */
  readonly concreteBecause: string;
}

/**
 * A value as a message shows it after "got", with its type when the value alone would not say it:
 * `30 (a number)`, `"30d" (a string)`, `true (a boolean)`; objects as `describeValue` shows them.
 */
export function describeTyped(value: unknown): string {
  const shown = describeValue(value);
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${shown} (a ${typeof value})`;
    case 'string':
      return `${shown} (a string)`;
    default:
      return shown;
  }
}

/**
 * The seconds of a concrete Duration (fractions kept), or the problem: `must be a Duration (e.g.
 * Duration.days(30)), got 30 (a number)` for anything that is not a Duration, the token message for
 * an unresolved one. Never throws.
 */
export function readDuration(value: unknown, expected: DurationExpectation): DurationRead {
  let methods: { toSeconds: unknown; isUnresolved: unknown };
  try {
    methods = typeof value === 'object' && value !== null
      ? { toSeconds: (value as { toSeconds?: unknown }).toSeconds, isUnresolved: (value as { isUnresolved?: unknown }).isUnresolved }
      : { toSeconds: undefined, isUnresolved: undefined };
  } catch (e) {
    return { ok: false, problem: unreadable(e) };
  }
  if (typeof methods.toSeconds !== 'function' || typeof methods.isUnresolved !== 'function') {
    return { ok: false, problem: `must be a Duration (e.g. ${expected.example}), got ${describeTyped(value)}` };
  }
  try {
    // asked before converting: Duration.days(token).toSeconds() throws
    if (methods.isUnresolved.call(value)) {
      return { ok: false, problem: `must be a concrete Duration such as ${expected.example}, not a token: ${expected.concreteBecause}` };
    }
    return { ok: true, seconds: Number(methods.toSeconds.call(value, { integral: false })) };
  } catch (e) {
    return { ok: false, problem: unreadable(e) };
  }
}
