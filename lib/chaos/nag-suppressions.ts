/**
 * Why chaos experiments grant what cdk-nag's AwsSolutions-IAM5 reports as wildcards, and why their
 * buckets keep no server access logs (see lib/nag/suppressions.ts). Each wildcard statement is
 * created with its reason (`withWildcardReason`), and the reason travels with it to the cdk-nag
 * suppression on the policy that holds it.
 */
import * as s3 from 'aws-cdk-lib/aws-s3';
import { suppressNagFindings } from '../nag/suppressions';

const LOG_DELIVERY = 'vended log delivery to the experiment\'s log group, granted on * as FIS\'s experiment-logging documentation lists it '
  + '(CreateLogDelivery and the account\'s log resource policy take no resource)';

/** Why an action of the FIS catalog (`onAll`) or of the experiment itself is granted on `*`. */
const ON_ALL_REASONS: Record<string, string> = {
  'tag:GetResources': 'the Resource Groups Tagging API has no resource-level permissions (FIS resolves targets with it)',
  'cloudwatch:DescribeAlarms': 'CloudWatch returns composite alarms only to callers granted DescribeAlarms on * (the stop conditions and checks are composites)',
  'cloudwatch:GetMetricWidgetImage': 'has no resource-level permissions (the report\'s graphs)',
  'logs:CreateLogDelivery': LOG_DELIVERY,
  'logs:PutResourcePolicy': LOG_DELIVERY,
  'logs:DescribeResourcePolicies': LOG_DELIVERY,
  'logs:DescribeLogGroups': LOG_DELIVERY,
  'ec2:DescribeInstances': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeSubnets': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeVpcs': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeNetworkAcls': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeManagedPrefixLists': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeVolumes': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeNetworkInterfaces': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeRouteTables': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeVpcPeeringConnections': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeVpcEndpoints': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeSecurityGroups': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeTransitGateways': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeTransitGatewayAttachments': 'EC2 Describe actions have no resource-level permissions',
  'ec2:DescribeTransitGatewayPeeringAttachments': 'EC2 Describe actions have no resource-level permissions',
  'autoscaling:DescribeTags': 'Auto Scaling Describe actions have no resource-level permissions (FIS resolves Auto Scaling groups registered with ARC by their tags)',
  // Service Authorization Reference, "Actions, resources, and condition keys for Amazon EC2 Auto Scaling": no resource type
  'autoscaling:DescribeAutoScalingGroups': 'Auto Scaling Describe actions have no resource-level permissions (FIS resolves the groups of '
    + 'aws:ec2:asg-insufficient-instance-capacity-error with it)',
  's3:ListAllMyBuckets': 'S3 lists an account\'s buckets on * only; FIS lists them to find the tagged source buckets at run time',
  'arc-zonal-shift:ListManagedResources': 'read-only, and ARC lists managed resources on * only; FIS lists them to resolve the targets at run time',
  'arc-zonal-shift:GetManagedResource': 'read-only; FIS reads the zonal shift state of the managed resources it resolves at run time',
  'ec2:GetManagedPrefixListEntries': 'read-only; the prefix list is named by the fault\'s parameter and resolved by FIS at run time',
  'rds:DescribeDBClusters': 'read-only; FIS lists the clusters to resolve the targets at run time',
  'rds:DescribeDBInstances': 'read-only; FIS lists the instances to resolve the targets at run time',
  'elasticache:DescribeReplicationGroups': 'read-only; FIS lists the replication groups and their nodes to resolve the targets at run time',
  'ecs:ListTasks': 'read-only; FIS lists the service\'s tasks at run time, before it knows their ARNs',
  'ecs:DescribeContainerInstances': 'read-only; the container instances of the targeted tasks are known only at run time',
  'ssm:ListCommands': 'Systems Manager authorizes it on * only (no resource types: Service Authorization Reference); FIS lists the Run Command invocations it started',
  'ssm:CancelCommand': 'Systems Manager authorizes it on * only (no resource types: Service Authorization Reference); FIS cancels the Run Command invocations it started',
};

/**
 * Why `actions` are granted on `*`, or `undefined` when one of them has no known reason (the
 * finding is then left to be reported, not suppressed blindly).
 */
export function onAllReason(actions: readonly string[]): string | undefined {
  const reasons: string[] = [];
  for (const action of actions) {
    const why = ON_ALL_REASONS[action];
    if (why === undefined) {
      return undefined;
    }
    if (!reasons.includes(why)) {
      reasons.push(why);
    }
  }
  return reasons.join('; ');
}

/** The actions `onAllReason` can explain, for tests against the catalog. */
export const EXPLAINED_ON_ALL_ACTIONS = Object.keys(ON_ALL_REASONS);

/**
 * Targets chosen by tags whose statement cannot carry the tags as `aws:ResourceTag` conditions (a
 * resource type without them, a tag key that is a token): the target actions on `*`. Tag-selected
 * targets of the catalog's resource types get conditioned statements instead (target-permissions.ts).
 */
export const TAG_SELECTED_REASON = 'the fault selects its targets by tags, which FIS resolves when the experiment runs, so no ARN is known at deploy time, '
  + 'and the tags cannot be written as aws:ResourceTag conditions for this target; FIS acts only on the resources its target selects';

/** `arn:…:fis:<region>:<account>:experiment/*`. */
export const EXPERIMENT_ARN_REASON = 'an experiment\'s id is created when it starts; scoped to this account\'s and region\'s FIS experiments';

/** The configuration prefix of the FIS Lambda extension. */
export const FAULT_CONFIGS_REASON = 'FIS names each fault configuration object at run time; scoped to the FisConfigs/ prefix of the stack\'s fault-configuration bucket';

/** The prefix of this experiment's reports. */
export const REPORT_PREFIX_REASON = 'FIS names the report objects at run time; scoped to this experiment\'s own report prefix';

/** Suppresses `AwsSolutions-S1` (no server access logs) on the fault-configuration bucket. */
export function suppressConfigBucketFindings(bucket: s3.Bucket): void {
  suppressNagFindings(bucket, {
    id: 'AwsSolutions-S1',
    reason: 'Holds only FIS fault configurations (which function, which fault, what percentage), written by this stack\'s experiment roles, '
      + 'deleted by FIS when the action ends and swept after 2 days; no application data. Public access blocked, TLS only, encrypted; IAM '
      + 'grants write to the experiment roles and read of the FisConfigs/ prefix to the wired functions only. Server access logs would '
      + 'record every warm function instance\'s poll (one request a minute) into a log bucket this library would have to add to each stack; '
      + 'CloudTrail S3 data events audit object access where an account requires it.',
  });
}

/** Suppresses `AwsSolutions-S1` on the report bucket the library creates (a bucket passed in `report.bucket` is the user's). */
export function suppressReportBucketFindings(bucket: s3.Bucket): void {
  suppressNagFindings(bucket, {
    id: 'AwsSolutions-S1',
    reason: 'Holds only FIS experiment reports (PDFs of the service\'s dashboard around each experiment), written by the experiment roles '
      + 'under their own prefixes; no application data. Public access blocked, TLS only, encrypted. Server access logs would need a log '
      + 'bucket this library would have to add to each stack; pass report.bucket to use a bucket with your own logging, or audit with '
      + 'CloudTrail S3 data events.',
  });
}
