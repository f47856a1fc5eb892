/**
 * `cdk-reliability replay [assembly] --stack S [--service X] [--slo Y] --since 14d`: the SLOs'
 * synthesized alarms evaluated by the faithful evaluator on the real metrics of the last days,
 * read with GetMetricData: every page and ticket they would have raised, when it fired and
 * cleared, and which tier.
 */
import type { ParsedArgs } from '../args';
import { awsOptions } from '../aws';
import { AWS_OPTIONS, Command } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, printLines, println } from '../io';
import { formatReplay, loadReplayStack, parseReplayDelay, parseReplayLength, replayJson, runReplay, stackEntryOf } from '../replay';
import { describeStack } from '../assembly';

const DEFAULT_ASSEMBLY = 'cdk.out';
const DEFAULT_SINCE = '14d';
const NAME = 'replay';

async function replayRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const minutes = parseReplayLength('since', args.string('since') ?? DEFAULT_SINCE, NAME);
  const delayMinutes = parseReplayDelay(args.string('delay'), NAME);
  const assembly = args.argument('assembly') ?? DEFAULT_ASSEMBLY;
  const loaded = loadReplayStack(assembly, args.required('stack'), { service: args.string('service'), slo: args.string('slo') });

  const run = await runReplay(io, awsOptions(args), {
    stack: stackEntryOf(loaded.stack),
    sides: [loaded.slos],
    minutes,
    delayMinutes,
    allowFiveMinuteData: args.flag('allow-5-minute-data'),
    command: NAME,
    flag: 'since',
  });
  const slos = run.sides[0];
  const stack = describeStack(loaded.stack);
  if (args.flag('json')) {
    println(io.stdout, replayJson(run, stack, slos));
  } else {
    printLines(io.stdout, formatReplay(run, stack, slos));
  }
  if (slos.every((s) => !s.replayed)) {
    throw new CliError(`none of the selected SLOs could be replayed: ${slos.map((s) => `${s.service}/${s.slo}: ${s.reason}`).join('; ')}`);
  }
  return ExitCode.OK;
}

export const replay: Command = {
  name: NAME,
  summary: 'Replay the synthesized alarms on the real metrics of the last days: every page and ticket they would have raised',
  description: [
    'Reads the SLOs\' alarms from the synthesized template (as `simulate` does), fills in the values known only once',
    'deployed (a generated function name) from the deployed alarms (cloudwatch:DescribeAlarms), reads the metrics the',
    'alarms read over the range and the longest window before it (cloudwatch:GetMetricData: up to 500 metrics a request,',
    'every page, throttling retried), and evaluates every minute as CloudWatch does: windows, the evaluation range,',
    'TreatMissingData, FILL, the ingestion delay (--delay), the composites and the ticket\'s actions suppressor. Minutes',
    'without a datapoint stay missing, never 0. Prints per SLO each page and ticket: when it fired and cleared, how long,',
    'which tiers had both windows in ALARM, and when the notification went out.',
    'CloudWatch keeps 1-minute data for 15 days and 5-minute data for 63: a range older than 15 days is refused unless',
    '--allow-5-minute-data, which replays that part on 5-minute data (time-slice SLOs are not replayed there).',
    '',
    'Exit codes: 0 replayed, 1 error (AWS refused, credentials, wrong region, not found, no SLO could be replayed), 64 usage.',
  ],
  arguments: [{ name: 'assembly', description: 'cloud assembly directory written by `cdk synth`', defaultText: DEFAULT_ASSEMBLY }],
  options: [
    { name: 'stack', type: 'string', value: '<name>', required: true, description: 'stack name or construct path (Prod-Shop or Prod/Shop)' },
    { name: 'service', type: 'string', value: '<name>', description: 'only this service' },
    { name: 'slo', type: 'string', value: '<name>', description: 'only the SLOs of this name' },
    { name: 'since', type: 'string', value: '<duration>', description: 'how far back: 14d, 36h, 1d12h (at most 63d)', defaultText: DEFAULT_SINCE },
    {
      name: 'delay',
      type: 'string',
      value: '<minutes>',
      description: 'ingestion delay the live alarms met: minutes from the end of a minute until its metrics reach them',
      defaultText: '2',
    },
    {
      name: 'allow-5-minute-data',
      type: 'boolean',
      description: 'replay a range older than 15 days on the 5-minute data CloudWatch keeps there (not faithful to the minute)',
    },
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
    ...AWS_OPTIONS,
  ],
  examples: [
    'cdk-reliability replay --stack Shop',
    'cdk-reliability replay cdk.out --stack Prod/Shop --service checkout --slo availability --since 7d',
    'cdk-reliability replay --stack Prod-Shop --since 30d --allow-5-minute-data --json',
  ],
  run: replayRun,
};
