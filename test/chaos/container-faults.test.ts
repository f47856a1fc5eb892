/**
 * The container faults added for issue 13 — ECS I/O stress, kill process, packet loss, blackhole
 * port and container-instance draining; EKS pod faults and node-group termination — synthesized
 * (action id, exact parameters, target, the role's statements) and refused with path, prop, value
 * and what is allowed.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  EksPodSelectorType, ExperimentProps, Fault, FisPodSecurityPolicy, KillSignal, NetworkProtocol, ReliableService, Selection, Targets, TrafficType,
} from '../../lib';
import {
  ecsTaskSendCommand, experimentStatements, flat, logicalId, newService, newStack, onlyFault, sendCommandGrants, statementFor,
  statementResources as resources, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';

function parametersOf(target: Record<string, any>): Record<string, string> {
  return Object.fromEntries(Object.entries(target.Parameters as Record<string, unknown>).map(([k, v]) => [k, flat(v)]));
}

interface World {
  stack: Stack;
  checkout: ReliableService;
  cluster: ecs.Cluster;
  web: ecs.FargateService;
  worker: ecs.Ec2Service;
  k8s: eks.ICluster;
  nodes: eks.Nodegroup;
}

/** An ECS cluster with a Fargate and an EC2 service, an EKS cluster (imported) and a managed node group. */
function world(): World {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), desiredCapacity: 1 });
  const webTask = new ecs.FargateTaskDefinition(stack, 'WebTask', { pidMode: ecs.PidMode.TASK, runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } });
  webTask.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), memoryLimitMiB: 512 });
  const web = new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: webTask });
  const workerTask = new ecs.Ec2TaskDefinition(stack, 'WorkerTask');
  workerTask.addContainer('worker', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), memoryLimitMiB: 256 });
  const worker = new ecs.Ec2Service(stack, 'Worker', { cluster, taskDefinition: workerTask });
  const k8s = eks.Cluster.fromClusterAttributes(stack, 'K8s', { clusterName: 'shop', vpc });
  const nodes = new eks.Nodegroup(stack, 'Nodes', {
    cluster: k8s as eks.ICluster as eks.Cluster,
    subnets: { subnets: vpc.publicSubnets },
    nodeRole: new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
  });
  return { stack, checkout: newService(stack), cluster, web, worker, k8s, nodes };
}

const pods = (w: World, selection = Selection.percent(50)) =>
  Targets.eksPods(w.k8s, { kubernetesNamespace: 'shop', selectorType: EksPodSelectorType.DEPLOYMENT_NAME, selectorValue: 'checkout' }, selection);
const SA = { kubernetesServiceAccount: 'fis-experiment' };

