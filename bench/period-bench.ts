/**
 * Period-report benchmark: `review --since 30d` of 50 services against AWS replaced at the SDK
 * client boundary (each client's `send` answers after a per-call latency), counting the API calls
 * per service and the wall time, batched as `review` reads (GetMetricData requests shared by SLOs,
 * up to 500 queries and 100,800 datapoints each) beside the baseline measured in the same run: one
 * GetMetricData request per SLO, unbatched, everything else the same.
 *
 * The assembly: 50 services in 5 stacks of 10 (a stack per team), each with two SLOs (availability
 * 99.9 % from API Gateway Count and 5XXError, latency 99 % from Latency SampleCount and TC), the
 * stack's escalation policy, one experiment with a weekly game day; a month with one page per
 * service and four game-day runs. Built as manifests (the report reads only those), no synth.
 *
 * The latency model (per call, a typical in-region figure, not a measurement of AWS): GetMetricData
 * 150 ms + 10 µs per datapoint returned; DescribeAlarms 60 ms; DescribeAlarmHistory 80 ms;
 * DescribeMetricFilters and DescribeLogGroups 50 ms; StartQuery 100 ms; GetQueryResults 60 ms, the
 * query completing 2.5 s after it started; ListExperimentTemplates and ListExperiments 120 ms,
 * GetExperiment 80 ms. Sleeps are real (`setTimeout`): the wall time includes Logs Insights'
 * polling backoff.
 *
 * Run with `npm run bench:period`. Prints a Markdown report and writes bench/period-results.md. It
 * measures, it does not test: exit 0 whether or not targets are met.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { CloudWatchClient, GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { FisClient } from '@aws-sdk/client-fis';
import { CallCounts, countCalls, ReviewClients } from '../lib/cli/period-report/aws';
import { buildPeriodReport } from '../lib/cli/period-report/build';
import { readSloSeries } from '../lib/cli/period-report/metrics';
import { parsePeriod } from '../lib/cli/period-report/period';
import type { BudgetTarget } from '../lib/cli/budget/model';
import type { ReliabilityManifest, ServiceEntry, SloEntry } from '../lib/manifest/schema';

const SERVICES = 50;
const SERVICES_PER_STACK = 10;
const RUNS = 3;
const TARGET_MS = 30_000;
const NOW = new Date('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function slo(service: string, name: string, objective: number, metrics: SloEntry['sli']['metrics'], bad: string): SloEntry {
  const alarms = { page: `${service}-${name}-page`, ticket: `${service}-${name}-ticket` };
  const tier = (id: string, severity: string, long: number, short: number) => ({
    id, severity, budgetPercent: 2, longWindowSeconds: long, shortWindowSeconds: short, longWindow: `${long / 3600}h`, shortWindow: `${short / 60}m`,
    burnRate: 14.4, errorRatio: 0.0144, alarmNames: { long: `${service}-${name}-${id}-long`, short: `${service}-${name}-${id}-short` },
  });
  return {
    name, objective, windowSeconds: 30 * 86_400, window: '30d', errorBudget: (100 - objective) / 100,
    sli: { kind: 'ratio', description: name, badEvents: bad, totalEvents: 'FILL(total0, 0)', metrics },
    alarms, tiers: [tier('page-1h-5m', 'page', 3600, 300), tier('ticket-1d-2h', 'ticket', 86_400, 7200)], estimatedMonthlyCostUsd: 1,
  };
}

function manifests(): ReliabilityManifest[] {
  const out: ReliabilityManifest[] = [];
  for (let s = 0; s < SERVICES / SERVICES_PER_STACK; s++) {
    const services: ServiceEntry[] = [];
    for (let i = 0; i < SERVICES_PER_STACK; i++) {
      const name = `svc${s * SERVICES_PER_STACK + i}`;
      const dims = { ApiName: name, Stage: 'prod' };
      const metric = (id: string, metricName: string, statistic: string) => ({ id, namespace: 'AWS/ApiGateway', metricName, dimensions: dims, statistic });
      services.push({
        name, path: `Team${s}/${name}`, estimatedMonthlyCostUsd: 2,
        escalation: { name: `Team${s}OnCall`, path: `Team${s}/OnCall`, levels: [{ afterSeconds: 0, targets: ['email'] }, { afterSeconds: 900, targets: ['pagerduty'] }], repeat: 0, tickets: ['webhook'], acknowledgeLinkTtlSeconds: 86_400 },
        slos: [
          slo(name, 'availability', 99.9, [metric('total0', 'Count', 'SampleCount'), metric('bad0', '5XXError', 'Sum')], 'FILL(bad0, 0)'),
          slo(name, 'latency', 99, [metric('total0', 'Latency', 'SampleCount'), metric('good0', 'Latency', 'TC(:300)')], 'FILL(total0, 0) - FILL(good0, 0)'),
        ],
        experiments: [{
          name: 'slow-handler', logicalId: `${name}Experiment`, description: 'x', expectedSeconds: 900, steadyStateCheck: true, recoveryCheck: true,
          actions: [], targets: [], stopConditions: [`${name}-availability-page`], gameDay: { expression: 'cron(0 10 ? * TUE *)', timeZone: 'Europe/Berlin', enabled: true },
        }],
      });
    }
    out.push({ schemaVersion: 1, generator: 'cdk-reliability', stack: { name: `Team${s}`, artifactId: `Team${s}`, path: `Team${s}`, account: '111122223333', region: 'eu-west-1' }, services });
  }
  return out;
}

type Send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => Promise<unknown>;

function fake<C>(client: C, answer: Send): C {
  (client as unknown as { send: Send }).send = answer;
  return client;
}

function cloudWatch(all: ReliabilityManifest[]): CloudWatchClient {
  const services = all.flatMap((m) => m.services.map((s) => s.name));
  return fake(new CloudWatchClient({ region: 'eu-west-1' }), async (command) => {
    const name = command.constructor.name;
    if (name === 'GetMetricDataCommand') {
      const input = command.input as unknown as GetMetricDataCommandInput;
      const start = new Date(input.StartTime!).getTime();
      const end = new Date(input.EndTime!).getTime();
      const timestamps: Date[] = [];
      for (let t = start; t < end; t += HOUR) timestamps.push(new Date(t));
      const returned = (input.MetricDataQueries ?? []).filter((q) => q.ReturnData !== false);
      await sleep(150 + returned.length * timestamps.length * 0.01);
      return {
        MetricDataResults: returned.map((q) => ({
          Id: q.Id, Label: q.Label, StatusCode: 'Complete', Timestamps: timestamps,
          Values: timestamps.map((t) => (/bad/.test(q.Id!) ? (t.getTime() % DAY === 10 * HOUR ? 12 : 0) : /good/.test(q.Id!) ? 5_990 : 6_000)),
        })),
      };
    }
    if (name === 'DescribeAlarmsCommand') {
      await sleep(60);
      return { MetricAlarms: [] };
    }
    if (name === 'DescribeAlarmHistoryCommand') {
      await sleep(80);
      return {
        AlarmHistoryItems: services.map((s, i) => ({
          AlarmName: `${s}-availability-page`, AlarmType: 'CompositeAlarm', HistoryItemType: 'StateUpdate',
          Timestamp: new Date(NOW.getTime() - (i % 28 + 1) * DAY), HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM' } }),
        })),
      };
    }
    throw new Error(`unexpected ${name}`);
  });
}

function logs(all: ReliabilityManifest[]): CloudWatchLogsClient {
  const started = new Map<string, number>();
  return fake(new CloudWatchLogsClient({ region: 'eu-west-1' }), async (command) => {
    const name = command.constructor.name;
    if (name === 'DescribeMetricFiltersCommand' || name === 'DescribeLogGroupsCommand') {
      await sleep(50);
      const group = `${String(command.input.metricName ?? command.input.logGroupNamePrefix).replace('-UnverifiedAlarmMessages', '')}-logs`;
      return name === 'DescribeMetricFiltersCommand'
        ? { metricFilters: [{ logGroupName: group }] }
        : { logGroups: [{ logGroupName: command.input.logGroupNamePrefix, retentionInDays: 30 }] };
    }
    if (name === 'StartQueryCommand') {
      await sleep(100);
      const id = `q${started.size}`;
      started.set(id, performance.now());
      return { queryId: id, group: command.input.logGroupName };
    }
    if (name === 'GetQueryResultsCommand') {
      await sleep(60);
      if (performance.now() - started.get(String(command.input.queryId))! < 2_500) return { status: 'Running', results: [] };
      const team = Number(String(command.input.queryId).slice(1));
      const services = all[team]?.services ?? [];
      return {
        status: 'Complete',
        results: services.flatMap((s, i) => {
          const opened = new Date(NOW.getTime() - (i % 28 + 1) * DAY).toISOString();
          const base = [{ field: 'alarmName', value: `${s.name}-availability-page` }, { field: 'incidentStart', value: opened }];
          return [
            [{ field: '@timestamp', value: opened }, { field: 'event', value: 'incident-opened' }, { field: 'severity', value: 'page' }, ...base],
            [{ field: '@timestamp', value: opened }, { field: 'event', value: 'incident-acknowledged' }, { field: 'ackedBy', value: 'ana' },
              { field: 'ackedAt', value: new Date(Date.parse(opened) + 180_000).toISOString() }, ...base],
          ];
        }),
      };
    }
    throw new Error(`unexpected ${name}`);
  });
}

function fis(all: ReliabilityManifest[]): FisClient {
  const templates = all.flatMap((m) => m.services.map((s) => ({
    id: `EXT${s.name}`, tags: { 'cdk-reliability:stack': m.stack.name, 'cdk-reliability:service': s.name, 'cdk-reliability:experiment': 'slow-handler' },
  })));
  const tuesdays = [1, 2, 3, 4].map((w) => Date.parse('2026-11-03T09:00:10Z') + (w - 1) * 7 * DAY);
  const experiments = templates.flatMap((t) => tuesdays.map((start, i) => ({
    id: `EXP${t.id}${i}`, experimentTemplateId: t.id, creationTime: new Date(start), startTime: new Date(start), endTime: new Date(start + 900_000),
    state: { status: 'completed' },
  })));
  const page = <T>(items: T[], token: unknown) => {
    const offset = token ? Number(token) : 0;
    return { items: items.slice(offset, offset + 100), nextToken: offset + 100 < items.length ? String(offset + 100) : undefined };
  };
  return fake(new FisClient({ region: 'eu-west-1' }), async (command) => {
    const name = command.constructor.name;
    if (name === 'ListExperimentTemplatesCommand') {
      await sleep(120);
      const p = page(templates, command.input.nextToken);
      return { experimentTemplates: p.items, nextToken: p.nextToken };
    }
    if (name === 'ListExperimentsCommand') {
      await sleep(120);
      const p = page(experiments, command.input.nextToken);
      return { experiments: p.items, nextToken: p.nextToken };
    }
    if (name === 'GetExperimentCommand') {
      await sleep(80);
      return { experiment: experiments.find((e) => e.id === command.input.id) };
    }
    throw new Error(`unexpected ${name}`);
  });
}

interface Measured {
  readonly ms: number;
  readonly calls: CallCounts;
  /** The SLI reads alone (GetMetricData), timed separately. */
  readonly metricsMs: number;
}

