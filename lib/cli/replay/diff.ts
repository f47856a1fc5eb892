/**
 * `diff --replay 14d --stack S`: the SLOs of the stack present in both assemblies, replayed on the
 * same history (one read), for the diff to print beside its structural changes. Without --replay
 * nothing happens here and diff stays offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParsedArgs } from '../args';
import { describeStack } from '../assembly';
import { awsOptions } from '../aws';
import { AWS_OPTIONS, OptionSpec } from '../command';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { parseReplayDelay, parseReplayLength } from './flags';
import { compareSides, ReplayComparison } from './format';
import { loadReplayStack, sloKey, stackEntryOf } from './load';
import { ReplayRun, runReplay } from './session';

/** The flags `diff` takes for a replay. */
export const DIFF_REPLAY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'replay',
    type: 'string',
    value: '<duration>',
    description: 'also evaluate both policies\' alarms on the real metrics of this long back (14d, at most 63d): calls AWS',
  },
  { name: 'stack', type: 'string', value: '<name>', description: 'with --replay: the stack whose SLOs are replayed' },
  { name: 'delay', type: 'string', value: '<minutes>', description: 'with --replay: the ingestion delay the alarms met', defaultText: '2' },
  { name: 'allow-5-minute-data', type: 'boolean', description: 'with --replay: replay a range older than 15 days on 5-minute data' },
  ...AWS_OPTIONS,
];

/** Flags that only mean something with --replay. */
const REPLAY_ONLY = DIFF_REPLAY_OPTIONS.filter((o) => o.name !== 'replay');

/** What `diff --replay` adds. */
export interface DiffReplay {
  readonly run: ReplayRun;
  readonly comparisons: ReplayComparison[];
  /** Construct path of the stack replayed. */
  readonly stack: string;
  /** SLOs on one side only (not compared): `search/latency (after only)`. */
  readonly unpaired: string[];
}

/** Both policies' alarms on the same history, per SLO of the stack present in both; undefined without --replay. */
export async function replayForDiff(args: ParsedArgs, io: CliIo, sources: { before: string; after: string }):
Promise<DiffReplay | undefined> {
  const length = args.string('replay');
  if (length === undefined) {
    const stray = REPLAY_ONLY.filter((o) => (o.type === 'boolean' ? args.flag(o.name) : args.string(o.name) !== undefined)).map((o) => o.name);
    if (stray.length > 0) {
      throw new UsageError(`--${stray[0]} is only read with --replay <duration>: diff is offline without it`, 'diff');
    }
    return undefined;
  }
  const minutes = parseReplayLength('replay', length, 'diff');
  const delayMinutes = parseReplayDelay(args.string('delay'), 'diff');
  const stackName = args.string('stack');
  if (stackName === undefined) {
    throw new UsageError('--replay needs --stack <name>: the stack whose SLOs are replayed (its metrics are read in its account and region)', 'diff');
  }
  for (const side of [sources.before, sources.after]) {
    if (!fs.existsSync(path.join(side, 'manifest.json'))) {
      throw new UsageError(`--replay evaluates the alarms of the synthesized templates: ${side} is not a cloud assembly directory `
        + '(no manifest.json); give the two `cdk synth` output directories', 'diff');
    }
  }
  const before = loadReplayStack(sources.before, stackName);
  const after = loadReplayStack(sources.after, stackName);
  const keys = new Set(before.slos.map(sloKey));
  const common = after.slos.filter((s) => keys.has(sloKey(s)));
  const afterKeys = new Set(common.map(sloKey));
  const run = await runReplay(io, awsOptions(args), {
    stack: stackEntryOf(after.stack),
    sides: [before.slos.filter((s) => afterKeys.has(sloKey(s))), common],
    minutes,
    delayMinutes,
    allowFiveMinuteData: args.flag('allow-5-minute-data'),
    command: 'diff',
    flag: 'replay',
  });
  const unpaired = [
    ...before.slos.filter((s) => !afterKeys.has(sloKey(s))).map((s) => `${sloKey(s)} (before only)`),
    ...after.slos.filter((s) => !afterKeys.has(sloKey(s))).map((s) => `${sloKey(s)} (after only)`),
  ];
  return { run, comparisons: compareSides(run.sides[0], run.sides[1]), stack: describeStack(after.stack), unpaired };
}
