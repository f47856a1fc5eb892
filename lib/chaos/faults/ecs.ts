/** ECS task faults. Tasks come and go, so they are chosen at run time from a service. */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { durationParameter, FaultActionSpec, FaultContext, FaultWarning, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { targetStatement } from '../target-permissions';
import { Targets } from '../targets';

/** Options of `Fault.ecsCpuStress`. */
export interface EcsCpuStressOptions {
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
export interface EcsNetworkLatencyOptions {
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
function ecsTarget(reader: OptionReader, target: Targets, context: FaultContext): {
  targets?: Targets; onTasks: (actions: readonly string[]) => iam.PolicyStatement; service?: ecs.BaseService;
} {
  const resolved = resourcesOf<ecs.BaseService>(reader, target, ['ecsService'], isService, 'an ECS service (FargateService, Ec2Service)');
  if (resolved === undefined) {
    return { onTasks: (actions) => taskStatement(actions, [], undefined) };
  }
  if (!isTyped(resolved)) {
    // the given tasks, or, selected by tags, the tasks carrying those tags
    return { targets: resolved, onTasks: (actions) => targetStatement(Stack.of(context.scope), FIS_ACTIONS.ecsStopTask.resourceType, actions, resolved) };
  }
  const service = resolved.resources[0];
  const selection = resolved.selection;
  if (selection === undefined) {
    reader.problem('target.selection', 'is required for an ECS service: Selection.count(1), Selection.percent(25) or, deliberately, Selection.all()');
  }
  // not `selection ?`: a null or other non-Selection must reach reader.target, which reports it
  const targets = selection !== undefined ? reader.target(Targets._byParameters({ cluster: service.cluster.clusterName, service: service.serviceName }, selection)) : undefined;
  const taskArns = [Stack.of(service).formatArn({ service: 'ecs', resource: 'task', resourceName: `${service.cluster.clusterName}/*` })];
  const why = 'the service\'s tasks are started and replaced at run time, so only their cluster can be named: scoped to the tasks of that cluster';
  return { targets, onTasks: (actions) => taskStatement(actions, taskArns, why), service };
}

/** Warnings about a task definition that cannot take an SSM-driven fault. */
function taskDefinitionWarnings(service: ecs.BaseService | undefined, action: string, options: { needsPidModeTask: boolean; viaEndpoints: boolean }): FaultWarning[] {
  if (!service) {
    return [];
  }
  const taskDefinition = service.taskDefinition;
  const warnings: FaultWarning[] = [];
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
export function ecsStopTask(target: Targets, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks } = ecsTarget(reader, target, context);
  return reader.action(() => ecsAction(FIS_ACTIONS.ecsStopTask, {
    description: `Stops ${targets!._spec.selection.mode} of the targeted running tasks`,
    parameters: {},
    target: targets,
    ownsTargetPermissions: true,
    statements: [onTasks(FIS_ACTIONS.ecsStopTask.onTargets)],
  }));
}

/** `aws:ecs:task-cpu-stress`. */
export function ecsCpuStress(target: Targets, options: EcsCpuStressOptions | undefined, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks, service } = ecsTarget(reader, target, context);
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
export function ecsNetworkLatency(target: Targets, options: EcsNetworkLatencyOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks, service } = ecsTarget(reader, target, context);
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
