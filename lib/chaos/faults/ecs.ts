/**
 * ECS faults. Tasks come and go, so they are chosen at run time from a service; container
 * instances are drained per cluster. Action ids, parameters, defaults and permissions as the FIS
 * actions reference gives them (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ecs-actions-reference),
 * the task-definition requirements as https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html does.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { Construct } from 'constructs';
import { byArns, durationParameter, FaultActionSpec, FaultContext, FaultWarning, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
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
  /**
   * Added latency, 1 ms to 1 minute.
   * @default Duration.millis(200) - FIS's default
   */
  readonly delay?: Duration;
  /**
   * Jitter around the delay.
   * @default Duration.millis(10)
   */
  readonly jitter?: Duration;
  /**
   * Share of network flows affected, 1-100 % (ECS agent 1.100.0 or later).
   * @default - not written: FIS affects 100 % of the flows
   */
  readonly flowsPercent?: number;
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

/** Options of `Fault.ecsIoStress`. */
export interface EcsIoStressOptions {
  /**
   * Share of the file system's free space the stress writes, 1-100 %.
   * @default 80
   */
  readonly percent?: number;
  /**
   * Number of workers (mixed sequential, random and memory-mapped reads and writes).
   * @default 1
   */
  readonly workers?: number;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** A signal `Fault.ecsKillProcess` sends. */
export enum KillSignal {
  /** The process may handle it and shut down cleanly. */
  SIGTERM = 'SIGTERM',
  /** The process cannot ignore it. */
  SIGKILL = 'SIGKILL',
}

/** Options of `Fault.ecsKillProcess`. */
export interface EcsKillProcessOptions {
  /** Name of the process to stop (as `killall` matches it), e.g. `node`. */
  readonly processName: string;
  /**
   * The signal sent.
   * @default KillSignal.SIGTERM
   */
  readonly signal?: KillSignal;
}

/** Options shared by the network faults of ECS tasks. */
export interface EcsNetworkFaultOptions {
  /**
   * Inject through ECS's fault injection endpoints instead of `tc`/`iptables` in the SSM agent
   * sidecar: required on Fargate, and the task definition needs `enableFaultInjection: true`.
   * @default - true for Fargate services, false otherwise
   */
  readonly useEcsFaultInjectionEndpoints?: boolean;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Options of `Fault.ecsNetworkPacketLoss`. */
export interface EcsNetworkPacketLossOptions extends EcsNetworkFaultOptions {
  /**
   * Share of packets dropped, 1-100 %.
   * @default 7
   */
  readonly lossPercent?: number;
  /**
   * Share of network flows affected, 1-100 % (ECS agent 1.100.0 or later).
   * @default 100
   */
  readonly flowsPercent?: number;
  /**
   * Destinations affected: IPv4 addresses, CIDR blocks, domain names, AZ names or ids, `DYNAMODB`, `S3`, or `ALL`.
   * @default ['ALL']
   */
  readonly sources?: string[];
}

/** Direction of the traffic a blackhole fault drops. */
export enum TrafficType {
  /** Traffic into the task. */
  INGRESS = 'ingress',
  /** Traffic leaving the task. */
  EGRESS = 'egress',
}

/** Transport protocol of a blackholed port. */
export enum NetworkProtocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
}

/** Options of `Fault.ecsNetworkBlackholePort`. */
export interface EcsNetworkBlackholePortOptions extends EcsNetworkFaultOptions {
  /** The port whose traffic is dropped, 1-65535. */
  readonly port: number;
  /** Whether inbound or outbound traffic on the port is dropped. */
  readonly trafficType: TrafficType;
  /**
   * The port's protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
}

/** Options of `Fault.ecsDrainContainerInstances`. */
export interface EcsDrainContainerInstancesOptions {
  /** Share of each cluster's EC2 container instances set to DRAINING, 1-100 %. */
  readonly drainagePercentage: number;
  /**
   * How long they stay draining.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

const SSM_AGENT_IMAGE = 'amazon-ssm-agent';

/** The tag the SSM agent sidecar puts on its managed instance: the ARN of its task. */
const ECS_TASK_TAG = 'ECS_TASK_ARN';

/** `delayMilliseconds`'s default in the FIS actions reference (aws:ecs:task-network-latency). */
const DEFAULT_LATENCY = Duration.millis(200);

function isService(x: unknown): x is ecs.BaseService {
  return x instanceof ecs.BaseService;
}

/** The target, the role's statement on its tasks (for the given actions) and the task-definition checks shared by ECS faults. */
function ecsTarget(reader: OptionReader, target: Targets, context: FaultContext): {
  targets?: Targets; onTasks: (actions: readonly string[]) => iam.PolicyStatement; service?: ecs.BaseService;
  /** The ARNs of the tasks that may be hit, as an IAM pattern. */
  tasks: string;
} {
  const everyTask = Stack.of(context.scope).formatArn({ service: 'ecs', resource: 'task', resourceName: '*' });
  const resolved = resourcesOf<ecs.BaseService>(reader, target, ['ecsService'], isService, 'an ECS service (FargateService, Ec2Service)');
  if (resolved === undefined) {
    return { onTasks: (actions) => taskStatement(actions, [], undefined), tasks: everyTask };
  }
  if (!isTyped(resolved)) {
    // the given tasks, or, selected by tags, the tasks carrying those tags
    return { targets: resolved, onTasks: (actions) => targetStatement(Stack.of(context.scope), FIS_ACTIONS.ecsStopTask.resourceType, actions, resolved), tasks: everyTask };
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
  return { targets, onTasks: (actions) => taskStatement(actions, taskArns, why), service, tasks: taskArns[0] };
}

/** Warnings about a task definition that cannot take an SSM-driven fault. */
function taskDefinitionWarnings(service: ecs.BaseService | undefined, action: string, options: { needsPidModeTask: boolean; viaEndpoints: boolean }): FaultWarning[] {
  if (!service) {
    return [];
  }
  const taskDefinition = service.taskDefinition;
  const warnings: FaultWarning[] = [];
  const where = `service ${service.node.path}`;
  const fix = `; EcsFaultInjection.enable(taskDefinition) prepares ${taskDefinition.node.path} for FIS's task faults`;
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition | undefined;
  // set at construction, or later on the CloudFormation resource (EcsFaultInjection.enable)
  const pidMode = cfn?.pidMode ?? taskDefinition.pidMode;
  if (options.needsPidModeTask && pidMode !== ecs.PidMode.TASK) {
    warnings.push({ id: 'ecs-pid-mode', message: `${action} needs the task definition's pidMode to be 'task' (${where} has ${pidMode ?? 'none'}); FIS will fail the action${fix}` });
  }
  if (options.viaEndpoints && cfn?.enableFaultInjection !== true) {
    warnings.push({ id: 'ecs-fault-injection', message: `${action} goes through ECS fault injection endpoints, and the task definition of ${where} does not set enableFaultInjection: true; FIS will fail the action${fix}` });
  }
  // FIS runs every task fault except stop-task through SSM documents on an SSM agent sidecar,
  // on Fargate too.
  const containers = (taskDefinition as unknown as { containers?: ecs.ContainerDefinition[] }).containers ?? [];
  if (!containers.some((c) => typeof c.imageName === 'string' && c.imageName.includes(SSM_AGENT_IMAGE))) {
    warnings.push({
      id: 'ecs-ssm-agent',
      message: `${action} runs through an SSM agent sidecar (public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent, essential: false) with a managed-instance role, and ${where} has none; `
        + `see https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html${fix}`,
    });
  }
  return warnings;
}

/**
 * SSM permissions of the agent-driven ECS actions: FIS's own documents (AWSFIS-*), sent only to the
 * managed instances the tasks' SSM agent sidecars register. The sidecar tags its managed instance
 * with `ECS_TASK_ARN`, the ARN of its task, and FIS maps the target tasks to managed instances by
 * that tag (https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html), so the role may
 * send commands only to managed instances of the targeted tasks: of the service's cluster, or, for
 * tasks chosen by ARN or tags, of tasks of this account and region.
 */
function ssmStatements(stack: Stack, taskArns: string): iam.PolicyStatement[] {
  return [
    withWildcardReason(new iam.PolicyStatement({
      actions: ['ssm:SendCommand'],
      resources: [stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: 'AWSFIS-*' })],
    }), 'FIS\'s own SSM documents (AWSFIS-*), owned by Amazon, which the ECS task actions run'),
    withWildcardReason(new iam.PolicyStatement({
      actions: ['ssm:SendCommand'],
      resources: [stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' })],
      conditions: { StringLike: { [`aws:ResourceTag/${ECS_TASK_TAG}`]: taskArns } },
    }), `the tasks' SSM agent sidecars register as managed instances at run time, with ids not known at deploy time; the statement is conditioned on their ${ECS_TASK_TAG} tag, `
      + 'so commands reach only the managed instances of the targeted tasks'),
  ];
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
  return taskFault(target, context, FIS_ACTIONS.ecsCpuStress, (reader) => {
    const percent = reader.integer(options?.percent, 'percent', 0, 100, 100, ' (percent CPU load)');
    const workers = reader.integer(options?.workers, 'workers', 0, 1024, 0, ' (0 = one per vCPU)');
    return {
      description: `Loads the CPU of {tasks} to ${percent} %`,
      parameters: { percent: String(percent), workers: String(workers) },
      needsPidModeTask: false, timed: true, duration: options?.duration,
    };
  });
}

/** `sources` of a network fault, checked: IPv4 addresses, CIDR blocks, domain names, AZs, `DYNAMODB`, `S3` or `ALL`, comma-joined. */
export function sourcesParameter(reader: OptionReader, sources: string[] | undefined): string {
  const list = sources ?? ['ALL'];
  if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== 'string' || s === '' || /[\s,\p{C}]/u.test(s))) {
    reader.problem('sources', `must be a non-empty list of IPv4 addresses, CIDR blocks, domain names, 'DYNAMODB', 'S3' or 'ALL' without spaces, commas or control characters, got ${describeValue(list)}`);
    return '';
  }
  return list.join(',');
}

/** `useEcsFaultInjectionEndpoints`: given, or true on Fargate; false refused on Fargate. */
function endpointsParameter(reader: OptionReader, value: boolean | undefined, service: ecs.BaseService | undefined): boolean {
  // The launch type decides, not the task definition (an EC2_AND_FARGATE definition may run on EC2).
  const fargate = service instanceof ecs.FargateService;
  const viaEndpoints = reader.boolean(value, 'useEcsFaultInjectionEndpoints', fargate);
  if (fargate && viaEndpoints === false) {
    reader.problem('useEcsFaultInjectionEndpoints', 'must be true for a Fargate service: FIS injects network faults into Fargate tasks only through ECS fault injection endpoints');
  }
  return viaEndpoints;
}

/** A task fault run by FIS's SSM documents on the agent sidecar: the target, the duration when it has one, the statements and the warnings shared by all of them. */
function taskFault(
  target: Targets, context: FaultContext, definition: FisActionDefinition,
  read: (reader: OptionReader, service: ecs.BaseService | undefined) => { description: string; parameters: Record<string, string>; needsPidModeTask: boolean; viaEndpoints?: boolean; timed: boolean; duration?: Duration },
): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const { targets, onTasks, service, tasks } = ecsTarget(reader, target, context);
  const spec = read(reader, service);
  const seconds = spec.timed ? reader.duration(spec.duration, context) : undefined;
  return reader.action(() => ecsAction(definition, {
    description: `${spec.description.replace('{tasks}', `${targets!._spec.selection.mode} of the targeted tasks`)}${forDuration(seconds)}`,
    parameters: {
      ...durationParameter(seconds), ...spec.parameters, installDependencies: 'true',
      ...(spec.viaEndpoints === undefined ? {} : { useEcsFaultInjectionEndpoints: String(spec.viaEndpoints) }),
    },
    target: targets,
    ownsTargetPermissions: true,
    durationSeconds: seconds,
    statements: [onTasks(definition.onTargets), ...ssmStatements(Stack.of(context.scope), tasks)],
    warnings: taskDefinitionWarnings(service, definition.actionId, { needsPidModeTask: spec.needsPidModeTask, viaEndpoints: spec.viaEndpoints ?? false }),
  }));
}

