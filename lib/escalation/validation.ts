/**
 * Validation rules for escalation policies: pure functions that say what is wrong, or return
 * nothing. Messages name the value received and what is allowed; the construct adds its path.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Problem } from '../slo/tiers';
import { describeInput } from '../slo/validation';
import { formatWindow } from '../slo/windows';
import { isNotify, Notify, NotifyKind } from './notify';

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

/** An email target's address. */
export function emailProblem(address: unknown): string | undefined {
  if (typeof address === 'string' && Token.isUnresolved(address)) {
    return undefined;
  }
  if (typeof address !== 'string' || address.length > 254 || !EMAIL.test(address)) {
    return `must be an email address such as oncall@example.com, got ${JSON.stringify(address)}`;
  }
  return undefined;
}

/** An SMS target's phone number, in E.164 format. */
export function phoneNumberProblem(phoneNumber: unknown): string | undefined {
  if (typeof phoneNumber === 'string' && Token.isUnresolved(phoneNumber)) {
    return undefined;
  }
  if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) {
    return `must be a phone number in E.164 format ('+', country code and number, no spaces, at most 15 digits, e.g. +15555550100), got ${JSON.stringify(phoneNumber)}`;
  }
  return undefined;
}

/** An inline webhook URL: absolute and https (alerts carry incident details). */
export function webhookUrlProblem(url: unknown): string | undefined {
  if (typeof url === 'string' && Token.isUnresolved(url)) {
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:' || parsed.hostname === '') {
    return `must be an https:// URL, got ${JSON.stringify(url)}`;
  }
  if ((url as string).length > 2048) {
    return `must be at most 2048 characters, got ${(url as string).length}`;
  }
  return undefined;
}

/** What is wrong with one target, if anything. */
export function targetProblem(target: unknown): string | undefined {
  if (!isNotify(target)) {
    return `must be a target built with Notify (Notify.email, Notify.sms, Notify.topic, Notify.webhook, Notify.webhookFromSecret, `
      + `Notify.pagerDutyEventsV2, Notify.slack), got ${describeValue(target)}`;
  }
  switch (target.kind) {
    case NotifyKind.EMAIL:
      return emailProblem(target.address);
    case NotifyKind.SMS:
      return phoneNumberProblem(target.address);
    case NotifyKind.WEBHOOK:
      if (target.url === undefined && target.secret === undefined) {
        return 'webhook needs a URL (Notify.webhook) or a secret holding it (Notify.webhookFromSecret), got neither';
      }
      return target.url !== undefined ? webhookUrlProblem(target.url) : undefined;
    case NotifyKind.PAGERDUTY:
      return target.secret === undefined ? 'Notify.pagerDutyEventsV2 needs the secret holding the routing key, got undefined' : undefined;
    case NotifyKind.TOPIC:
      return target.topic === undefined ? 'Notify.topic needs an SNS topic, got undefined' : undefined;
    case NotifyKind.SLACK:
      return target.slackChannel === undefined ? 'Notify.slack needs an AWS Chatbot SlackChannelConfiguration, got undefined' : undefined;
    default:
      return undefined;
  }
}

/** Problems of a list of targets (a level's `notify`, or `tickets`), each under `prop[i]`. */
export function targetListProblems(prop: string, targets: unknown, emptyMessage: string): Problem[] {
  if (!Array.isArray(targets)) {
    return [{ prop, message: `must be a list of targets (e.g. [Notify.email('oncall@example.com')]), got ${describeValue(targets)}` }];
  }
  if (targets.length === 0) {
    return [{ prop, message: emptyMessage }];
  }
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  // an index loop, not forEach: a hole in the list is a missing target, not nothing
  for (let i = 0; i < targets.length; i++) {
    const t: unknown = targets[i];
    const message = targetProblem(t);
    if (message) {
      problems.push({ prop: `${prop}[${i}]`, message });
      continue;
    }
    // the same address twice would be subscribed twice to one topic, which CloudFormation cannot hold
    const key = identityOf(t as Notify);
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier !== undefined) {
      problems.push({ prop: `${prop}[${i}]`, message: `repeats ${prop}[${earlier}] (${(t as Notify).describe()}): name each target once` });
    } else if (key !== undefined) {
      seen.set(key, i);
    }
  }
  return problems;
}

