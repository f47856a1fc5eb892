/**
 * Wiring an SLO's resolved tiers into CloudWatch alarms: one metric-math alarm per (tier, window)
 * with Period = window, and one composite alarm per severity:
 *
 *   page   = OR over page tiers of (ALARM(long) AND ALARM(short)) [OR each extra condition of page]
 *   ticket = the same over ticket tiers, its actions suppressed while the page is in ALARM
 *
 * An extra condition (the SLO's blind alarm) is one more term of its severity's OR list, so the
 * composite is built once with every term and its description names each; a severity without a
 * tier that can fire gets a composite when it has an extra condition.
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import {
  Alarm, AlarmRule, AlarmState, ComparisonOperator, CompositeAlarm, IAlarmRule, IMetric, MathExpression, TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { metricPeriods } from '../sli/metrics';
import { SliBinding } from '../sli/sli-definition';
import { longWindowGuardEvents } from '../slo/burn-rate';
import { sliceCount, slicesToAlarm } from '../slo/time-slices';
import { compositeAlarmName, TierWindow, windowAlarmName } from '../slo/names';
import { ResolvedTier, Severity } from '../slo/tiers';
import { formatWindow } from '../slo/windows';
import { compositeAlarmDescription, SloFacts, windowAlarmDescription } from './descriptions';
import { burnRateExpression } from './expression';

/** How long the ticket composite waits for, and keeps, the page's suppression. */
export const SUPPRESSOR_WAIT = Duration.minutes(1);
export const SUPPRESSOR_EXTENSION = Duration.minutes(1);

/** One metric-math alarm of one window of one tier: `<service>-<slo>-<tier id>-<long|short>`. */
export interface SloWindowAlarm {
  /** The tier the alarm belongs to, with its thresholds. */
  readonly tier: ResolvedTier;
  /** Which of the tier's windows this alarm watches. */
  readonly window: TierWindow;
  /** The window in seconds, which is also the alarm's period. */
  readonly windowSeconds: number;
  /** The alarm: it fires when the burn rate over the window exceeds the tier's threshold. */
  readonly alarm: Alarm;
}

/** What `createSloAlarms` builds. */
export interface SloAlarmSet {
  readonly windowAlarms: SloWindowAlarm[];
  /** @default - none when no page tier can fire */
  readonly pageAlarm?: CompositeAlarm;
  /** @default - none when no ticket tier is configured or can fire */
  readonly ticketAlarm?: CompositeAlarm;
}

/** A condition besides the burn-rate tiers that raises a severity's composite (the SLO's blind alarm). */
export interface CompositeCondition {
  readonly severity: Severity;
  /** One more term of the composite's OR list, e.g. `AlarmRule.fromAlarm(blind, AlarmState.ALARM)`. */
  readonly rule: IAlarmRule;
  /**
   * What the rule watches, completing "ALARM while …" in the composite's description:
   * `the SLI is blind: fewer than 1 event over the last 15m (checkout-availability-blind)`.
   */
  readonly description: string;
}

/** Everything needed to build an SLO's alarms. */
export interface SloAlarmInput {
  readonly facts: SloFacts;
  readonly tiers: ResolvedTier[];
  readonly sli: SliBinding;
  /** @default - the composites read the tiers only */
  readonly extraConditions?: readonly CompositeCondition[];
}

/**
 * The burn-rate metric of one window: the expression the window alarms evaluate. With `idSuffix`,
 * every metric id (also inside nested math expressions) gets the suffix, so that several windows
 * can share one graph (CloudWatch needs ids unique within a graph).
 *
 * @param guardEvents the window is judged as if it held at least this many events (see
 *   `longWindowGuardEvents`); `false` for none (short windows, dashboards)
 */
export function burnRateMetric(input: Pick<SloAlarmInput, 'facts' | 'sli'>, windowSeconds: number, guardEvents: number | false, idSuffix?: string): MathExpression {
  const expression = burnRateExpression(input.sli, input.facts.errorBudget, guardEvents === false ? 1 : guardEvents);
  const usingMetrics = withoutPeriods(input.sli.usingMetrics);
  const renamed = idSuffix ? withIdSuffix(expression, usingMetrics, idSuffix) : { expression, usingMetrics };
  return new MathExpression({
    expression: renamed.expression,
    usingMetrics: renamed.usingMetrics,
    period: Duration.seconds(windowSeconds),
    label: `${input.facts.serviceName}/${input.facts.sloName} burn rate`,
  });
}

/**
 * The bad-slice indicator of a time-slice SLI as a metric (1 for a bad slice, 0 for a good one),
 * with the slice as its period: what its window alarms count. `idSuffix` as for `burnRateMetric`.
 */
