/**
 * Writes each stack's manifest into the cloud assembly at synth, next to its template:
 * `<artifactId>.reliability.json`. One writer per stack that holds services, attached on the
 * first service; the file is written after validation, when every token can be resolved.
 */
import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ReliableService } from '../service/reliable-service';
import { buildManifest } from './build';
import { MANIFEST_FILE_SUFFIX } from './schema';

const SERVICES = new WeakMap<Stack, ReliableService[]>();

/** Records `service` in its stack's manifest (attaching the writer on the stack's first service). */
export function registerForManifest(service: ReliableService): void {
  const stack = Stack.of(service);
  let services = SERVICES.get(stack);
  if (!services) {
    services = [];
    SERVICES.set(stack, services);
    const list = services;
    // Stacks synthesize through their synthesizer; custom synthesis runs on other constructs.
    const writer = new Construct(stack, 'ReliabilityManifest');
    attachCustomSynthesis(writer, {
      onSynthesize(session: ISynthesisSession) {
        const manifest = buildManifest(stack, list);
        fs.writeFileSync(path.join(session.outdir, manifestFileName(stack.artifactId)), `${JSON.stringify(manifest, undefined, 2)}\n`);
      },
    });
  }
  services.push(service);
}

/** The services of a stack, in declaration order. */
export function servicesOf(stack: Stack): readonly ReliableService[] {
  return SERVICES.get(stack) ?? [];
}

/** `Shop.reliability.json`. */
export function manifestFileName(artifactId: string): string {
  return `${artifactId}${MANIFEST_FILE_SUFFIX}`;
}
