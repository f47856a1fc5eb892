/**
 * `cdk-reliability diff <before> <after>`: what a change does to the reliability policy — SLOs,
 * alert tiers, escalation and experiments added, removed or changed, each judged weakening,
 * strengthening or neutral — as Markdown for a pull-request comment, or JSON. With
 * `--fail-on-weaken` it exits 2 when anything weakens the policy, to gate a pipeline. Offline,
 * unless `--replay 14d --stack S`: then both policies' alarms are also evaluated on the same real
 * metrics of the last days (lib/cli/replay), "would have paged 2 times instead of 9".
 */
import { diffManifests, summarize } from '../../review/diff';
import { renderDiffJson, renderDiffMarkdown, summaryLine } from '../../review/diff-render';
import type { ParsedArgs } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import { CliIo, println } from '../io';
import { readManifests } from '../manifests';
import { DIFF_REPLAY_OPTIONS, replayDiffJson, replayDiffMarkdown, replayForDiff } from '../replay';
import { emit } from './report';

async function diffRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const sources = { before: args.argument('before')!, after: args.argument('after')! };
  const before = readManifests(sources.before);
  const after = readManifests(sources.after);
  const changes = diffManifests(before.manifests, after.manifests);
  const replayed = await replayForDiff(args, io, sources);
  let text: string;
  if (args.flag('json')) {
    text = renderDiffJson(changes, sources);
    if (replayed) {
      text = JSON.stringify({ ...JSON.parse(text), replay: replayDiffJson(replayed.comparisons, replayed.run, replayed.stack, replayed.unpaired) }, null, 2);
    }
  } else {
    const lines = renderDiffMarkdown(changes, sources);
    if (replayed) {
      lines.push(...replayDiffMarkdown(replayed.comparisons, replayed.run, replayed.stack, replayed.unpaired));
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
    ...DIFF_REPLAY_OPTIONS,
  ],
  examples: [
    'cdk-reliability diff main/cdk.out cdk.out',
    'cdk-reliability diff main/cdk.out cdk.out --fail-on-weaken --output reliability-diff.md',
    'cdk-reliability diff old/Shop.reliability.json cdk.out/Shop.reliability.json --json',
    'cdk-reliability diff main/cdk.out cdk.out --replay 14d --stack Prod/Shop',
  ],
  run: diffRun,
};
