/**
 * The handler contract of an escalation policy: what the constructs (`lib/escalation/`, at synth)
 * and the handlers (`lambdas/escalation/`, `lambdas/acknowledge/`, in Lambda) agree on, written
 * once. The environment variables each function gets, the JSON of a level, the events the
 * functions send each other, and the log events the alarms on the pager count.
 *
 * It lives on the handlers' side because handlers import nothing from `lib/`; the constructs
 * import this one file, which therefore imports nothing at all (no AWS SDK, no aws-cdk-lib).
 * Both sides are typed by it: a variable the construct sets and no handler reads (or the other
 * way round) fails to compile, and test/lambdas/contract.test.ts checks the running code too.
 */

/** What one environment variable holds, for the README and for error messages. */
export interface VariableSpec {
  /** Whether the handler refuses to start without it. */
  readonly required: boolean;
  /** What it holds (Markdown). */
  readonly description: string;
}

/**
 * The escalation function's environment, in the order the construct sets it. No secret is ever in
 * it: secrets are referred to by ARN and read at run time.
 */
export const ESCALATION_VARIABLES = {
  POLICY_NAME: { required: true, description: 'the policy\'s name' },
  TABLE_NAME: { required: true, description: 'incidents table' },
  SCHEDULE_GROUP: { required: true, description: 'schedule group name' },
  SCHEDULER_ROLE_ARN: { required: true, description: 'role EventBridge Scheduler assumes to invoke this function' },
  SCHEDULER_DLQ_ARN: {
    required: false,
    description: 'dead-letter queue of the timers (a timer Scheduler cannot deliver lands there, watched by the pager alarm); always set by the construct',
  },
  SIGNING_SECRET_ARN: { required: true, description: 'Secrets Manager secret (SecretString = the HMAC key)' },
  ACK_URL: { required: true, description: 'the acknowledge function URL (ends with `/`)' },
  REPEAT: { required: false, description: 'how many more times the whole chain runs after the first pass (0 = once, the default)' },
  TOKEN_TTL_SECONDS: { required: false, description: 'acknowledge token lifetime (default 86400)' },
  PAGE_TOPIC_ARN: { required: true, description: 'the topic page composites notify; an SNS record\'s `TopicArn` says which severity it is' },
  TICKET_TOPIC_ARN: { required: true, description: 'the topic ticket composites notify' },
  LEVELS: { required: true, description: 'JSON array, one target set per level, see below' },
  TICKETS: { required: false, description: 'JSON target set for tickets (same shape as a level, `afterSeconds` absent), or `null`' },
  REPEAT_AFTER_SECONDS: {
    required: false,
    description: 'delay before a repeat pass starts again at level 1, and before a last pass is declared exhausted; set from the `repeatAfter` prop '
      + 'when given (default: the last level\'s `afterSeconds`, or 900 s when that is 0)',
  },
} as const satisfies Record<string, VariableSpec>;

/** The acknowledge function's environment, in the order the construct sets it. */
export const ACKNOWLEDGE_VARIABLES = {
  POLICY_NAME: { required: true, description: 'the policy\'s name' },
  TABLE_NAME: { required: true, description: 'incidents table' },
  SIGNING_SECRET_ARN: { required: true, description: 'Secrets Manager secret (SecretString = the HMAC key)' },
  ESCALATION_FUNCTION_NAME: { required: true, description: 'invoked with `InvocationType: Event` after a successful acknowledgement' },
} as const satisfies Record<string, VariableSpec>;

type RequiredKeys<S> = { [K in keyof S]: S[K] extends { readonly required: true } ? K : never }[keyof S];
type OptionalKeys<S> = Exclude<keyof S, RequiredKeys<S>>;
/** An environment as the construct writes it: every required variable, the optional ones when set, nothing else. */
export type EnvironmentOf<S> = { readonly [K in RequiredKeys<S>]: string } & { readonly [K in OptionalKeys<S>]?: string };

/** The escalation function's environment. */
export type EscalationEnvironment = EnvironmentOf<typeof ESCALATION_VARIABLES>;
/** The acknowledge function's environment. */
export type AcknowledgeEnvironment = EnvironmentOf<typeof ACKNOWLEDGE_VARIABLES>;
/** An environment as a handler reads it: any variable may be missing or malformed. */
export type RawEnvironment<E> = { readonly [K in keyof E]?: string };

