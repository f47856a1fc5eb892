/**
 * Synth benchmark: what `ReliableService` costs compared with the same alarms written by hand.
 *
 * For apps of 1, 10 and 50 services, each with two SLOs (availability from `Sli.ratio` over
 * `Errors`/`Requests`, latency from `Sli.latency` at 300 ms), spread over stacks of at most 10
 * services (a stack per team, as the README recommends), it synthesizes two variants:
 *
 * - `library`: `new ReliableService(stack, ...)` from `../lib`;
 * - `hand-written`: the floor. The same alarms declared with raw aws-cdk-lib, as a user would
 *   write them: per SLO and tier two `cloudwatch.Alarm`s on a `MathExpression`, and per severity a
 *   `cloudwatch.CompositeAlarm` with an `AlarmRule` (the ticket's actions suppressed by the page).
 *   Same alarm names, thresholds, periods and expressions; no descriptions or labels. Before
 *   measuring a size, the bench checks that both variants synthesize the same alarms (names,
 *   thresholds, expressions, metrics, composite rules, suppressor) and stops with exit code 1 if
 *   not, since the comparison would be meaningless.
 *
 * In process, each measurement is one fresh `App({ outdir })` in a temporary directory:
 * constructing the stacks plus `app.synth()`, timed with a monotonic clock, after a full GC; the
 * output is read (resources, template bytes on disk) and deleted outside the timing. The JIT is
 * warmed up first with a few 10-service apps of each variant, then each size gets one more
 * warm-up run per variant and several measured runs, the variants interleaved in A B B A order,
 * so that neither side profits from warm-up or pays for the other's garbage. Medians are
 * reported; ratios are library / hand-written from the same process run.
 *
 * Cold: the largest app is also synthesized in fresh node processes (this file with `--cold`), as
 * `cdk synth` runs an app, to show what start-up, module loading and cold JIT add.
 *
 * Run with `npm run bench` (a few minutes). Prints a Markdown report and writes it to
 * `bench/results.md`. It measures, it does not test: it exits 0 whether or not the targets are
 * met.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ReliableService, Sli } from '../lib';

/** App sizes, in services. */
const APP_SIZES = [1, 10, 50];
/** Services per stack: a stack per team of at most 10 services. */
const SERVICES_PER_STACK = 10;
/** Runs of each variant before anything is measured, so that the JIT is warm for the first size. */
const GLOBAL_WARMUP_RUNS = 3;
/**
 * Measured runs per variant, after one more warm-up run at that size. A 1-service app
 * synthesizes in about 100 ms, where a stray pause matters, so small apps get more runs.
 */
const runsFor = (services: number) => (services <= 1 ? 11 : services <= 10 ? 7 : 5);
/** Fresh-process runs per variant of the largest app (each takes 15-30 s with validation on). */
const COLD_RUNS = 3;
const COLD_FLAG = '--cold';
const COLD_RESULT = 'cold-result ';

/** Targets from the issue. */
const TARGET_SYNTH_RATIO = 1.3;
const TARGET_50_SERVICES_MS = 15_000;

/** CloudFormation quotas. */
const CFN_MAX_RESOURCES = 500;
const CFN_MAX_TEMPLATE_BYTES_S3 = 1_048_576;
const CFN_MAX_TEMPLATE_BYTES_INLINE = 51_200;

type Variant = 'library' | 'hand-written';
const VARIANTS: Variant[] = ['library', 'hand-written'];

// ---------------------------------------------------------------------------------------------
// The app, both ways
// ---------------------------------------------------------------------------------------------

/** A service's own metrics, as a user would declare them. */
function serviceMetrics(serviceName: string) {
  const dimensionsMap = { Service: serviceName };
  return {
    errors: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Errors', dimensionsMap }),
    requests: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Requests', dimensionsMap }),
    latency: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Latency', dimensionsMap }),
  };
}

/**
 * The library: one construct per service. Its dashboard is turned off so that both variants
 * declare the same alarms and nothing else (a dashboard is one more resource per service).
 */
