/**
 * The evaluator works on whole series at once (prefix sums, one loop per expression node, the
 * datapoints of the evaluation range only when some evaluation needs them); this checks it against
 * the plainest possible reference on random metric values: every minute, for every alarm, every
 * datapoint of the evaluation range summed from scratch over the minutes that have arrived, the
 * expression walked with `evaluateMetricMath` (a FILL fills when its series has a datapoint
 * somewhere in the range), the most recent existing datapoint judged, TreatMissingData applied
 * only to an empty range, every composite rule evaluated. Values are whole numbers, so every sum
 * is exact in floating point and both must agree to the minute.
 */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { AlertPolicy, ReliableService, Severity, Sli, SloProps } from '../../lib';
import { evaluateAlarmRule, AlarmStateName } from '../../lib/simulation/alarm-rule';
import { evaluateAlarms, MetricIdentity, metricIdentityKey, Scenario } from '../../lib/simulation/evaluator';
import { evaluateMetricMath, evaluateMetricMathSeries, MathNode, parseMetricMath, referencedIds } from '../../lib/simulation/metric-math';
import { SloAlarmModel, sloAlarmsFromTemplate, WindowAlarmModel } from '../../lib/simulation/template-alarms';
import { availability, counts, newStack } from '../service/helpers';

/** Short windows (a 1-minute short window among them), so that random values cross thresholds often. */
function shortWindowModel(slo: Partial<SloProps> = {}): SloAlarmModel {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout',
    slos: [availability({
      objective: 99,
      window: Duration.days(1),
      alerting: AlertPolicy.fromTiers([
        { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.minutes(12) },
        { severity: Severity.PAGE, budgetSpentPercent: 5, longWindow: Duration.minutes(30), shortWindow: Duration.minutes(3) },
        { severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.minutes(60), shortWindow: Duration.minutes(5) },
      ]),
      ...slo,
    }) as SloProps],
  });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
}

const { errors, requests } = counts();
const throttles = new Metric({ namespace: 'Shop', metricName: 'Throttles', dimensionsMap: { Service: 'checkout' } });
const timeouts = new Metric({ namespace: 'Shop', metricName: 'Timeouts', dimensionsMap: { Service: 'checkout' } });

/** SLIs of every shape the alarms take: one bad metric, several, a shared one, good events, a math expression, a guard. */
const MODELS: [string, SloAlarmModel][] = [
  ['one bad metric', shortWindowModel()],
  ['a low-traffic guard', shortWindowModel({ minimumEvents: 40 })],
  ['a bad metric that is also a total (Lambda throttles)', shortWindowModel({ sli: Sli.ratio({ badMetrics: [errors, throttles], totalMetrics: [requests, throttles] }) })],
  ['good events (a latency SLI)', shortWindowModel({ sli: Sli.latency({ metric: new Metric({ namespace: 'Shop', metricName: 'Latency' }), threshold: Duration.millis(300) }) })],
  ['a math expression inside the SLI', shortWindowModel({
    sli: Sli.ratio({ bad: new MathExpression({ expression: 'e1 + e2', usingMetrics: { e1: errors, e2: timeouts } }), total: requests }),
  })],
];

/** A small seeded generator (mulberry32), so that failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Bursty random values for every metric from `from` on: stretches without datapoints, stretches of
 * small counts and of large ones, each metric on its own (a total may stop while a bad metric flows).
 */
function randomScenario(seed: number, from: number, minutes: number): Scenario {
  const next = random(seed);
  const series = new Map<string, Array<number | undefined>>();
  return (metric, minute) => {
    let values = series.get(metric.key);
    if (!values) {
      values = [];
      let mode = 0;
      for (let k = 0; k < minutes - from; k++) {
        if (next() < 0.06) {
          mode = Math.floor(next() * 4); // 0 small, 1 absent, 2 large, 3 zero or absent
        }
        values.push(mode === 1 ? undefined : mode === 3 ? (next() < 0.5 ? 0 : undefined)
          : Math.floor(next() * (mode === 2 ? 64 : 4)));
      }
      series.set(metric.key, values);
    }
    return values[minute - from];
  };
}

interface ReferenceOptions {
  readonly delay: number;
  readonly range: number;
  readonly fillEmptySeries: boolean;
}