export function badSliceMetric(input: Pick<SloAlarmInput, 'facts' | 'sli'>, idSuffix?: string): MathExpression {
  const slice = input.sli.timeSlice!;
  const usingMetrics = withoutPeriods(input.sli.usingMetrics);
  const renamed = idSuffix ? withIdSuffix(slice.badSlice, usingMetrics, idSuffix) : { expression: slice.badSlice, usingMetrics };
  return new MathExpression({
    expression: renamed.expression,
    usingMetrics: renamed.usingMetrics,
    period: Duration.seconds(slice.sliceSeconds),
    label: `${input.facts.serviceName}/${input.facts.sloName} bad slice`,
  });
}

/**
 * A time-slice window alarm: M out of N slices bad, N = window / slice, M = floor(threshold × N) + 1
 * (see `lib/sli/time-slice.ts`), a missing slice bad or good as the SLI says.
 */
function badSlicesAlarm(input: SloAlarmInput, tier: ResolvedTier, windowSeconds: number) {
  const slice = input.sli.timeSlice!;
  const slices = sliceCount(windowSeconds, slice.sliceSeconds);
  return {
    metric: badSliceMetric(input),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: slices,
    datapointsToAlarm: slicesToAlarm(tier.errorRatioThreshold, slices),
    treatMissingData: slice.missingSliceIsBad ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
  };
}

/** The number of events a tier's long window is judged against (its low-traffic guard). */
export function tierGuardEvents(facts: Pick<SloFacts, 'minimumEvents'>, tier: ResolvedTier): number {
  return longWindowGuardEvents(tier.errorRatioThreshold, facts.minimumEvents);
}

/**
 * The metrics with CloudWatch's default period instead of one of their own: the alarm sets every
 * metric's period to its window anyway (every metric of a math alarm uses the alarm's period), and
 * aws-cdk-lib warns about each overridden period, once per alarm. The SLIs of this library already
 * give their metrics no period; this covers an `ISli` implemented elsewhere.
 */
function withoutPeriods(usingMetrics: Record<string, IMetric>): Record<string, IMetric> {
  const out: Record<string, IMetric> = {};
  for (const [id, metric] of Object.entries(usingMetrics)) {
    const config = metric.toMetricConfig();
    if (config.mathExpression) {
      out[id] = new MathExpression({ expression: config.mathExpression.expression, usingMetrics: withoutPeriods(config.mathExpression.usingMetrics) });
    } else if (config.metricStat && metricPeriods(metric).length > 0 && typeof (metric as { with?: unknown }).with === 'function') {
      out[id] = (metric as IMetric & { with(props: { period: Duration }): IMetric }).with({ period: Duration.minutes(5) });
    } else {
      out[id] = metric;
    }
  }
  return out;
}

/** Renames every metric id of an expression (recursively) by appending `suffix`. */
function withIdSuffix(expression: string, usingMetrics: Record<string, IMetric>, suffix: string): { expression: string; usingMetrics: Record<string, IMetric> } {
  let text = expression;
  const renamed: Record<string, IMetric> = {};
  for (const [id, metric] of Object.entries(usingMetrics)) {
    text = text.replace(new RegExp(`\\b${id}\\b`, 'g'), `${id}${suffix}`);
    const math = metric.toMetricConfig().mathExpression;
    renamed[`${id}${suffix}`] = math
      ? (() => {
        const inner = withIdSuffix(math.expression, math.usingMetrics, suffix);
        return new MathExpression({ expression: inner.expression, usingMetrics: inner.usingMetrics });
      })()
      : metric;
  }
  return { expression: text, usingMetrics: renamed };
}