function libraryService(stack: Stack, serviceName: string): void {
  const m = serviceMetrics(serviceName);
  new ReliableService(stack, serviceName, {
    serviceName,
    dashboard: false,
    slos: [
      { name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: m.errors, total: m.requests }) },
      { name: 'latency', objective: 99, sli: Sli.latency({ metric: m.latency, threshold: Duration.millis(300) }) },
    ],
  });
}

/**
 * The SRE Workbook's tiers with their burn rates for a 30-day SLO window, worked out by hand:
 * budget spent x 30 days / long window (2 % x 720 h / 1 h = 14.4, 5 % x 720 h / 6 h = 6, ...).
 */
const HAND_TIERS = [
  { severity: 'page', id: 'page-1h-5m', long: Duration.hours(1), short: Duration.minutes(5), burnRate: 14.4 },
  { severity: 'page', id: 'page-6h-30m', long: Duration.hours(6), short: Duration.minutes(30), burnRate: 6 },
  { severity: 'ticket', id: 'ticket-1d-2h', long: Duration.days(1), short: Duration.hours(2), burnRate: 3 },
  { severity: 'ticket', id: 'ticket-3d-6h', long: Duration.days(3), short: Duration.hours(6), burnRate: 1 },
] as const;

/** The floor: the same alarms, declared with raw aws-cdk-lib. */
function handWrittenService(stack: Stack, serviceName: string): void {
  const m = serviceMetrics(serviceName);
  // burn rate = bad / max(total, bad, N) / budget; N = 1 on short windows, the tier's low-traffic floor
  // floor(1 / (burn rate x budget)) + 1 on long windows
  const burn = (bad: string, total: string, budget: string) => (n: number) =>
    `${bad} / IF(${total} > ${bad}, IF(${total} > ${n}, ${total}, ${n}), IF(${bad} > ${n}, ${bad}, ${n})) / ${budget}`;
  const slos: { name: string; expression: (n: number) => string; floors: number[]; usingMetrics: Record<string, cloudwatch.IMetric> }[] = [
    {
      name: 'availability',
      // 99.9 % -> error budget 0.001; thresholds 1.44 %, 0.6 %, 0.3 %, 0.1 %
      expression: burn('FILL(bad0, 0)', 'FILL(total0, 0)', '0.001'),
      floors: [70, 167, 334, 1001],
      usingMetrics: {
        total0: m.requests.with({ statistic: 'Sum' }),
        bad0: m.errors.with({ statistic: 'Sum' }),
      },
    },
    {
      name: 'latency',
      // 99 % of requests within 300 ms -> error budget 0.01; thresholds 14.4 %, 6 %, 3 %, 1 %.
      // Raw samples (the default): a window with samples and no trimmed count reads as all slow.
      expression: burn('(FILL(total0, 0) - FILL(good0, 0))', 'FILL(total0, 0)', '0.01'),
      floors: [7, 17, 34, 101],
      usingMetrics: {
        total0: m.latency.with({ statistic: 'SampleCount' }),
        good0: m.latency.with({ statistic: 'TC(:300)' }),
      },
    },
  ];

  for (const slo of slos) {
    const prefix = `${serviceName}-${slo.name}`;
    const rules: Record<string, cloudwatch.IAlarmRule[]> = { page: [], ticket: [] };
    HAND_TIERS.forEach((tier, i) => {
      const windowAlarm = (window: 'long' | 'short', period: Duration) => new cloudwatch.Alarm(stack, `${prefix}-${tier.id}-${window}`, {
        alarmName: `${prefix}-${tier.id}-${window}`,
        metric: new cloudwatch.MathExpression({ expression: slo.expression(window === 'long' ? slo.floors[i] : 1), usingMetrics: slo.usingMetrics, period }),
        threshold: tier.burnRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      rules[tier.severity].push(cloudwatch.AlarmRule.allOf(
        cloudwatch.AlarmRule.fromAlarm(windowAlarm('long', tier.long), cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(windowAlarm('short', tier.short), cloudwatch.AlarmState.ALARM),
      ));
    });
    const page = new cloudwatch.CompositeAlarm(stack, `${prefix}-page`, {
      compositeAlarmName: `${prefix}-page`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...rules.page),
    });
    new cloudwatch.CompositeAlarm(stack, `${prefix}-ticket`, {
      compositeAlarmName: `${prefix}-ticket`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...rules.ticket),
      actionsSuppressor: page,
      actionsSuppressorWaitPeriod: Duration.minutes(1),
      actionsSuppressorExtensionPeriod: Duration.minutes(1),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

interface StackOutput {
  readonly resources: number;
  readonly bytes: number;
  readonly template: CfnTemplate;
}

interface Run {
  /** Construction plus `app.synth()`. */
  readonly ms: number;
  /** Process resident set right after the synth. */
  readonly rss: number;
  readonly stacks: StackOutput[];
}

/**
 * A full garbage collection between measurements, so that one run does not pay for the garbage
 * of the run before it (the other variant, half of the time). `npm run bench` runs node without
 * `--expose-gc`, so the flag is turned on at run time.
 */
const collectGarbage: () => void = (() => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    return g;
  }
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** Builds and synthesizes one app; only construction and `app.synth()` are timed. */
function synthOnce(variant: Variant, services: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-bench-'));
  try {
    collectGarbage();
    const start = performance.now();
    const app = new App({ outdir });
    let stack: Stack | undefined;
    for (let i = 0; i < services; i++) {
      if (i % SERVICES_PER_STACK === 0) {
        stack = new Stack(app, `Team${i / SERVICES_PER_STACK}`);
      }
      const name = `service${i}`;
      if (variant === 'library') {
        libraryService(stack!, name);
      } else {
        handWrittenService(stack!, name);
      }
    }
    const assembly = app.synth();
    const ms = performance.now() - start;
    const rss = process.memoryUsage().rss;

    const stacks = assembly.stacks.map((s) => {
      const template = JSON.parse(fs.readFileSync(s.templateFullPath, 'utf8')) as CfnTemplate;
      return {
        resources: Object.keys(template.Resources ?? {}).length,
        bytes: fs.statSync(s.templateFullPath).size,
        template,
      };
    });
    return { ms, rss, stacks };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

interface ColdRun {
  /** Wall time of the child process, spawn to exit. */
  readonly ms: number;
  /** The child's peak resident set. */
  readonly maxRss: number;
}

/**
 * One synth in a fresh node process, as `cdk synth` runs an app: node start-up, loading
 * aws-cdk-lib (and, in both variants, `../lib`), cold JIT and the one-off set-up of aws-cdk-lib's
 * built-in template validation are all paid.
 */
function synthInFreshProcess(variant: Variant, services: number): ColdRun {
  const start = performance.now();
  const child = spawnSync(process.execPath, [__filename, COLD_FLAG, variant, String(services)], { encoding: 'utf8' });
  const ms = performance.now() - start;
  const result = child.stdout?.split('\n').find((line) => line.startsWith(COLD_RESULT));
  if (child.status !== 0 || !result) {
    throw new Error(`cold ${variant} synth of ${services} services failed (exit ${child.status}):\n${child.stderr}`);
  }
  const { maxRssKb } = JSON.parse(result.slice(COLD_RESULT.length)) as { maxRssKb: number };
  return { ms, maxRss: maxRssKb * 1024 };
}

/**
 * What makes two alarm sets the same alarms: per alarm name, its type, threshold, comparison,
 * periods, expression and metrics (ids, stats, periods, dimensions); for composites the rule and
 * suppressor with the alarms they reference by name. Descriptions, labels and logical ids differ
 * by design and are left out.
 */
function alarmSignatures(templates: CfnTemplate[]): Map<string, string> {
  const nameOf = new Map<string, string>();
  for (const t of templates) {
    for (const [id, r] of Object.entries(t.Resources ?? {})) {
      nameOf.set(id, String(r.Properties?.AlarmName ?? `(unnamed ${id})`));
    }
  }
  const normalize = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(normalize);
    }
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if (Array.isArray(obj['Fn::GetAtt'])) {
        return `<${nameOf.get((obj['Fn::GetAtt'] as string[])[0])}>`;
      }
      if (Array.isArray(obj['Fn::Join'])) {
        const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
        return parts.map((p) => (typeof p === 'string' ? p : String(normalize(p)))).join(separator);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(obj).sort()) {
        if (key !== 'AlarmDescription' && key !== 'Label') {
          out[key] = normalize(obj[key]);
        }
      }
      if (Array.isArray(out.Metrics)) {
        (out.Metrics as { Id: string }[]).sort((a, b) => a.Id.localeCompare(b.Id));
      }
      return out;
    }
    return value;
  };
  const signatures = new Map<string, string>();
  for (const t of templates) {
    for (const [id, r] of Object.entries(t.Resources ?? {})) {
      signatures.set(nameOf.get(id)!, JSON.stringify({ Type: r.Type, Properties: normalize(r.Properties ?? {}) }));
    }
  }
  return signatures;
}

/** Why the two variants are not the same alarms; empty when they are. */
function equivalenceProblems(library: Run, hand: Run): string[] {
  const a = alarmSignatures(library.stacks.map((s) => s.template));
  const b = alarmSignatures(hand.stacks.map((s) => s.template));
  const problems: string[] = [];
  const count = (r: Run) => r.stacks.reduce((sum, s) => sum + s.resources, 0);
  if (count(library) !== count(hand)) {
    problems.push(`library has ${count(library)} resources, hand-written ${count(hand)}`);
  }
  for (const [name, signature] of a) {
    if (!b.has(name)) {
      problems.push(`${name}: only in library`);
    } else if (b.get(name) !== signature) {
      problems.push(`${name}: differs\n      library:      ${signature}\n      hand-written: ${b.get(name)}`);
    }
  }
  for (const name of b.keys()) {
    if (!a.has(name)) {
      problems.push(`${name}: only in hand-written`);
    }
  }
  return problems;
}

/** Bytes of the AlarmDescription values, as they appear in the JSON. */
function descriptionBytes(templates: CfnTemplate[]): number {
  let bytes = 0;
  for (const t of templates) {
    for (const r of Object.values(t.Resources ?? {})) {
      const description = r.Properties?.AlarmDescription;
      if (description !== undefined) {
        bytes += Buffer.byteLength(JSON.stringify(description));
      }
    }
  }
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The two variants in alternating order: A B, B A, A B, ... */
function abba(i: number): Variant[] {
  return i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
}

/** The figures of one variant at one app size. */
interface Cell {
  readonly services: number;
  readonly variant: Variant;
  readonly stacks: number;
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly resources: number;
  readonly bytes: number;
  readonly maxStackBytes: number;
  readonly maxStackResources: number;
  readonly descriptionBytes: number;
  readonly peakRss: number;
}

type Pair = Record<Variant, Cell>;

function measure(services: number): Pair {
  // One warm-up run of each, which also checks that the two variants are the same alarms.
  const warm = { 'library': synthOnce('library', services), 'hand-written': synthOnce('hand-written', services) };
  const problems = equivalenceProblems(warm.library, warm['hand-written']);
  if (problems.length > 0) {
    throw new NotEquivalentError(`the variants are not the same alarms at ${plural(services, 'service')}, so comparing them is meaningless:\n`
      + `  - ${problems.slice(0, 10).join('\n  - ')}${problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : ''}`);
  }

  const runs: Record<Variant, Run[]> = { 'library': [], 'hand-written': [] };
  for (let i = 0; i < runsFor(services); i++) {
    for (const variant of abba(i)) {
      runs[variant].push(synthOnce(variant, services));
    }
  }

  const cell = (variant: Variant): Cell => {
    const runsMs = runs[variant].map((r) => r.ms);
    const { stacks } = runs[variant][0];
    return {
      services,
      variant,
      stacks: stacks.length,
      runsMs,
      medianMs: median(runsMs),
      resources: stacks.reduce((sum, s) => sum + s.resources, 0),
      bytes: stacks.reduce((sum, s) => sum + s.bytes, 0),
      maxStackBytes: Math.max(...stacks.map((s) => s.bytes)),
      maxStackResources: Math.max(...stacks.map((s) => s.resources)),
      descriptionBytes: descriptionBytes(stacks.map((s) => s.template)),
      peakRss: Math.max(...runs[variant].map((r) => r.rss)),
    };
  };
  return { 'library': cell('library'), 'hand-written': cell('hand-written') };
}

function measureCold(services: number): Record<Variant, ColdRun[]> {
  const runs: Record<Variant, ColdRun[]> = { 'library': [], 'hand-written': [] };
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const variant of abba(i)) {
      runs[variant].push(synthInFreshProcess(variant, services));
    }
  }
  return runs;
}

class NotEquivalentError extends Error {}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const megabytes = (bytes: number) => fmt(bytes / 1024 / 1024);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function report(results: Pair[], cold: Record<Variant, ColdRun[]>, elapsedMs: number): string {
  const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const cdkVersion = (require('aws-cdk-lib/package.json') as { version: string }).version;
  const cpus = os.cpus();
  const validation = process.env.CDK_VALIDATION === 'false' ? 'off (CDK_VALIDATION=false)' : 'on (the default)';
  const lines: string[] = [];
  const out = (...l: string[]) => lines.push(...l);

  out('# cdk-reliability synth benchmark', '');
  out(`- Date: ${new Date().toISOString()}`);
  out(`- Node ${process.version} (${process.platform}/${process.arch}), aws-cdk-lib ${cdkVersion}, cdk-reliability ${packageJson.version}`);
  out(`- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; ${megabytes(os.totalmem())} MB RAM`);
  out(`- App: N services with two SLOs each (availability 99.9 % from \`Sli.ratio\`, latency 99 % within 300 ms from \`Sli.latency\`), `
    + `at most ${SERVICES_PER_STACK} services per stack; 20 alarms per service either way`);
  out(`- Method: construct + \`app.synth()\` into a temp outdir, in one process after a global warm-up; per size one more warm-up run, `
    + `then ${APP_SIZES.map((n) => `${runsFor(n)}`).join('/')} runs per variant for ${APP_SIZES.join('/')} services, interleaved A B B A, `
    + 'full GC before each run; medians. Ratios are library / hand-written from this run.');
  out(`- aws-cdk-lib's built-in template validation at synth: ${validation}`);
  out('');

  out('| services | stacks | variant | synth ms (median) | runs min–max ms | synth ms/service | resources/service | template bytes/service | largest stack bytes | peak RSS MB | synth ratio | resources ratio | bytes ratio |');
  out('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const pair of results) {
    const hand = pair['hand-written'];
    for (const variant of VARIANTS) {
      const c = pair[variant];
      const vs = (a: number, b: number) => (variant === 'library' ? times(a, b) : '1.00x');
      out(`| ${c.services} | ${c.stacks} | ${variant} | ${fmt(c.medianMs)} | ${fmt(Math.min(...c.runsMs))}–${fmt(Math.max(...c.runsMs))} `
        + `| ${fmt(c.medianMs / c.services, 1)} | ${fmt(c.resources / c.services, 1)} | ${fmt(c.bytes / c.services)} | ${fmt(c.maxStackBytes)} `
        + `| ${megabytes(c.peakRss)} | ${vs(c.medianMs, hand.medianMs)} | ${vs(c.resources, hand.resources)} | ${vs(c.bytes, hand.bytes)} |`);
    }
  }
  out('');

  const biggest = results[results.length - 1];
  const coldServices = biggest.library.services;
  const coldMs = (v: Variant) => median(cold[v].map((r) => r.ms));
  out(`Cold: the ${coldServices}-service app in a fresh node process, as \`cdk synth\` runs it (node start-up, module loading, `
    + `cold JIT, validation set-up), spawn to exit, median of ${COLD_RUNS} runs per variant, interleaved:`, '');
  out('| services | variant | cold ms (median) | runs min–max ms | cold ms/service | peak RSS MB | cold ratio |');
  out('|---:|---|---:|---:|---:|---:|---:|');
  for (const variant of VARIANTS) {
    const ms = cold[variant].map((r) => r.ms);
    out(`| ${coldServices} | ${variant} | ${fmt(coldMs(variant))} | ${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))} `
      + `| ${fmt(coldMs(variant) / coldServices, 1)} | ${megabytes(Math.max(...cold[variant].map((r) => r.maxRss)))} `
      + `| ${variant === 'library' ? times(coldMs('library'), coldMs('hand-written')) : '1.00x'} |`);
  }
  out('');
  out('Peak RSS in the first table is the resident set of the bench process right after a synth: it includes aws-cdk-lib, both '
    + `variants' code and the template validator, so read it as an upper bound; process max RSS over the whole bench: `
    + `${fmt(process.resourceUsage().maxRSS / 1024)} MB. The cold table's peak RSS is each child process's own.`);
  out(`Of the library's template bytes, ${fmt(biggest.library.descriptionBytes / biggest.library.services)} per service are alarm `
    + 'descriptions; the hand-written floor has none.');
  out('');

  // Targets: judged on the in-process medians, as specified; the cold figures are given beside them.
  const synthRatios = results.map((p) => ({ services: p.library.services, value: p.library.medianMs / p['hand-written'].medianMs }));
  const ratioMet = synthRatios.every((r) => r.value <= TARGET_SYNTH_RATIO);
  const coldRatio = coldMs('library') / coldMs('hand-written');
  const fifty = results.find((p) => p.library.services === 50)?.library;
  const verdict = (met: boolean) => `**${met ? 'MET' : 'MISSED'}**`;
  out('## Targets', '');
  out(`- Per-service synth cost within ${TARGET_SYNTH_RATIO}x of hand-written: ${verdict(ratioMet)} `
    + `(${synthRatios.map((r) => `${plural(r.services, 'service')}: ${r.value.toFixed(2)}x`).join('; ')}). `
    + `Cold, ${coldServices} services: ${coldRatio.toFixed(2)}x (${coldRatio <= TARGET_SYNTH_RATIO ? 'within' : 'over'} the target).`);
  if (fifty) {
    const coldLine = coldServices === 50
      ? ` Cold process: ${verdict(coldMs('library') < TARGET_50_SERVICES_MS)} (${fmt(coldMs('library'))} ms; `
        + `the hand-written floor takes ${fmt(coldMs('hand-written'))} ms${coldMs('hand-written') < TARGET_50_SERVICES_MS ? '' : ', over the target as well'}).`
      : '';
    out(`- 50-service app under ${fmt(TARGET_50_SERVICES_MS / 1000)} s: in process ${verdict(fifty.medianMs < TARGET_50_SERVICES_MS)} `
      + `(${fmt(fifty.medianMs)} ms).${coldLine}`);
  }
  if (process.env.CDK_VALIDATION !== 'false') {
    out('- Both variants include aws-cdk-lib\'s built-in template validation (CloudFormation Validate, in WebAssembly), which runs on '
      + 'every synth and is much of the time above, cold especially; `CDK_VALIDATION=false npm run bench` measures without it.');
  }
  out('');

  // CloudFormation quotas. A stack's size is a fixed part plus a part per service: fit it on the
  // two stacks of 1 and 10 services (one stack each).
  const one = results.find((p) => p.library.services === 1)?.library;
  const ten = results.find((p) => p.library.services === SERVICES_PER_STACK)?.library;
  const lib = biggest.library;
  const resourcesPerService = lib.resources / lib.services;
  const bytesPerService = one && ten ? (ten.maxStackBytes - one.maxStackBytes) / (SERVICES_PER_STACK - 1) : lib.bytes / lib.services;
  const bytesPerStack = one ? Math.max(0, one.maxStackBytes - bytesPerService) : 0;
  const fitByResources = Math.floor(CFN_MAX_RESOURCES / resourcesPerService);
  const fitByResourcesWithMetadata = Math.floor((CFN_MAX_RESOURCES - 1) / resourcesPerService);
  const fitByBytes = Math.floor((CFN_MAX_TEMPLATE_BYTES_S3 - bytesPerStack) / bytesPerService);
  const fitInline = Math.floor((CFN_MAX_TEMPLATE_BYTES_INLINE - bytesPerStack) / bytesPerService);
  out('## CloudFormation quotas (library)', '');
  out(`- Resources: ${fmt(resourcesPerService, 1)} per service with two SLOs, so **${fitByResources} services fit one stack** under the `
    + `${CFN_MAX_RESOURCES}-resource limit (${fitByResourcesWithMetadata} when the CDK CLI adds its CDKMetadata resource). `
    + `Largest stack here: ${lib.maxStackResources} resources (${SERVICES_PER_STACK} services).`);
  out(`- Template size: about ${fmt(bytesPerService)} bytes per service plus ${fmt(bytesPerStack)} per stack, so ${fitByBytes} services would fit `
    + `the ${fmt(CFN_MAX_TEMPLATE_BYTES_S3)}-byte limit for templates uploaded to S3; the resource limit binds first. `
    + `Largest stack here: **${fmt(lib.maxStackBytes)} bytes, ${((lib.maxStackBytes / CFN_MAX_TEMPLATE_BYTES_S3) * 100).toFixed(1)} % of the limit** `
    + `(${lib.maxStackBytes <= CFN_MAX_TEMPLATE_BYTES_S3 ? 'within it' : 'OVER IT'}).`);
  out(`- A template over ${fmt(CFN_MAX_TEMPLATE_BYTES_INLINE)} bytes cannot be passed inline and is uploaded to the bootstrap bucket `
    + `(the default with \`cdk bootstrap\`): ${fitInline < 1 ? 'not even one service fits' : `only ${plural(fitInline, 'service')} ${fitInline === 1 ? 'fits' : 'fit'}`} under that.`);
  out('');
  out(`_Bench wall time: ${fmt(elapsedMs / 1000, 1)} s._`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** `bench.js --cold <variant> <services>`: one synth, in the fresh process the parent spawned. */
function coldChild(variant: string, services: number): void {
  if (!VARIANTS.includes(variant as Variant) || !(services > 0)) {
    throw new Error(`usage: bench.js ${COLD_FLAG} <${VARIANTS.join('|')}> <services>`);
  }
  synthOnce(variant as Variant, services);
  process.stdout.write(`${COLD_RESULT}${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

function main(): void {
  const started = performance.now();
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  try {
    progress(`warming up (${GLOBAL_WARMUP_RUNS} x ${SERVICES_PER_STACK} services per variant)...`);
    for (let i = 0; i < GLOBAL_WARMUP_RUNS; i++) {
      abba(i).forEach((variant) => synthOnce(variant, SERVICES_PER_STACK));
    }
    const results: Pair[] = [];
    for (const services of APP_SIZES) {
      progress(`measuring ${plural(services, 'service')} (${runsFor(services)} runs per variant)...`);
      results.push(measure(services));
    }
    const coldSize = APP_SIZES[APP_SIZES.length - 1];
    progress(`measuring ${coldSize} services in fresh processes (${COLD_RUNS} runs per variant)...`);
    const cold = measureCold(coldSize);

    const markdown = report(results, cold, performance.now() - started);
    process.stdout.write(markdown);
    const resultsFile = path.join(__dirname, '..', '..', 'bench', 'results.md');
    fs.writeFileSync(resultsFile, markdown);
    progress(`written to ${path.relative(process.cwd(), resultsFile)}`);
  } catch (e) {
    if (e instanceof NotEquivalentError) {
      console.error(`bench: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

if (process.argv[2] === COLD_FLAG) {
  coldChild(process.argv[3], Number(process.argv[4]));
} else {
  main();
}
