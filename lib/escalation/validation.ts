/**
 * Validation rules for escalation policies: pure functions that say what is wrong, or return
 * nothing. Messages name the value received and what is allowed; the construct adds its path.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describeValue, hasLoneSurrogate, readList, readProperty, unreadable } from '../private/describe';
import { formatWindow } from '../slo/windows';
import { CheckedNotifyTarget, isCheckedTarget } from './targets/target';
import { Problem } from '../private/problems';

/** The longest delay between two levels. */
export const MAX_LEVEL_DELAY = Duration.hours(24);
/** How many more times the chain may run after the first pass. */
export const MAX_REPEAT = 10;
/** Acknowledge links live at least this long… */
export const MIN_TOKEN_TTL = Duration.minutes(5);
/** …and at most this long. */
export const MAX_TOKEN_TTL = Duration.days(7);
/** Reserved concurrency of a function can be at most the account's default concurrency quota. */
export const MAX_RESERVED_CONCURRENCY = 1000;
/** Lambda: the environment variables of a function (keys and values) may hold at most 4 KB. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;
/**
 * The length assumed for a reference that is only known at deploy time (`Ref`, `Fn::GetAtt`):
 * an ARN with a generated name, e.g. `arn:aws:sns:eu-west-1:123456789012:Shop-OnCallLevel1Topic1A2B3C4D-AbCdEf123456`
 * is about 90 characters; 128 leaves room for longer stack and construct names.
 */
export const ESTIMATED_REFERENCE_LENGTH = 128;

/** E.164: `+`, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** A pragmatic address check: something@domain.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * Characters no address or URL may hold: controls, format characters (zero-width, bidirectional
 * overrides), private-use and unassigned code points, and halves of surrogate pairs. SNS refuses
 * them in a subscription's endpoint, and a URL parser silently drops some (tabs, line breaks), so
 * the URL deployed would not be the one checked.
 */
const UNPRINTABLE = /[\p{C}\s]/u;

/** An email target's address. */
export function emailProblem(address: unknown): string | undefined {
  if (typeof address === 'string' && Token.isUnresolved(address)) {
    return undefined;
  }
  if (typeof address === 'string' && (UNPRINTABLE.test(address) || hasLoneSurrogate(address))) {
    return `must be an email address without spaces, control or invisible characters, got ${describeValue(address)}`;
  }
  if (typeof address !== 'string' || address.length > 254 || !EMAIL.test(address)) {
    return `must be an email address such as oncall@example.com, got ${describeValue(address)}`;
  }
  return undefined;
}

/** An SMS target's phone number, in E.164 format. */
export function phoneNumberProblem(phoneNumber: unknown): string | undefined {
  if (typeof phoneNumber === 'string' && Token.isUnresolved(phoneNumber)) {
    return undefined;
  }
  if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) {
    return `must be a phone number in E.164 format ('+', country code and number, no spaces, at most 15 digits, e.g. +15555550100), got ${describeValue(phoneNumber)}`;
  }
  return undefined;
}

/** An inline webhook URL: absolute and https (alerts carry incident details). */
export function webhookUrlProblem(url: unknown): string | undefined {
  if (typeof url === 'string' && Token.isUnresolved(url)) {
    return undefined;
  }
  if (typeof url === 'string' && (UNPRINTABLE.test(url) || hasLoneSurrogate(url))) {
    // URL parsers drop tabs and line breaks silently: the URL checked would not be the URL deployed
    return `must be an https:// URL without spaces, control or invisible characters (percent-encode them), got ${describeValue(url)}`;
  }
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:' || parsed.hostname === '') {
    return `must be an https:// URL, got ${describeValue(url)}`;
  }
  if ((url as string).length > 2048) {
    return `must be at most 2048 characters, got ${(url as string).length}`;
  }
  return undefined;
}

/** What is wrong with one target, if anything. Never throws, whatever the target (a Proxy, throwing getters). */
export function targetProblem(target: unknown): string | undefined {
  try {
    return readTargetProblem(target);
  } catch (e) {
    return unreadable(e);
  }
}

function readTargetProblem(target: unknown): string | undefined {
  const bind = readProperty(target, 'bind');
  if (!bind.ok) {
    return bind.problem;
  }
  if (typeof target !== 'object' || target === null || typeof bind.value !== 'function') {
    return `must be a target built with Notify (Notify.email, Notify.sms, Notify.topic, Notify.webhook, Notify.webhookFromSecret, `
      + `Notify.pagerDutyEventsV2, Notify.slack, or an INotifyTarget of your own), got ${describeValue(target)}`;
  }
  // a target of your own checks what it needs when it is bound
  return isCheckedTarget(target) ? target._problem() : undefined;
}

/**
 * Why `value` is not a CDK resource (duck-typed by the ARN property every implementation of its
 * interface has, a token or a literal ARN), or `undefined`. A plain `{}` would otherwise reach the
 * template as `"undefined"` in IAM resources and the function's configuration.
 */
