/**
 * The handler contract of an escalation policy: what the constructs (`lib/escalation/`, at synth)
 * and the handlers (`lambdas/escalation/`, `lambdas/acknowledge/`, in Lambda) agree on, written
 * once. The environment variables each function gets, the JSON of a level, the events the
 * functions send each other, and the log events the alarms on the pager count.
 *
 * It lives on the handlers' side because handlers import nothing from `lib/`; the constructs
 * import this one file, which therefore imports nothing at all (no AWS SDK, no aws-cdk-lib).
 * Both sides are typed by it: a variable the construct sets and no handler reads (or the other
 * way round) fails to compile, and test/lambdas/shared/contract.test.ts checks the running code too.
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

/**
 * The `event` of the escalation function's log lines that something outside the function reads:
 * the alarms on the pager count the first two (metric filters); `review` reconstructs each
 * incident's history from the others with CloudWatch Logs Insights (the incidents table keeps only
 * the latest incidents of an alarm, for 30 days after they end). Every incident line carries
 * `alarmName` and `incidentStart` (the ALARM's StateChangeTime, which identifies the incident).
 */
export const LOG_EVENTS = {
  /** A notification a target refused (with `retryable: false`: for good). */
  deliveryFailed: 'delivery-failed',
  /** An alarm message refused because it does not come from a composite alarm wired to the policy. */
  unverifiedAlarm: 'unverified-alarm',
  /** An ALARM opened an incident (with `severity`); level 1 or the tickets are notified. */
  incidentOpened: 'incident-opened',
  /** A person acknowledged a page (with `ackedBy`, `ackedAt` and the `escalationLevel` reached). */
  incidentAcknowledged: 'incident-acknowledged',
  /** A timer notified the next level (`escalationLevel`, 0-based, of pass `cycle`). */
  incidentEscalated: 'incident-escalated',
  /** Every level of every pass was notified and nobody acknowledged. */
  escalationExhausted: 'escalation-exhausted',
  /** The incident ended: its alarm went OK, was deleted, or a newer ALARM replaced it (`resolution`). */
  incidentResolved: 'incident-resolved',
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

// ---------------------------------------------------------------------------------------------
// The alarms wired to a policy: their tags, names and descriptions, as `ReliableService` writes
// them and the escalation function reads them (lambdas/escalation/alarm/facts.ts) to say in a page
// which SLO burns, how fast, and how much of the budget that is. The tags carry the SLO's facts
// (service, SLO, objective, window, runbook, dashboard); the tiers (windows, burn rate, budget
// share) are carried only by the names of the window alarms and the composite's description, so
// the handler reads those from the text, with the grammar below. test/lambdas/escalation/alarm/
// synthesized-facts.test.ts runs the handler on every alarm of a synthesized service.
// ---------------------------------------------------------------------------------------------

/** Every tag key `ReliableService` puts on a composite alarm starts with this. */
export const ALARM_TAG_PREFIX = 'cdk-reliability:';

/** The tags of a composite alarm wired to a policy, in the order the construct writes them. */
export const ALARM_TAGS = {
  service: `${ALARM_TAG_PREFIX}service`,
  slo: `${ALARM_TAG_PREFIX}slo`,
  severity: `${ALARM_TAG_PREFIX}severity`,
  objective: `${ALARM_TAG_PREFIX}objective`,
  window: `${ALARM_TAG_PREFIX}window`,
  /** Only when the runbook URL is a valid tag value. */
  runbook: `${ALARM_TAG_PREFIX}runbook`,
  /** Only when the service has a dashboard. */
  dashboard: `${ALARM_TAG_PREFIX}dashboard`,
} as const;

/** A fact the tags carry: `service`, `slo`, … */
export type AlarmTag = keyof typeof ALARM_TAGS;

/** Which of a tier's two windows a window alarm watches. */
export type WindowKind = 'long' | 'short';

/** A burn-rate tier as names and descriptions spell it: severity and its two windows (`1h`, `5m`). */
export interface TierName {
  readonly severity: string;
  readonly longWindow: string;
  readonly shortWindow: string;
}

/** Between the parts of an alarm name. */
const NAME_SEPARATOR = '-';
/** Ends the name of an SLO's "SLI went blind" alarm. */
const BLIND_SUFFIX = 'blind';

/** The composite alarm of one severity, the one that notifies: `checkout-availability-page`. */
export function compositeAlarmName(serviceName: string, sloName: string, severity: string): string {
  return [serviceName, sloName, severity].join(NAME_SEPARATOR);
}

/** A tier's stable id, `page-1h-5m`: it ends the names of its window alarms. */
export function tierKey(tier: TierName): string {
  return fillPhrase(TIER_KEY, { ...tier });
}

/** The alarm of one window of one tier: `checkout-availability-page-1h-5m-long`. */
export function windowAlarmName(serviceName: string, sloName: string, tierId: string, window: WindowKind): string {
  return [serviceName, sloName, tierId, window].join(NAME_SEPARATOR);
}

/** The SLO's "SLI went blind" alarm: `checkout-availability-blind`. */
export function blindAlarmName(serviceName: string, sloName: string): string {
  return [serviceName, sloName, BLIND_SUFFIX].join(NAME_SEPARATOR);
}

/** What each slot of a phrase matches in the handler. */
const SLOT_PATTERNS = {
  service: '[^\\s/]+',
  slo: '[^\\s:]+',
  severity: 'page|ticket',
  window: 'long|short',
  longWindow: '\\d+[smhd]',
  shortWindow: '\\d+[smhd]',
  /** The window a window alarm evaluates (its long or short window). */
  lastWindow: '\\d+[smhd]',
  sloWindow: '\\d+[smhd]',
  burnRate: '[\\d.]+',
  budgetPercent: '[\\d.]+',
  objective: '[\\d.]+',
  /** With its `%`: `1.44%`. */
  errorRatio: '[\\d.]+%',
  /** With its `%`: `0.1%`. */
  errorBudget: '[\\d.]+%',
  url: 'https?:\\/\\/\\S+',
} as const;

/** A slot of a phrase, written `{name}` in its text. */
export type Slot = keyof typeof SLOT_PATTERNS;

/** A tier's id: `page-1h-5m`. */
const TIER_KEY = ['{severity}', '{longWindow}', '{shortWindow}'].join(NAME_SEPARATOR);

/**
 * The pieces of alarm names and descriptions the handler reads, with `{slot}`s: the construct
 * fills them in (`fillPhrase`), the handler matches them (`phrasePattern`), so each is written
 * once. The prose around them is free.
 */
export const PHRASES = {
  /** Names the SLO: the composite's title and the SLO summary of every description start with it. */
  sloReference: 'SLO {service}/{slo}:',
  /** The SLO summary after its reference (and a space). */
  sloObjective: '{objective}% good over {sloWindow} (error budget {errorBudget})',
  /** One tier of a composite's rule; several are joined with `, or `. */
  compositeTier: '{burnRate}x over {longWindow} and {shortWindow} ({budgetPercent}% of the budget',
  /** How a window alarm's description starts. */
  windowTier: '{severity} tier {longWindow}/{shortWindow}, {window} window: ALARM when the burn rate over the last {lastWindow} exceeds {burnRate}x',
  /** What follows `windowTier` (the handler takes the budget share when present). */
  windowTierBudget: ' (error ratio above {errorRatio}; {budgetPercent}% of the budget',
  /** The last words of every description that has a runbook. */
  runbook: 'Runbook: {url}',
  /** Ends the name of a window alarm. */
  windowAlarmSuffix: `${NAME_SEPARATOR}${TIER_KEY}${NAME_SEPARATOR}{window}`,
} as const;

const SLOT = /\{(\w+)\}/g;

function isSlot(name: string): name is Slot {
  return Object.prototype.hasOwnProperty.call(SLOT_PATTERNS, name);
}

/** `phrase` with every slot replaced by its value. */
export function fillPhrase(phrase: string, values: { readonly [S in Slot]?: string | number }): string {
  return phrase.replace(SLOT, (whole, name: string) => {
    const value = isSlot(name) ? values[name] : undefined;
    if (value === undefined) {
      throw new Error(`phrase '${phrase}': no value for ${whole}`);
    }
    return String(value);
  });
}

/**
 * A regular expression source matching `phrase`: each slot a named group (`(?<burnRate>…)`), a
 * slot used twice a back-reference to the first, everything else literal.
 */
export function phrasePattern(phrase: string): string {
  const seen = new Set<string>();
  let source = '';
  let last = 0;
  for (const m of phrase.matchAll(SLOT)) {
    const name = m[1];
    if (!isSlot(name)) {
      throw new Error(`phrase '${phrase}': unknown slot {${name}}`);
    }
    source += escapeRegExp(phrase.slice(last, m.index)) + (seen.has(name) ? `\\k<${name}>` : `(?<${name}>${SLOT_PATTERNS[name]})`);
    seen.add(name);
    last = m.index + m[0].length;
  }
  return source + escapeRegExp(phrase.slice(last));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
