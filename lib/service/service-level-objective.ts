import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { Alarm, CompositeAlarm, IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BlindAlertConfig, createBlindAlarm } from '../alarms/blind-alarm';
import { SloFacts } from '../alarms/descriptions';
import { burnRateMetric, createSloAlarms, SloAlarmSet, SloWindowAlarm } from '../alarms/slo-alarms';
import { kindProblem, runBind, runValidate } from '../sli/binding-checks';
import { metricIdentityProblems, MetricIdentityProblem } from '../sli/metric-checks';
import { lambdaFunctionOf, PresetSli, presetSynthProblems, presetWarnings } from '../sli/preset-sli';
import { ISli, SliBinding } from '../sli/sli-definition';
import { AlertPolicy } from '../slo/alert-policy';
import { errorBudget, maximumBurnRate } from '../slo/burn-rate';
import { estimateMonthlyCostUsd } from '../slo/cost';
import { blindAlarmName, namePartProblem, windowAlarmName } from '../slo/names';
import { ResolvedTier, resolveTiers, Severity, TierInput, TierResolution } from '../slo/tiers';
import { fitTiersToSlice, longestSliceWindowSeconds, sliceCount, slicesToAlarm } from '../slo/time-slices';
import { isRecord, minimumEventsProblem, objectiveProblem, runbookUrlProblem, safeMember, sloWindowProblem } from '../slo/validation';
import { formatWindow, MINUTE_SECONDS, windowProblem } from '../slo/windows';
import { claimPhysicalName, environmentOf } from './physical-names';
import { formatDecimal } from '../private/format';
import { formatProblems, Problem } from '../private/problems';
import { describeValue } from '../private/describe';
import { readDuration } from '../private/duration-input';

/** CloudWatch: a metric-math alarm may read at most 10 metrics. */
export const MAX_METRICS_PER_ALARM = 10;
/** CloudWatch: a composite alarm's rule holds at most 10 240 characters. */
const MAX_ALARM_RULE_LENGTH = 10_240;
/** The longest prefix of an alarm ARN (partition aws-us-gov, region ap-southeast-4), known only at deploy time. */
const ALARM_ARN_PREFIX_LENGTH = 'arn:aws-us-gov:cloudwatch:ap-southeast-4:123456789012:alarm:'.length;
/** The SLO window unless one is given. */
export const DEFAULT_SLO_WINDOW = Duration.days(30);

/** One service level objective. */
export interface SloProps {
  /**
   * Name of the SLO, unique within its service: letters, digits, `-`, `_`, `.`.
   * It is part of the alarm names (`checkout-availability-page`) and of construct ids.
   */
  readonly name: string;

  /** Percent of good events the service promises, strictly between 0 and 100 (99.9). */
  readonly objective: number;

  /** How good and bad events are counted: `Sli.ratio`, `Sli.latency` or a preset. */
  readonly sli: ISli;

  /**
   * The rolling window the objective is measured over. Burn-rate thresholds are derived from it.
   * @default Duration.days(30)
   */
  readonly window?: Duration;

  /**
   * Which tiers alert, and with which severity.
   * @default AlertPolicy.workbook() - page at 2 % of the budget in 1 h and 5 % in 6 h, ticket at 10 % in 1 d and 10 % in 3 d
   */
  readonly alerting?: AlertPolicy;

  /**
   * Low-traffic guard: a tier's long window holding fewer than `N = max(minimumEvents,
   * floor(1 / threshold) + 1)` events is judged as if it held N, the missing ones good
   * (`bad / max(total, bad, N)`), where threshold is the tier's error-ratio threshold (burn rate x
   * error budget). So one failed event never pages nor tickets at any tier (1/N stays below every
   * threshold), and a sustained failure at low traffic fires a tier once its long window holds
   * `floor(threshold x N) + 1` failed events. Short windows are not guarded: a tier fires only
   * when both its windows burn. See "Low traffic" in docs/alerting.md.
   * @default - only the single-failure floor: N = floor(1 / threshold) + 1 per tier (70 for 99.9 % over 30 days, 1 h tier)
   */
  readonly minimumEvents?: number;

  /**
   * Runbook linked from every alarm description of this SLO.
   * @default - the service's runbookUrl, if any
   */
  readonly runbookUrl?: string;

