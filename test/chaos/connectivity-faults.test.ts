/**
 * Cross-Region and VPC-endpoint connectivity faults, synthesized: the action ids and exact
 * parameters, the targets (key, resource type, ARNs or tags) and the role's statements, each on the
 * target resources or on the resources FIS creates (tagged managedByFIS=true), as the FIS actions
 * reference and the "Cross-Region: Connectivity" scenario's policy give them; then the validation
 * rules, each error naming path, prop, value and what is allowed.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ExperimentProps, Fault, Selection, Targets } from '../../lib';
import {
  experimentStatements, flat, flatCondition, logicalId, newService, newStack, onlyFault, Statement, statementFor,
  statementResources as resources, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';
const EC2 = 'arn:<Partition>:ec2:eu-west-1:111111111111:';
const TAGS = { team: 'payments' };
const CONDITION = { StringEquals: { 'aws:ResourceTag/team': 'payments' } };
const CREATED = { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } };
const OWNED = { StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } };

/** A VPC with isolated subnets, a transit gateway and an interface endpoint. */
function network(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const gateway = new ec2.CfnTransitGateway(stack, 'Hub', { description: 'hub' });
  const endpoint = vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
  return { vpc, gateway, endpoint };
}

/** Every statement as { actions, resources, condition } (tokens rendered), for exact comparison. */
function grants(statements: Statement[]) {
  return statements.map((s) => ({ actions: [...(Array.isArray(s.Action) ? s.Action : [s.Action])].sort(), resources: resources(s), condition: flatCondition(s.Condition) }));
}

