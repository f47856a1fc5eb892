/**
 * The fault catalog: one typed factory per FIS action, and `sequence` / `parallel` to run
 * several in one experiment. A fault is a description; it is validated and turned into template
 * actions when an experiment binds it, so errors name the experiment's construct path.
 *
 * Every fault takes its target as `Targets` (`Targets.functions([handler])`, `Targets.tagged(...)`, ...):
 *
 * ```ts
 * Fault.sequence(
 *   Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800), invocationPercentage: 25 }),
 *   Fault.lambdaInvocationError(Targets.functions([handler]), { invocationPercentage: 5 }),
 * )
 * ```
 */
import { Duration } from 'aws-cdk-lib';
import { describeValue, unreadable } from '../private/describe';
import { FIS_ACTIONS } from './catalog';
import { FaultContext, FaultNode, ResolvedFault } from './fault-action';
import { FIS_MAX_DURATION, fisDurationProblem, isoDuration } from './fis-duration';
import { dynamoDbPauseReplication, DynamoDbPauseReplicationOptions, rdsFailoverCluster, rdsRebootInstances, RdsRebootOptions } from './faults/data';
import { arcStartZonalAutoshift, ArcStartZonalAutoshiftOptions } from './faults/arc';
import {
  CrossRegionConnectivityOptions, disruptVpcEndpoint, DisruptVpcEndpointOptions, routeTableDisruptCrossRegion, transitGatewayDisruptCrossRegion,
} from './faults/connectivity';
import { ebsPauseVolumeIo, EbsPauseVolumeIoOptions, ebsVolumeIoLatency, EbsVolumeIoLatencyOptions } from './faults/ebs';
import {
  ec2ApiInsufficientCapacityError, ec2AsgInsufficientCapacityError, Ec2InsufficientCapacityOptions, ec2RebootInstances, ec2SpotInterruption,
  Ec2SpotInterruptionOptions, ec2StopInstances, Ec2StopInstancesOptions, ec2TerminateInstances,
} from './faults/ec2';
import {
  ecsCpuStress, EcsCpuStressOptions, ecsDrainContainerInstances, EcsDrainContainerInstancesOptions, ecsIoStress, EcsIoStressOptions, ecsKillProcess,
  EcsKillProcessOptions, ecsNetworkBlackholePort, EcsNetworkBlackholePortOptions, ecsNetworkLatency, EcsNetworkLatencyOptions, ecsNetworkPacketLoss,
  EcsNetworkPacketLossOptions, ecsStopTask,
} from './faults/ecs';
import {
  eksPodCpuStress, eksPodDelete, EksPodDeleteOptions, eksPodIoStress, eksPodMemoryStress, eksPodNetworkBlackholePort, EksPodNetworkBlackholePortOptions,
  eksPodNetworkLatency, EksPodNetworkLatencyOptions, eksPodNetworkPacketLoss, EksPodNetworkPacketLossOptions, EksPodStressOptions,
  eksTerminateNodegroupInstances, EksTerminateNodegroupInstancesOptions,
} from './faults/eks';
import { elastiCacheAzPowerInterruption, ElastiCacheAzPowerInterruptionOptions } from './faults/elasticache';
import {
  lambdaHttpResponse, LambdaHttpResponseOptions, lambdaInvocationDelay, LambdaInvocationDelayOptions, lambdaInvocationError,
  LambdaInvocationErrorOptions,
} from './faults/lambda';
import {
  apiInternalError, ApiErrorOptions, apiThrottleError, apiUnavailableError, disruptConnectivity, DisruptConnectivityOptions,
} from './faults/network';
import { s3PauseReplication, S3PauseReplicationOptions } from './faults/s3';
import { ssmSendCommand, SsmSendCommandOptions, ssmStartAutomation, SsmStartAutomationOptions } from './faults/ssm';
import { Targets } from './targets';
import { Problem } from '../private/problems';
import { formatDuration } from '../private/format';