  /**
   * An alert for when the SLI goes blind: its total counts fewer than `expectedEvents` events for
   * `after` on a service that normally has traffic (an ALB without healthy targets, a renamed
   * stage or function, clients that cannot reach the service). The burn-rate tiers read such a
   * silence as healthy. The alarm `<service>-<slo>-blind` joins the SLO's page (or ticket)
   * composite, so it notifies, escalates and stops experiments as that composite does.
   * @default - off: nothing notices when the SLI stops counting events
   */
  readonly blindAlert?: BlindAlertProps;
}

/** The "SLI went blind" alert of an SLO: see `SloProps.blindAlert`. */
export interface BlindAlertProps {
  /**
   * Whether a blind SLI pages or opens a ticket: the alarm joins the SLO's composite of that
   * severity (created when the SLO has none).
   * @default Severity.PAGE - the burn-rate alarms cannot see the outages that blind an SLI
   */
  readonly severity?: Severity;

  /**
   * How long the SLI may count fewer than `expectedEvents` events before the alert fires: the
   * alarm's period. Whole minutes, at least 5 (service metrics arrive 1-3 minutes late, and the
   * newest minutes of the window are empty when it is evaluated), at most 7 days.
   * @default Duration.minutes(15)
   */
  readonly after?: Duration;

  /**
   * The fewest events the SLI counts in any `after` window of normal traffic, quiet hours
   * included: the alert fires when a window holds fewer. With traffic of r events a minute at its
   * quietest, `expectedEvents: 1` wrongly fires on a given window with probability about
   * e^(-r × after in minutes) (Poisson): keep r × after at 15 or more.
   * @default 1 - the alert fires when the SLI counts no event at all for `after`
   */
  readonly expectedEvents?: number;
}

/** The blind alert's defaults. */
export const DEFAULT_BLIND_ALERT_AFTER = Duration.minutes(15);
/** The shortest `blindAlert.after`: CloudWatch service metrics arrive 1-3 minutes late. */
export const MIN_BLIND_ALERT_AFTER_SECONDS = 5 * MINUTE_SECONDS;

/** Props of the SLO construct: an `SloProps` plus what it inherits from its service. */
export interface ServiceLevelObjectiveProps extends SloProps {
  /** Name of the service the SLO belongs to; the first part of every alarm name. */
  readonly serviceName: string;
}

/**
 * An SLO and its multiwindow, multi-burn-rate alarms. Usually created by `ReliableService`;
 * reach it with `service.slo(name)`.
 */
export class ServiceLevelObjective extends Construct {
  /** Name of the service the SLO belongs to. */
  public readonly serviceName: string;
  /** Name of the SLO, unique within its service. */
  public readonly name: string;
  /** Percent of good events. */
  public readonly objective: number;
  /** The SLO window. */
  public readonly window: Duration;
  /** Fraction of events allowed to be bad (0.001 for 99.9). */
  public readonly errorBudget: number;
  /** How good and bad events are counted. */
  public readonly sli: ISli;
  /** The tiers that alert, with their derived burn-rate and error-ratio thresholds. */
  public readonly tiers: ResolvedTier[];
  /** Every metric-math alarm, one per (tier, window). */
  public readonly windowAlarms: SloWindowAlarm[];
  /**
   * Composite alarm `<service>-<slo>-page`: wire paging to it.
   * @default - undefined when the policy has no page tier that can fire
   */
  public readonly pageAlarm?: CompositeAlarm;
  /**
   * Composite alarm `<service>-<slo>-ticket`, muted while the page alarm is in ALARM.
   * @default - undefined when ticket tiers are off or none can fire
   */
  public readonly ticketAlarm?: CompositeAlarm;
  /** Estimated monthly CloudWatch cost of this SLO's alarms, in USD (us-east-1 list prices). */
  public readonly estimatedMonthlyCostUsd: number;
  /** Runbook linked from the alarm descriptions. */
  public readonly runbookUrl?: string;
  /**
   * The `minimumEvents` given: no tier's long window is judged on fewer events.
   * @default - each tier's single-failure floor alone (see `SloProps.minimumEvents`)
   */
  public readonly minimumEvents?: number;
  /** The SLI's expressions and metrics, as the alarms read them. */
  public readonly sliBinding: SliBinding;
  /**
   * The "SLI went blind" alarm `<service>-<slo>-blind`, read by the composite of its severity.
   * @default - undefined when `blindAlert` is not set
   */
  public readonly blindAlarm?: Alarm;
  /**
   * The blind alert as configured, defaults filled in.
   * @default - undefined when `blindAlert` is not set
   */
  public readonly blindAlert?: BlindAlertProps;