export function referenceProblem(needs: string, value: unknown, arnProperty: string): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return `${needs}, got ${describeValue(value)}`;
  }
  const arn = readProperty(value, arnProperty);
  if (!arn.ok) {
    return `${needs}; its ${arnProperty} ${arn.problem}`;
  }
  if (typeof arn.value !== 'string' || arn.value === '') {
    return `${needs}, got ${describeValue(value)} (its ${arnProperty} is ${describeValue(arn.value)})`;
  }
  return undefined;
}

/** Problems of a list of targets (a level's `notify`, or `tickets`), each under `prop[i]`. */
export function targetListProblems(prop: string, targets: unknown, emptyMessage: string): Problem[] {
  // every item read once, a hole as undefined: a hole in the list is a missing target, not nothing
  const list = readList(targets);
  if (!list.ok) {
    return [{ prop, message: list.problem }];
  }
  if (list.value === undefined) {
    return [{ prop, message: `must be a list of targets (e.g. [Notify.email('oncall@example.com')]), got ${describeValue(targets)}` }];
  }
  const items = list.value;
  if (items.length === 0) {
    return [{ prop, message: emptyMessage }];
  }
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const t: unknown = items[i];
    const message = targetProblem(t);
    if (message) {
      problems.push({ prop: `${prop}[${i}]`, message });
      continue;
    }
    // the same address twice would be subscribed twice to one topic, which CloudFormation cannot hold
    const checked = isCheckedTarget(t as object) ? t as CheckedNotifyTarget : undefined;
    const key = checked?._identity();
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier !== undefined) {
      problems.push({ prop: `${prop}[${i}]`, message: `repeats ${prop}[${earlier}] (${checked!._describe()}): name each target once` });
    } else if (key !== undefined) {
      seen.set(key, i);
    }
  }
  return problems;
}

/**
 * The delay of level `index` (0-based). Level 1 is notified at once: no delay, or zero. Later
 * levels wait a whole number of minutes, 1 minute to 24 hours, after the previous one.
 */
export function levelDelayProblem(index: number, after: unknown): string | undefined {
  if (index === 0) {
    if (after === undefined || durationSeconds(after) === 0) {
      return undefined;
    }
    return `must be left out (or zero) for level 1, which is notified as soon as the alarm fires, got ${describeDuration(after)}`;
  }
  if (after === undefined) {
    return `is required for level ${index + 1}: how long after level ${index} to escalate, a whole number of minutes from 1 minute to ${formatWindow(MAX_LEVEL_DELAY.toSeconds())} (e.g. Duration.minutes(15))`;
  }
  const seconds = durationSeconds(after);
  if (seconds === undefined) {
    return `must be a concrete Duration such as Duration.minutes(15), got ${describeDuration(after)}`;
  }
  return wholeMinutesProblem(seconds, after);
}

function wholeMinutesProblem(seconds: number, after: unknown): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 60 || seconds > MAX_LEVEL_DELAY.toSeconds() || seconds % 60 !== 0) {
    return `must be a whole number of minutes from 1 minute to ${formatWindow(MAX_LEVEL_DELAY.toSeconds())}, got ${describeDuration(after)}`;
  }
  return undefined;
}

/**
 * `repeatAfter`: how long after the last level a pass starts again at level 1 (or the incident is
 * declared exhausted), a whole number of minutes from 1 minute to 24 hours, like a level's delay.
 */
export function repeatAfterProblem(after: unknown): string | undefined {
  const seconds = durationSeconds(after);
  if (seconds === undefined) {
    return `must be a concrete Duration such as Duration.minutes(15), got ${describeDuration(after)}`;
  }
  return wholeMinutesProblem(seconds, after);
}

/** `repeat`: how many more times the chain runs after the first pass. */
export function repeatProblem(repeat: unknown): string | undefined {
  if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 0 || repeat > MAX_REPEAT) {
    return `must be a whole number from 0 (run the chain once) to ${MAX_REPEAT}, got ${describeValue(repeat)}`;
  }
  return undefined;
}

/** How long an acknowledge link stays valid. */
export function tokenTtlProblem(ttl: unknown): string | undefined {
  const seconds = durationSeconds(ttl);
  if (seconds === undefined) {
    return `must be a concrete Duration such as Duration.days(1), got ${describeDuration(ttl)}`;
  }
  if (!Number.isInteger(seconds) || seconds < MIN_TOKEN_TTL.toSeconds() || seconds > MAX_TOKEN_TTL.toSeconds()) {
    return `must be a whole number of seconds from ${formatWindow(MIN_TOKEN_TTL.toSeconds())} to ${formatWindow(MAX_TOKEN_TTL.toSeconds())}, got ${describeDuration(ttl)}`;
  }
  return undefined;
}

/** A log retention: one of the values CloudWatch Logs accepts (`logs.RetentionDays`). */
export function logRetentionProblem(value: unknown): string | undefined {
  if (!Object.values(logs.RetentionDays).some((days) => typeof days === 'number' && days === value)) {
    return `must be a logs.RetentionDays value (e.g. logs.RetentionDays.ONE_MONTH), got ${describeValue(value)}`;
  }
  return undefined;
}

