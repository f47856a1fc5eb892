/**
 * Review benchmark: `report`, `diff` and `simulate` of the `cdk-reliability` command on a cloud
 * assembly of 50 services, as users run them (a fresh node process each), and the simulation
 * engine alone on 4 days at one-minute resolution.
 *
 * The assemblies: 50 services in 5 stacks of 10 (a stack per team), each service with two SLOs
 * (availability 99.9 % from `Sli.ratio`, latency 99 % under 300 ms from `Sli.latency`), the
 * stack's escalation policy and one Lambda experiment with a weekly game day. `after` is `before`
 * with a few policy changes (objectives lowered, an escalation delay doubled, an experiment
 * removed), so that `diff` has something to say. Both are synthesized once, before measuring,
 * without aws-cdk-lib's template validation (the artifacts are the same).
 *
 * Each command runs in fresh node processes (`node dist/lib/cli/main.js ...`), several times; the
 * median wall time (spawn to exit) and the largest peak RSS are reported. The baseline, measured
 * in the same run the same way, is a node process that reads and JSON-parses the same input files
 * and nothing else: the floor any tool reading the assembly pays (start-up included). Ratios are
 * command / baseline.
 *
 * The simulation engine is also timed in process: `simulate()` of one SLO's alarms on 5 760
 * one-minute steps (CloudWatch's evaluation as modelled, metrics 2 minutes late), median of
 * repeated runs after warm-up, beside the baseline of reading the template and building the SLO's
 * alarm model; and once more with the traffic stopping half way, so that evaluations read back
 * through their evaluation range (the costlier path).
 *
 * Run with `npm run bench:review`. Prints a Markdown report and writes it to
 * `bench/review-results.md`. It measures, it does not test: exit 0 whether or not targets are met.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EscalationPolicy, Fault, GameDay, Notify, ReliableService, Sli, Targets, WeekDay } from '../lib';
import { incident, trafficStopsAt } from '../lib/simulation/scenario';
import { simulate } from '../lib/simulation/simulator';
import { sloAlarmsFromTemplate } from '../lib/simulation/template-alarms';

const SERVICES = 50;
const SERVICES_PER_STACK = 10;
/** Process runs per command (after one warm-up run that fills the OS file cache). */
const RUNS = 7;
/** In-process simulation runs after warm-up. */
const SIM_RUNS = 30;
const SIM_MINUTES = 4 * 24 * 60;
const TARGET_COMMAND_MS = 2000;
const TARGET_SIM_MS = 200;

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');
/** Loaded with `--require` into measured processes: prints the peak RSS on fd 3 at exit. */
const RSS_HOOK = `process.on('exit', () => { try { require('fs').writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });\n`;

interface Variant {
  readonly objective: (i: number) => number;
  readonly secondLevelMinutes: (stack: number) => number;
  readonly experiment: (i: number) => boolean;
}

const BEFORE: Variant = { objective: () => 99.9, secondLevelMinutes: () => 15, experiment: () => true };
const AFTER: Variant = {
  objective: (i) => (i % 10 === 0 ? 99.5 : 99.9),
  secondLevelMinutes: (s) => (s === 0 ? 30 : 15),
  experiment: (i) => i !== 7,
};

/** Synthesizes the 50-service app into `outdir`. */
function synthesize(outdir: string, variant: Variant): void {
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  for (let s = 0; s < SERVICES / SERVICES_PER_STACK; s++) {
    const stack = new Stack(app, `Team${s}`, { env: { account: '111111111111', region: 'eu-west-1' } });
    const onCall = new EscalationPolicy(stack, 'OnCall', {
      policyName: `team${s}-oncall`,
      levels: [
        { notify: [Notify.email(`team${s}@example.com`)] },
        { after: Duration.minutes(variant.secondLevelMinutes(s)), notify: [Notify.sms('+15555550100')] },
      ],
    });
    for (let j = 0; j < SERVICES_PER_STACK; j++) {
      const i = s * SERVICES_PER_STACK + j;
      const name = `svc${i}`;
      const metric = (metricName: string) => new Metric({ namespace: 'Shop', metricName, dimensionsMap: { Service: name } });
      const handler = new lambda.Function(stack, `Handler${i}`, {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      });
      const service = new ReliableService(stack, `Service${i}`, {
        serviceName: name, escalation: onCall, dashboard: false,
        slos: [
          { name: 'availability', objective: variant.objective(i), sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }) },
          { name: 'latency', objective: 99, sli: Sli.latency({ metric: metric('Latency'), threshold: Duration.millis(300) }) },
        ],
      });
      if (variant.experiment(i)) {
        service.addExperiment('slow-handler', {
          fault: Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(500), invocationPercentage: 5 }),
          duration: Duration.minutes(10),
          gameDay: GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'Europe/Berlin' }),
        });
      }
    }
  }
  app.synth();
}

