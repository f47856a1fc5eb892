/**
 * The escalation chain as a sequence of steps, and timer names and times. Pure.
 *
 * Steps run (level 0, cycle 0), (1, 0), … (n-1, 0), (0, 1), … (n-1, REPEAT), then one terminal
 * step (level n, cycle REPEAT) that declares the incident exhausted when nobody answered.
 */
import { createHash } from 'crypto';
import { MIN_DELAY_SECONDS } from '../config/config';

export interface Step {
  readonly level: number;
  readonly cycle: number;
}

export interface ChainShape {
  /** `afterSeconds` of each level. */
  readonly levelDelays: number[];
  readonly repeat: number;
  readonly repeatAfterSeconds: number;
}

export function isTerminal(step: Step, shape: ChainShape): boolean {
  return step.level >= shape.levelDelays.length;
}

/** The step after `step`: the next level, the next cycle's level 1, or the terminal step. */
export function nextStep(step: Step, shape: ChainShape): Step | undefined {
  const n = shape.levelDelays.length;
  if (isTerminal(step, shape)) {
    return undefined;
  }
  if (step.level + 1 < n) {
    return { level: step.level + 1, cycle: step.cycle };
  }
  if (step.cycle < shape.repeat) {
    return { level: 0, cycle: step.cycle + 1 };
  }
  return { level: n, cycle: step.cycle };
}

/** The step before `step`, `undefined` for the first. */
export function previousStep(step: Step, shape: ChainShape): Step | undefined {
  const n = shape.levelDelays.length;
  if (isTerminal(step, shape)) {
    return { level: n - 1, cycle: step.cycle };
  }
  if (step.level > 0) {
    return { level: step.level - 1, cycle: step.cycle };
  }
  return step.cycle > 0 ? { level: n - 1, cycle: step.cycle - 1 } : undefined;
}

/** Seconds to wait between the previous step and `step` (at least a minute). */
export function delayBefore(step: Step, shape: ChainShape): number {
  const seconds = step.level > 0 && !isTerminal(step, shape) ? shape.levelDelays[step.level] : shape.repeatAfterSeconds;
  return Math.max(MIN_DELAY_SECONDS, Math.ceil(seconds));
}

/** Order of steps: negative when `a` comes before `b`. */
export function compareSteps(a: Step, b: Step): number {
  return a.cycle !== b.cycle ? a.cycle - b.cycle : a.level - b.level;
}

export function sameStep(a: Step, b: Step): boolean {
  return compareSteps(a, b) === 0;
}

/** First 16 hex digits of SHA-256: alarm names may be 255 characters and use any character. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The one-time schedule that fires `step`: `<hash of alarm>-<incidentStart epoch ms>-<cycle>-<level>`
 * (at most 64 characters of [0-9a-zA-Z-_.], as EventBridge Scheduler requires).
 */
export function scheduleName(alarmName: string, incidentStart: string, step: Step): string {
  return `${shortHash(alarmName)}-${Date.parse(incidentStart)}-${step.cycle}-${step.level}`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the next whole second. */
export function atExpression(when: Date): string {
  const seconds = Math.ceil(when.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}
