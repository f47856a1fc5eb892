/**
 * `cdk-reliability review --since 30d [assembly]`: the period report. Reads the services of the
 * cloud assembly's stacks from their reliability manifests, then the deployed reality over the
 * period: SLI metrics (attainment, budget, burn-down, worst days), alarm history (pages and
 * tickets raised), the escalation policies' incidents (acknowledgements, escalation, who
 * answered) and the FIS experiments (verdicts, game days). Writes it as Markdown, JSON or one
 * self-contained HTML page with charts.
 */
import { awsOptions } from '../aws';
import type { ParsedArgs } from '../args';
import { suggestion } from '../args';
import { listAssemblyStacks, readTemplate } from '../assembly';
import { describeStack, openBudgetClient, stackRegion } from '../budget/region';
import { AWS_OPTIONS, Command } from '../command';
import { CliError, UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { ExperimentPlan, normaliseExperimentTemplate } from '../experiments/model';
import { CliIo, println } from '../io';
import { ManifestSet, readManifests } from '../manifests';
import type { ReliabilityManifest } from '../../manifest/schema';
import { CallCounts, countCalls, ReviewClients } from '../period-report/aws';
import { parsePeriod } from '../period-report/period';
import { PERIOD_REPORT_FORMATS } from '../period-report/render';
import { DEFAULT_ASSEMBLY, emit } from './report';

const DEFAULT_SINCE = '30d';
const FORMATS = Object.keys(PERIOD_REPORT_FORMATS);

/** The stacks (all with a service, or --stack) and their services (all, or --service). */
export function selectReviewed(set: ManifestSet, stack: string | undefined, service: string | undefined): ReliabilityManifest[] {
  let manifests = set.manifests.filter((m) => m.services.length > 0);
  if (stack !== undefined) {
    manifests = manifests.filter((m) => [m.stack.name, m.stack.path, m.stack.artifactId].includes(stack));
    if (manifests.length === 0) {
      const names = set.manifests.filter((m) => m.services.length > 0).map((m) => m.stack.path);
      throw new CliError(`no stack '${stack}' with a ReliableService in ${set.path}${suggestion(stack, names)}; stacks with one: ${names.join(', ') || 'none'}`);
    }
  }
  if (service !== undefined) {
    const narrowed = manifests.map((m) => ({ ...m, services: m.services.filter((s) => s.name === service) })).filter((m) => m.services.length > 0);
    if (narrowed.length === 0) {
      const names = [...new Set(manifests.flatMap((m) => m.services.map((s) => s.name)))];
      throw new CliError(`no service '${service}' in ${set.path}${suggestion(service, names)}; services there: ${names.join(', ') || 'none'}`);
    }
    manifests = narrowed;
  }
  if (manifests.length === 0) {
    throw new CliError(`no stack in ${set.path} has a ReliableService: nothing to review`);
  }
  const regions = [...new Set(manifests.map((m) => stackRegion(m.stack)).filter((r): r is string => r !== undefined))];
  if (regions.length > 1) {
    throw new CliError(`the stacks are deployed in ${regions.join(' and ')}: review reads one region at a time; pass --stack `
      + `(${manifests.map((m) => `${describeStack(m.stack)} in ${m.stack.region}`).join(', ')})`);
  }
  return manifests;
}

/** The synthesized experiment templates of the stacks, by `stack/logicalId` (for the verdicts). */
function experimentPlans(set: ManifestSet, manifests: readonly ReliabilityManifest[]): Map<string, ExperimentPlan> {
  const plans = new Map<string, ExperimentPlan>();
  if (set.kind !== 'assembly' || !manifests.some((m) => m.services.some((s) => s.experiments.length > 0))) {
    return plans;
  }
  for (const stack of listAssemblyStacks(set.path)) {
    const manifest = manifests.find((m) => m.stack.artifactId === stack.artifactId);
    if (!manifest) {
      continue;
    }
    for (const [logicalId, resource] of Object.entries(readTemplate(stack).Resources ?? {})) {
      if (resource.Type === 'AWS::FIS::ExperimentTemplate') {
        plans.set(`${manifest.stack.name}/${logicalId}`, normaliseExperimentTemplate(logicalId, 'assembly', resource.Properties ?? {}));
      }
    }
  }
  return plans;
}

async function reviewRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const format = args.string('format') ?? FORMATS[0];
  const render = PERIOD_REPORT_FORMATS[format];
  if (!render) {
    throw new UsageError(`--format ${format}: use ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS[FORMATS.length - 1]}`);
  }
  const now = io.now();
  const period = parsePeriod(args.string('since') ?? DEFAULT_SINCE, now);
  const source = args.argument('assembly') ?? DEFAULT_ASSEMBLY;
  const set = readManifests(source);
  const manifests = selectReviewed(set, args.string('stack'), args.string('service'));
  const plans = experimentPlans(set, manifests);

  const options = awsOptions(args);
  const opened = await openBudgetClient(io, options, manifests.find((m) => stackRegion(m.stack) !== undefined)?.stack ?? manifests[0].stack);
  const calls: CallCounts = {};
  const clients: ReviewClients = {
    cloudWatch: countCalls(opened.client, 'cloudwatch', calls),
    logs: countCalls(io.clients.logs({ ...options, region: opened.region }), 'logs', calls),
    fis: countCalls(io.clients.fis({ ...options, region: opened.region }), 'fis', calls),
    region: opened.region,
    calls,
  };
  // The AWS SDK is loaded only when a command talks to AWS: report, diff and simulate stay fast.
  const { buildPeriodReport } = await import('../period-report/build');
  const report = await buildPeriodReport(clients, { sleep: (ms) => io.sleep(ms) }, {
    manifests, period, now, agnostic: opened.agnostic, experimentPlans: plans,
  });
  const written = emit(io, render(report).trimEnd(), args.string('out'));
  if (written !== undefined) {
    const services = report.services.length;
    println(io.stdout, `Wrote the review of ${services} service${services === 1 ? '' : 's'} over ${period.label} (${format}) to ${written}`);
    for (const line of report.summary) {
      println(io.stdout, `  ${line}`);
    }
  }
  return ExitCode.OK;
}

