/** Database faults: RDS cluster failover and instance reboot, DynamoDB global table replication pause. */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as rds from 'aws-cdk-lib/aws-rds';
import { FIS_ACTIONS } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { Targets } from '../targets';

/** Options of `Fault.rdsRebootInstances`. */
export interface RdsRebootOptions {
  /**
   * Reboot with a failover to the Multi-AZ standby.
   * @default false
   */
  readonly forceFailover?: boolean;
}

/** Options of `Fault.dynamoDbPauseReplication`. */
export interface DynamoDbPauseReplicationOptions {
  /**
   * How long replication to and from the table's replica in this region is paused.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

function has(property: string) {
  return (x: unknown) => typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)[property] === 'string';
}

function clusterArn(cluster: rds.IDatabaseCluster): string {
  return (cluster as { clusterArn?: string }).clusterArn
    ?? Stack.of(cluster).formatArn({ service: 'rds', resource: 'cluster', resourceName: cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** `aws:rds:failover-db-cluster`. */
export function rdsFailoverCluster(target: Targets, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const resolved = resourcesOf<rds.IDatabaseCluster>(reader, target, ['dbClusters'], has('clusterIdentifier'), 'an RDS/Aurora database cluster');
  const targets = isTyped(resolved) ? byArns(reader, resolved, clusterArn) : resolved;
  return reader.action(() => ({
    definition: FIS_ACTIONS.rdsFailover,
    description: 'Fails the DB cluster over to a reader (the writer changes)',
    parameters: {},
    target: targets,
  }));
}

/** `aws:rds:reboot-db-instances`. */
export function rdsRebootInstances(target: Targets, options: RdsRebootOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const resolved = resourcesOf<rds.IDatabaseInstance>(reader, target, ['dbInstances'], has('instanceIdentifier'), 'an RDS database instance');
  const force = reader.boolean(options?.forceFailover, 'forceFailover', false);
  const targets = isTyped(resolved) ? byArns(reader, resolved, (i) => i.instanceArn) : resolved;
  return reader.action(() => ({
    definition: FIS_ACTIONS.rdsReboot,
    description: `Reboots the DB instance(s)${force ? ' with a failover to the standby' : ''}`,
    parameters: { forceFailover: String(force) },
    target: targets,
  }));
}

/** `aws:dynamodb:global-table-pause-replication`. */
export function dynamoDbPauseReplication(target: Targets, options: DynamoDbPauseReplicationOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const resolved = resourcesOf<dynamodb.ITable>(reader, target, ['tables'], has('tableArn'), 'a DynamoDB global table (a table with replicas)');
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved) ? byArns(reader, resolved, (t) => t.tableArn) : resolved;
  return reader.action(() => ({
    definition: FIS_ACTIONS.dynamoDbPauseReplication,
    description: `Pauses the global table's replication in this region${forDuration(seconds)} (it may go on for up to 5 minutes after the start)`,
    parameters: durationParameter(seconds),
    target: targets,
    durationSeconds: seconds,
  }));
}
