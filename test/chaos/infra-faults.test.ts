/**
 * The infrastructure faults of issue 13, synthesized: EC2 reboot and Spot interruption, EBS I/O
 * pause, ElastiCache AZ power interruption. For each: the action id and exact parameters, its
 * target (key, resource type, ARNs or tags, target parameters, selection) and the role's
 * statements; then one test per validation rule, each error naming path, prop, value and what is
 * allowed. Action ids, parameters, target keys and permissions as the FIS actions reference
 * documents them (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html).
 */
import { Duration, Fn, Size, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { ExperimentProps, Fault, Selection, Targets } from '../../lib';
import {
  experimentStatements, flat, grantedActions, logicalId, newService, newStack, onlyFault, statementFor,
  statementResources as resources, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';
const PREFIX = 'arn:<Partition>:';
const TAGS = { team: 'payments' };
const CONDITION = { StringEquals: { 'aws:ResourceTag/team': 'payments' } };

/** A stack with an instance, an Auto Scaling group, a volume and a replication group (declared only). */
function infrastructure(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const machine = { instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
  const instance = new ec2.Instance(stack, 'Bastion', { vpc, ...machine });
  const fleet = new autoscaling.AutoScalingGroup(stack, 'SpotFleet', { vpc, ...machine, spotPrice: '0.01', minCapacity: 2 });
  const volume = new ec2.Volume(stack, 'Data', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(10) });
  const cache = new elasticache.CfnReplicationGroup(stack, 'Sessions', {
    replicationGroupDescription: 'sessions', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2,
    multiAzEnabled: true, automaticFailoverEnabled: true,
  });
  return { instance, fleet, volume, cache };
}

describe('EC2 reboot and Spot interruption', () => {
  let json: TemplateJson;
  let instanceArn: string;
  let fleetRef: string;

  beforeAll(() => {
    const stack = newStack();
    const { instance, fleet } = infrastructure(stack);
    const checkout = newService(stack);
    checkout.addExperiment('reboot', { fault: Fault.ec2RebootInstances(Targets.instances([instance])) });
    checkout.addExperiment('reboot-fleet', { fault: Fault.ec2RebootInstances(Targets.autoScalingGroup(fleet, Selection.count(1))) });
    checkout.addExperiment('spot', { fault: Fault.ec2SpotInterruption(Targets.autoScalingGroup(fleet, Selection.percent(50)), { durationBeforeInterruption: Duration.minutes(5) }) });
    checkout.addExperiment('spot-default', { fault: Fault.ec2SpotInterruption(Targets.instances([instance])) });
    checkout.addExperiment('spot-tagged', { fault: Fault.ec2SpotInterruption(Targets.tagged(TAGS, Selection.count(1))) });
    json = synth(stack);
    instanceArn = `${PREFIX}ec2:eu-west-1:111111111111:instance/<Ref ${logicalId(stack, instance)}>`;
    fleetRef = `<Ref ${logicalId(stack, fleet)}>`;
  });

  test('reboot an instance: aws:ec2:reboot-instances on its ARN, no parameters', () => {
    const { name, action, target } = onlyFault(json, 'reboot');
    expect(name).toBe('reboot-instances');
    expect(action.ActionId).toBe('aws:ec2:reboot-instances');
    expect(action.Parameters).toBeUndefined();
    expect(action.Targets).toEqual({ Instances: 'instances-1' });
    expect(target.ResourceType).toBe('aws:ec2:instance');
    expect(target.ResourceArns.map(flat)).toEqual([instanceArn]);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('reboot an instance: the role reboots that instance only', () => {
    const statements = experimentStatements(json, 'reboot');
    expect(resources(statementFor(statements, ['ec2:RebootInstances']))).toEqual([instanceArn]);
    expect(resources(statementFor(statements, ['ec2:DescribeInstances']))).toEqual(['*']);
    expect(grantedActions(statements)).not.toContain('kms:CreateGrant');
  });

  test('reboot instances of an Auto Scaling group: running ones carrying its name tag, and only those may be rebooted', () => {
    const { target } = onlyFault(json, 'reboot-fleet');
    expect(Object.fromEntries(Object.entries(target.ResourceTags).map(([k, v]) => [k, flat(v)]))).toEqual({ 'aws:autoscaling:groupName': fleetRef });
    expect(target.Filters).toEqual([{ Path: 'State.Name', Values: ['running'] }]);
    expect(target.SelectionMode).toBe('COUNT(1)');
    const s = statementFor(experimentStatements(json, 'reboot-fleet'), ['ec2:RebootInstances']);
    expect(resources(s)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:instance/*`]);
    expect(flat((s.Condition as any).StringEquals['aws:ResourceTag/aws:autoscaling:groupName'])).toBe(fleetRef);
  });

  test('Spot interruption: aws:ec2:send-spot-instance-interruptions on aws:ec2:spot-instance targets, with durationBeforeInterruption', () => {
    const { name, action, target } = onlyFault(json, 'spot');
    expect(name).toBe('send-spot-instance-interruptions');
    expect(action.ActionId).toBe('aws:ec2:send-spot-instance-interruptions');
    expect(action.Parameters).toEqual({ durationBeforeInterruption: 'PT5M' });
    expect(action.Targets).toEqual({ SpotInstances: 'spotinstances-1' });
    expect(target.ResourceType).toBe('aws:ec2:spot-instance');
    expect(target.SelectionMode).toBe('PERCENT(50)');
    expect(target.Filters).toEqual([{ Path: 'State.Name', Values: ['running'] }]);
    const s = statementFor(experimentStatements(json, 'spot'), ['ec2:SendSpotInstanceInterruptions']);
    expect(resources(s)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:instance/*`]);
    expect(flat((s.Condition as any).StringEquals['aws:ResourceTag/aws:autoscaling:groupName'])).toBe(fleetRef);
  });

  test('Spot interruption: two minutes of notice by default, as EC2 gives; the instance by ARN', () => {
    const { action, target } = onlyFault(json, 'spot-default');
    expect(action.Parameters).toEqual({ durationBeforeInterruption: 'PT2M' });
    expect(target.ResourceArns.map(flat)).toEqual([instanceArn]);
    expect(resources(statementFor(experimentStatements(json, 'spot-default'), ['ec2:SendSpotInstanceInterruptions']))).toEqual([instanceArn]);
  });

  test('Spot Instances chosen by tags: only instances carrying the tags can be interrupted', () => {
    const { target } = onlyFault(json, 'spot-tagged');
    expect(target.ResourceTags).toEqual(TAGS);
    const s = statementFor(experimentStatements(json, 'spot-tagged'), ['ec2:SendSpotInstanceInterruptions']);
    expect(resources(s)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:instance/*`]);
    expect(s.Condition).toEqual(CONDITION);
  });
});

describe('EBS and ElastiCache', () => {
  let json: TemplateJson;
  let volumeArn: string;
  let cacheArn: string;

  beforeAll(() => {
    const stack = newStack();
    const { volume, cache } = infrastructure(stack);
    const checkout = newService(stack);
    checkout.addExperiment('ebs', { fault: Fault.ebsPauseVolumeIo(Targets.volumes([volume]), { duration: Duration.minutes(3) }) });
    checkout.addExperiment('ebs-tagged', { fault: Fault.ebsPauseVolumeIo(Targets.tagged(TAGS, Selection.count(1))), duration: TEN_MINUTES });
    checkout.addExperiment('cache', { fault: Fault.elastiCacheAzPowerInterruption(Targets.replicationGroups([cache]), { availabilityZone: 'eu-west-1a' }), duration: TEN_MINUTES });
    checkout.addExperiment('cache-tagged', {
      fault: Fault.elastiCacheAzPowerInterruption(Targets.tagged(TAGS, Selection.all()), { availabilityZone: 'euw1-az2', duration: Duration.minutes(15) }),
    });
    json = synth(stack);
    volumeArn = `${PREFIX}ec2:eu-west-1:111111111111:volume/<Ref ${logicalId(stack, volume)}>`;
    cacheArn = `${PREFIX}elasticache:eu-west-1:111111111111:replicationgroup:<Ref ${stack.getLogicalId(cache)}>`;
  });

  test('EBS pause: aws:ebs:pause-volume-io on aws:ec2:ebs-volume targets, with a duration', () => {
    const { name, action, target } = onlyFault(json, 'ebs');
    expect(name).toBe('pause-volume-io');
    expect(action.ActionId).toBe('aws:ebs:pause-volume-io');
    expect(action.Parameters).toEqual({ duration: 'PT3M' });
    expect(action.Targets).toEqual({ Volumes: 'volumes-1' });
    expect(target.ResourceType).toBe('aws:ec2:ebs-volume');
    expect(target.ResourceArns.map(flat)).toEqual([volumeArn]);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('EBS pause: the role pauses that volume only; describing volumes and tags on *', () => {
    const statements = experimentStatements(json, 'ebs');
    expect(resources(statementFor(statements, ['ec2:PauseVolumeIO']))).toEqual([volumeArn]);
    expect(grantedActions(statements)).toEqual(expect.arrayContaining(['ec2:DescribeVolumes', 'tag:GetResources']));
    const describe = statements.find((s) => [s.Action].flat().includes('ec2:DescribeVolumes'))!;
    expect(resources(describe)).toEqual(['*']);
  });

  test('EBS volumes chosen by tags: the experiment\'s duration, and only volumes carrying the tags can be paused', () => {
    const { action, target } = onlyFault(json, 'ebs-tagged');
    expect(action.Parameters).toEqual({ duration: 'PT10M' });
    expect(target.ResourceTags).toEqual(TAGS);
    const s = statementFor(experimentStatements(json, 'ebs-tagged'), ['ec2:PauseVolumeIO']);
    expect(resources(s)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:volume/*`]);
    expect(s.Condition).toEqual(CONDITION);
  });

  test('ElastiCache AZ power: aws:elasticache:replicationgroup-interrupt-az-power, the zone as the target\'s availabilityZoneIdentifier', () => {
    const { name, action, target } = onlyFault(json, 'cache');
    expect(name).toBe('replicationgroup-interrupt-az-power');
    expect(action.ActionId).toBe('aws:elasticache:replicationgroup-interrupt-az-power');
    expect(action.Parameters).toEqual({ duration: 'PT10M' });
    expect(action.Targets).toEqual({ ReplicationGroups: 'replicationgroups-1' });
    expect(target.ResourceType).toBe('aws:elasticache:replicationgroup');
    expect(target.ResourceArns.map(flat)).toEqual([cacheArn]);
    expect(target.Parameters).toEqual({ availabilityZoneIdentifier: 'eu-west-1a' });
    expect(target.SelectionMode).toBe('ALL');
  });

  test('ElastiCache AZ power: the role interrupts that group only; describing groups and tags on *', () => {
    const statements = experimentStatements(json, 'cache');
    expect(resources(statementFor(statements, ['elasticache:InterruptClusterAzPower']))).toEqual([cacheArn]);
    expect(grantedActions(statements)).toEqual(expect.arrayContaining(['elasticache:DescribeReplicationGroups', 'tag:GetResources']));
  });

  test('ElastiCache groups chosen by tags, a zone id: only groups carrying the tags can be interrupted', () => {
    const { action, target } = onlyFault(json, 'cache-tagged');
    expect(action.Parameters).toEqual({ duration: 'PT15M' });
    expect(target.ResourceTags).toEqual(TAGS);
    expect(target.Parameters).toEqual({ availabilityZoneIdentifier: 'euw1-az2' });
    const s = statementFor(experimentStatements(json, 'cache-tagged'), ['elasticache:InterruptClusterAzPower']);
    expect(resources(s)).toEqual([`${PREFIX}elasticache:eu-west-1:111111111111:replicationgroup:*`]);
    expect(s.Condition).toEqual(CONDITION);
  });
});

describe('validation of the infrastructure faults', () => {
  /** `() => addExperiment('x', ...)` on a fresh stack with the infrastructure. */
  function experiment(props: (w: ReturnType<typeof infrastructure>) => Partial<ExperimentProps>) {
    return () => {
      const stack = newStack();
      const w = infrastructure(stack);
      newService(stack).addExperiment('x', props(w) as ExperimentProps);
    };
  }
  const problem = (prop: string, message: string) => `${WHERE}: ${prop}: ${message}`;

  test('reboot: a target of another kind names the builders it takes', () => {
    expect(experiment((w) => ({ fault: Fault.ec2RebootInstances(Targets.volumes([w.volume])) }))).toThrow(problem('fault (ec2RebootInstances).target',
      'must be Targets.instances([...]), Targets.autoScalingGroup(group, selection), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.volumes([...])'));
  });

  test('Spot interruption: a notice shorter than 2 minutes', () => {
    expect(experiment((w) => ({ fault: Fault.ec2SpotInterruption(Targets.instances([w.instance]), { durationBeforeInterruption: Duration.minutes(1) }) }))).toThrow(
      problem('fault (ec2SpotInterruption).durationBeforeInterruption', 'must be a Duration between 2 min and 15 min, got 1 min'));
  });

  test('Spot interruption: a notice longer than 15 minutes', () => {
    expect(experiment((w) => ({ fault: Fault.ec2SpotInterruption(Targets.instances([w.instance]), { durationBeforeInterruption: Duration.minutes(16) }) }))).toThrow(
      problem('fault (ec2SpotInterruption).durationBeforeInterruption', 'must be a Duration between 2 min and 15 min, got 16 min'));
  });

  test('Spot interruption: an Auto Scaling group without a selection', () => {
    expect(experiment((w) => ({ fault: Fault.ec2SpotInterruption(Targets.autoScalingGroup(w.fleet, undefined as never)) }))).toThrow(
      /fault \(ec2SpotInterruption\)\.target\.selection: is required for an Auto Scaling group/);
  });

  test('EBS pause: from one second, as FIS allows (not the one minute of other faults); not less', () => {
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes([w.volume]), { duration: Duration.seconds(30) }), duration: TEN_MINUTES }))).not.toThrow();
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes([w.volume]), { duration: Duration.millis(500) }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ebsPauseVolumeIo).duration', 'must be a whole number of seconds (a Duration between 1 s and 12 h), got 0.5 s'));
  });

  test('EBS pause: no duration from the fault nor the experiment', () => {
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes([w.volume])) }))).toThrow(
      problem('fault (ebsPauseVolumeIo).duration', 'is required: give the fault a duration, or the experiment a duration (e.g. Duration.minutes(10))'));
  });

  test('EBS pause: something that is not a volume', () => {
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes([w.instance as never]), { duration: TEN_MINUTES }) }))).toThrow(
      /fault \(ebsPauseVolumeIo\)\.target: must be an EBS volume or Targets\.arns\(\)\/Targets\.tagged\(\), got /);
  });

  test('EBS pause and latency: volumes of two zones known at synth are refused (FIS acts on one zone\'s volumes); a zone that is a token passes', () => {
    const volumes = (stack: Stack, zones: string[]) => zones.map((zone, i) => new ec2.Volume(stack, `Disk${i}`, { availabilityZone: zone, size: Size.gibibytes(1) }));
    const message = (fault: string) => problem(`fault (${fault}).target`,
      'must be volumes of one Availability Zone (FIS acts on the volumes of one zone per action), got Shop/Disk0 in eu-west-1a, Shop/Disk1 in eu-west-1b: give one fault per zone (Fault.parallel)');
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes(volumes(Stack.of(w.volume), ['eu-west-1a', 'eu-west-1b']))), duration: TEN_MINUTES })))
      .toThrow(message('ebsPauseVolumeIo'));
    expect(experiment((w) => ({ fault: Fault.ebsVolumeIoLatency(Targets.volumes(volumes(Stack.of(w.volume), ['eu-west-1a', 'eu-west-1b']))), duration: TEN_MINUTES })))
      .toThrow(message('ebsVolumeIoLatency'));
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes(volumes(Stack.of(w.volume), ['eu-west-1a', 'eu-west-1a']))), duration: TEN_MINUTES }))).not.toThrow();
    expect(experiment((w) => ({ fault: Fault.ebsPauseVolumeIo(Targets.volumes(volumes(Stack.of(w.volume), ['eu-west-1a', Fn.select(1, Fn.getAzs())]))), duration: TEN_MINUTES })))
      .not.toThrow();
  });

  test('ElastiCache AZ power: no availability zone', () => {
    expect(experiment((w) => ({ fault: Fault.elastiCacheAzPowerInterruption(Targets.replicationGroups([w.cache]), {} as never), duration: TEN_MINUTES }))).toThrow(
      problem('fault (elastiCacheAzPowerInterruption).availabilityZone', 'is required: an availability zone name (e.g. eu-west-1a) or id (e.g. use1-az1), got undefined'));
  });

  test('ElastiCache AZ power: a zone that is neither a name nor an id', () => {
    expect(experiment((w) => ({ fault: Fault.elastiCacheAzPowerInterruption(Targets.replicationGroups([w.cache]), { availabilityZone: 'zone a' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (elastiCacheAzPowerInterruption).availabilityZone', 'is required: an availability zone name (e.g. eu-west-1a) or id (e.g. use1-az1), got "zone a"'));
  });

  test('ElastiCache AZ power: a zone of another region', () => {
    expect(experiment((w) => ({ fault: Fault.elastiCacheAzPowerInterruption(Targets.replicationGroups([w.cache]), { availabilityZone: 'us-east-1a' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (elastiCacheAzPowerInterruption).availabilityZone', 'must be a zone of the stack\'s region eu-west-1 (FIS interrupts the zone in the experiment\'s region), got \'us-east-1a\''));
  });

  test('ElastiCache AZ power: a construct that is not a replication group', () => {
    expect(experiment((w) => ({ fault: Fault.elastiCacheAzPowerInterruption(Targets.replicationGroups([w.volume as never]), { availabilityZone: 'eu-west-1a' }), duration: TEN_MINUTES }))).toThrow(
      /fault \(elastiCacheAzPowerInterruption\)\.target: must be an ElastiCache replication group \(elasticache\.CfnReplicationGroup\) or Targets\.arns\(\)\/Targets\.tagged\(\), got /);
  });
});
