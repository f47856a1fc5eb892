/**
 * The escalation policy's incidents over the period, from its function's logs. The incidents table
 * is not a history (an alarm's item keeps its latest incidents, and DynamoDB deletes it 30 days
 * after the last one ended), but every step of an incident is logged with a stable `event`
 * (`LOG_EVENTS` in lambdas/shared/contract.ts): opened, escalated, acknowledged, exhausted,
 * resolved, each with `alarmName` and `incidentStart`. CloudWatch Logs Insights reads them:
 * StartQuery, then GetQueryResults polled with backoff until Complete. A query returns at most
 * 10,000 rows, so a range that fills it is split in halves and read again.
 *
 * The policy's log group has a generated name; the metric filter the policy puts on it has a
 * known one (`cdk-reliability` / `<policyName>-UnverifiedAlarmMessages`), so DescribeMetricFilters
 * finds the group, and DescribeLogGroups its retention, which bounds what can be read.
 */
import {
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  ResultField,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LOG_EVENTS } from '../../../lambdas/shared/contract';
import { DAY_SECONDS } from '../../slo/windows';
import { RetryPolicy, withRetries } from '../budget/retry';
import { CliError } from '../errors';
import { formatDuration } from '../../private/format';
import type { IncidentRecord, IncidentSection, Responder } from './model';

/** Rows one Logs Insights query returns at most. */
export const MAX_QUERY_ROWS = 10_000;
/** The shortest range split further when it still fills a query (below it, rows are lost and said so). */
const MIN_SPLIT_MS = 60_000;
/** Polls of one query before giving up (Logs Insights stops a query after 60 minutes). */
const MAX_POLLS = 400;

/** The metric filter of an `EscalationPolicy` whose log group is the escalation function's. */
export function policyMetricFilter(policyName: string): { metricNamespace: string; metricName: string } {
  return { metricNamespace: 'cdk-reliability', metricName: `${policyName}-UnverifiedAlarmMessages` };
}

/** The Logs Insights query of the incident lines. */
export const INCIDENT_QUERY = [
  'fields @timestamp, event, alarmName, incidentStart, severity, escalationLevel, ackedBy, ackedAt, resolvedAt, resolution',
  `| filter event in [${[LOG_EVENTS.incidentOpened, LOG_EVENTS.incidentEscalated, LOG_EVENTS.incidentAcknowledged,
    LOG_EVENTS.escalationExhausted, LOG_EVENTS.incidentResolved].map((e) => `"${e}"`).join(', ')}]`,
  '| sort @timestamp asc',
  `| limit ${MAX_QUERY_ROWS}`,
].join('\n');

export interface LogsContext {
  readonly client: CloudWatchLogsClient;
  readonly region: string;
  sleep(ms: number): Promise<void>;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
}

/** The escalation log group of a policy and its retention, or why it was not found. */
export interface PolicyLogGroup {
  readonly logGroupName?: string;
  /** @default - never expire */
  readonly retentionDays?: number;
  /** @default - found */
  readonly missing?: string;
}

async function call<T>(context: LogsContext, what: string, send: () => Promise<T>): Promise<T> {
  return withRetries(`CloudWatch Logs ${what} in ${context.region}`, send, (ms) => context.sleep(ms), context.retry);
}

/** Finds the escalation function's log group of `policyName` through its metric filter. */
export async function findPolicyLogGroup(context: LogsContext, policyName: string): Promise<PolicyLogGroup> {
  const filter = policyMetricFilter(policyName);
  const filters = await call(context, 'DescribeMetricFilters', () => context.client.send(new DescribeMetricFiltersCommand(filter)));
  const logGroupName = filters.metricFilters?.find((f) => f.logGroupName)?.logGroupName;
  if (!logGroupName) {
    return {
      missing: `no log group of escalation policy ${policyName} in ${context.region} (no metric filter ${filter.metricNamespace}/${filter.metricName}): `
        + 'not deployed here, or a custom IEscalationPolicy, whose incidents review cannot read',
    };
  }
  const groups = await call(context, 'DescribeLogGroups', () => context.client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 1 })));
  const group = groups.logGroups?.find((g) => g.logGroupName === logGroupName);
  return { logGroupName, ...(group?.retentionInDays !== undefined ? { retentionDays: group.retentionInDays } : {}) };
}

