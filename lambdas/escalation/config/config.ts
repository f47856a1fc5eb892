/**
 * The escalation function's environment (lambdas/shared/contract.ts, described in
 * lambdas/README.md), parsed and checked. Pure. A bad environment is a deployment bug:
 * `loadConfig` throws a message naming the variable, so the event goes to the dead-letter queue
 * instead of being dropped.
 */
import {
  DEFAULT_REPEAT_AFTER_SECONDS, EscalationEnvironment, PagerDutyJson, RawEnvironment, TargetSetJson, WebhookJson,
} from '../../shared/contract';

export type WebhookRef = WebhookJson;

/** A level's (or the tickets') targets, as parsed: `afterSeconds` always set (tickets: 0). */
export interface TargetSet extends TargetSetJson {
  /** Delay after the previous level was notified (level 1: 0). */
  readonly afterSeconds: number;
  readonly pagerDuty: PagerDutyJson[];
}

export interface Config {
  readonly policyName: string;
  readonly tableName: string;
  readonly scheduleGroup: string;
  readonly schedulerRoleArn: string;
  readonly signingSecretArn: string;
  /** Ends with `/`. */
  readonly ackUrl: string;
  /** How many more times the chain runs after the first pass. */
  readonly repeat: number;
  readonly tokenTtlSeconds: number;
  readonly pageTopicArn: string;
  readonly ticketTopicArn: string;
  readonly levels: TargetSet[];
  readonly tickets: TargetSet | null;
  /**
   * Delay before the chain starts again at level 1, and before an unanswered last pass is
   * declared exhausted. Optional `REPEAT_AFTER_SECONDS`; default: the last level's `afterSeconds`
   * (15 minutes when that is 0, i.e. a single level).
   */
  readonly repeatAfterSeconds: number;
  /**
   * Optional `SCHEDULER_DLQ_ARN`: an SQS queue where EventBridge Scheduler puts timers it could
   * not deliver (the scheduler role needs `sqs:SendMessage` on it). Without it such a timer is lost.
   */
  readonly schedulerDlqArn?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`escalation function environment: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = RawEnvironment<EscalationEnvironment>;
type Variable = keyof EscalationEnvironment;

function required(env: Env, name: Variable): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`${name} is required`);
  }
  return value.trim();
}

function integer(env: Env, name: Variable, fallback: number | undefined, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (fallback === undefined) {
      throw new ConfigError(`${name} is required`);
    }
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function stringArray(value: unknown, where: string): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new ConfigError(`${where} must be an array of non-empty strings`);
  }
  return value as string[];
}

export function parseTargetSet(value: unknown, where: string, isLevel: boolean): TargetSet {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where} must be an object`);
  }
  const v = value as Record<string, unknown>;
  const afterSeconds = v.afterSeconds === undefined ? 0 : v.afterSeconds;
  if (typeof afterSeconds !== 'number' || !Number.isFinite(afterSeconds) || afterSeconds < 0) {
    throw new ConfigError(`${where}.afterSeconds must be a number >= 0${isLevel ? '' : ' or absent'}`);
  }
  if (v.topicArn !== undefined && (typeof v.topicArn !== 'string' || v.topicArn.length === 0)) {
    throw new ConfigError(`${where}.topicArn must be a non-empty string when present`);
  }
  const webhooks = v.webhooks === undefined ? [] : v.webhooks;
  if (!Array.isArray(webhooks)) {
    throw new ConfigError(`${where}.webhooks must be an array`);
  }
  const hooks = webhooks.map((w, i): WebhookRef => {
    const hook = w as Record<string, unknown> | null;
    if (hook && typeof hook.url === 'string' && hook.url.length > 0) {
      return { url: hook.url };
    }
    if (hook && typeof hook.secretArn === 'string' && hook.secretArn.length > 0) {
      return { secretArn: hook.secretArn };
    }
    throw new ConfigError(`${where}.webhooks[${i}] must have a url or a secretArn`);
  });
  const pagerDuty = v.pagerDuty === undefined ? [] : v.pagerDuty;
  if (!Array.isArray(pagerDuty)) {
    throw new ConfigError(`${where}.pagerDuty must be an array`);
  }
  const pd = pagerDuty.map((p, i) => {
    const secretArn = (p as Record<string, unknown> | null)?.secretArn;
    if (typeof secretArn !== 'string' || secretArn.length === 0) {
      throw new ConfigError(`${where}.pagerDuty[${i}] must have a secretArn`);
    }
    return { secretArn };
  });
  return {
    afterSeconds,
    topicArn: v.topicArn as string | undefined,
    publishTopicArns: stringArray(v.publishTopicArns, `${where}.publishTopicArns`),
    webhooks: hooks,
    pagerDuty: pd,
    kinds: stringArray(v.kinds, `${where}.kinds`),
  };
}

function json(env: Env, name: Variable): unknown {
  const raw = required(env, name);
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be JSON`);
  }
}

/** Scheduler runs one-time schedules at minute granularity at best; shorter delays are rounded up. */
export const MIN_DELAY_SECONDS = 60;

export function loadConfig(env: Env = process.env): Config {
  const levelsJson = json(env, 'LEVELS');
  if (!Array.isArray(levelsJson) || levelsJson.length === 0) {
    throw new ConfigError('LEVELS must be a non-empty JSON array');
  }
  const levels = levelsJson.map((l, i) => parseTargetSet(l, `LEVELS[${i}]`, true));
  const ticketsJson = env.TICKETS === undefined || env.TICKETS.trim() === '' ? null : json(env, 'TICKETS');
  const tickets = ticketsJson === null ? null : parseTargetSet(ticketsJson, 'TICKETS', false);
  const ackUrl = required(env, 'ACK_URL');
  if (!/^https:\/\//.test(ackUrl)) {
    throw new ConfigError(`ACK_URL must be an https URL, got ${JSON.stringify(ackUrl)}`);
  }
  const lastAfter = levels[levels.length - 1].afterSeconds;
  return {
    policyName: required(env, 'POLICY_NAME'),
    tableName: required(env, 'TABLE_NAME'),
    scheduleGroup: required(env, 'SCHEDULE_GROUP'),
    schedulerRoleArn: required(env, 'SCHEDULER_ROLE_ARN'),
    signingSecretArn: required(env, 'SIGNING_SECRET_ARN'),
    ackUrl: ackUrl.endsWith('/') ? ackUrl : `${ackUrl}/`,
    repeat: integer(env, 'REPEAT', 0, 0),
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 86400, 60),
    pageTopicArn: required(env, 'PAGE_TOPIC_ARN'),
    ticketTopicArn: required(env, 'TICKET_TOPIC_ARN'),
    levels,
    tickets,
    repeatAfterSeconds: integer(env, 'REPEAT_AFTER_SECONDS', lastAfter > 0 ? lastAfter : DEFAULT_REPEAT_AFTER_SECONDS, 0),
    schedulerDlqArn: env.SCHEDULER_DLQ_ARN?.trim() || undefined,
  };
}