/** `aws:ecs:task-network-latency`. */
export function ecsNetworkLatency(target: Targets, options: EcsNetworkLatencyOptions | undefined, context: FaultContext): ResolvedFault {
  return taskFault(target, context, FIS_ACTIONS.ecsNetworkLatency, (reader, service) => {
    const delay = reader.milliseconds(options?.delay ?? DEFAULT_LATENCY, 'delay', 1, 60_000);
    const jitter = reader.milliseconds(options?.jitter ?? Duration.millis(10), 'jitter', 0, 60_000);
    // written only when given, so templates that never set it stay as they were
    const flows = options?.flowsPercent === undefined ? undefined : reader.integer(options.flowsPercent, 'flowsPercent', 1, 100, 100, ' (percent of network flows)');
    const sources = sourcesParameter(reader, options?.sources);
    const viaEndpoints = endpointsParameter(reader, options?.useEcsFaultInjectionEndpoints, service);
    return {
      description: `Adds ${delay} ms (±${jitter} ms) of network latency to ${flows === undefined ? '' : `${flows} % of the flows of `}{tasks}`,
      parameters: { delayMilliseconds: String(delay), jitterMilliseconds: String(jitter), ...(flows === undefined ? {} : { flowsPercent: String(flows) }), sources },
      needsPidModeTask: true, viaEndpoints, timed: true, duration: options?.duration,
    };
  });
}

