/**
 * Evaluates an SLO's synthesized alarms offline, minute by minute, the way CloudWatch documents
 * it, on what each metric publishes every minute (a `Scenario`): then the composite rules and the
 * actions suppressor. Pure: the same engine proves the default policy in the tests and runs the
 * `simulate` command.
 *
 * The rules modelled, each from the AWS documentation:
 *
 * 1. Sliding windows. "Using Amazon CloudWatch alarms", Evaluating an alarm
 *    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html):
 *    "For any period of one minute or longer, an alarm is evaluated every minute and the
 *    evaluation is based on the window of time defined by the Period and Evaluation Periods. For
 *    example, if the Period is 5 minutes (300 seconds) and Evaluation Periods is 1, then at the end
 *    of minute 5 the alarm evaluates based on data from minutes 1 to 5. Then at the end of minute
 *    6, the alarm is evaluated based on the data from minutes 2 to 6." Here: the evaluation at the
 *    end of minute `i` reads datapoint k = 0 over minutes `i - P + 1 .. i`, and the older
 *    datapoints of its evaluation range over the periods before it (k = 1, 2, ...).
 *
 * 2. The evaluation range. "Configuring how CloudWatch alarms treat missing data", How alarm
 *    state is evaluated when data is missing
 *    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
 *    "Whenever an alarm evaluates whether to change state, CloudWatch attempts to retrieve a higher
 *    number of data points than the number specified as Evaluation Periods. [...] The time frame of
 *    the data points that it attempts to retrieve is the evaluation range." Then: "If some data
 *    points in the evaluation range are missing, but the total number of existing data points that
 *    were successfully retrieved from the evaluation range is equal to or more than the alarm's
 *    Evaluation Periods, CloudWatch evaluates the alarm state based on the most recent real data
 *    points that were successfully retrieved, including the necessary extra data points from
 *    farther back in the evaluation range. In this case, the value you set for how to treat missing
 *    data is not needed and is ignored." And: "CloudWatch alarms might repeatedly re-evaluate the
 *    last set of data points for a period of time after the metric has stopped flowing." The docs
 *    give the range only by example ("CloudWatch retrieves the 5 most recent data points when
 *    evaluating the alarm [...] 5 is the evaluation range" for Evaluation Periods 3) and say it
 *    "depends on the length of the alarm period"; the model takes Evaluation Periods + 2
 *    datapoints, as in that example (`EvaluationOptions.extraRangeDatapoints`).
 *
 * 3. Treat missing data, only when the whole range is empty (same page): "notBreaching – Missing
 *    data points are treated as "good" and within the threshold; breaching – [...] "bad" and
 *    breaching the threshold; ignore – The current alarm state is maintained; missing – If all data
 *    points in the alarm evaluation range are missing, the alarm transitions to INSUFFICIENT_DATA."
 *    With Evaluation Periods 1, one existing datapoint in the range is enough, so the setting
 *    applies only when no datapoint at all exists in the range. And (PutMetricAlarm,
 *    TreatMissingData): "Alarms that evaluate metrics in the AWS/DynamoDB namespace always ignore
 *    missing data even if you choose a different option for TreatMissingData. When an AWS/DynamoDB
 *    metric has missing data, alarms that evaluate that metric remain in their current state."
 *
 * 4. Metric math on missing values: see metric-math.ts (arithmetic and comparisons read a missing
 *    value as 0 beside another series, division by zero drops the datapoint, IF's rules). FILL over
 *    a series that has no datapoint at all in the evaluation range is not documented: by default
 *    the model gives no datapoint there (FILL only fills the gaps of a series that exists in the
 *    range), the conservative reading; `fillEmptySeries: true` fills such series too. A FILL around
 *    FILLed metrics (`FILL(FILL(a, 0) + FILL(b, 0), 0)`) has a series in the range when one of the
 *    metrics inside has a datapoint there (exact for sums and differences of FILLed metrics).
 *
 * 5. Ingestion delay. Service metrics reach CloudWatch 1-3 minutes after the minute they describe,
 *    and an evaluation reads only what has arrived: "CloudWatch alarms evaluate metrics based on
 *    data points available at a specific moment. Each subsequent alarm evaluation might use
 *    different aggregated data points because new values continue to flow into the CloudWatch
 *    metric" (AWS Knowledge Center, "Why did my CloudWatch alarm trigger when its metric doesn't
 *    have any breaching data points?"); "your metrics are being published with a slight delay, and
 *    the most recent minute never has data" (Metric math syntax and functions, FILL). Here the data
 *    of minute m is visible to the evaluation at the end of minute m + delay: the newest `delay`
 *    minutes of every current window are empty.
 *
 * 6. Composite alarms and the actions suppressor, as before: a composite is ALARM while its rule
 *    holds (`ALARM()`, `OK()`, `INSUFFICIENT_DATA()` of the window alarms); a composite with an
 *    `ActionsSuppressor` performs its actions after the wait period when the suppressor did not go
 *    into ALARM, or once the suppressor has left ALARM and the extension period passed ("When a
 *    suppressor alarm changes states from OK to ALARM, its composite alarm stops taking actions.
 *    When a suppressor alarm changes states from ALARM to OK, its composite alarm resumes taking
 *    actions", "Suppressing composite alarm actions",
 *    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html).
 *
 * 7. M out of N datapoints (a time-slice SLI's window alarms): see `evaluateSliceAlarm`. A
 *    1-minute datapoint is the scenario's value of that minute, whatever the statistic (`Maximum`
 *    of the age of the oldest message); a longer one aggregates its minutes with the statistic
 *    (the largest minute's `Maximum`, the minutes' sum for counts, their mean for `Average`).
 *
 * 8. `Average` over a datapoint of several minutes: CloudWatch's Average is "the value of Sum /
 *    SampleCount during the specified period" ("CloudWatch statistics definitions",
 *    docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html), so for a
 *    metric published as one datapoint a minute it is the mean of the minutes that have one.
 *    Only CloudFront's `5xxErrorRate` is read so (see scenario.ts for that assumption): any other
 *    `Average` in an alarm on one datapoint is refused, as nothing says it is one sample a minute.
 *
 * Not modelled (refused with an error that says so): FILL in M-out-of-N alarms, periods that are
 * not whole minutes, percentiles with periods longer than a minute, metric-math functions other
 * than IF and FILL.
 */