  private readonly facts: SloFacts;
  private readonly binding: SliBinding;

  constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    const valid = validate(this, this.node.path, props);
    this.warnAboutInputs(props, valid);
    // Checks that read other constructs' configuration run at synth, once the app is complete:
    // run here they would see a configuration later code still changes (and resolving it early
    // would freeze its Lazy values).
    this.node.addValidation({
      validate: () => {
        const problems = presetSynthProblems(props.sli).map((message) => ({ prop: 'sli', message }));
        return problems.length > 0 ? [formatProblems(this.node.path, problems)] : [];
      },
    });

    this.serviceName = props.serviceName;
    this.name = props.name;
    this.objective = props.objective;
    this.window = props.window ?? DEFAULT_SLO_WINDOW;
    this.errorBudget = errorBudget(props.objective);
    this.sli = props.sli;
    this.tiers = valid.resolution.tiers;
    this.runbookUrl = props.runbookUrl;
    this.binding = valid.binding;
    this.sliBinding = valid.binding;
    this.minimumEvents = props.minimumEvents;
    this.facts = {
      serviceName: props.serviceName,
      sloName: props.name,
      objective: props.objective,
      sloWindowSeconds: valid.windowSeconds,
      errorBudget: this.errorBudget,
      sliDescription: valid.binding.description,
      runbookUrl: props.runbookUrl,
      minimumEvents: props.minimumEvents,
      ...(valid.binding.timeSlice ? { sliceSeconds: valid.binding.timeSlice.sliceSeconds } : {}),
    };

