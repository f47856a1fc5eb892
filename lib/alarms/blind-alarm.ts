/**
 * The opt-in "SLI went blind" alarm of an SLO (what Pyrra calls its absent alert): the SLI has
 * counted fewer than `expectedEvents` events over the last `after` on a service that normally has
 * traffic.
 *
 * Why: the burn-rate alarms read a window without events as healthy (no traffic must never page),
 * so an outage that stops the SLI's total metric is invisible to them — a load balancer with no
 * healthy target refuses every request before `RequestCount` counts it, a renamed stage or
 * function leaves the alarms watching a metric that no longer receives data, a broken client or
 * DNS record sends nobody. This alarm is what notices that silence.
 *
 * The alarm, on CloudWatch's documented semantics:
 * - a metric-math alarm, `FILL(<total events>, 0) < expectedEvents`, Period = `after`, one
 *   evaluation period, one datapoint to alarm; it reads only the metrics of the SLI's total.
 * - AWS service count metrics publish nothing in idle minutes (absent, not 0). "Configuring how
 *   CloudWatch alarms treat missing data" (CloudWatch User Guide) says that when the newest
 *   datapoints of the evaluation range are missing but older ones exist, the alarm is judged on the
 *   most recent existing ones and `TreatMissingData` is ignored: an alarm on the raw total would go
 *   on reading the last busy window as healthy for several periods after the metric stopped.
 *   `FILL(m, 0)` ("Metric math syntax and functions": fills the missing values of a time series)
 *   gives the empty window an explicit 0, so the alarm judges the silence itself.
 * - When the metric has no datapoint at all in the range (it never existed, or stopped long ago)
 *   there may be nothing to fill: `TreatMissingData: breaching` makes that ALARM too.
 * - The FILL caveat in the same page (a metric that arrives late leaves the newest minute empty,
 *   which FILL then fills) does not bite with Period = `after` >= 5 minutes: the newest datapoint
 *   sums the whole window, and 1-3 minutes of ingestion delay only shorten what it has seen.
 *
 * What it sees: the SLI's total counted fewer events than expected for `after` — whether customers
 * stopped coming or the metric stopped existing. Detection: about `after` after the last event
 * reached CloudWatch. It clears as soon as a window holds `expectedEvents` events again.
 * What it does not see: a quiet period is indistinguishable from an outage (CloudWatch publishes
 * no datapoint either way), so set `after` and `expectedEvents` to the quietest normal traffic;
 * a total that keeps flowing while customers fail (health checks or synthetic traffic counted as
 * events, or errors the SLI does not count); traffic that drops without falling under
 * `expectedEvents`. A brand-new service without traffic yet is blind from its first deploy.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm, AlarmRule, AlarmState, ComparisonOperator, IMetric, MathExpression, TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { countMetrics } from '../sli/metrics';
import { SliBinding } from '../sli/sli-definition';
import { blindAlarmName, compositeAlarmName } from '../slo/names';
import { Severity } from '../slo/tiers';
import { formatWindow } from '../slo/windows';
import { formatPercent, MAX_DESCRIPTION_LENGTH, SloFacts } from './descriptions';
import type { CompositeCondition } from './slo-alarms';
import { formatDecimal } from '../private/format';

/** The blind alert as configured, defaults applied. */
export interface BlindAlertConfig {
  readonly severity: Severity;
  /** The alarm's period: how long the SLI may count too few events. */
  readonly afterSeconds: number;
  /** The alarm fires when a window holds fewer events than this. */
  readonly expectedEvents: number;
}

/**
 * The events the blind alarm counts: the SLI's traffic (`trafficEvents`, e.g. a latency SLI's
 * samples, also in windows without a trimmed count), else its total.
 */
export function blindEvents(sli: SliBinding): string {
  return sli.trafficEvents ?? sli.totalEvents;
}

/** The expression the blind alarm evaluates, and the metrics it reads (only those of its events). */
export function blindAlarmExpression(sli: SliBinding): { readonly expression: string; readonly usingMetrics: Record<string, IMetric>; readonly metricCount: number } {
  const events = blindEvents(sli);
  const usingMetrics: Record<string, IMetric> = {};
  let metricCount = 0;
  for (const [id, metric] of Object.entries(sli.usingMetrics)) {
    if (new RegExp(`\\b${id}\\b`).test(events)) {
      usingMetrics[id] = metric;
      metricCount += countMetrics(metric);
    }
  }
  return { expression: filled(events), usingMetrics, metricCount };
}

