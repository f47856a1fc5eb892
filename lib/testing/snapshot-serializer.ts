/**
 * A jest snapshot serializer that replaces asset hashes with a placeholder, so that snapshots of
 * stacks holding Lambda code or other assets stay stable when the code changes.
 *
 * ```ts
 * import { assetHashSerializer } from 'cdk-reliability';
 * expect.addSnapshotSerializer(assetHashSerializer);
 * expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
 * ```
 */

/** A 64-hex-digit SHA-256 asset hash, alone or inside a string (`<hash>.zip`, `asset.<hash>`). */
const ASSET_HASH = /[0-9a-f]{64}/g;
/** What replaces each hash. */
export const ASSET_HASH_PLACEHOLDER = '[ASSET HASH]';

/** The subset of jest's `SnapshotSerializer` (`test` + `serialize`) this needs. */
export interface SnapshotSerializer {
  test(value: unknown): boolean;
  serialize(value: unknown): string;
}

/** Replaces asset hashes in every string of a snapshot. */
export const assetHashSerializer: SnapshotSerializer = {
  test: (value: unknown): boolean => typeof value === 'string' && new RegExp(ASSET_HASH.source).test(value),
  serialize: (value: unknown): string => JSON.stringify(String(value).replace(ASSET_HASH, ASSET_HASH_PLACEHOLDER)),
};
