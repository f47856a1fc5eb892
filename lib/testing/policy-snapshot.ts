/**
 * A compact snapshot of a stack's reliability policy for users' jest tests:
 *
 * ```ts
 * expect(reliabilityPolicy(stack)).toMatchSnapshot();
 * ```
 *
 * A change to an objective, a tier, the escalation chain or an experiment then shows up in review
 * as a few readable lines instead of a template diff.
 */
import { Stack } from 'aws-cdk-lib';
import { buildManifest } from '../manifest/build';
import { compactPolicy } from '../manifest/compact';
import { ReliabilityManifest } from '../manifest/schema';
import { manifestServicesOf } from '../manifest/source';

/** The policy of the stack's services as text, one line per fact. */
export function reliabilityPolicy(stack: Stack): string {
  return compactPolicy(reliabilityManifest(stack));
}

/** The stack's reliability manifest, as `cdk synth` writes it into the cloud assembly. */
export function reliabilityManifest(stack: Stack): ReliabilityManifest {
  if (!Stack.isStack(stack)) {
    throw new Error(`reliabilityPolicy() takes a Stack, got ${String(stack)}`);
  }
  return buildManifest(stack, manifestServicesOf(stack));
}
