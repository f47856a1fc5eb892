import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { errorRatioExpression } from '../../lib/alarms/expression';
import { atPeriod, budgetRemainingExpression, eventsExpression, goodPercentExpression, relativeStart } from '../../lib/dashboards/expressions';
import { escapeMarkdown } from '../../lib/dashboards/markdown';
import { evaluateMetricMath, parseMetricMath } from '../../lib/simulation/metric-math';

const counts = { badEvents: 'FILL(bad0, 0)', totalEvents: 'total0' };

/** Evaluates an expression as CloudWatch would, for one datapoint of bad and total events. */
function evaluate(expression: string, bad: number | undefined, total: number | undefined): number | undefined {
  return evaluateMetricMath(parseMetricMath(expression), (id) => (id === 'bad0' ? bad : id === 'total0' ? total : undefined));
}

describe('the SLI as % good events', () => {
  test('is 100 x (1 - bad / max(total, bad)), the error ratio the alarms read, and 100 when there is no traffic', () => {
    const expression = goodPercentExpression(counts);
    expect(expression).toBe(`100 * (1 - ${errorRatioExpression(counts)})`);
    expect([evaluate(expression, 1, 1000), evaluate(expression, undefined, 1000), evaluate(expression, undefined, 0)]).toEqual([99.9, 100, 100]);
  });

  test('reads 0 % good, not 100 %, while only bad events come (an ALB with no healthy target: ELB 503s, no RequestCount)', () => {
    const expression = goodPercentExpression(counts);
    expect([evaluate(expression, 600, undefined), evaluate(expression, 600, 0), evaluate(expression, 400, 100)]).toEqual([0, 0, 0]);
  });
});

describe('the events beside it', () => {
  test('are max(total, bad), as the alarms count them: refused requests count', () => {
    const expression = eventsExpression(counts);
    expect(expression).toBe('IF(total0 > FILL(bad0, 0), total0, FILL(bad0, 0))');
    expect([evaluate(expression, 1, 1000), evaluate(expression, 600, 0), evaluate(expression, 0, 0)]).toEqual([1000, 600, 0]);
  });
});

describe('the error budget left', () => {
  test('is 100 x (1 - error ratio / budget), the error ratio the alarms read (0 without traffic)', () => {
    expect(budgetRemainingExpression(counts, 0.001)).toBe(`100 * (1 - ${errorRatioExpression(counts)} / 0.001)`);
  });

  test('is 100 with no errors or no traffic, 0 with the budget spent, negative when overspent', () => {
    const expression = budgetRemainingExpression(counts, 0.001);
    const values = [[0, 1_000_000], [undefined, 0], [500, 1_000_000], [1000, 1_000_000], [3000, 1_000_000]] as const;
    expect(values.map(([bad, total]) => Math.round(evaluate(expression, bad, total)!))).toEqual([100, 100, 50, 0, -200]);
  });

  test('an outage that stopped the total metric spends the budget at 100 % errors', () => {
    expect(Math.round(evaluate(budgetRemainingExpression(counts, 0.001), 50, 0)!)).toBe(-99_900);
  });
});

describe('a widget\'s relative start', () => {
  test('is written in days, hours or minutes, as CloudWatch dashboards take it', () => {
    expect([30 * 86_400, 28 * 86_400, 6 * 3_600, 90 * 60].map(relativeStart)).toEqual(['-P30D', '-P28D', '-PT6H', '-PT90M']);
  });
});

describe('reading a metric at a period', () => {
  test('sets every metric inside a math expression to that period', () => {
    const inner = new Metric({ namespace: 'Shop', metricName: 'Errors', period: Duration.minutes(1) });
    const math = new MathExpression({ expression: 'a + 1', usingMetrics: { a: inner } });
    const config = atPeriod(math, Duration.days(30)).toMetricConfig().mathExpression!;
    expect([config.period, config.usingMetrics.a.toMetricConfig().metricStat!.period.toSeconds()]).toEqual([2_592_000, 2_592_000]);
  });
});

describe('markdown', () => {
  test('escapes what would format user text', () => {
    expect(escapeMarkdown('5xx_errors * [beta] <b>')).toBe('5xx\\_errors \\* \\[beta\\] \\<b\\>');
  });
});
