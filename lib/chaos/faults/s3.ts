/**
 * S3 replication pause. Action, parameters and permissions: FIS actions reference, "Amazon S3
 * actions" (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#bucket-pause-replication),
 * and the policy of the "Cross-Region: Connectivity" scenario
 * (https://docs.aws.amazon.com/fis/latest/userguide/cross-region-scenario.html). FIS selects the
 * source buckets by tags only; existing objects may go on replicating for up to an hour.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS } from '../catalog';
import { durationParameter, FaultContext, forDuration, OptionReader, ResolvedFault } from '../fault-action';
import { Targets } from '../targets';

/** Options of `Fault.s3PauseReplication`. */
export interface S3PauseReplicationOptions {
  /** The region of the destination buckets whose replication is paused, e.g. `us-east-1` (FIS's `region`). */
  readonly destinationRegion: string;
  /**
   * Only the replication to these destination buckets, by name.
   * @default - every destination bucket in the region
   */
  readonly destinationBuckets?: string[];
  /**
   * Only the replication rules whose filter has one of these key prefixes.
   * @default - every rule
   */
  readonly prefixes?: string[];
  /**
   * How long replication is paused, 1 minute to 12 hours.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** An S3 bucket name (3-63 lower-case letters, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A list of names joined with commas, each matching `valid`, or a problem recorded. */
function commaList(reader: OptionReader, value: unknown, name: string, valid: (s: string) => boolean, what: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || (!Token.isUnresolved(v) && !valid(v)))) {
    reader.problem(name, `must be a non-empty list of ${what}, got ${describeValue(value)}`);
    return undefined;
  }
  return value.join(',');
}

/** `aws:s3:bucket-pause-replication`. */
export function s3PauseReplication(target: Targets, options: S3PauseReplicationOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  if (!Targets._isTargets(target) || target._resources !== undefined || target._spec.tags === undefined) {
    reader.problem('target', `must be Targets.tagged(tags, selection): FIS selects the source buckets of aws:s3:bucket-pause-replication by tags only, got ${Targets._isTargets(target) ? (target._spec.arns ? 'Targets.arns([...])' : 'typed resources') : describeValue(target)}`);
  } else {
    reader.target(target);
  }
  const region = reader.region(options?.destinationRegion, 'destinationRegion', 'the code of the destination buckets\' region');
  const buckets = commaList(reader, options?.destinationBuckets, 'destinationBuckets', (b) => BUCKET.test(b), 'bucket names (3-63 lower-case letters, digits, dots and hyphens)');
  const prefixes = commaList(reader, options?.prefixes, 'prefixes', (p) => p !== '' && !/[,\p{C}]/u.test(p), 'key prefixes without commas or control characters');
  const seconds = reader.duration(options?.duration, context);
  const everyBucket = stack.formatArn({ service: 's3', region: '', account: '', resource: '*' });
  return reader.action(() => ({
    definition: FIS_ACTIONS.s3PauseReplication,
    description: `Pauses replication of the tagged bucket(s) to ${region}${forDuration(seconds)}`,
    parameters: {
      ...durationParameter(seconds), region,
      ...(buckets === undefined ? {} : { destinationBuckets: buckets }),
      ...(prefixes === undefined ? {} : { prefixes }),
    },
    target,
    durationSeconds: seconds,
    ownsTargetPermissions: true,
    statements: [
      withWildcardReason(new iam.PolicyStatement({
        actions: ['s3:PauseReplication'],
        resources: [everyBucket],
        conditions: { StringEquals: { 's3:DestinationRegion': region } },
      }), `FIS selects the source buckets by tags when the experiment runs; the pause is allowed only towards ${region} (s3:DestinationRegion)`),
      withWildcardReason(new iam.PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:PutReplicationConfiguration'],
        resources: [everyBucket],
        // BoolIfExists, as AWS's own FIS policies write it: s3:GetReplicationConfiguration does not carry the
        // key (only PutReplicationConfiguration lists it in the S3 authorization reference), so Bool would deny the read
        // (https://docs.aws.amazon.com/fis/latest/userguide/security_iam_id-based-policy-examples.html)
        conditions: { BoolIfExists: { 's3:IsReplicationPauseRequest': 'true' } },
      }), 'FIS selects the source buckets by tags when the experiment runs; replication configurations may be read and written only by FIS\'s '
        + 'pause requests (s3:IsReplicationPauseRequest)'),
    ],
  }));
}
