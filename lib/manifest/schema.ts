/**
 * The reliability manifest: a stack's reliability policy as machine-readable JSON, written at
 * synth next to the stack's template in the cloud assembly (`<artifactId>.reliability.json`).
 * Read by the `cdk-reliability` command (`report`, `diff`, `simulate`) and by users' snapshot tests.
 *
 * Pure types and constants: no construct imports, so the command line reads manifests without
 * loading aws-cdk-lib. A change to this shape that is not backwards compatible bumps
 * `MANIFEST_SCHEMA_VERSION`; readers refuse versions they do not know.
 *
 * Values the template only knows at deploy time (ARNs, names of resources without physical
 * names) appear as `${LogicalId.Attribute}` or `${LogicalId}`, as the game-day plan shows them.
 * Nothing secret is included: notification targets are listed by kind only.
 */

/** Version of the manifest format. */
export const MANIFEST_SCHEMA_VERSION = 1;

/** Suffix of manifest files in a cloud assembly: `<artifactId>.reliability.json`. */
export const MANIFEST_FILE_SUFFIX = '.reliability.json';

/** A stack's manifest. */
export interface ReliabilityManifest {
  /** Version of the format (`MANIFEST_SCHEMA_VERSION`): readers refuse versions they do not know. */
  readonly schemaVersion: number;
  /** `cdk-reliability`. */
  readonly generator: string;
  /** The stack the manifest describes. */
  readonly stack: StackEntry;
  /** The stack's services, in declaration order. */
  readonly services: ServiceEntry[];
}

/** The stack of a manifest. */
export interface StackEntry {
  /** CloudFormation stack name. */
  readonly name: string;
  /** Artifact id in the cloud assembly. */
  readonly artifactId: string;
  /** Construct path. */
  readonly path: string;
  /** Account, or `unknown` for environment-agnostic stacks. */
  readonly account: string;
  /** Region, or `unknown` for environment-agnostic stacks. */
  readonly region: string;
}

/** A `ReliableService` in the manifest. */
export interface ServiceEntry {
  /** `serviceName`. */
  readonly name: string;
  /** Construct path. */
  readonly path: string;
  /**
   * The owning team.
   * @default - not recorded
   */
  readonly owner?: string;
  /**
   * The service's runbook.
   * @default - no runbook
   */
  readonly runbookUrl?: string;
  /**
   * CloudWatch dashboard name.
   * @default - no dashboard
   */
  readonly dashboard?: string;
  /**
   * The escalation policy its page and ticket alarms notify (repeated in every service that shares
   * it, so that each service's entry is complete).
   * @default - notifies nobody
   */
  readonly escalation?: EscalationEntry;
  /** The service's SLOs, in declaration order. */
  readonly slos: SloEntry[];
  /** The service's chaos experiments, in declaration order. */
  readonly experiments: ExperimentEntry[];
  /** Estimated monthly CloudWatch cost of the service's alarms, USD (us-east-1 prices). */
  readonly estimatedMonthlyCostUsd: number;
}

/** An SLO in the manifest. */
export interface SloEntry {
  /** The SLO's name within its service. */
  readonly name: string;
  /** Percent of good events, e.g. 99.9. */
  readonly objective: number;
  /** SLO window in seconds. */
  readonly windowSeconds: number;
  /** SLO window, readable: `30d`. */
  readonly window: string;
  /** Error budget as a fraction of events, e.g. 0.001. */
  readonly errorBudget: number;
  /** What the SLO counts. */
  readonly sli: SliEntry;
  /**
   * The SLO's `minimumEvents`: no tier's long window is judged on fewer events. Each tier's guard
   * is `TierEntry.guardEvents`.
   * @default - each tier's single-failure floor alone
   */
  readonly minimumEvents?: number;
  /**
   * The SLO's runbook.
   * @default - no runbook
   */
  readonly runbookUrl?: string;
  /** Composite alarm names. */
  readonly alarms: SloAlarmsEntry;
  /** The burn-rate tiers that can fire. */
  readonly tiers: TierEntry[];
  /**
   * The "SLI went blind" alert (added in schema version 1 as an optional field: manifests without
   * it, including older ones, have none).
   * @default - off
   */
  readonly blindAlert?: BlindAlertEntry;
  /** Estimated monthly CloudWatch cost of the SLO's alarms, USD (us-east-1 prices). */
  readonly estimatedMonthlyCostUsd: number;
}

/** The composite alarms of an SLO, by name. */
export interface SloAlarmsEntry {
  /**
   * The page composite alarm.
   * @default - the SLO does not page
   */
  readonly page?: string;
  /**
   * The ticket composite alarm.
   * @default - the SLO opens no tickets
   */
  readonly ticket?: string;
}