/** The reference: every datapoint of every evaluation range summed from scratch, every minute. */
function reference(model: SloAlarmModel, scenario: Scenario, minutes: number, o: ReferenceOptions) {
  const identities = new Map<object, MetricIdentity>();
  const identity = (alarm: WindowAlarmModel, id: string): MetricIdentity => {
    const metric = alarm.metrics[id];
    if (!identities.has(metric)) {
      identities.set(metric, { ...metric, key: metricIdentityKey(metric) });
    }
    return identities.get(metric)!;
  };
  const parsed = new Map<string, MathNode>();
  const parse = (text: string) => {
    if (!parsed.has(text)) {
      parsed.set(text, parseMetricMath(text));
    }
    return parsed.get(text)!;
  };
  const states = new Map<string, AlarmStateName>();
  [...model.windowAlarms, ...model.composites].forEach((a) => states.set(a.logicalId, 'OK'));
  const transitions: { minute: number; alarm: string; state: AlarmStateName }[] = [];
  for (let i = 0; i < minutes; i++) {
    for (const alarm of model.windowAlarms) {
      const window = alarm.periodSeconds / 60;
      // datapoint k of the evaluation at the end of minute i: minutes i-(k+1)W+1 .. i-kW that have arrived
      const valuesAt = (k: number) => {
        const values = (id: string): number | undefined => {
          if (!alarm.metrics[id]) {
            return evaluateMetricMath(parse(alarm.expressions![id]), values, { fills });
          }
          let sum: number | undefined;
          for (let m = i - (k + 1) * window + 1; m <= i - k * window; m++) {
            const v = m <= i - o.delay ? scenario(identity(alarm, id), m) : undefined;
            sum = v === undefined ? sum : (sum ?? 0) + v;
          }
          return sum;
        };
        return values;
      };
      const fills = (node: MathNode): boolean => o.fillEmptySeries
        || Array.from({ length: o.range }, (_, k) => k).some((k) => evaluateMetricMath((node as { args: MathNode[] }).args[0], valuesAt(k), { fills }) !== undefined);
      let next: AlarmStateName | undefined;
      for (let k = 0; k < o.range && next === undefined; k++) {
        const v = evaluateMetricMath(alarm.expression, valuesAt(k), { fills });
        if (v !== undefined) {
          next = v > alarm.threshold ? 'ALARM' : 'OK';
        }
      }
      if (next === undefined) {
        const dynamo = Object.values(alarm.metrics).some((m) => m.namespace === 'AWS/DynamoDB');
        const t = dynamo ? 'ignore' : alarm.treatMissingData;
        next = t === 'breaching' ? 'ALARM' : t === 'notBreaching' ? 'OK' : t === 'missing' ? 'INSUFFICIENT_DATA' : states.get(alarm.logicalId)!;
      }
      if (next !== states.get(alarm.logicalId)) {
        states.set(alarm.logicalId, next);
        transitions.push({ minute: i + 1, alarm: alarm.name, state: next });
      }
    }
    for (const composite of model.composites) {
      const next: AlarmStateName = evaluateAlarmRule(composite.rule, (id) => states.get(id) ?? 'INSUFFICIENT_DATA') ? 'ALARM' : 'OK';
      if (next !== states.get(composite.logicalId)) {
        states.set(composite.logicalId, next);
        transitions.push({ minute: i + 1, alarm: composite.name, state: next });
      }
    }
  }
  return transitions;
}

/** The same alarms with another TreatMissingData. */
function treating(model: SloAlarmModel, treatMissingData: string): SloAlarmModel {
  return { ...model, windowAlarms: model.windowAlarms.map((a) => ({ ...a, treatMissingData })) };
}

/** The same alarms reading DynamoDB metrics (which always ignore missing data). */
function onDynamo(model: SloAlarmModel): SloAlarmModel {
  return {
    ...model,
    windowAlarms: model.windowAlarms.map((a) => ({
      ...a,
      metrics: Object.fromEntries(Object.entries(a.metrics).map(([id, m]) => [id, { ...m, namespace: 'AWS/DynamoDB' }])),
    })),
  };
}

const MINUTES = 300;

function check(model: SloAlarmModel, seed: number, o: ReferenceOptions) {
  const longest = Math.max(...model.windowAlarms.map((a) => a.periodSeconds / 60));
  const scenario = randomScenario(seed, -o.range * longest, MINUTES);
  const expected = reference(model, scenario, MINUTES, o);
  const actual = evaluateAlarms(model, scenario, {
    minutes: MINUTES, delayMinutes: o.delay, extraRangeDatapoints: o.range - 1, fillEmptySeries: o.fillEmptySeries,
  }).transitions.map(({ minute, alarm, state }) => ({ minute, alarm, state }));
  expect(expected.length).toBeGreaterThan(10); // the values do exercise the alarms
  expect(actual).toEqual(expected);
}

