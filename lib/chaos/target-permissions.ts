/**
 * The experiment role's permissions on a fault's targets. Explicit resources: their ARNs. Resources
 * selected by tags: every resource of the target's type in the stack's account and region, on the
 * condition that it carries the same tags (`aws:ResourceTag/<key>`), so the role can change only
 * what the experiment can select. IAM evaluates `aws:ResourceTag` on the resource the call acts on,
 * for each resource type below (Service Authorization Reference, "Resource types" tables: EC2
 * instance, volume, subnet and VPC endpoint, ECS task and cluster, EKS node group, ElastiCache replication group, Lambda function,
 * RDS cluster and db, DynamoDB table).
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../nag/suppressions';
import { TAG_SELECTED_REASON } from './nag-suppressions';
import { Targets } from './targets';

/** How the ARN of every resource of a FIS resource type is written, for tag-conditioned statements. */
const RESOURCE_ARNS: Record<string, { readonly service: string; readonly resource: string; readonly arnFormat: ArnFormat }> = {
  'aws:ec2:instance': { service: 'ec2', resource: 'instance', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  // a Spot Instance is an EC2 instance (arn:…:instance/i-…)
  'aws:ec2:spot-instance': { service: 'ec2', resource: 'instance', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:ec2:ebs-volume': { service: 'ec2', resource: 'volume', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:ec2:subnet': { service: 'ec2', resource: 'subnet', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:ec2:vpc-endpoint': { service: 'ec2', resource: 'vpc-endpoint', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:ecs:task': { service: 'ecs', resource: 'task', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:ecs:cluster': { service: 'ecs', resource: 'cluster', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  // arn:…:eks:<region>:<account>:nodegroup/<cluster>/<group>/<uuid>
  'aws:eks:nodegroup': { service: 'eks', resource: 'nodegroup', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:lambda:function': { service: 'lambda', resource: 'function', arnFormat: ArnFormat.COLON_RESOURCE_NAME },
  'aws:rds:cluster': { service: 'rds', resource: 'cluster', arnFormat: ArnFormat.COLON_RESOURCE_NAME },
  'aws:rds:db': { service: 'rds', resource: 'db', arnFormat: ArnFormat.COLON_RESOURCE_NAME },
  // FIS pauses a global table's replication by changing the resource policy of the table in this region.
  'aws:dynamodb:global-table': { service: 'dynamodb', resource: 'table', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
  'aws:elasticache:replicationgroup': { service: 'elasticache', resource: 'replicationgroup', arnFormat: ArnFormat.COLON_RESOURCE_NAME },
};

/** The FIS resource types whose tag-selected targets get tag-conditioned statements. */
export const TAG_CONDITIONED_RESOURCE_TYPES = Object.keys(RESOURCE_ARNS);

/** Why a tag-conditioned statement names every resource of its type. */
export function tagConditionedReason(tags: Record<string, string>): string {
  return 'the fault selects its targets by tags, which FIS resolves when the experiment runs, so no ARN is known at deploy time; '
    + `the statement is conditioned on the same tags (${Object.keys(tags).map((k) => `aws:ResourceTag/${k}`).join(', ')}), `
    + 'so only resources carrying them can be acted on';
}

/** `arn:…:<service>:<region>:<account>:<resource>/*` (or `:*`) for a FIS resource type, or `undefined` when it is not one of `RESOURCE_ARNS`. */
export function everyResourceOf(stack: Stack, resourceType: string): string | undefined {
  const arn = RESOURCE_ARNS[resourceType];
  return arn ? stack.formatArn({ service: arn.service, resource: arn.resource, resourceName: '*', arnFormat: arn.arnFormat }) : undefined;
}

/** `StringEquals` on `aws:ResourceTag/<key>` for every tag, or `undefined` when a key is a token (it cannot be a condition key). */
export function resourceTagConditions(tags: Record<string, string>): Record<string, Record<string, string>> | undefined {
  const entries = Object.entries(tags);
  if (entries.length === 0 || entries.some(([key]) => Token.isUnresolved(key))) {
    return undefined;
  }
  return { StringEquals: Object.fromEntries(entries.map(([key, value]) => [`aws:ResourceTag/${key}`, value])) };
}

/**
 * `actions` on the resources `targets` select: their ARNs, or, selected by tags, every resource of
 * `resourceType` carrying those tags. Falls back to `*` (with the reason its cdk-nag suppression
 * gives) only for a resource type IAM cannot condition here.
 */
export function targetStatement(stack: Stack, resourceType: string | undefined, actions: readonly string[], targets: Targets): iam.PolicyStatement {
  const { arns, tags } = targets._spec;
  if (arns !== undefined) {
    return new iam.PolicyStatement({ actions: [...actions], resources: arns });
  }
  const every = resourceType !== undefined ? everyResourceOf(stack, resourceType) : undefined;
  const conditions = tags !== undefined ? resourceTagConditions(tags) : undefined;
  if (every !== undefined && conditions !== undefined) {
    return withWildcardReason(new iam.PolicyStatement({ actions: [...actions], resources: [every], conditions }), tagConditionedReason(tags!));
  }
  return withWildcardReason(new iam.PolicyStatement({ actions: [...actions], resources: ['*'] }), TAG_SELECTED_REASON);
}