/** An SLO's "SLI went blind" alert. */
export interface BlindAlertEntry {
  /** `page` or `ticket`: the composite its alarm joins. */
  readonly severity: string;
  /** The alarm's period: how long the SLI may count too few events. */
  readonly afterSeconds: number;
  /** `15m`. */
  readonly after: string;
  /** It fires when a window holds fewer events than this. */
  readonly expectedEvents: number;
  /** The alarm's name, `<service>-<slo>-blind`. */
  readonly alarmName: string;
}

/** An SLO's SLI in the manifest. */
export interface SliEntry {
  /** `ratio`, `latency` or `time-slice`. */
  readonly kind: string;
  /** One sentence on what is counted. */
  readonly description: string;
  /**
   * Metric-math expression counting bad events over a period, e.g. `FILL(bad0, 0)` or
   * `total0 - FILL(good0, 0)`; for a time-slice SLI, one slice's bad-slice indicator
   * `IF(slice0 < 300, 0, 1)`.
   */
  readonly badEvents: string;
  /** Metric-math expression counting all events, e.g. `total0`; `1` (one slice) for a time-slice SLI. */
  readonly totalEvents: string;
  /**
   * The metrics read (ids as in the alarms' metric math). For a time-slice SLI whose condition is
   * an expression (`running - desired`), the metrics and expressions it reads follow it, under
   * their own ids (added in schema version 1: manifests written before list the condition alone).
   */
  readonly metrics: MetricEntry[];
  /**
   * For a time-slice SLI (`kind` `time-slice`): the slice and the condition a good slice meets
   * (added in schema version 1 as an optional field: ratio and latency SLIs have none).
   * @default - a counted-events SLI
   */
  readonly timeSlice?: TimeSliceEntry;
}

/**
 * The condition of a time-slice SLI: a slice is good when the metric `metricId`, aggregated over
 * the slice with its statistic, compared with `threshold` by `comparison` holds; a slice without a
 * datapoint counts as `missingSlice`.
 */
export interface TimeSliceEntry {
  /** The slice in seconds: the period of every window alarm. */
  readonly sliceSeconds: number;
  /** The slice, readable: `1m`. */
  readonly slice: string;
  /**
   * The id of the judged metric (or expression) in `SliEntry.metrics`: `slice0`. An expression's
   * text is its entry's `expression`, over ids that are entries of `SliEntry.metrics` too.
   */
  readonly metricId: string;
  /** How a good slice's value compares with the threshold: `<`, `<=`, `>` or `>=`. */
  readonly comparison: string;
  /** The threshold, in the metric's unit. */
  readonly threshold: number;
  /** What a slice without a datapoint counts as: `bad` (its alarms treat missing data as breaching) or `good`. */
  readonly missingSlice: string;
}

/** A time-slice tier's window alarm: it fires when `slicesToAlarm` of its last `slices` slices are bad. */
export interface SliceAlarmEntry {
  /** N: the slices in the window (the alarm's Evaluation Periods). */
  readonly slices: number;
  /** M: bad slices that fire it (its Datapoints to Alarm), floor(error ratio × N) + 1. */
  readonly slicesToAlarm: number;
}

/** The window alarms of a time-slice tier, in slices. */
export interface TierSlicesEntry {
  /** The long window's alarm. */
  readonly long: SliceAlarmEntry;
  /** The short window's alarm. */
  readonly short: SliceAlarmEntry;
}

/** A metric (or math expression) an SLI reads. */
export interface MetricEntry {
  /** Id in the alarms' metric math, e.g. `bad0`, `total0`, `good0`. */
  readonly id: string;
  /** Empty for a math expression. */
  readonly namespace: string;
  /** Empty for a math expression. */
  readonly metricName: string;
  /** Dimensions, sorted by name. */
  readonly dimensions: Record<string, string>;
  /** Empty for a math expression. */
  readonly statistic: string;
  /**
   * A math expression's text.
   * @default - a metric
   */
  readonly expression?: string;
}

/** A burn-rate tier of an SLO. */
export interface TierEntry {
  /** `page-1h-5m`. */
  readonly id: string;
  /** `page` or `ticket`. */
  readonly severity: string;
  /** Percent of the error budget the tier fires at when spent within the long window. */
  readonly budgetPercent: number;
  /** The long window, in seconds. */
  readonly longWindowSeconds: number;
  /** The short window, in seconds. */
  readonly shortWindowSeconds: number;
  /** The long window, readable: `1h`. */
  readonly longWindow: string;
  /** The short window, readable: `5m`. */
  readonly shortWindow: string;
  /** Burn-rate threshold: budget% × SLO window / long window. */
  readonly burnRate: number;
  /** Error-ratio threshold: burn rate × error budget. */
  readonly errorRatio: number;
  /**
   * The long window's low-traffic guard N = max(minimumEvents, floor(1 / errorRatio) + 1): a long
   * window holding fewer events is judged as if it held N, the rest good, so one failed event never
   * fires the tier (added in schema version 1 as an optional field: manifests without it were
   * written before the per-tier floor, and their long windows were guarded by `minimumEvents`
   * alone, or not at all).
   * @default - `minimumEvents`, else no guard (a time-slice tier has none: its windows count slices)
   */
  readonly guardEvents?: number;
  /**
   * For a time-slice SLI: how many of each window's slices must be bad for its alarm to fire
   * (added in schema version 1 as an optional field: ratio and latency tiers have none).
   * @default - a burn-rate tier
   */
  readonly slices?: TierSlicesEntry;
  /** The window alarms' names. */
  readonly alarmNames: TierAlarmNamesEntry;
}

