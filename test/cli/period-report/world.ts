/**
 * A deployed account for `review` tests, answered at the SDK-client boundary: CloudWatch metrics
 * (the budget tests' FakeCloudWatch: pages, PartialData, resolution by age, throttling on demand),
 * alarm history, the escalation log group found through its metric filter and read with Logs
 * Insights (StartQuery, then Running until a poll says Complete; at most 10,000 rows), and FIS
 * (templates and experiments, paged). Responses are shaped like the real ones.
 */
import { AlarmHistoryItem, DescribeAlarmHistoryCommand, DescribeAlarmHistoryCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand, DescribeMetricFiltersCommand, GetQueryResultsCommand, ResultField, StartQueryCommand, StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetExperimentCommand, ListExperimentsCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import { FakeCloudWatch } from '../budget/fake-cloudwatch';
import type { Harness } from '../support/harness';

/** A log line of the escalation function, as its logger writes it. */
export type LogLine = Record<string, string | number> & { readonly time: string };

/** An experiment as GetExperiment returns it. */
export interface FakeExperiment {
  readonly id: string;
  readonly experimentTemplateId: string;
  readonly status: string;
  readonly reason?: string;
  readonly startTime: number;
  readonly endTime?: number;
  readonly actions?: Record<string, { actionId: string; state: { status: string; reason?: string } }>;
  /** `state.error` of a failed run. @default - none */
  readonly error?: { code?: string; location?: string };
  /** The run's stop-condition alarm ARNs (source `aws:cloudwatch:alarm`). @default - none */
  readonly stopConditionArns?: readonly string[];
}

export class FakeAccount {
  public readonly metrics: FakeCloudWatch;
  /** Transitions (alarm name, time, new state). */
  public readonly transitions: Array<{ alarm: string; at: number; state: 'ALARM' | 'OK' }> = [];
  public readonly logLines: LogLine[] = [];
  /** Metric name of a policy's filter → its log group. */
  public readonly logGroups = new Map<string, { name: string; retentionInDays?: number }>();
  public readonly templates: Array<{ id: string; tags: Record<string, string> }> = [];
  public readonly experiments: FakeExperiment[] = [];
  /** Polls answered Running before Complete. */
  public runningPolls = 1;
  /** Rows one Logs Insights query returns at most (the service's 10,000). */
  public queryRowLimit = 10_000;
  /** FIS list page size. */
  public fisPageSize = 100;
  /** Errors to throw per API (`logs:StartQuery`...), every call. */
  public readonly refuse = new Map<string, Error>();
  public readonly queries: StartQueryCommandInput[] = [];
  private readonly running = new Map<string, { input: StartQueryCommandInput; polls: number }>();

  constructor(now: () => number) {
    this.metrics = new FakeCloudWatch(now);
  }

  private check(api: string): void {
    const error = this.refuse.get(api);
    if (error) throw error;
  }

  public install(h: Harness): this {
    this.metrics.install(h);
    h.cloudWatch.on(DescribeAlarmHistoryCommand).callsFake(async (input: DescribeAlarmHistoryCommandInput) => {
      this.check('cloudwatch:DescribeAlarmHistory');
      const items: AlarmHistoryItem[] = this.transitions
          .filter((t) => (input.AlarmName === undefined ? input.AlarmTypes?.includes('CompositeAlarm') : t.alarm === input.AlarmName) && t.at >= new Date(input.StartDate!).getTime() && t.at <= new Date(input.EndDate!).getTime())
        .sort((a, b) => a.at - b.at)
        .map((t) => ({
          AlarmName: t.alarm,
          AlarmType: 'CompositeAlarm',
          Timestamp: new Date(t.at),
          HistoryItemType: 'StateUpdate',
          HistorySummary: `Alarm updated from ${t.state === 'ALARM' ? 'OK to ALARM' : 'ALARM to OK'}`,
          HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: t.state === 'ALARM' ? 'OK' : 'ALARM' }, newState: { stateValue: t.state } }),
        }));
      const offset = input.NextToken ? Number(input.NextToken) : 0;
      const size = input.MaxRecords ?? 100;
      return { AlarmHistoryItems: items.slice(offset, offset + size), ...(offset + size < items.length ? { NextToken: String(offset + size) } : {}) };
    });
    h.logs.on(DescribeMetricFiltersCommand).callsFake(async (input) => {
      this.check('logs:DescribeMetricFilters');
      const group = this.logGroups.get(input.metricName!);
      return {
        metricFilters: group && input.metricNamespace === 'cdk-reliability' ? [{
          filterName: `${input.metricName}Filter`, logGroupName: group.name, filterPattern: '{ $.event = "unverified-alarm" }',
          metricTransformations: [{ metricName: input.metricName, metricNamespace: 'cdk-reliability', metricValue: '1' }],
        }] : [],
      };
    });
    h.logs.on(DescribeLogGroupsCommand).callsFake(async (input) => {
      this.check('logs:DescribeLogGroups');
      return {
        logGroups: [...this.logGroups.values()].filter((g) => g.name.startsWith(input.logGroupNamePrefix ?? ''))
          .map((g) => ({ logGroupName: g.name, ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}), storedBytes: 1024 })),
      };
    });
    h.logs.on(StartQueryCommand).callsFake(async (input: StartQueryCommandInput) => {
      this.check('logs:StartQuery');
      this.queries.push(input);
      const queryId = `q-${this.queries.length}`;
      this.running.set(queryId, { input, polls: 0 });
      return { queryId };
    });
    h.logs.on(GetQueryResultsCommand).callsFake(async (input) => {
      this.check('logs:GetQueryResults');
      const query = this.running.get(input.queryId!);
      if (!query) throw Object.assign(new Error('query not found'), { name: 'ResourceNotFoundException' });
      query.polls++;
      if (query.polls <= this.runningPolls) {
        return { status: 'Running', results: [], statistics: { recordsMatched: 0, recordsScanned: 100, bytesScanned: 20_000 } };
      }
      const from = query.input.startTime! * 1000;
      const to = (query.input.endTime! + 1) * 1000;
      const events = new Set(/in \[([^\]]*)\]/.exec(query.input.queryString!)![1].split(',').map((e) => e.trim().replace(/"/g, '')));
      // a line with a policy is in that policy's group only; one without (noise of other stacks) in every group
      const groups = [query.input.logGroupName, ...(query.input.logGroupNames ?? [])];
      const inGroup = (l: LogLine) => l.policy === undefined || groups.includes(this.logGroups.get(`${l.policy}-UnverifiedAlarmMessages`)?.name);
      const rows = this.logLines
        .filter((l) => Date.parse(l.time) >= from && Date.parse(l.time) < to && events.has(String(l.event)) && inGroup(l))
        .sort((a, b) => a.time.localeCompare(b.time))
        .slice(0, Math.min(this.queryRowLimit, query.input.limit ?? 10_000))
        .map((l): ResultField[] => [
          { field: '@timestamp', value: l.time.replace('T', ' ').replace('Z', '') },
          ...Object.entries(l).filter(([k]) => k !== 'time').map(([field, value]) => ({ field, value: String(value) })),
          { field: '@ptr', value: 'CmAKJQ' },
        ]);
      return { status: 'Complete', results: rows, statistics: { recordsMatched: rows.length, recordsScanned: this.logLines.length, bytesScanned: 1_000_000 } };
    });
    h.fis.on(ListExperimentTemplatesCommand).callsFake(async (input) => {
      this.check('fis:ListExperimentTemplates');
      const offset = input.nextToken ? Number(input.nextToken) : 0;
      const page = this.templates.slice(offset, offset + this.fisPageSize);
      return {
        experimentTemplates: page.map((t) => ({ id: t.id, description: 'x', tags: t.tags })),
        ...(offset + this.fisPageSize < this.templates.length ? { nextToken: String(offset + this.fisPageSize) } : {}),
      };
    });
    h.fis.on(ListExperimentsCommand).callsFake(async (input) => {
      this.check('fis:ListExperiments');
      const offset = input.nextToken ? Number(input.nextToken) : 0;
      const sorted = [...this.experiments].sort((a, b) => b.startTime - a.startTime);
      const page = sorted.slice(offset, offset + this.fisPageSize);
      return {
        experiments: page.map((e) => ({
          id: e.id, experimentTemplateId: e.experimentTemplateId, creationTime: new Date(e.startTime - 1000),
          state: { status: e.status as never, ...(e.reason ? { reason: e.reason } : {}), ...(e.error ? { error: e.error } : {}) },
          ...(e.stopConditionArns ? { stopConditions: e.stopConditionArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value })) } : {}), tags: {},
        })),
        ...(offset + this.fisPageSize < sorted.length ? { nextToken: String(offset + this.fisPageSize) } : {}),
      };
    });
    h.fis.on(GetExperimentCommand).callsFake(async (input) => {
      this.check('fis:GetExperiment');
      const e = this.experiments.find((x) => x.id === input.id);
      if (!e) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return {
        experiment: {
          id: e.id, experimentTemplateId: e.experimentTemplateId, roleArn: 'arn:aws:iam::111122223333:role/Shop-ExperimentRole',
          state: { status: e.status as never, ...(e.reason ? { reason: e.reason } : {}), ...(e.error ? { error: e.error } : {}) },
          ...(e.stopConditionArns ? { stopConditions: e.stopConditionArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value })) } : {}),
          startTime: new Date(e.startTime), ...(e.endTime ? { endTime: new Date(e.endTime) } : {}),
          actions: e.actions as never,
        },
      };
    });
    return this;
  }
}