/** Shortest explicit wait. */
const MIN_WAIT = Duration.seconds(1);

/** Something an experiment does: one FIS action, or several in sequence or in parallel. */
export abstract class Fault {
  // ---- Lambda (through the FIS Lambda extension, wired for typed functions) ----

  /** Delays invocations before the function's code runs (`aws:lambda:invocation-add-delay`). */
  public static lambdaInvocationDelay(target: Targets, options: LambdaInvocationDelayOptions): Fault {
    return leaf('lambdaInvocationDelay', (c) => lambdaInvocationDelay(target, options, c));
  }

  /** Fails invocations (`aws:lambda:invocation-error`). */
  public static lambdaInvocationError(target: Targets, options?: LambdaInvocationErrorOptions): Fault {
    return leaf('lambdaInvocationError', (c) => lambdaInvocationError(target, options, c));
  }

  /** Answers invocations from API Gateway / ALB with an HTTP status (`aws:lambda:invocation-http-integration-response`). */
  public static lambdaHttpResponse(target: Targets, options: LambdaHttpResponseOptions): Fault {
    return leaf('lambdaHttpResponse', (c) => lambdaHttpResponse(target, options, c));
  }

  // ---- ECS ----

  /** Stops running tasks of a service (`aws:ecs:stop-task`); ECS starts replacements. */
  public static ecsStopTasks(target: Targets): Fault {
    return leaf('ecsStopTasks', (c) => ecsStopTask(target, c));
  }

  /** Loads the CPU of running tasks (`aws:ecs:task-cpu-stress`; needs the SSM agent sidecar). */
  public static ecsCpuStress(target: Targets, options?: EcsCpuStressOptions): Fault {
    return leaf('ecsCpuStress', (c) => ecsCpuStress(target, options, c));
  }

  /** Adds network latency to running tasks (`aws:ecs:task-network-latency`; pidMode task), 200 ms unless `delay` says otherwise. */
  public static ecsNetworkLatency(target: Targets, options?: EcsNetworkLatencyOptions): Fault {
    return leaf('ecsNetworkLatency', (c) => ecsNetworkLatency(target, options, c));
  }

  /** Writes to the tasks' file system (`aws:ecs:task-io-stress`; needs the SSM agent sidecar). */
  public static ecsIoStress(target: Targets, options?: EcsIoStressOptions): Fault {
    return leaf('ecsIoStress', (c) => ecsIoStress(target, options, c));
  }

  /** Kills a process in running tasks (`aws:ecs:task-kill-process`; SSM agent sidecar, pidMode task). */
  public static ecsKillProcess(target: Targets, options: EcsKillProcessOptions): Fault {
    return leaf('ecsKillProcess', (c) => ecsKillProcess(target, options, c));
  }

  /** Drops a share of the tasks' outgoing packets (`aws:ecs:task-network-packet-loss`; pidMode task). */
  public static ecsNetworkPacketLoss(target: Targets, options?: EcsNetworkPacketLossOptions): Fault {
    return leaf('ecsNetworkPacketLoss', (c) => ecsNetworkPacketLoss(target, options, c));
  }

  /** Drops the tasks' inbound or outbound traffic on a port (`aws:ecs:task-network-blackhole-port`; pidMode task). */
  public static ecsNetworkBlackholePort(target: Targets, options: EcsNetworkBlackholePortOptions): Fault {
    return leaf('ecsNetworkBlackholePort', (c) => ecsNetworkBlackholePort(target, options, c));
  }

  /** Sets a share of a cluster's EC2 container instances to DRAINING (`aws:ecs:drain-container-instances`). */
  public static ecsDrainContainerInstances(target: Targets, options: EcsDrainContainerInstancesOptions): Fault {
    return leaf('ecsDrainContainerInstances', (c) => ecsDrainContainerInstances(target, options, c));
  }

  // ---- EKS (pods need the FIS service account and RBAC in the cluster) ----