    const alarms = this.createAlarms(valid.blind);
    this.windowAlarms = alarms.windowAlarms;
    this.pageAlarm = alarms.pageAlarm;
    this.ticketAlarm = alarms.ticketAlarm;
    this.blindAlarm = alarms.blindAlarm;
    this.blindAlert = alarms.blindAlert;
    this.estimatedMonthlyCostUsd = estimateMonthlyCostUsd({
      metricsPerWindowAlarm: this.windowAlarms.map(() => this.binding.metricCount),
      compositeAlarms: [this.pageAlarm, this.ticketAlarm].filter((a) => a !== undefined).length,
      blindAlarmMetrics: alarms.blindAlarmMetrics,
    });
  }

  /** The composite alarm of a severity, if the SLO has one. */
  public severityAlarm(severity: Severity): CompositeAlarm | undefined {
    return severity === Severity.PAGE ? this.pageAlarm : this.ticketAlarm;
  }

  /**
   * The burn rate over a window as a metric (for dashboards): error ratio / error budget, the
   * expression the short-window alarms evaluate (`bad / max(total, bad)`, no low-traffic guard).
   * A long-window alarm also applies its tier's guard (a window with fewer events than the guard is
   * judged as if it held that many), so at low traffic this metric can read higher than the alarm
   * does; the service dashboard draws each long window with its guard. Its metric ids carry the
   * window (`total0_1h`), so that several windows can share one graph. Not available for a
   * time-slice SLI (`Sli.timeSlice`), whose alarms count bad slices: it throws.
   */
  public burnRateMetric(window: Duration): MathExpression {
    const read = readDuration(window, { example: 'Duration.hours(1)', concreteBecause: 'the metric period is fixed at synth time' });
    const seconds = read.ok ? read.seconds : NaN;
    const problem = read.ok ? windowProblem(seconds) : read.problem;
    if (problem) {
      throw new Error(`${this.node.path}: burnRateMetric(window): window ${problem}`);
    }
    if (this.binding.timeSlice) {
      // Metric math reads every metric at the expression's period and cannot add up a per-slice
      // condition over a longer window, so no expression is the burn rate of a time-slice SLI.
      throw new Error(`${this.node.path}: burnRateMetric(window): a time-slice SLI has no burn-rate metric: its window alarms `
        + 'count bad slices (M out of N datapoints), which metric math cannot compute at a window\'s period; graph the SLO\'s '
        + 'window alarms (windowAlarms) or the service dashboard\'s bad-slice graph instead');
    }
    return burnRateMetric({ facts: this.facts, sli: this.binding }, seconds, false, `_${formatWindow(seconds)}`);
  }

  /**
   * Advice on valid input: dimension values with surrounding whitespace, a preset's doubts about
   * its resource, a Lambda timeout longer than a short window, tiers that can never fire.
   */
  private warnAboutInputs(props: ServiceLevelObjectiveProps, valid: ValidSlo): void {
    const where = this.node.path;
    for (const p of valid.whitespace) {
      Annotations.of(this).addWarningV2('cdk-reliability:dimension-whitespace',
        `${where}: sli: metric ${p.metric}: ${p.message}. AWS services never publish such values: the alarms would watch a metric that never `
        + 'exists and stay OK through any outage. Trim the value, or acknowledge this warning if your own metrics are published with it');
    }
    for (const warning of presetWarnings(props.sli)) {
      Annotations.of(this).addWarningV2(warning.id, `${where}: sli: ${warning.message}`);
    }
    const fn = lambdaFunctionOf(props.sli);
    if (fn) {
      warnLambdaTimeout(this, where, fn, valid.resolution.tiers);
    }
    for (const t of valid.resolution.unreachable) {
      Annotations.of(this).addWarningV2('cdk-reliability:tier-cannot-fire',
        `${where}: the ${t.severity} tier ${formatWindow(t.longWindowSeconds)}/${formatWindow(t.shortWindowSeconds)} needs a burn rate of ${t.burnRate}x `
        + `(error ratio ${formatDecimal(t.errorRatioThreshold * 100)}%), but with objective ${props.objective}% even 100% errors burn at most `
        + `${maximumBurnRate(props.objective)}x. The tier is left out.`);
    }
    const slice = valid.binding.timeSlice;
    for (const t of valid.sliceTooLong) {
      Annotations.of(this).addWarningV2('cdk-reliability:tier-beyond-slice-limit',
        `${where}: the ${t.severity} tier ${formatWindow(t.longWindowSeconds)}/${formatWindow(t.shortWindowSeconds)} is left out: a time-slice SLI counts `
        + `${formatWindow(slice!.sliceSeconds)} slices with one alarm datapoint each, and CloudWatch evaluates at most ${formatWindow(longestSliceWindowSeconds(slice!.sliceSeconds))} `
        + 'of datapoints for periods under an hour (Period x EvaluationPeriods, PutMetricAlarm). Keep the other tiers, or use a slice of 1 hour for windows up to 7 days.');
    }
    if (slice) {
      warnOneBadSlice(this, where, props.objective, slice.sliceSeconds, valid.resolution.tiers);
    }
  }

  /** The blind alarm (first, when configured), then a metric-math alarm per tier window and a composite per severity. */
  private createAlarms(blind: BlindAlertConfig | undefined): SloAlarms {
    const blindSet = blind ? createBlindAlarm(this, this.facts, this.binding, blind) : undefined;
    const alarms = createSloAlarms(this, { facts: this.facts, tiers: this.tiers, sli: this.binding, extraConditions: blindSet ? [blindSet.condition] : [] });
    return {
      ...alarms,
      blindAlarm: blindSet?.alarm,
      blindAlert: blind && blindSet ? { severity: blind.severity, after: Duration.seconds(blind.afterSeconds), expectedEvents: blind.expectedEvents } : undefined,
      blindAlarmMetrics: blindSet?.metricCount ?? 0,
    };
  }
}

/** What `createAlarms` builds: the SLO's alarm set and its blind alarm. */
interface SloAlarms extends SloAlarmSet {
  /** @default - no blind alert */
  readonly blindAlarm?: Alarm;
  /** @default - no blind alert */
  readonly blindAlert?: BlindAlertProps;
  /** How many metrics the blind alarm reads (0 without one). */
  readonly blindAlarmMetrics: number;
}

interface ValidSlo {
  readonly windowSeconds: number;
  readonly resolution: TierResolution;
  readonly binding: SliBinding;
  /** @default - no blind alert */
  readonly blind?: BlindAlertConfig;
  /** Dimension values of the SLI's own metrics with surrounding whitespace: warned about. */
  readonly whitespace: MetricIdentityProblem[];
  /** A time-slice SLI's tiers with a window longer than CloudWatch evaluates at its slice: left out, warned about. */
  readonly sliceTooLong: ResolvedTier[];
}