/** Reserved concurrency of the escalation or acknowledge function. */
export function reservedConcurrencyProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RESERVED_CONCURRENCY) {
    return `must be a whole number from 1 to ${MAX_RESERVED_CONCURRENCY}, got ${describeValue(value)}`;
  }
  return undefined;
}

/** The input of `levelProblems`: one level as the user passed it. */
export interface LevelInput {
  readonly after?: unknown;
  readonly notify?: unknown;
}

/** Every problem of `levels`, each under `levels[i]…`. */
export function levelProblems(levels: unknown): Problem[] {
  // every level read once, a hole as undefined: a hole in the list is a missing level, not nothing
  const list = readList(levels);
  if (!list.ok) {
    return [{ prop: 'levels', message: list.problem }];
  }
  if (list.value === undefined || list.value.length === 0) {
    return [{ prop: 'levels', message: `must be a list of at least one level (e.g. [{ notify: [Notify.email('oncall@example.com')] }]), got ${describeValue(levels)}` }];
  }
  const problems: Problem[] = [];
  list.value.forEach((level, i) => {
    if (typeof level !== 'object' || level === null) {
      problems.push({ prop: `levels[${i}]`, message: `must be a level ({ after?, notify }), got ${describeValue(level)}` });
      return;
    }
    const after = readProperty(level, 'after');
    const delay = after.ok ? levelDelayProblem(i, after.value) : after.problem;
    if (delay) {
      problems.push({ prop: `levels[${i}].after`, message: delay });
    }
    const notify = readProperty(level, 'notify');
    problems.push(...(notify.ok
      ? targetListProblems(`levels[${i}].notify`, notify.value, 'must name at least one target: a level that notifies nobody only delays the next one, got []')
      : [{ prop: `levels[${i}].notify`, message: notify.problem }]));
  });
  return problems;
}

/**
 * The length a resolved CloudFormation value will have once deployed, in bytes: literal strings
 * count as they are, pseudo parameters at their longest, other references at
 * `ESTIMATED_REFERENCE_LENGTH`.
 */
export function estimatedLength(resolved: unknown): number {
  if (typeof resolved === 'string') {
    return Buffer.byteLength(resolved, 'utf8');
  }
  if (typeof resolved === 'number' || typeof resolved === 'boolean') {
    return String(resolved).length;
  }
  if (Array.isArray(resolved)) {
    return resolved.reduce((sum: number, v) => sum + estimatedLength(v), 0);
  }
  if (resolved && typeof resolved === 'object') {
    const obj = resolved as Record<string, unknown>;
    if (Array.isArray(obj['Fn::Join'])) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return Array.isArray(parts)
        ? parts.reduce((sum: number, p) => sum + estimatedLength(p), 0) + Math.max(parts.length - 1, 0) * String(separator).length
        : ESTIMATED_REFERENCE_LENGTH;
    }
    if (typeof obj.Ref === 'string' && PSEUDO_PARAMETER_LENGTHS[obj.Ref] !== undefined) {
      return PSEUDO_PARAMETER_LENGTHS[obj.Ref];
    }
  }
  return ESTIMATED_REFERENCE_LENGTH;
}

/** Longest values of the pseudo parameters that appear in ARNs and URLs. */
const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::AccountId': 12,
  'AWS::Partition': 10, // aws-us-gov
  'AWS::Region': 14, // ap-southeast-4
  'AWS::URLSuffix': 16, // amazonaws.com.cn
};

/** Estimated size of a Lambda environment (keys plus values), from its resolved form. */
export function estimatedEnvironmentBytes(resolvedEnvironment: Record<string, unknown>): number {
  return Object.entries(resolvedEnvironment).reduce((sum, [key, value]) => sum + Buffer.byteLength(key, 'utf8') + estimatedLength(value), 0);
}

/**
 * A Duration whose length is known at synth. Duck-typed (a Duration of another copy of aws-cdk-lib
 * counts), and safe on look-alikes whose methods are missing or throw.
 */
export function isConcreteDuration(value: unknown): value is Duration {
  return durationSeconds(value) !== undefined;
}

/** The seconds of a concrete Duration, `undefined` for anything else (tokens included). Never throws. */
function durationSeconds(value: unknown): number | undefined {
  try {
    const d = value as Duration;
    if (typeof value !== 'object' || value === null || typeof d.toSeconds !== 'function' || typeof d.isUnresolved !== 'function' || d.isUnresolved()) {
      return undefined;
    }
    const seconds = d.toSeconds({ integral: false });
    return typeof seconds === 'number' ? seconds : undefined;
  } catch {
    return undefined;
  }
}

function describeDuration(value: unknown): string {
  const seconds = durationSeconds(value);
  if (seconds !== undefined) {
    return Number.isInteger(seconds) && seconds > 0 ? `${formatWindow(seconds)}` : `${describeValue(seconds)} seconds`;
  }
  try {
    if (typeof (value as Duration | undefined)?.toSeconds === 'function' && typeof (value as Duration).isUnresolved === 'function') {
      return 'a token';
    }
  } catch {
    // described below
  }
  return describeValue(value);
}