  /** Loads the CPU of pods (`aws:eks:pod-cpu-stress`). */
  public static eksPodCpuStress(target: Targets, options: EksPodStressOptions): Fault {
    return leaf('eksPodCpuStress', (c) => eksPodCpuStress(target, options, c));
  }

  /** Uses the memory of pods (`aws:eks:pod-memory-stress`). */
  public static eksPodMemoryStress(target: Targets, options: EksPodStressOptions): Fault {
    return leaf('eksPodMemoryStress', (c) => eksPodMemoryStress(target, options, c));
  }

  /** Writes to the file system of pods (`aws:eks:pod-io-stress`). */
  public static eksPodIoStress(target: Targets, options: EksPodStressOptions): Fault {
    return leaf('eksPodIoStress', (c) => eksPodIoStress(target, options, c));
  }

  /** Deletes pods (`aws:eks:pod-delete`); their controllers start replacements. */
  public static eksPodDelete(target: Targets, options: EksPodDeleteOptions): Fault {
    return leaf('eksPodDelete', (c) => eksPodDelete(target, options, c));
  }

  /** Adds network latency to pods (`aws:eks:pod-network-latency`; not on Fargate). */
  public static eksPodNetworkLatency(target: Targets, options: EksPodNetworkLatencyOptions): Fault {
    return leaf('eksPodNetworkLatency', (c) => eksPodNetworkLatency(target, options, c));
  }

  /** Drops a share of pods' packets (`aws:eks:pod-network-packet-loss`; not on Fargate). */
  public static eksPodNetworkPacketLoss(target: Targets, options: EksPodNetworkPacketLossOptions): Fault {
    return leaf('eksPodNetworkPacketLoss', (c) => eksPodNetworkPacketLoss(target, options, c));
  }

  /** Drops pods' inbound or outbound traffic on a port (`aws:eks:pod-network-blackhole-port`; not on Fargate). */
  public static eksPodNetworkBlackholePort(target: Targets, options: EksPodNetworkBlackholePortOptions): Fault {
    return leaf('eksPodNetworkBlackholePort', (c) => eksPodNetworkBlackholePort(target, options, c));
  }

  /** Terminates a share of a managed node group's instances (`aws:eks:terminate-nodegroup-instances`). */
  public static eksTerminateNodegroupInstances(target: Targets, options: EksTerminateNodegroupInstancesOptions): Fault {
    return leaf('eksTerminateNodegroupInstances', (c) => eksTerminateNodegroupInstances(target, options, c));
  }

  // ---- EC2 ----

  /** Stops instances and starts them again after `restartAfter` (`aws:ec2:stop-instances`). */
  public static ec2StopInstances(target: Targets, options?: Ec2StopInstancesOptions): Fault {
    return leaf('ec2StopInstances', (c) => ec2StopInstances(target, options, c));
  }

  /** Terminates instances (`aws:ec2:terminate-instances`): meant for Auto Scaling groups, which replace them. */
  public static ec2TerminateInstances(target: Targets): Fault {
    return leaf('ec2TerminateInstances', (c) => ec2TerminateInstances(target, c));
  }

  /** Reboots instances (`aws:ec2:reboot-instances`): the OS restarts, the instance keeps its id, volumes and addresses. */
  public static ec2RebootInstances(target: Targets): Fault {
    return leaf('ec2RebootInstances', (c) => ec2RebootInstances(target, c));
  }

  /**
   * Interrupts Spot Instances as EC2 would reclaim them (`aws:ec2:send-spot-instance-interruptions`):
   * the interruption notice (instance metadata, EventBridge), then, `durationBeforeInterruption`
   * later, the instances' interruption behaviour (terminate, stop or hibernate).
   */
  public static ec2SpotInterruption(target: Targets, options?: Ec2SpotInterruptionOptions): Fault {
    return leaf('ec2SpotInterruption', (c) => ec2SpotInterruption(target, options, c));
  }

