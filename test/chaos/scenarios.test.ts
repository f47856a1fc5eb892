/**
 * Scenario.azPowerInterruption, synthesized: the actions FIS's "AZ Availability: Power
 * Interruption" scenario runs for the resources given (instances and Auto Scaling groups stopped
 * and restarted, subnets cut off, cluster failover, cache nodes without power, volumes paused
 * during the recovery), each target narrowed to the zone, the StartAfter order, the role's
 * statements; then the validation rules, each error naming the path, the prop, the value and
 * what is allowed.
 */
import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EmptyTargets, Scenario, Selection, Targets } from '../../lib';
import { experimentStatements, experimentTemplate, faultActions, flat, grantedActions, newService, newStack, statementFor, synth, TemplateJson } from './helpers';

const ZONE = 'eu-west-1a';
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** A VPC over three zones, an Auto Scaling group, an instance, a volume, an Aurora cluster and a replication group. */
function zonalService(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, availabilityZones: ZONES, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const machine = { instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
  const fleet = new autoscaling.AutoScalingGroup(stack, 'Fleet', { vpc, ...machine, minCapacity: 3 });
  const bastion = new ec2.Instance(stack, 'Bastion', { vpc, ...machine });
  const volume = new ec2.Volume(stack, 'Data', { availabilityZone: ZONE, size: Size.gibibytes(10) });
  const database = new rds.DatabaseCluster(stack, 'Orders', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('writer'), readers: [rds.ClusterInstance.provisioned('reader')], vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  });
  const cache = new elasticache.CfnReplicationGroup(stack, 'Sessions', {
    replicationGroupDescription: 'sessions', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2,
    multiAzEnabled: true, automaticFailoverEnabled: true,
  });
  return { vpc, fleet, bastion, volume, database, cache };
}

