/**
 * The simulator evaluates whole series at once (prefix sums, one loop per expression node); this
 * checks it against the plainest possible reference on random traffic: every minute, every window
 * summed from scratch, the expression walked with `evaluateMetricMath`, every composite rule
 * evaluated. Event counts are powers of two and bad counts whole numbers, so every sum is exact
 * in floating point and both must agree to the minute.
 */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ReliableService } from '../../lib/service/reliable-service';
import { SloProps } from '../../lib/service/service-level-objective';
import { evaluateAlarmRule, AlarmStateName } from '../../lib/simulation/alarm-rule';
import { evaluateMetricMath, evaluateMetricMathSeries, parseMetricMath, referencedIds } from '../../lib/simulation/metric-math';
import { simulate, TrafficProfile } from '../../lib/simulation/simulator';
import { SloAlarmModel, sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { AlertPolicy } from '../../lib/slo/alert-policy';
import { Severity } from '../../lib/slo/tiers';
import { availability, newStack } from '../service/helpers';

/** Short windows, so that random traffic crosses thresholds often. */
function shortWindowModel(slo: Partial<SloProps> = {}): SloAlarmModel {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout',
    slos: [availability({
      objective: 99,
      window: Duration.days(1),
      alerting: AlertPolicy.tiers([
        { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.minutes(12) },
        { severity: Severity.PAGE, budgetSpentPercent: 5, longWindow: Duration.minutes(30), shortWindow: Duration.minutes(3) },
        { severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.minutes(60), shortWindow: Duration.minutes(5) },
      ]),
      ...slo,
    }) as SloProps],
  });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
}

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

/** Bursty random traffic from `from` on: quiet stretches, healthy stretches and error bursts. */
function randomProfile(seed: number, from: number, minutes: number): TrafficProfile {
  const next = random(seed);
  const events: number[] = [];
  const bad: number[] = [];
  let mode = 0;
  for (let k = 0; k < minutes - from; k++) {
    if (next() < 0.08) {
      mode = Math.floor(next() * 3); // 0 healthy, 1 no traffic, 2 errors
    }
    const n = mode === 1 ? 0 : [1, 2, 4, 8, 16][Math.floor(next() * 5)];
    events.push(n);
    bad.push(mode === 2 ? Math.floor(next() * (n + 1)) : (next() < 0.05 ? Math.min(n, 1) : 0));
  }
  return {
    eventsPerMinute: (m) => events[m - from] ?? 0,
    errorRatio: (m) => (events[m - from] ? bad[m - from] / events[m - from] : 0),
  };
}

/** The reference: every window summed from scratch, every minute. Transitions without suppression flags. */
function reference(model: SloAlarmModel, profile: TrafficProfile, minutes: number) {
  const value = (role: string, m: number): number | undefined => {
    const n = profile.eventsPerMinute(m);
    if (!(n > 0)) {
      return undefined;
    }
    return role === 'total' ? n : role === 'bad' ? n * profile.errorRatio(m) : role === 'good' ? n * (1 - profile.errorRatio(m)) : 0;
  };
  const states = new Map<string, AlarmStateName>();
  [...model.windowAlarms, ...model.composites].forEach((a) => states.set(a.logicalId, 'OK'));
  const transitions: { minute: number; alarm: string; state: AlarmStateName }[] = [];
  for (let index = 0; index < minutes; index++) {
    for (const alarm of model.windowAlarms) {
      const window = alarm.periodSeconds / 60;
      const result = evaluateMetricMath(alarm.expression, (id) => {
        const role = /^(total|bad|good)0$/.exec(id)?.[1] ?? 'zero';
        let sum: number | undefined;
        for (let m = index - window + 1; m <= index; m++) {
          const v = value(role, m);
          sum = v === undefined ? sum : (sum ?? 0) + v;
        }
        return sum;
      });
      const alarming = result === undefined ? alarm.treatMissingData === 'breaching'
        : alarm.comparisonOperator === 'GreaterThanThreshold' ? result > alarm.threshold : result >= alarm.threshold;
      const next: AlarmStateName = alarming ? 'ALARM' : 'OK';
      if (next !== states.get(alarm.logicalId)) {
        states.set(alarm.logicalId, next);
        transitions.push({ minute: index + 1, alarm: alarm.name, state: next });
      }
    }
    for (const composite of model.composites) {
      const next: AlarmStateName = evaluateAlarmRule(composite.rule, (id) => states.get(id) ?? 'INSUFFICIENT_DATA') ? 'ALARM' : 'OK';
      if (next !== states.get(composite.logicalId)) {
        states.set(composite.logicalId, next);
        transitions.push({ minute: index + 1, alarm: composite.name, state: next });
      }
    }
  }
  return transitions;
}

describe('the series simulator gives exactly the reference\'s transitions on random traffic', () => {
  const MINUTES = 400;
  const plain = shortWindowModel();
  const guarded = shortWindowModel({ minimumEvents: 40 });

  test.each(Array.from({ length: 12 }, (_, i) => [i + 1]))('seed %d', (seed) => {
    for (const model of [plain, guarded]) {
      const longest = Math.max(...model.windowAlarms.map((a) => a.periodSeconds / 60));
      const profile = randomProfile(seed, -longest, MINUTES);
      const expected = reference(model, profile, MINUTES);
      const actual = simulate(model, profile, MINUTES).transitions.map(({ minute, alarm, state }) => ({ minute, alarm, state }));
      expect(expected.length).toBeGreaterThan(10); // the traffic does exercise the alarms
      expect(actual).toEqual(expected);
    }
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
      'a + b * c - -a', 'a / b', 'NOT a', 'a == b OR b != c', 'a < b AND b <= c', 'FILL(a, FILL(b, 3))', 'IF(a, b, c)', '2 * 3', 'a',
    ];
    for (const text of expressions) {
      const node = parseMetricMath(text);
      const out = evaluateMetricMathSeries(node, length, series);
      for (let i = 0; i < length; i++) {
        const expected = evaluateMetricMath(node, (id) => values[id][i]);
        expect({ text, i, value: Number.isNaN(out[i]) ? undefined : out[i] }).toEqual({ text, i, value: expected });
      }
      expect([...referencedIds(node)].every((id) => id in values)).toBe(true);
    }
  });

  test('never hands back a series it was given', () => {
    const a = Float64Array.from([1, 2]);
    const out = evaluateMetricMathSeries(parseMetricMath('a'), 2, () => a);
    expect(out).not.toBe(a);
    expect([...out]).toEqual([1, 2]);
  });
});