/**
 * Checks every prop of an SLO and throws one error listing all problems, each with the prop, the
 * value and what is allowed. Also claims the SLO's alarm names in its environment.
 */
function validate(slo: Construct, where: string, props: ServiceLevelObjectiveProps): ValidSlo {
  const problems: Problem[] = [];
  const add = (prop: string, message: string | undefined) => {
    if (message) {
      problems.push({ prop, message });
    }
  };
  const fail = () => {
    if (problems.length > 0) {
      throw new Error(formatProblems(where, problems));
    }
  };

  add('serviceName', namePartProblem(props.serviceName));
  add('name', namePartProblem(props.name));
  // thresholds are computed at synth time, so the objective and the window must be concrete
  add('objective', typeof props.objective === 'number' && Token.isUnresolved(props.objective)
    ? 'must be a concrete number, not a token: burn-rate thresholds are computed at synth time'
    : objectiveProblem(props.objective));
  const sloWindow = readDuration(props.window ?? DEFAULT_SLO_WINDOW, { example: 'Duration.days(30)', concreteBecause: 'burn-rate thresholds are computed at synth time' });
  const windowSeconds = sloWindow.ok ? sloWindow.seconds : NaN;
  add('window', sloWindow.ok ? sloWindowProblem(windowSeconds) : sloWindow.problem);
  if (props.minimumEvents !== undefined) {
    add('minimumEvents', minimumEventsProblem(props.minimumEvents));
  }
  if (props.runbookUrl !== undefined && !(typeof props.runbookUrl === 'string' && Token.isUnresolved(props.runbookUrl))) {
    add('runbookUrl', runbookUrlProblem(props.runbookUrl));
  }
  const alerting = props.alerting ?? AlertPolicy.workbook();
  const toTierInputs = safeMember(alerting, '_toTierInputs');
  const tierInputs = typeof toTierInputs === 'function' ? tierInputsOf(alerting, toTierInputs) : undefined;
  const unreadableTiers = safeMember(alerting, '_unreadableTiers');
  const tiersProblem = typeof unreadableTiers === 'function' ? tiersProblemOf(alerting, unreadableTiers) : undefined;
  if (typeof toTierInputs !== 'function') {
    add('alerting', `must be AlertPolicy.workbook() or AlertPolicy.fromTiers([...]), got ${describeValue(alerting)}`);
  } else if (tiersProblem !== undefined) {
    add('alerting.tiers', tiersProblem);
  } else if (tierInputs === undefined) {
    add('alerting.tiers', `must be a list of tiers, got ${describeValue(safeMember(alerting, 'tiers'))}`);
  }
  const sli = props.sli as unknown;
  const isSli = typeof sli === 'object' && sli !== null && typeof safeMember(sli, 'validate') === 'function' && typeof safeMember(sli, 'bind') === 'function';
  if (!isSli) {
    add('sli', `must be an SLI such as Sli.ratio({ bad, total }) or a preset, got ${describeValue(sli)}`);
  } else {
    add('sli', kindProblem(safeMember(sli, 'kind')));
    runValidate(sli as ISli).forEach((m) => add('sli', m));
  }
  const blind = props.blindAlert === undefined ? undefined : blindAlertConfig(props.blindAlert, add);
  fail();

  const resolution = resolveTiers(props.objective, windowSeconds, tierInputs!, 'alerting.tiers');
  problems.push(...resolution.problems);
  const bound = runBind(props.sli);
  bound.problems.forEach((m) => add('sli', m));
  fail();
  const binding = bound.binding!;
  let sliceTooLong: ResolvedTier[] = [];
  let tiers = resolution.tiers;
  if (binding.timeSlice) {
    const sliceSeconds = binding.timeSlice.sliceSeconds;
    const fit = fitTiersToSlice(resolution.tiers, sliceSeconds);
    if (fit.unevenWindowSeconds.length > 0) {
      add('sli', `Sli.timeSlice \`slice\` is ${formatWindow(sliceSeconds)}, but the windows ${fit.unevenWindowSeconds.map(formatWindow).join(', ')} of \`alerting\` `
        + 'do not hold a whole number of slices: use a slice that divides every window (1 minute divides them all)');
    }
    if (props.minimumEvents !== undefined) {
      add('minimumEvents', `is ${describeValue(props.minimumEvents)}, but the SLI is a time-slice SLI, which counts slices, not events: leave minimumEvents out`);
    }
    if (props.blindAlert !== undefined) {
      add('blindAlert', 'is set, but the SLI is a time-slice SLI: a metric that stops publishing is judged by its `missingData` (SliceMissingData.BAD counts silent slices as bad); leave blindAlert out');
    }
    if (fit.tiers.length === 0 && fit.tooLong.length > 0) {
      add('alerting.tiers', `has no tier whose windows CloudWatch can evaluate in ${formatWindow(sliceSeconds)} slices (at most ${formatWindow(longestSliceWindowSeconds(sliceSeconds))} `
        + 'of datapoints for periods under an hour): use shorter windows, or a slice of 1 hour');
    }
    sliceTooLong = fit.tooLong;
    tiers = fit.tiers;
  }
  const identity = metricIdentityProblems(Object.values(binding.usingMetrics));
  identity.refused.forEach((p) => add('sli', `metric ${p.metric}: ${p.message}`));
  if (binding.metricCount > MAX_METRICS_PER_ALARM) {
    add('sli', `reads ${binding.metricCount} metrics, but a CloudWatch metric-math alarm may read at most ${MAX_METRICS_PER_ALARM}: `
      + 'combine counts upstream (e.g. one metric published by the service) or split the SLO');
  }
  add('sli', regionProblem(slo, binding));
  for (const severity of [Severity.PAGE, Severity.TICKET]) {
    const severityTiers = tiers.filter((t) => t.severity === severity);
    const ruleLength = compositeRuleLength(props.serviceName, props.name, severityTiers)
      + (blind?.severity === severity ? ' OR ALARM("")'.length + ALARM_ARN_PREFIX_LENGTH + blindAlarmName(props.serviceName, props.name).length : 0);
    if (ruleLength > MAX_ALARM_RULE_LENGTH) {
      add('alerting.tiers', `has ${severityTiers.length} ${severity} tiers: the ${severity} composite alarm's rule would reach about ${ruleLength} characters once its alarm ARNs are `
        + `resolved, over CloudWatch's limit of ${MAX_ALARM_RULE_LENGTH}. Use fewer ${severity} tiers (or shorter service and SLO names)`);
    }
  }
  if (problems.length === 0 && resolution.tiers.length === 0) {
    add('objective', `${props.objective} leaves an error budget of ${formatDecimal(100 - props.objective)}%, so even 100% errors burn at most `
      + `${maximumBurnRate(props.objective)}x, below every tier's threshold (${resolution.unreachable.map((t) => `${t.burnRate}x`).join(', ')}): `
      + 'no alarm could ever fire. Raise the objective or use tiers with a lower budget share or longer windows');
  }
  fail();

  const holder = claimPhysicalName(slo, 'slo', `${props.serviceName}-${props.name}`);
  if (holder !== undefined) {
    throw new Error(`${where}: name: SLO '${props.name}' of service '${props.serviceName}' is already declared by ${holder} in the same account `
      + `and region (${environmentOf(slo)}); its alarm names would collide at deploy time`);
  }
  // a preset refuses such values itself, naming its prop; these are the user's own metrics
  const whitespace = props.sli instanceof PresetSli ? [] : identity.whitespace;
  return { windowSeconds, resolution: { ...resolution, tiers }, binding, blind, whitespace, sliceTooLong };
}