describe('Scenario.azPowerInterruption across every kind of resource', () => {
  let json: TemplateJson;
  let props: Record<string, any>;
  let expectedSeconds: number;

  beforeAll(() => {
    const stack = newStack();
    const { vpc, fleet, bastion, volume, database, cache } = zonalService(stack);
    ({ expectedSeconds } = newService(stack).addExperiment('az-power', {
      fault: Scenario.azPowerInterruption({
        availabilityZone: ZONE,
        instances: [Targets.autoScalingGroup(fleet, Selection.all()), Targets.instances([bastion])],
        subnets: Targets.subnets(vpc.isolatedSubnets),
        volumes: Targets.volumes([volume]),
        dbClusters: Targets.dbClusters([database]),
        replicationGroups: Targets.replicationGroups([cache]),
      }),
      emptyTargets: EmptyTargets.SKIP,
    }));
    json = synth(stack);
    props = experimentTemplate(json, 'az-power').props;
  });

  test('runs the scenario\'s actions: instances stopped and restarted after 30 minutes, subnets cut off for FIS\'s 2 minutes, failover, cache power off, volumes paused', () => {
    const actions = faultActions(props);
    expect(Object.fromEntries(Object.entries(actions).map(([name, a]) => [name, [a.ActionId, a.Parameters ?? {}]]))).toEqual({
      'stop-instances': ['aws:ec2:stop-instances', { startInstancesAfterDuration: 'PT30M', completeIfInstancesTerminated: 'true' }],
      'stop-instances-2': ['aws:ec2:stop-instances', { startInstancesAfterDuration: 'PT30M', completeIfInstancesTerminated: 'true' }],
      'pause-volume-io': ['aws:ebs:pause-volume-io', { duration: 'PT30M' }],
      'disrupt-connectivity': ['aws:network:disrupt-connectivity', { duration: 'PT2M', scope: 'all' }],
      'failover-db-cluster': ['aws:rds:failover-db-cluster', {}],
      'replicationgroup-interrupt-az-power': ['aws:elasticache:replicationgroup-interrupt-az-power', { duration: 'PT30M' }],
    });
  });

  test('power off runs side by side after the steady-state check; the volumes hang once the instances are back (the recovery)', () => {
    const startAfter = Object.fromEntries(Object.entries(faultActions(props)).map(([name, a]) => [name, a.StartAfter]));
    expect(startAfter).toEqual({
      'stop-instances': ['steady-state'],
      'stop-instances-2': ['steady-state'],
      'pause-volume-io': ['stop-instances', 'stop-instances-2'],
      'disrupt-connectivity': ['steady-state'],
      'failover-db-cluster': ['steady-state'],
      'replicationgroup-interrupt-az-power': ['steady-state'],
    });
    // the settle wait follows every branch's end
    expect([...props.Actions.settle.StartAfter].sort()).toEqual(['disrupt-connectivity', 'failover-db-cluster', 'pause-volume-io', 'replicationgroup-interrupt-az-power']);
  });

  test('instances, subnets and volumes are narrowed to the zone by FIS filters; the cache and the cluster writers by their zone parameters', () => {
    const target = (action: string) => props.Targets[Object.values(faultActions(props)[action].Targets)[0] as string];
    expect(target('stop-instances').Filters).toEqual([{ Path: 'State.Name', Values: ['running'] }, { Path: 'Placement.AvailabilityZone', Values: [ZONE] }]);
    expect(target('stop-instances').SelectionMode).toBe('ALL');
    expect(target('stop-instances-2').Filters).toEqual([{ Path: 'Placement.AvailabilityZone', Values: [ZONE] }]);
    expect(target('disrupt-connectivity').Filters).toEqual([{ Path: 'AvailabilityZone', Values: [ZONE] }]);
    expect(target('disrupt-connectivity').ResourceArns).toHaveLength(3);
    expect(target('pause-volume-io').Filters).toEqual([{ Path: 'AvailabilityZone', Values: [ZONE] }]);
    expect(target('replicationgroup-interrupt-az-power').Parameters).toEqual({ availabilityZoneIdentifier: ZONE });
    expect(target('failover-db-cluster').Filters).toBeUndefined();
    // only clusters whose writer is in the zone fail over
    expect(target('failover-db-cluster').Parameters).toEqual({ writerAvailabilityZoneIdentifiers: ZONE });
    expect(props.ExperimentOptions.EmptyTargetResolutionMode).toBe('skip');
  });

  test('the role holds what each action needs, no more', () => {
    const statements = experimentStatements(json, 'az-power');
    expect(grantedActions(statements)).toEqual(expect.arrayContaining([
      'ec2:StopInstances', 'ec2:StartInstances', 'ec2:PauseVolumeIO', 'ec2:CreateNetworkAcl', 'rds:FailoverDBCluster',
      'elasticache:InterruptClusterAzPower',
    ]));
    // the group's instances by its name tag, the bastion by its ARN: nothing else may be stopped
    const stops = statements.filter((st) => JSON.stringify(st.Action) === JSON.stringify(['ec2:StopInstances', 'ec2:StartInstances']));
    expect(stops.map((st) => [flat(st.Resource), st.Condition ? Object.keys((st.Condition as any).StringEquals) : []])).toEqual([
      ['arn:<Partition>:ec2:eu-west-1:111111111111:instance/*', ['aws:ResourceTag/aws:autoscaling:groupName']],
      [expect.stringMatching(/^arn:<Partition>:ec2:eu-west-1:111111111111:instance\/<Ref Bastion/), []],
    ]);
    expect(flat(statementFor(statements, ['rds:FailoverDBCluster']).Resource)).toMatch(/^arn:<Partition>:rds:eu-west-1:111111111111:cluster:<Ref Orders/);
    expect(grantedActions(statements)).not.toContain('ec2:TerminateInstances');
  });

  test('the experiment runs 30 minutes of interruption, 30 of recovery, then the 5-minute settle before the recovery check', () => {
    expect(expectedSeconds).toBe((30 + 30 + 5) * 60);
  });
});

