/**
 * The remaining FIS faults of issue 13, synthesized: EBS I/O latency, ARC zonal autoshift, S3
 * replication pause, SSM Automation runbooks. For each: the action id and exact parameters, its
 * target (key, resource type, ARNs or tags, selection) and the role's statements; then one test per
 * validation rule, each error naming path, prop, value and what is allowed. Action ids, parameters,
 * target keys and permissions as the FIS actions reference documents them
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html).
 */
import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ExperimentProps, Fault, Selection, Targets, ZonalAutoshiftStatus, ZonalShiftResourceType,
} from '../../lib';
import {
  experimentStatements, flat, flatCondition, grantedActions, logicalId, newService, newStack, onlyFault, statementFor,
  statementResources as resources, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';
const PREFIX = 'arn:<Partition>:';
const TAGS = { team: 'payments' };
const CONDITION = { StringEquals: { 'aws:ResourceTag/team': 'payments' } };
const ASG_ARN = 'arn:aws:autoscaling:eu-west-1:111111111111:autoScalingGroup:0a1b2c3d-0000-1111-2222-333344445555:autoScalingGroupName/web';

/** A stack with a volume and an internet-facing load balancer. */
function infrastructure(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const volume = new ec2.Volume(stack, 'Data', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(10) });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Web', { vpc, internetFacing: true });
  const runbookRole = new iam.Role(stack, 'RunbookRole', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
  return { volume, alb, runbookRole };
}

describe('EBS I/O latency', () => {
  let json: TemplateJson;
  let volumeArn: string;

  beforeAll(() => {
    const stack = newStack();
    const { volume } = infrastructure(stack);
    const checkout = newService(stack);
    checkout.addExperiment('latency', {
      fault: Fault.ebsVolumeIoLatency(Targets.volumes([volume]), {
        readIoPercentage: 50, readIoLatency: Duration.millis(500), writeIoPercentage: 0.1, writeIoLatency: Duration.seconds(2), duration: Duration.minutes(15),
      }),
    });
    checkout.addExperiment('latency-defaults', { fault: Fault.ebsVolumeIoLatency(Targets.volumes([volume])), duration: TEN_MINUTES });
    checkout.addExperiment('latency-tagged', { fault: Fault.ebsVolumeIoLatency(Targets.tagged(TAGS, Selection.count(1))), duration: TEN_MINUTES });
    json = synth(stack);
    volumeArn = `${PREFIX}ec2:eu-west-1:111111111111:volume/<Ref ${logicalId(stack, volume)}>`;
  });

  test('aws:ebs:volume-io-latency on aws:ec2:ebs-volume targets, with read and write shares and latencies', () => {
    const { name, action, target } = onlyFault(json, 'latency');
    expect(name).toBe('volume-io-latency');
    expect(action.ActionId).toBe('aws:ebs:volume-io-latency');
    expect(action.Parameters).toEqual({
      duration: 'PT15M', readIOPercentage: '50', readIOLatencyMilliseconds: '500', writeIOPercentage: '0.1', writeIOLatencyMilliseconds: '2000',
    });
    expect(action.Targets).toEqual({ Volumes: 'volumes-1' });
    expect(target.ResourceType).toBe('aws:ec2:ebs-volume');
    expect(target.ResourceArns.map(flat)).toEqual([volumeArn]);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('FIS\'s defaults: 100 ms on every read and write, the experiment\'s duration', () => {
    expect(onlyFault(json, 'latency-defaults').action.Parameters).toEqual({
      duration: 'PT10M', readIOPercentage: '100', readIOLatencyMilliseconds: '100', writeIOPercentage: '100', writeIOLatencyMilliseconds: '100',
    });
  });

  test('the role injects latency into that volume only; volumes chosen by tags only when they carry the tags', () => {
    const statements = experimentStatements(json, 'latency');
    expect(resources(statementFor(statements, ['ec2:InjectVolumeIOLatency']))).toEqual([volumeArn]);
    expect(resources(statementFor(statements, ['ec2:DescribeVolumes', 'tag:GetResources']))).toEqual(['*']);
    const tagged = statementFor(experimentStatements(json, 'latency-tagged'), ['ec2:InjectVolumeIOLatency']);
    expect(resources(tagged)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:volume/*`]);
    expect(tagged.Condition).toEqual(CONDITION);
  });
});

describe('ARC zonal autoshift', () => {
  let json: TemplateJson;
  let albArn: string;

  beforeAll(() => {
    const stack = newStack();
    const { alb } = infrastructure(stack);
    const checkout = newService(stack);
    checkout.addExperiment('shift', { fault: Fault.arcStartZonalAutoshift(Targets.loadBalancers([alb]), { availabilityZone: 'eu-west-1a' }), duration: TEN_MINUTES });
    checkout.addExperiment('shift-asg', {
      fault: Fault.arcStartZonalAutoshift(Targets.arns([ASG_ARN]), {
        availabilityZone: 'euw1-az2', managedResourceTypes: [ZonalShiftResourceType.ASG, ZonalShiftResourceType.ALB],
        zonalAutoshiftStatus: ZonalAutoshiftStatus.ANY, duration: Duration.minutes(25),
      }),
    });
    checkout.addExperiment('shift-tagged', { fault: Fault.arcStartZonalAutoshift(Targets.tagged(TAGS, Selection.all()), { availabilityZone: 'eu-west-1b' }), duration: TEN_MINUTES });
    checkout.addExperiment('shift-tagged-any', {
      fault: Fault.arcStartZonalAutoshift(Targets.tagged(TAGS, Selection.all()), { availabilityZone: 'eu-west-1b', zonalAutoshiftStatus: ZonalAutoshiftStatus.ANY }), duration: TEN_MINUTES,
    });
    json = synth(stack);
    albArn = `<Ref ${logicalId(stack, alb)}>`;
  });

  test('aws:arc:start-zonal-autoshift on a load balancer: ManagedResources of aws:arc:zonal-shift-managed-resource, the zone and duration', () => {
    const { name, action, target } = onlyFault(json, 'shift');
    expect(name).toBe('start-zonal-autoshift');
    expect(action.ActionId).toBe('aws:arc:start-zonal-autoshift');
    // a named load balancer is shifted whatever its autoshift setting (FIS's default ENABLED would skip it if off)
    expect(action.Parameters).toEqual({ duration: 'PT10M', availabilityZoneIdentifier: 'eu-west-1a', zonalAutoshiftStatus: 'ANY' });
    expect(action.Targets).toEqual({ ManagedResources: 'managedresources-1' });
    expect(target.ResourceType).toBe('aws:arc:zonal-shift-managed-resource');
    expect(target.ResourceArns.map(flat)).toEqual([albArn]);
  });

  test('an Auto Scaling group by ARN passes the target check (its ARN is of autoscaling, not arc); resource types and status are written when given', () => {
    const { action, target } = onlyFault(json, 'shift-asg');
    expect(action.Parameters).toEqual({ duration: 'PT25M', availabilityZoneIdentifier: 'euw1-az2', managedResourceTypes: 'ASG,ALB', zonalAutoshiftStatus: 'ANY' });
    expect(target.ResourceArns).toEqual([ASG_ARN]);
  });

  /** The StartZonalShift statement: on *, conditioned on the resource identifiers. */
  function startShift(experiment: string): string[] {
    const s = statementFor(experimentStatements(json, experiment), ['arc-zonal-shift:StartZonalShift']);
    expect(resources(s)).toEqual(['*']);
    expect(Object.keys(s.Condition!)).toEqual(['StringLike']);
    const ids = (s.Condition as any).StringLike['arc-zonal-shift:ResourceIdentifier'];
    return (Array.isArray(ids) ? ids : [ids]).map(flat);
  }

  test('the role starts zonal shifts of those resources only (arc-zonal-shift:ResourceIdentifier); renews, ends, reads and lists shifts', () => {
    expect(startShift('shift')).toEqual([albArn]);
    expect(startShift('shift-asg')).toEqual([ASG_ARN]);
    expect(resources(statementFor(experimentStatements(json, 'shift'), ['arc-zonal-shift:UpdateZonalShift', 'arc-zonal-shift:CancelZonalShift']))).toEqual(['*']);
    expect(resources(statementFor(experimentStatements(json, 'shift'), [
      'arc-zonal-shift:GetManagedResource', 'arc-zonal-shift:ListManagedResources', 'autoscaling:DescribeTags', 'tag:GetResources',
    ]))).toEqual(['*']);
  });

  test('managed resources chosen by tags: shifts only of load balancers, Auto Scaling groups and EKS clusters of this account and region', () => {
    const { action, target } = onlyFault(json, 'shift-tagged');
    expect(target.ResourceTags).toEqual(TAGS);
    // chosen by tags: FIS's own status filter (ENABLED) applies
    expect(action.Parameters.zonalAutoshiftStatus).toBeUndefined();
    // asked for explicitly: every tagged resource is shifted, whatever its autoshift setting
    expect(onlyFault(json, 'shift-tagged-any').action.Parameters).toEqual({ duration: 'PT10M', availabilityZoneIdentifier: 'eu-west-1b', zonalAutoshiftStatus: 'ANY' });
    expect(startShift('shift-tagged')).toEqual([
      `${PREFIX}elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/*`, `${PREFIX}elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/*`,
      `${PREFIX}autoscaling:eu-west-1:111111111111:autoScalingGroup:*`, `${PREFIX}eks:eu-west-1:111111111111:cluster/*`,
    ]);
  });
});

describe('S3 replication pause', () => {
  let json: TemplateJson;

  beforeAll(() => {
    const stack = newStack();
    const checkout = newService(stack);
    checkout.addExperiment('pause', { fault: Fault.s3PauseReplication(Targets.tagged(TAGS, Selection.all()), { destinationRegion: 'us-east-1' }), duration: TEN_MINUTES });
    checkout.addExperiment('pause-some', {
      fault: Fault.s3PauseReplication(Targets.tagged(TAGS, Selection.count(1)), {
        destinationRegion: 'eu-central-1', destinationBuckets: ['orders-dr', 'invoices-dr'], prefixes: ['critical/', 'audit/'], duration: Duration.hours(1),
      }),
    });
    json = synth(stack);
  });

  test('aws:s3:bucket-pause-replication on the tagged source buckets (Buckets: aws:s3:bucket), towards a region', () => {
    const { name, action, target } = onlyFault(json, 'pause');
    expect(name).toBe('bucket-pause-replication');
    expect(action.ActionId).toBe('aws:s3:bucket-pause-replication');
    expect(action.Parameters).toEqual({ duration: 'PT10M', region: 'us-east-1' });
    expect(action.Targets).toEqual({ Buckets: 'buckets-1' });
    expect(target.ResourceType).toBe('aws:s3:bucket');
    expect(target.ResourceTags).toEqual(TAGS);
    expect(target.ResourceArns).toBeUndefined();
  });

  test('destination buckets and rule prefixes, comma-separated', () => {
    expect(onlyFault(json, 'pause-some').action.Parameters).toEqual({
      duration: 'PT1H', region: 'eu-central-1', destinationBuckets: 'orders-dr,invoices-dr', prefixes: 'critical/,audit/',
    });
  });

  test('the role pauses replication only towards that region, and touches replication configurations only in FIS\'s pause requests', () => {
    const statements = experimentStatements(json, 'pause');
    const pause = statementFor(statements, ['s3:PauseReplication']);
    expect(resources(pause)).toEqual([`${PREFIX}s3:::*`]);
    expect(pause.Condition).toEqual({ StringEquals: { 's3:DestinationRegion': 'us-east-1' } });
    const configuration = statementFor(statements, ['s3:GetReplicationConfiguration', 's3:PutReplicationConfiguration']);
    expect(resources(configuration)).toEqual([`${PREFIX}s3:::*`]);
    expect(configuration.Condition).toEqual({ BoolIfExists: { 's3:IsReplicationPauseRequest': 'true' } });
    expect(resources(statementFor(statements, ['s3:ListAllMyBuckets', 'tag:GetResources']))).toEqual(['*']);
  });
});

describe('SSM Automation runbooks', () => {
  let json: TemplateJson;
  let roleArn: string;

  beforeAll(() => {
    const stack = newStack();
    const { runbookRole } = infrastructure(stack);
    const checkout = newService(stack);
    checkout.addExperiment('runbook', {
      fault: Fault.ssmStartAutomation({
        document: 'AWS-RestartEC2Instance', documentVersion: '$DEFAULT', parameters: { InstanceId: 'i-0123456789abcdef0' },
        automationAssumeRole: runbookRole, maxDuration: Duration.minutes(20),
      }),
    });
    checkout.addExperiment('runbook-own', { fault: Fault.ssmStartAutomation({ document: 'Drain-Queue' }), duration: TEN_MINUTES });
    json = synth(stack);
    roleArn = `<${logicalId(stack, runbookRole)}.Arn>`;
  });

  test('aws:ssm:start-automation-execution: no target; documentArn, version, parameters with the assumed role, maxDuration', () => {
    const { name, action, key } = onlyFault(json, 'runbook');
    expect(name).toBe('start-automation-execution');
    expect(action.ActionId).toBe('aws:ssm:start-automation-execution');
    expect(key).toBeUndefined();
    expect(Object.fromEntries(Object.entries(action.Parameters).map(([k, v]) => [k, flat(v)]))).toEqual({
      documentArn: `${PREFIX}ssm:eu-west-1::document/AWS-RestartEC2Instance`,
      documentVersion: '$DEFAULT',
      documentParameters: `{"InstanceId":"i-0123456789abcdef0","AutomationAssumeRole":"${roleArn}"}`,
      maxDuration: 'PT20M',
    });
  });

  test('a runbook of this account, the experiment\'s duration as maxDuration, no role to pass', () => {
    expect(Object.fromEntries(Object.entries(onlyFault(json, 'runbook-own').action.Parameters).map(([k, v]) => [k, flat(v)]))).toEqual({
      documentArn: `${PREFIX}ssm:eu-west-1:111111111111:document/Drain-Queue`, maxDuration: 'PT10M',
    });
    expect(grantedActions(experimentStatements(json, 'runbook-own'))).not.toContain('iam:PassRole');
  });

  test('the role starts that runbook only, follows and stops executions, and passes the runbook\'s role to Systems Manager only', () => {
    const statements = experimentStatements(json, 'runbook');
    expect(resources(statementFor(statements, ['ssm:StartAutomationExecution']))).toEqual([
      `${PREFIX}ssm:eu-west-1::document/AWS-RestartEC2Instance`, `${PREFIX}ssm:eu-west-1:111111111111:automation-definition/AWS-RestartEC2Instance:*`,
    ]);
    expect(resources(statementFor(statements, ['ssm:GetAutomationExecution', 'ssm:StopAutomationExecution']))).toEqual([
      `${PREFIX}ssm:eu-west-1:111111111111:automation-execution/*`,
    ]);
    const pass = statementFor(statements, ['iam:PassRole']);
    expect(resources(pass)).toEqual([roleArn]);
    expect(flatCondition(pass.Condition)).toEqual({ StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } });
  });
});

describe('validation of the remaining faults', () => {
  function experiment(props: (w: ReturnType<typeof infrastructure>) => Partial<ExperimentProps>) {
    return () => {
      const stack = newStack();
      const w = infrastructure(stack);
      newService(stack).addExperiment('x', { duration: TEN_MINUTES, ...props(w) } as ExperimentProps);
    };
  }
  const problem = (prop: string, message: string) => `${WHERE}: ${prop}: ${message}`;

  test.each([0.05, 100.5, 2.25])('EBS latency: a read share of %p %%', (share) => {
    expect(experiment((w) => ({ fault: Fault.ebsVolumeIoLatency(Targets.volumes([w.volume]), { readIoPercentage: share }) }))).toThrow(
      problem('fault (ebsVolumeIoLatency).readIoPercentage', `must be a percentage from 0.1 to 100 (at most one decimal), got ${share}`));
  });

  test.each([0, 60_001])('EBS latency: a write latency of %p ms', (ms) => {
    expect(experiment((w) => ({ fault: Fault.ebsVolumeIoLatency(Targets.volumes([w.volume]), { writeIoLatency: Duration.millis(ms) }) }))).toThrow(
      problem('fault (ebsVolumeIoLatency).writeIoLatency', `must be a whole number of milliseconds from 1 to 60000, got ${ms} ms`));
  });

  test('EBS latency: a load balancer instead of volumes', () => {
    expect(experiment((w) => ({ fault: Fault.ebsVolumeIoLatency(Targets.loadBalancers([w.alb])) }))).toThrow(problem('fault (ebsVolumeIoLatency).target',
      'must be Targets.volumes([...]), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.loadBalancers([...])'));
  });

  test('zonal autoshift: a missing zone; a zone of another region', () => {
    expect(experiment((w) => ({ fault: Fault.arcStartZonalAutoshift(Targets.loadBalancers([w.alb]), {} as never) }))).toThrow(
      problem('fault (arcStartZonalAutoshift).availabilityZone', 'is required: an availability zone name (e.g. eu-west-1a) or id (e.g. use1-az1), got undefined'));
    expect(experiment((w) => ({ fault: Fault.arcStartZonalAutoshift(Targets.loadBalancers([w.alb]), { availabilityZone: 'us-east-1a' }) }))).toThrow(
      problem('fault (arcStartZonalAutoshift).availabilityZone', 'must be a zone of the stack\'s region eu-west-1 (FIS acts on the zone in the experiment\'s region), got \'us-east-1a\''));
  });

  test('zonal autoshift: resource types and status outside FIS\'s values', () => {
    expect(experiment((w) => ({ fault: Fault.arcStartZonalAutoshift(Targets.loadBalancers([w.alb]), { availabilityZone: 'eu-west-1a', managedResourceTypes: ['ECS' as never] }) }))).toThrow(
      problem('fault (arcStartZonalAutoshift).managedResourceTypes', 'must be a non-empty list of \'ASG\', \'ALB\', \'NLB\', \'EKS\', got ["ECS"]'));
    expect(experiment((w) => ({ fault: Fault.arcStartZonalAutoshift(Targets.loadBalancers([w.alb]), { availabilityZone: 'eu-west-1a', zonalAutoshiftStatus: 'ON' as never }) }))).toThrow(
      problem('fault (arcStartZonalAutoshift).zonalAutoshiftStatus', 'must be one of \'ENABLED\', \'DISABLED\', \'ANY\', got "ON"'));
  });

  test('zonal autoshift: an ARN of a service ARC does not shift', () => {
    expect(experiment(() => ({ fault: Fault.arcStartZonalAutoshift(Targets.arns(['arn:aws:lambda:eu-west-1:111111111111:function:web']), { availabilityZone: 'eu-west-1a' }) }))).toThrow(
      'target managedresources-1 (aws:arc:zonal-shift-managed-resource) lists ARNs of another service than elasticloadbalancing, autoscaling, eks: arn:aws:lambda:eu-west-1:111111111111:function:web');
  });

  test('S3 pause: buckets by ARN, which FIS does not take', () => {
    expect(experiment(() => ({ fault: Fault.s3PauseReplication(Targets.arns(['arn:aws:s3:::orders']), { destinationRegion: 'us-east-1' }) }))).toThrow(
      problem('fault (s3PauseReplication).target', 'must be Targets.tagged(tags, selection): FIS selects the source buckets of aws:s3:bucket-pause-replication by tags only, got Targets.arns([...])'));
  });

  test('S3 pause: a missing destination region; destination buckets that are not bucket names', () => {
    expect(experiment(() => ({ fault: Fault.s3PauseReplication(Targets.tagged(TAGS, Selection.all()), {} as never) }))).toThrow(
      problem('fault (s3PauseReplication).destinationRegion', 'is required: the code of the destination buckets\' region, such as \'us-east-1\', got undefined'));
    expect(experiment(() => ({ fault: Fault.s3PauseReplication(Targets.tagged(TAGS, Selection.all()), { destinationRegion: 'us-east-1', destinationBuckets: ['Orders_DR'] }) }))).toThrow(
      problem('fault (s3PauseReplication).destinationBuckets', 'must be a non-empty list of bucket names (3-63 lower-case letters, digits, dots and hyphens), got ["Orders_DR"]'));
  });

  test('Automation: a version that is neither a number nor $DEFAULT/$LATEST; a role that is not one', () => {
    expect(experiment(() => ({ fault: Fault.ssmStartAutomation({ document: 'Drain-Queue', documentVersion: 'latest' }) }))).toThrow(
      problem('fault (ssmStartAutomation).documentVersion', 'must be a version number (e.g. \'3\'), \'$DEFAULT\' or \'$LATEST\', got "latest"'));
    expect(experiment(() => ({ fault: Fault.ssmStartAutomation({ document: 'Drain-Queue', automationAssumeRole: 'arn:aws:iam::111111111111:role/x' as never }) }))).toThrow(
      problem('fault (ssmStartAutomation).automationAssumeRole', 'must be an IAM role (iam.Role, iam.Role.fromRoleArn(...)), got "arn:aws:iam::111111111111:role/x"'));
  });

  test('Automation: a maxDuration over 12 hours', () => {
    expect(experiment(() => ({ fault: Fault.ssmStartAutomation({ document: 'Drain-Queue', maxDuration: Duration.hours(13) }) }))).toThrow(
      problem('fault (ssmStartAutomation).maxDuration', 'must be a Duration between 1 min and 12 h, got 13 h'));
  });
});