import { AlarmStateName, evaluateAlarmRule } from './alarm-rule';
import { evaluateMetricMathSeries, MathNode, parseMetricMath } from './metric-math';
import { CompositeAlarmModel, ModelMetric, SloAlarmModel, WindowAlarmModel } from './template-alarms';

/** A metric as a scenario is asked about it: a model metric with a key that identifies it. */
export interface MetricIdentity extends ModelMetric {
  /** Namespace, name, dimensions, statistic and unit as one string: equal keys, same metric. */
  readonly key: string;
}

/**
 * What each metric publishes: the value `metric` has for minute `minute` (its datapoints with
 * timestamps in [minute, minute + 1), aggregated with the metric's statistic: a count for `Sum`,
 * `SampleCount` and `TC(...)`), or `undefined` when CloudWatch has no datapoint for it that minute.
 * Minutes before 0 are the history the windows start with.
 */
export type Scenario = (metric: MetricIdentity, minute: number) => number | undefined;

/** Ingestion delay the model uses unless told otherwise, in minutes (service metrics arrive 1-3 minutes late). */
export const DEFAULT_DELAY_MINUTES = 2;

/** Datapoints the evaluation range holds beyond Evaluation Periods unless told otherwise (AWS's example: 3 + 2). */
export const DEFAULT_EXTRA_RANGE_DATAPOINTS = 2;

/** How to evaluate. */
export interface EvaluationOptions {
  /** Minutes to simulate from minute 0: evaluations at the end of minutes 0 to `minutes - 1`. */
  readonly minutes: number;
  /**
   * Ingestion delay, in whole minutes: the data of minute m is visible from the evaluation at the
   * end of minute m + delay. 0 is the ideal model the Workbook's formulas assume.
   * @default DEFAULT_DELAY_MINUTES (2)
   */
  readonly delayMinutes?: number;
  /**
   * Datapoints the evaluation range retrieves beyond the alarm's Evaluation Periods.
   * @default DEFAULT_EXTRA_RANGE_DATAPOINTS (2)
   */
  readonly extraRangeDatapoints?: number;
  /**
   * Whether `FILL(m, v)` also fills a series that has no datapoint at all in the evaluation range
   * (AWS does not document it). False: it stays without datapoints, the conservative model.
   * @default false
   */
  readonly fillEmptySeries?: boolean;
}

/** An alarm changing state. */
export interface Transition {
  /** When the evaluation that changed the state ran: minutes elapsed since the start of minute 0. */
  readonly minute: number;
  readonly alarm: string;
  readonly state: AlarmStateName;
  /** For composites with a suppressor: whether its actions were suppressed at this transition. */
  readonly suppressed?: boolean;
}

/** An alarm performing its actions (notifying whoever its actions reach). */
export interface Notification {
  readonly minute: number;
  readonly alarm: string;
  /** The state the alarm is in, whose actions run. */
  readonly state: AlarmStateName;
  /** True when the actions ran late, once the actions suppressor stopped suppressing them. */
  readonly afterSuppression?: boolean;
}

/** What happened. */
export interface SimulationResult {
  readonly transitions: Transition[];
  /**
   * When the composites performed their actions: at their transitions, or, for a composite with
   * an actions suppressor, after the wait period when the suppressor did not go into ALARM, or
   * once the suppressor has left ALARM and the extension period passed (if the composite is
   * still in the state it was suppressed in).
   */
  readonly notifications: Notification[];
  /** Minutes simulated. */
  readonly minutes: number;
  /** The ingestion delay used, in minutes. */
  readonly delayMinutes: number;
}

