/**
 * `cdk-reliability report [assembly]`: the reliability policy of every service in a synthesized
 * cloud assembly (or in manifest files) as Markdown, for pull requests and wikis. Offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderReport, selectService } from '../../review/report';
import type { ParsedArgs } from '../args';
import { suggestion } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, println } from '../io';
import { describeManifestSet, readManifests } from '../manifests';

/** The default cloud assembly directory, as `cdk synth` writes it. */
export const DEFAULT_ASSEMBLY = 'cdk.out';

/**
 * Writes `text` (a newline is added) to `--output <file>` when given, creating its directory,
 * else to stdout. Returns the file written, if any.
 */
export function emit(io: CliIo, text: string, outputFile: string | undefined): string | undefined {
  if (outputFile === undefined) {
    println(io.stdout, text);
    return undefined;
  }
  const file = path.resolve(outputFile);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${text}\n`);
  } catch (err) {
    throw new CliError(`cannot write ${outputFile}: ${(err as Error).message}`);
  }
  return outputFile;
}

async function reportRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const source = args.argument('assembly') ?? DEFAULT_ASSEMBLY;
  const set = readManifests(source);
  let manifests = set.manifests;
  const service = args.string('service');
  if (service !== undefined) {
    manifests = selectService(manifests, service);
    if (manifests.length === 0) {
      const names = [...new Set(set.manifests.flatMap((m) => m.services.map((s) => s.name)))];
      throw new CliError(`no service '${service}' in ${source}${suggestion(service, names)}; services there: ${names.join(', ') || 'none'}`);
    }
  }
  const lines = renderReport(manifests, { source });
  const written = emit(io, lines.join('\n'), args.string('output'));
  if (written !== undefined) {
    const services = manifests.reduce((sum, m) => sum + m.services.length, 0);
    println(io.stdout, `Wrote the reliability report of ${services} service${services === 1 ? '' : 's'} `
      + `(read ${describeManifestSet(set)} from ${source}) to ${written}`);
  }
  return ExitCode.OK;
}

export const report: Command = {
  name: 'report',
  summary: 'Write the reliability policy of every service as Markdown, for pull requests and wikis',
  description: [
    'Reads the reliability manifests `cdk synth` writes beside each stack\'s template (<artifactId>.reliability.json,',
    'nested stages included) and prints, per stack and service: owner, runbook, dashboard, escalation levels,',
    'monthly alarm cost; per SLO the objective, window, error budget (also as full outage over the window), SLI',
    'metrics and alert tiers (burn rate, error-ratio threshold, detection time, alarm names); per experiment the',
    'faults, targets, stop conditions and game day. Offline: no AWS call is made.',
    '',
    'Exit codes: 0 written, 1 nothing to read (no assembly, no manifest, unknown schema), 64 usage.',
  ],
  arguments: [{
    name: 'assembly',
    description: 'cloud assembly directory, a .reliability.json file, or a directory of them',
    defaultText: DEFAULT_ASSEMBLY,
  }],
  options: [
    { name: 'output', type: 'string', value: '<file>', description: 'write the Markdown to this file instead of stdout' },
    { name: 'service', type: 'string', value: '<name>', description: 'only this service (in every stack that has one)' },
  ],
  examples: [
    'cdk-reliability report',
    'cdk-reliability report cdk.out --service checkout',
    'cdk-reliability report cdk.out --output docs/reliability.md',
  ],
  run: reportRun,
};