/** One row of the query, by field name. */
export type IncidentRow = Readonly<Record<string, string>>;

function rowOf(fields: readonly ResultField[]): IncidentRow {
  return Object.fromEntries(fields.filter((f) => f.field && f.value !== undefined).map((f) => [f.field!, f.value!]));
}

/** Runs one query to completion: StartQuery, then GetQueryResults with backoff (1 s doubling to 10 s). */
async function runQuery(context: LogsContext, logGroupName: string, start: number, end: number): Promise<IncidentRow[]> {
  const started = await call(context, 'StartQuery', () => context.client.send(new StartQueryCommand({
    logGroupName,
    startTime: Math.floor(start / 1000),
    endTime: Math.ceil(end / 1000) - 1,
    queryString: INCIDENT_QUERY,
    limit: MAX_QUERY_ROWS,
  })));
  const queryId = started.queryId;
  if (!queryId) {
    throw new CliError(`CloudWatch Logs StartQuery on ${logGroupName} in ${context.region} returned no query id`);
  }
  let delay = 1_000;
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    const output: GetQueryResultsCommandOutput = await call(context, 'GetQueryResults',
      () => context.client.send(new GetQueryResultsCommand({ queryId })));
    switch (output.status) {
      case 'Complete':
        return (output.results ?? []).map(rowOf);
      case 'Failed':
      case 'Cancelled':
      case 'Timeout':
      case 'Unknown':
        throw new CliError(`CloudWatch Logs Insights query ${queryId} on ${logGroupName} in ${context.region} ended ${output.status}; run review again`);
      default:
        await context.sleep(delay);
        delay = Math.min(10_000, delay * 2);
    }
  }
  throw new CliError(`CloudWatch Logs Insights query ${queryId} on ${logGroupName} in ${context.region} was still running after ${MAX_POLLS} polls`);
}

/** The rows of [start, end), splitting a range whose query fills the 10,000-row limit. `notes` gets what was lost. */
export async function queryIncidentRows(context: LogsContext, logGroupName: string, start: number, end: number, notes: string[]): Promise<IncidentRow[]> {
  const rows = await runQuery(context, logGroupName, start, end);
  if (rows.length < MAX_QUERY_ROWS) {
    return rows;
  }
  if (end - start <= MIN_SPLIT_MS) {
    notes.push(`more than ${MAX_QUERY_ROWS} incident log lines in one minute at ${new Date(start).toISOString()}: some were not read`);
    return rows;
  }
  const middle = start + Math.floor((end - start) / 2 / 1000) * 1000;
  return [...await queryIncidentRows(context, logGroupName, start, middle, notes), ...await queryIncidentRows(context, logGroupName, middle, end, notes)];
}

/** What one alarm name means to the report. */
export interface AlarmOwner {
  readonly service: string;
  readonly slo?: string;
  readonly severity: 'page' | 'ticket';
}

interface Building {
  alarmName: string;
  incidentStart: string;
  severity?: 'page' | 'ticket';
  opened: boolean;
  highestLevel: number;
  exhausted: boolean;
  ackedAt?: string;
  ackedBy?: string;
  resolvedAt?: string;
}

/**
 * The incidents opened in [start, end), from the rows of the query (any order), oldest first.
 * Incidents whose opening line is missing (opened before the period) are left out.
 */