/** "No datapoint" in a series (a module constant: hot loops read no global, which is slow in a `vm` context such as jest's). */
const MISSING = Number.NaN;

/** Statistics that count events in a window: sums of counts, sample counts, trimmed counts under a value. */
const COUNT_STATISTICS = /^(Sum|SampleCount|TC\(\s*(\d+(\.\d+)?)?\s*:\s*\d+(\.\d+)?\s*\))$/;

const TREATMENTS = new Set(['missing', 'notBreaching', 'breaching', 'ignore']);

/** State codes of window alarms per evaluation; RETAIN keeps the current state (`ignore`). */
const OK = 0;
const ALARM = 1;
const INSUFFICIENT = 2;
const RETAIN = 3;
const STATE_NAMES: AlarmStateName[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** The identity key of a model metric. */
export function metricIdentityKey(metric: ModelMetric): string {
  const dimensions = Object.keys(metric.dimensions).sort().map((name) => [name, metric.dimensions[name]]);
  return JSON.stringify([metric.namespace, metric.metricName, dimensions, metric.statistic, metric.unit ?? '']);
}

/** The metric as a scenario sees it (one frozen object per key, so that scenarios may cache by identity). */
function identityOf(metric: ModelMetric, known: Map<string, MetricIdentity>): MetricIdentity {
  const key = metricIdentityKey(metric);
  let identity = known.get(key);
  if (!identity) {
    identity = Object.freeze({ ...metric, dimensions: Object.freeze({ ...metric.dimensions }), key });
    known.set(key, identity);
  }
  return identity;
}

/**
 * Why the evaluator cannot read `id` of `alarm` as an event count, or `undefined` when it can.
 * An id may be a metric with a count statistic, or a math expression (`ReturnData: false`) over such
 * metrics and other expressions.
 */
export function unsupportedMetric(alarm: WindowAlarmModel, id: string): string | undefined {
  const metric = alarm.metrics[id];
  if (!metric) {
    const expression = alarm.expressions?.[id];
    return expression !== undefined ? undefined : `alarm ${alarm.name}: expression reads ${id}, which is not one of its metrics`;
  }
  // a 1-minute datapoint is the minute's value whatever the statistic (the scenario aggregates it);
  // an M-out-of-N alarm's longer datapoints aggregate the minutes: counts, Maximum, Minimum, Average
  const sliced = isSliceAlarm(alarm) && periodAggregate(metric.statistic) !== undefined;
  if (!COUNT_STATISTICS.test(metric.statistic) && !isMinuteRate(metric) && alarm.periodSeconds !== 60 && !sliced) {
    return `alarm ${alarm.name}: ${id} (${metric.namespace} ${metric.metricName}) uses the statistic ${metric.statistic}; `
      + 'the simulator models count statistics (Sum, SampleCount, TC(:x)) only: they add up minute by minute (any statistic with a period of 1 minute, '
      + 'the Average of CloudFront\'s 5xxErrorRate as the mean of its minutes\' rates, and Maximum, Minimum and Average in alarms on M out of N datapoints)';
  }
  return undefined;
}

/**
 * A rate the simulator reads as published one sample a minute, whose `Average` over several
 * minutes is the mean of the minutes' rates: CloudFront's `5xxErrorRate` (an assumption, see
 * scenario.ts). No other `Average` is known to be one sample a minute.
 */
function isMinuteRate(metric: ModelMetric): boolean {
  return metric.statistic === 'Average' && metric.namespace === 'AWS/CloudFront' && metric.metricName === '5xxErrorRate';
}

/**
 * The alarm's expression with every math-expression id replaced by its parsed expression, so that
 * one tree holds every FILL; throws when an id is unknown, a statistic is not a count, an
 * expression does not parse or the expressions refer to each other in a cycle.
 */
export function expandedExpression(alarm: WindowAlarmModel): MathNode {
  const expand = (node: MathNode, path: string[]): MathNode => {
    switch (node.kind) {
      case 'id': {
        const problem = unsupportedMetric(alarm, node.id);
        if (problem) {
          throw new Error(problem);
        }
        const text = alarm.metrics[node.id] ? undefined : alarm.expressions?.[node.id];
        if (text === undefined) {
          return node;
        }
        if (path.includes(node.id)) {
          throw new Error(`alarm ${alarm.name}: the math expressions ${[...path, node.id].join(' -> ')} refer to each other in a cycle`);
        }
        let parsed: MathNode;
        try {
          parsed = parseMetricMath(text);
        } catch (err) {
          throw new Error(`alarm ${alarm.name}: ${node.id} is the math expression \`${text}\`, which the simulator cannot read: ${(err as Error).message}`);
        }
        return expand(parsed, [...path, node.id]);
      }
      case 'unary': return { ...node, operand: expand(node.operand, path) };
      case 'binary': return { ...node, left: expand(node.left, path), right: expand(node.right, path) };
      case 'call': return { ...node, args: node.args.map((a) => expand(a, path)) };
      default: return node;
    }
  };
  return expand(alarm.expression, []);
}

function fillNodes(node: MathNode, into: MathNode[] = []): MathNode[] {
  if (node.kind === 'call') {
    if (node.fn === 'FILL') {
      into.push(node);
    }
    node.args.forEach((a) => fillNodes(a, into));
  } else if (node.kind === 'unary') {
    fillNodes(node.operand, into);
  } else if (node.kind === 'binary') {
    fillNodes(node.left, into);
    fillNodes(node.right, into);
  }
  return into;
}

function checkOptions(model: SloAlarmModel, options: EvaluationOptions): { delay: number; range: number } {
  const { minutes } = options;
  if (!Number.isSafeInteger(minutes) || minutes < 1) {
    throw new Error(`minutes must be a whole number of at least 1, got ${minutes}`);
  }
  const delay = options.delayMinutes ?? DEFAULT_DELAY_MINUTES;
  if (!Number.isSafeInteger(delay) || delay < 0) {
    throw new Error(`delayMinutes must be a whole number of minutes, 0 or more, got ${delay}`);
  }
  const extra = options.extraRangeDatapoints ?? DEFAULT_EXTRA_RANGE_DATAPOINTS;
  if (!Number.isSafeInteger(extra) || extra < 0) {
    throw new Error(`extraRangeDatapoints must be a whole number, 0 or more, got ${extra}`);
  }
  if (model.windowAlarms.length === 0) {
    throw new Error('the SLO has no window alarms to evaluate');
  }
  for (const alarm of model.windowAlarms) {
    if (isSliceAlarm(alarm) && fillNodes(alarm.expression).length > 0) {
      throw new Error(`alarm ${alarm.name}: FILL in an alarm on M out of N datapoints; the simulator models such alarms without FILL only`);
    }
    if (!(alarm.periodSeconds >= 60) || alarm.periodSeconds % 60 !== 0) {
      throw new Error(`alarm ${alarm.name}: period ${alarm.periodSeconds} s; the simulator models periods of whole minutes only`);
    }
    if (!TREATMENTS.has(alarm.treatMissingData)) {
      throw new Error(`alarm ${alarm.name}: TreatMissingData ${alarm.treatMissingData} is not one of ${[...TREATMENTS].join(', ')}`);
    }
    breaches(alarm, 0); // throws on an unsupported comparison
  }
  return { delay, range: 1 + extra };
}

/**
 * Evaluates the SLO's alarms on `scenario` for `options.minutes` minutes. Each window alarm is
 * evaluated over the whole run at once: per-minute values become prefix sums, so every window sum
 * is one subtraction, and the expression is applied series by series (once per datapoint of the
 * evaluation range that some evaluation needs); the minute-by-minute loop then only follows state
 * changes. 4 days of one SLO take a few tens of ms. The results are exactly those of evaluating
 * every minute from scratch (test/simulation/simulator-reference.test.ts).
 */
export function evaluateAlarms(model: SloAlarmModel, scenario: Scenario, options: EvaluationOptions): SimulationResult {
  const { minutes } = options;
  const { delay, range } = checkOptions(model, options);
  const fillEmptySeries = options.fillEmptySeries ?? false;

  const trees = model.windowAlarms.map((alarm) => expandedExpression(alarm));

  // the metrics' per-minute values, read back from minute 0 as far as the datapoints evaluated need
  const identities = new Map<string, MetricIdentity>();
  const feeds = new Map<string, Feed>();
  const feedOf = (metric: ModelMetric) => {
    const identity = identityOf(metric, identities);
    let feed = feeds.get(identity.key);
    if (!feed) {
      feed = new Feed(identity, scenario, minutes);
      feeds.set(identity.key, feed);
    }
    return feed;
  };

  const allocate = seriesArena();

  /**
   * Sums of a metric over datapoint k of the evaluation at the end of each simulated minute, NaN
   * where none of its minutes has a datapoint yet. Shared by every read of the same metric over
   * the same window and datapoint.
   */
  const windowCache = new Map<string, Float64Array>();
  const windowSums = (metric: ModelMetric, window: number, k: number): Float64Array => {
    const key = `${metricIdentityKey(metric)}/${window}/${k}`;
    let out = windowCache.get(key);
    if (!out) {
      // datapoint k of the evaluation at the end of minute i: minutes i-(k+1)W+1 .. i-kW, of which
      // those after i - delay have not arrived
      const back = (k + 1) * window - 1;
      const feed = feedOf(metric).readFrom(-back);
      // an Average over several minutes is the mean of the minutes that have a datapoint: CloudWatch's
      // Sum / SampleCount of the period's samples ("Statistics definitions"), for a metric published
      // as one datapoint a minute (CloudFront's 5xxErrorRate, scenario.ts; any other Average is refused)
      out = slidingSums(feed.sums, feed.present, -feed.start, back, Math.max(k * window, delay), allocate(minutes), isMinuteRate(metric));
      windowCache.set(key, out);
    }
    return out;
  };

  const codes = model.windowAlarms.map((alarm, a) => isSliceAlarm(alarm) ? evaluateSliceAlarm(alarm, trees[a], {
    minutes, delay, extra: range - 1, allocate,
    minuteValues: (id, from) => minuteValues(feedOf(alarm.metrics[id]).readFrom(from), from, minutes),
  }) : evaluateAlarm(alarm, trees[a], {
    minutes, range, fillEmptySeries, allocate,
    series: (id, k) => windowSums(alarm.metrics[id], alarm.periodSeconds / 60, k),
  }));

  return followStates(model, codes, minutes, delay);
}

/**
 * A metric's values as prefix sums from `start` to the end of the simulation: `sums[j]` and
 * `present[j]` cover the minutes from `start` to before `start + j`. Reads further back into the
 * history only when a datapoint that old is evaluated (the older datapoints of an evaluation range
 * are, when the newest ones are missing).
 */
class Feed {
  public start: number;
  public sums = new Float64Array(1);
  public present = new Int32Array(1);
  private values: Float64Array = new Float64Array(0);

  /** @param end the first minute not simulated */
  constructor(private readonly identity: MetricIdentity, private readonly scenario: Scenario, end: number) {
    this.start = end;
  }

  /** Makes sure the sums reach back to `minute`. */
  public readFrom(minute: number): this {
    if (minute >= this.start) {
      return this;
    }
    const older = this.start - minute;
    const values = new Float64Array(older + this.values.length);
    for (let j = 0; j < older; j++) {
      values[j] = this.read(minute + j);
    }
    values.set(this.values, older);
    this.values = values;
    this.start = minute;
    const span = values.length;
    this.sums = new Float64Array(span + 1);
    this.present = new Int32Array(span + 1);
    for (let j = 0; j < span; j++) {
      const v = values[j];
      if (v !== v) {
        this.sums[j + 1] = this.sums[j];
        this.present[j + 1] = this.present[j];
      } else {
        this.sums[j + 1] = this.sums[j] + v;
        this.present[j + 1] = this.present[j] + 1;
      }
    }
    return this;
  }

  private read(minute: number): number {
    const value = this.scenario(this.identity, minute);
    if (value === undefined) {
      return MISSING;
    }
    if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
      const m = this.identity;
      throw new Error(`the scenario gave ${String(value)} for ${m.namespace} ${m.metricName} ${m.statistic} at minute ${minute}: `
        + 'a count is a finite number of 0 or more, or undefined for no datapoint');
    }
    return value;
  }
}

