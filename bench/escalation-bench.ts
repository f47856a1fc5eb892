/**
 * Escalation function benchmark: bundle size, cold import time and handler throughput.
 *
 * 1. Size of `dist/lambdas/escalation/index.js` (the shipped bundle, `@aws-sdk/*` left to the
 *    Node.js 24 Lambda runtime, which ships SDK v3) and, for comparison, of the same entry with the
 *    SDK bundled in, raw and gzipped.
 * 2. Cold import: `node -e "require('<bundle>')"` in fresh processes, minus a baseline
 *    `node -e ""`, medians of COLD_RUNS runs each, interleaved.
 * 3. Throughput, twice: the handler in process with SNS, Scheduler, CloudWatch and Secrets
 *    Manager mocked (aws-sdk-client-mock), and the incidents table either mocked too (the test
 *    suite's in-memory table with real conditional writes) or a real DynamoDB implementation
 *    (dynalite, in a child process on 127.0.0.1, as the race tests use it). A burst of 1000 SNS
 *    alarm transitions, 10 % of them duplicates, run CONCURRENCY at a time: first a wave of
 *    ALARMs, then a wave of OKs for the same alarms. Reports events/s, the latency of each
 *    invocation (p50, p99), DynamoDB calls per event, and the notifications published, which must
 *    equal the number of distinct transitions.
 *
 * The handler and the test suite's in-memory table are bundled with esbuild at run time (SDK
 * external, so that the mocks and the handler share the SDK classes); nothing under lambdas/ or
 * test/ is compiled by tsc into dist/.
 *
 * Run: `npm run bench:escalation`. Prints Markdown and writes
 * bench/escalation-results.md. Measures, does not test: exits 0 unless notifications and
 * distinct transitions differ, or an escalation timer is left behind (exit 1).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as zlib from 'zlib';
import { CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'lambdas', 'escalation', 'index.js');
const WORK = path.join(ROOT, 'dist', 'bench', 'escalation-work');
const COLD_RUNS = 15;
const EVENTS = 1000;
const DUPLICATE_SHARE = 0.1;
/** The escalation function's default reserved concurrency. */
const CONCURRENCY = 10;
const TARGET_BUNDLE_BYTES = 500 * 1024;
const TARGET_IMPORT_MS = 300;

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const PAGE_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:page`;
const LEVEL_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:level-1`;
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:signing`;

interface Harness {
  handler(event: unknown, context: unknown): Promise<void>;
  FakeTable: new () => { install(mock: unknown): void; items: Map<string, unknown> };
  retryPolicy: { baseDelayMs: number };
  /** The handlers' DynamoDB client (to count its calls). */
  dynamodb: DynamoDBClient;
  startDynalite(tableName?: string): Promise<{ endpoint: string; stop(): Promise<void> }>;
}

function esbuild(): typeof import('esbuild') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('esbuild');
}

const BUILD_OPTIONS = {
  bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning',
} as const;

function buildVariants(): { external: string; harness: string } {
  fs.mkdirSync(WORK, { recursive: true });
  if (!fs.existsSync(BUNDLE)) {
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-lambdas.js')], { stdio: 'inherit' });
  }
  const external = path.join(WORK, 'sdk-included', 'index.js');
  // for comparison: the same entry with the AWS SDK bundled in (the shipped bundle leaves it to the runtime)
  esbuild().buildSync({ ...BUILD_OPTIONS, entryPoints: [path.join(ROOT, 'lambdas', 'escalation', 'index.ts')], outfile: external });
  const harness = path.join(WORK, 'harness', 'index.js');
  esbuild().buildSync({
    ...BUILD_OPTIONS,
    minify: false,
    stdin: {
      contents: [
        "export { handler } from './lambdas/escalation';",
        "export { retryPolicy } from './lambdas/escalation/delivery/retry';",
        "export { FakeTable } from './test/lambdas/support/fake-dynamodb';",
        "export { dynamodb } from './lambdas/shared/incident';",
        "export { startDynalite } from './test/lambdas/support/dynalite';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: harness,
    external: ['@aws-sdk/*', 'aws-sdk-client-mock'],
  });
  return { external, harness };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function timeNode(script: string): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) {
    throw new Error(`node -e failed: ${r.stderr.toString()}`);
  }
  return ms;
}

interface ColdResult {
  baselineMs: number;
  bundledMs: number;
  externalMs: number;
}

function coldImports(external: string): ColdResult {
  const runs = { baseline: [] as number[], bundled: [] as number[], external: [] as number[] };
  timeNode(''); // warm the file cache
  timeNode(`require(${JSON.stringify(BUNDLE)})`);
  timeNode(`require(${JSON.stringify(external)})`);
  for (let i = 0; i < COLD_RUNS; i++) {
    runs.baseline.push(timeNode(''));
    runs.bundled.push(timeNode(`require(${JSON.stringify(BUNDLE)})`));
    runs.external.push(timeNode(`require(${JSON.stringify(external)})`));
  }
  const base = median(runs.baseline);
  return { baselineMs: base, bundledMs: median(runs.bundled) - base, externalMs: median(runs.external) - base };
}

function setEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    POLICY_NAME: 'bench',
    TABLE_NAME: 'incidents',
    SCHEDULE_GROUP: 'escalation',
    SCHEDULER_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/scheduler`,
    SIGNING_SECRET_ARN: SECRET_ARN,
    ACK_URL: 'https://bench.lambda-url.eu-west-1.on.aws/',
    REPEAT: '1',
    PAGE_TOPIC_ARN: PAGE_TOPIC,
    TICKET_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT}:ticket`,
    LEVELS: JSON.stringify([{ afterSeconds: 0, topicArn: LEVEL_TOPIC }, { afterSeconds: 900, topicArn: `${LEVEL_TOPIC}-2` }]),
    TICKETS: 'null',
  });
}

function snsRecord(alarm: string, state: 'ALARM' | 'OK', time: string, messageId: string): unknown {
  return {
    Records: [{
      EventSource: 'aws:sns',
      Sns: {
        MessageId: messageId,
        TopicArn: PAGE_TOPIC,
        Message: JSON.stringify({
          AlarmName: alarm,
          AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm}`,
          AlarmDescription: `Page for SLO ${alarm}/availability: ALARM while the error budget burns at 14.4x over 1h and 5m (2% of the budget in 1h). `
            + `SLO ${alarm}/availability: 99.9% good over 30d (error budget 0.1%); SLI: x.`,
          NewStateValue: state,
          OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
          NewStateReason: 'bench',
          StateChangeTime: time,
          TriggeringChildren: [{ Arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm}-page-1h-5m-long`, State: { Value: state } }],
        }),
      },
    }],
  };
}

/** A wave of `count` events: distinct transitions plus duplicates (same SNS message) at random places. */
function wave(alarms: string[], state: 'ALARM' | 'OK', time: string, duplicates: number): unknown[] {
  const events = alarms.map((a) => snsRecord(a, state, time, `${a}-${state}`));
  for (let i = 0; i < duplicates; i++) {
    const original = events[Math.floor(Math.random() * alarms.length)];
    events.splice(Math.floor(Math.random() * (events.length + 1)), 0, original);
  }
  return events;
}

/** Runs `events` CONCURRENCY at a time; returns each invocation's latency (ms) and how many threw. */
async function runPool(events: unknown[], run: (e: unknown) => Promise<void>): Promise<{ latencies: number[]; failures: number }> {
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++];
      const start = performance.now();
      await run(e).catch(() => { failures++; });
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, failures };
}

type Backend = 'mocks' | 'dynalite';

interface ThroughputResult {
  backend: Backend;
  events: number;
  distinct: number;
  notifications: number;
  alarmPublishes: number;
  recoveryPublishes: number;
  failures: number;
  alarmWaveMs: number;
  okWaveMs: number;
  p50Ms: number;
  p99Ms: number;
  dynamoCalls: number;
  pendingTimers: number;
  pendingDrains: number;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function throughput(h: Harness, backend: Backend): Promise<ThroughputResult> {
  setEnv();
  h.retryPolicy.baseDelayMs = 1;
  let stopDynalite: (() => Promise<void>) | undefined;
  let dynamoCalls = 0;
  const mocks: Array<{ restore(): void }> = [];
  // A mocked client never runs its middleware: count its calls instead.
  let mockedCalls = () => 0;
  if (backend === 'mocks') {
    const table = new h.FakeTable();
    const ddb = mockClient(DynamoDBClient);
    table.install(ddb);
    mocks.push(ddb);
    mockedCalls = () => ddb.calls().length;
  } else {
    const local = await h.startDynalite('incidents');
    stopDynalite = local.stop;
  }
  const counter = 'benchDynamoCalls';
  h.dynamodb.middlewareStack.add((next) => async (args) => {
    dynamoCalls++;
    return next(args);
  }, { step: 'initialize', name: counter });
  const sns = mockClient(SNSClient);
  const subjects: string[] = [];
  sns.on(PublishCommand).callsFake(async (input: { Subject?: string }) => {
    subjects.push(input.Subject ?? '');
    return { MessageId: 'm' };
  });
  const schedules = new Map<string, string>();
  const scheduler = mockClient(SchedulerClient);
  scheduler.on(CreateScheduleCommand).callsFake(async (input: { Name: string; Target: { Input: string } }) => {
    if (schedules.has(input.Name)) {
      throw Object.assign(new Error('exists'), { name: 'ConflictException' });
    }
    schedules.set(input.Name, (JSON.parse(input.Target.Input) as { kind: string }).kind);
    return {};
  });
  scheduler.on(DeleteScheduleCommand).callsFake(async (input: { Name: string }) => {
    if (!schedules.delete(input.Name)) {
      throw Object.assign(new Error('missing'), { name: 'ResourceNotFoundException' });
    }
    return {};
  });
  const cw = mockClient(CloudWatchClient);
  // Composites wired to the page topic: the function verifies the alarm of every ALARM and OK (alarm/verify.ts).
  cw.on(DescribeAlarmsCommand).callsFake(async (input: { AlarmNames?: string[] }) => ({
    CompositeAlarms: (input.AlarmNames ?? []).map((name) => ({
      AlarmName: name, AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`, StateValue: 'ALARM', AlarmActions: [PAGE_TOPIC], OKActions: [PAGE_TOPIC],
    })),
  }));
  cw.on(ListTagsForResourceCommand).resolves({ Tags: [] });
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 's'.repeat(64) });
  mocks.push(sns, scheduler, cw, secrets);

  const waveSize = EVENTS / 2;
  const duplicates = Math.round(waveSize * DUPLICATE_SHARE);
  const alarms = Array.from({ length: waveSize - duplicates }, (_, i) => `svc${i}-availability-page`);
  const alarmWave = wave(alarms, 'ALARM', '2024-05-01T10:00:00.000+0000', duplicates);
  const okWave = wave(alarms, 'OK', '2024-05-01T10:30:00.000+0000', duplicates);

  let request = 0;
  const context = () => ({ awsRequestId: `bench-${request++}`, invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:esc`, getRemainingTimeInMillis: () => 60_000 });
  const log = console.log;
  console.log = () => undefined; // the handler's JSON logs
  try {
    // Warm-up on another alarm, so that the JIT, the caches and the connections are warm for both waves.
    await runPool(wave(['warm-availability-page'], 'ALARM', '2024-05-01T09:00:00.000+0000', 1), (e) => h.handler(e, context()));
    await runPool(wave(['warm-availability-page'], 'OK', '2024-05-01T09:30:00.000+0000', 1), (e) => h.handler(e, context()));
    subjects.length = 0;
    dynamoCalls = 0;
    const mockedBefore = mockedCalls();
    let start = performance.now();
    const a = await runPool(alarmWave, (e) => h.handler(e, context()));
    const alarmWaveMs = performance.now() - start;
    start = performance.now();
    const o = await runPool(okWave, (e) => h.handler(e, context()));
    const okWaveMs = performance.now() - start;
    const recoveryPublishes = subjects.filter((x) => x.startsWith('RECOVERED')).length;
    const latencies = [...a.latencies, ...o.latencies];
    return {
      backend,
      events: alarmWave.length + okWave.length,
      distinct: alarms.length * 2,
      notifications: subjects.length,
      alarmPublishes: subjects.length - recoveryPublishes,
      recoveryPublishes,
      failures: a.failures + o.failures,
      alarmWaveMs,
      okWaveMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      dynamoCalls: dynamoCalls + mockedCalls() - mockedBefore,
      pendingTimers: [...schedules.values()].filter((k) => k === 'escalate').length,
      pendingDrains: [...schedules.values()].filter((k) => k === 'drain').length,
    };
  } finally {
    console.log = log;
    h.dynamodb.middlewareStack.remove(counter);
    mocks.forEach((m) => m.restore());
    await stopDynalite?.();
  }
}

function throughputRow(t: ThroughputResult): string {
  const totalMs = t.alarmWaveMs + t.okWaveMs;
  const backend = t.backend === 'mocks' ? 'mocked (in-memory table)' : 'dynalite (real DynamoDB API, child process)';
  return `| ${backend} | ${(t.events / 2 / (t.alarmWaveMs / 1000)).toFixed(0)} | ${(t.events / 2 / (t.okWaveMs / 1000)).toFixed(0)} | `
    + `${(t.events / (totalMs / 1000)).toFixed(0)} | ${t.p50Ms.toFixed(1)} | ${t.p99Ms.toFixed(1)} | ${(t.dynamoCalls / t.events).toFixed(2)} | `
    + `${t.notifications} (${t.alarmPublishes} + ${t.recoveryPublishes}) | ${t.failures} | ${t.pendingTimers} |`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(): Promise<void> {
  const { external, harness } = buildVariants();
  const sizes = [BUNDLE, external].map((f) => {
    const data = fs.readFileSync(f);
    return { raw: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length };
  });
  const cold = coldImports(external);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const h: Harness = require(harness);
  const runs = [await throughput(h, 'mocks'), await throughput(h, 'dynalite')];
  const ok = runs.every((t) => t.notifications === t.distinct && t.pendingTimers === 0);
  const t = runs[0];
  const md = [
    '# Escalation function benchmark',
    '',
    `${new Date().toISOString()}, node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}, `
      + `load average ${os.loadavg()[0].toFixed(1)} when the throughput runs ended (other work on the machine skews them)`,
    '',
    '## Bundle',
    '',
    '| variant | size | gzipped | target < 500 KB | cold import (median of ' + COLD_RUNS + ', minus `node -e ""`) | target < 300 ms |',
    '|---|---|---|---|---|---|',
    `| shipped: dist/lambdas/escalation/index.js (\`@aws-sdk/*\` external, provided by the Node.js 24 runtime) | ${kb(sizes[0].raw)} | ${kb(sizes[0].gzip)} | ${sizes[0].raw < TARGET_BUNDLE_BYTES ? 'met' : 'missed'} | ${cold.bundledMs.toFixed(0)} ms | ${cold.bundledMs < TARGET_IMPORT_MS ? 'met' : 'missed'} |`,
    `| for comparison: AWS SDK v3 bundled in | ${kb(sizes[1].raw)} | ${kb(sizes[1].gzip)} | ${sizes[1].raw < TARGET_BUNDLE_BYTES ? 'met' : 'missed'} | ${cold.externalMs.toFixed(0)} ms | ${cold.externalMs < TARGET_IMPORT_MS ? 'met' : 'missed'} |`,
    '',
    `Baseline \`node -e ""\`: ${cold.baselineMs.toFixed(0)} ms.`,
    '',
    '## Throughput (in process; SNS, Scheduler, CloudWatch and Secrets Manager mocked)',
    '',
    `${t.events} SNS events (${t.distinct} distinct transitions, ${t.events - t.distinct} duplicates), ${CONCURRENCY} at a time: `
      + 'a wave of ALARMs, then a wave of OKs for the same alarms. The incidents table is mocked (the tests\' in-memory table '
      + 'with real conditional writes), or dynalite.',
    '',
    '| incidents table | ALARM wave, events/s | OK wave, events/s | overall, events/s | latency p50, ms | latency p99, ms | DynamoDB calls / event | notifications (pages + recoveries) | invocations that threw | escalation timers left |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(throughputRow),
    '',
    `Notifications = distinct transitions (${t.distinct}): ${ok ? 'yes' : '**NO**'}, for both. Latency is one invocation\'s, `
      + `${CONCURRENCY} running at once in one process (it includes waiting for the others). Each invocation also arms a drain timer `
      + `(a watchdog that finishes its work if Lambda stops it; ${runs.map((r) => r.pendingDrains).join(' and ')} pending at the end, `
      + 'one per alarm and minute), not fired here.',
    '',
    'No invocation should throw: a duplicate that finds a notice being sent by a concurrent invocation leaves it to that one. '
      + 'The table, the mocks and dynalite cost CPU in the same process or machine, so the figures are a floor for the '
      + 'handler\'s own overhead, not a forecast of AWS latency.',
    '',
  ].join('\n');
  process.stdout.write(md);
  fs.writeFileSync(path.join(ROOT, 'bench', 'escalation-results.md'), md);
  if (!ok) {
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
