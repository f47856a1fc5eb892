/**
 * The insufficient-capacity faults, synthesized: `aws:ec2:asg-insufficient-instance-capacity-error`
 * on Auto Scaling groups (found by the tags CloudFormation gives every group) and
 * `aws:ec2:api-insufficient-instance-capacity-error` on IAM roles (by ARN only); the role's
 * `ec2:InjectApiError` scoped by the `ec2:FisActionId` and `ec2:FisTargetArns` condition keys; then
 * the validation rules, each error naming the path, the prop, the value and what is allowed.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Fault, Selection, Targets } from '../../lib';
import {
  experimentStatements, experimentTemplate, faultActions, flat, grantedActions, logicalId, newService, newStack, onlyFault, Statement,
  statementFor, statementResources, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';

/** A group launching from a launch template, as FIS's action requires. */
function fleet(stack: Stack, id = 'Fleet', vpc = new ec2.Vpc(stack, `${id}Vpc`, { natGateways: 0, maxAzs: 2 })): autoscaling.AutoScalingGroup {
  const launchTemplate = new ec2.LaunchTemplate(stack, `${id}Template`, {
    instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  return new autoscaling.AutoScalingGroup(stack, id, { vpc, launchTemplate, minCapacity: 2 });
}

function injectApiError(statements: Statement[]) {
  const statement = statementFor(statements, ['ec2:InjectApiError']);
  return { resources: statementResources(statement), condition: statement.Condition as Record<string, Record<string, unknown>> };
}

describe('insufficient-capacity faults', () => {
  let json: TemplateJson;
  let stack: Stack;
  let web: autoscaling.AutoScalingGroup;
  let batch: autoscaling.AutoScalingGroup;
  let launcher: iam.Role;

  beforeAll(() => {
    stack = newStack();
    web = fleet(stack, 'Web');
    batch = fleet(stack, 'Batch');
    launcher = new iam.Role(stack, 'Karpenter', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const checkout = newService(stack);
    checkout.addExperiment('asg-ice', {
      fault: Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([web]), { availabilityZones: ['eu-west-1a'], duration: TEN_MINUTES }),
    });
    checkout.addExperiment('asg-ice-two', {
      fault: Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([web, batch]), { availabilityZones: ['eu-west-1a', 'euw1-az2'], percentage: 50 }),
      duration: TEN_MINUTES,
    });
    checkout.addExperiment('asg-ice-tagged', {
      fault: Fault.ec2AsgInsufficientCapacityError(Targets.tagged({ team: 'payments' }, Selection.all()), { availabilityZones: ['eu-west-1b'] }), duration: TEN_MINUTES,
    });
    checkout.addExperiment('api-ice', {
      fault: Fault.ec2ApiInsufficientCapacityError(Targets.roles([launcher]), { availabilityZones: ['eu-west-1c'], percentage: 75, duration: Duration.minutes(5) }),
    });
    json = synth(stack);
  });

  test('Auto Scaling group: aws:ec2:asg-insufficient-instance-capacity-error with availabilityZoneIdentifiers, percentage (100) and duration', () => {
    const { name, action, key, target } = onlyFault(json, 'asg-ice');
    expect(name).toBe('asg-insufficient-instance-capacity-error');
    expect(action.ActionId).toBe('aws:ec2:asg-insufficient-instance-capacity-error');
    expect(action.Parameters).toEqual({ duration: 'PT10M', availabilityZoneIdentifiers: 'eu-west-1a', percentage: '100' });
    expect(key).toBe('AutoScalingGroups');
    expect(target.ResourceType).toBe('aws:ec2:autoscaling-group');
    expect(action.Description).toBe('Fails 100 % of the launches of Auto Scaling group Web in eu-west-1a with InsufficientInstanceCapacity for 10 min');
  });

  test('a group this app declares is found by the tags CloudFormation gives it: its stack\'s name and its logical id', () => {
    const { target } = onlyFault(json, 'asg-ice');
    expect(target.ResourceTags).toEqual({ 'aws:cloudformation:stack-name': 'Shop', 'aws:cloudformation:logical-id': logicalId(stack, web) });
    expect(target.ResourceArns).toBeUndefined();
    expect(target.SelectionMode).toBe('ALL');
  });

  test('the role may inject the error for this action only, on this group\'s ARN (its id matched by ArnLike), and describe groups', () => {
    const statements = experimentStatements(json, 'asg-ice');
    const { resources, condition } = injectApiError(statements);
    expect(resources).toEqual(['*']);
    expect(condition.StringEquals).toEqual({ 'ec2:FisActionId': 'aws:ec2:asg-insufficient-instance-capacity-error' });
    expect(Object.keys(condition)).toEqual(['StringEquals', 'ForAllValues:ArnLike']);
    const arns = condition['ForAllValues:ArnLike']['ec2:FisTargetArns'] as unknown[];
    expect(arns.map(flat)).toEqual([`arn:<Partition>:autoscaling:eu-west-1:111111111111:autoScalingGroup:*:autoScalingGroupName/<Ref ${logicalId(stack, web)}>`]);
    expect(grantedActions(statements)).toEqual([
      'autoscaling:DescribeAutoScalingGroups', 'cloudwatch:DescribeAlarms', 'ec2:InjectApiError', 'logs:CreateLogDelivery', 'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy', 'tag:GetResources',
    ]);
  });

  test('two groups: one action per group, side by side, each on its own group', () => {
    const { props } = experimentTemplate(json, 'asg-ice-two');
    const actions = Object.values(faultActions(props));
    expect(actions).toHaveLength(2);
    expect(actions.map((a) => a.Parameters)).toEqual([
      { duration: 'PT10M', availabilityZoneIdentifiers: 'eu-west-1a,euw1-az2', percentage: '50' },
      { duration: 'PT10M', availabilityZoneIdentifiers: 'eu-west-1a,euw1-az2', percentage: '50' },
    ]);
    expect(actions.map((a) => a.StartAfter)).toEqual([['steady-state'], ['steady-state']]);
    expect(actions.map((a) => props.Targets[a.Targets.AutoScalingGroups].ResourceTags['aws:cloudformation:logical-id']))
      .toEqual([logicalId(stack, web), logicalId(stack, batch)]);
    const arns = experimentStatements(json, 'asg-ice-two').filter((s) => [s.Action].flat().includes('ec2:InjectApiError'))
      .flatMap((s) => ((s.Condition as any)['ForAllValues:ArnLike']['ec2:FisTargetArns'] as unknown[]).map(flat));
    expect(arns.sort()).toEqual([logicalId(stack, batch), logicalId(stack, web)].sort()
      .map((id) => `arn:<Partition>:autoscaling:eu-west-1:111111111111:autoScalingGroup:*:autoScalingGroupName/<Ref ${id}>`));
  });

  test('groups chosen by tags: the groups of this account and region, which ec2:FisTargetArns can match', () => {
    const { target } = onlyFault(json, 'asg-ice-tagged');
    expect(target.ResourceTags).toEqual({ team: 'payments' });
    const { condition } = injectApiError(experimentStatements(json, 'asg-ice-tagged'));
    expect((condition['ForAllValues:ArnLike']['ec2:FisTargetArns'] as unknown[]).map(flat))
      .toEqual(['arn:<Partition>:autoscaling:eu-west-1:111111111111:autoScalingGroup:*:autoScalingGroupName/*']);
  });

  test('IAM role: aws:ec2:api-insufficient-instance-capacity-error on the role\'s ARN, its calls failing in the zone', () => {
    const { name, action, key, target } = onlyFault(json, 'api-ice');
    expect(name).toBe('api-insufficient-instance-capacity-error');
    expect(action.ActionId).toBe('aws:ec2:api-insufficient-instance-capacity-error');
    expect(action.Parameters).toEqual({ duration: 'PT5M', availabilityZoneIdentifiers: 'eu-west-1c', percentage: '75' });
    expect(key).toBe('Roles');
    expect(target.ResourceType).toBe('aws:iam:role');
    expect(target.ResourceArns.map(flat)).toEqual([`<${logicalId(stack, launcher)}.Arn>`]);
    expect(target.ResourceTags).toBeUndefined();
    expect(target.Filters).toBeUndefined();
  });

  test('IAM role: the experiment role may inject the error for this action only, on this role; nothing else', () => {
    const statements = experimentStatements(json, 'api-ice');
    const { resources, condition } = injectApiError(statements);
    expect(resources).toEqual(['*']);
    expect(condition.StringEquals).toEqual({ 'ec2:FisActionId': 'aws:ec2:api-insufficient-instance-capacity-error' });
    expect((condition['ForAllValues:ArnLike']['ec2:FisTargetArns'] as unknown[]).map(flat)).toEqual([`<${logicalId(stack, launcher)}.Arn>`]);
    expect(Object.keys(condition)).toEqual(['StringEquals', 'ForAllValues:ArnLike']);
    expect(grantedActions(statements)).toEqual([
      'cloudwatch:DescribeAlarms', 'ec2:InjectApiError', 'logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy',
    ]);
  });
});

test('a group whose logical id is overridden after the fault is declared is still found by its final logical id', () => {
  const stack = newStack();
  const web = fleet(stack, 'Web');
  newService(stack).addExperiment('asg-ice', {
    fault: Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([web]), { availabilityZones: ['eu-west-1a'] }), duration: TEN_MINUTES,
  });
  (web.node.defaultChild as autoscaling.CfnAutoScalingGroup).overrideLogicalId('WebFleet');
  const { props } = experimentTemplate(synth(stack), 'asg-ice');
  const [target] = Object.values(props.Targets as Record<string, any>).filter((t) => t.ResourceType === 'aws:ec2:autoscaling-group');
  expect(target.ResourceTags['aws:cloudformation:logical-id']).toBe('WebFleet');
});