/**
 * For each evaluation index i of `out`: the sum over minutes i - back .. i - newest (inclusive), or
 * their mean over the minutes with a datapoint when `mean`, NaN when none of them has a datapoint.
 * `offset` is the prefix index of minute 0.
 */
function slidingSums(sums: Float64Array, present: Int32Array, offset: number, back: number, newest: number, out: Float64Array, mean = false): Float64Array {
  if (newest > back) {
    return out.fill(MISSING); // every minute of this datapoint is still in flight
  }
  for (let index = 0; index < out.length; index++) {
    const hi = index + offset - newest + 1;
    const lo = index + offset - back;
    const count = present[hi] - present[lo];
    out[index] = count > 0 ? (mean ? (sums[hi] - sums[lo]) / count : sums[hi] - sums[lo]) : MISSING;
  }
  return out;
}

interface AlarmEvaluation {
  readonly minutes: number;
  readonly range: number;
  readonly fillEmptySeries: boolean;
  readonly allocate: (length: number) => Float64Array;
  /** An id's sums over datapoint k of each evaluation. */
  readonly series: (id: string, k: number) => Float64Array;
}

/**
 * One window alarm's state code after each evaluation: the most recent existing datapoint of the
 * evaluation range decides; when the range holds none, TreatMissingData does.
 */
