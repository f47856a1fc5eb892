/**
 * ElastiCache faults. Action, target (with its `availabilityZoneIdentifier` target parameter) and
 * permissions: FIS actions reference, "Amazon ElastiCache actions"
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#elasticache-actions-reference);
 * the same action and role as AWS's ElastiCache AZ power interruption template
 * (https://github.com/aws-samples/fis-template-library, pull request 30).
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { FIS_ACTIONS } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { Targets } from '../targets';

/** Options of `Fault.elastiCacheAzPowerInterruption`. */
export interface ElastiCacheAzPowerInterruptionOptions {
  /**
   * The availability zone whose nodes lose power: its name (`eu-west-1a`) or its id (`euw1-az1`).
   * FIS terminates the groups' nodes there and blocks their replacement in that zone for the
   * duration; a primary there fails over to a replica elsewhere (Multi-AZ).
   */
  readonly availabilityZone: string;
  /**
   * How long the zone stays without power, 1 minute to 12 hours.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** `arn:…:elasticache:<region>:<account>:replicationgroup:<id>`. */
function replicationGroupArn(group: elasticache.CfnReplicationGroup): string {
  return Stack.of(group).formatArn({ service: 'elasticache', resource: 'replicationgroup', resourceName: group.ref, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** `aws:elasticache:replicationgroup-interrupt-az-power`. */
export function elastiCacheAzPowerInterruption(target: Targets, options: ElastiCacheAzPowerInterruptionOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<elasticache.CfnReplicationGroup>(reader, target, ['replicationGroups'],
    (x) => (x as elasticache.CfnReplicationGroup)?.cfnResourceType === elasticache.CfnReplicationGroup.CFN_RESOURCE_TYPE_NAME, 'an ElastiCache replication group (elasticache.CfnReplicationGroup)');
  const zone = reader.availabilityZone(options?.availabilityZone, 'availabilityZone', stack.region, 'FIS interrupts the zone in the experiment\'s region');
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved) ? byArns(reader, resolved, replicationGroupArn) : resolved;
  return reader.action(() => ({
    definition: FIS_ACTIONS.elastiCacheAzPowerInterruption,
    description: `Interrupts the power of the replication group(s)' nodes in ${zone}${forDuration(seconds)} (primaries there fail over; no replacement in that zone meanwhile)`,
    parameters: durationParameter(seconds),
    target: targets!._withParameters({ availabilityZoneIdentifier: zone }),
    durationSeconds: seconds,
  }));
}