/** Creates the window alarms and composites of one SLO in `scope`. */
export function createSloAlarms(scope: Construct, input: SloAlarmInput): SloAlarmSet {
  const { facts } = input;
  const windowAlarms: SloWindowAlarm[] = [];
  const rules = new Map<Severity, IAlarmRule[]>();

  statePeriodsOnce(scope, input);
  warnOfWindowsShorterThanTheDelay(scope, input);
  for (const tier of input.tiers) {
    const compositeName = compositeAlarmName(facts.serviceName, facts.sloName, tier.severity);
    const pair = [TierWindow.LONG, TierWindow.SHORT].map((window) => {
      const windowSeconds = window === TierWindow.LONG ? tier.longWindowSeconds : tier.shortWindowSeconds;
      const alarm = new Alarm(scope, `${tier.id}-${window}`, {
        alarmName: windowAlarmName(facts.serviceName, facts.sloName, tier, window),
        alarmDescription: windowAlarmDescription(facts, tier, window, compositeName),
        ...(input.sli.timeSlice
          ? badSlicesAlarm(input, tier, windowSeconds)
          : {
            metric: burnRateMetric(input, windowSeconds, window === TierWindow.LONG ? tierGuardEvents(facts, tier) : false),
            threshold: tier.burnRate,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      });
      windowAlarms.push({ tier, window, windowSeconds, alarm });
      return AlarmRule.fromAlarm(alarm, AlarmState.ALARM);
    });
    const list = rules.get(tier.severity) ?? [];
    list.push(AlarmRule.allOf(...pair));
    rules.set(tier.severity, list);
  }

  const composite = (severity: Severity, suppressor?: CompositeAlarm): CompositeAlarm | undefined => {
    const tierRules = rules.get(severity) ?? [];
    const extra = (input.extraConditions ?? []).filter((c) => c.severity === severity);
    if (tierRules.length === 0 && extra.length === 0) {
      return undefined;
    }
    const name = compositeAlarmName(facts.serviceName, facts.sloName, severity);
    const tiers = input.tiers.filter((t) => t.severity === severity);
    const terms = [...tierRules, ...extra.map((c) => c.rule)];
    return new CompositeAlarm(scope, severity, {
      compositeAlarmName: name,
      alarmDescription: compositeAlarmDescription(
        facts, severity, tiers,
        // a composite of extra conditions only says what it reads, as it always has
        suppressor && tiers.length > 0 ? compositeAlarmName(facts.serviceName, facts.sloName, Severity.PAGE) : undefined,
        extra.map((c) => c.description),
      ),
      // one term alone is the rule itself (`ALARM("blind")`), several are one flat OR list
      alarmRule: terms.length === 1 && tierRules.length === 0 ? terms[0] : AlarmRule.anyOf(...terms),
      ...(suppressor ? {
        actionsSuppressor: suppressor,
        actionsSuppressorWaitPeriod: SUPPRESSOR_WAIT,
        actionsSuppressorExtensionPeriod: SUPPRESSOR_EXTENSION,
      } : {}),
    });
  };

  const pageAlarm = composite(Severity.PAGE);
  const ticketAlarm = composite(Severity.TICKET, pageAlarm);
  return { windowAlarms, pageAlarm, ticketAlarm };
}

/**
 * Says once per SLO, as information (there is nothing to fix), that the periods the SLI's metrics
 * were given are not used: each window alarm evaluates its window as the period ("Alarms on math
 * expressions" in "Using Amazon CloudWatch alarms": "A math expression used for an alarm can
 * include as many as 10 metrics. Each metric must be using the same period."). aws-cdk-lib would
 * otherwise warn about every overridden period, once per alarm (eight for the default policy).
 */
function statePeriodsOnce(scope: Construct, input: SloAlarmInput): void {
  const given = new Set(input.sli.replacedPeriodSeconds ?? []);
  Object.values(input.sli.usingMetrics).forEach((m) => metricPeriods(m).forEach((p) => given.add(p)));
  if (given.size === 0) {
    return;
  }
  const windows = [...new Set(input.tiers.flatMap((t) => [t.shortWindowSeconds, t.longWindowSeconds]))].sort((a, b) => a - b);
  Annotations.of(scope).addInfo(`${input.facts.serviceName}/${input.facts.sloName}: the SLI's metrics were given a period of `
    + `${[...given].sort((a, b) => a - b).map(formatWindow).join(', ')}; it is not used: each alarm evaluates its alert window as the period `
    + `(${windows.map(formatWindow).join(', ')}), as CloudWatch reads every metric of a math alarm with the alarm's period.`);
}

/** Windows shorter than this may hold no data yet when evaluated: AWS service metrics arrive 1-3 minutes late. */
export const MIN_WINDOW_UNDER_INGESTION_DELAY_SECONDS = 300;

/**
 * Warns once per SLO about windows shorter than 5 minutes. Each alarm reads the window ending now,
 * and its metrics are read through FILL(m, 0), which also fills the newest datapoint when the data
 * has not arrived yet (the FILL note in "Metric math syntax and functions",
 * docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html: with metrics
 * "published with a slight delay ... the latest data point for the metric [is] always the FILL
 * value"). AWS service metrics arrive 1-3 minutes late, so a 1- or 2-minute window reads 0 errors
 * most of the time and its tier can hardly fire.
 */
function warnOfWindowsShorterThanTheDelay(scope: Construct, input: SloAlarmInput): void {
  const short = input.tiers.filter((t) => t.shortWindowSeconds < MIN_WINDOW_UNDER_INGESTION_DELAY_SECONDS);
  if (short.length === 0) {
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-reliability:window-shorter-than-ingestion-delay',
    `${input.facts.serviceName}/${input.facts.sloName}: the tier${short.length > 1 ? 's' : ''} `
    + `${short.map((t) => `${t.severity} ${formatWindow(t.longWindowSeconds)}/${formatWindow(t.shortWindowSeconds)}`).join(', ')} `
    + `${short.length > 1 ? 'use' : 'uses'} a window shorter than 5 minutes. AWS service metrics arrive 1-3 minutes late and each alarm reads its newest window, in which `
    + 'a metric without data yet reads 0: such a window sees no errors for most of its evaluations, and its tier can hardly fire. '
    + 'Use short windows of 5 minutes or more (the Workbook\'s shortest is 5m).');
}