  /**
   * Fails the launches of Auto Scaling groups in some zones with `InsufficientInstanceCapacity`
   * (`aws:ec2:asg-insufficient-instance-capacity-error`), as when a zone has no capacity left: the
   * groups cannot replace or add instances there. Groups with a launch template only (FIS's
   * rule); `Targets.autoScalingGroups([group])` for groups this app declares.
   */
  public static ec2AsgInsufficientCapacityError(target: Targets, options: Ec2InsufficientCapacityOptions): Fault {
    return leaf('ec2AsgInsufficientCapacityError', (c) => ec2AsgInsufficientCapacityError(target, options, c));
  }

  /**
   * Fails the instance launches (RunInstances, CreateFleet, StartInstances, CreateCapacityReservation)
   * that IAM roles make in some zones with `InsufficientInstanceCapacity`
   * (`aws:ec2:api-insufficient-instance-capacity-error`): the roles of what launches capacity
   * itself, such as Karpenter's controller. Roles by ARN only (`Targets.roles([role])`, `Targets.arns([...])`).
   * A request asking for capacity in several zones at once (e.g. a CreateFleet over subnets of
   * several zones, as Karpenter may send) is not affected: "Requests that include capacity asks in
   * multiple Availability Zones are not supported" (FIS actions reference, #api-ice).
   */
  public static ec2ApiInsufficientCapacityError(target: Targets, options: Ec2InsufficientCapacityOptions): Fault {
    return leaf('ec2ApiInsufficientCapacityError', (c) => ec2ApiInsufficientCapacityError(target, options, c));
  }

  // ---- Systems Manager ----

  /**
   * Runs an SSM Command document on instances (`aws:ssm:send-command`): one of the `AWSFIS-Run-*`
   * documents (CPU, memory, disk stress, network faults, killing a process) or your own. The
   * instances need the SSM agent and an instance profile that lets Systems Manager manage them.
   */
  public static ssmSendCommand(target: Targets, options: SsmSendCommandOptions): Fault {
    return leaf('ssmSendCommand', (c) => ssmSendCommand(target, options, c));
  }

  /**
   * Runs an SSM Automation runbook (`aws:ssm:start-automation-execution`), e.g. to inject a fault
   * FIS has no action for; FIS stops the execution after `maxDuration`. It has no target: what the
   * runbook acts on is in its parameters.
   */
  public static ssmStartAutomation(options: SsmStartAutomationOptions): Fault {
    return leaf('ssmStartAutomation', (c) => ssmStartAutomation(options, c));
  }

  // ---- EBS ----

  /**
   * Pauses the I/O of EBS volumes (`aws:ebs:pause-volume-io`; Nitro-based instances). The volumes
   * must be in one availability zone: typed volumes whose zones are known at synth are checked;
   * volumes by ARN or tags, or with a zone that is a token, are checked by FIS when the experiment starts.
   */
  public static ebsPauseVolumeIo(target: Targets, options?: EbsPauseVolumeIoOptions): Fault {
    return leaf('ebsPauseVolumeIo', (c) => ebsPauseVolumeIo(target, options, c));
  }

  /**
   * Adds latency to a share of the read and write I/O of EBS volumes (`aws:ebs:volume-io-latency`);
   * the volumes must be in one availability zone (checked at synth where their zones are known, as
   * for `ebsPauseVolumeIo`).
   */
  public static ebsVolumeIoLatency(target: Targets, options?: EbsVolumeIoLatencyOptions): Fault {
    return leaf('ebsVolumeIoLatency', (c) => ebsVolumeIoLatency(target, options, c));
  }

  // ---- Databases ----

  /** Fails an Aurora/RDS cluster over to a reader (`aws:rds:failover-db-cluster`). */
  public static rdsFailoverCluster(target: Targets): Fault {
    return leaf('rdsFailoverCluster', (c) => rdsFailoverCluster(target, c));
  }