describe('Scenario.azPowerInterruption for a few resources', () => {
  test('subnets only: one disrupt-connectivity action, for the networkDuration given (here the whole interruption)', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    newService(stack).addExperiment('az', {
      fault: Scenario.azPowerInterruption({ availabilityZone: 'eu-west-1b', duration: Duration.minutes(10), networkDuration: Duration.minutes(10), subnets: Targets.subnets(vpc.publicSubnets) }),
    });
    const actions = faultActions(experimentTemplate(synth(stack), 'az').props);
    expect(Object.entries(actions).map(([name, a]) => [name, a.ActionId, a.Parameters, a.StartAfter])).toEqual([
      ['disrupt-connectivity', 'aws:network:disrupt-connectivity', { duration: 'PT10M', scope: 'all' }, ['steady-state']],
    ]);
  });

  test('subnets are cut for FIS\'s 2 minutes by default, or for the whole interruption when it is shorter', () => {
    const networkOf = (duration?: Duration) => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
      newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption({ availabilityZone: 'eu-west-1b', duration, subnets: Targets.subnets(vpc.publicSubnets) }) });
      return faultActions(experimentTemplate(synth(stack), 'az').props)['disrupt-connectivity'].Parameters;
    };
    expect(networkOf()).toEqual({ duration: 'PT2M', scope: 'all' });
    expect(networkOf(Duration.minutes(10))).toEqual({ duration: 'PT2M', scope: 'all' });
    expect(networkOf(Duration.minutes(1))).toEqual({ duration: 'PT1M', scope: 'all' });
  });

  test('volumes without instances: a wait for the interruption, then the pause', () => {
    const stack = newStack();
    const volume = new ec2.Volume(stack, 'Data', { availabilityZone: ZONE, size: Size.gibibytes(10) });
    newService(stack).addExperiment('az', {
      fault: Scenario.azPowerInterruption({ availabilityZone: ZONE, duration: Duration.minutes(5), recoveryDuration: Duration.minutes(15), volumes: Targets.volumes([volume]) }),
    });
    const actions = faultActions(experimentTemplate(synth(stack), 'az').props);
    expect(Object.entries(actions).map(([name, a]) => [name, a.ActionId, a.Parameters, a.StartAfter])).toEqual([
      ['wait', 'aws:fis:wait', { duration: 'PT5M' }, ['steady-state']],
      ['pause-volume-io', 'aws:ebs:pause-volume-io', { duration: 'PT15M' }, ['wait']],
    ]);
  });

  test('volumes in several zones: only the zone\'s are paused (FIS pauses one zone\'s volumes per action), still narrowed by the zone filter', () => {
    const stack = newStack();
    const here = new ec2.Volume(stack, 'Here', { availabilityZone: ZONE, size: Size.gibibytes(10) });
    const there = new ec2.Volume(stack, 'There', { availabilityZone: 'eu-west-1b', size: Size.gibibytes(10) });
    newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption({ availabilityZone: ZONE, volumes: Targets.volumes([here, there]) }) });
    const props = experimentTemplate(synth(stack), 'az').props;
    const target = props.Targets[faultActions(props)['pause-volume-io'].Targets.Volumes];
    expect(target.ResourceArns.map(flat)).toEqual([`arn:<Partition>:ec2:eu-west-1:111111111111:volume/<Ref ${stack.getLogicalId(here.node.defaultChild as never)}>`]);
    expect(target.Filters).toEqual([{ Path: 'AvailabilityZone', Values: [ZONE] }]);
  });

  test('a zone known at deploy time only and volumes of two zones: all go by ARN, and FIS\'s zone filter narrows them (no one-zone refusal)', () => {
    const stack = newStack();
    const zone = new ec2.CfnSubnet(stack, 'Probe', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24' }).attrAvailabilityZone;
    const here = new ec2.Volume(stack, 'Here', { availabilityZone: ZONE, size: Size.gibibytes(10) });
    const there = new ec2.Volume(stack, 'There', { availabilityZone: 'eu-west-1b', size: Size.gibibytes(10) });
    newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption({ availabilityZone: zone, volumes: Targets.volumes([here, there]) }) });
    const props = experimentTemplate(synth(stack), 'az').props;
    const target = props.Targets[faultActions(props)['pause-volume-io'].Targets.Volumes];
    expect(target.ResourceArns).toHaveLength(2);
    expect(target.Filters).toEqual([{ Path: 'AvailabilityZone', Values: [{ 'Fn::GetAtt': ['Probe', 'AvailabilityZone'] }] }]);
  });

  test('a load balancer\'s zonal shift: ARC moves its traffic away from the zone for the interruption, alongside the power off', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, availabilityZones: ZONES });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    newService(stack).addExperiment('az', {
      fault: Scenario.azPowerInterruption({ availabilityZone: ZONE, duration: Duration.minutes(20), subnets: Targets.subnets(vpc.isolatedSubnets), zonalShift: Targets.loadBalancers([alb]) }),
    });
    const actions = faultActions(experimentTemplate(synth(stack), 'az').props);
    expect(Object.entries(actions).map(([name, a]) => [name, a.ActionId, a.Parameters, a.StartAfter])).toEqual([
      ['disrupt-connectivity', 'aws:network:disrupt-connectivity', { duration: 'PT2M', scope: 'all' }, ['steady-state']],
      ['start-zonal-autoshift', 'aws:arc:start-zonal-autoshift', { duration: 'PT20M', availabilityZoneIdentifier: ZONE, zonalAutoshiftStatus: 'ANY' }, ['steady-state']],
    ]);
  });

  test('a zone given as a token (the VPC\'s first zone of an environment-agnostic stack) is taken as it is', () => {
    const stack = new Stack(undefined, 'Agnostic');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption({ availabilityZone: vpc.availabilityZones[0], subnets: Targets.subnets(vpc.publicSubnets) }) });
    const target = Object.values(experimentTemplate(synth(stack), 'az').props.Targets)[0] as any;
    expect(target.Filters[0].Values[0]).toHaveProperty('Fn::Select');
  });
});

