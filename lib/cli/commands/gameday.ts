/**
 * `cdk-reliability gameday`: find a service's FIS experiment by its tags, print the plan, and
 * (unless --dry-run) run it while watching its stop conditions, then say whether the steady state
 * held. `--dry-run --assembly cdk.out` reads the plan from the synthesized templates, offline.
 */
import * as path from 'node:path';
import type { ParsedArgs } from '../args';
import { awsOptions, openAws } from '../aws';
import { AWS_OPTIONS, Command } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, printLines, println } from '../io';
import { formatPlan } from '../experiments/format';
import type { ExperimentQuery } from '../experiments/locate';

const DEFAULT_POLL_SECONDS = 10;

/** `--poll`: whole seconds, at least 1. */
export function parsePollSeconds(value: string | undefined): number {
  if (value === undefined) {
    return DEFAULT_POLL_SECONDS;
  }
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw new UsageError(`--poll must be a whole number of seconds, at least 1; got '${value}'`, 'gameday');
  }
  return seconds;
}

async function gamedayRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const query: ExperimentQuery = {
    stack: args.required('stack'),
    service: args.required('service'),
    experiment: args.required('experiment'),
  };
  const pollSeconds = parsePollSeconds(args.string('poll'));
  const dryRun = args.flag('dry-run');
  const assembly = args.string('assembly');

  if (assembly !== undefined) {
    if (!dryRun) {
      throw new UsageError('--assembly reads the plan from the synthesized templates and only works with --dry-run; '
        + 'to run the experiment, drop --assembly (the deployed template is read from FIS)', 'gameday');
    }
    const { findExperimentInAssembly } = await import('../experiments/locate');
    const found = findExperimentInAssembly(assembly, query);
    const relative = path.relative(process.cwd(), found.stack.templateFile);
    const file = relative.startsWith('..') || path.isAbsolute(relative) ? found.stack.templateFile : relative;
    printLines(io.stdout, formatPlan(found.plan, { where: `${file}, synthesized` }));
    println(io.stdout);
    println(io.stdout, 'Dry run: read offline from the cloud assembly; nothing was started and no AWS call was made.');
    return ExitCode.OK;
  }

  const aws = await openAws(io, awsOptions(args));
  // The AWS SDK is loaded only when a command talks to AWS: report, diff and simulate stay fast.
  const { findDeployedExperiment } = await import('../experiments/locate');
  const { runExperiment } = await import('../experiments/runner');
  const plan = await findDeployedExperiment(aws.fis, query, aws.region);
  printLines(io.stdout, formatPlan(plan, { where: `FIS template in ${aws.region}` }));
  if (dryRun) {
    println(io.stdout);
    println(io.stdout, 'Dry run: nothing was started. Run the same command without --dry-run to start the experiment.');
    return ExitCode.OK;
  }
  return runExperiment(io, aws, plan, { pollSeconds, force: args.flag('force') });
}

export const gameday: Command = {
  name: 'gameday',
  summary: 'Run a service\'s FIS experiment, watch its stop conditions and judge the outcome',
  description: [
    'Finds the experiment template tagged with the stack, service and experiment, prints its plan (actions in',
    'execution order, targets, stop conditions, expected duration) and starts it, unless another experiment of',
    'the template is under way, a stop-condition alarm is in ALARM, or an alarm of the steady-state check is not',
    'in the state it requires. Prints a line whenever the experiment, an action or an alarm changes state.',
    'Ctrl-C (or SIGTERM, SIGHUP) stops the experiment (FIS ends the faults) and waits for it to stop; a second',
    'one quits without waiting, after sending StopExperiment.',
    '',
    'Exit codes: 0 passed (the steady state held), 2 finding (a stop condition fired, or the service did not',
    'recover), 1 the experiment failed or an error, 3 not started (an alarm is not in its steady state, or',
    'another experiment of the template is under way), 64 usage, 130 stopped by you.',
  ],
  options: [
    { name: 'stack', type: 'string', value: '<name>', required: true, description: 'stack name (or construct path with --assembly)' },
    { name: 'service', type: 'string', value: '<name>', required: true, description: 'service name, as given to ReliableService' },
    { name: 'experiment', type: 'string', value: '<name>', required: true, description: 'experiment name' },
    { name: 'dry-run', type: 'boolean', description: 'print the plan and exit without starting anything' },
    {
      name: 'assembly',
      type: 'string',
      value: '<dir>',
      description: 'with --dry-run: read the plan from this cloud assembly (e.g. cdk.out), offline',
    },
    {
      name: 'poll',
      type: 'string',
      value: '<seconds>',
      description: 'seconds between two status checks, at least 1',
      defaultText: String(DEFAULT_POLL_SECONDS),
    },
    { name: 'force', type: 'boolean', description: 'start even if an alarm is not in its steady state or another experiment of the template is under way' },
    ...AWS_OPTIONS,
  ],
  examples: [
    'cdk-reliability gameday --stack Shop --service checkout --experiment slow-handler --dry-run --assembly cdk.out',
    'cdk-reliability gameday --stack Shop --service checkout --experiment slow-handler --region eu-west-1',
  ],
  run: gamedayRun,
};
