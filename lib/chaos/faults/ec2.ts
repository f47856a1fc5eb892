/**
 * EC2 instance faults: stop (and start again), reboot, terminate or interrupt Spot Instances, by
 * instance or Auto Scaling group. Actions, parameters and permissions: FIS actions reference,
 * "Amazon EC2 actions" (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ec2-actions-reference).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { FaultContext, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
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