describe('ECS task and cluster faults', () => {
  let json: TemplateJson;
  let clusterRef: string;
  let clusterArn: string;

  beforeAll(() => {
    const w = world();
    const web = Targets.ecsService(w.web, Selection.count(1));
    const worker = Targets.ecsService(w.worker, Selection.all());
    w.checkout.addExperiment('io', { fault: Fault.ecsIoStress(web, { percent: 50, workers: 2, duration: Duration.minutes(5) }) });
    w.checkout.addExperiment('io-defaults', { fault: Fault.ecsIoStress(worker), duration: TEN_MINUTES });
    w.checkout.addExperiment('kill', { fault: Fault.ecsKillProcess(worker, { processName: 'node', signal: KillSignal.SIGKILL }) });
    w.checkout.addExperiment('kill-defaults', { fault: Fault.ecsKillProcess(web, { processName: 'nginx' }) });
    w.checkout.addExperiment('loss', { fault: Fault.ecsNetworkPacketLoss(web, { lossPercent: 20, flowsPercent: 50, sources: ['S3'] }), duration: TEN_MINUTES });
    w.checkout.addExperiment('loss-ec2', { fault: Fault.ecsNetworkPacketLoss(worker), duration: TEN_MINUTES });
    w.checkout.addExperiment('blackhole', { fault: Fault.ecsNetworkBlackholePort(web, { port: 443, trafficType: TrafficType.EGRESS }), duration: TEN_MINUTES });
    w.checkout.addExperiment('blackhole-udp', {
      fault: Fault.ecsNetworkBlackholePort(worker, { port: 53, trafficType: TrafficType.INGRESS, protocol: NetworkProtocol.UDP, duration: Duration.minutes(3) }),
    });
    w.checkout.addExperiment('drain', { fault: Fault.ecsDrainContainerInstances(Targets.ecsClusters([w.cluster]), { drainagePercentage: 50 }), duration: TEN_MINUTES });
    json = synth(w.stack);
    clusterRef = `<Ref ${logicalId(w.stack, w.cluster)}>`;
    clusterArn = `<${logicalId(w.stack, w.cluster)}.Arn>`;
  });

  test('I/O stress: aws:ecs:task-io-stress with duration, percent, workers and installDependencies (defaults 80 % and 1 worker)', () => {
    const { action, key, target } = onlyFault(json, 'io');
    expect(action.ActionId).toBe('aws:ecs:task-io-stress');
    expect(action.Parameters).toEqual({ duration: 'PT5M', percent: '50', workers: '2', installDependencies: 'true' });
    expect(key).toBe('Tasks');
    expect(target.ResourceType).toBe('aws:ecs:task');
    expect(target.SelectionMode).toBe('COUNT(1)');
    expect(Object.keys(parametersOf(target))).toEqual(['cluster', 'service']);
    expect(onlyFault(json, 'io-defaults').action.Parameters).toEqual({ duration: 'PT10M', percent: '80', workers: '1', installDependencies: 'true' });
  });

  test('kill process: aws:ecs:task-kill-process with processName and signal (SIGTERM by default), no duration', () => {
    const { action } = onlyFault(json, 'kill');
    expect(action.ActionId).toBe('aws:ecs:task-kill-process');
    expect(action.Parameters).toEqual({ processName: 'node', signal: 'SIGKILL', installDependencies: 'true' });
    expect(onlyFault(json, 'kill-defaults').action.Parameters).toEqual({ processName: 'nginx', signal: 'SIGTERM', installDependencies: 'true' });
  });

  test('packet loss: aws:ecs:task-network-packet-loss through fault injection endpoints on Fargate, tc on EC2', () => {
    const { action } = onlyFault(json, 'loss');
    expect(action.ActionId).toBe('aws:ecs:task-network-packet-loss');
    expect(action.Parameters).toEqual({
      duration: 'PT10M', lossPercent: '20', flowsPercent: '50', sources: 'S3', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'true',
    });
    expect(onlyFault(json, 'loss-ec2').action.Parameters).toEqual({
      duration: 'PT10M', lossPercent: '7', flowsPercent: '100', sources: 'ALL', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'false',
    });
  });

  test('blackhole port: aws:ecs:task-network-blackhole-port with port, trafficType and protocol (tcp by default)', () => {
    const { action } = onlyFault(json, 'blackhole');
    expect(action.ActionId).toBe('aws:ecs:task-network-blackhole-port');
    expect(action.Parameters).toEqual({
      duration: 'PT10M', port: '443', trafficType: 'egress', protocol: 'tcp', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'true',
    });
    expect(onlyFault(json, 'blackhole-udp').action.Parameters).toEqual({
      duration: 'PT3M', port: '53', trafficType: 'ingress', protocol: 'udp', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'false',
    });
  });

  test('task faults: the role describes only the cluster\'s tasks and sends FIS\'s SSM documents; network faults may read instances and subnets', () => {
    for (const name of ['io', 'kill', 'loss', 'blackhole']) {
      const statements = experimentStatements(json, name);
      expect(resources(statementFor(statements, ['ecs:DescribeTasks']))).toEqual([`arn:<Partition>:ecs:eu-west-1:111111111111:task/${clusterRef}/*`]);
      expect(sendCommandGrants(statements)).toEqual(ecsTaskSendCommand(`arn:<Partition>:ecs:eu-west-1:111111111111:task/${clusterRef}/*`));
    }
    expect(resources(statementFor(experimentStatements(json, 'loss'), [
      'ecs:ListTasks', 'ecs:DescribeContainerInstances', 'ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ssm:ListCommands', 'ssm:CancelCommand', 'tag:GetResources',
    ]))).toEqual(['*']);
    expect(resources(statementFor(experimentStatements(json, 'kill'), ['ecs:ListTasks', 'ssm:ListCommands', 'ssm:CancelCommand', 'tag:GetResources']))).toEqual(['*']);
  });

  test('drain: aws:ecs:drain-container-instances on the cluster by ARN; the state change only on that cluster\'s container instances', () => {
    const { action, key, target } = onlyFault(json, 'drain');
    expect(action.ActionId).toBe('aws:ecs:drain-container-instances');
    expect(action.Parameters).toEqual({ duration: 'PT10M', drainagePercentage: '50' });
    expect(key).toBe('Clusters');
    expect(target.ResourceType).toBe('aws:ecs:cluster');
    expect(target.ResourceArns.map(flat)).toEqual([clusterArn]);
    expect(target.SelectionMode).toBe('ALL');
    const statements = experimentStatements(json, 'drain');
    expect(resources(statementFor(statements, ['ecs:UpdateContainerInstancesState']))).toEqual([
      `arn:<Partition>:ecs:eu-west-1:111111111111:container-instance/${clusterRef}/*`,
    ]);
    expect(resources(statementFor(statements, ['ecs:DescribeClusters', 'ecs:ListContainerInstances']))).toEqual([clusterArn]);
  });
});

