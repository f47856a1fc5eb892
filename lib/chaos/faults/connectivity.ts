/**
 * Cross-Region and VPC-endpoint connectivity faults. Actions, resource types, parameters and
 * permissions: FIS actions reference, "Network actions"
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#network-actions-reference);
 * target keys and the scoping of each permission (which resources, which carry FIS's
 * `managedByFIS=true` tag) as the "Cross-Region: Connectivity" scenario writes them
 * (https://docs.aws.amazon.com/fis/latest/userguide/cross-region-scenario.html), narrowed to this
 * account and region.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { FIS_ACTIONS } from '../catalog';
import { durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { targetStatement } from '../target-permissions';
import { Targets } from '../targets';

/** Options of the cross-Region connectivity faults. */
export interface CrossRegionConnectivityOptions {
  /** The region traffic to which is blocked, e.g. `us-east-1` (FIS's `region`): not the stack's own. */
  readonly region: string;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Options of `Fault.disruptVpcEndpoint`. */
export interface DisruptVpcEndpointOptions {
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}


/** FIS's own resources, created with the managedByFIS=true tag for the experiment and deleted after it. */
const FIS_CREATED = 'FIS creates these resources during the experiment, with the managedByFIS=true tag; they have no ARN in advance';

/** The `region` parameter, checked: a region code other than the stack's. */
function regionParameter(reader: OptionReader, value: unknown, stack: Stack): string {
  const region = reader.region(value, 'region', 'the code of the region to isolate');
  if (!Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region === stack.region) {
    reader.problem('region', `must be another region than the stack's own ${stack.region}: FIS blocks traffic from the experiment's region to it`);
  }
  return region;
}

/** `arn:…:ec2:<region>:<account>:<type>/*` of this stack. */
function every(stack: Stack, type: string): string {
  return stack.formatArn({ service: 'ec2', resource: type, resourceName: '*' });
}

/** A statement on resources FIS creates, tagged managedByFIS=true: on creation (`aws:RequestTag`) or afterwards (`aws:ResourceTag`). */
function fisTagged(actions: string[], resources: string[], when: 'RequestTag' | 'ResourceTag', extra: Record<string, string> = {}): iam.PolicyStatement {
  return withWildcardReason(new iam.PolicyStatement({
    actions, resources, conditions: { StringEquals: { ...extra, [`aws:${when}/managedByFIS`]: 'true' } },
  }), `${FIS_CREATED}; only resources tagged managedByFIS can be ${when === 'RequestTag' ? 'created' : 'changed or deleted'}`);
}

/** `aws:network:route-table-disrupt-cross-region-connectivity`: FIS swaps the subnets' route tables for its own. */
export function routeTableDisruptCrossRegion(target: Targets, options: CrossRegionConnectivityOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<ec2.ISubnet>(reader, target, ['subnets'], (x) => typeof (x as ec2.ISubnet)?.subnetId === 'string', 'a subnet');
  const region = regionParameter(reader, options?.region, stack);
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved)
    ? reader.target(Targets.arns(resolved.resources.map((s) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s.subnetId }))))
    : resolved;
  const [routeTables, networkInterfaces, prefixLists] = ['route-table', 'network-interface', 'prefix-list'].map((t) => every(stack, t));
  const swap = 'FIS associates the subnets with its route table and back with their original one, neither known at deploy time';
  return reader.action(() => ({
    definition: FIS_ACTIONS.routeTableDisruptCrossRegion,
    description: `Blocks traffic from the subnet(s) to ${region}${forDuration(seconds)} (route tables of FIS's own)`,
    parameters: { ...durationParameter(seconds), region },
    target: targets,
    durationSeconds: seconds,
    ownsTargetPermissions: true,
    statements: [
      fisTagged(['ec2:CreateRouteTable'], [routeTables], 'RequestTag'),
      withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable'], resources: [every(stack, 'vpc')] }),
        'EC2 also authorizes creating and deleting a route table against its VPC, which a subnet does not tell; the route table itself must carry managedByFIS'),
      fisTagged(['ec2:CreateTags'], [routeTables], 'RequestTag', { 'ec2:CreateAction': 'CreateRouteTable' }),
      fisTagged(['ec2:CreateTags'], [networkInterfaces], 'RequestTag', { 'ec2:CreateAction': 'CreateNetworkInterface' }),
      fisTagged(['ec2:CreateTags'], [prefixLists], 'RequestTag', { 'ec2:CreateAction': 'CreateManagedPrefixList' }),
      fisTagged(['ec2:DeleteRouteTable', 'ec2:CreateRoute', 'ec2:DisassociateRouteTable', 'ec2:ModifyVpcEndpoint'], [routeTables], 'ResourceTag'),
      fisTagged(['ec2:CreateNetworkInterface'], [networkInterfaces], 'RequestTag'),
      withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterface'], resources: [every(stack, 'subnet'), every(stack, 'security-group')] }),
        'EC2 also authorizes creating a network interface against its subnet and security groups; the interface itself must carry managedByFIS'),
      fisTagged(['ec2:DeleteNetworkInterface'], [networkInterfaces], 'ResourceTag'),
      fisTagged(['ec2:CreateManagedPrefixList'], [prefixLists], 'RequestTag'),
      fisTagged(['ec2:DeleteManagedPrefixList', 'ec2:ModifyManagedPrefixList'], [prefixLists], 'ResourceTag'),
      // AWS-managed prefix lists have the account `aws` in their ARN (arn:aws:ec2:<region>:aws:prefix-list/pl-…), and the
      // isolated region's lists live in that region: AWS's Cross-Region scenario policy grants ec2:*:*:prefix-list/*
      // (https://docs.aws.amazon.com/fis/latest/userguide/cross-region-scenario.html)
      withWildcardReason(new iam.PolicyStatement({
        actions: ['ec2:GetManagedPrefixListEntries'],
        resources: [prefixLists, stack.formatArn({ service: 'ec2', region: '*', account: 'aws', resource: 'prefix-list', resourceName: '*' })],
      }), 'FIS reads the AWS IP ranges of the isolated region from AWS-managed prefix lists (account aws, any region) and its own'),
      // FIS adds its route table to the VPC's gateway endpoints (S3, DynamoDB), which EC2 authorizes against the endpoint
      // too; AWS's scenario policy grants it on vpc-endpoint/* (Sid ModifyVPCE)
      withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:ModifyVpcEndpoint'], resources: [every(stack, 'vpc-endpoint')] }),
        'FIS associates its route tables with the VPC\'s gateway endpoints, which it finds when the experiment runs'),
      withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], resources: [routeTables] }), swap),
      // the subnets: by ARN, or those carrying the target's tags
      targetStatement(stack, 'aws:ec2:subnet', ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation', 'ec2:DisassociateRouteTable'], targets!),
    ],
  }));
}

