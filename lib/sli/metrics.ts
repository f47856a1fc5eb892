/**
 * Turning user-supplied metrics into the metrics an SLO alarm reads. Pure (no construct scope).
 */
import { IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';

/** Keyed leaf metrics with a fixed statistic, for counting and de-duplication. */
export interface LeafMetric {
  /** Identity of the metric (namespace, name, dimensions, statistic, account, region). */
  readonly key: string;
  readonly metric: IMetric;
}

/** What kind of metric object this is, from its rendered config. */
export function metricShape(metric: IMetric): 'metric' | 'math' | 'search' | 'unknown' {
  const config = metric.toMetricConfig();
  if (config.metricStat) {
    return 'metric';
  }
  if (config.mathExpression) {
    return config.mathExpression.searchAccount !== undefined || config.mathExpression.searchRegion !== undefined
      || /\bSEARCH\s*\(/i.test(config.mathExpression.expression) ? 'search' : 'math';
  }
  return 'unknown';
}

/** CloudWatch's default period, which aws-cdk-lib gives a metric created without one. */
const DEFAULT_PERIOD_SECONDS = 300;

/**
 * A copy of `metric` aggregated with `statistic` (a string, or a function of the statistic each
 * leaf metric carries), whatever statistic it carried. Math expressions are rebuilt with every
 * metric inside them converted the same way.
 *
 * The metric's own period is dropped: an SLO alarm evaluates each alert window as its period
 * (CloudWatch: every metric of a math alarm uses the alarm's period), so a period the user gave is
 * never used, and left in place it makes aws-cdk-lib warn once per alarm that it was overridden.
 * `metricPeriods` tells which periods were dropped.
 */
export function withStatistic(metric: IMetric, statistic: string | ((carried: string) => string)): IMetric {
  const config = metric.toMetricConfig();
  if (config.metricStat) {
    const stat = config.metricStat;
    const dimensionsMap: Record<string, string> = {};
    for (const d of stat.dimensions ?? []) {
      dimensionsMap[d.name] = String(d.value);
    }
    return new Metric({
      namespace: stat.namespace,
      metricName: stat.metricName,
      dimensionsMap,
      statistic: typeof statistic === 'string' ? statistic : statistic(stat.statistic),
      unit: stat.unitFilter,
      account: stat.account,
      region: stat.region,
      label: config.renderingProperties?.label as string | undefined,
    });
  }
  if (config.mathExpression) {
    const math = config.mathExpression;
    const usingMetrics: Record<string, IMetric> = {};
    for (const [id, inner] of Object.entries(math.usingMetrics)) {
      usingMetrics[id] = withStatistic(inner, statistic);
    }
    return new MathExpression({ expression: math.expression, usingMetrics });
  }
  return metric;
}

/**
 * The periods, in seconds, that `metric` (and every metric inside it) carries other than
 * CloudWatch's default 5 minutes, sorted and without repeats.
 */
export function metricPeriods(metric: IMetric): number[] {
  const found = new Set<number>();
  const visit = (m: IMetric) => {
    const config = m.toMetricConfig();
    const seconds = config.metricStat ? config.metricStat.period.toSeconds() : config.mathExpression?.period;
    if (seconds !== undefined && seconds !== DEFAULT_PERIOD_SECONDS) {
      found.add(seconds);
    }
    Object.values(config.mathExpression?.usingMetrics ?? {}).forEach(visit);
  };
  visit(metric);
  return [...found].sort((a, b) => a - b);
}

/** The leaf metrics of `metric` (itself, or every metric inside a math expression). */
export function leafMetrics(metric: IMetric): IMetric[] {
  const math = metric.toMetricConfig().mathExpression;
  return math ? Object.values(math.usingMetrics).flatMap(leafMetrics) : [metric];
}

/** `AWS/ApiGateway 5XXError` */
export function metricName(metric: IMetric): string {
  const stat = metric.toMetricConfig().metricStat;
  return stat ? `${stat.namespace} ${stat.metricName}` : describeMetric(metric);
}

/** Identity of a metric after conversion, used to read a metric shared by two terms only once. */
export function metricKey(metric: IMetric): string {
  const config = metric.toMetricConfig();
  if (config.metricStat) {
    const s = config.metricStat;
    const dims = [...(s.dimensions ?? [])].map((d) => `${d.name}=${d.value}`).sort().join(',');
    return JSON.stringify([s.namespace, s.metricName, dims, s.statistic, s.unitFilter ?? '', s.account ?? '', s.region ?? '']);
  }
  if (config.mathExpression) {
    const m = config.mathExpression;
    const inner = Object.keys(m.usingMetrics).sort().map((id) => `${id}:${metricKey(m.usingMetrics[id])}`).join(';');
    return JSON.stringify(['math', m.expression, inner]);
  }
  return JSON.stringify(['unknown']);
}

/** How many metrics CloudWatch counts for this metric object (math expressions count their metrics). */
export function countMetrics(metric: IMetric): number {
  const config = metric.toMetricConfig();
  if (config.mathExpression) {
    return Object.values(config.mathExpression.usingMetrics).reduce((sum, m) => sum + countMetrics(m), 0);
  }
  return 1;
}

/** A readable name of a metric for descriptions: `AWS/ApiGateway 5XXError`, or the expression. */
export function describeMetric(metric: IMetric): string {
  const config = metric.toMetricConfig();
  if (config.metricStat) {
    return config.metricStat.metricName;
  }
  if (config.mathExpression) {
    return config.mathExpression.expression;
  }
  return 'metric';
}

/**
 * Expression ids for metrics, handing out one id per distinct metric so that a metric used by
 * two terms (Lambda throttles are both bad and part of the total) is read, and paid for, once.
 */
export class MetricIds {
  public readonly usingMetrics: Record<string, IMetric> = {};
  private readonly byKey = new Map<string, string>();
  private metrics = 0;

  /** Id of `metric`, e.g. `bad0`; the same metric always gets the same id. */
  public idFor(role: string, metric: IMetric): string {
    const key = metricKey(metric);
    const known = this.byKey.get(key);
    if (known) {
      return known;
    }
    let n = 0;
    while (`${role}${n}` in this.usingMetrics) {
      n++;
    }
    const id = `${role}${n}`;
    this.usingMetrics[id] = metric;
    this.byKey.set(key, id);
    this.metrics += countMetrics(metric);
    return id;
  }

  /** Distinct metrics read. */
  public get metricCount(): number {
    return this.metrics;
  }
}