/** `expression` as FILL(…, 0), unless it already is one FILL call (the SLIs fill their metrics; a custom `ISli` may not). */
function filled(expression: string): string {
  const text = expression.trim();
  const fill = /^FILL\(/.exec(text);
  if (fill) {
    let depth = 0;
    for (let i = 4; i < text.length; i++) {
      depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
      if (depth === 0) {
        if (i === text.length - 1) {
          return text;
        }
        break;
      }
    }
  }
  return `FILL(${text}, 0)`;
}

/** `fewer than 1 event over the last 15m`. */
export function describeBlindCondition(config: BlindAlertConfig): string {
  return `fewer than ${formatDecimal(config.expectedEvents)} event${config.expectedEvents === 1 ? '' : 's'} over the last ${formatWindow(config.afterSeconds)}`;
}

function runbook(f: SloFacts): string {
  return f.runbookUrl ? ` Runbook: ${f.runbookUrl}` : '';
}

/** Fits CloudWatch's 1 024 characters, cutting before the runbook (kept whole) and never inside a surrogate pair. */
function clamp(text: string, tail: string): string {
  const full = `${text}${tail}`;
  if (full.length <= MAX_DESCRIPTION_LENGTH) {
    return full;
  }
  let head = text.slice(0, MAX_DESCRIPTION_LENGTH - tail.length - 1);
  if (/[\uD800-\uDBFF]$/.test(head)) {
    head = head.slice(0, -1);
  }
  return `${head}…${tail}`;
}

/** The blind alarm's description: what it watches, why it matters, what to check, and where it notifies. */
export function blindAlarmDescription(f: SloFacts, config: BlindAlertConfig, expression: string): string {
  const composite = compositeAlarmName(f.serviceName, f.sloName, config.severity);
  return clamp(
    `SLI blind (${config.severity}): ALARM when the SLI of SLO ${f.serviceName}/${f.sloName} counts ${describeBlindCondition(config)} `
    + `(${expression}; no data at all is breaching), on a service that normally has traffic. The burn-rate tiers read a window `
    + 'without events as healthy, so while the SLI counts nothing they cannot fire, whatever customers get. Check that customers reach the '
    + 'service and that its metrics still exist (no healthy target behind the load balancer, a renamed API, stage or function, a deleted '
    + `resource, a broken client or DNS record). Notifies only through ${composite}. SLO: ${f.objective}% good over ${formatWindow(f.sloWindowSeconds)} `
    + `(error budget ${formatPercent(f.errorBudget)}); SLI: ${f.sliDescription}.`,
    runbook(f),
  );
}

/**
 * What the blind alarm adds to its composite, completing "ALARM while …":
 * `the SLI is blind: fewer than 1 event over the last 15m (checkout-availability-blind)`.
 */
export function blindCondition(f: SloFacts, config: BlindAlertConfig): string {
  return `the SLI is blind: ${describeBlindCondition(config)} (${blindAlarmName(f.serviceName, f.sloName)})`;
}

/** What `createBlindAlarm` built. */
export interface BlindAlarmSet {
  readonly alarm: Alarm;
  /** The alarm as one more condition of the composite of its severity, for `createSloAlarms`. */
  readonly condition: CompositeCondition;
  /** Metrics the alarm reads. */
  readonly metricCount: number;
}

/**
 * Creates the blind alarm in `scope`. It notifies nobody itself: `createSloAlarms` makes it one
 * more term of the SLO's composite of its severity (`((<tier>) OR (<tier>) OR ALARM(blind))`), so
 * that it notifies the way that severity does (escalation, tags, FIS stop conditions for pages)
 * under the composite names the escalation function reads; a severity without a tier that can fire
 * gets its composite, under the same name, for the blind alarm alone.
 */
export function createBlindAlarm(scope: Construct, facts: SloFacts, sli: SliBinding, config: BlindAlertConfig): BlindAlarmSet {
  const { expression, usingMetrics, metricCount } = blindAlarmExpression(sli);
  const alarm = new Alarm(scope, 'blind', {
    alarmName: blindAlarmName(facts.serviceName, facts.sloName),
    alarmDescription: blindAlarmDescription(facts, config, expression),
    metric: new MathExpression({
      expression,
      usingMetrics,
      period: Duration.seconds(config.afterSeconds),
      label: `${facts.serviceName}/${facts.sloName} events over ${formatWindow(config.afterSeconds)}`,
    }),
    threshold: config.expectedEvents,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: TreatMissingData.BREACHING,
  });
  const condition: CompositeCondition = {
    severity: config.severity,
    rule: AlarmRule.fromAlarm(alarm, AlarmState.ALARM),
    description: blindCondition(facts, config),
  };
  return { alarm, condition, metricCount };
}