describe('EKS faults', () => {
  let json: TemplateJson;
  let nodegroupArn: string;

  beforeAll(() => {
    const w = world();
    w.checkout.addExperiment('cpu', { fault: Fault.eksPodCpuStress(pods(w), { ...SA, percent: 90, workers: 2, maxErrorsPercent: 10 }), duration: TEN_MINUTES });
    w.checkout.addExperiment('memory', { fault: Fault.eksPodMemoryStress(pods(w), SA), duration: TEN_MINUTES });
    w.checkout.addExperiment('io', { fault: Fault.eksPodIoStress(pods(w), { ...SA, fisPodSecurityPolicy: FisPodSecurityPolicy.BASELINE }), duration: TEN_MINUTES });
    w.checkout.addExperiment('delete', {
      fault: Fault.eksPodDelete(Targets.eksPods(w.k8s, {
        kubernetesNamespace: 'shop', selectorType: EksPodSelectorType.LABEL_SELECTOR, selectorValue: 'app=checkout,tier=web',
        targetContainerName: 'app', availabilityZone: 'eu-west-1a',
      }, Selection.count(1)), { ...SA, gracePeriod: Duration.seconds(0) }),
    });
    w.checkout.addExperiment('latency', { fault: Fault.eksPodNetworkLatency(pods(w), { ...SA, delay: Duration.millis(300), sources: ['DYNAMODB'] }), duration: TEN_MINUTES });
    w.checkout.addExperiment('loss', { fault: Fault.eksPodNetworkPacketLoss(pods(w), { ...SA, lossPercent: 15 }), duration: TEN_MINUTES });
    w.checkout.addExperiment('blackhole', {
      fault: Fault.eksPodNetworkBlackholePort(pods(w), { ...SA, port: 5432, trafficType: TrafficType.EGRESS, protocol: NetworkProtocol.TCP }), duration: TEN_MINUTES,
    });
    w.checkout.addExperiment('nodes', { fault: Fault.eksTerminateNodegroupInstances(Targets.eksNodegroups([w.nodes]), { instanceTerminationPercentage: 34 }) });
    json = synth(w.stack);
    nodegroupArn = `<${logicalId(w.stack, w.nodes)}.Arn>`;
  });

  const common = { kubernetesServiceAccount: 'fis-experiment', maxErrorsPercent: '0' };

  test('pods are chosen by cluster, namespace and selector (target parameters, no ARN or tag)', () => {
    const { key, target } = onlyFault(json, 'cpu');
    expect(key).toBe('Pods');
    expect(target).toEqual({
      ResourceType: 'aws:eks:pod', SelectionMode: 'PERCENT(50)',
      Parameters: { clusterIdentifier: 'shop', namespace: 'shop', selectorType: 'deploymentName', selectorValue: 'checkout' },
    });
    expect(onlyFault(json, 'delete').target).toEqual({
      ResourceType: 'aws:eks:pod', SelectionMode: 'COUNT(1)',
      Parameters: {
        clusterIdentifier: 'shop', namespace: 'shop', selectorType: 'labelSelector', selectorValue: 'app=checkout,tier=web',
        targetContainerName: 'app', availabilityZoneIdentifier: 'eu-west-1a',
      },
    });
  });

  test('stress: aws:eks:pod-cpu-stress, -memory-stress and -io-stress with their defaults (CPU 100 %/0 workers, memory and I/O 80 %/1)', () => {
    expect(onlyFault(json, 'cpu').action).toMatchObject({
      ActionId: 'aws:eks:pod-cpu-stress', Parameters: { duration: 'PT10M', percent: '90', workers: '2', kubernetesServiceAccount: 'fis-experiment', maxErrorsPercent: '10' },
    });
    expect(onlyFault(json, 'memory').action.ActionId).toBe('aws:eks:pod-memory-stress');
    expect(onlyFault(json, 'memory').action.Parameters).toEqual({ duration: 'PT10M', percent: '80', workers: '1', ...common });
    expect(onlyFault(json, 'io').action.ActionId).toBe('aws:eks:pod-io-stress');
    expect(onlyFault(json, 'io').action.Parameters).toEqual({ duration: 'PT10M', percent: '80', workers: '1', fisPodSecurityPolicy: 'baseline', ...common });
  });

  test('delete: aws:eks:pod-delete with gracePeriodSeconds, no duration', () => {
    const { action } = onlyFault(json, 'delete');
    expect(action.ActionId).toBe('aws:eks:pod-delete');
    expect(action.Parameters).toEqual({ gracePeriodSeconds: '0', ...common });
  });

  test('network: aws:eks:pod-network-latency, -packet-loss and -blackhole-port with their parameters', () => {
    expect(onlyFault(json, 'latency').action).toEqual(expect.objectContaining({
      ActionId: 'aws:eks:pod-network-latency',
      Parameters: { duration: 'PT10M', delayMilliseconds: '300', jitterMilliseconds: '10', flowsPercent: '100', sources: 'DYNAMODB', ...common },
    }));
    expect(onlyFault(json, 'loss').action).toEqual(expect.objectContaining({
      ActionId: 'aws:eks:pod-network-packet-loss', Parameters: { duration: 'PT10M', lossPercent: '15', flowsPercent: '100', sources: 'ALL', ...common },
    }));
    expect(onlyFault(json, 'blackhole').action).toEqual(expect.objectContaining({
      ActionId: 'aws:eks:pod-network-blackhole-port', Parameters: { duration: 'PT10M', port: '5432', trafficType: 'egress', protocol: 'tcp', ...common },
    }));
  });

  test('pod faults: the role may describe only the pods\' cluster, and read subnets and tags', () => {
    const statements = experimentStatements(json, 'cpu');
    expect(resources(statementFor(statements, ['eks:DescribeCluster']))).toEqual(['arn:<Partition>:eks:eu-west-1:111111111111:cluster/shop']);
    expect(resources(statementFor(statements, ['ec2:DescribeSubnets', 'tag:GetResources']))).toEqual(['*']);
  });

  test('node groups: aws:eks:terminate-nodegroup-instances by ARN; terminate only instances tagged with the group\'s name', () => {
    const { action, key, target } = onlyFault(json, 'nodes');
    expect(action.ActionId).toBe('aws:eks:terminate-nodegroup-instances');
    expect(action.Parameters).toEqual({ instanceTerminationPercentage: '34' });
    expect(key).toBe('Nodegroups');
    expect(target.ResourceType).toBe('aws:eks:nodegroup');
    expect(target.ResourceArns.map(flat)).toEqual([nodegroupArn]);
    const statements = experimentStatements(json, 'nodes');
    expect(resources(statementFor(statements, ['eks:DescribeNodegroup']))).toEqual([nodegroupArn]);
    const terminate = statementFor(statements, ['ec2:TerminateInstances']);
    expect(resources(terminate)).toEqual(['arn:<Partition>:ec2:eu-west-1:111111111111:instance/*']);
    expect(Object.keys((terminate.Condition as any).StringEquals)).toEqual(['aws:ResourceTag/eks:nodegroup-name']);
    expect(resources(statementFor(statements, ['ec2:DescribeInstances', 'tag:GetResources']))).toEqual(['*']);
  });
});

