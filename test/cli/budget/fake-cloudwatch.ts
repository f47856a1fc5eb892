/**
 * A CloudWatch that answers GetMetricData and DescribeAlarms from metrics defined per minute, for
 * `budget` tests. Installed on the harness's aws-sdk-client-mock stub, so the command under test
 * runs its real SDK calls against it. It checks the requests as CloudWatch does (ids, at most 500
 * queries, periods valid for the range's age, the metric-math subset the manifests use), pages
 * its answers when `pageSize` is set, and fails calls on demand.
 */
import {
  DescribeAlarmsCommand,
  DescribeAlarmsCommandInput,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricAlarm,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { ReliabilityManifest } from '../../../lib/manifest/schema';
import type { Harness } from '../support/harness';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A metric whose value each minute is given by `perMinute` (undefined: no datapoint that minute). */
export interface FakeMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** Sum, SampleCount and TC(...) all add up the minutes. */
  readonly statistic: string;
  readonly perMinute: (minuteStart: number) => number | undefined;
}

type Series = Map<number, number>;
interface Point { readonly id: string; readonly t: number; readonly v: number }
type Value = Series | number;

function validationError(message: string): Error {
  const error = new Error(message);
  error.name = 'InvalidParameterValueException';
  return error;
}

function sameDimensions(a: Record<string, string>, b: ReadonlyArray<{ Name?: string; Value?: string }>): boolean {
  const entries = Object.entries(a);
  return entries.length === b.length && entries.every(([name, value]) => b.some((d) => d.Name === name && d.Value === value));
}

/** The metric-math subset of the manifests: numbers, ids, + - * /, parentheses, FILL(series, number). */
function evaluate(expression: string, lookup: (id: string) => Value, grid: readonly number[]): Value {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[()+\-*/,]/g) ?? [];
  let i = 0;
  const binary = (a: Value, b: Value, op: string): Value => {
    const f = (x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
    if (typeof a === 'number' && typeof b === 'number') return f(a, b);
    const out: Series = new Map();
    const keys = typeof a === 'number' ? [...(b as Series).keys()] : [...a.keys()];
    for (const t of keys) {
      const x = typeof a === 'number' ? a : a.get(t);
      const y = typeof b === 'number' ? b : b.get(t);
      if (x !== undefined && y !== undefined && !(op === '/' && y === 0)) out.set(t, f(x, y));
    }
    return out;
  };
  const factor = (): Value => {
    const token = tokens[i++];
    if (token === '(') {
      const value = sum();
      if (tokens[i++] !== ')') throw validationError(`bad expression ${expression}`);
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === 'FILL') {
      if (tokens[i++] !== '(') throw validationError(`bad expression ${expression}`);
      const series = sum();
      if (tokens[i++] !== ',') throw validationError(`bad expression ${expression}`);
      const fill = sum();
      if (tokens[i++] !== ')' || typeof series === 'number' || typeof fill !== 'number') throw validationError(`bad FILL in ${expression}`);
      return new Map(grid.map((t) => [t, series.get(t) ?? fill]));
    }
    if (/^[a-z]/.test(token ?? '')) return lookup(token);
    throw validationError(`unsupported token '${token}' in ${expression}`);
  };
  const product = (): Value => {
    let value = factor();
    while (tokens[i] === '*' || tokens[i] === '/') {
      const op = tokens[i++];
      value = binary(value, factor(), op);
    }
    return value;
  };
  const sum = (): Value => {
    let value = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++];
      value = binary(value, product(), op);
    }
    return value;
  };
  const result = sum();
  if (i !== tokens.length) throw validationError(`bad expression ${expression}`);
  return result;
}

export class FakeCloudWatch {
  public readonly metrics: FakeMetric[] = [];
  public readonly alarms: MetricAlarm[] = [];
  /** Every GetMetricData input, pages included. */
  public readonly requests: GetMetricDataCommandInput[] = [];
  /** Every DescribeAlarms input. */
  public readonly alarmRequests: DescribeAlarmsCommandInput[] = [];
  /** Errors the next GetMetricData calls reject with, one per call. */
  public readonly failures: Error[] = [];
  /** Reject every GetMetricData call with this. @default - answer */
  public alwaysFail?: Error;
  /** Datapoints per page. @default - one page */
  public pageSize?: number;
  /** Reject DescribeAlarms with this. @default - answer */
  public alarmsError?: Error;
  /** Answers by request (pages of one request are cut from the same answer). */
  private readonly answered = new Map<string, Point[]>();

  constructor(private readonly now: () => number) {}

  public define(metric: FakeMetric): this {
    this.metrics.push(metric);
    return this;
  }

  /** Wires the fake to the harness's CloudWatch stub. */
  public install(h: Harness): this {
    h.cloudWatch.on(GetMetricDataCommand).callsFake(async (input: GetMetricDataCommandInput) => this.getMetricData(input));
    h.cloudWatch.on(DescribeAlarmsCommand).callsFake(async (input: DescribeAlarmsCommandInput) => this.describeAlarms(input));
    return this;
  }