function evaluateAlarm(alarm: WindowAlarmModel, tree: MathNode, e: AlarmEvaluation): Uint8Array {
  const { minutes, range, allocate } = e;
  const missingCode = missingDataCode(alarm);
  const fills = e.fillEmptySeries ? [] : fillNodes(tree);

  // which FILLs have a series with some datapoint in each evaluation's range: a bit per FILL
  if (fills.length > 30) {
    throw new Error(`alarm ${alarm.name}: ${fills.length} FILL functions; the simulator models at most 30 in one alarm`);
  }
  const masks = new Int32Array(minutes);
  const full = (1 << fills.length) - 1;
  fills.forEach((node, f) => {
    const arg = (node as { args: MathNode[] }).args[0];
    const found = new Uint8Array(minutes);
    let pending = minutes;
    // a FILL around FILLed metrics (the blind alarm's `FILL(FILL(a, 0) + FILL(b, 0), 0)`): its
    // series has a datapoint in the range when one of the metrics inside has one, which is where
    // the sum without the inner FILLs has a value (missing values read 0 beside a present one)
    const inner = fillNodes(arg).length > 0 ? { fills: () => false } : {};
    for (let k = 0; k < range && pending > 0; k++) {
      const values = arg.kind === 'id' ? e.series(arg.id, k) : evaluateMetricMathSeries(arg, minutes, (id) => e.series(id, k), allocate, inner);
      for (let i = 0; i < minutes; i++) {
        const v = values[i];
        if (found[i] === 0 && v === v) {
          found[i] = 1;
          pending--;
        }
      }
    }
    for (let i = 0; i < minutes; i++) {
      masks[i] |= found[i] << f;
    }
  });
  if (fills.length === 0) {
    masks.fill(full);
  }

  // the expression's value at datapoint k under each FILL mask, computed when first needed
  const byMask = new Map<number, Array<Float64Array | undefined>>();
  const valueSeries = (mask: number): Array<Float64Array | undefined> => {
    let list = byMask.get(mask);
    if (!list) {
      list = new Array(range);
      byMask.set(mask, list);
    }
    return list;
  };
  const compute = (mask: number, k: number): Float64Array => {
    const fillsHere = mask === full ? undefined : (node: MathNode) => {
      const f = fills.indexOf(node);
      return f < 0 || ((mask >> f) & 1) === 1;
    };
    return evaluateMetricMathSeries(tree, minutes, (id) => e.series(id, k), allocate, fillsHere ? { fills: fillsHere } : {});
  };

  const codes = new Uint8Array(minutes);
  const threshold = alarm.threshold;
  const above = alarm.comparisonOperator === 'GreaterThanThreshold';
  let mask = -1;
  let list: Array<Float64Array | undefined> = [];
  for (let i = 0; i < minutes; i++) {
    if (masks[i] !== mask) {
      mask = masks[i];
      list = valueSeries(mask);
    }
    let code = missingCode;
    for (let k = 0; k < range; k++) {
      let values = list[k];
      if (values === undefined) {
        values = compute(mask, k);
        list[k] = values;
      }
      const v = values[i];
      if (v === v) {
        code = (above ? v > threshold : breaches(alarm, v)) ? ALARM : OK;
        break;
      }
    }
    codes[i] = code;
  }
  return codes;
}

