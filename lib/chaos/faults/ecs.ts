/** ECS task faults. Tasks come and go, so they are chosen at run time from a service. */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { durationParameter, FaultActionSpec, FaultContext, forDuration, OptionReader, ResolvedFault } from '../fault-action';
import { targetStatement } from '../target-permissions';
import { Selection, Targets } from '../targets';

/** Tasks to hit: the running tasks of an ECS service, or `Targets` (e.g. by tags). */
export type EcsTarget = ecs.BaseService | Targets;

/** Options of every ECS fault. */
export interface EcsFaultOptions {
  /**
   * How many of the service's running tasks are hit. Required for a service: stopping every task
   * of a service is an outage, so say how many. Not used with `Targets`, which carry their own.
   * @default - none; required for a service
   */
  readonly selection?: Selection;
}

/** Options of `Fault.ecsCpuStress`. */
export interface EcsCpuStressOptions extends EcsFaultOptions {
  /**
   * Target CPU load per stressor, 0-100 %.
   * @default 100
   */
  readonly percent?: number;
  /**
   * Number of stressors.
   * @default 0 - one per vCPU
   */
  readonly workers?: number;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Options of `Fault.ecsNetworkLatency`. */
export interface EcsNetworkLatencyOptions extends EcsFaultOptions {
  /** Added latency, 1 ms to 1 minute. */
  readonly delay: Duration;
  /**
   * Jitter around the delay.
   * @default Duration.millis(10)
   */
  readonly jitter?: Duration;
  /**
   * Destinations affected: IPv4 addresses, CIDR blocks, domain names, `DYNAMODB`, `S3`, or `ALL`.
   * @default ['ALL']
   */
  readonly sources?: string[];
  /**
   * Inject through ECS's fault injection endpoints instead of the SSM agent: required on Fargate,
   * and the task definition needs `enableFaultInjection: true`.
   * @default - true for Fargate services, false otherwise
   */
  readonly useEcsFaultInjectionEndpoints?: boolean;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

const SSM_AGENT_IMAGE = 'amazon-ssm-agent';

function isService(x: unknown): x is ecs.BaseService {
  return x instanceof ecs.BaseService;
}

/** The target, the role's statement on its tasks (for the given actions) and the task-definition checks shared by ECS faults. */
function ecsTarget(reader: OptionReader, target: EcsTarget, selection: Selection | undefined, context: FaultContext): {
  targets?: Targets; onTasks: (actions: readonly string[]) => iam.PolicyStatement; service?: ecs.BaseService;
} {
  if (Targets._isTargets(target)) {
    if (selection !== undefined) {
      reader.problem('selection', 'applies to an ECS service target; Targets.arns()/Targets.tagged() carry their own selection');
    }
    // the given tasks, or, selected by tags, the tasks carrying those tags
    return { targets: reader.target(target), onTasks: (actions) => targetStatement(Stack.of(context.scope), FIS_ACTIONS.ecsStopTask.resourceType, actions, target) };
  }
  if (selection === undefined) {
    reader.problem('selection', 'is required for an ECS service: Selection.count(1), Selection.percent(25) or, deliberately, Selection.all()');
  }
  if (!isService(target)) {
    reader.problem('target', `must be an ECS service (FargateService, Ec2Service) or Targets.tagged(), got ${describeValue(target)}`);
    return { onTasks: (actions) => taskStatement(actions, [], undefined) };
  }
  // not `selection ?`: a null or other non-Selection must reach reader.target, which reports it
  const targets = selection !== undefined ? reader.target(Targets._byParameters({ cluster: target.cluster.clusterName, service: target.serviceName }, selection), 'selection') : undefined;
  const taskArns = [Stack.of(target).formatArn({ service: 'ecs', resource: 'task', resourceName: `${target.cluster.clusterName}/*` })];
  const why = 'the service\'s tasks are started and replaced at run time, so only their cluster can be named: scoped to the tasks of that cluster';
  return { targets, onTasks: (actions) => taskStatement(actions, taskArns, why), service: target };
}

/** Warnings about a task definition that cannot take an SSM-driven fault. */
function taskDefinitionWarnings(service: ecs.BaseService | undefined, action: string, options: { needsPidModeTask: boolean; viaEndpoints: boolean }): { id: string; message: string }[] {
  if (!service) {
    return [];
  }
  const taskDefinition = service.taskDefinition;
  const warnings: { id: string; message: string }[] = [];
  const where = `service ${service.node.path}`;
  if (options.needsPidModeTask && taskDefinition.pidMode !== ecs.PidMode.TASK) {
    warnings.push({ id: 'ecs-pid-mode', message: `${action} needs the task definition's pidMode to be 'task' (${where} has ${taskDefinition.pidMode ?? 'none'}); FIS will fail the action` });
  }
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition | undefined;
  if (options.viaEndpoints && cfn?.enableFaultInjection !== true) {
    warnings.push({ id: 'ecs-fault-injection', message: `${action} goes through ECS fault injection endpoints, and the task definition of ${where} does not set enableFaultInjection: true; FIS will fail the action` });
  }
  // FIS runs every task fault except stop-task through SSM documents on an SSM agent sidecar,
  // on Fargate too.
  const containers = (taskDefinition as unknown as { containers?: ecs.ContainerDefinition[] }).containers ?? [];
  if (!containers.some((c) => typeof c.imageName === 'string' && c.imageName.includes(SSM_AGENT_IMAGE))) {
    warnings.push({
      id: 'ecs-ssm-agent',
      message: `${action} runs through an SSM agent sidecar (public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent, essential: false) with a managed-instance role, and ${where} has none; `
        + 'see https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html',
    });
  }
  return warnings;
}

/** SSM permissions of the agent-driven ECS actions. */
function ssmStatement(stack: Stack): iam.PolicyStatement {
  return withWildcardReason(new iam.PolicyStatement({
    actions: ['ssm:SendCommand'],
    resources: [
      stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: 'AWSFIS-*' }),
      stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
    ],
  }), 'FIS\'s own SSM documents (AWSFIS-*), sent to the managed instances of the tasks\' SSM agent sidecars, which register at run time');
}

