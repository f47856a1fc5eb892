/**
 * `cdk-reliability budget [assembly] --stack S`: the error-budget gate. Reads the SLOs of a stack
 * from the reliability manifest in the cloud assembly, reads their SLI metrics with CloudWatch
 * GetMetricData over each SLO window and alert window, prints per SLO the SLI, the error budget
 * left and the burn rate per alert window, and exits 2 when a budget is at or below
 * --min-remaining, so that a pipeline step can freeze feature deploys.
 */
import * as path from 'node:path';
import type { ParsedArgs } from '../args';
import { awsOptions } from '../aws';
import { budgetVerdict } from '../budget/compute';
import type { DeployedAlarms, FetchContext } from '../budget/fetch';
import { parseMinRemaining } from '../budget/flags';
import { budgetsJson, formatBudgets, verdictMessage } from '../budget/format';
import { openBudgetClient } from '../budget/region';
import { findStackManifest, resolveTargets, selectSlos, windowAlarmNames } from '../budget/targets';
import { AWS_OPTIONS, Command } from '../command';
import { CliIo, printLines, println } from '../io';
import { readManifests } from '../manifests';

/** The default cloud assembly directory, as `cdk synth` writes it. */
const DEFAULT_ASSEMBLY = 'cdk.out';

function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

async function budgetRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const minRemainingPercent = parseMinRemaining(args.string('min-remaining'));
  const failOnMissingData = args.flag('fail-on-missing-data');
  const allowUndeployed = args.flag('allow-undeployed');
  const source = args.argument('assembly') ?? DEFAULT_ASSEMBLY;
  const found = findStackManifest(readManifests(source), args.required('stack'));
  const selected = selectSlos(found, shownPath(found.file), args.string('service'), args.string('slo'));
  const stack = found.manifest.stack;
  const now = io.now();

  const aws = await openBudgetClient(io, awsOptions(args), stack);
  // The AWS SDK is loaded only when a command talks to AWS: report, diff and simulate stay fast.
  const { describeAlarms } = await import('../budget/fetch');
  const { readBudgets } = await import('../budget/read');
  const context: FetchContext = { client: aws.client, region: aws.region, sleep: (ms) => io.sleep(ms) };

  // the deployed window alarms: they hold the deploy-time dimension values, and say whether the
  // stack is deployed where we read at all
  const names = [...new Set(selected.flatMap((s) => windowAlarmNames(s.slo)))];
  const deployed: DeployedAlarms = names.length > 0 ? await describeAlarms(context, names) : { alarms: new Map() };
  const { targets, notes, notDeployed } = resolveTargets(selected, deployed, aws.region, aws.agnostic, allowUndeployed);
  const readout = await readBudgets(context, targets, now, minRemainingPercent);
  const budgets = readout.budgets.map((b, i) => (b.status === 'no-data' && targets[i].unreadable === undefined && notDeployed[i]
    ? { ...b, reason: `${b.reason}, and none of its alarms exist there: not deployed yet?` }
    : b));

  const verdict = budgetVerdict(budgets, failOnMissingData);
  const report = { stack, region: aws.region, now, minRemainingPercent, failOnMissingData, sloWindows: readout.sloWindows, notes,
    ...(readout.alertRange ? { alertRange: readout.alertRange } : {}) };
  if (args.flag('json')) {
    println(io.stdout, JSON.stringify(budgetsJson(budgets, verdict, report), null, 2));
  } else {
    printLines(io.stdout, formatBudgets(budgets, verdict, report));
  }
  return verdictMessage(verdict, budgets, report).exitCode;
}

export const budget: Command = {
  name: 'budget',
  summary: 'Read the error budget left and the burn rates of a stack\'s SLOs from CloudWatch; fail when a budget is spent',
  description: [
    'Reads the SLOs of the stack from its reliability manifest in the cloud assembly (nested stages included), then',
    'their SLI metrics with CloudWatch GetMetricData: over each SLO window (1-hour periods) and over every alert window of',
    'the tiers (the longest of them, in 5-minute periods for the Workbook\'s tiers). Prints per SLO the SLI, the error',
    'budget left (100% × (1 − error ratio / error budget); negative when overspent) and the burn rate per alert window,',
    'marking those above a tier\'s threshold. A window without events has no SLI and burns 0x; an SLO whose metrics',
    'have no datapoint at all is reported as "no data" and not gated unless --fail-on-missing-data.',
    'Metric dimensions known only once deployed (a generated function name) are read from the deployed alarms',
    '(cloudwatch:DescribeAlarms). A stack whose manifest records a region is only read in that region.',
    '',
    'Exit codes: 0 every budget is above --min-remaining, 2 a budget is at or below it (freeze feature deploys) or',
    'an SLO has no data with --fail-on-missing-data, 1 error (AWS refused, credentials, wrong region, no manifest),',
    '64 usage.',
  ],
  arguments: [{
    name: 'assembly',
    description: 'cloud assembly directory, or a .reliability.json file',
    defaultText: DEFAULT_ASSEMBLY,
  }],
  options: [
    { name: 'stack', type: 'string', value: '<name>', required: true, description: 'stack name or construct path (Prod-Shop or Prod/Shop)' },
    { name: 'service', type: 'string', value: '<name>', description: 'only this service' },
    { name: 'slo', type: 'string', value: '<name>', description: 'only the SLOs of this name' },
    {
      name: 'min-remaining',
      type: 'string',
      value: '<percent>',
      description: 'fail when an SLO has this much of its error budget left, or less',
      defaultText: '0%',
    },
    { name: 'fail-on-missing-data', type: 'boolean', description: 'also fail when an SLO has no data (not deployed, no traffic ever, wrong account)' },
    { name: 'allow-undeployed', type: 'boolean', description: 'pass when none of the SLOs\' alarms exist where it reads (a stage\'s first deployment); otherwise that is an error, as it also means the wrong account' },
    { name: 'json', type: 'boolean', description: 'print the results as JSON' },
    ...AWS_OPTIONS,
  ],
  examples: [
    'cdk-reliability budget --stack Shop',
    'cdk-reliability budget cdk.out --stack Prod/Shop --service checkout --min-remaining 25%',
    'cdk-reliability budget --stack Prod-Shop --json > budget.json',
  ],
  run: budgetRun,
};