interface ProcessRun {
  readonly ms: number;
  readonly rssMb: number;
  readonly status: number | null;
  readonly stdoutBytes: number;
}

function runProcess(args: string[], hook: string): ProcessRun {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--require', hook, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const ms = performance.now() - start;
  const rssKb = Number(String(result.output[3] ?? '0'));
  if (result.status !== 0 && result.status !== 2) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${String(result.stderr).slice(0, 2000)}`);
  }
  return { ms, rssMb: rssKb / 1024, status: result.status, stdoutBytes: result.stdout.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Measured {
  readonly name: string;
  readonly command: string;
  readonly ms: number;
  readonly rssMb: number;
  readonly baselineMs: number;
  readonly baselineRssMb: number;
  readonly exit: number | null;
  readonly outputBytes: number;
}

/** A command and its baseline, interleaved A B B A, medians. */
function measure(name: string, args: string[], inputs: string[], hook: string, display: string): Measured {
  const baselineScript = `for (const f of ${JSON.stringify(inputs)}) JSON.parse(require('fs').readFileSync(f, 'utf8'));`;
  const command = () => runProcess([CLI, ...args], hook);
  const baseline = () => runProcess(['-e', baselineScript], hook);
  command();
  baseline();
  const runs: ProcessRun[] = [];
  const floor: ProcessRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      runs.push(command());
      floor.push(baseline());
    } else {
      floor.push(baseline());
      runs.push(command());
    }
  }
  return {
    name, command: display,
    ms: median(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)),
    baselineMs: median(floor.map((r) => r.ms)), baselineRssMb: Math.max(...floor.map((r) => r.rssMb)),
    exit: runs[0].status, outputBytes: runs[0].stdoutBytes,
  };
}

function filesUnder(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)).sort();
}

function main(): void {
  if (!fs.existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run npm run build first (npm run bench:review does)`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'review-bench-'));
  const hook = path.join(work, 'rss-hook.js');
  fs.writeFileSync(hook, RSS_HOOK);
  try {
    process.env.CDK_VALIDATION = 'false';
    const before = path.join(work, 'before');
    const after = path.join(work, 'after');
    const synthStart = performance.now();
    synthesize(before, BEFORE);
    synthesize(after, AFTER);
    const synthSeconds = (performance.now() - synthStart) / 1000;
    const manifests = (dir: string) => filesUnder(dir, '.reliability.json');
    const templates = (dir: string) => filesUnder(dir, '.template.json');
    const assemblyBytes = manifests(before).concat(templates(before)).reduce((sum, f) => sum + fs.statSync(f).size, 0);

    const results: Measured[] = [
      measure('report', ['report', before], [path.join(before, 'manifest.json'), ...manifests(before)], hook, 'report <assembly>'),
      measure('diff', ['diff', before, after], [path.join(before, 'manifest.json'), path.join(after, 'manifest.json'), ...manifests(before), ...manifests(after)], hook,
        'diff <before> <after>'),
      measure('simulate (2 h incident)', ['simulate', before, '--service', 'svc42', '--slo', 'availability', '--error-rate', '2%', '--for', '2h'],
        [path.join(before, 'manifest.json'), ...manifests(before), ...templates(before)], hook, 'simulate --service svc42 --slo availability --error-rate 2% --for 2h'),
      measure('simulate (4 days)', ['simulate', before, '--service', 'svc42', '--slo', 'availability', '--error-rate', '0.2%', '--for', '4d', '--minutes', String(SIM_MINUTES)],
        [path.join(before, 'manifest.json'), ...manifests(before), ...templates(before)], hook, `simulate ... --error-rate 0.2% --for 4d --minutes ${SIM_MINUTES}`),
    ];

    // The engine alone, in process.
    const template = JSON.parse(fs.readFileSync(path.join(before, 'Team4.template.json'), 'utf8'));
    const modelOf = () => sloAlarmsFromTemplate(JSON.parse(fs.readFileSync(path.join(before, 'Team4.template.json'), 'utf8')), 'svc42', 'availability');
    const model = sloAlarmsFromTemplate(template, 'svc42', 'availability');
    const profile = incident({ errorRatio: 0.002, durationMinutes: SIM_MINUTES, eventsPerMinute: 1000 });
    const stopping = trafficStopsAt(profile, SIM_MINUTES / 2);
    for (let i = 0; i < 5; i++) {
      simulate(model, profile, SIM_MINUTES);
      simulate(model, stopping, SIM_MINUTES);
      modelOf();
    }
    const simMs: number[] = [];
    const stoppingMs: number[] = [];
    const modelMs: number[] = [];
    for (let i = 0; i < SIM_RUNS; i++) {
      let t = performance.now();
      simulate(model, profile, SIM_MINUTES);
      simMs.push(performance.now() - t);
      t = performance.now();
      simulate(model, stopping, SIM_MINUTES);
      stoppingMs.push(performance.now() - t);
      t = performance.now();
      modelOf();
      modelMs.push(performance.now() - t);
    }
    const engineMs = median(simMs);
    const engineStoppingMs = median(stoppingMs);
    const engineBaselineMs = median(modelMs);

    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    const lines = [
      '# Review benchmark results',
      '',
      `Recorded by \`npm run bench:review\` on ${os.cpus().length} cores (${cpu}), node ${process.version}. `
        + `Assembly: ${SERVICES} services in ${SERVICES / SERVICES_PER_STACK} stacks, ${(assemblyBytes / 1e6).toFixed(1)} MB of templates and manifests `
        + `(synthesized in ${synthSeconds.toFixed(1)} s for both variants, before measuring). Each command: median of ${RUNS} fresh processes, `
        + `peak RSS the largest of them; baseline: a node process that reads and parses the same input files.`,
      '',
      '| command | wall ms | peak RSS MB | baseline ms | baseline RSS MB | ratio (ms) | exit | output bytes | target |',
      '|---|---|---|---|---|---|---|---|---|',
      ...results.map((r) => `| \`${r.command}\` | ${Math.round(r.ms)} | ${r.rssMb.toFixed(0)} | ${Math.round(r.baselineMs)} | ${r.baselineRssMb.toFixed(0)} | `
        + `${(r.ms / r.baselineMs).toFixed(2)}x | ${r.exit} | ${r.outputBytes} | < ${TARGET_COMMAND_MS} ms: ${r.ms < TARGET_COMMAND_MS ? 'met' : 'NOT met'} |`),
      '',
      `Simulation engine alone (in process, median of ${SIM_RUNS} after warm-up): ${SIM_MINUTES} one-minute steps of one SLO's `
        + `${model.windowAlarms.length} window alarms and ${model.composites.length} composites: **${engineMs.toFixed(1)} ms** `
        + `(target < ${TARGET_SIM_MS} ms: ${engineMs < TARGET_SIM_MS ? 'met' : 'NOT met'}), metrics 2 minutes late; with the traffic stopping half way `
        + `(evaluations read back through their evaluation range): **${engineStoppingMs.toFixed(1)} ms**; baseline, reading the template and `
        + `building the model: ${engineBaselineMs.toFixed(1)} ms (ratio ${(engineMs / engineBaselineMs).toFixed(2)}x).`,
      '',
    ];
    const report = lines.join('\n');
    process.stdout.write(report);
    fs.writeFileSync(path.join(ROOT, 'bench', 'review-results.md'), report);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