export function reconstructIncidents(rows: readonly IncidentRow[], levels: number, start: number, end: number): Array<IncidentRecord & { alarmName: string }> {
  const byKey = new Map<string, Building>();
  const sorted = [...rows].sort((a, b) => (a['@timestamp'] ?? '').localeCompare(b['@timestamp'] ?? ''));
  for (const row of sorted) {
    const alarmName = row.alarmName;
    const incidentStart = row.incidentStart;
    if (!alarmName || !incidentStart) {
      continue;
    }
    const key = `${alarmName}\u0000${incidentStart}`;
    const b = byKey.get(key) ?? { alarmName, incidentStart, opened: false, highestLevel: 0, exhausted: false };
    byKey.set(key, b);
    if (row.severity === 'page' || row.severity === 'ticket') {
      b.severity = row.severity;
    }
    const level = Number(row.escalationLevel);
    if (Number.isInteger(level) && level >= 0) {
      b.highestLevel = Math.max(b.highestLevel, level);
    }
    switch (row.event) {
      case LOG_EVENTS.incidentOpened:
        b.opened = true;
        break;
      case LOG_EVENTS.incidentAcknowledged:
        b.ackedAt = row.ackedAt ?? row['@timestamp'];
        b.ackedBy = row.ackedBy;
        break;
      case LOG_EVENTS.escalationExhausted:
        b.exhausted = true;
        b.highestLevel = Math.max(b.highestLevel, levels - 1);
        break;
      case LOG_EVENTS.incidentResolved:
        b.resolvedAt = b.resolvedAt ?? row.resolvedAt ?? row['@timestamp'];
        break;
      default:
        break;
    }
  }
  return [...byKey.values()]
    .filter((b) => b.opened && Date.parse(b.incidentStart) >= start && Date.parse(b.incidentStart) < end)
    .sort((a, b) => a.incidentStart.localeCompare(b.incidentStart) || a.alarmName.localeCompare(b.alarmName))
    .map((b) => {
      const opened = Date.parse(b.incidentStart);
      const acked = b.ackedAt !== undefined ? Date.parse(b.ackedAt) : NaN;
      return {
        alarmName: b.alarmName,
        severity: b.severity ?? 'page',
        openedAt: new Date(opened).toISOString(),
        ...(Number.isFinite(acked) ? {
          acknowledgedAt: new Date(acked).toISOString(),
          ...(b.ackedBy ? { acknowledgedBy: b.ackedBy } : {}),
          secondsToAcknowledge: Math.max(0, Math.round((acked - opened) / 1000)),
        } : {}),
        highestLevel: b.highestLevel,
        levels,
        exhausted: b.exhausted,
        ...(b.resolvedAt !== undefined && Number.isFinite(Date.parse(b.resolvedAt)) ? { resolvedAt: new Date(Date.parse(b.resolvedAt)).toISOString() } : {}),
      };
    });
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The section of one service from its incidents. */
export function incidentSection(incidents: readonly IncidentRecord[], reason?: string): IncidentSection {
  const pages = incidents.filter((i) => i.severity === 'page');
  const acknowledged = pages.filter((i) => i.secondsToAcknowledge !== undefined);
  const seconds = acknowledged.map((i) => i.secondsToAcknowledge!);
  const counts = new Map<string, number>();
  for (const i of acknowledged) {
    const name = i.acknowledgedBy ?? '(unknown)';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const responders: Responder[] = [...counts.entries()]
    .map(([name, n]) => ({ name, acknowledged: n }))
    .sort((a, b) => b.acknowledged - a.acknowledged || a.name.localeCompare(b.name));
  return {
    available: true,
    ...(reason ? { reason } : {}),
    pages: pages.length,
    tickets: incidents.length - pages.length,
    acknowledged: acknowledged.length,
    exhausted: pages.filter((i) => i.exhausted).length,
    medianSecondsToAcknowledge: median(seconds),
    maxSecondsToAcknowledge: seconds.length ? Math.max(...seconds) : null,
    responders,
    incidents,
  };
}

/** An unavailable section. */
export function noIncidents(reason: string): IncidentSection {
  return {
    available: false, reason, pages: 0, tickets: 0, acknowledged: 0, exhausted: 0,
    medianSecondsToAcknowledge: null, maxSecondsToAcknowledge: null, responders: [], incidents: [],
  };
}

/** What the log group's retention cuts off of the period, or undefined when it covers it. */
export function retentionLimit(policyName: string, retentionDays: number | undefined, start: number, now: number): string | undefined {
  if (retentionDays === undefined || now - start <= retentionDays * DAY_SECONDS * 1000) {
    return undefined;
  }
  return `the escalation logs of policy ${policyName} are kept ${formatDuration(retentionDays * DAY_SECONDS)} (its logRetention): `
    + `incidents before ${new Date(now - retentionDays * DAY_SECONDS * 1000).toISOString().slice(0, 10)} are not counted`;
}
