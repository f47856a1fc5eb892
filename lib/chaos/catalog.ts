/**
 * The FIS actions this library can put in a template: action id, the key and resource type of
 * its target, and the IAM actions the experiment role needs. Pure data, checked against the FIS
 * actions reference (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html)
 * and AWS's managed policies for FIS; the fault catalog of docs/chaos.md is tested against it.
 */

/** One FIS action. */
export interface FisActionDefinition {
  /** FIS action id, e.g. `aws:lambda:invocation-add-delay`. */
  readonly actionId: string;
  /** Key of the action's target in its `Targets` map; absent for actions without a target. */
  readonly targetKey?: string;
  /** FIS resource type of that target. */
  readonly resourceType?: string;
  /** IAM actions the role needs on the target resources (scoped to their ARNs when known). */
  readonly onTargets: readonly string[];
  /** IAM actions that do not support resource-level permissions (granted on `*`). */
  readonly onAll: readonly string[];
}

const TAG_READ = 'tag:GetResources';

/** An `aws:eks:pod` action: pods are found by cluster, namespace and selector (target parameters, never ARNs). */
function eksPodAction<A extends string>(actionId: A) {
  return { actionId, targetKey: 'Pods', resourceType: 'aws:eks:pod', onTargets: [], onAll: ['ec2:DescribeSubnets', TAG_READ] } as const;
}