async function measure(batch: boolean): Promise<Measured> {
  const all = manifests();
  const calls: CallCounts = {};
  const clients: ReviewClients = {
    cloudWatch: countCalls(cloudWatch(all), 'cloudwatch', calls),
    logs: countCalls(logs(all), 'logs', calls),
    fis: countCalls(fis(all), 'fis', calls),
    region: 'eu-west-1',
    calls,
  };
  const period = parsePeriod('30d', NOW);
  const t0 = performance.now();
  await buildPeriodReport(clients, { sleep, batch }, { manifests: all, period, now: NOW, agnostic: false });
  const ms = performance.now() - t0;
  // the SLI reads alone, on their own clients (not counted twice)
  const targets: BudgetTarget[] = all.flatMap((m) => m.services.flatMap((s) => s.slos.map((slo) => ({ service: s.name, slo, metrics: slo.sli.metrics }))));
  const context = { client: cloudWatch(all), region: 'eu-west-1', sleep };
  const t1 = performance.now();
  await readSloSeries(context, targets, Date.parse(period.start), Date.parse(period.end), NOW.getTime(), batch);
  return { ms, calls, metricsMs: performance.now() - t1 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const runs: Record<'batched' | 'baseline', Measured[]> = { batched: [], baseline: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.batched.push(await measure(true));
    runs.baseline.push(await measure(false));
  }
  const total = (c: CallCounts) => Object.values(c).reduce((a, b) => a + b, 0);
  const row = (label: string, m: Measured[]) => {
    const calls = m[0].calls;
    const ms = median(m.map((r) => r.ms));
    return { label, ms, metricsMs: median(m.map((r) => r.metricsMs)), calls, total: total(calls), gmd: calls['cloudwatch:GetMetricData'] ?? 0 };
  };
  const batched = row('batched (review)', runs.batched);
  const baseline = row('baseline: one GetMetricData per SLO', runs.baseline);
  const apis = [...new Set([...Object.keys(batched.calls), ...Object.keys(baseline.calls)])].sort();
  const perService = (n: number) => (n / SERVICES).toFixed(2);
  const lines = [
    '# Period report benchmark results',
    '',
    `Recorded by \`npm run bench:period\` on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}. `
      + `\`review --since 30d\` of ${SERVICES} services (${SERVICES * 2} SLOs, 5 stacks and escalation policies, ${SERVICES} experiments with weekly game days) `
      + 'against AWS replaced at the SDK-client boundary with the per-call latency model of bench/period-bench.ts; '
      + `median wall time of ${RUNS} runs each, batched and baseline alternating.`,
    '',
    '| read | wall time | SLI reads alone | API calls | per service | GetMetricData calls | per service | target |',
    '|---|---|---|---|---|---|---|---|',
    ...[batched, baseline].map((r) => `| ${r.label} | ${(r.ms / 1000).toFixed(2)} s | ${(r.metricsMs / 1000).toFixed(2)} s | ${r.total} | ${perService(r.total)} | `
      + `${r.gmd} | ${perService(r.gmd)} | < ${TARGET_MS / 1000} s: ${r.ms < TARGET_MS ? 'met' : 'not met'} |`),
    '',
    `Batched, GetMetricData calls are ${(baseline.gmd / Math.max(1, batched.gmd)).toFixed(0)}x fewer and the SLI reads `
      + `${(baseline.metricsMs / batched.metricsMs).toFixed(1)}x faster. The report's wall time is set by the slowest source read in parallel: `
      + 'FIS GetExperiment, one call per run (ListExperiments gives no end time), 4 at a time, and the Logs Insights queries '
      + '(2.5 s each in this model, 4 at a time).',
    '',
    'Calls per API:',
    '',
    '| API | batched | baseline |',
    '|---|---|---|',
    ...apis.map((api) => `| ${api} | ${batched.calls[api] ?? 0} | ${baseline.calls[api] ?? 0} |`),
    '',
  ];
  const text = lines.join('\n');
  process.stdout.write(text);
  fs.writeFileSync(path.join(__dirname, '..', '..', 'bench', 'period-results.md'), text);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