describe('Scenario.azPowerInterruption with no capacity left in the zone, as FIS\'s scenario', () => {
  let json: TemplateJson;
  let props: Record<string, any>;
  let stack: Stack;
  let launcher: iam.Role;

  beforeAll(() => {
    stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, availabilityZones: ZONES, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const launchTemplate = new ec2.LaunchTemplate(stack, 'FleetTemplate', { instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    const fleet = new autoscaling.AutoScalingGroup(stack, 'Fleet', { vpc, launchTemplate, minCapacity: 3 });
    launcher = new iam.Role(stack, 'Karpenter', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    newService(stack).addExperiment('az-power', {
      fault: Scenario.azPowerInterruption({
        availabilityZone: ZONE,
        instances: [Targets.autoScalingGroup(fleet, Selection.all())],
        autoScalingGroups: Targets.autoScalingGroups([fleet]),
        launchingRoles: Targets.roles([launcher]),
        subnets: Targets.subnets(vpc.isolatedSubnets),
      }),
      emptyTargets: EmptyTargets.SKIP,
    });
    json = synth(stack);
    props = experimentTemplate(json, 'az-power').props;
  });

  test('the groups\' launches and the roles\' RunInstances calls in the zone fail for the whole interruption, beside the power off', () => {
    const actions = faultActions(props);
    expect(Object.fromEntries(Object.entries(actions).map(([name, a]) => [name, [a.ActionId, a.Parameters, a.StartAfter]]))).toEqual({
      'stop-instances': ['aws:ec2:stop-instances', { startInstancesAfterDuration: 'PT30M', completeIfInstancesTerminated: 'true' }, ['steady-state']],
      'asg-insufficient-instance-capacity-error': ['aws:ec2:asg-insufficient-instance-capacity-error',
        { duration: 'PT30M', availabilityZoneIdentifiers: ZONE, percentage: '100' }, ['steady-state']],
      'api-insufficient-instance-capacity-error': ['aws:ec2:api-insufficient-instance-capacity-error',
        { duration: 'PT30M', availabilityZoneIdentifiers: ZONE, percentage: '100' }, ['steady-state']],
      'disrupt-connectivity': ['aws:network:disrupt-connectivity', { duration: 'PT2M', scope: 'all' }, ['steady-state']],
    });
  });

  test('the zone is the capacity actions\' parameter, not a filter: the group by CloudFormation\'s tags, the role by its ARN alone', () => {
    const target = (action: string) => props.Targets[Object.values(faultActions(props)[action].Targets)[0] as string];
    expect(target('asg-insufficient-instance-capacity-error')).toEqual({
      ResourceType: 'aws:ec2:autoscaling-group', SelectionMode: 'ALL',
      ResourceTags: { 'aws:cloudformation:stack-name': 'Shop', 'aws:cloudformation:logical-id': expect.stringMatching(/^Fleet/) },
    });
    expect(target('api-insufficient-instance-capacity-error')).toEqual({ ResourceType: 'aws:iam:role', SelectionMode: 'ALL', ResourceArns: [{ 'Fn::GetAtt': [expect.stringMatching(/^Karpenter/), 'Arn'] }] });
  });

  test('the role may inject the capacity errors for these two actions only', () => {
    const injects = experimentStatements(json, 'az-power').filter((st) => [st.Action].flat().includes('ec2:InjectApiError'));
    expect(injects.map((st) => (st.Condition as any).StringEquals['ec2:FisActionId']).sort()).toEqual([
      'aws:ec2:api-insufficient-instance-capacity-error', 'aws:ec2:asg-insufficient-instance-capacity-error',
    ]);
    expect(grantedActions(experimentStatements(json, 'az-power'))).toContain('autoscaling:DescribeAutoScalingGroups');
  });
});

describe('Scenario.azPowerInterruption refuses', () => {
  const WHERE = 'Shop/Checkout/Experiment-az';
  const PROP = 'fault (Scenario.azPowerInterruption)';

  function add(options: any) {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const resolved = typeof options === 'function' ? options(vpc) : options;
    return () => newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption(resolved) });
  }

  test('an empty scenario: nothing in the zone to interrupt', () => {
    expect(add({ availabilityZone: ZONE })).toThrow(`${WHERE}: ${PROP}: names nothing in the zone: give at least one of instances, autoScalingGroups, launchingRoles, subnets, volumes, dbClusters, replicationGroups, zonalShift`);
  });

  test('a zone id, a malformed zone, another region\'s zone, no zone', () => {
    const subnets = (vpc: ec2.Vpc) => Targets.subnets(vpc.publicSubnets);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: 'euw1-az1', subnets: subnets(vpc) }))).toThrow(/availabilityZone: must be an availability zone name \(e\.g\. eu-west-1a; zone ids such as use1-az1 are not read by FIS's instance, subnet and volume filters\), got "euw1-az1"/);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: 'eu-west-1', subnets: subnets(vpc) }))).toThrow(/availabilityZone: must be an availability zone name .*got "eu-west-1"/);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: 'us-east-1a', subnets: subnets(vpc) }))).toThrow(`${WHERE}: ${PROP}.availabilityZone: must be a zone of the stack's region eu-west-1 (FIS acts in the experiment's region), got 'us-east-1a'`);
    expect(add((vpc: ec2.Vpc) => ({ subnets: subnets(vpc) }))).toThrow(`${PROP}.availabilityZone: is required: an availability zone name (e.g. eu-west-1a), got undefined`);
  });

  test('durations outside 1 minute to 12 hours, and an interruption and recovery longer than 12 hours together', () => {
    const volumes = (vpc: ec2.Vpc) => Targets.volumes([new ec2.Volume(vpc, 'Data', { availabilityZone: ZONE, size: Size.gibibytes(1) })]);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: ZONE, duration: Duration.seconds(30), volumes: volumes(vpc) })))
      .toThrow(`${PROP}.duration: must be a Duration between 1 min and 12 h, got 30 s`);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: ZONE, recoveryDuration: Duration.hours(13), volumes: volumes(vpc) })))
      .toThrow(`${PROP}.recoveryDuration: must be a Duration between 1 min and 12 h, got 13 h`);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: ZONE, duration: Duration.hours(8), recoveryDuration: Duration.hours(5), volumes: volumes(vpc) })))
      .toThrow(`${PROP}.recoveryDuration: with duration, runs 13 hours; FIS stops experiments after 12 hours`);
  });

  test('a network cut longer than the interruption, launching roles chosen by tags', () => {
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: ZONE, duration: Duration.minutes(10), networkDuration: Duration.minutes(20), subnets: Targets.subnets(vpc.publicSubnets) })))
      .toThrow(`${WHERE}: ${PROP}.networkDuration: must be a Duration between 1 min and 10 min, got 20 min (at most the interruption's duration)`);
    expect(add({ availabilityZone: ZONE, launchingRoles: Targets.tagged({ team: 'payments' }, Selection.all()) }))
      .toThrow(`${WHERE}: ${PROP}.launchingRoles (ec2ApiInsufficientCapacityError).target: must name the roles by ARN (Targets.roles([...]) or Targets.arns([...]) without filters)`);
  });

  test('a network duration without subnets to cut', () => {
    expect(add({ availabilityZone: ZONE, networkDuration: Duration.minutes(2), launchingRoles: Targets.arns(['arn:aws:iam::111111111111:role/launcher']) }))
      .toThrow(`${WHERE}: ${PROP}.networkDuration: is the connectivity cut of the zone's subnets, and no subnets were given: pass subnets, or drop networkDuration`);
  });

  test('volumes none of which is in the zone', () => {
    const stack = newStack();
    const there = new ec2.Volume(stack, 'There', { availabilityZone: 'eu-west-1b', size: Size.gibibytes(10) });
    expect(() => newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption({ availabilityZone: ZONE, volumes: Targets.volumes([there]) }) }))
      .toThrow(`${PROP}.volumes: has no volume in eu-west-1a (the volumes are in eu-west-1b): the pause would hit nothing`);
  });

  test('subnets none of which is in the zone', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, availabilityZones: ZONES });
    const elsewhere = vpc.publicSubnets.filter((s) => s.availabilityZone !== ZONE);
    expect(() => newService(stack).addExperiment('az', { fault: Scenario.azPowerInterruption({ availabilityZone: ZONE, subnets: Targets.subnets(elsewhere) }) }))
      .toThrow(`${PROP}.subnets: has no subnet in eu-west-1a (the subnets are in eu-west-1b, eu-west-1c): the connectivity cut would hit nothing`);
  });

  test('an empty list of instances, and a target of the wrong kind, named with the scenario\'s prop', () => {
    expect(add({ availabilityZone: ZONE, instances: [] })).toThrow(/instances: must be a non-empty list of Targets \(Targets\.instances\(\[\.\.\.\]\), Targets\.autoScalingGroup\(group, selection\), \.\.\.\), got \[\]/);
    expect(add((vpc: ec2.Vpc) => ({ availabilityZone: ZONE, instances: [Targets.subnets(vpc.publicSubnets)] })))
      .toThrow(`${WHERE}: ${PROP}.instances[0] (ec2StopInstances).target: must be Targets.instances([...]), Targets.autoScalingGroup(group, selection), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.subnets([...])`);
  });

  test('all problems at once, in one error', () => {
    expect(add({ availabilityZone: 'nowhere', duration: Duration.seconds(1) })).toThrow(/3 problems:[\s\S]*availabilityZone[\s\S]*duration[\s\S]*names nothing/);
  });
});