/** `aws:ecs:task-io-stress`. */
export function ecsIoStress(target: Targets, options: EcsIoStressOptions | undefined, context: FaultContext): ResolvedFault {
  return taskFault(target, context, FIS_ACTIONS.ecsIoStress, (reader) => {
    const percent = reader.integer(options?.percent, 'percent', 1, 100, 80, ' (percent of the free file-system space)');
    const workers = reader.integer(options?.workers, 'workers', 1, 1024, 1);
    return {
      description: `Writes to ${percent} % of the free disk space of {tasks} with ${workers} I/O worker(s)`,
      parameters: { percent: String(percent), workers: String(workers) },
      needsPidModeTask: false, timed: true, duration: options?.duration,
    };
  });
}

/** `aws:ecs:task-kill-process`: one shot, no duration. */
export function ecsKillProcess(target: Targets, options: EcsKillProcessOptions, context: FaultContext): ResolvedFault {
  return taskFault(target, context, FIS_ACTIONS.ecsKillProcess, (reader) => {
    const processName = options?.processName;
    // killall takes one name: no spaces, slashes or control characters
    if (typeof processName !== 'string' || processName === '' || processName.length > 255 || /[\s/\p{C}]/u.test(processName)) {
      reader.problem('processName', `is required: a process name as killall matches it (e.g. 'node'), without spaces, slashes or control characters, got ${describeValue(processName)}`);
    }
    const signal = reader.oneOf(options?.signal, 'signal', Object.values(KillSignal), KillSignal.SIGTERM);
    return {
      description: `Sends ${signal} to the ${String(processName)} processes of {tasks}`,
      parameters: { processName: String(processName), signal: String(signal) },
      needsPidModeTask: true, timed: false,
    };
  });
}

