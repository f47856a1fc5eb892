import { IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { describeMetric, leafMetrics, metricKey, MetricIds, metricName, metricPeriods, metricShape, withStatistic } from './metrics';
import { ISli, SliBinding } from './sli-definition';
import { describeValue } from '../private/describe';

/**
 * Props of `Sli.ratio`: count events; give the good or the bad events, and all events.
 *
 * Each side is one metric (`bad`, `good`, `total`), or several metrics whose counts are added up
 * (`badMetrics`, `goodMetrics`, `totalMetrics`): one prop per shape rather than one prop taking
 * either a metric or a list, so that each prop has one type in every jsii language and the
 * common case reads `Sli.ratio({ bad: errors, total: requests })` in TypeScript and
 * `Sli.ratio(bad=errors, total=requests)` in Python.
 *
 * Each metric counts events with its statistic: `Sum` (the values are counts) or `SampleCount`
 * (each sample is an event); `Average`, the aws-cdk-lib default, is read as `Sum`; any other
 * statistic is refused. A period given with a metric is not used: each alert window is the period.
 */
export interface RatioSliProps {
  /**
   * The metric counting good events. Give exactly one of `good`, `goodMetrics`, `bad`, `badMetrics`.
   * @default - none; give `bad` (or `goodMetrics`, `badMetrics`) instead
   */
  readonly good?: IMetric;
  /**
   * Several metrics counting good events, added up.
   * @default - none; give `good` (or `bad`, `badMetrics`) instead
   */
  readonly goodMetrics?: IMetric[];
  /**
   * The metric counting bad events. Give exactly one of `good`, `goodMetrics`, `bad`, `badMetrics`.
   * @default - none; give `good` (or `goodMetrics`, `badMetrics`) instead
   */
  readonly bad?: IMetric;
  /**
   * Several metrics counting bad events, added up (e.g. a function's errors and throttles).
   * @default - none; give `bad` (or `good`, `goodMetrics`) instead
   */
  readonly badMetrics?: IMetric[];
  /**
   * The metric counting all events; give it or `totalMetrics`. Bad events in a window without
   * (enough) total events count as errors (the alarms divide by the larger of the two).
   * @default - none; give `totalMetrics` instead
   */
  readonly total?: IMetric;
  /**
   * Several metrics counting all events, added up; give them or `total`.
   * @default - none; give `total` instead
   */
  readonly totalMetrics?: IMetric[];
  /**
   * What the SLI counts, for alarm descriptions.
   * @default - built from the metric names: `bad events 5XXError over total Count`
   */
  readonly description?: string;
}

/** One side of a ratio SLI (good, bad or total events), as given. */
interface Side {
  /** Whether the side was given, as one metric or as a list. */
  readonly given: boolean;
  /** Its metrics: one, or the list (holes kept as `undefined`, which validation reports). */
  readonly metrics: IMetric[];
  /** How each metric is named in messages: `` `bad` ``, `` `badMetrics`[1] ``. */
  readonly labels: string[];
  /** What is wrong with its shape. */
  readonly problems: string[];
}

type SideName = 'good' | 'bad' | 'total';

/** Reads one side from its single-metric prop and its list prop. */
function sideOf(props: RatioSliProps, name: SideName): Side {
  const listName = `${name}Metrics` as const;
  const one = props[name] as unknown;
  const list = props[listName] as unknown;
  const problems: string[] = [];
  if (one !== undefined && list !== undefined) {
    problems.push(`Sli.ratio takes \`${name}\` (one metric) or \`${listName}\` (several, added up), got both`);
  }
  if (Array.isArray(one)) {
    problems.push(`Sli.ratio \`${name}\` is a list: give one metric, or the list as \`${listName}\``);
  }
  if (list !== undefined && !Array.isArray(list)) {
    problems.push(`Sli.ratio \`${listName}\` must be a list of metrics (one metric goes in \`${name}\`), got ${describeValue(list)}`);
  } else if (Array.isArray(list) && list.length === 0) {
    problems.push(`Sli.ratio \`${listName}\` is an empty list: give at least one metric`);
  }
  if (list !== undefined) {
    const metrics = Array.isArray(list) ? Array.from(list as IMetric[]) : [list as IMetric];
    return { given: true, metrics, labels: metrics.map((_, i) => `\`${listName}\`[${i}]`), problems };
  }
  if (one !== undefined) {
    const metrics = Array.isArray(one) ? Array.from(one as IMetric[]) : [one as IMetric];
    return { given: true, metrics, labels: metrics.map((_, i) => Array.isArray(one) ? `\`${name}\`[${i}]` : `\`${name}\``), problems };
  }
  return { given: false, metrics: [], labels: [], problems };
}

/**
 * An SLI from event counts: error ratio = bad / total, or (total - good) / total.
 *
 * Statistics: a metric counts events with `Sum` (its values are counts) or `SampleCount` (each
 * sample is an event, e.g. the requests behind DynamoDB's `SuccessfulRequestLatency`), as it says.
 * `Average`, the aws-cdk-lib default for a metric created without a statistic, is read as `Sum`:
 * the events in a window are the sum of the counts, and an average would silently compute
 * something else (an explicit `Average` cannot be told apart from the default, and is read the
 * same way). Any other statistic (percentiles, `Minimum`, `Maximum`, trimmed statistics, ...) does
 * not count events and is refused by `validate()`.
 *
 * Every metric is `FILL`ed with 0 (CloudWatch: `FILL` "fills the missing values of a time series",
 * "Metric math syntax and functions", docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 * AWS count metrics are not published while zero, a missing good count during a total outage
 * must read as 0 good, and a total that stopped must read as 0 rather than blank the alarm (the
 * burn-rate expression then counts bad events without total events as errors, and a window with
 * no events at all as an explicit 0; see `lib/alarms/expression.ts`).
 *
 * The metrics' own periods are not used: each alarm evaluates its window as the period.
 */
export class RatioSli implements ISli {
  public readonly kind = 'ratio';

  constructor(private readonly props: RatioSliProps) {}

  public validate(): string[] {
    const p = this.props ?? ({} as RatioSliProps);
    const good = sideOf(p, 'good');
    const bad = sideOf(p, 'bad');
    const total = sideOf(p, 'total');
    const problems: string[] = [];
    const events = [['good', good], ['bad', bad]] as const;
    const given = events.filter(([, side]) => side.given).map(([name]) => name);
    if (given.length !== 1) {
      problems.push('Sli.ratio needs exactly one of `good` or `bad` (or `goodMetrics`, `badMetrics` for several metrics), '
        + `got ${given.length === 0 ? 'neither' : 'both'}`);
    }
    if (!total.given) {
      problems.push('Sli.ratio needs `total` (or `totalMetrics`), the metric(s) counting all events, got none');
    }
    if (p.description !== undefined && typeof p.description !== 'string') {
      problems.push(`Sli.ratio \`description\` must be a string (it is shown in alarm descriptions and dashboards), got ${typeof p.description}`);
    }
    for (const side of [good, bad, total]) {
      problems.push(...side.problems);
      side.metrics.forEach((m, i) => {
        const label = side.labels[i];
        const shape = m && typeof (m as IMetric).toMetricConfig === 'function' ? metricShape(m) : 'unknown';
        if (shape === 'search') {
          problems.push(`Sli.ratio ${label} is a SEARCH expression, which CloudWatch alarms cannot evaluate: pass metrics`);
        } else if (shape === 'unknown') {
          problems.push(`Sli.ratio ${label} is not a CloudWatch metric or math expression`);
        } else {
          problems.push(...statisticProblems(label, m));
        }
      });
    }
    if (problems.length === 0) {
      problems.push(...mathIdProblems([...good.metrics, ...bad.metrics, ...total.metrics]), ...degenerateProblems(good.metrics, bad.metrics, total.metrics));
    }
    return problems;
  }

  public bind(): SliBinding {
    const ids = new MetricIds();
    const filled = (role: string, list: IMetric[]) =>
      list.map((m) => `FILL(${ids.idFor(role, counted(m))}, 0)`).join(' + ');
    const good = sideOf(this.props, 'good').metrics;
    const bad = sideOf(this.props, 'bad');
    const totalList = sideOf(this.props, 'total').metrics;
    const totalEvents = totalList.length === 1 ? filled('total', totalList) : `(${filled('total', totalList)})`;

    let badEvents: string;
    if (bad.given) {
      badEvents = bad.metrics.length === 1 ? filled('bad', bad.metrics) : `(${filled('bad', bad.metrics)})`;
    } else {
      badEvents = `(${totalEvents} - (${filled('good', good)}))`;
    }

    const names = (list: IMetric[]) => list.map(describeMetric).join(' + ');
    const description = this.props.description
      ?? (bad.given
        ? `bad events ${names(bad.metrics)} over total ${names(totalList)}`
        : `good events ${names(good)} over total ${names(totalList)}`);

    const all = [...good, ...bad.metrics, ...totalList];
    const replacedPeriodSeconds = [...new Set(all.flatMap(metricPeriods))].sort((a, b) => a - b);
    return {
      usingMetrics: ids.usingMetrics, badEvents, totalEvents, metricCount: ids.metricCount, description,
      ...(replacedPeriodSeconds.length > 0 ? { replacedPeriodSeconds } : {}),
    };
  }
}

/**
 * The statistic that counts the events of a metric carrying `statistic`: `Sum` and `SampleCount`
 * as they are, `Average` (aws-cdk-lib's default) as `Sum`; `undefined` for any other statistic.
 */
function countStatistic(statistic: string): string | undefined {
  switch (statistic) {
    case Stats.SUM:
    case Stats.SAMPLE_COUNT:
      return statistic;
    case Stats.AVERAGE:
      return Stats.SUM;
    default:
      return undefined;
  }
}

/** `metric` with the statistic that counts its events (see `countStatistic`), `Sum` where there is none. */
function counted(metric: IMetric): IMetric {
  return withStatistic(metric, (carried) => countStatistic(carried) ?? Stats.SUM);
}

/** Metrics (inside math expressions too) whose statistic does not count events. */
function statisticProblems(label: string, metric: IMetric): string[] {
  return leafMetrics(metric).flatMap((leaf) => {
    const statistic = leaf.toMetricConfig().metricStat?.statistic;
    if (statistic === undefined || countStatistic(statistic) !== undefined) {
      return [];
    }
    return [`Sli.ratio ${label} (${metricName(leaf)}) uses the statistic ${statistic}, which does not count events: `
      + 'use Sum (the metric\'s values are event counts) or SampleCount (each sample is an event, e.g. the requests behind a latency metric); '
      + 'Average, the aws-cdk-lib default, is read as Sum. For a share of requests under a latency threshold, use Sli.latency'];
  });
}

/** Ids inside the user's math expressions must not collide with each other or with ours. */
function mathIdProblems(metrics: IMetric[]): string[] {
  const problems: string[] = [];
  const keys = new Map<string, string>();
  const visit = (metric: IMetric) => {
    const math = metric.toMetricConfig().mathExpression;
    for (const [id, inner] of Object.entries(math?.usingMetrics ?? {})) {
      const key = metricKey(counted(inner));
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
  const keys = (list: IMetric[]) => new Set(list.map((m) => metricKey(counted(m))));
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
