import { IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { asList, describeMetric, MetricIds, metricShape, withStatistic } from './metrics';
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
 * not as "no data"). The total is not filled: a window without traffic has no datapoint and
 * never breaches.
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