/** Every action, by a short name used by the fault factories. */
export const FIS_ACTIONS = {
  lambdaDelay: {
    actionId: 'aws:lambda:invocation-add-delay',
    targetKey: 'Functions',
    resourceType: 'aws:lambda:function',
    onTargets: ['lambda:GetFunction'],
    onAll: [TAG_READ],
  },
  lambdaError: {
    actionId: 'aws:lambda:invocation-error',
    targetKey: 'Functions',
    resourceType: 'aws:lambda:function',
    onTargets: ['lambda:GetFunction'],
    onAll: [TAG_READ],
  },
  lambdaHttpResponse: {
    actionId: 'aws:lambda:invocation-http-integration-response',
    targetKey: 'Functions',
    resourceType: 'aws:lambda:function',
    onTargets: ['lambda:GetFunction'],
    onAll: [TAG_READ],
  },
  ecsStopTask: {
    actionId: 'aws:ecs:stop-task',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:StopTask', 'ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', TAG_READ],
  },
  ecsCpuStress: {
    actionId: 'aws:ecs:task-cpu-stress',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', 'ssm:ListCommands', 'ssm:CancelCommand', TAG_READ],
  },
  ecsNetworkLatency: {
    actionId: 'aws:ecs:task-network-latency',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', 'ecs:DescribeContainerInstances', 'ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ssm:ListCommands', 'ssm:CancelCommand', TAG_READ],
  },
  // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#task-io-stress (and the sections below);
  // ecs:ListTasks because the tasks are found by cluster and service.
  ecsIoStress: {
    actionId: 'aws:ecs:task-io-stress',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', 'ssm:ListCommands', 'ssm:CancelCommand', TAG_READ],
  },
  ecsKillProcess: {
    actionId: 'aws:ecs:task-kill-process',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', 'ssm:ListCommands', 'ssm:CancelCommand', TAG_READ],
  },
  ecsNetworkPacketLoss: {
    actionId: 'aws:ecs:task-network-packet-loss',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', 'ecs:DescribeContainerInstances', 'ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ssm:ListCommands', 'ssm:CancelCommand', TAG_READ],
  },
  ecsNetworkBlackholePort: {
    actionId: 'aws:ecs:task-network-blackhole-port',
    targetKey: 'Tasks',
    resourceType: 'aws:ecs:task',
    onTargets: ['ecs:DescribeTasks'],
    onAll: ['ecs:ListTasks', 'ssm:ListCommands', 'ssm:CancelCommand', TAG_READ],
  },
  // #drain-container-instances: UpdateContainerInstancesState acts on container instances, granted by the fault
  ecsDrainContainerInstances: {
    actionId: 'aws:ecs:drain-container-instances',
    targetKey: 'Clusters',
    resourceType: 'aws:ecs:cluster',
    onTargets: ['ecs:DescribeClusters', 'ecs:ListContainerInstances'],
    onAll: [TAG_READ],
  },
  // EKS: https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#eks-actions-reference. Pod faults
  // also need the Kubernetes RBAC of https://docs.aws.amazon.com/fis/latest/userguide/eks-pod-actions.html; the fault
  // grants eks:DescribeCluster on the pods' cluster.
  eksPodCpuStress: eksPodAction('aws:eks:pod-cpu-stress'),
  eksPodMemoryStress: eksPodAction('aws:eks:pod-memory-stress'),
  eksPodIoStress: eksPodAction('aws:eks:pod-io-stress'),
  eksPodDelete: eksPodAction('aws:eks:pod-delete'),
  eksPodNetworkLatency: eksPodAction('aws:eks:pod-network-latency'),
  eksPodNetworkPacketLoss: eksPodAction('aws:eks:pod-network-packet-loss'),
  eksPodNetworkBlackholePort: eksPodAction('aws:eks:pod-network-blackhole-port'),
  // #terminate-nodegroup-instance: ec2:TerminateInstances on the group's instances, granted by the fault
  eksTerminateNodegroupInstances: {
    actionId: 'aws:eks:terminate-nodegroup-instances',
    targetKey: 'Nodegroups',
    resourceType: 'aws:eks:nodegroup',
    onTargets: ['eks:DescribeNodegroup'],
    onAll: ['ec2:DescribeInstances', TAG_READ],
  },
  ec2Stop: {
    actionId: 'aws:ec2:stop-instances',
    targetKey: 'Instances',
    resourceType: 'aws:ec2:instance',
    onTargets: ['ec2:StopInstances', 'ec2:StartInstances'],
    // plus kms:CreateGrant for encrypted volumes, added by the fault (conditioned on EC2's use)
    onAll: ['ec2:DescribeInstances'],
  },
  ec2Terminate: {
    actionId: 'aws:ec2:terminate-instances',
    targetKey: 'Instances',
    resourceType: 'aws:ec2:instance',
    onTargets: ['ec2:TerminateInstances'],
    onAll: ['ec2:DescribeInstances'],
  },
  // FIS actions reference, "Amazon EC2 actions" (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ec2-actions-reference);
  // ids as `aws fis list-actions` prints them (https://docs.aws.amazon.com/fis/latest/userguide/fis-list-actions.html).
  ec2Reboot: {
    actionId: 'aws:ec2:reboot-instances',
    targetKey: 'Instances',
    resourceType: 'aws:ec2:instance',
    onTargets: ['ec2:RebootInstances'],
    onAll: ['ec2:DescribeInstances'],
  },
  // #send-spot-instance-interruptions: durationBeforeInterruption 2-15 minutes; the key as the Service Quotas name
  // "Target SpotInstances for aws:ec2:send-spot-instance-interruptions".
  ec2SpotInterruption: {
    actionId: 'aws:ec2:send-spot-instance-interruptions',
    targetKey: 'SpotInstances',
    resourceType: 'aws:ec2:spot-instance',
    onTargets: ['ec2:SendSpotInstanceInterruptions'],
    onAll: ['ec2:DescribeInstances'],
  },
  // #asg-ice and #api-ice of the reference: InsufficientInstanceCapacity errors for the target Auto Scaling groups' launches
  // (groups with launch templates only) and for the target roles' RunInstances, CreateCapacityReservation, StartInstances
  // and CreateFleet calls, in the zones of availabilityZoneIdentifiers (names or ids, comma-separated); percentage 1-100
  // (the group's default 100). Target keys as FIS's "AZ Availability: Power Interruption" scenario template writes them.
  // ec2:InjectApiError, conditioned on ec2:FisActionId and ec2:FisTargetArns (the reference's "Example: Use condition keys
  // for ec2:InjectApiError"), is granted by the fault; the role target takes ARNs only (no tags, filters or parameters).
  ec2AsgInsufficientCapacity: {
    actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
    targetKey: 'AutoScalingGroups',
    resourceType: 'aws:ec2:autoscaling-group',
    onTargets: [],
    onAll: ['autoscaling:DescribeAutoScalingGroups', TAG_READ],
  },
  ec2ApiInsufficientCapacity: {
    actionId: 'aws:ec2:api-insufficient-instance-capacity-error',
    targetKey: 'Roles',
    resourceType: 'aws:iam:role',
    onTargets: [],
    onAll: [],
  },
  // "Systems Manager actions" of the FIS actions reference
  // (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ssm-send-command) and "Use Systems Manager
  // SSM documents with AWS FIS" (https://docs.aws.amazon.com/fis/latest/userguide/actions-ssm-agent.html): parameters
  // documentArn, documentVersion, documentParameters (a JSON string), duration; permissions ssm:SendCommand (granted by the fault on the
  // document and the target instances), ssm:ListCommands and ssm:CancelCommand. ec2:DescribeInstances as for the EC2
  // actions: FIS resolves aws:ec2:instance targets (tags, the State.Name filter) with it.
  ssmSendCommand: {
    actionId: 'aws:ssm:send-command',
    targetKey: 'Instances',
    resourceType: 'aws:ec2:instance',
    onTargets: ['ssm:SendCommand'],
    onAll: ['ssm:ListCommands', 'ssm:CancelCommand', 'ec2:DescribeInstances'],
  },
  // "Amazon EBS actions" of the reference (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#pause-volume-io:
  // ec2:PauseVolumeIO, ec2:DescribeVolumes, tag:GetResources; duration 1 s-12 h) and
  // https://docs.aws.amazon.com/ebs/latest/userguide/ebs-fis-pause-io.html; the key as the Service Quotas name
  // "Target Volumes for aws:ebs:pause-volume-io".
  ebsPauseVolumeIo: {
    actionId: 'aws:ebs:pause-volume-io',
    targetKey: 'Volumes',
    resourceType: 'aws:ec2:ebs-volume',
    onTargets: ['ec2:PauseVolumeIO'],
    onAll: ['ec2:DescribeVolumes', TAG_READ],
  },
  // "aws:ebs:volume-io-latency" of the reference (#volume-latency-injection) and
  // https://docs.aws.amazon.com/ebs/latest/userguide/ebs-fis-latency-injection.html. The key is the one FIS gives
  // aws:ec2:ebs-volume targets (the Service Quotas name "Target Volumes for aws:ebs:pause-volume-io").
  ebsVolumeIoLatency: {
    actionId: 'aws:ebs:volume-io-latency',
    targetKey: 'Volumes',
    resourceType: 'aws:ec2:ebs-volume',
    onTargets: ['ec2:InjectVolumeIOLatency'],
    onAll: ['ec2:DescribeVolumes', TAG_READ],
  },
  // "Recovery action" of the reference (#recovery): FIS starts, updates and cancels a zonal shift of the managed
  // resources; the key as the Service Quotas name "Target ManagedResources for aws:arc:start-zonal-autoshift action".
  // ARC scopes StartZonalShift by the arc-zonal-shift:ResourceIdentifier condition on "*"
  // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_service-with-iam-zonal-shift.html): granted by the fault.
  arcStartZonalAutoshift: {
    actionId: 'aws:arc:start-zonal-autoshift',
    targetKey: 'ManagedResources',
    resourceType: 'aws:arc:zonal-shift-managed-resource',
    onTargets: [],
    onAll: ['arc-zonal-shift:GetManagedResource', 'arc-zonal-shift:ListManagedResources', 'autoscaling:DescribeTags', TAG_READ],
  },
  // "Systems Manager actions" of the reference (#ssm-start-automation-execution): no target; the automation's
  // permissions (StartAutomationExecution on the runbook, Get/Stop on executions, iam:PassRole) are granted by the fault.
  ssmStartAutomation: {
    actionId: 'aws:ssm:start-automation-execution',
    onTargets: [],
    onAll: [],
  },
  // "Amazon S3 actions" of the reference (#bucket-pause-replication): targets by tags only; the key and the policy
  // as the "Cross-Region: Connectivity" scenario (https://docs.aws.amazon.com/fis/latest/userguide/cross-region-scenario.html)
  // writes them. The replication statements are conditioned and added by the fault.
  s3PauseReplication: {
    actionId: 'aws:s3:bucket-pause-replication',
    targetKey: 'Buckets',
    resourceType: 'aws:s3:bucket',
    onTargets: [],
    onAll: ['s3:ListAllMyBuckets', TAG_READ],
  },
  rdsFailover: {
    actionId: 'aws:rds:failover-db-cluster',
    targetKey: 'Clusters',
    resourceType: 'aws:rds:cluster',
    onTargets: ['rds:FailoverDBCluster'],
    onAll: ['rds:DescribeDBClusters', TAG_READ],
  },
  rdsReboot: {
    actionId: 'aws:rds:reboot-db-instances',
    targetKey: 'DBInstances',
    resourceType: 'aws:rds:db',
    onTargets: ['rds:RebootDBInstance'],
    onAll: ['rds:DescribeDBInstances', TAG_READ],
  },
  dynamoDbPauseReplication: {
    actionId: 'aws:dynamodb:global-table-pause-replication',
    targetKey: 'Tables',
    resourceType: 'aws:dynamodb:global-table',
    onTargets: ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:GetResourcePolicy', 'dynamodb:DescribeTable'],
    onAll: [TAG_READ],
  },
  // "Amazon ElastiCache actions" of the reference (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#elasticache-actions-reference):
  // the current id (FIS listed it as aws:elasticache:interrupt-cluster-az-power before); its target takes the
  // availabilityZoneIdentifier target parameter, and IAM names the permission InterruptClusterAzPower.
  elastiCacheAzPowerInterruption: {
    actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
    targetKey: 'ReplicationGroups',
    resourceType: 'aws:elasticache:replicationgroup',
    onTargets: ['elasticache:InterruptClusterAzPower'],
    onAll: ['elasticache:DescribeReplicationGroups', TAG_READ],
  },
  networkDisrupt: {
    actionId: 'aws:network:disrupt-connectivity',
    targetKey: 'Subnets',
    resourceType: 'aws:ec2:subnet',
    onTargets: [],
    // the network ACL statements are added by the fault (create/delete conditioned on the managedByFIS tag)
    onAll: ['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:GetManagedPrefixListEntries', TAG_READ],
  },
  // "Network actions" of the reference (#route-table-disrupt-cross-region-connectivity and the two below); keys as the
  // "Cross-Region: Connectivity" scenario's template writes them. The statements on the resources FIS creates and
  // swaps are added by the faults (scoped to resources tagged managedByFIS, as the scenario's policy).
  routeTableDisruptCrossRegion: {
    actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
    targetKey: 'Subnets',
    resourceType: 'aws:ec2:subnet',
    onTargets: [],
    onAll: ['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeVpcs', 'ec2:DescribeVpcEndpoints', TAG_READ],
  },
  transitGatewayDisruptCrossRegion: {
    actionId: 'aws:network:transit-gateway-disrupt-cross-region-connectivity',
    targetKey: 'TransitGateways',
    resourceType: 'aws:ec2:transit-gateway',
    onTargets: [],
    onAll: ['ec2:DescribeTransitGatewayAttachments', 'ec2:DescribeTransitGatewayPeeringAttachments', 'ec2:DescribeTransitGateways', TAG_READ],
  },
  disruptVpcEndpoint: {
    actionId: 'aws:network:disrupt-vpc-endpoint',
    targetKey: 'VPCEndpoints',
    resourceType: 'aws:ec2:vpc-endpoint',
    onTargets: [],
    onAll: ['ec2:DescribeVpcEndpoints', 'ec2:DescribeSecurityGroups', TAG_READ],
  },
  apiInternalError: {
    actionId: 'aws:fis:inject-api-internal-error',
    targetKey: 'Roles',
    resourceType: 'aws:iam:role',
    onTargets: [],
    onAll: [],
  },
  apiThrottleError: {
    actionId: 'aws:fis:inject-api-throttle-error',
    targetKey: 'Roles',
    resourceType: 'aws:iam:role',
    onTargets: [],
    onAll: [],
  },
  apiUnavailableError: {
    actionId: 'aws:fis:inject-api-unavailable-error',
    targetKey: 'Roles',
    resourceType: 'aws:iam:role',
    onTargets: [],
    onAll: [],
  },
  wait: {
    actionId: 'aws:fis:wait',
    onTargets: [],
    onAll: [],
  },
  assertAlarmState: {
    actionId: 'aws:cloudwatch:assert-alarm-state',
    onTargets: [],
    onAll: [],
  },
} as const satisfies Record<string, FisActionDefinition>;

