/**
 * A jest snapshot serializer that replaces asset hashes with a placeholder, so that snapshots of
 * stacks holding Lambda code or other assets stay stable when the code changes. Public through
 * `ReliabilitySnapshot.ASSET_HASH_SERIALIZER`.
 */

/** A 64-hex-digit SHA-256 asset hash, alone or inside a string (`<hash>.zip`, `asset.<hash>`). */
const ASSET_HASH = /[0-9a-f]{64}/g;

/** What replaces each hash. */
export const ASSET_HASH_PLACEHOLDER = '[ASSET HASH]';

/**
 * A snapshot serializer as jest's `expect.addSnapshotSerializer()` takes it: the subset of jest's
 * `SnapshotSerializer` (`test` + `serialize`) this library's serializer implements.
 */
export interface ISnapshotSerializer {
  /**
   * Whether this serializer prints `value`.
   * @param value any value of the snapshot
   */
  test(value: any): boolean;
  /**
   * `value` as it appears in the snapshot.
   * @param value a value for which `test` returned true
   */
  serialize(value: any): string;
}

/** Replaces asset hashes in every string of a snapshot (a plain object, as jest expects a plugin). */
export const assetHashSerializer: ISnapshotSerializer = {
  test: (value: unknown): boolean => typeof value === 'string' && new RegExp(ASSET_HASH.source).test(value),
  serialize: (value: unknown): string => JSON.stringify(String(value).replace(ASSET_HASH, ASSET_HASH_PLACEHOLDER)),
};
