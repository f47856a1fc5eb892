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
    expect(ev('a / b', { a: 1, b: undefined })).toBeUndefined();
  });

  test('arithmetic reads a missing value as 0 beside another series, and has no datapoint where both are missing', () => {
    expect(ev('a + b', { a: 3, b: undefined })).toBe(3);
    expect(ev('a - b', { a: undefined, b: 3 })).toBe(-3);
    expect(ev('a / b', { a: undefined, b: 4 })).toBe(0);
    expect(ev('a + b', {})).toBeUndefined();
    // beside a scalar, a missing value stays missing: the result has the series' timestamps
    expect(ev('a + 1', {})).toBeUndefined();
    expect(ev('a > 0', {})).toBeUndefined();
  });

  test('applies precedence: * before +, comparison before AND, AND before OR', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('1 > 0 AND 0 > 1 OR 1')).toBe(1);
    expect(ev('-2 + 5')).toBe(3);
    expect(ev('NOT 0')).toBe(1);
    expect(ev('2 >= 2')).toBe(1);
  });

  // the examples of "Metric math syntax and functions" (Comparison and logical operators; Using IF expressions)
  const series = (values: Record<string, Array<number | undefined>>) => (expr: string) =>
    values[Object.keys(values)[0]].map((_, i) => evaluateMetricMath(parseMetricMath(expr), (id) => values[id][i]));

  test('comparisons and logic: the AWS documentation\'s examples', () => {
    const at = series({ metric1: [30, 20, 0, 0], metric2: [20, undefined, 20, undefined] });
    expect(at('(metric1 < metric2)')).toEqual([0, 0, 1, 0]);
    expect(at('(metric1 >= 30)')).toEqual([1, 0, 0, 0]);
    expect(at('(metric1 > 15 AND metric2 > 15)')).toEqual([1, 0, 0, 0]);
    expect(at('(metric1 > 15 && metric2 > 15)')).toEqual([1, 0, 0, 0]);
  });

  test('IF: the AWS documentation\'s examples (a missing trueValue reads 0, a missing falseValue or condition drops the datapoint)', () => {
    const at = series({ metric1: [1, 1, 0, 0, undefined], metric2: [30, undefined, 0, 0, 30], metric3: [0, 0, 20, undefined, 20] });
    expect(at('IF(metric1, metric2, metric3)')).toEqual([30, 0, 20, undefined, undefined]);
    expect(at('IF(metric1, 5, metric3)')).toEqual([5, 5, 20, undefined, undefined]);
    expect(at('IF(metric1, metric2, 5)')).toEqual([30, 0, 5, 5, undefined]);
    expect(at('IF(metric1, metric2)')).toEqual([30, 0, undefined, undefined, undefined]);
  });

  test('FILL fills a missing value, unless told that its series has no datapoint to fill around', () => {
    const node = parseMetricMath('FILL(a, 0) + 1');
    expect(evaluateMetricMath(node, () => undefined)).toBe(1);
    expect(evaluateMetricMath(node, () => undefined, { fills: () => false })).toBeUndefined();
    expect(evaluateMetricMath(node, () => 4, { fills: () => false })).toBe(5);
  });

  test('lists the ids it reads', () => {
    expect([...referencedIds(parseMetricMath('IF(t > 0, (t - FILL(g, 0)) / t, 0)'))].sort()).toEqual(['g', 't']);
  });

  test('refuses what it does not model', () => {
    expect(() => parseMetricMath('ANOMALY_DETECTION_BAND(m1)')).toThrow(/function ANOMALY_DETECTION_BAND is not supported/);
    expect(() => parseMetricMath('1 +')).toThrow(/unexpected end/);
    expect(() => parseMetricMath('a $ b')).toThrow(/unexpected character/);
    expect(() => parseMetricMath('FILL(a, REPEAT)')).toThrow(/FILL\(…, REPEAT\) is not supported by the simulator/);
    expect(() => parseMetricMath('FILL(a)')).toThrow(/FILL takes 2 arguments, got 1/);
    expect(() => parseMetricMath('IF(a)')).toThrow(/IF takes 2 or 3 arguments, got 1/);
  });
});