/** The tiers of an alerting policy, or `undefined` when it has no list of them (or asking throws). */
function tierInputsOf(alerting: unknown, toTierInputs: Function): TierInput[] | undefined {
  try {
    const inputs = toTierInputs.call(alerting);
    return Array.isArray(inputs) ? inputs : undefined;
  } catch {
    return undefined;
  }
}

/** Why the policy's list of tiers could not be read, or `undefined`. */
function tiersProblemOf(alerting: unknown, unreadableTiers: Function): string | undefined {
  try {
    const problem = unreadableTiers.call(alerting);
    return typeof problem === 'string' ? problem : undefined;
  } catch {
    return undefined;
  }
}

/** The blind alert's props, checked, with defaults; problems go to `add`. */
function blindAlertConfig(given: unknown, add: (prop: string, message: string | undefined) => void): BlindAlertConfig | undefined {
  if (!isRecord(given)) {
    add('blindAlert', `must be { severity?, after?, expectedEvents? } (an empty object turns it on with the defaults), got ${describeValue(given)}`);
    return undefined;
  }
  const props: BlindAlertProps = {
    severity: safeMember(given, 'severity') as Severity | undefined,
    after: safeMember(given, 'after') as Duration | undefined,
    expectedEvents: safeMember(given, 'expectedEvents') as number | undefined,
  };
  let valid = true;
  const check = (prop: string, message: string | undefined) => {
    if (message) {
      valid = false;
      add(`blindAlert.${prop}`, message);
    }
  };
  const severity = props.severity ?? Severity.PAGE;
  check('severity', severity === Severity.PAGE || severity === Severity.TICKET ? undefined
    : `must be Severity.PAGE or Severity.TICKET, got ${describeValue(props.severity)}`);
  const after = readDuration(props.after ?? DEFAULT_BLIND_ALERT_AFTER, { example: 'Duration.minutes(15)', concreteBecause: 'the alarm period is fixed at synth time' });
  const afterSeconds = after.ok ? after.seconds : NaN;
  if (!after.ok) {
    check('after', after.problem);
  } else {
    const problem = windowProblem(afterSeconds);
    check('after', problem ?? (afterSeconds < MIN_BLIND_ALERT_AFTER_SECONDS
      ? `must be at least 5 minutes: service metrics reach CloudWatch 1-3 minutes late, so the newest minutes of the window are always empty `
        + `and a shorter window would fire on healthy traffic; got ${formatWindow(afterSeconds)}`
      : undefined));
  }
  const expectedEvents = props.expectedEvents ?? 1;
  check('expectedEvents', minimumEventsProblem(expectedEvents));
  return valid ? { severity, afterSeconds, expectedEvents } : undefined;
}

