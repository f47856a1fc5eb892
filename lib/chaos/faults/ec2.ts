/**
 * EC2 instance faults: stop (and start again), reboot, terminate or interrupt Spot Instances, by
 * instance or Auto Scaling group; and insufficient-capacity errors for the launches of Auto Scaling
 * groups or of IAM roles in some zones. Actions, parameters and permissions: FIS actions reference,
 * "Amazon EC2 actions" (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ec2-actions-reference).
 */
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue, readList } from '../../private/describe';
import { FIS_ACTIONS, FisActionDefinition, REAL_ASG_ARN } from '../catalog';
import { byArns, durationParameter, FaultActionSpec, FaultContext, FaultNode, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { isoDuration } from '../fis-duration';
import { targetStatement } from '../target-permissions';
import { Selection, Targets } from '../targets';
import { formatDuration } from '../../private/format';

/** Options of `Fault.ec2StopInstances`. */
export interface Ec2StopInstancesOptions {
  /**
   * When FIS starts the instances again, 1 minute to 12 hours after stopping them.
   * @default - the experiment's duration
   */
  readonly restartAfter?: Duration;
}

function isAutoScalingGroup(x: unknown): x is autoscaling.IAutoScalingGroup {
  return typeof x === 'object' && x !== null && typeof (x as autoscaling.IAutoScalingGroup).autoScalingGroupName === 'string'
    && typeof (x as autoscaling.IAutoScalingGroup).autoScalingGroupArn === 'string';
}

function isInstance(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as ec2.IInstance).instanceId === 'string';
}

/** The target and the role's statements for a fault on EC2 instances (also `aws:ssm:send-command`). */
export function ec2Target(reader: OptionReader, definition: FisActionDefinition, target: Targets, context: FaultContext) {
  const stack = Stack.of(context.scope);
  const onTargets = [...definition.onTargets];
  const group = Targets._isTargets(target) && target._resources?.kind === 'autoScalingGroup';
  const resolved = resourcesOf<ec2.IInstance | autoscaling.IAutoScalingGroup>(reader, target, ['instances', 'autoScalingGroup'],
    group ? isAutoScalingGroup : isInstance, group ? 'an Auto Scaling group' : 'an EC2 instance');
  if (resolved === undefined) {
    return {};
  }
  if (!isTyped(resolved)) {
    return {
      targets: resolved,
      // the given instances, or, selected by tags, the instances carrying those tags
      statement: targetStatement(stack, definition.resourceType, onTargets, resolved),
      // the selection may be invalid (reported by reader.target); the description is only used when it is not
      what: `${resolved._spec.selection instanceof Selection ? resolved._spec.selection.mode : 'some'} of the targeted instances`,
    };
  }
  if (resolved.kind === 'autoScalingGroup') {
    const group = resolved.resources[0] as autoscaling.IAutoScalingGroup;
    if (resolved.selection === undefined) {
      reader.problem('target.selection', 'is required for an Auto Scaling group: Selection.count(1), Selection.percent(50) or, deliberately, Selection.all()');
      return {};
    }
    const name = group.autoScalingGroupName;
    const targets = reader.target(Targets.tagged({ 'aws:autoscaling:groupName': name }, resolved.selection, {
      filters: [{ path: 'State.Name', values: ['running'] }],
    }));
    // Auto Scaling tags its instances with the group's name: the role may touch only those.
    const statement = withWildcardReason(new iam.PolicyStatement({
      actions: onTargets,
      resources: [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' })],
      conditions: { StringEquals: { 'aws:ResourceTag/aws:autoscaling:groupName': name } },
    }), 'the instances of the Auto Scaling group come and go, so FIS picks them at run time; the statement is conditioned on the group\'s '
      + 'aws:autoscaling:groupName tag, so only that group\'s instances are affected');
    // the selection may be invalid (reported by reader.target): the description is only used when it is not
    const mode = resolved.selection instanceof Selection ? resolved.selection.mode : 'some';
    return { targets, statement, what: `${mode} running instance(s) of Auto Scaling group ${group.node.id}` };
  }
  const instances = resolved.resources as ec2.IInstance[];
  const arns = instances.map((i) => stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: i.instanceId }));
  const selection = resolved.selection ?? Selection.all();
  return {
    targets: reader.target(Targets.arns(arns, selection)),
    statement: new iam.PolicyStatement({ actions: onTargets, resources: arns }),
    what: `${selection.mode} of ${instances.length} instance(s)`,
    instances,
  };
}