/**
 * An alarm evaluated datapoint by datapoint (`evaluateSliceAlarm`): on M out of N datapoints (a
 * time-slice SLI's window alarm), or on one datapoint longer than a minute of a metric that does
 * not add up (a time-slice SLI's `Maximum` over a 5-minute slice, 1 out of 1), without FILL.
 */
function isSliceAlarm(alarm: WindowAlarmModel): boolean {
  if (alarm.evaluationPeriods !== 1 || alarm.datapointsToAlarm !== 1) {
    return true;
  }
  return alarm.periodSeconds > 60 && fillNodes(alarm.expression).length === 0
    && Object.values(alarm.metrics).some((m) => !COUNT_STATISTICS.test(m.statistic) && periodAggregate(m.statistic) !== undefined);
}

/**
 * How a datapoint of several minutes aggregates the minutes' values under `statistic`, or
 * undefined when the minutes' values cannot give it (percentiles and trimmed statistics need the
 * samples): a count adds up, a maximum is the largest minute's, an average the minutes' mean (exact
 * when each minute holds as many samples).
 */
function periodAggregate(statistic: string): ((values: readonly number[]) => number) | undefined {
  if (COUNT_STATISTICS.test(statistic)) return (values) => values.reduce((a, b) => a + b, 0);
  switch (statistic) {
    case 'Maximum': return (values) => Math.max(...values);
    case 'Minimum': return (values) => Math.min(...values);
    case 'Average': return (values) => values.reduce((a, b) => a + b, 0) / values.length;
    default: return undefined;
  }
}

/** A metric's value in each minute from `from` to the end of the simulation, NaN where it has none. */
function minuteValues(feed: Feed, from: number, minutes: number): Float64Array {
  const out = new Float64Array(minutes - from);
  for (let j = 0; j < out.length; j++) {
    const at = from + j - feed.start;
    out[j] = feed.present[at + 1] - feed.present[at] > 0 ? feed.sums[at + 1] - feed.sums[at] : MISSING;
  }
  return out;
}

/** The aggregate of `values` (index t is minute t + from) over minutes lo..hi, NaN when none of them has a value. */
function aggregateMinutes(values: Float64Array, from: number, lo: number, hi: number, aggregate: (v: readonly number[]) => number): number {
  const present: number[] = [];
  for (let t = Math.max(lo, from); t <= hi; t++) {
    const v = values[t - from];
    if (v === v) present.push(v);
  }
  return present.length > 0 ? aggregate(present) : MISSING;
}

