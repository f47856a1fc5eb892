/**
 * EKS faults: pod faults, injected by a pod FIS starts in the cluster (ephemeral containers, except
 * for pod deletion), and node-group instance termination. Action ids, parameters and permissions as
 * the FIS actions reference gives them
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#eks-actions-reference);
 * the pod target's parameters as https://docs.aws.amazon.com/fis/latest/userguide/targets.html does
 * (`aws:eks:pod`: clusterIdentifier, namespace, selectorType, selectorValue, targetContainerName,
 * availabilityZoneIdentifier). The Kubernetes side (the service account, its Role and the mapping of
 * the experiment role to a Kubernetes user), described in
 * https://docs.aws.amazon.com/fis/latest/userguide/eks-pod-actions.html, is applied by
 * `EksFaultInjection.enable` (`../eks-readiness.ts`), whose service account the faults default to.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue, readProperty } from '../../private/describe';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { DNS_LABEL, DNS_SUBDOMAIN, eksReadinessOf } from '../eks-readiness';
import { byArns, durationParameter, FaultContext, forDuration, isToken, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { EksPodSelector, EksPodSelectorType, Targets } from '../targets';
import { blackholeParameters, NetworkProtocol, requiredInteger, sourcesParameter, TrafficType } from './ecs';

/** The Pod Security Standards policy of the pod FIS creates and of its ephemeral containers (FIS `fisPodSecurityPolicy`). */
export enum FisPodSecurityPolicy {
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
  /** Minimally restrictive. */
  BASELINE = 'baseline',
  /** Heavily restricted (not for I/O stress). */
  RESTRICTED = 'restricted',
}

/** Options every EKS pod fault takes. */
export interface EksPodFaultOptions {
  /**
   * The Kubernetes service account FIS's pod runs as, in the target namespace, bound to a Role
   * that lets it manage pods, ephemeral containers and config maps there (FIS `kubernetesServiceAccount`).
   * @default - the service account of `EksFaultInjection.enable(cluster, { kubernetesNamespace })`, which must
   *   then have been called for the pods' namespace before the experiment is declared
   */
  readonly kubernetesServiceAccount?: string;
  /**
   * Share of the targeted pods that may fail to take the fault before the action fails, 0-100 % (FIS `maxErrorsPercent`).
   * @default 0
   */
  readonly maxErrorsPercent?: number;
}