describe('cross-Region connectivity', () => {
  let json: TemplateJson;
  let subnets: string[];
  let gatewayRef: string;

  beforeAll(() => {
    const stack = newStack();
    const { vpc, gateway } = network(stack);
    const checkout = newService(stack);
    checkout.addExperiment('routes', { fault: Fault.routeTableDisruptCrossRegion(Targets.subnets(vpc.isolatedSubnets), { region: 'us-east-1' }), duration: TEN_MINUTES });
    checkout.addExperiment('routes-tagged', { fault: Fault.routeTableDisruptCrossRegion(Targets.tagged(TAGS, Selection.all()), { region: 'us-east-1', duration: Duration.hours(3) }) });
    checkout.addExperiment('tgw', { fault: Fault.transitGatewayDisruptCrossRegion(Targets.transitGateways([gateway]), { region: 'eu-central-1' }), duration: TEN_MINUTES });
    json = synth(stack);
    subnets = vpc.isolatedSubnets.map((s) => `${EC2}subnet/<Ref ${logicalId(stack, s)}>`);
    gatewayRef = `<Ref ${stack.getLogicalId(gateway)}>`;
  });

  test('route tables: aws:network:route-table-disrupt-cross-region-connectivity on the subnets (Subnets: aws:ec2:subnet), with the region', () => {
    const { name, action, target } = onlyFault(json, 'routes');
    expect(name).toBe('route-table-disrupt-cross-region-connectivity');
    expect(action.ActionId).toBe('aws:network:route-table-disrupt-cross-region-connectivity');
    expect(action.Parameters).toEqual({ duration: 'PT10M', region: 'us-east-1' });
    expect(action.Targets).toEqual({ Subnets: 'subnets-1' });
    expect(target.ResourceType).toBe('aws:ec2:subnet');
    expect(target.ResourceArns.map(flat)).toEqual(subnets);
  });

  test('route tables: the role creates and changes only what FIS tags managedByFIS, and swaps route tables of these subnets only', () => {
    const statements = experimentStatements(json, 'routes');
    const expected = [
      { actions: ['ec2:CreateRouteTable'], resources: [`${EC2}route-table/*`], condition: CREATED },
      { actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable'], resources: [`${EC2}vpc/*`], condition: undefined },
      { actions: ['ec2:CreateTags'], resources: [`${EC2}route-table/*`], condition: { StringEquals: { 'ec2:CreateAction': 'CreateRouteTable', 'aws:RequestTag/managedByFIS': 'true' } } },
      { actions: ['ec2:CreateTags'], resources: [`${EC2}network-interface/*`], condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:RequestTag/managedByFIS': 'true' } } },
      { actions: ['ec2:CreateTags'], resources: [`${EC2}prefix-list/*`], condition: { StringEquals: { 'ec2:CreateAction': 'CreateManagedPrefixList', 'aws:RequestTag/managedByFIS': 'true' } } },
      { actions: ['ec2:CreateRoute', 'ec2:DeleteRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ModifyVpcEndpoint'], resources: [`${EC2}route-table/*`], condition: OWNED },
      { actions: ['ec2:CreateNetworkInterface'], resources: [`${EC2}network-interface/*`], condition: CREATED },
      { actions: ['ec2:CreateNetworkInterface'], resources: [`${EC2}subnet/*`, `${EC2}security-group/*`], condition: undefined },
      { actions: ['ec2:DeleteNetworkInterface'], resources: [`${EC2}network-interface/*`], condition: OWNED },
      { actions: ['ec2:CreateManagedPrefixList'], resources: [`${EC2}prefix-list/*`], condition: CREATED },
      { actions: ['ec2:DeleteManagedPrefixList', 'ec2:ModifyManagedPrefixList'], resources: [`${EC2}prefix-list/*`], condition: OWNED },
      { actions: ['ec2:GetManagedPrefixListEntries'], resources: [`${EC2}prefix-list/*`, 'arn:<Partition>:ec2:*:aws:prefix-list/*'], condition: undefined },
      { actions: ['ec2:ModifyVpcEndpoint'], resources: [`${EC2}vpc-endpoint/*`], condition: undefined },
      { actions: ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], resources: [`${EC2}route-table/*`], condition: undefined },
      { actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], resources: subnets, condition: undefined },
    ];
    expect(grants(statements)).toEqual(expect.arrayContaining(expected));
    expect(resources(statementFor(statements, [
      'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeVpcs', 'ec2:DescribeVpcEndpoints', 'tag:GetResources',
    ]))).toEqual(['*']);
  });

  test('route tables on subnets chosen by tags: the subnets carrying the tags', () => {
    const { action, target } = onlyFault(json, 'routes-tagged');
    expect(action.Parameters).toEqual({ duration: 'PT3H', region: 'us-east-1' });
    expect(target.ResourceTags).toEqual(TAGS);
    const swap = statementFor(experimentStatements(json, 'routes-tagged'), ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation', 'ec2:DisassociateRouteTable']);
    expect(resources(swap)).toEqual([`${EC2}subnet/*`]);
    expect(swap.Condition).toEqual(CONDITION);
  });

  test('transit gateways: aws:network:transit-gateway-disrupt-cross-region-connectivity (TransitGateways: aws:ec2:transit-gateway); the role re-associates attachments', () => {
    const { name, action, target } = onlyFault(json, 'tgw');
    expect(name).toBe('transit-gateway-disrupt-cross-region-connectivity');
    expect(action.Parameters).toEqual({ duration: 'PT10M', region: 'eu-central-1' });
    expect(action.Targets).toEqual({ TransitGateways: 'transitgateways-1' });
    expect(target.ResourceType).toBe('aws:ec2:transit-gateway');
    expect(target.ResourceArns.map(flat)).toEqual([`${EC2}transit-gateway/${gatewayRef}`]);
    const statements = experimentStatements(json, 'tgw');
    expect(resources(statementFor(statements, ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable']))).toEqual([
      `${EC2}transit-gateway-route-table/*`, `${EC2}transit-gateway-attachment/*`,
    ]);
    expect(resources(statementFor(statements, [
      'ec2:DescribeTransitGatewayAttachments', 'ec2:DescribeTransitGatewayPeeringAttachments', 'ec2:DescribeTransitGateways', 'tag:GetResources',
    ]))).toEqual(['*']);
  });
});

describe('VPC endpoint connectivity', () => {
  let json: TemplateJson;
  let endpointArn: string;

  beforeAll(() => {
    const stack = newStack();
    const { endpoint } = network(stack);
    const checkout = newService(stack);
    checkout.addExperiment('endpoint', { fault: Fault.disruptVpcEndpoint(Targets.vpcEndpoints([endpoint])), duration: TEN_MINUTES });
    checkout.addExperiment('endpoint-tagged', { fault: Fault.disruptVpcEndpoint(Targets.tagged(TAGS, Selection.count(1)), { duration: Duration.minutes(5) }) });
    json = synth(stack);
    endpointArn = `${EC2}vpc-endpoint/<Ref ${logicalId(stack, endpoint)}>`;
  });

  test('aws:network:disrupt-vpc-endpoint on the endpoints (VPCEndpoints: aws:ec2:vpc-endpoint), with a duration', () => {
    const { name, action, target } = onlyFault(json, 'endpoint');
    expect(name).toBe('disrupt-vpc-endpoint');
    expect(action.Parameters).toEqual({ duration: 'PT10M' });
    expect(action.Targets).toEqual({ VPCEndpoints: 'vpcendpoints-1' });
    expect(target.ResourceType).toBe('aws:ec2:vpc-endpoint');
    expect(target.ResourceArns.map(flat)).toEqual([endpointArn]);
  });

  test('the role creates and removes only security groups FIS tags, and modifies these endpoints only', () => {
    const sg = `${EC2}security-group/*`;
    expect(grants(experimentStatements(json, 'endpoint'))).toEqual(expect.arrayContaining([
      { actions: ['ec2:CreateSecurityGroup'], resources: [sg], condition: CREATED },
      { actions: ['ec2:CreateSecurityGroup'], resources: [`${EC2}vpc/*`], condition: undefined },
      { actions: ['ec2:CreateTags'], resources: [sg], condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', 'aws:RequestTag/managedByFIS': 'true' } } },
      { actions: ['ec2:DeleteSecurityGroup', 'ec2:RevokeSecurityGroupEgress'], resources: [sg], condition: OWNED },
      { actions: ['ec2:ModifyVpcEndpoint'], resources: [sg], condition: undefined },
      { actions: ['ec2:ModifyVpcEndpoint'], resources: [endpointArn], condition: undefined },
      { actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEndpoints', 'tag:GetResources'], resources: ['*'], condition: undefined },
    ]));
  });

  test('endpoints chosen by tags: only endpoints carrying the tags can be modified', () => {
    const statements = experimentStatements(json, 'endpoint-tagged').filter((s) => resources(s).some((r) => r.includes('vpc-endpoint/')));
    expect(grants(statements)).toEqual([{ actions: ['ec2:ModifyVpcEndpoint'], resources: [`${EC2}vpc-endpoint/*`], condition: CONDITION }]);
  });
});

describe('validation of the connectivity faults', () => {
  function experiment(props: (w: ReturnType<typeof network>) => Partial<ExperimentProps>) {
    return () => {
      const stack = newStack();
      const w = network(stack);
      newService(stack).addExperiment('x', { duration: TEN_MINUTES, ...props(w) } as ExperimentProps);
    };
  }
  const problem = (prop: string, message: string) => `${WHERE}: ${prop}: ${message}`;

  test('cross-Region: a missing region; the stack\'s own region', () => {
    expect(experiment((w) => ({ fault: Fault.routeTableDisruptCrossRegion(Targets.subnets(w.vpc.isolatedSubnets), {} as never) }))).toThrow(
      problem('fault (routeTableDisruptCrossRegion).region', 'is required: the code of the region to isolate, such as \'us-east-1\', got undefined'));
    expect(experiment((w) => ({ fault: Fault.transitGatewayDisruptCrossRegion(Targets.transitGateways([w.gateway]), { region: 'eu-west-1' }) }))).toThrow(
      problem('fault (transitGatewayDisruptCrossRegion).region', 'must be another region than the stack\'s own eu-west-1: FIS blocks traffic from the experiment\'s region to it'));
  });

  test('transit gateways: subnets instead', () => {
    expect(experiment((w) => ({ fault: Fault.transitGatewayDisruptCrossRegion(Targets.subnets(w.vpc.isolatedSubnets), { region: 'us-east-1' }) }))).toThrow(
      problem('fault (transitGatewayDisruptCrossRegion).target',
        'must be Targets.transitGateways([...]), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.subnets([...])'));
  });

  test('VPC endpoints: an empty list', () => {
    expect(experiment(() => ({ fault: Fault.disruptVpcEndpoint(Targets.vpcEndpoints([])) }))).toThrow(
      problem('fault (disruptVpcEndpoint).target', 'is an empty list: an experiment must name what it hits (pass an interface VPC endpoint, or Targets.tagged(tags, selection))'));
  });
});