/** The target actions on the tasks, with the reason for their wildcard. */
function taskStatement(actions: readonly string[], taskArns: string[], why: string | undefined): iam.PolicyStatement {
  const statement = new iam.PolicyStatement({ actions: [...actions], resources: taskArns });
  return why ? withWildcardReason(statement, why) : statement;
}

function ecsAction(definition: FisActionDefinition, spec: Omit<FaultActionSpec, 'definition'>): FaultActionSpec {
  return { definition, ...spec };
}

/** `aws:ecs:stop-task`. */
export function ecsStopTask(target: EcsTarget, options: EcsFaultOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks } = ecsTarget(reader, target, options?.selection, context);
  return reader.action(() => ecsAction(FIS_ACTIONS.ecsStopTask, {
    description: `Stops ${targets!._spec.selection.mode} of the targeted running tasks`,
    parameters: {},
    target: targets,
    ownsTargetPermissions: true,
    statements: [onTasks(FIS_ACTIONS.ecsStopTask.onTargets)],
  }));
}

/** `aws:ecs:task-cpu-stress`. */
export function ecsCpuStress(target: EcsTarget, options: EcsCpuStressOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks, service } = ecsTarget(reader, target, options?.selection, context);
  const percent = reader.integer(options?.percent, 'percent', 0, 100, 100, ' (percent CPU load)');
  const workers = reader.integer(options?.workers, 'workers', 0, 1024, 0, ' (0 = one per vCPU)');
  const seconds = reader.duration(options?.duration, context);
  return reader.action(() => ecsAction(FIS_ACTIONS.ecsCpuStress, {
    description: `Loads the CPU of ${targets!._spec.selection.mode} of the targeted tasks to ${percent} %${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), percent: String(percent), workers: String(workers), installDependencies: 'true' },
    target: targets,
    ownsTargetPermissions: true,
    durationSeconds: seconds,
    statements: [onTasks(FIS_ACTIONS.ecsCpuStress.onTargets), ssmStatement(Stack.of(context.scope))],
    warnings: taskDefinitionWarnings(service, 'aws:ecs:task-cpu-stress', { needsPidModeTask: false, viaEndpoints: false }),
  }));
}

/** `aws:ecs:task-network-latency`. */
export function ecsNetworkLatency(target: EcsTarget, options: EcsNetworkLatencyOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks, service } = ecsTarget(reader, target, options?.selection, context);
  const delay = reader.milliseconds(options?.delay, 'delay', 1, 60_000);
  const jitter = reader.milliseconds(options?.jitter ?? Duration.millis(10), 'jitter', 0, 60_000);
  const sources = options?.sources ?? ['ALL'];
  if (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => typeof s !== 'string' || s === '' || /[\s,\p{C}]/u.test(s))) {
    reader.problem('sources', `must be a non-empty list of IPv4 addresses, CIDR blocks, domain names, 'DYNAMODB', 'S3' or 'ALL' without spaces, commas or control characters, got ${describeValue(sources)}`);
  }
  // The launch type decides, not the task definition (an EC2_AND_FARGATE definition may run on EC2).
  const fargate = service instanceof ecs.FargateService;
  const viaEndpoints = reader.boolean(options?.useEcsFaultInjectionEndpoints, 'useEcsFaultInjectionEndpoints', fargate);
  if (fargate && viaEndpoints === false) {
    reader.problem('useEcsFaultInjectionEndpoints', 'must be true for a Fargate service: FIS injects network faults into Fargate tasks only through ECS fault injection endpoints');
  }
  const seconds = reader.duration(options?.duration, context);
  return reader.action(() => ecsAction(FIS_ACTIONS.ecsNetworkLatency, {
    description: `Adds ${delay} ms (±${jitter} ms) of network latency to ${targets!._spec.selection.mode} of the targeted tasks${forDuration(seconds)}`,
    parameters: {
      ...durationParameter(seconds), delayMilliseconds: String(delay), jitterMilliseconds: String(jitter), sources: sources.join(','),
      installDependencies: 'true', useEcsFaultInjectionEndpoints: String(viaEndpoints),
    },
    target: targets,
    ownsTargetPermissions: true,
    durationSeconds: seconds,
    statements: [onTasks(FIS_ACTIONS.ecsNetworkLatency.onTargets), ssmStatement(Stack.of(context.scope))],
    warnings: taskDefinitionWarnings(service, 'aws:ecs:task-network-latency', { needsPidModeTask: true, viaEndpoints }),
  }));
}
