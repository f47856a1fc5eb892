import { evaluateMetricMath, parseMetricMath, referencedIds } from '../../lib/simulation/metric-math';

const ev = (expr: string, values: Record<string, number | undefined> = {}) => evaluateMetricMath(parseMetricMath(expr), (id) => values[id]);

describe('metric math', () => {
  test('evaluates the burn-rate expression the alarms use', () => {
    const expr = 'IF(total0 > 0, FILL(bad0, 0) / total0, 0) / 0.001';
    expect(ev(expr, { total0: 1_000, bad0: 20 })).toBeCloseTo(20, 9);
    expect(ev(expr, { total0: 1_000, bad0: undefined })).toBe(0);
    expect(ev(expr, { total0: 0, bad0: 0 })).toBe(0);
    expect(ev(expr, { total0: undefined, bad0: 3 })).toBeUndefined();
  });

  test('division by zero yields no datapoint', () => {
    expect(ev('a / b', { a: 1, b: 0 })).toBeUndefined();
  });

  test('applies precedence: * before +, comparison before AND, AND before OR', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('1 > 0 AND 0 > 1 OR 1')).toBe(1);
    expect(ev('-2 + 5')).toBe(3);
    expect(ev('NOT 0')).toBe(1);
    expect(ev('2 >= 2')).toBe(1);
  });

  test('lists the ids it reads', () => {
    expect([...referencedIds(parseMetricMath('IF(t > 0, (t - FILL(g, 0)) / t, 0)'))].sort()).toEqual(['g', 't']);
  });

  test('refuses what it does not model', () => {
    expect(() => parseMetricMath('ANOMALY_DETECTION_BAND(m1)')).toThrow(/function ANOMALY_DETECTION_BAND is not supported/);
    expect(() => parseMetricMath('1 +')).toThrow(/unexpected end/);
    expect(() => parseMetricMath('a $ b')).toThrow(/unexpected character/);
  });
});