/**
 * Lambda timestamps an invocation's `Errors` and `Duration` at its start ("The timestamp on a
 * metric reflects when the function was invoked … if your function has a 10-minute timeout, look
 * more than 10 minutes in the past for accurate metrics", AWS Lambda Developer Guide, "Viewing
 * metrics for Lambda functions"). An invocation that fails after running longer than a tier's
 * short window is counted in a minute that window has already left when the failure arrives: a
 * burn made of such failures may never reach the short window, and the tier never fires.
 */
function warnLambdaTimeout(slo: Construct, where: string, fn: IFunction, tiers: ResolvedTier[]): void {
  const timeout = lambdaTimeoutSeconds(fn);
  if (timeout === undefined) {
    return;
  }
  const exposed = tiers.filter((t) => t.shortWindowSeconds < timeout);
  if (exposed.length === 0) {
    return;
  }
  const shortest = Math.min(...exposed.map((t) => t.shortWindowSeconds));
  Annotations.of(slo).addWarningV2('cdk-reliability:lambda-timeout-exceeds-short-window',
    `${where}: sli: function ${fn.node.path} may run for up to ${formatWindow(timeout)} (its timeout), longer than the short window of `
    + `${exposed.map((t) => `${t.id} (${formatWindow(t.shortWindowSeconds)})`).join(', ')}. Lambda timestamps an invocation's Errors and Duration `
    + `at its start, so a failure that comes after more than ${formatWindow(shortest)} is counted in minutes that window has already left: `
    + 'a burn made of slow failures may never reach it, and the tier does not fire. Lower the function\'s timeout under the short window, '
    + 'give those tiers a short window at least as long as the timeout (AlertPolicy.fromTiers([{ ..., shortWindow }])), or count failures where '
    + 'they end (e.g. a metric the caller publishes); acknowledge this warning if its invocations always finish well within the window');
}

/**
 * A time-slice tier whose long window fires on one bad slice (M = 1): at high objectives or coarse
 * slices the tier's share of bad slices is under one slice, so a single late canary run or a
 * metric that arrived late pages. A ratio SLI has no such floor, because one window holds many
 * events; a slice is a whole unit. The objective at which M becomes 2 is 100 × (1 − 1/(burn × N)).
 */