/** `aws:ecs:task-network-packet-loss`. */
export function ecsNetworkPacketLoss(target: Targets, options: EcsNetworkPacketLossOptions | undefined, context: FaultContext): ResolvedFault {
  return taskFault(target, context, FIS_ACTIONS.ecsNetworkPacketLoss, (reader, service) => {
    const loss = reader.integer(options?.lossPercent, 'lossPercent', 1, 100, 7, ' (percent of packets)');
    const flows = reader.integer(options?.flowsPercent, 'flowsPercent', 1, 100, 100, ' (percent of network flows)');
    const sources = sourcesParameter(reader, options?.sources);
    const viaEndpoints = endpointsParameter(reader, options?.useEcsFaultInjectionEndpoints, service);
    return {
      description: `Drops ${loss} % of the packets of ${flows} % of the flows of {tasks}`,
      parameters: { lossPercent: String(loss), flowsPercent: String(flows), sources },
      needsPidModeTask: true, viaEndpoints, timed: true, duration: options?.duration,
    };
  });
}

/** A whole number within [min, max] that has no default. */
export function requiredInteger(reader: OptionReader, value: number | undefined, name: string, min: number, max: number, unit = ''): number {
  if (value === undefined) {
    reader.problem(name, `is required: a whole number from ${min} to ${max}${unit}`);
    return NaN;
  }
  return reader.integer(value, name, min, max, NaN, unit);
}