interface SliceAlarmEvaluation {
  readonly minutes: number;
  readonly delay: number;
  /** Datapoints the evaluation range holds beyond Evaluation Periods. */
  readonly extra: number;
  readonly allocate: (length: number) => Float64Array;
  /** An id's value in each minute from `from` (negative: history) to the end of the simulation. */
  readonly minuteValues: (id: string, from: number) => Float64Array;
}

/**
 * An alarm on M out of N datapoints of P minutes, after each evaluation ("Evaluating an alarm",
 * AlarmThatSendsEmail.html: "Datapoints to Alarm is the number of data points within the Evaluation
 * Periods that must be breaching to cause the alarm to go to the ALARM state"). The evaluation at
 * the end of minute i reads datapoint k over minutes i - (k+1)P + 1 .. i - kP (sliding, as for one
 * datapoint: rule 1), each metric aggregated over those minutes with its statistic, of which the
 * newest `delay` minutes have not arrived (a datapoint of which some minutes arrived is their
 * aggregate). Its evaluation range holds N + extra datapoints. When it holds at least N
 * datapoints, the N most recent existing ones decide and TreatMissingData is ignored; when it holds
 * fewer, the missing ones count as TreatMissingData says (breaching, not breaching; `missing` and
 * `ignore` judge on the existing ones); when it holds none, TreatMissingData decides as for one
 * datapoint (alarms-and-missing-data.html, as in `evaluateAlarm`).
 */
function evaluateSliceAlarm(alarm: WindowAlarmModel, tree: MathNode, e: SliceAlarmEvaluation): Uint8Array {
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm;
  const p = alarm.periodSeconds / 60;
  const range = n + e.extra;
  const from = -range * p;
  const length = e.minutes - from;
  const aggregates = new Map(Object.entries(alarm.metrics).map(([id, metric]) => [id, periodAggregate(metric.statistic)!]));
  const minutes = new Map<string, Float64Array>();
  const perMinute = (id: string) => {
    let values = minutes.get(id);
    if (!values) {
      values = e.minuteValues(id, from);
      minutes.set(id, values);
    }
    return values;
  };
  // datapoints whose minutes have all arrived, by their last minute t (index t - from)
  const whole = evaluateMetricMathSeries(tree, length, (id) => {
    const values = perMinute(id);
    if (p === 1) {
      return values;
    }
    const out = e.allocate(length);
    for (let t = from; t < e.minutes; t++) {
      out[t - from] = aggregateMinutes(values, from, t - p + 1, t, aggregates.get(id)!);
    }
    return out;
  }, e.allocate);
  // datapoints k of the evaluation at the end of minute i with minutes in flight (kP < delay): only what arrived
  const partial: Float64Array[] = [];
  for (let k = 0; k * p < e.delay; k++) {
    partial.push(evaluateMetricMathSeries(tree, e.minutes, (id) => {
      const values = perMinute(id);
      const out = e.allocate(e.minutes);
      for (let i = 0; i < e.minutes; i++) {
        out[i] = aggregateMinutes(values, from, i - (k + 1) * p + 1, i - e.delay, aggregates.get(id)!);
      }
      return out;
    }, e.allocate));
  }
  const missingCode = missingDataCode(alarm);
  const codes = new Uint8Array(e.minutes);
  for (let i = 0; i < e.minutes; i++) {
    let existing = 0;
    let breaching = 0;
    for (let k = 0; k < range && existing < n; k++) {
      const v = k < partial.length ? partial[k][i] : whole[i - k * p - from];
      if (v === v) {
        existing++;
        if (breaches(alarm, v)) {
          breaching++;
        }
      }
    }
    if (existing === 0) {
      codes[i] = missingCode;
      continue;
    }
    if (existing < n && alarm.treatMissingData === 'breaching') {
      breaching += n - existing;
    }
    codes[i] = breaching >= m ? ALARM : OK;
  }
  return codes;
}

/** What an evaluation with no datapoint in its range sets the alarm to. */
function missingDataCode(alarm: WindowAlarmModel): number {
  // PutMetricAlarm: "Alarms that evaluate metrics in the AWS/DynamoDB namespace always ignore missing data"
  if (Object.values(alarm.metrics).some((m) => m.namespace === 'AWS/DynamoDB')) {
    return RETAIN;
  }
  switch (alarm.treatMissingData) {
    case 'breaching': return ALARM;
    case 'notBreaching': return OK;
    case 'ignore': return RETAIN;
    default: return INSUFFICIENT; // missing
  }
}

/** Whether a window alarm's value breaches its threshold. */
function breaches(alarm: WindowAlarmModel, value: number): boolean {
  switch (alarm.comparisonOperator) {
    case 'GreaterThanThreshold': return value > alarm.threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= alarm.threshold;
    case 'LessThanThreshold': return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold': return value <= alarm.threshold;
    default: throw new Error(`alarm ${alarm.name}: unsupported comparison ${alarm.comparisonOperator}`);
  }
}