/** A webhook of a target set: its URL inline, or the ARN of a secret whose SecretString is the URL. */
export type WebhookJson = { readonly url: string } | { readonly secretArn: string };

/** A PagerDuty Events API v2 integration: the ARN of the secret holding its routing key. */
export interface PagerDutyJson {
  readonly secretArn: string;
}

/** One level (`LEVELS[i]`) or the ticket targets (`TICKETS`), in the order the construct writes the keys. */
export interface TargetSetJson {
  /** Seconds after the previous level was notified (level 1: 0); absent for the tickets. */
  readonly afterSeconds?: number;
  /** The level's own topic, holding its email, SMS and Chatbot subscriptions. */
  readonly topicArn?: string;
  /** Existing topics the function publishes to (`Notify.topic`). */
  readonly publishTopicArns: string[];
  readonly webhooks: WebhookJson[];
  readonly pagerDuty: PagerDutyJson[];
  /** The kinds of the targets, each once, in the order declared (the handler only logs them). */
  readonly kinds: string[];
}

/** `LEVELS`, as the construct writes it. */
export function levelsVariable(levels: TargetSetJson[]): string {
  return JSON.stringify(levels);
}

/** `TICKETS`, as the construct writes it: `null` when the policy has no ticket targets. */
export function ticketsVariable(tickets: TargetSetJson | undefined): string {
  return tickets !== undefined ? JSON.stringify(tickets) : 'null';
}

/** A timer (EventBridge Scheduler → escalation function): escalate to `level` of pass `cycle`, both 0-based. */
export interface TimerEvent {
  readonly kind: 'escalate';
  readonly alarmName: string;
  readonly incidentStart: string;
  readonly level: number;
  readonly cycle: number;
}

/** A drain timer (EventBridge Scheduler → escalation function): send whatever the alarm's item still owes. */
export interface DrainEvent {
  readonly kind: 'drain';
  readonly alarmName: string;
}

/** An acknowledgement (acknowledge function → escalation function, `InvocationType: Event`). */
export interface AcknowledgedEvent {
  readonly kind: 'acknowledged';
  readonly alarmName: string;
  readonly incidentStart: string;
  readonly level: number;
  /** Who acknowledged: at most 64 printable characters. */
  readonly by: string;
}

/** The `event` of the escalation function's log lines that the alarms on the pager count. */
export const LOG_EVENTS = {
  /** A notification a target refused (with `retryable: false`: for good). */
  deliveryFailed: 'delivery-failed',
  /** An alarm message refused because it does not come from a composite alarm wired to the policy. */
  unverifiedAlarm: 'unverified-alarm',
} as const;

/** One alarm on the pager, `<policyName>-pager-<suffix>`. */
export interface PagerAlarmSpec {
  readonly suffix: string;
  /** What it counts (Markdown). */
  readonly watches: string;
}

/**
 * The alarms on the pager, in the order the construct creates them. They notify the level-1
 * topic directly over SNS (the pager does not depend on itself) and are the only CloudWatch alarms
 * allowed to publish to it.
 */
export const PAGER_ALARMS = {
  deadLetters: { suffix: 'dead-letters', watches: 'new messages in the dead-letter queue' },
  errors: { suffix: 'errors', watches: 'errors of the escalation function' },
  acknowledgeErrors: { suffix: 'acknowledge-errors', watches: '5xx answers of the acknowledge URL' },
  deliveryFailures: {
    suffix: 'delivery-failures',
    watches: `log lines with \`event: "${LOG_EVENTS.deliveryFailed}"\` and \`retryable: false\` (a metric filter)`,
  },
  unverifiedAlarms: { suffix: 'unverified-alarms', watches: `log lines with \`event: "${LOG_EVENTS.unverifiedAlarm}"\` (a metric filter)` },
} as const satisfies Record<string, PagerAlarmSpec>;

/** The name of a pager alarm of policy `policyName`. */
export function pagerAlarmName(policyName: string, alarm: PagerAlarmSpec): string {
  return `${policyName}-pager-${alarm.suffix}`;
}

/** The repeat delay when `REPEAT_AFTER_SECONDS` is unset and the last level's delay is 0 (a one-level chain). */
export const DEFAULT_REPEAT_AFTER_SECONDS = 900;

/** An environment as Lambda takes it: the variables that are set, in the order written. */
export function variablesOf<E extends object>(environment: E): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined) {
      set[name] = String(value);
    }
  }
  return set;
}