/** `aws:ec2:stop-instances`, started again after `restartAfter`. */
export function ec2StopInstances(target: Targets, options: Ec2StopInstancesOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, statement, what } = ec2Target(reader, FIS_ACTIONS.ec2Stop, target, context);
  const seconds = reader.duration(options?.restartAfter, context, 'restartAfter');
  const stack = Stack.of(context.scope);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ec2Stop,
    description: `Stops ${what}, starts them again after ${formatDuration(seconds!, { exact: true })}`,
    parameters: { startInstancesAfterDuration: isoDuration(seconds!), completeIfInstancesTerminated: 'true' },
    target: targets,
    ownsTargetPermissions: true,
    durationSeconds: seconds,
    statements: [
      statement!,
      // Starting an instance with encrypted volumes needs a grant on their key, for EC2's own use.
      withWildcardReason(new iam.PolicyStatement({
        actions: ['kms:CreateGrant'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: { StringLike: { 'kms:ViaService': `ec2.${stack.region}.amazonaws.com` }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }), 'the keys of the instances\' encrypted volumes are not known to the template; the grant is usable only by EC2 itself '
        + '(kms:ViaService ec2 of this region, kms:GrantIsForAWSResource) when it starts the instances again'),
    ],
  }));
}

/** `aws:ec2:terminate-instances`. */
export function ec2TerminateInstances(target: Targets, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, statement, what, instances } = ec2Target(reader, FIS_ACTIONS.ec2Terminate, target, context);
  const declared = (instances ?? []).filter((i) => i instanceof ec2.Instance);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ec2Terminate,
    description: `Terminates ${what}`,
    parameters: {},
    target: targets,
    ownsTargetPermissions: true,
    statements: [statement!],
    warnings: declared.map((i) => ({
      id: 'ec2-terminate-declared-instance',
      message: `terminates ${i.node.path}, an instance this app declares: CloudFormation will not recreate it and the stack drifts. Terminate the instances of an Auto Scaling group instead`,
    })),
  }));
}


/** Options of `Fault.ec2SpotInterruption`. */
export interface Ec2SpotInterruptionOptions {
  /**
   * How long after the interruption notice the instances are interrupted (stopped, hibernated or
   * terminated, as their interruption behaviour says), 2 to 15 minutes. EC2's own notice comes 2
   * minutes before.
   * @default Duration.minutes(2)
   */
  readonly durationBeforeInterruption?: Duration;
}

/** FIS's bounds of `durationBeforeInterruption` (FIS actions reference, aws:ec2:send-spot-instance-interruptions). */
const SPOT_NOTICE_MIN = Duration.minutes(2);
const SPOT_NOTICE_MAX = Duration.minutes(15);

/** `aws:ec2:reboot-instances`. */
export function ec2RebootInstances(target: Targets, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, statement, what } = ec2Target(reader, FIS_ACTIONS.ec2Reboot, target, context);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ec2Reboot,
    description: `Reboots ${what}`,
    parameters: {},
    target: targets,
    ownsTargetPermissions: true,
    statements: [statement!],
  }));
}

/** `aws:ec2:send-spot-instance-interruptions`. */
export function ec2SpotInterruption(target: Targets, options: Ec2SpotInterruptionOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, statement, what } = ec2Target(reader, FIS_ACTIONS.ec2SpotInterruption, target, context);
  const seconds = reader.optionalDuration(options?.durationBeforeInterruption, 'durationBeforeInterruption', SPOT_NOTICE_MIN, SPOT_NOTICE_MAX)
    ?? (options?.durationBeforeInterruption === undefined ? SPOT_NOTICE_MIN.toSeconds() : undefined);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ec2SpotInterruption,
    description: `Sends a Spot interruption notice to ${what}, interrupts them ${formatDuration(seconds!, { exact: true })} later`,
    parameters: { durationBeforeInterruption: isoDuration(seconds!) },
    target: targets,
    ownsTargetPermissions: true,
    durationSeconds: seconds,
    statements: [statement!],
  }));
}

