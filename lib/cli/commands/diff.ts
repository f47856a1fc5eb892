/**
 * `cdk-reliability diff <before> <after>`: what a change does to the reliability policy — SLOs,
 * alert tiers, escalation and experiments added, removed or changed, each judged weakening,
 * strengthening or neutral — as Markdown for a pull-request comment, or JSON. With
 * `--fail-on-weaken` it exits 2 when anything weakens the policy, to gate a pipeline. Offline,
 * unless `--replay 14d --stack S`: then both policies' alarms are also evaluated on the same real
 * metrics of the last days (lib/cli/replay), "would have paged 2 times instead of 9".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffManifests, summarize } from '../../review/diff';
import { renderDiffJson, renderDiffMarkdown, summaryLine } from '../../review/diff-render';
import type { ParsedArgs } from '../args';
import { describeStack } from '../assembly';
import { awsOptions } from '../aws';
import { AWS_OPTIONS, Command } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, println } from '../io';
import { readManifests } from '../manifests';
import {
  compareSides, loadReplayStack, parseReplayDelay, parseReplayLength, ReplayComparison, replayDiffJson, replayDiffMarkdown, ReplayRun,
  runReplay, sloKey, stackEntryOf,
} from '../replay';
import { emit } from './report';

/** Flags that only mean something with --replay. */
const REPLAY_ONLY = ['stack', 'delay', 'allow-5-minute-data', 'region', 'profile'];

/** Both policies' alarms on the same history, per SLO present in both; undefined without --replay. */
async function replayBoth(args: ParsedArgs, io: CliIo, sources: { before: string; after: string }):
Promise<{ run: ReplayRun; comparisons: ReplayComparison[]; stack: string } | undefined> {
  const length = args.string('replay');
  if (length === undefined) {
    const stray = REPLAY_ONLY.filter((f) => (f === 'allow-5-minute-data' ? args.flag(f) : args.string(f) !== undefined));
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
  return { run, comparisons: compareSides(run.sides[0], run.sides[1]), stack: describeStack(after.stack) };
}

async function diffRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const sources = { before: args.argument('before')!, after: args.argument('after')! };
  const before = readManifests(sources.before);
  const after = readManifests(sources.after);
  const changes = diffManifests(before.manifests, after.manifests);
  const replayed = await replayBoth(args, io, sources);
  let text: string;
  if (args.flag('json')) {
    text = renderDiffJson(changes, sources);
    if (replayed) {
      text = JSON.stringify({ ...JSON.parse(text), replay: replayDiffJson(replayed.comparisons, replayed.run, replayed.stack) }, null, 2);
    }
  } else {
    const lines = renderDiffMarkdown(changes, sources);
    if (replayed) {
      lines.push(...replayDiffMarkdown(replayed.comparisons, replayed.run, replayed.stack));
    }
    text = lines.join('\n');
  }
  const written = emit(io, text, args.string('output'));
  const summary = summarize(changes);
  if (written !== undefined) {
    println(io.stdout, `${summaryLine(summary)}; written to ${written}`);
  }
  if (args.flag('fail-on-weaken') && summary.weakening > 0) {
    println(io.stderr, `the reliability policy is weakened: ${summary.weakening} of ${summary.total} changes weaken it (--fail-on-weaken)`);
    return ExitCode.FINDING;
  }
  return ExitCode.OK;
}

export const diff: Command = {
  name: 'diff',
  summary: 'Compare two reliability policies and judge each change: weakening, strengthening or neutral',
  description: [
    'Compares the reliability manifests of two syntheses (e.g. the main branch\'s cdk.out and a pull request\'s)',
    'per stack, service, SLO, alert tier, escalation level and experiment, and says for each change whether it',
    'weakens the policy (customers can be hurt longer or more before someone is told: a lower objective, a removed',
    'page tier, a longer escalation delay, a removed stop condition, ...), strengthens it, or is neutral, with the',
    'numbers. Prints Markdown for a pull-request comment (weakening changes first), or JSON with --json. Each side',
    'is a cloud assembly directory, a .reliability.json file, or a directory of them. Offline.',
    '',
    'With --replay 14d --stack S (both sides cloud assemblies), both policies\' alarms of the stack are also evaluated',
    'minute by minute on the same real metrics of the last 14 days (read once with GetMetricData, as `replay` does),',
    'and each SLO on both sides says "this change would have paged 2 times instead of 9 (tickets 5 → 3)", with the times.',
    'It calls AWS (cloudwatch:DescribeAlarms and cloudwatch:GetMetricData) and does not change the exit code.',
    '',
    'Exit codes: 0 compared (also when the policy is weakened, unless --fail-on-weaken), 2 with --fail-on-weaken:',
    'at least one change weakens the policy, 1 nothing to read (no assembly, no manifest, unknown schema; with --replay:',
    'AWS refused, wrong region, the stack not in both assemblies), 64 usage.',
  ],
  arguments: [
    { name: 'before', required: true, description: 'the policy before: cloud assembly directory, .reliability.json file, or a directory of them' },
    { name: 'after', required: true, description: 'the policy after, likewise' },
  ],
  options: [
    { name: 'fail-on-weaken', type: 'boolean', description: 'exit 2 when any change weakens the policy' },
    { name: 'output', type: 'string', value: '<file>', description: 'write the diff to this file instead of stdout' },
    { name: 'json', type: 'boolean', description: 'print JSON (summary and changes) instead of Markdown' },
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
  ],
  examples: [
    'cdk-reliability diff main/cdk.out cdk.out',
    'cdk-reliability diff main/cdk.out cdk.out --fail-on-weaken --output reliability-diff.md',
    'cdk-reliability diff old/Shop.reliability.json cdk.out/Shop.reliability.json --json',
    'cdk-reliability diff main/cdk.out cdk.out --replay 14d --stack Prod/Shop',
  ],
  run: diffRun,
};
