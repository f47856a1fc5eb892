/**
 * Helpers for users' snapshot tests:
 *
 * ```ts
 * expect(ReliabilitySnapshot.policy(stack)).toMatchSnapshot();
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
import { manifestText } from '../manifest/writer';
import { ASSET_HASH_PLACEHOLDER, assetHashSerializer, ISnapshotSerializer } from './snapshot-serializer';

/**
 * A stack's reliability policy and manifest for snapshot tests, and a jest serializer that keeps
 * template snapshots stable when asset hashes change.
 */
export class ReliabilitySnapshot {
  /**
   * A jest snapshot serializer that replaces asset hashes (64 hex digits, alone or inside a
   * string) with `ASSET_HASH_PLACEHOLDER`:
   * `expect.addSnapshotSerializer(ReliabilitySnapshot.ASSET_HASH_SERIALIZER)`.
   */
  public static readonly ASSET_HASH_SERIALIZER: ISnapshotSerializer = assetHashSerializer;

  /** What `ASSET_HASH_SERIALIZER` writes in place of each asset hash: `[ASSET HASH]`. */
  public static readonly ASSET_HASH_PLACEHOLDER: string = ASSET_HASH_PLACEHOLDER;

  /**
   * The policy of the stack's services as text, one line per fact: objectives, windows, tiers
   * (burn rate, error ratio, budget, guard), blind alerts, the escalation chain, experiments.
   * @param stack a stack holding `ReliableService`s
   */
  public static policy(stack: Stack): string {
    return compactPolicy(manifestOf(stack, 'policy'));
  }

  /**
   * The stack's reliability manifest as JSON text, byte for byte what `cdk synth` writes into the
   * cloud assembly (`<artifactId>.reliability.json`) and the `cdk-reliability` command reads.
   * Parse it to assert on fields: `JSON.parse(ReliabilitySnapshot.manifest(stack)).services`.
   * @param stack a stack holding `ReliableService`s
   */
  public static manifest(stack: Stack): string {
    return manifestText(manifestOf(stack, 'manifest'));
  }

  private constructor() {}
}

function manifestOf(stack: Stack, method: string): ReliabilityManifest {
  if (!Stack.isStack(stack)) {
    throw new Error(`ReliabilitySnapshot.${method}() takes a Stack, got ${String(stack)}`);
  }
  return buildManifest(stack, manifestServicesOf(stack));
}