/** The window alarms' states minute by minute, then the composites and their notifications. */
function followStates(model: SloAlarmModel, codes: Uint8Array[], minutes: number, delayMinutes: number): SimulationResult {
  const states = new Map<string, AlarmStateName>();
  model.windowAlarms.forEach((a) => states.set(a.logicalId, 'OK'));
  model.composites.forEach((c) => states.set(c.logicalId, 'OK'));
  const stateOf = (id: string) => states.get(id) ?? 'INSUFFICIENT_DATA';
  const transitions: Transition[] = [];
  const pending: { composite: CompositeAlarmModel; index: number; minute: number }[] = [];
  const suppressorHistory = new Map<string, { from: number; to?: number }[]>();

  const ordered = orderComposites(model.composites);
  const windowCount = model.windowAlarms.length;
  const current = new Uint8Array(windowCount); // all start OK
  for (let index = 0; index < minutes; index++) {
    const minute = index + 1; // evaluated at the end of minute `index`
    let changed = index === 0;
    for (let i = 0; i < windowCount; i++) {
      const code = codes[i][index];
      if (code !== RETAIN && code !== current[i]) {
        current[i] = code;
        const alarm = model.windowAlarms[i];
        const next = STATE_NAMES[code];
        states.set(alarm.logicalId, next);
        transitions.push({ minute, alarm: alarm.name, state: next });
        changed = true;
      }
    }
    if (!changed) {
      continue; // composites only read alarm states: none changed, so none of them can
    }
    for (const composite of ordered) {
      const next: AlarmStateName = evaluateAlarmRule(composite.rule, stateOf) ? 'ALARM' : 'OK';
      if (next === states.get(composite.logicalId)) {
        continue;
      }
      states.set(composite.logicalId, next);
      const history = suppressorHistory.get(composite.logicalId) ?? [];
      if (next === 'ALARM') {
        history.push({ from: minute });
      } else if (history.length > 0) {
        history[history.length - 1].to = minute;
      }
      suppressorHistory.set(composite.logicalId, history);
      transitions.push({ minute, alarm: composite.name, state: next, ...(composite.suppressor ? { suppressed: false } : {}) });
      if (composite.suppressor) {
        pending.push({ composite, index: transitions.length - 1, minute });
      }
    }
  }

  // decide suppression once the suppressor's whole history is known (its wait period looks ahead)
  const notifications: Notification[] = transitions
    .filter((t) => t.suppressed === undefined && model.composites.some((c) => c.name === t.alarm))
    .map((t) => ({ minute: t.minute, alarm: t.alarm, state: t.state }));
  for (const p of pending) {
    const history = suppressorHistory.get(p.composite.suppressor!) ?? [];
    const wait = p.composite.suppressorWaitSeconds / 60;
    const extension = p.composite.suppressorExtensionSeconds / 60;
    const interval = history.find((h) => h.from <= p.minute + wait && (h.to === undefined || h.to + extension >= p.minute));
    const transition = transitions[p.index];
    transitions[p.index] = { ...transition, suppressed: interval !== undefined };
    // the composite's next transition, if any, ends the chance to act on this one
    const next = pending.find((q) => q.composite === p.composite && q.minute > p.minute)?.minute ?? Infinity;
    if (!interval) {
      if (p.minute + wait < next && p.minute + wait <= minutes) {
        notifications.push({ minute: p.minute + wait, alarm: transition.alarm, state: transition.state });
      }
    } else if (interval.to !== undefined && interval.to + extension < next && interval.to + extension <= minutes) {
      notifications.push({ minute: interval.to + extension, alarm: transition.alarm, state: transition.state, afterSuppression: true });
    }
  }
  notifications.sort((a, b) => a.minute - b.minute);
  return { transitions, notifications, minutes, delayMinutes };
}

/**
 * Hands out zeroed series as views of large shared buffers: a simulation needs dozens of series
 * of a few thousand values, and one allocation per series (each one external memory to the
 * garbage collector) costs more than the arithmetic.
 */
function seriesArena(chunkValues = 1 << 18): (length: number) => Float64Array {
  let buffer = new Float64Array(0);
  let used = 0;
  return (length) => {
    if (used + length > buffer.length) {
      buffer = new Float64Array(Math.max(chunkValues, length));
      used = 0;
    }
    const view = buffer.subarray(used, used + length);
    used += length;
    return view;
  };
}

/** Composites whose rule reads another composite come after it. */
function orderComposites(composites: CompositeAlarmModel[]): CompositeAlarmModel[] {
  const ids = new Set(composites.map((c) => c.logicalId));
  const reads = (c: CompositeAlarmModel) => JSON.stringify(c.rule);
  return [...composites].sort((a, b) => {
    const aReadsB = ids.has(b.logicalId) && reads(a).includes(`"${b.logicalId}"`);
    const bReadsA = ids.has(a.logicalId) && reads(b).includes(`"${a.logicalId}"`);
    return aReadsB ? 1 : bReadsA ? -1 : 0;
  });
}