/** Options of `Fault.ec2AsgInsufficientCapacityError` and `Fault.ec2ApiInsufficientCapacityError`. */
export interface Ec2InsufficientCapacityOptions {
  /**
   * The zones whose launches fail, at least one: names (`eu-west-1a`) or zone ids (`euw1-az1`),
   * both of which FIS's `availabilityZoneIdentifiers` takes.
   */
  readonly availabilityZones: string[];
  /**
   * Share of the launch requests (of the groups) or of the calls (of the roles) that fail, 1 to 100.
   * @default 100
   */
  readonly percentage?: number;
  /**
   * How long launches fail, 1 minute to 12 hours.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** The parameters both insufficient-capacity actions take: `availabilityZoneIdentifiers`, `percentage`, `duration`. */
function capacityParameters(reader: OptionReader, options: Ec2InsufficientCapacityOptions | undefined, context: FaultContext) {
  const region = Stack.of(context.scope).region;
  const given = options?.availabilityZones;
  const list = readList(given);
  let zones: string[] = [];
  if (!list.ok || list.value === undefined || list.value.length === 0) {
    reader.problem('availabilityZones', `is required: a non-empty list of availability zone names (e.g. ${Token.isUnresolved(region) ? 'us-east-1a' : `${region}a`}) or ids (e.g. use1-az1), got ${describeValue(given)}`);
  } else {
    zones = list.value.map((zone, i) => reader.availabilityZone(zone, `availabilityZones[${i}]`, region));
    const literal = zones.filter((z) => !Token.isUnresolved(z));
    if (new Set(literal).size < literal.length) {
      reader.problem('availabilityZones', `names a zone twice: ${literal.join(', ')}`);
    }
  }
  const percentage = reader.integer(options?.percentage, 'percentage', 1, 100, 100, ' (percent)');
  const seconds = reader.duration(options?.duration, context);
  return {
    seconds,
    zones: zones.join(', '),
    parameters: { ...durationParameter(seconds), availabilityZoneIdentifiers: zones.join(','), percentage: String(percentage) },
    percentage,
  };
}

/**
 * `ec2:InjectApiError` for one insufficient-capacity action on the given targets: EC2 authorizes it
 * on `*`, scoped by the `ec2:FisActionId` and `ec2:FisTargetArns` condition keys (FIS actions
 * reference, #asg-ice and #api-ice; "Example: Use condition keys for ec2:InjectApiError",
 * https://docs.aws.amazon.com/fis/latest/userguide/security_iam_id-based-policy-examples.html#security-iam-policy-examples-ec2).
 */
function injectApiErrorStatement(actionId: string, targetArns: string[], what: string): iam.PolicyStatement {
  return withWildcardReason(new iam.PolicyStatement({
    actions: ['ec2:InjectApiError'],
    resources: ['*'],
    conditions: { 'StringEquals': { 'ec2:FisActionId': actionId }, 'ForAllValues:ArnLike': { 'ec2:FisTargetArns': targetArns } },
  }), `EC2 authorizes InjectApiError on * and scopes it by the ec2:FisActionId and ec2:FisTargetArns condition keys: ${actionId} only, on ${what}`);
}

/** One action per target (several typed groups are several targets): one node. */
function actionsNode(reader: OptionReader, build: () => FaultActionSpec[]): ResolvedFault {
  if (reader.problems.length > 0) {
    return { problems: reader.problems };
  }
  const nodes: FaultNode[] = build().map((action) => ({ kind: 'action', action }));
  return { problems: [], node: nodes.length === 1 ? nodes[0] : { kind: 'parallel', children: nodes } };
}

/**
 * `aws:ec2:asg-insufficient-instance-capacity-error`: the groups' launches in the zones fail. A
 * group declared here is found by the tags CloudFormation adds to every Auto Scaling group
 * (`aws:cloudformation:stack-name`, `aws:cloudformation:logical-id`; CloudFormation, "AWS::AutoScaling::AutoScalingGroup
 * TagProperty", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-autoscaling-autoscalinggroup-tagproperty.html):
 * its ARN holds an id only Auto Scaling knows, which a FIS target cannot list but an `ArnLike` condition can match.
 */
export function ec2AsgInsufficientCapacityError(target: Targets, options: Ec2InsufficientCapacityOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const definition = FIS_ACTIONS.ec2AsgInsufficientCapacity;
  const resolved = resourcesOf<autoscaling.IAutoScalingGroup>(reader, target, ['autoScalingGroups'], isAutoScalingGroup, 'an Auto Scaling group');
  const { seconds, zones, parameters, percentage } = capacityParameters(reader, options, context);
  const groups: { targets: Targets; arns: string[]; what: string }[] = [];
  if (isTyped(resolved)) {
    resolved.resources.forEach((group, i) => {
      const cfn = group.node.defaultChild;
      const at = resolved.resources.length > 1 ? ` at [${i}]` : '';
      if (!(cfn instanceof autoscaling.CfnAutoScalingGroup)) {
        reader.problem('target', `must be Auto Scaling groups this app declares, found by the tags CloudFormation gives them; ${group.node.path}${at} is imported, `
          + `and its autoScalingGroupArn has '*' for the group's id, which FIS cannot resolve: select it with Targets.arns([its real ARN]) (${REAL_ASG_ARN}) or Targets.tagged(tags)`);
        return;
      }
      if (cfn.launchConfigurationName !== undefined) {
        reader.problem('target', `${group.node.path}${at} launches from a launch configuration; FIS's ${definition.actionId} supports only groups with a launch template `
          + '(set the feature flag @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig, or give the group a launchTemplate)');
        return;
      }
      const cfnStack = Stack.of(cfn);
      // the logical id as a token, resolved at synth: an overrideLogicalId after this call still names the group
      const tags = { 'aws:cloudformation:stack-name': cfnStack.stackName, 'aws:cloudformation:logical-id': cfn.logicalId };
      groups.push({ targets: reader.target(Targets.tagged(tags, Selection.all())), arns: [group.autoScalingGroupArn], what: `Auto Scaling group ${group.node.id}` });
    });
  } else if (resolved !== undefined) {
    // chosen by tags, which ec2:FisTargetArns cannot condition on: the groups of this account and region
    const every = stack.formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: '*:autoScalingGroupName/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const arns = resolved._spec.arns;
    groups.push({ targets: resolved, arns: arns ?? [every], what: arns ? 'the Auto Scaling group(s)' : 'the tagged Auto Scaling group(s)' });
  }
  return actionsNode(reader, () => groups.map(({ targets, arns, what }) => ({
    definition,
    description: `Fails ${percentage} % of the launches of ${what} in ${zones} with InsufficientInstanceCapacity${forDuration(seconds)}`,
    parameters,
    target: targets,
    durationSeconds: seconds,
    statements: [injectApiErrorStatement(definition.actionId, arns, what)],
  })));
}

/**
 * `aws:ec2:api-insufficient-instance-capacity-error`: the roles' RunInstances, CreateCapacityReservation,
 * StartInstances and CreateFleet calls in the zones fail. FIS takes this action's roles by ARN only.
 */
export function ec2ApiInsufficientCapacityError(target: Targets, options: Ec2InsufficientCapacityOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const definition = FIS_ACTIONS.ec2ApiInsufficientCapacity;
  const resolved = resourcesOf<iam.IRole>(reader, target, ['roles'], (x) => typeof (x as iam.IRole)?.roleArn === 'string', 'an IAM role (its instance launches fail)', false);
  if (resolved !== undefined && !isTyped(resolved) && (resolved._spec.arns === undefined || (resolved._spec.filters ?? []).length > 0)) {
    reader.problem('target', `must name the roles by ARN (Targets.roles([...]) or Targets.arns([...]) without filters): FIS resolves ${definition.actionId}'s roles `
      + 'by ARN only, never by tags, filters or parameters');
  }
  const { seconds, zones, parameters, percentage } = capacityParameters(reader, options, context);
  const targets = isTyped(resolved) ? byArns(reader, resolved, (r) => r.roleArn) : resolved;
  return actionsNode(reader, () => [{
    definition,
    description: `Fails ${percentage} % of the roles' instance launches (RunInstances, CreateFleet, StartInstances, CreateCapacityReservation) in ${zones} `
      + `with InsufficientInstanceCapacity${forDuration(seconds)}`,
    parameters,
    target: targets,
    durationSeconds: seconds,
    statements: [injectApiErrorStatement(definition.actionId, targets!._spec.arns!, 'the target roles')],
  }]);
}