  /** Reboots DB instances, optionally failing over (`aws:rds:reboot-db-instances`). */
  public static rdsRebootInstances(target: Targets, options?: RdsRebootOptions): Fault {
    return leaf('rdsRebootInstances', (c) => rdsRebootInstances(target, options, c));
  }

  /** Pauses a global table's replication in this region (`aws:dynamodb:global-table-pause-replication`). */
  public static dynamoDbPauseReplication(target: Targets, options?: DynamoDbPauseReplicationOptions): Fault {
    return leaf('dynamoDbPauseReplication', (c) => dynamoDbPauseReplication(target, options, c));
  }

  /**
   * Cuts the power of ElastiCache replication groups' nodes in one availability zone
   * (`aws:elasticache:replicationgroup-interrupt-az-power`): primaries there fail over, and no node
   * is replaced in that zone until the fault ends.
   */
  public static elastiCacheAzPowerInterruption(target: Targets, options: ElastiCacheAzPowerInterruptionOptions): Fault {
    return leaf('elastiCacheAzPowerInterruption', (c) => elastiCacheAzPowerInterruption(target, options, c));
  }

  /**
   * Pauses the replication of S3 buckets to the buckets of a region (`aws:s3:bucket-pause-replication`);
   * FIS selects the source buckets by tags only (`Targets.tagged`).
   */
  public static s3PauseReplication(target: Targets, options: S3PauseReplicationOptions): Fault {
    return leaf('s3PauseReplication', (c) => s3PauseReplication(target, options, c));
  }

  // ---- Recovery ----

  /**
   * Shifts the traffic of zonal-shift managed resources (load balancers, Auto Scaling groups, EKS
   * clusters) away from an availability zone (`aws:arc:start-zonal-autoshift`), as ARC's zonal
   * autoshift would, and cancels the shift at the end. Named targets are shifted whatever their
   * autoshift setting (`zonalAutoshiftStatus` `ANY`); targets chosen by tags keep FIS's default,
   * `ENABLED`: only the tagged resources with zonal autoshift enabled are shifted.
   */
  public static arcStartZonalAutoshift(target: Targets, options: ArcStartZonalAutoshiftOptions): Fault {
    return leaf('arcStartZonalAutoshift', (c) => arcStartZonalAutoshift(target, options, c));
  }

  // ---- Network and AWS APIs ----

  /** Denies traffic of subnets (`aws:network:disrupt-connectivity`). */
  public static disruptConnectivity(target: Targets, options?: DisruptConnectivityOptions): Fault {
    return leaf('disruptConnectivity', (c) => disruptConnectivity(target, options, c));
  }

  /**
   * Blocks traffic from subnets to another region (`aws:network:route-table-disrupt-cross-region-connectivity`):
   * FIS gives the subnets route tables of its own for the duration (raise the VPC quota of routes
   * per route table to 250, or 350 for us-east-1, plus your routes).
   */
  public static routeTableDisruptCrossRegion(target: Targets, options: CrossRegionConnectivityOptions): Fault {
    return leaf('routeTableDisruptCrossRegion', (c) => routeTableDisruptCrossRegion(target, options, c));
  }

  /** Blocks traffic of transit gateways' peering attachments to another region (`aws:network:transit-gateway-disrupt-cross-region-connectivity`). */
  public static transitGatewayDisruptCrossRegion(target: Targets, options: CrossRegionConnectivityOptions): Fault {
    return leaf('transitGatewayDisruptCrossRegion', (c) => transitGatewayDisruptCrossRegion(target, options, c));
  }

  /**
   * Blocks the traffic of interface VPC endpoints (`aws:network:disrupt-vpc-endpoint`): FIS swaps
   * their security groups for an empty one of its own. Cross-region endpoints also need
   * `vpce:AllowMultiRegion`, which this library does not grant.
   */
  public static disruptVpcEndpoint(target: Targets, options?: DisruptVpcEndpointOptions): Fault {
    return leaf('disruptVpcEndpoint', (c) => disruptVpcEndpoint(target, options, c));
  }