export const review: Command = {
  name: 'review',
  summary: 'Report what the period\'s live data says: attainment and budget, pages and who answered, experiments and game days',
  description: [
    'Reads the services of the cloud assembly\'s stacks from their reliability manifests, then what happened in the',
    'period (--since) in the region they are deployed in: per SLO the attainment over the period and over the SLO window',
    'ending at its end, the budget left, a daily burn-down and the worst days with what burned them (cloudwatch:',
    'GetMetricData, 1-hour sums, batched up to 500 queries a call; a time-slice SLO\'s condition metric at Period = slice,',
    'its slices counted over what CloudWatch keeps at that period: 1-minute data 15 days, 5-minute 63); the page and ticket alarms raised (alarm history, kept',
    '30 days); the escalation policy\'s incidents, when acknowledged and by whom, how far they escalated (Logs Insights on',
    'the policy\'s escalation log group, kept as long as its logRetention); the FIS experiments run, their game-day',
    'verdict and whether a stop condition fired. A source that cannot be read is marked unavailable with the reason,',
    'never reported as healthy. Starts with a plain-language summary. --format html writes one self-contained page with',
    'charts (no script, no external asset) to forward or archive.',
    '',
    'Exit codes: 0 the report was written, 1 error (AWS refused, credentials, wrong region, no manifest), 64 usage.',
  ],
  arguments: [{ name: 'assembly', description: 'cloud assembly directory, or a .reliability.json file', defaultText: DEFAULT_ASSEMBLY }],
  options: [
    { name: 'since', type: 'string', value: '<span|date>', description: 'the period: a span ending now (30d, 12h, 2w) or a UTC date (2026-11-01)', defaultText: DEFAULT_SINCE },
    { name: 'stack', type: 'string', value: '<name>', description: 'only this stack (name or construct path)', defaultText: 'every stack with a service' },
    { name: 'service', type: 'string', value: '<name>', description: 'only this service' },
    { name: 'format', type: 'string', value: `<${FORMATS.join('|')}>`, description: 'the output format', defaultText: FORMATS[0] },
    { name: 'out', type: 'string', value: '<file>', description: 'write the report to this file instead of stdout' },
    ...AWS_OPTIONS,
  ],
  examples: [
    'cdk-reliability review --since 30d',
    'cdk-reliability review cdk.out --stack Prod/Shop --since 2026-10-01 --out review.md',
    'cdk-reliability review --since 7d --service checkout --format json > review.json',
    'cdk-reliability review --since 90d --format html --out review.html',
  ],
  run: reviewRun,
};