/**
 * The services whose ARNs a target of a resource type may list, where they are not the resource
 * type's own (`aws:lambda:function` takes `arn:…:lambda:…`): ARC's managed resources are load
 * balancers, Auto Scaling groups and EKS clusters; `aws:ec2:autoscaling-group` takes Auto Scaling's ARNs.
 */
export const ARN_SERVICES: Record<string, readonly string[]> = {
  'aws:arc:zonal-shift-managed-resource': ['elasticloadbalancing', 'autoscaling', 'eks'],
  // an EC2 resource type for Auto Scaling's groups (arn:…:autoscaling:…:autoScalingGroup:…)
  'aws:ec2:autoscaling-group': ['autoscaling'],
};

/**
 * Where an Auto Scaling group's real ARN (with the id Auto Scaling gives it) is read: an imported
 * group's `autoScalingGroupArn` has `*` there, which names no resource.
 */
export const REAL_ASG_ARN = 'aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names NAME --query "AutoScalingGroups[0].AutoScalingGroupARN"';

/** Short name of a catalog action. */
export type FisActionName = keyof typeof FIS_ACTIONS;

/** FIS quotas that a template must respect (Service Quotas defaults; https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html). */
export const FIS_LIMITS = {
  /** Actions per experiment template. */
  actionsPerTemplate: 20,
  /** Actions of one experiment running at the same time. */
  parallelActions: 10,
  /** ARNs one target may list (`resourceArns`). */
  arnsPerTarget: 5,
  /** Stop conditions per experiment template. */
  stopConditionsPerTemplate: 5,
  /** Alarm ARNs one `aws:cloudwatch:assert-alarm-state` action checks. */
  alarmsPerAssertion: 5,
  /** Template description length. */
  descriptionLength: 512,
} as const;
