/**
 * Writes each stack's manifest into the cloud assembly at synth, next to its template:
 * `<artifactId>.reliability.json`. One writer per stack that holds services, attached on the
 * first service; at synth (after validation, when every token can be resolved) it walks the
 * stack's construct tree for its services. No registry: the tree is the only record.
 */
import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { buildManifest } from './build';
import { MANIFEST_FILE_SUFFIX, ReliabilityManifest } from './schema';
import { ManifestService, manifestServicesOf, markManifestService } from './source';

/** The id of the writer construct under the stack. */
const WRITER_ID = 'ReliabilityManifest';

/**
 * Includes `service` in its stack's manifest: marks it for the synth-time walk and attaches the
 * stack's writer when the stack has none yet. The service is read at synth, when it is complete, so the
 * constructor may call it before its SLOs exist.
 */
export function includeInManifest(service: ManifestService): void {
  markManifestService(service);
  const stack = Stack.of(service);
  if (stack.node.tryFindChild(WRITER_ID) !== undefined) {
    return;
  }
  // Stacks synthesize through their synthesizer; custom synthesis runs on other constructs.
  const writer = new Construct(stack, WRITER_ID);
  attachCustomSynthesis(writer, {
    onSynthesize(session: ISynthesisSession) {
      const manifest = buildManifest(stack, manifestServicesOf(stack));
      fs.writeFileSync(path.join(session.outdir, manifestFileName(stack.artifactId)), manifestText(manifest));
    },
  });
}

/** `Shop.reliability.json`. */
export function manifestFileName(artifactId: string): string {
  return `${artifactId}${MANIFEST_FILE_SUFFIX}`;
}

/** The manifest file's text: two-space indented JSON and a final newline. */
export function manifestText(manifest: ReliabilityManifest): string {
  return `${JSON.stringify(manifest, undefined, 2)}\n`;
}
