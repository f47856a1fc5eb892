import { Token } from 'aws-cdk-lib';
import { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SliBinding } from '../../lib';
import { burnRateExpression } from '../../lib/alarms/expression';
import { evaluateMetricMath, parseMetricMath } from '../../lib/simulation/metric-math';

/**
 * `Namespace MetricName Statistic {dimensions}` of every metric an SLI reads, by id; unresolved
 * dimension values read `<token>`. With `region`, the metric's pinned region is appended.
 */
export function metricsOf(binding: SliBinding, options: { region?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, m] of Object.entries(binding.usingMetrics)) {
    const s = (m as IMetric).toMetricConfig().metricStat!;
    const dims = (s.dimensions ?? []).map((d) => `${d.name}=${Token.isUnresolved(d.value) ? '<token>' : d.value}`).join(',');
    out[id] = `${s.namespace} ${s.metricName} ${s.statistic} {${dims}}${options.region ? ` ${s.region}` : ''}`;
  }
  return out;
}

/** The burn rate at a 99.9 % objective for the given metric values (the short-window expression). */
export function burnRate(b: SliBinding, values: Record<string, number>): number | undefined {
  return evaluateMetricMath(parseMetricMath(burnRateExpression(b, 0.001)), (id) => values[id]);
}
