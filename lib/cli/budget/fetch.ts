/**
 * The CloudWatch calls of `budget`: GetMetricData (every page, retried when throttled) and
 * DescribeAlarms (the deployed window alarms, which hold the SLI's metrics with their deploy-time
 * dimension values resolved).
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  MetricAlarm,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { CliError } from '../errors';
import type { PlannedRequest } from './plan';
import { RetryPolicy, withRetries } from './retry';

/** A series as read: timestamps (ms) and values, in the same order. */
export interface Series {
  readonly timestamps: number[];
  readonly values: number[];
}

/** The calls' shared context. */
export interface FetchContext {
  readonly client: CloudWatchClient;
  readonly region: string;
  sleep(ms: number): Promise<void>;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
}

/** Pages of one request before giving up on a NextToken that never ends. */
const MAX_PAGES = 1_000;

function describeResult(result: MetricDataResult): string {
  const messages = (result.Messages ?? []).map((m) => `${m.Code ?? ''}${m.Code && m.Value ? ': ' : ''}${m.Value ?? ''}`).filter(Boolean);
  return `${result.Label ?? result.Id}${messages.length ? ` (${messages.join('; ')})` : ''}`;
}

/**
 * Runs one planned request, following NextToken, and returns every returned series by id
 * (datapoints of all pages together). Throws a `CliError` when CloudWatch reports a query as
 * failed (StatusCode InternalError or Forbidden).
 */
export async function getMetricData(context: FetchContext, request: PlannedRequest): Promise<Map<string, Series>> {
  const series = new Map<string, { timestamps: number[]; values: number[] }>();
  let nextToken: string | undefined;
  for (let page = 1; ; page++) {
    const output = await withRetries(
      `CloudWatch GetMetricData in ${context.region}`,
      () => context.client.send(new GetMetricDataCommand({
        MetricDataQueries: request.queries,
        StartTime: request.window.start,
        EndTime: request.window.end,
        ScanBy: 'TimestampAscending',
        ...(nextToken ? { NextToken: nextToken } : {}),
      })),
      (ms) => context.sleep(ms),
      context.retry,
    );
    for (const result of output?.MetricDataResults ?? []) {
      if (result.StatusCode === 'InternalError' || result.StatusCode === 'Forbidden') {
        throw new CliError(`CloudWatch could not read ${describeResult(result)} in ${context.region}: status ${result.StatusCode}`
          + (result.StatusCode === 'Forbidden' ? '; the identity needs cloudwatch:GetMetricData on the metrics' : '; try again later'));
      }
      if (!result.Id) {
        continue;
      }
      const entry = series.get(result.Id) ?? { timestamps: [], values: [] };
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
        entry.timestamps.push(new Date(timestamps[i]).getTime());
        entry.values.push(values[i]);
      }
      series.set(result.Id, entry);
    }
    const token = output?.NextToken;
    if (!token) {
      return series;
    }
    if (token === nextToken || page >= MAX_PAGES) {
      throw new CliError(`CloudWatch GetMetricData in ${context.region} kept returning more pages (${page}); giving up`);
    }
    nextToken = token;
  }
}

/** Sum of the values of `series` at timestamps at or after `from` (ms). */
export function sumSince(series: Series | undefined, from = -Infinity): number {
  if (!series) {
    return 0;
  }
  let sum = 0;
  for (let i = 0; i < series.timestamps.length; i++) {
    const value = series.values[i];
    if (series.timestamps[i] >= from && Number.isFinite(value)) {
      sum += value;
    }
  }
  return sum;
}

/** The deployed alarms found, by name; `denied` when the identity may not call DescribeAlarms. */
export interface DeployedAlarms {
  readonly alarms: ReadonlyMap<string, MetricAlarm>;
  /** The AccessDenied message. @default - allowed */
  readonly denied?: string;
}

/** DescribeAlarms: names per request. */
const MAX_ALARM_NAMES = 100;

/**
 * The metric alarms among `names` that exist (in the client's region and account). An
 * AccessDenied is returned as `denied` (the caller decides whether it matters); other errors throw.
 */
export async function describeAlarms(context: FetchContext, names: readonly string[]): Promise<DeployedAlarms> {
  const alarms = new Map<string, MetricAlarm>();
  for (let i = 0; i < names.length; i += MAX_ALARM_NAMES) {
    const chunk = names.slice(i, i + MAX_ALARM_NAMES);
    let nextToken: string | undefined;
    for (let page = 1; page <= MAX_PAGES; page++) {
      let output;
      try {
        output = await withRetries(
          `CloudWatch DescribeAlarms in ${context.region}`,
          () => context.client.send(new DescribeAlarmsCommand({
            AlarmNames: chunk,
            AlarmTypes: ['MetricAlarm'],
            MaxRecords: MAX_ALARM_NAMES,
            ...(nextToken ? { NextToken: nextToken } : {}),
          })),
          (ms) => context.sleep(ms),
          context.retry,
        );
      } catch (err) {
        const e = err as { name?: string; Code?: string; message?: string };
        if (e?.name === 'AccessDenied' || e?.name === 'AccessDeniedException' || e?.Code === 'AccessDenied') {
          return { alarms, denied: e.message ?? String(err) };
        }
        throw err;
      }
      for (const alarm of output?.MetricAlarms ?? []) {
        if (alarm.AlarmName) {
          alarms.set(alarm.AlarmName, alarm);
        }
      }
      const token = output?.NextToken;
      if (!token || token === nextToken) {
        break;
      }
      nextToken = token;
    }
  }
  return { alarms };
}
