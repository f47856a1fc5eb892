/**
 * When the SLOs' page and ticket alarms (and the experiments' stop conditions) went to ALARM:
 * CloudWatch DescribeAlarmHistory, StateUpdate items of composite and metric alarms, every page,
 * retried when throttled. CloudWatch keeps alarm history 30 days.
 */
import { DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import type { FetchContext } from '../budget/fetch';
import { withRetries } from '../budget/retry';
import { isAccessDenied } from './aws';

/** A state change of an alarm: when (ms), from and to which state (`ALARM`, `OK`, `INSUFFICIENT_DATA`). */
export interface StateChange {
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

/** Transitions to ALARM (ms), per alarm name; `denied` when the identity may not read history. */
export interface AlarmHistory {
  readonly alarms: ReadonlyMap<string, readonly number[]>;
  /** Every state change read (into and out of ALARM), oldest first, per alarm name: its state at a given time. */
  readonly changes: ReadonlyMap<string, readonly StateChange[]>;
  /** @default - allowed */
  readonly denied?: string;
  /**
   * The time (ms) up to which the history is complete, when a scan stopped after `MAX_PAGES` pages
   * with more to read: the scan is oldest first, so the latest changes are the ones missing.
   * @default - read to the end
   */
  readonly readTo?: number;
}

/** Pages per alarm before giving up on a NextToken that never ends. */
export const MAX_PAGES = 1_000;

/** The time of a StateUpdate item to ALARM, or undefined for other items. */
export function alarmTransition(historyData: string | undefined, timestamp: Date | undefined): number | undefined {
  const change = stateChange(historyData, timestamp);
  return change?.to === 'ALARM' ? change.at : undefined;
}

/** The state change of a StateUpdate item (its HistoryData's oldState and newState), or undefined for other items. */
function stateChange(historyData: string | undefined, timestamp: Date | undefined): StateChange | undefined {
  let data: { oldState?: { stateValue?: string }; newState?: { stateValue?: string } };
  try {
    data = JSON.parse(historyData ?? '{}');
  } catch {
    return undefined;
  }
  const to = data.newState?.stateValue;
  return to && timestamp ? { at: new Date(timestamp).getTime(), from: data.oldState?.stateValue ?? 'unknown', to } : undefined;
}

type HistoryQuery = { readonly AlarmName: string } | { readonly AlarmTypes: ['CompositeAlarm'] };

/** Every StateUpdate item of one query, page by page; `denied` when refused, `readTo` when cut after `maxPages`. */
async function transitions(context: FetchContext, query: HistoryQuery, start: number, end: number, maxPages: number):
Promise<{ items: Array<{ name: string } & StateChange>; denied?: string; readTo?: number }> {
  const items: Array<{ name: string } & StateChange> = [];
  let nextToken: string | undefined;
  for (let page = 1; ; page++) {
    let output;
    try {
      output = await withRetries(
        `CloudWatch DescribeAlarmHistory in ${context.region}`,
        () => context.client.send(new DescribeAlarmHistoryCommand({
          ...('AlarmName' in query ? { AlarmName: query.AlarmName, AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] } : query),
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
        return { items, denied: (err as Error).message ?? String(err) };
      }
      throw err;
    }
    for (const item of output?.AlarmHistoryItems ?? []) {
      const change = stateChange(item.HistoryData, item.Timestamp);
      if (change !== undefined && change.at >= start && change.at < end && item.AlarmName) {
        items.push({ name: item.AlarmName, ...change });
      }
    }
    const token = output?.NextToken;
    if (!token || token === nextToken) {
      break;
    }
    if (page === maxPages) {
      return { items, readTo: items.length ? items[items.length - 1].at : start };
    }
    nextToken = token;
  }
  return { items };
}

/**
 * The transitions to ALARM of `names` in [start, end). The composite alarms among them (an SLO's
 * page and ticket alarms, the usual stop conditions) are read in one scan of the account's
 * composite-alarm history, paged, rather than one call per alarm; any other alarm by its name.
 */
export async function readAlarmHistory(context: FetchContext, names: readonly string[], start: number, end: number,
  composites: ReadonlySet<string> = new Set(), maxPages = MAX_PAGES): Promise<AlarmHistory> {
  const alarms = new Map<string, number[]>(names.map((n) => [n, []]));
  const changes = new Map<string, StateChange[]>(names.map((n) => [n, []]));
  const queries: HistoryQuery[] = [
    ...(names.some((n) => composites.has(n)) ? [{ AlarmTypes: ['CompositeAlarm'] as ['CompositeAlarm'] }] : []),
    ...names.filter((n) => !composites.has(n)).map((AlarmName) => ({ AlarmName })),
  ];
  let readTo: number | undefined;
  for (const query of queries) {
    const { items, denied, readTo: cut } = await transitions(context, query, start, end, maxPages);
    if (cut !== undefined) {
      readTo = Math.min(readTo ?? cut, cut);
    }
    for (const { name, ...change } of items) {
      changes.get(name)?.push(change);
      if (change.to === 'ALARM') {
        alarms.get(name)?.push(change.at);
      }
    }
    if (denied !== undefined) {
      return { alarms, changes, denied, ...(readTo !== undefined ? { readTo } : {}) };
    }
  }
  for (const times of alarms.values()) {
    times.sort((a, b) => a - b);
  }
  for (const list of changes.values()) {
    list.sort((a, b) => a.at - b.at);
  }
  return { alarms, changes, ...(readTo !== undefined ? { readTo } : {}) };
}
