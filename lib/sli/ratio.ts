import { IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { asList, describeMetric, metricKey, MetricIds, metricShape, withStatistic } from './metrics';
import { ISli, SliBinding } from './sli-definition';

/** Props of `Sli.ratio`: count events; give exactly one of `good` or `bad`. */
export interface RatioSliProps {
  /**
   * Metric(s) counting good events; several are added up.
   * @default - none; give `bad` instead
   */
  readonly good?: IMetric | IMetric[];
  /**
   * Metric(s) counting bad events; several are added up.
   * @default - none; give `good` instead
   */
  readonly bad?: IMetric | IMetric[];
  /** Metric(s) counting all events; several are added up. */
  readonly total: IMetric | IMetric[];
  /**
   * What the SLI counts, for alarm descriptions.
   * @default - built from the metric names: `bad: 5XXError; total: Count`
   */
  readonly description?: string;
}

/**
 * An SLI from event counts: error ratio = bad / total, or (total - good) / total.
 *
 * Every metric is aggregated with `Sum` whatever statistic it carries: the events in a window are
 * the sum of the counts, and the CDK default statistic (Average) would silently compute
 * something else. Bad and good counts are `FILL`ed with 0, because many count metrics are not
 * published while they are zero (a missing good count during a total outage must read as 0 good,
 * not as "no data"). A single total is not filled: a window without traffic has no datapoint and
 * never breaches (several totals are filled so that one absent term does not blank the sum; the
 * burn-rate expression's `IF(total > 0, …)` still keeps empty windows healthy).
 */
export class RatioSli implements ISli {
  public readonly kind = 'ratio';

  constructor(private readonly props: RatioSliProps) {}

  public validate(): string[] {
    const problems: string[] = [];
    const p = this.props ?? ({} as RatioSliProps);
    const good = asList(p.good);
    const bad = asList(p.bad);
    const total = asList(p.total);
    if (p.good !== undefined && p.bad !== undefined) {
      problems.push('Sli.ratio needs exactly one of `good` or `bad`, got both');
    } else if (p.good === undefined && p.bad === undefined) {
      problems.push('Sli.ratio needs exactly one of `good` or `bad`, got neither');
    }
    if (p.total === undefined) {
      problems.push('Sli.ratio needs `total`, the metric(s) counting all events, got none');
    }
    if (p.description !== undefined && typeof p.description !== 'string') {
      problems.push(`Sli.ratio \`description\` must be a string (it is shown in alarm descriptions and dashboards), got ${typeof p.description}`);
    }
    for (const [name, list] of [['good', good], ['bad', bad], ['total', total]] as const) {
      if (Array.isArray(p[name]) && list.length === 0) {
        problems.push(`Sli.ratio \`${name}\` is an empty list: give at least one metric`);
      }
      list.forEach((m, i) => {
        const shape = m && typeof (m as IMetric).toMetricConfig === 'function' ? metricShape(m) : 'unknown';
        if (shape === 'search') {
          problems.push(`Sli.ratio \`${name}\`[${i}] is a SEARCH expression, which CloudWatch alarms cannot evaluate: pass metrics`);
        } else if (shape === 'unknown') {
          problems.push(`Sli.ratio \`${name}\`[${i}] is not a CloudWatch metric or math expression`);
        }
      });
    }
    if (problems.length === 0) {
      problems.push(...mathIdProblems([...good, ...bad, ...total]), ...degenerateProblems(good, bad, total));
    }
    return problems;
  }

  public bind(): SliBinding {
    const ids = new MetricIds();
    const sum = (m: IMetric) => withStatistic(m, Stats.SUM);
    const filled = (role: string, list: IMetric[]) =>
      list.map((m) => `FILL(${ids.idFor(role, sum(m))}, 0)`).join(' + ');

    const totalList = asList(this.props.total);
    const totalEvents = totalList.length === 1
      ? ids.idFor('total', sum(totalList[0]))
      : `(${filled('total', totalList)})`;

    let badEvents: string;
    if (this.props.bad !== undefined) {
      const bad = asList(this.props.bad);
      badEvents = bad.length === 1 ? filled('bad', bad) : `(${filled('bad', bad)})`;
    } else {
      badEvents = `(${totalEvents} - (${filled('good', asList(this.props.good))}))`;
    }

    const names = (list: IMetric[]) => list.map(describeMetric).join(' + ');
    const description = this.props.description
      ?? (this.props.bad !== undefined
        ? `bad events ${names(asList(this.props.bad))} over total ${names(totalList)}`
        : `good events ${names(asList(this.props.good))} over total ${names(totalList)}`);

    return { usingMetrics: ids.usingMetrics, badEvents, totalEvents, metricCount: ids.metricCount, description };
  }
}

/** Ids inside the user's math expressions must not collide with each other or with ours. */
function mathIdProblems(metrics: IMetric[]): string[] {
  const problems: string[] = [];
  const keys = new Map<string, string>();
  const visit = (metric: IMetric) => {
    const math = metric.toMetricConfig().mathExpression;
    for (const [id, inner] of Object.entries(math?.usingMetrics ?? {})) {
      const key = metricKey(withStatistic(inner, Stats.SUM));
      if (/^(bad|good|total)\d+$/.test(id)) {
        problems.push(`Sli.ratio math expression id '${id}' is reserved for the SLO's own metrics (bad0, good0, total0, …): rename it`);
      } else if (keys.has(id) && keys.get(id) !== key) {
        problems.push(`Sli.ratio math expressions use the id '${id}' for two different metrics: CloudWatch needs ids unique within an alarm`);
      }
      keys.set(id, key);
      visit(inner);
    }
  };
  metrics.forEach(visit);
  return [...new Set(problems)];
}

/** An SLI whose total is contained in its bad (or good) events measures nothing. */
function degenerateProblems(good: IMetric[], bad: IMetric[], total: IMetric[]): string[] {
  const keys = (list: IMetric[]) => new Set(list.map((m) => metricKey(withStatistic(m, Stats.SUM))));
  const totalKeys = keys(total);
  const contains = (side: Set<string>) => totalKeys.size > 0 && [...totalKeys].every((k) => side.has(k));
  if (bad.length > 0 && contains(keys(bad))) {
    return ['Sli.ratio `bad` includes every metric of `total`: the error ratio would be 100 % whenever there is traffic; pass the metric counting bad events'];
  }
  if (good.length > 0 && contains(keys(good))) {
    return ['Sli.ratio `good` includes every metric of `total`: the error ratio could never rise above 0; pass the metric counting good events'];
  }
  return [];
}