  /** The deployed window alarms of every SLO of `manifest`, their metrics' deploy-time values replaced per `values`. */
  public deploy(manifest: ReliabilityManifest, values: Record<string, string> = {}): this {
    const resolve = (text: string) => text.replace(/\$\{[^}]*\}/g, (token) => values[token] ?? token);
    for (const service of manifest.services) {
      for (const slo of service.slos) {
        const metrics: MetricDataQuery[] = slo.sli.metrics.map((m) => (m.expression
          ? { Id: m.id, Expression: m.expression, ReturnData: false }
          : {
            Id: m.id,
            MetricStat: {
              Metric: {
                Namespace: resolve(m.namespace),
                MetricName: resolve(m.metricName),
                Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value: resolve(Value) })),
              },
              Period: 300,
              Stat: m.statistic,
            },
            ReturnData: false,
          }));
        for (const tier of slo.tiers) {
          for (const name of [tier.alarmNames.long, tier.alarmNames.short]) {
            this.alarms.push({ AlarmName: name, Metrics: [{ Id: 'expr_1', Expression: 'burn rate', ReturnData: true }, ...metrics] });
          }
        }
      }
    }
    return this;
  }

  public describeAlarms(input: DescribeAlarmsCommandInput) {
    this.alarmRequests.push(input);
    if (this.alarmsError) throw this.alarmsError;
    if ((input.AlarmNames?.length ?? 0) > 100) throw validationError('at most 100 alarm names');
    return { MetricAlarms: this.alarms.filter((a) => input.AlarmNames?.includes(a.AlarmName!)) };
  }

  public getMetricData(input: GetMetricDataCommandInput): Omit<GetMetricDataCommandOutput, '$metadata'> {
    this.requests.push(input);
    if (this.alwaysFail) throw this.alwaysFail;
    const failure = this.failures.shift();
    if (failure) throw failure;
    const queries = input.MetricDataQueries ?? [];
    if (queries.length > 500) throw validationError(`${queries.length} MetricDataQuery structures; at most 500`);
    const ids = queries.map((q) => q.Id ?? '');
    for (const id of ids) {
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw validationError(`invalid Id ${id}`);
    }
    if (new Set(ids).size !== ids.length) throw validationError('duplicate Ids');
    const start = new Date(input.StartTime!).getTime();
    const end = new Date(input.EndTime!).getTime();
    const age = this.now() - start;

    const key = JSON.stringify([queries, start, end]);
    const points = this.answered.get(key) ?? this.answer(queries, start, end, age);
    this.answered.set(key, points);
    if (points.length > 100_800 && !this.pageSize) throw validationError('more than 100,800 datapoints in one page');
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const size = this.pageSize ?? points.length;
    const page = points.slice(offset, offset + size);
    const more = offset + size < points.length;
    const results: MetricDataResult[] = queries.filter((q) => q.ReturnData !== false).map((q) => {
      const mine = page.filter((p) => p.id === q.Id);
      return {
        Id: q.Id,
        Label: q.Label,
        Timestamps: mine.map((p) => new Date(p.t)),
        Values: mine.map((p) => p.v),
        StatusCode: more ? 'PartialData' : 'Complete',
      };
    });
    return { MetricDataResults: results, ...(more ? { NextToken: String(offset + size) } : {}), Messages: [] };
  }

  /** The datapoints of every returned query, by id then time. */
  private answer(queries: MetricDataQuery[], start: number, end: number, age: number): Point[] {
    const cache = new Map<string, Value>();
    const byId = new Map(queries.map((q) => [q.Id!, q]));
    const lookup = (id: string, grid: readonly number[]): Value => {
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
      const q = byId.get(id);
      if (!q) throw validationError(`unknown id ${id}`);
      const value = q.Expression !== undefined ? evaluate(q.Expression, (x) => lookup(x, grid), grid) : this.metricSeries(q, start, end, age);
      cache.set(id, value);
      return value;
    };
    const period = queries.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60;
    const grid: number[] = [];
    for (let t = start; t < end; t += period * 1000) grid.push(t);

    const points: Point[] = [];
    for (const q of queries) {
      if (q.ReturnData === false) continue;
      const value = lookup(q.Id!, grid);
      if (typeof value === 'number') throw validationError(`${q.Id} is not a time series`);
      for (const t of [...value.keys()].sort((a, b) => a - b)) points.push({ id: q.Id!, t, v: value.get(t)! });
    }
    return points;
  }

  /** A metric's series per period, as CloudWatch serves it for a range this old. */
  private metricSeries(q: MetricDataQuery, start: number, end: number, age: number): Series {
    const stat = q.MetricStat!;
    const period = stat.Period ?? 0;
    if (period % 60 !== 0 || period <= 0) throw validationError(`Period ${period} is not a multiple of 60`);
    const series: Series = new Map();
    // CloudWatch returns nothing for a period finer than the resolution it keeps at this age
    if ((age > 15 * DAY && period % 300 !== 0) || (age > 63 * DAY && period % 3600 !== 0)) return series;
    const metric = this.metrics.find((m) => m.namespace === stat.Metric?.Namespace && m.metricName === stat.Metric?.MetricName
      && m.statistic === stat.Stat && sameDimensions(m.dimensions, stat.Metric?.Dimensions ?? []));
    if (!metric) return series;
    for (let t = start; t < end; t += period * 1000) {
      let sum: number | undefined;
      for (let minute = t; minute < Math.min(t + period * 1000, end); minute += MINUTE) {
        const value = metric.perMinute(minute);
        if (value !== undefined) sum = (sum ?? 0) + value;
      }
      if (sum !== undefined) series.set(t, sum);
    }
    return series;
  }
}