/** The port, protocol and direction of a blackhole fault, checked (ECS and EKS). */
export function blackholeParameters(reader: OptionReader, options: { port: number; trafficType: TrafficType; protocol?: NetworkProtocol }, protocolFallback?: NetworkProtocol): Record<string, string> {
  const port = requiredInteger(reader, options?.port, 'port', 1, 65_535);
  const trafficType = reader.oneOf(options?.trafficType, 'trafficType', Object.values(TrafficType));
  const protocol = reader.oneOf(options?.protocol, 'protocol', Object.values(NetworkProtocol), protocolFallback);
  return { port: String(port), trafficType: String(trafficType), protocol: String(protocol) };
}

/** `aws:ecs:task-network-blackhole-port`. */
export function ecsNetworkBlackholePort(target: Targets, options: EcsNetworkBlackholePortOptions, context: FaultContext): ResolvedFault {
  return taskFault(target, context, FIS_ACTIONS.ecsNetworkBlackholePort, (reader, service) => {
    const port = blackholeParameters(reader, options, NetworkProtocol.TCP);
    const viaEndpoints = endpointsParameter(reader, options?.useEcsFaultInjectionEndpoints, service);
    return {
      description: `Drops ${port.trafficType} ${port.protocol} traffic on port ${port.port} of {tasks}`,
      parameters: port,
      needsPidModeTask: true, viaEndpoints, timed: true, duration: options?.duration,
    };
  });
}

function isEcsCluster(x: unknown): x is ecs.ICluster {
  return x instanceof ecs.Cluster || (Construct.isConstruct(x) && typeof (x as Partial<ecs.ICluster>).clusterArn === 'string' && typeof (x as Partial<ecs.ICluster>).clusterName === 'string');
}

/** `aws:ecs:drain-container-instances`: the clusters by ARN; the state change on their container instances. */
export function ecsDrainContainerInstances(target: Targets, options: EcsDrainContainerInstancesOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<ecs.ICluster>(reader, target, ['ecsClusters'], isEcsCluster, 'an ECS cluster (ecs.Cluster or Cluster.fromClusterAttributes)');
  const percentage = requiredInteger(reader, options?.drainagePercentage, 'drainagePercentage', 1, 100, ' (percent of the container instances)');
  const seconds = reader.duration(options?.duration, context);
  let targets: Targets | undefined;
  let instances: string[] = [];
  if (isTyped(resolved)) {
    targets = byArns(reader, resolved, (c) => c.clusterArn);
    instances = resolved.resources.map((c) => stack.formatArn({ service: 'ecs', resource: 'container-instance', resourceName: `${c.clusterName}/*` }));
  } else if (resolved !== undefined) {
    targets = resolved;
    instances = [stack.formatArn({ service: 'ecs', resource: 'container-instance', resourceName: '*' })];
  }
  const why = isTyped(resolved)
    ? 'container instances join and leave a cluster at run time, so only their cluster can be named: scoped to the container instances of the targeted clusters'
    : 'clusters chosen by ARN or tags: their container instances are not known at deploy time';
  return reader.action(() => ecsAction(FIS_ACTIONS.ecsDrainContainerInstances, {
    description: `Drains ${percentage} % of the EC2 container instances of ${targets!._spec.selection.mode} of the targeted ECS clusters${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), drainagePercentage: String(percentage) },
    target: targets,
    durationSeconds: seconds,
    statements: [withWildcardReason(new iam.PolicyStatement({ actions: ['ecs:UpdateContainerInstancesState'], resources: instances }), why)],
  }));
}