/** The names of a tier's two window alarms. */
export interface TierAlarmNamesEntry {
  /** The long window's alarm. */
  readonly long: string;
  /** The short window's alarm. */
  readonly short: string;
}

/** An escalation policy in the manifest. */
export interface EscalationEntry {
  /** `policyName`. */
  readonly name: string;
  /** Construct path. */
  readonly path: string;
  /** The levels of the chain, in order. */
  readonly levels: EscalationLevelEntry[];
  /** More passes of the chain after the first. */
  readonly repeat: number;
  /** Kinds of ticket targets. */
  readonly tickets: string[];
  /** How long an acknowledge link stays valid, in seconds (0 for a custom `IEscalationPolicy`). */
  readonly acknowledgeLinkTtlSeconds: number;
}

/** A level of an escalation chain. */
export interface EscalationLevelEntry {
  /** Seconds after the previous level (0 for level 1). */
  readonly afterSeconds: number;
  /** Kinds of targets: email, sms, slack, topic, webhook, pagerduty. */
  readonly targets: string[];
}

/** A chaos experiment in the manifest. */
export interface ExperimentEntry {
  /** The experiment's name within its service. */
  readonly name: string;
  /** Logical id of the `AWS::FIS::ExperimentTemplate`. */
  readonly logicalId: string;
  /** The experiment template's description. */
  readonly description: string;
  /** Seconds from start to end when nothing stops it. */
  readonly expectedSeconds: number;
  /** Whether it checks the steady state (the SLO alarms are OK) before injecting faults. */
  readonly steadyStateCheck: boolean;
  /** Whether it checks the SLO alarms recovered after the faults. */
  readonly recoveryCheck: boolean;
  /** The template's actions, in order. */
  readonly actions: ExperimentActionEntry[];
  /** The template's targets. */
  readonly targets: ExperimentTargetEntry[];
  /** Stop-condition alarms, by name when known (the service's composites), else rendered ARN. */
  readonly stopConditions: string[];
  /**
   * The schedule that runs it.
   * @default - no game day
   */
  readonly gameDay?: GameDayEntry;
}

/** An action of an experiment template. */
export interface ExperimentActionEntry {
  /** The action's name in the template. */
  readonly name: string;
  /** The FIS action id: `aws:lambda:invocation-error`. */
  readonly actionId: string;
  /** What it does. */
  readonly description: string;
  /** Its parameters, rendered. */
  readonly parameters: Record<string, string>;
  /** The actions it starts after. */
  readonly startAfter: string[];
  /**
   * Its target: `Functions: functions-1`.
   * @default - no target
   */
  readonly target?: string;
}

/** A target of an experiment template. */
export interface ExperimentTargetEntry {
  /** The target's name in the template. */
  readonly name: string;
  /** The FIS resource type: `aws:lambda:function`. */
  readonly resourceType: string;
  /** `ALL`, `COUNT(n)` or `PERCENT(n)`. */
  readonly selectionMode: string;
  /**
   * The resources, by ARN, rendered.
   * @default - none
   */
  readonly resourceArns?: string[];
  /**
   * The tags that select the resources, rendered.
   * @default - none
   */
  readonly resourceTags?: Record<string, string>;
  /**
   * The target's parameters, rendered.
   * @default - none
   */
  readonly parameters?: Record<string, string>;
  /**
   * Filters on the selected resources' attributes.
   * @default - none
   */
  readonly filters?: ExperimentTargetFilterEntry[];
}

/** A filter of an experiment target: an attribute path and the values it may have. */
export interface ExperimentTargetFilterEntry {
  /** The attribute path: `State.Name`. */
  readonly path: string;
  /** The values allowed. */
  readonly values: string[];
}

/** The schedule of a game day. */
export interface GameDayEntry {
  /** `cron(0 10 ? * TUE *)` or `at(...)`. */
  readonly expression: string;
  /** IANA time zone of the expression. */
  readonly timeZone: string;
  /** Whether the schedule is enabled. */
  readonly enabled: boolean;
}