/** Options of the EKS pod stress faults. */
export interface EksPodStressOptions extends EksPodFaultOptions {
  /**
   * Number of stressors (CPU: 0 = one per CPU).
   * @default - CPU: 0; memory and I/O: 1
   */
  readonly workers?: number;
  /**
   * CPU: target load, 0-100 %; memory: share of virtual memory used, 1-100 %; I/O: share of the free
   * file-system space written, 1-100 %.
   * @default - CPU: 100; memory and I/O: 80
   */
  readonly percent?: number;
  /**
   * Pod Security Standards policy of FIS's pod and ephemeral containers (I/O stress: privileged or baseline).
   * @default - FIS's default
   */
  readonly fisPodSecurityPolicy?: FisPodSecurityPolicy;
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Options of `Fault.eksPodDelete`. */
export interface EksPodDeleteOptions extends EksPodFaultOptions {
  /**
   * How long each pod may take to terminate gracefully, whole seconds; `Duration.seconds(0)` deletes at once.
   * @default - each pod's own termination grace period
   */
  readonly gracePeriod?: Duration;
  /**
   * Pod Security Standards policy of FIS's pod.
   * @default - FIS's default
   */
  readonly fisPodSecurityPolicy?: FisPodSecurityPolicy;
}

/** Options shared by the EKS pod network faults (not on Fargate pods; the ephemeral container needs root). */
export interface EksPodNetworkOptions extends EksPodFaultOptions {
  /**
   * How long.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Options of `Fault.eksPodNetworkLatency`. */
export interface EksPodNetworkLatencyOptions extends EksPodNetworkOptions {
  /**
   * Added latency, 1 ms to 1 minute.
   * @default Duration.millis(200)
   */
  readonly delay?: Duration;
  /**
   * Jitter around the delay.
   * @default Duration.millis(10)
   */
  readonly jitter?: Duration;
  /**
   * Share of network flows affected, 1-100 %.
   * @default 100
   */
  readonly flowsPercent?: number;
  /**
   * Destinations affected: IPv4 addresses, CIDR blocks, domain names, AZ names or ids, `DYNAMODB`, `S3`, or `ALL`.
   * @default ['ALL']
   */
  readonly sources?: string[];
}

/** Options of `Fault.eksPodNetworkPacketLoss`. */
export interface EksPodNetworkPacketLossOptions extends EksPodNetworkOptions {
  /**
   * Share of packets dropped, 1-100 %.
   * @default 7
   */
  readonly lossPercent?: number;
  /**
   * Share of network flows affected, 1-100 %.
   * @default 100
   */
  readonly flowsPercent?: number;
  /**
   * Destinations affected: IPv4 addresses, CIDR blocks, domain names, AZ names or ids, `DYNAMODB`, `S3`, or `ALL`.
   * @default ['ALL']
   */
  readonly sources?: string[];
}

/** Options of `Fault.eksPodNetworkBlackholePort`. */
export interface EksPodNetworkBlackholePortOptions extends EksPodNetworkOptions {
  /** The port whose traffic is dropped, 1-65535. */
  readonly port: number;
  /** Whether inbound or outbound traffic on the port is dropped. */
  readonly trafficType: TrafficType;
  /** The port's protocol (FIS requires it for pods). */
  readonly protocol: NetworkProtocol;
}

/** Options of `Fault.eksTerminateNodegroupInstances`. */
export interface EksTerminateNodegroupInstancesOptions {
  /** Share of each node group's instances terminated, 1-100 % (FIS `instanceTerminationPercentage`). */
  readonly instanceTerminationPercentage: number;
}

/** An AZ name (us-east-1a) or id (use1-az1). */
const AVAILABILITY_ZONE = /^([a-z]{2}(-[a-z]+)+-\d[a-z]|[a-z]{2,4}\d-az\d+)$/;

function isCluster(x: unknown): x is eks.ICluster {
  return Construct.isConstruct(x) && typeof (x as Partial<eks.ICluster>).clusterName === 'string' && typeof (x as Partial<eks.ICluster>).clusterArn === 'string';
}

/** A Kubernetes name: a token, or a literal matching `pattern`. */
function kubernetesName(reader: OptionReader, value: unknown, name: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || (!isToken(value) && !pattern.test(value))) {
    reader.problem(name, `must be ${what}, got ${describeValue(value)}`);
    return '';
  }
  return value;
}

/** The pod selector of `Targets.eksPods`, checked and written as FIS's target parameters. */
function podParameters(reader: OptionReader, cluster: eks.ICluster, pods: unknown): Record<string, string> | undefined {
  const read = (key: keyof EksPodSelector): unknown => {
    const p = readProperty(pods, key);
    if (!p.ok) {
      reader.problem(`target.pods.${key}`, p.problem);
      return undefined;
    }
    return p.value;
  };
  if (pods === null || typeof pods !== 'object') {
    reader.problem('target.pods', `must be { kubernetesNamespace, selectorType, selectorValue }, got ${describeValue(pods)}`);
    return undefined;
  }
  const namespace = kubernetesName(reader, read('kubernetesNamespace'), 'target.pods.kubernetesNamespace', DNS_LABEL, 'a Kubernetes namespace (lower-case letters, digits and \'-\', at most 63)');
  const selectorType = reader.oneOf(read('selectorType') as EksPodSelectorType, 'target.pods.selectorType', Object.values(EksPodSelectorType));
  const value = read('selectorValue');
  let selectorValue = '';
  if (selectorType === EksPodSelectorType.LABEL_SELECTOR) {
    // key=value or key!=value or a set expression, comma-separated; no spaces around the commas
    if (typeof value !== 'string' || value.trim() === '' || /[\p{C}]/u.test(value) || value.length > 1024) {
      reader.problem('target.pods.selectorValue', `must be a Kubernetes label selector (e.g. 'app=web,tier=frontend'), got ${describeValue(value)}`);
    } else {
      selectorValue = value;
    }
  } else if (selectorType !== undefined) {
    selectorValue = kubernetesName(reader, value, 'target.pods.selectorValue', DNS_SUBDOMAIN, `a ${selectorType === EksPodSelectorType.POD_NAME ? 'pod' : 'deployment'} name (lower-case letters, digits, '-' and '.', at most 253)`);
  }
  const container = read('targetContainerName');
  const zone = read('availabilityZone');
  if (container !== undefined) {
    kubernetesName(reader, container, 'target.pods.targetContainerName', DNS_LABEL, 'a container name of the pod spec (lower-case letters, digits and \'-\', at most 63)');
  }
  if (zone !== undefined && (typeof zone !== 'string' || (!isToken(zone) && !AVAILABILITY_ZONE.test(zone)))) {
    reader.problem('target.pods.availabilityZone', `must be an Availability Zone name (us-east-1a) or id (use1-az1), got ${describeValue(zone)}`);
  }
  return {
    clusterIdentifier: cluster.clusterName,
    namespace,
    selectorType: String(selectorType),
    selectorValue,
    ...(container !== undefined ? { targetContainerName: String(container) } : {}),
    ...(zone !== undefined ? { availabilityZoneIdentifier: String(zone) } : {}),
  };
}

/** What one pod fault reads from its options beyond the common ones. */
interface PodFaultSpec {
  readonly description: string;
  readonly parameters: Record<string, string>;
  /** Whether the action runs for a while (every pod fault but delete). */
  readonly timed: boolean;
  readonly duration?: Duration;
}

/**
 * A pod fault: the pods by cluster, namespace and selector (FIS refuses ARNs and tags for
 * `aws:eks:pod`), the common parameters, and eks:DescribeCluster on the pods' cluster.
 */
function podFault(
  target: Targets, options: EksPodFaultOptions | undefined, context: FaultContext, definition: FisActionDefinition,
  read: (reader: OptionReader) => PodFaultSpec,
): ResolvedFault {
  const reader = new OptionReader(context.prop);
  let targets: Targets | undefined;
  let cluster: eks.ICluster | undefined;
  let namespace: string | undefined;
  if (Targets._isTargets(target) && target._resources === undefined) {
    reader.problem('target', 'must be Targets.eksPods(cluster, pods, selection): FIS finds EKS pods by cluster, namespace and selector, never by ARN or tags');
  } else {
    const resolved = resourcesOf<eks.ICluster>(reader, target, ['eksPods'], isCluster, 'an EKS cluster (eks.Cluster or Cluster.fromClusterAttributes)');
    if (isTyped(resolved)) {
      cluster = resolved.resources[0];
      const parameters = podParameters(reader, cluster, resolved.details);
      namespace = parameters?.namespace || undefined;
      if (resolved.selection === undefined) {
        reader.problem('target.selection', 'is required for EKS pods: Selection.count(1), Selection.percent(25) or, deliberately, Selection.all()');
      } else if (parameters) {
        targets = reader.target(Targets._byParameters(parameters, resolved.selection));
      }
    }
  }
  const account = serviceAccount(reader, options?.kubernetesServiceAccount, cluster, namespace);
  const maxErrors = reader.integer(options?.maxErrorsPercent, 'maxErrorsPercent', 0, 100, 0, ' (percent of the targeted pods)');
  const spec = read(reader);
  const seconds = spec.timed ? reader.duration(spec.duration, context) : undefined;
  return reader.action(() => ({
    definition,
    description: `${spec.description.replace('{pods}', `${targets!._spec.selection.mode} of the targeted pods`)}${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), ...spec.parameters, kubernetesServiceAccount: account, maxErrorsPercent: String(maxErrors) },
    target: targets,
    durationSeconds: seconds,
    statements: [new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [cluster!.clusterArn] })],
    kubernetes: { cluster: cluster!, namespace: namespace!, serviceAccount: account, fault: definition.actionId },
  }));
}

/**
 * `kubernetesServiceAccount`: given, or the one `EksFaultInjection.enable` applied in the pods'
 * namespace; a given one must be that one.
 */
function serviceAccount(reader: OptionReader, value: unknown, cluster: eks.ICluster | undefined, namespace: string | undefined): string {
  const readiness = cluster && namespace ? eksReadinessOf(cluster, namespace) : undefined;
  if (value === undefined) {
    if (readiness) {
      return readiness.serviceAccountName;
    }
    if (cluster && namespace) {
      reader.problem('kubernetesServiceAccount', `is required: namespace '${namespace}' of ${cluster.node.path} was not prepared by EksFaultInjection.enable(cluster, { kubernetesNamespace: '${namespace}' }) `
        + 'before this fault was declared; call it first (the faults then default to its service account), or name the service account bound to the Role FIS documents');
    }
    return '';
  }
  const account = kubernetesName(reader, value, 'kubernetesServiceAccount', DNS_SUBDOMAIN,
    'the name of a Kubernetes service account in the pods\' namespace (lower-case letters, digits, \'-\' and \'.\'), bound to the Role FIS documents');
  if (readiness && account !== '' && account !== readiness.serviceAccountName) {
    reader.problem('kubernetesServiceAccount', `is '${account}', but EksFaultInjection.enable prepared namespace '${namespace}' of ${cluster!.node.path} with service account '${readiness.serviceAccountName}'; `
      + `omit kubernetesServiceAccount or pass '${readiness.serviceAccountName}'`);
  }
  return account;
}

/** `fisPodSecurityPolicy`, when given: one of `allowed`. */
function securityPolicy(reader: OptionReader, value: FisPodSecurityPolicy | undefined, allowed: FisPodSecurityPolicy[]): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  return { fisPodSecurityPolicy: String(reader.oneOf(value, 'fisPodSecurityPolicy', allowed)) };
}

/** The parameters of a stress fault. */
function stress(reader: OptionReader, options: EksPodStressOptions | undefined, defaults: { percent: number; minPercent: number; workers: number; minWorkers: number }, policies: FisPodSecurityPolicy[]): Record<string, string> {
  const percent = reader.integer(options?.percent, 'percent', defaults.minPercent, 100, defaults.percent, ' (percent)');
  const workers = reader.integer(options?.workers, 'workers', defaults.minWorkers, 1024, defaults.workers);
  return { percent: String(percent), workers: String(workers), ...securityPolicy(reader, options?.fisPodSecurityPolicy, policies) };
}

const ALL_POLICIES = Object.values(FisPodSecurityPolicy);

/** `aws:eks:pod-cpu-stress`. */
export function eksPodCpuStress(target: Targets, options: EksPodStressOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodCpuStress, (reader) => {
    const parameters = stress(reader, options, { percent: 100, minPercent: 0, workers: 0, minWorkers: 0 }, ALL_POLICIES);
    return { description: `Loads the CPU of {pods} to ${parameters.percent} %`, parameters, timed: true, duration: options?.duration };
  });
}

/** `aws:eks:pod-memory-stress`. */
export function eksPodMemoryStress(target: Targets, options: EksPodStressOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodMemoryStress, (reader) => {
    const parameters = stress(reader, options, { percent: 80, minPercent: 1, workers: 1, minWorkers: 1 }, ALL_POLICIES);
    return { description: `Uses ${parameters.percent} % of the virtual memory of {pods}`, parameters, timed: true, duration: options?.duration };
  });
}

/** `aws:eks:pod-io-stress`. */
export function eksPodIoStress(target: Targets, options: EksPodStressOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodIoStress, (reader) => {
    const parameters = stress(reader, options, { percent: 80, minPercent: 1, workers: 1, minWorkers: 1 }, [FisPodSecurityPolicy.PRIVILEGED, FisPodSecurityPolicy.BASELINE]);
    return { description: `Writes to ${parameters.percent} % of the free disk space of {pods}`, parameters, timed: true, duration: options?.duration };
  });
}

/** `aws:eks:pod-delete`: one shot. */
export function eksPodDelete(target: Targets, options: EksPodDeleteOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodDelete, (reader) => {
    const grace = options?.gracePeriod;
    let parameters: Record<string, string> = {};
    if (grace !== undefined) {
      const seconds = grace instanceof Duration && !grace.isUnresolved() ? grace.toSeconds({ integral: false }) : NaN;
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
        reader.problem('gracePeriod', `must be a whole number of seconds from 0 to 1 day (e.g. Duration.seconds(30)), got ${grace instanceof Duration && !grace.isUnresolved() ? `${seconds} s` : describeValue(grace)}`);
      }
      parameters = { gracePeriodSeconds: String(seconds) };
    }
    parameters = { ...parameters, ...securityPolicy(reader, options?.fisPodSecurityPolicy, ALL_POLICIES) };
    return { description: 'Deletes {pods}', parameters, timed: false };
  });
}

/** `aws:eks:pod-network-latency`. */
export function eksPodNetworkLatency(target: Targets, options: EksPodNetworkLatencyOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodNetworkLatency, (reader) => {
    const delay = reader.milliseconds(options?.delay ?? Duration.millis(200), 'delay', 1, 60_000);
    const jitter = reader.milliseconds(options?.jitter ?? Duration.millis(10), 'jitter', 0, 60_000);
    const flows = reader.integer(options?.flowsPercent, 'flowsPercent', 1, 100, 100, ' (percent of network flows)');
    const sources = sourcesParameter(reader, options?.sources);
    return {
      description: `Adds ${delay} ms (±${jitter} ms) of network latency to ${flows} % of the flows of {pods}`,
      parameters: { delayMilliseconds: String(delay), jitterMilliseconds: String(jitter), flowsPercent: String(flows), sources },
      timed: true, duration: options?.duration,
    };
  });
}

/** `aws:eks:pod-network-packet-loss`. */
export function eksPodNetworkPacketLoss(target: Targets, options: EksPodNetworkPacketLossOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodNetworkPacketLoss, (reader) => {
    const loss = reader.integer(options?.lossPercent, 'lossPercent', 1, 100, 7, ' (percent of packets)');
    const flows = reader.integer(options?.flowsPercent, 'flowsPercent', 1, 100, 100, ' (percent of network flows)');
    const sources = sourcesParameter(reader, options?.sources);
    return {
      description: `Drops ${loss} % of the packets of ${flows} % of the flows of {pods}`,
      parameters: { lossPercent: String(loss), flowsPercent: String(flows), sources },
      timed: true, duration: options?.duration,
    };
  });
}

/** `aws:eks:pod-network-blackhole-port`. */
export function eksPodNetworkBlackholePort(target: Targets, options: EksPodNetworkBlackholePortOptions, context: FaultContext): ResolvedFault {
  return podFault(target, options, context, FIS_ACTIONS.eksPodNetworkBlackholePort, (reader) => {
    const parameters = blackholeParameters(reader, options);
    return { description: `Drops ${parameters.trafficType} ${parameters.protocol} traffic on port ${parameters.port} of {pods}`, parameters, timed: true, duration: options?.duration };
  });
}

function isNodegroup(x: unknown): x is eks.Nodegroup {
  return x instanceof eks.Nodegroup;
}

/**
 * `aws:eks:terminate-nodegroup-instances`: the node groups by ARN; ec2:TerminateInstances only on
 * instances carrying a targeted group's `eks:nodegroup-name` tag (EKS tags the instances of its
 * managed node groups so).
 */
export function eksTerminateNodegroupInstances(target: Targets, options: EksTerminateNodegroupInstancesOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const resolved = resourcesOf<eks.Nodegroup>(reader, target, ['eksNodegroups'], isNodegroup, 'an EKS managed node group (eks.Nodegroup, e.g. from cluster.addNodegroupCapacity())');
  const percentage = requiredInteger(reader, options?.instanceTerminationPercentage, 'instanceTerminationPercentage', 1, 100, ' (percent of each group\'s instances)');
  const stack = Stack.of(context.scope);
  const instances = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
  let targets: Targets | undefined;
  let terminate: iam.PolicyStatement | undefined;
  if (isTyped(resolved)) {
    targets = byArns(reader, resolved, (g) => g.nodegroupArn);
    terminate = withWildcardReason(new iam.PolicyStatement({
      actions: ['ec2:TerminateInstances'],
      resources: [instances],
      conditions: { StringEquals: { 'aws:ResourceTag/eks:nodegroup-name': resolved.resources.map((g) => g.nodegroupName) } },
    }), 'a node group\'s instances are launched at run time, so they are named by the eks:nodegroup-name tag EKS puts on them');
  } else if (resolved !== undefined) {
    targets = resolved;
    terminate = withWildcardReason(new iam.PolicyStatement({ actions: ['ec2:TerminateInstances'], resources: [instances] }),
      'node groups chosen by ARN or tags: their names, and so the instances\' eks:nodegroup-name tags, are not known here');
  }
  return reader.action(() => ({
    definition: FIS_ACTIONS.eksTerminateNodegroupInstances,
    description: `Terminates ${percentage} % of the instances of ${targets!._spec.selection.mode} of the targeted EKS node groups`,
    parameters: { instanceTerminationPercentage: String(percentage) },
    target: targets,
    statements: [terminate!],
  }));
}