function isTransitGateway(x: unknown): boolean {
  return (x as ec2.CfnTransitGateway)?.cfnResourceType === ec2.CfnTransitGateway.CFN_RESOURCE_TYPE_NAME;
}

/** `aws:network:transit-gateway-disrupt-cross-region-connectivity`: FIS moves the peering attachments to route tables of its own choosing. */
export function transitGatewayDisruptCrossRegion(target: Targets, options: CrossRegionConnectivityOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<ec2.CfnTransitGateway>(reader, target, ['transitGateways'], isTransitGateway, 'a transit gateway (ec2.CfnTransitGateway)');
  const region = regionParameter(reader, options?.region, stack);
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved)
    ? reader.target(Targets.arns(resolved.resources.map((g) => stack.formatArn({ service: 'ec2', resource: 'transit-gateway', resourceName: g.ref })),
      resolved.selection))
    : resolved;
  return reader.action(() => ({
    definition: FIS_ACTIONS.transitGatewayDisruptCrossRegion,
    description: `Blocks traffic of the transit gateway(s)' peering attachments to ${region}${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), region },
    target: targets,
    durationSeconds: seconds,
    statements: [withWildcardReason(new iam.PolicyStatement({
      actions: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
      resources: [every(stack, 'transit-gateway-route-table'), every(stack, 'transit-gateway-attachment')],
    }), 'FIS re-associates the peering attachments of the target transit gateways with their route tables; attachments and route tables are found '
      + 'when the experiment runs, in this account and region')],
  }));
}

function isInterfaceEndpoint(x: unknown): boolean {
  return typeof (x as ec2.IInterfaceVpcEndpoint)?.vpcEndpointId === 'string' && (x as ec2.IInterfaceVpcEndpoint)?.connections !== undefined;
}

/** `aws:network:disrupt-vpc-endpoint`: FIS swaps the endpoints' security groups for an empty one of its own. */
export function disruptVpcEndpoint(target: Targets, options: DisruptVpcEndpointOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<ec2.IInterfaceVpcEndpoint>(reader, target, ['vpcEndpoints'], isInterfaceEndpoint, 'an interface VPC endpoint');
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved)
    ? reader.target(Targets.arns(resolved.resources.map((e) => stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint', resourceName: e.vpcEndpointId })),
      resolved.selection))
    : resolved;
  const securityGroups = every(stack, 'security-group');
  return reader.action(() => ({
    definition: FIS_ACTIONS.disruptVpcEndpoint,
    description: `Blocks the traffic of the interface VPC endpoint(s)${forDuration(seconds)} (an empty security group of FIS's own)`,
    parameters: durationParameter(seconds),
    target: targets,
    durationSeconds: seconds,
    ownsTargetPermissions: true,
    statements: [
      fisTagged(['ec2:CreateSecurityGroup'], [securityGroups], 'RequestTag'),
      withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:CreateSecurityGroup'], resources: [every(stack, 'vpc')] }),
        'EC2 also authorizes creating a security group against its VPC, which an endpoint target does not tell; the group itself must carry managedByFIS'),
      fisTagged(['ec2:CreateTags'], [securityGroups], 'RequestTag', { 'ec2:CreateAction': 'CreateSecurityGroup' }),
      fisTagged(['ec2:DeleteSecurityGroup', 'ec2:RevokeSecurityGroupEgress'], [securityGroups], 'ResourceTag'),
      withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:ModifyVpcEndpoint'], resources: [securityGroups] }),
        'EC2 authorizes ModifyVpcEndpoint against the security groups swapped in and out: FIS\'s own and the endpoints\' original ones'),
      // the endpoints: by ARN, or those carrying the target's tags
      targetStatement(stack, 'aws:ec2:vpc-endpoint', ['ec2:ModifyVpcEndpoint'], targets!),
    ],
  }));
}
