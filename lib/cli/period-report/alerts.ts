/**
 * When the SLOs' page and ticket alarms (and the experiments' stop conditions) went to ALARM:
 * CloudWatch DescribeAlarmHistory, StateUpdate items of composite and metric alarms, every page,
 * retried when throttled. CloudWatch keeps alarm history 30 days.
 */
import { DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import type { FetchContext } from '../budget/fetch';
import { withRetries } from '../budget/retry';
import { isAccessDenied } from './aws';

/** Transitions to ALARM (ms), per alarm name; `denied` when the identity may not read history. */
export interface AlarmHistory {
  readonly alarms: ReadonlyMap<string, readonly number[]>;
  /** @default - allowed */
  readonly denied?: string;
}

/** Pages per alarm before giving up on a NextToken that never ends. */
const MAX_PAGES = 1_000;

/** The time of a StateUpdate item to ALARM, or undefined for other items. */
export function alarmTransition(historyData: string | undefined, timestamp: Date | undefined): number | undefined {
  try {
    const data = JSON.parse(historyData ?? '{}') as { newState?: { stateValue?: string } };
    if (data.newState?.stateValue !== 'ALARM') {
      return undefined;
    }
  } catch {
    return undefined;
  }
  return timestamp ? new Date(timestamp).getTime() : undefined;
}

/** The transitions to ALARM of `names` in [start, end). */
export async function readAlarmHistory(context: FetchContext, names: readonly string[], start: number, end: number): Promise<AlarmHistory> {
  const alarms = new Map<string, number[]>();
  for (const name of names) {
    const times: number[] = [];
    let nextToken: string | undefined;
    for (let page = 1; page <= MAX_PAGES; page++) {
      let output;
      try {
        output = await withRetries(
          `CloudWatch DescribeAlarmHistory in ${context.region}`,
          () => context.client.send(new DescribeAlarmHistoryCommand({
            AlarmName: name,
            AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
            HistoryItemType: 'StateUpdate',
            StartDate: new Date(start),
            EndDate: new Date(end),
            ScanBy: 'TimestampAscending',
            MaxRecords: 100,
            ...(nextToken ? { NextToken: nextToken } : {}),
          })),
          (ms) => context.sleep(ms),
          context.retry,
        );
      } catch (err) {
        if (isAccessDenied(err)) {
          return { alarms, denied: (err as Error).message ?? String(err) };
        }
        throw err;
      }
      for (const item of output?.AlarmHistoryItems ?? []) {
        const at = alarmTransition(item.HistoryData, item.Timestamp);
        if (at !== undefined && at >= start && at < end) {
          times.push(at);
        }
      }
      const token = output?.NextToken;
      if (!token || token === nextToken) {
        break;
      }
      nextToken = token;
    }
    alarms.set(name, times.sort((a, b) => a - b));
  }
  return { alarms };
}