describe('container faults refuse bad input with path, prop, value and what is allowed', () => {
  function experiment(props: (w: World) => Partial<ExperimentProps>) {
    return () => {
      const w = world();
      w.checkout.addExperiment('x', { duration: TEN_MINUTES, ...props(w) } as ExperimentProps);
    };
  }
  const problem = (prop: string, message: string) => `${WHERE}: ${prop}: ${message}`;
  const web = (w: World) => Targets.ecsService(w.web, Selection.count(1));

  test('I/O stress: percent outside 1-100', () => {
    expect(experiment((w) => ({ fault: Fault.ecsIoStress(web(w), { percent: 0 }) }))).toThrow(
      problem('fault (ecsIoStress).percent', 'must be a whole number from 1 to 100 (percent of the free file-system space), got 0'));
  });

  test('kill process: a missing or spaced process name, an unknown signal', () => {
    expect(experiment((w) => ({ fault: Fault.ecsKillProcess(web(w), { processName: 'my app' }) }))).toThrow(
      problem('fault (ecsKillProcess).processName', 'is required: a process name as killall matches it (e.g. \'node\'), without spaces, slashes or control characters, got "my app"'));
    expect(experiment((w) => ({ fault: Fault.ecsKillProcess(web(w), { processName: 'node', signal: 'SIGHUP' as KillSignal }) }))).toThrow(
      problem('fault (ecsKillProcess).signal', 'must be one of \'SIGTERM\', \'SIGKILL\', got "SIGHUP"'));
  });

  test('packet loss: lossPercent above 100; false fault injection endpoints on Fargate', () => {
    expect(experiment((w) => ({ fault: Fault.ecsNetworkPacketLoss(web(w), { lossPercent: 101 }) }))).toThrow(
      problem('fault (ecsNetworkPacketLoss).lossPercent', 'must be a whole number from 1 to 100 (percent of packets), got 101'));
    expect(experiment((w) => ({ fault: Fault.ecsNetworkPacketLoss(web(w), { useEcsFaultInjectionEndpoints: false }) }))).toThrow(
      /fault \(ecsNetworkPacketLoss\)\.useEcsFaultInjectionEndpoints: must be true for a Fargate service/);
  });

  test('blackhole port: a port outside 1-65535, a missing traffic type', () => {
    expect(experiment((w) => ({ fault: Fault.ecsNetworkBlackholePort(web(w), { port: 70_000, trafficType: TrafficType.INGRESS }) }))).toThrow(
      problem('fault (ecsNetworkBlackholePort).port', 'must be a whole number from 1 to 65535, got 70000'));
    expect(experiment((w) => ({ fault: Fault.ecsNetworkBlackholePort(web(w), { port: 80 } as never) }))).toThrow(
      problem('fault (ecsNetworkBlackholePort).trafficType', 'is required: one of \'ingress\', \'egress\''));
  });

  test('drain: a missing drainagePercentage; a service instead of a cluster', () => {
    expect(experiment((w) => ({ fault: Fault.ecsDrainContainerInstances(Targets.ecsClusters([w.cluster]), {} as never) }))).toThrow(
      problem('fault (ecsDrainContainerInstances).drainagePercentage', 'is required: a whole number from 1 to 100 (percent of the container instances)'));
    expect(experiment((w) => ({ fault: Fault.ecsDrainContainerInstances(web(w), { drainagePercentage: 10 }) }))).toThrow(
      /fault \(ecsDrainContainerInstances\)\.target: must be Targets\.ecsClusters\(\[\.\.\.\]\), Targets\.arns\(\[\.\.\.\]\) or Targets\.tagged\(tags, selection\), got Targets\.ecsService/);
  });

  test('EKS pods: ARNs or tags instead of Targets.eksPods, a bad namespace, a missing selector type', () => {
    expect(experiment(() => ({ fault: Fault.eksPodDelete(Targets.tagged({ app: 'web' }, Selection.count(1)), SA) }))).toThrow(
      problem('fault (eksPodDelete).target', 'must be Targets.eksPods(cluster, pods, selection): FIS finds EKS pods by cluster, namespace and selector, never by ARN or tags'));
    expect(experiment((w) => ({
      fault: Fault.eksPodDelete(Targets.eksPods(w.k8s, { kubernetesNamespace: 'Shop_1', selectorType: EksPodSelectorType.POD_NAME, selectorValue: 'web-0' }, Selection.all()), SA),
    }))).toThrow(problem('fault (eksPodDelete).target.pods.kubernetesNamespace', 'must be a Kubernetes namespace (lower-case letters, digits and \'-\', at most 63), got "Shop_1"'));
    expect(experiment((w) => ({
      fault: Fault.eksPodDelete(Targets.eksPods(w.k8s, { kubernetesNamespace: 'shop', selectorValue: 'web-0' } as never, Selection.all()), SA),
    }))).toThrow(problem('fault (eksPodDelete).target.pods.selectorType', 'is required: one of \'labelSelector\', \'deploymentName\', \'podName\''));
  });

  test('EKS pods: a missing service account on an unprepared namespace, a malformed one, maxErrorsPercent above 100, a restricted policy for I/O stress', () => {
    expect(experiment((w) => ({ fault: Fault.eksPodCpuStress(pods(w), {}) }))).toThrow(
      /fault \(eksPodCpuStress\)\.kubernetesServiceAccount: is required: namespace 'shop' of Shop\/K8s was not prepared by EksFaultInjection\.enable\(cluster, \{ kubernetesNamespace: 'shop' \}\) before this fault was declared/);
    expect(experiment((w) => ({ fault: Fault.eksPodCpuStress(pods(w), { kubernetesServiceAccount: 'FIS_sa' }) }))).toThrow(
      /fault \(eksPodCpuStress\)\.kubernetesServiceAccount: must be the name of a Kubernetes service account .*, got "FIS_sa"/);
    expect(experiment((w) => ({ fault: Fault.eksPodMemoryStress(pods(w), { ...SA, maxErrorsPercent: 150 }) }))).toThrow(
      problem('fault (eksPodMemoryStress).maxErrorsPercent', 'must be a whole number from 0 to 100 (percent of the targeted pods), got 150'));
    expect(experiment((w) => ({ fault: Fault.eksPodIoStress(pods(w), { ...SA, fisPodSecurityPolicy: FisPodSecurityPolicy.RESTRICTED }) }))).toThrow(
      problem('fault (eksPodIoStress).fisPodSecurityPolicy', 'must be one of \'privileged\', \'baseline\', got "restricted"'));
  });

  test('EKS pod network faults: a negative grace period, a bad source, a missing protocol', () => {
    expect(experiment((w) => ({ fault: Fault.eksPodDelete(pods(w), { ...SA, gracePeriod: Duration.millis(1500) }) }))).toThrow(
      problem('fault (eksPodDelete).gracePeriod', 'must be a whole number of seconds from 0 to 1 day (e.g. Duration.seconds(30)), got 1.5 s'));
    expect(experiment((w) => ({ fault: Fault.eksPodNetworkLatency(pods(w), { ...SA, sources: ['10.0.0.0/8, S3'] }) }))).toThrow(
      /fault \(eksPodNetworkLatency\)\.sources: must be a non-empty list of IPv4 addresses/);
    expect(experiment((w) => ({ fault: Fault.eksPodNetworkBlackholePort(pods(w), { ...SA, port: 80, trafficType: TrafficType.INGRESS } as never) }))).toThrow(
      problem('fault (eksPodNetworkBlackholePort).protocol', 'is required: one of \'tcp\', \'udp\''));
  });

  test('node groups: instanceTerminationPercentage outside 1-100', () => {
    expect(experiment((w) => ({ fault: Fault.eksTerminateNodegroupInstances(Targets.eksNodegroups([w.nodes]), { instanceTerminationPercentage: 0 }) }))).toThrow(
      problem('fault (eksTerminateNodegroupInstances).instanceTerminationPercentage', 'must be a whole number from 1 to 100 (percent of each group\'s instances), got 0'));
  });
});
