import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { ISli, ReliableService, SliBinding } from '../../lib';
import { burnRateExpression } from '../../lib/alarms/expression';
import { evaluateMetricMath, parseMetricMath } from '../../lib/simulation/metric-math';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';

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

/** A service `orders` with one SLO `slo` on the SLI `build` returns, its template and its alarms as the faithful evaluator reads them. */
export function sloOn(build: (stack: Stack) => ISli, objective = 99.5) {
  const stack = new Stack(new App(), 'Shop');
  new ReliableService(stack, 'Orders', { serviceName: 'orders', dashboard: false, slos: [{ name: 'slo', objective, sli: build(stack) }] });
  const template = Template.fromStack(stack);
  return { stack, template, model: sloAlarmsFromTemplate(template.toJSON(), 'orders', 'slo') };
}

/** The window alarm `orders-slo-<suffix>` of a template. */
export function windowAlarm(template: Template, suffix: string): any {
  const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((r) => r.Properties.AlarmName === `orders-slo-${suffix}`);
  if (!alarm) {
    throw new Error(`no alarm orders-slo-${suffix}`);
  }
  return alarm.Properties;
}

/** A scenario in which the metric named `metricName` is `during` from `from` for `minutes` minutes and `otherwise` at other times (`undefined`: not published). */
export function episode(metricName: string, from: number, minutes: number, during: number | undefined, otherwise: number | undefined) {
  return (metric: { readonly metricName: string }, minute: number) => (metric.metricName !== metricName ? undefined
    : minute >= from && minute < from + minutes ? during : otherwise);
}