/** What makes two targets the same: kind and address or URL (`undefined` for targets compared by object). */
function identityOf(target: Notify): string | undefined {
  const text = target.address ?? target.url;
  return typeof text === 'string' && !Token.isUnresolved(text) ? `${target.kind}:${text}` : undefined;
}

/**
 * The delay of level `index` (0-based). Level 1 is notified at once: no delay, or zero. Later
 * levels wait a whole number of minutes, 1 minute to 24 hours, after the previous one.
 */
export function levelDelayProblem(index: number, after: unknown): string | undefined {
  if (index === 0) {
    if (after === undefined || (isConcreteDuration(after) && after.toSeconds({ integral: false }) === 0)) {
      return undefined;
    }
    return `must be left out (or zero) for level 1, which is notified as soon as the alarm fires, got ${describeDuration(after)}`;
  }
  if (after === undefined) {
    return `is required for level ${index + 1}: how long after level ${index} to escalate, a whole number of minutes from 1 minute to ${formatWindow(MAX_LEVEL_DELAY.toSeconds())} (e.g. Duration.minutes(15))`;
  }
  if (!isConcreteDuration(after)) {
    return `must be a concrete Duration such as Duration.minutes(15), got ${describeDuration(after)}`;
  }
  const seconds = after.toSeconds({ integral: false });
  if (seconds < 60 || seconds > MAX_LEVEL_DELAY.toSeconds() || seconds % 60 !== 0) {
    return `must be a whole number of minutes from 1 minute to ${formatWindow(MAX_LEVEL_DELAY.toSeconds())}, got ${describeDuration(after)}`;
  }
  return undefined;
}

/** `repeat`: how many more times the chain runs after the first pass. */
export function repeatProblem(repeat: unknown): string | undefined {
  if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 0 || repeat > MAX_REPEAT) {
    return `must be a whole number from 0 (run the chain once) to ${MAX_REPEAT}, got ${describeInput(repeat)}`;
  }
  return undefined;
}

/** How long an acknowledge link stays valid. */
export function tokenTtlProblem(ttl: unknown): string | undefined {
  if (!isConcreteDuration(ttl)) {
    return `must be a concrete Duration such as Duration.days(1), got ${describeDuration(ttl)}`;
  }
  const seconds = ttl.toSeconds({ integral: false });
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
    return `must be a whole number from 1 to ${MAX_RESERVED_CONCURRENCY}, got ${describeInput(value)}`;
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
  if (!Array.isArray(levels) || levels.length === 0) {
    return [{ prop: 'levels', message: `must be a list of at least one level (e.g. [{ notify: [Notify.email('oncall@example.com')] }]), got ${describeValue(levels)}` }];
  }
  const problems: Problem[] = [];
  // Array.from: a hole in the list is a missing level, not nothing
  Array.from(levels).forEach((level: LevelInput | undefined, i) => {
    if (typeof level !== 'object' || level === null) {
      problems.push({ prop: `levels[${i}]`, message: `must be a level ({ after?, notify }), got ${describeValue(level)}` });
      return;
    }
    const delay = levelDelayProblem(i, level.after);
    if (delay) {
      problems.push({ prop: `levels[${i}].after`, message: delay });
    }
    problems.push(...targetListProblems(`levels[${i}].notify`, level.notify,
      `must name at least one target: a level that notifies nobody only delays the next one, got []`));
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

/** A Duration whose length is known at synth. */
export function isConcreteDuration(value: unknown): value is Duration {
  return typeof (value as Duration | undefined)?.toSeconds === 'function' && !(value as Duration).isUnresolved();
}

function describeDuration(value: unknown): string {
  if (isConcreteDuration(value)) {
    const seconds = value.toSeconds({ integral: false });
    return Number.isInteger(seconds) && seconds > 0 ? `${formatWindow(seconds)}` : `${seconds} seconds`;
  }
  if (typeof (value as Duration | undefined)?.toSeconds === 'function') {
    return 'a token';
  }
  return describeValue(value);
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