describe('insufficient-capacity faults refuse', () => {
  /** `() => addExperiment('x', { fault, duration: 10 minutes })` on a fresh stack; `fault` may use its resources. */
  function experiment(fault: (stack: Stack) => Fault) {
    return () => {
      const stack = newStack();
      newService(stack).addExperiment('x', { fault: fault(stack), duration: TEN_MINUTES });
    };
  }
  const problem = (prop: string, message: string) => `${WHERE}: ${prop}: ${message}`;
  const ASG = 'fault (ec2AsgInsufficientCapacityError)';
  const API = 'fault (ec2ApiInsufficientCapacityError)';
  const role = (stack: Stack) => new iam.Role(stack, 'Launcher', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

  test('no zone, an empty list, a malformed zone, another region\'s zone, a zone twice', () => {
    expect(experiment((s) => Fault.ec2ApiInsufficientCapacityError(Targets.roles([role(s)]), {} as never))).toThrow(
      problem(`${API}.availabilityZones`, 'is required: a non-empty list of availability zone names (e.g. eu-west-1a) or ids (e.g. use1-az1), got undefined'));
    expect(experiment((s) => Fault.ec2ApiInsufficientCapacityError(Targets.roles([role(s)]), { availabilityZones: [] }))).toThrow(
      problem(`${API}.availabilityZones`, 'is required: a non-empty list of availability zone names (e.g. eu-west-1a) or ids (e.g. use1-az1), got []'));
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([fleet(s)]), { availabilityZones: ['west'] }))).toThrow(
      problem(`${ASG}.availabilityZones[0]`, 'is required: an availability zone name (e.g. eu-west-1a) or id (e.g. use1-az1), got "west"'));
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([fleet(s)]), { availabilityZones: ['us-east-1a'] }))).toThrow(
      problem(`${ASG}.availabilityZones[0]`, 'must be a zone of the stack\'s region eu-west-1 (FIS acts on the zone in the experiment\'s region), got \'us-east-1a\''));
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([fleet(s)]), { availabilityZones: ['eu-west-1a', 'eu-west-1a'] }))).toThrow(
      problem(`${ASG}.availabilityZones`, 'names a zone twice: eu-west-1a, eu-west-1a'));
  });

  test('a percentage outside 1 to 100, a duration under a minute', () => {
    expect(experiment((s) => Fault.ec2ApiInsufficientCapacityError(Targets.roles([role(s)]), { availabilityZones: ['eu-west-1a'], percentage: 0 }))).toThrow(
      problem(`${API}.percentage`, 'must be a whole number from 1 to 100 (percent), got 0'));
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([fleet(s)]), { availabilityZones: ['eu-west-1a'], duration: Duration.seconds(30) })))
      .toThrow(/Shop\/Checkout\/Experiment-x: fault \(ec2AsgInsufficientCapacityError\).duration: must be a Duration between 1 min and 12 h, got 30 s/);
  });

  test('roles chosen by tags, or by ARN with filters: FIS takes this action\'s roles by ARN only', () => {
    const message = 'must name the roles by ARN (Targets.roles([...]) or Targets.arns([...]) without filters): FIS resolves '
      + 'aws:ec2:api-insufficient-instance-capacity-error\'s roles by ARN only, never by tags, filters or parameters';
    expect(experiment(() => Fault.ec2ApiInsufficientCapacityError(Targets.tagged({ team: 'payments' }, Selection.all()), { availabilityZones: ['eu-west-1a'] })))
      .toThrow(problem(`${API}.target`, message));
    expect(experiment(() => Fault.ec2ApiInsufficientCapacityError(
      Targets.arns(['arn:aws:iam::111111111111:role/launcher'], Selection.all(), { filters: [{ path: 'RoleName', values: ['launcher'] }] }),
      { availabilityZones: ['eu-west-1a'] }))).toThrow(problem(`${API}.target`, message));
  });

  test('an imported group, a group launching from a launch configuration, a builder of another kind', () => {
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(
      Targets.autoScalingGroups([autoscaling.AutoScalingGroup.fromAutoScalingGroupName(s, 'Imported', 'web')]), { availabilityZones: ['eu-west-1a'] }))).toThrow(
      problem(`${ASG}.target`, 'must be Auto Scaling groups this app declares, found by the tags CloudFormation gives them; Shop/Imported is imported, '
        + 'and its autoScalingGroupArn has \'*\' for the group\'s id, which FIS cannot resolve: select it with Targets.arns([its real ARN]) '
        + '(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names NAME --query "AutoScalingGroups[0].AutoScalingGroupARN") or Targets.tagged(tags)'));
    expect(experiment((s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 2 });
      const legacy = new autoscaling.AutoScalingGroup(s, 'Legacy', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
      (legacy.node.defaultChild as autoscaling.CfnAutoScalingGroup).launchConfigurationName = 'legacy';
      return Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([legacy]), { availabilityZones: ['eu-west-1a'] });
    })).toThrow(/fault \(ec2AsgInsufficientCapacityError\).target: Shop\/Legacy launches from a launch configuration; FIS's aws:ec2:asg-insufficient-instance-capacity-error supports only groups with a launch template/);
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroup(fleet(s), Selection.all()), { availabilityZones: ['eu-west-1a'] }))).toThrow(
      problem(`${ASG}.target`, 'must be Targets.autoScalingGroups([...]), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.autoScalingGroup(group, selection)'));
    expect(experiment((s) => Fault.ec2ApiInsufficientCapacityError(Targets.autoScalingGroups([fleet(s)]), { availabilityZones: ['eu-west-1a'] }))).toThrow(
      problem(`${API}.target`, 'must be Targets.roles([...]) or Targets.arns([...]), got Targets.autoScalingGroups([...])'));
  });

  test('an Auto Scaling group ARN with \'*\' for the id (an imported group\'s autoScalingGroupArn), which names no resource FIS can act on', () => {
    const message = /target [\w-]+ lists the ARN of Auto Scaling group 'web' with '\*' for the group's id \(an imported group's autoScalingGroupArn\), which names no resource; FIS takes resource ARNs only: pass the group's real ARN \(aws autoscaling describe-auto-scaling-groups .*\) or select it with Targets\.tagged\(tags, selection\)/;
    expect(experiment((s) => Fault.ec2AsgInsufficientCapacityError(
      Targets.arns([autoscaling.AutoScalingGroup.fromAutoScalingGroupName(s, 'Imported', 'web').autoScalingGroupArn]), { availabilityZones: ['eu-west-1a'] }))).toThrow(message);
    expect(experiment(() => Fault.ec2AsgInsufficientCapacityError(
      Targets.arns(['arn:aws:autoscaling:eu-west-1:111111111111:autoScalingGroup:*:autoScalingGroupName/web']), { availabilityZones: ['eu-west-1a'] }))).toThrow(message);
  });

  test('ARNs of another service than Auto Scaling for the groups', () => {
    expect(experiment(() => Fault.ec2AsgInsufficientCapacityError(Targets.arns(['arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0']), { availabilityZones: ['eu-west-1a'] })))
      .toThrow(/lists ARNs of another service than autoscaling/);
  });
});