describe('the series evaluator gives exactly the reference\'s transitions on random metric values', () => {
  test.each(MODELS.flatMap(([name, model], m) => [0, 2].map((delay): [string, number, SloAlarmModel, number] => [name, delay, model, m + 1])))(
    '%s, delay %d min', (_, delay, model, seed) => {
      for (const s of [seed, seed + 100]) {
        check(model, s, { delay, range: 3, fillEmptySeries: false });
      }
    });

  test.each([
    ['FILL fills series without datapoints in the range', { delay: 2, range: 3, fillEmptySeries: true }],
    ['a 3-minute delay, longer than the 1-minute window', { delay: 3, range: 3, fillEmptySeries: false }],
    ['an evaluation range of 5 datapoints', { delay: 1, range: 5, fillEmptySeries: false }],
    ['no datapoint beyond the evaluation period', { delay: 2, range: 1, fillEmptySeries: false }],
  ])('%s', (_, o) => {
    for (const [, model] of MODELS) {
      check(model, 7, o);
    }
  });

  test.each(['missing', 'breaching', 'ignore'])('TreatMissingData %s applies when the whole range is empty', (treatment) => {
    check(treating(MODELS[2][1], treatment), 11, { delay: 2, range: 3, fillEmptySeries: false });
  });

  test('alarms on AWS/DynamoDB metrics keep their state on missing data, whatever TreatMissingData says', () => {
    check(treating(onDynamo(MODELS[0][1]), 'breaching'), 13, { delay: 2, range: 3, fillEmptySeries: false });
  });
});

describe('metric math over series', () => {
  test('gives evaluateMetricMath\'s result at every timestamp, NaN for no datapoint', () => {
    const next = random(7);
    const length = 200;
    const pick = () => {
      const r = next();
      return r < 0.2 ? undefined : r < 0.35 ? 0 : Math.round(next() * 20) - 5;
    };
    const values: Record<string, Array<number | undefined>> = { a: [], b: [], c: [] };
    for (let i = 0; i < length; i++) {
      Object.values(values).forEach((list) => list.push(pick()));
    }
    const series = (id: string) => Float64Array.from(values[id], (v) => (v === undefined ? NaN : v));
    const expressions = [
      'IF(a > 0, FILL(b, 0) / a, 0) / 0.001',
      'IF(a >= 40, (a - FILL(c, 0)) / a, 0) / 0.01',
      'a + b * c - -a', 'a / b', 'NOT a', 'a == b OR b != c', 'a < b AND b <= c', 'a && b || c', 'FILL(a, FILL(b, 3))', 'IF(a, b, c)',
      'IF(a, b)', 'IF(1, a, b)', 'IF(a > 1, 5)', '2 * 3', 'a', '(a + b) / (c - 1)', 'FILL(a, 0) + b', '-a', 'a * 2 > b',
    ];
    for (const text of expressions) {
      const node = parseMetricMath(text);
      for (const fills of [undefined, (n: MathNode) => (n as { args: MathNode[] }).args[0].kind !== 'id' || (n as { args: { id: string }[] }).args[0].id !== 'a']) {
        const options = fills ? { fills } : {};
        const out = evaluateMetricMathSeries(node, length, series, undefined, options);
        for (let i = 0; i < length; i++) {
          const expected = evaluateMetricMath(node, (id) => values[id][i], options);
          expect({ text, i, value: Number.isNaN(out[i]) ? undefined : out[i] }).toEqual({ text, i, value: expected });
        }
      }
      expect([...referencedIds(node)].every((id) => id in values)).toBe(true);
    }
  });

  test('never hands back a series it was given, or a shared constant', () => {
    const a = Float64Array.from([1, NaN]);
    for (const [text, fills] of [['a', true], ['FILL(a, 0)', false], ['3', true]] as const) {
      const out = evaluateMetricMathSeries(parseMetricMath(text), 2, () => a, undefined, { fills: () => fills });
      expect(out).not.toBe(a);
      out[0] = 5;
    }
    expect([...a]).toEqual([1, NaN]);
    expect([...evaluateMetricMathSeries(parseMetricMath('3'), 2, () => a)]).toEqual([3, 3]);
  });
});