function warnOneBadSlice(slo: Construct, where: string, objective: number, sliceSeconds: number, tiers: ResolvedTier[]): void {
  for (const tier of tiers) {
    const slices = sliceCount(tier.longWindowSeconds, sliceSeconds);
    if (slicesToAlarm(tier.errorRatioThreshold, slices) !== 1) {
      continue;
    }
    const atMost = 100 * (1 - 1 / (tier.burnRate * slices));
    Annotations.of(slo).addWarningV2('cdk-reliability:one-bad-slice-fires',
      `${where}: one bad ${formatWindow(sliceSeconds)} slice fires the ${tier.severity} tier ${formatWindow(tier.longWindowSeconds)}/${formatWindow(tier.shortWindowSeconds)}: `
      + `its ${formatWindow(tier.longWindowSeconds)} window holds ${slices} slices and the tier allows ${formatDecimal(tier.errorRatioThreshold * slices)} of them `
      + `(burn ${tier.burnRate}x of a ${formatDecimal(100 - objective)}% budget), so a single bad slice (a late or failed run, a metric that arrived late) `
      + `${tier.severity === 'page' ? 'pages' : 'opens a ticket'}. `
      + (atMost > 0 ? `An objective of at most ${formatDecimal(Math.floor(atMost * 1000) / 1000)}% needs 2 bad slices; ` : '')
      + 'or acknowledge this warning if one bad slice should alert');
  }
}

/** The timeout of a function (through aliases and versions), when it is known at synth. */
function lambdaTimeoutSeconds(fn: IFunction): number | undefined {
  let current: unknown = fn;
  for (let hop = 0; hop < 3 && typeof current === 'object' && current !== null; hop++) {
    const timeout = (current as { timeout?: unknown }).timeout;
    if (timeout instanceof Duration) {
      return timeout.isUnresolved() ? undefined : timeout.toSeconds({ integral: false });
    }
    current = (current as { lambda?: unknown }).lambda; // Alias and Version point at their function
  }
  return undefined;
}

/**
 * CloudWatch alarms watch metrics of their own region only. A metric pinned to another region
 * would fail at synth with a CDK error, or, in an environment-agnostic stack, silently watch the
 * same-named metric of whatever region the stack is deployed to.
 */
function regionProblem(scope: Construct, binding: SliBinding): string | undefined {
  const stackRegion = Stack.of(scope).region;
  const regions = new Set<string>();
  const visit = (metric: IMetric) => {
    const config = metric.toMetricConfig();
    if (config.metricStat?.region !== undefined && !Token.isUnresolved(config.metricStat.region)) {
      regions.add(config.metricStat.region);
    }
    Object.values(config.mathExpression?.usingMetrics ?? {}).forEach(visit);
  };
  Object.values(binding.usingMetrics).forEach(visit);
  const foreign = [...regions].filter((r) => Token.isUnresolved(stackRegion) || r !== stackRegion);
  if (foreign.length === 0) {
    return undefined;
  }
  return Token.isUnresolved(stackRegion)
    ? `reads metrics pinned to region ${foreign.join(', ')}, but the stack is environment-agnostic, so the alarms would watch `
      + `the deploy region instead: give the stack an env with that region (env: { region: '${foreign[0]}' }); a metric you pinned `
      + 'yourself may instead drop its region, but a metric AWS publishes in that region only (e.g. CloudFront\'s, in us-east-1) needs a stack there'
    : `reads metrics of region ${foreign.join(', ')}, but CloudWatch alarms only watch metrics of their own region (${stackRegion}): `
      + 'declare the SLO in a stack of that region';
}

/**
 * The length a severity's composite alarm rule reaches once its alarm ARNs are resolved:
 * `(ALARM("<long>") AND ALARM("<short>")) OR …`, one term per tier.
 */
function compositeRuleLength(serviceName: string, sloName: string, tiers: ResolvedTier[]): number {
  return tiers.reduce((sum, tier) => sum + '(ALARM("") AND ALARM("")) OR '.length
    + 2 * ALARM_ARN_PREFIX_LENGTH + windowAlarmName(serviceName, sloName, tier, 'long').length + windowAlarmName(serviceName, sloName, tier, 'short').length, 0);
}