  /** Fails AWS API calls made with a role with internal errors (`aws:fis:inject-api-internal-error`). */
  public static apiInternalError(target: Targets, options: ApiErrorOptions): Fault {
    return leaf('apiInternalError', (c) => apiInternalError(target, options, c));
  }

  /** Throttles AWS API calls made with a role (`aws:fis:inject-api-throttle-error`). */
  public static apiThrottleError(target: Targets, options: ApiErrorOptions): Fault {
    return leaf('apiThrottleError', (c) => apiThrottleError(target, options, c));
  }

  /** Fails AWS API calls made with a role as unavailable (`aws:fis:inject-api-unavailable-error`). */
  public static apiUnavailableError(target: Targets, options: ApiErrorOptions): Fault {
    return leaf('apiUnavailableError', (c) => apiUnavailableError(target, options, c));
  }

  // ---- Composition ----

  /** Waits (`aws:fis:wait`), e.g. between two faults of a sequence. */
  public static wait(duration: Duration): Fault {
    return leaf('wait', (c) => {
      const p = fisDurationProblem(duration, MIN_WAIT, FIS_MAX_DURATION);
      if (p) {
        return { problems: [{ prop: `${c.prop}.duration`, message: p }] };
      }
      const seconds = duration.toSeconds();
      return {
        problems: [],
        node: {
          kind: 'action',
          action: { definition: FIS_ACTIONS.wait, description: `Waits ${formatDuration(seconds, { exact: true })}`, parameters: { duration: isoDuration(seconds) }, durationSeconds: seconds },
        },
      };
    });
  }

  /** Runs faults one after the other: each starts when the previous one has finished. */
  public static sequence(...faults: Fault[]): Fault {
    return new CompositeFault('sequence', faults);
  }

  /** Runs faults at the same time. */
  public static parallel(...faults: Fault[]): Fault {
    return new CompositeFault('parallel', faults);
  }

  /** @internal */
  public static _isFault(x: unknown): x is Fault {
    return x instanceof Fault;
  }

  /** The factory's name, for messages and the plan. */
  public abstract readonly kind: string;

  /** @internal Validates and lays out this fault's actions. */
  public abstract _resolve(context: FaultContext): ResolvedFault;
}

class LeafFault extends Fault {
  constructor(public readonly kind: string, private readonly build: (context: FaultContext) => ResolvedFault) {
    super();
  }

  public _resolve(context: FaultContext): ResolvedFault {
    const prop = `${context.prop} (${this.kind})`;
    try {
      return this.build({ ...context, prop });
    } catch (e) {
      // The factory's arguments are read here, when the experiment binds the fault: an argument
      // whose reading throws (a getter, a Proxy) is the user's value failing, named as such.
      return { problems: [{ prop, message: unreadable(e) }] };
    }
  }
}

class CompositeFault extends Fault {
  constructor(public readonly kind: 'sequence' | 'parallel', private readonly faults: Fault[]) {
    super();
  }

  public _resolve(context: FaultContext): ResolvedFault {
    if (this.faults.length === 0) {
      return { problems: [{ prop: context.prop, message: `Fault.${this.kind}() needs at least one fault` }] };
    }
    const problems: Problem[] = [];
    const children: FaultNode[] = [];
    this.faults.forEach((fault, i) => {
      const prop = `${context.prop}.${this.kind}[${i}]`;
      if (!Fault._isFault(fault)) {
        problems.push({ prop, message: `must be a Fault (Fault.lambdaInvocationDelay(...), Fault.wait(...), ...), got ${describeValue(fault)}` });
        return;
      }
      const resolved = fault._resolve({ ...context, prop });
      problems.push(...resolved.problems);
      if (resolved.node) {
        children.push(resolved.node);
      }
    });
    return problems.length > 0 ? { problems } : { problems: [], node: { kind: this.kind, children } };
  }
}

function leaf(kind: string, build: (context: FaultContext) => ResolvedFault): Fault {
  return new LeafFault(kind, build);
}
