/** Network and API faults: subnet connectivity, and errors injected into AWS API calls. */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue } from '../../private/describe';
import { EXPERIMENT_ARN_REASON } from '../nag-suppressions';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { targetStatement } from '../target-permissions';
import { Targets } from '../targets';

/** What `aws:network:disrupt-connectivity` cuts (its `scope` parameter). */
export enum ConnectivityScope {
  /** All traffic of the subnets. */
  ALL = 'all',
  /** Traffic to other availability zones. */
  AVAILABILITY_ZONE = 'availability-zone',
  /** Traffic to DynamoDB's regional endpoint. */
  DYNAMODB = 'dynamodb',
  /** Traffic to the IP ranges of a managed prefix list (`prefixList`). */
  PREFIX_LIST = 'prefix-list',
  /** Traffic to S3's regional endpoint. */
  S3 = 's3',
  /** Traffic to S3 Express One Zone's endpoints. */
  S3_EXPRESS = 's3express',
  /** Traffic within the VPC. */
  VPC = 'vpc',
}

const SCOPES: readonly string[] = Object.values(ConnectivityScope);

/** Options of `Fault.disruptConnectivity`. */
export interface DisruptConnectivityOptions {
  /**
   * Which traffic is denied: `all`, to other availability zones, to the VPC, to DynamoDB/S3
   * endpoints, or to a prefix list.
   * @default ConnectivityScope.ALL
   */
  readonly scope?: ConnectivityScope;
  /**
   * The managed prefix list (name, id or ARN) for scope `prefix-list`.
   * @default - none; required for scope 'prefix-list'
   */
  readonly prefixList?: string;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** The AWS services whose API calls FIS can fail (the `service` parameter of `aws:fis:inject-api-*-error`). */
export enum ApiFaultService {
  /** Amazon EC2. */
  EC2 = 'ec2',
  /** Amazon Kinesis Data Streams. */
  KINESIS = 'kinesis',
}

const API_FAULT_SERVICES: readonly string[] = Object.values(ApiFaultService);

/** Options of the API error faults. */
export interface ApiErrorOptions {
  /** The service whose calls fail: only EC2 and Kinesis are supported by FIS. */
  readonly service: ApiFaultService;
  /** API operations that fail, e.g. `['DescribeInstances']`. */
  readonly operations: string[];
  /**
   * Percent of the calls that fail, 1-100.
   * @default 100
   */
  readonly percentage?: number;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Why the ACL swap names every network ACL of the account and region. */
const ACL_SWAP_REASON = 'FIS associates the subnets with its own ACL and back with their original ACL, neither known at deploy time';

/** The network ACL FIS swaps in exists only during the experiment. */
const FIS_ACL_REASON = 'the network ACL FIS creates during the experiment has no ARN in advance; it must be created with the managedByFIS=true tag';

/** `aws:network:disrupt-connectivity`. */
export function disruptConnectivity(target: Targets, options: DisruptConnectivityOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<ec2.ISubnet>(reader, target, ['subnets'], (x) => typeof (x as ec2.ISubnet)?.subnetId === 'string', 'a subnet');
  const scope = reader.oneOf<string>(options?.scope, 'scope', SCOPES, ConnectivityScope.ALL);
  const prefixList = options?.prefixList;
  if (scope === 'prefix-list' && (typeof prefixList !== 'string' || prefixList === '')) {
    reader.problem('prefixList', "is required for scope 'prefix-list': the managed prefix list's name, id or ARN");
  } else if (prefixList !== undefined && (typeof prefixList !== 'string' || /[\s\p{C}]/u.test(prefixList) || prefixList.length > 2048)) {
    reader.problem('prefixList', `must be the managed prefix list's name, id or ARN, without spaces or control characters, got ${describeValue(prefixList)}`);
  }
  if (scope !== 'prefix-list' && prefixList !== undefined) {
    reader.problem('prefixList', `applies only to scope 'prefix-list', not ${typeof scope === 'string' && /^[\w-]+$/.test(scope) ? `'${scope}'` : describeValue(scope)}`);
  }
  const seconds = reader.duration(options?.duration, context);
  // The subnets by ARN (given, or from Targets.arns), or undefined when they are selected by tags.
  const subnetArns = isTyped(resolved)
    ? resolved.resources.map((s) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s.subnetId }))
    : resolved?._spec.arns;
  const targets = isTyped(resolved) ? reader.target(Targets.arns(subnetArns!)) : resolved;
  const networkAcls = stack.formatArn({ service: 'ec2', resource: 'network-acl', resourceName: '*' });
  return reader.action(() => ({
    definition: FIS_ACTIONS.networkDisrupt,
    description: `Denies ${scope === 'all' ? 'all' : `${scope}`} traffic of the subnet(s)${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), scope: scope!, ...(prefixList ? { prefixListIdentifier: prefixList } : {}) },
    target: targets,
    durationSeconds: seconds,
    ownsTargetPermissions: true,
    statements: [
      // FIS swaps in a network ACL of its own, tagged managedByFIS=true, and removes it afterwards.
      withWildcardReason(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkAcl'],
        resources: [networkAcls],
        conditions: { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } },
      }), FIS_ACL_REASON),
      // EC2 also authorizes CreateNetworkAcl against the VPC (AWSFaultInjectionSimulatorNetworkAccess
      // grants it on vpc/*); a subnet does not tell its VPC's ARN, so the VPCs of the account.
      withWildcardReason(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkAcl'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: '*' })],
      }), 'EC2 also authorizes CreateNetworkAcl against the VPC, and a subnet does not tell its VPC\'s ARN; the ACL created must carry the '
        + 'managedByFIS tag (statement above)'),
      withWildcardReason(new iam.PolicyStatement({
        actions: ['ec2:CreateTags'],
        resources: [networkAcls],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl' } },
      }), `${FIS_ACL_REASON}; tagging only as part of creating it`),
      withWildcardReason(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
        resources: [networkAcls],
        conditions: { StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } },
      }), `${FIS_ACL_REASON}; only ACLs tagged managedByFIS can be changed or deleted`),
      // EC2 authorizes the swap against the ACL and the subnet (Service Authorization Reference: network-acl*, subnet*).
      ...(subnetArns !== undefined
        ? [withWildcardReason(new iam.PolicyStatement({
          actions: ['ec2:ReplaceNetworkAclAssociation'],
          resources: [...subnetArns, networkAcls],
        }), ACL_SWAP_REASON)]
        : [
          withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:ReplaceNetworkAclAssociation'], resources: [networkAcls] }), ACL_SWAP_REASON),
          // the subnets carrying the target's tags
          targetStatement(stack, FIS_ACTIONS.networkDisrupt.resourceType, ['ec2:ReplaceNetworkAclAssociation'], resolved as Targets),
        ]),
    ],
  }));
}

/** The three `aws:fis:inject-api-*-error` actions. */
function apiError(definition: FisActionDefinition, permission: string, what: string, target: Targets, options: ApiErrorOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<iam.IRole>(reader, target, ['roles'], (x) => typeof (x as iam.IRole)?.roleArn === 'string', 'an IAM role (the calls made with it fail)');
  const service = options?.service;
  if (!API_FAULT_SERVICES.includes(service as string)) {
    reader.problem('service', `must be one of ${API_FAULT_SERVICES.map((s) => `'${s}'`).join(', ')}: FIS injects API errors only into these services' calls, got ${describeValue(service)}`);
  }
  const operations = options?.operations;
  if (!Array.isArray(operations) || operations.length === 0 || operations.some((o) => typeof o !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(o))) {
    reader.problem('operations', `must be a non-empty list of API operation names such as 'DescribeInstances', got ${describeValue(operations)}`);
  }
  const percentage = reader.integer(options?.percentage, 'percentage', 1, 100, 100, ' (percent of calls)');
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved) ? byArns(reader, resolved, (r) => r.roleArn) : resolved;
  return reader.action(() => ({
    definition,
    description: `Fails ${percentage} % of ${service} ${operations.join(', ')} calls with ${what}${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), service, operations: operations.join(','), percentage: String(percentage) },
    target: targets,
    durationSeconds: seconds,
    statements: [withWildcardReason(
      new iam.PolicyStatement({ actions: [permission], resources: [stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' })] }),
      `FIS authorizes ${permission} on the experiment, ${EXPERIMENT_ARN_REASON}`)],
  }));
}

/** `aws:fis:inject-api-internal-error`. */
export function apiInternalError(target: Targets, options: ApiErrorOptions, context: FaultContext): ResolvedFault {
  return apiError(FIS_ACTIONS.apiInternalError, 'fis:InjectApiInternalError', 'an internal error (HTTP 500)', target, options, context);
}

/** `aws:fis:inject-api-throttle-error`. */
export function apiThrottleError(target: Targets, options: ApiErrorOptions, context: FaultContext): ResolvedFault {
  return apiError(FIS_ACTIONS.apiThrottleError, 'fis:InjectApiThrottleError', 'a throttling error (HTTP 400 ThrottlingException)', target, options, context);
}

/** `aws:fis:inject-api-unavailable-error`. */
export function apiUnavailableError(target: Targets, options: ApiErrorOptions, context: FaultContext): ResolvedFault {
  return apiError(FIS_ACTIONS.apiUnavailableError, 'fis:InjectApiUnavailableError', 'a service-unavailable error (HTTP 503)', target, options, context);
}
