/**
 * EksFaultInjection.enable: one call prepares a namespace of an EKS cluster for FIS's pod faults
 * (the service account, the Role and the RoleBinding of
 * https://docs.aws.amazon.com/fis/latest/userguide/eks-pod-actions.html, applied with
 * cluster.addManifest), and every experiment with a pod fault there gets its role mapped to the
 * Kubernetes user the RoleBinding names (an access entry, or aws-auth in CONFIG_MAP mode), declared
 * before or after the call; the faults default to its service account and refuse another one; the
 * experiment's warning about the cluster goes away; clusters it cannot prepare are refused.
 */
import * as cdk from 'aws-cdk-lib';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EksFaultInjection, EksPodSelectorType, EksRoleMapping, Fault, ReliableService, Selection, Targets } from '../../lib';
import { ENV, experimentTemplate, newService, newStack, roleIdOf } from './helpers';

const KUBECTL_LAYER = 'arn:aws:lambda:eu-west-1:111111111111:layer:kubectl:1';
const KUBECTL_ROLE = 'arn:aws:iam::111111111111:role/kubectl';
const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';

/** A cluster imported the way aws-cdk-lib can apply manifests to it. */
function imported(stack: Stack, attributes: Partial<eks.ClusterAttributes> = {}): eks.ICluster {
  return eks.Cluster.fromClusterAttributes(stack, 'K8s', {
    clusterName: 'shop',
    kubectlRoleArn: KUBECTL_ROLE,
    kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', KUBECTL_LAYER),
    ...attributes,
  });
}

/** A cluster of this app (no nodes). */
function owned(stack: Stack, authenticationMode?: eks.AuthenticationMode, props: Partial<eks.ClusterProps> = {}): eks.Cluster {
  return new eks.Cluster(stack, 'K8s', {
    ...props,
    version: eks.KubernetesVersion.V1_32,
    vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 }),
    vpcSubnets: [{ subnetType: ec2.SubnetType.PUBLIC }],
    defaultCapacity: 0,
    kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', KUBECTL_LAYER),
    authenticationMode,
  });
}

const pods = (cluster: eks.ICluster, namespace = 'shop') =>
  Targets.eksPods(cluster, { kubernetesNamespace: namespace, selectorType: EksPodSelectorType.DEPLOYMENT_NAME, selectorValue: 'checkout' }, Selection.count(1));

function podCpu(service: ReliableService, cluster: eks.ICluster, name = 'pod-cpu', kubernetesServiceAccount?: string) {
  return service.addExperiment(name, { fault: Fault.eksPodCpuStress(pods(cluster), { kubernetesServiceAccount }), duration: Duration.minutes(5) });
}

/** The manifests applied to the cluster, parsed, without aws-cdk-lib's prune labels. */
function manifests(template: Template): any[][] {
  return Object.values(template.findResources(MANIFEST)).map((r) => (JSON.parse(r.Properties.Manifest) as any[]).map((o) => {
    const { labels, ...metadata } = o.metadata;
    return { ...o, metadata };
  }));
}

function readinessWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-reliability:chaos-eks-rbac')).map((w) => String(w.entry.data));
}

describe('EksFaultInjection.enable on an imported cluster', () => {
  let stack: Stack;
  let template: Template;
  let readiness: EksFaultInjection;

  beforeAll(() => {
    stack = newStack();
    const cluster = imported(stack);
    readiness = EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    podCpu(newService(stack), cluster);
    template = Template.fromStack(stack);
  });

  test('applies the service account, the Role with exactly the rules FIS documents, and the RoleBinding to the service account and the user fis-experiment, in the namespace', () => {
    expect(manifests(template)).toEqual([[
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'fis-experiments', namespace: 'shop' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'fis-experiments', namespace: 'shop' },
        rules: [
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['create', 'list', 'get', 'delete', 'deletecollection'] },
          { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['update'] },
          { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'fis-experiments', namespace: 'shop' },
        subjects: [
          { kind: 'ServiceAccount', name: 'fis-experiments', namespace: 'shop' },
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'fis-experiment' },
        ],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'fis-experiments' },
      },
    ]]);
    template.hasResourceProperties(MANIFEST, { ClusterName: 'shop', RoleArn: KUBECTL_ROLE });
  });

  test('reads back what it applied: the namespace, the service account, the user, an access entry for an imported cluster', () => {
    expect(readiness).toMatchObject({ kubernetesNamespace: 'shop', serviceAccountName: 'fis-experiments', kubernetesUser: 'fis-experiment', roleMapping: EksRoleMapping.ACCESS_ENTRY });
    expect(readiness.manifest).toBeInstanceOf(eks.KubernetesManifest);
  });

  test('maps the experiment role to the RoleBinding\'s user with an access entry, and the fault runs as the enabled service account', () => {
    const { props } = experimentTemplate(template.toJSON() as never, 'pod-cpu');
    template.resourceCountIs('AWS::EKS::AccessEntry', 1);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'shop',
      PrincipalArn: { 'Fn::GetAtt': [roleIdOf(props), 'Arn'] },
      Username: 'fis-experiment',
      AccessPolicies: Match.absent(),
      KubernetesGroups: Match.absent(),
    });
    const binding = manifests(template)[0][2];
    expect(binding.subjects[1].name).toBe('fis-experiment');
    const [action] = Object.values(props.Actions as Record<string, any>).filter((a) => a.ActionId === 'aws:eks:pod-cpu-stress');
    expect(action.Parameters.kubernetesServiceAccount).toBe('fis-experiments');
  });

  test('does not warn about the cluster', () => {
    expect(readinessWarnings(stack)).toEqual([]);
  });

  test('a second call returns the first result and applies nothing more', () => {
    const cluster = readiness.node.scope as eks.ICluster;
    expect(EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' })).toBe(readiness);
    expect(EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', serviceAccountName: 'fis-experiments' })).toBe(readiness);
    expect(cluster.node.findAll().filter((c) => c instanceof eks.KubernetesManifest)).toHaveLength(1);
  });
});

describe('EksFaultInjection.enable maps experiment roles once per role and cluster', () => {
  test('an experiment declared before the call gets its access entry too, and is not warned about', () => {
    const stack = newStack();
    const cluster = imported(stack);
    const checkout = newService(stack);
    const before = podCpu(checkout, cluster, 'before', 'fis-experiments');
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    const after = podCpu(checkout, cluster, 'after');
    const template = Template.fromStack(stack);
    const principals = Object.values(template.findResources('AWS::EKS::AccessEntry')).map((r) => r.Properties.PrincipalArn['Fn::GetAtt'][0]);
    expect(principals).toEqual([stack.getLogicalId(before.role.node.defaultChild as never), stack.getLogicalId(after.role.node.defaultChild as never)]);
    expect(readinessWarnings(stack)).toEqual([]);
  });

  test('an experiment with two pod faults on the cluster gets one access entry', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    newService(stack).addExperiment('two', {
      fault: Fault.parallel(Fault.eksPodCpuStress(pods(cluster), {}), Fault.eksPodMemoryStress(pods(cluster), {})),
      duration: Duration.minutes(5),
    });
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 1);
  });

  test('RBAC applied outside CDK (GitOps, as docs/chaos.md shows): the warning acknowledged on the experiment is gone', () => {
    const stack = newStack();
    const experiment = podCpu(newService(stack), imported(stack), 'pod-cpu', 'fis-experiments');
    cdk.Annotations.of(experiment).acknowledgeWarning('cdk-reliability:chaos-eks-rbac', 'the RBAC of namespace shop is applied by GitOps');
    expect(readinessWarnings(stack)).toEqual([]);
  });

  test('a namespace never prepared: no mapping, and a warning naming the call that prepares it', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'other' });
    podCpu(newService(stack), cluster, 'pod-cpu', 'fis-experiments');
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 0);
    expect(readinessWarnings(stack)).toEqual([expect.stringMatching(
      /^Shop\/Checkout\/Experiment-pod-cpu: aws:eks:pod-cpu-stress runs FIS's pod in namespace 'shop' of Shop\/K8s as service account 'fis-experiments'.*EksFaultInjection\.enable\(cluster, \{ kubernetesNamespace: 'shop' \}\) applies the service account, Role and RoleBinding and maps the experiment role/)]);
  });
});

describe('EksFaultInjection.enable on a cluster of this app', () => {
  test('in CONFIG_MAP mode (aws-cdk-lib\'s default) with aws-auth managed by aws-cdk-lib already: maps the experiment role in aws-auth with the user fis-experiment', () => {
    const stack = newStack();
    const cluster = owned(stack, undefined, { mastersRole: new iam.Role(stack, 'Admins', { assumedBy: new iam.AccountRootPrincipal() }) });
    const readiness = EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    const experiment = podCpu(newService(stack), cluster);
    expect(readiness.roleMapping).toBe(EksRoleMapping.AWS_AUTH);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    const awsAuth = Object.values(template.findResources(MANIFEST)).map((r) => r.Properties.Manifest).find((m) => JSON.stringify(m).includes('aws-auth'));
    const roleId = stack.getLogicalId(experiment.role.node.defaultChild as never);
    const text = JSON.stringify(awsAuth);
    expect(text).toContain(roleId);
    expect(text).toMatch(/rolearn\W+",\{"Fn::GetAtt":\["CheckoutExperimentpodcpuRole\w+","Arn"\]\},"\W+username\W+fis-experiment\W+groups\W+\[\]\}\]/);
  });

  test('in CONFIG_MAP mode without aws-auth managed by aws-cdk-lib: no default (it would overwrite the ConfigMap), the mapping must be given', () => {
    const stack = newStack();
    const cluster = owned(stack);
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' })).toThrow(
      /^Shop\/K8s: EksFaultInjection\.enable\(cluster, options\): roleMapping must be given for this cluster: it is in CONFIG_MAP mode and aws-cdk-lib does not manage its aws-auth ConfigMap yet .*overwrite every mapping made outside CDK.*EksRoleMapping\.AWS_AUTH if CDK may own aws-auth, EksRoleMapping\.NONE.*EksRoleMapping\.ACCESS_ENTRY$/);
    expect(cluster.node.tryFindChild('AwsAuth')).toBeUndefined();
    expect(EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.AWS_AUTH }).roleMapping).toBe(EksRoleMapping.AWS_AUTH);
  });

  test('in API_AND_CONFIG_MAP mode: an access entry on the cluster', () => {
    const stack = newStack();
    const cluster = owned(stack, eks.AuthenticationMode.API_AND_CONFIG_MAP);
    const readiness = EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    podCpu(newService(stack), cluster);
    expect(readiness.roleMapping).toBe(EksRoleMapping.ACCESS_ENTRY);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: stack.resolve(cluster.clusterName),
      Username: 'fis-experiment',
    });
  });

  test('EksRoleMapping.NONE maps nothing: the experiment role is yours to map', () => {
    const stack = newStack();
    const cluster = owned(stack, eks.AuthenticationMode.API);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.NONE });
    podCpu(newService(stack), cluster);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 0);
    expect(readinessWarnings(stack)).toEqual([]);
  });

  test('aws-auth cannot map the role of an experiment in another stack: refused with the ways out', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const platform = new Stack(app, 'Platform', { env: ENV });
    const cluster = owned(platform);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.AWS_AUTH });
    const shop = new Stack(app, 'Shop', { env: ENV });
    expect(() => podCpu(newService(shop), cluster)).toThrow(
      /^Shop\/Checkout\/Experiment-pod-cpu: the experiment's role is in stack Shop, and the aws-auth ConfigMap of Platform\/K8s \(roleMapping AWS_AUTH\) can map roles of its own stack Platform only.*API_AND_CONFIG_MAP with EksRoleMapping\.ACCESS_ENTRY, or EksRoleMapping\.NONE$/);
  });
});

describe('EksFaultInjection.enable keeps the fault\'s service account and the applied one the same', () => {
  test('a fault naming another service account than the enabled one is refused', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', serviceAccountName: 'chaos' });
    expect(() => podCpu(newService(stack), cluster, 'pod-cpu', 'fis-experiments')).toThrow(
      "Shop/Checkout/Experiment-pod-cpu: fault (eksPodCpuStress).kubernetesServiceAccount: is 'fis-experiments', but EksFaultInjection.enable prepared namespace 'shop' of Shop/K8s with service account 'chaos'; omit kubernetesServiceAccount or pass 'chaos'");
  });

  test('a fault without one runs as the enabled one', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', serviceAccountName: 'chaos' });
    podCpu(newService(stack), cluster);
    const { props } = experimentTemplate(Template.fromStack(stack).toJSON() as never, 'pod-cpu');
    expect(Object.values(props.Actions as Record<string, any>).find((a) => a.ActionId === 'aws:eks:pod-cpu-stress').Parameters.kubernetesServiceAccount).toBe('chaos');
  });

  test('enabling after an experiment that named another service account is refused, naming the experiment', () => {
    const stack = newStack();
    const cluster = imported(stack);
    podCpu(newService(stack), cluster, 'pod-cpu', 'legacy');
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' })).toThrow(
      "Shop/K8s: EksFaultInjection.enable(cluster, options): serviceAccountName is 'fis-experiments', but Shop/Checkout/Experiment-pod-cpu already runs FIS's pod in namespace 'shop' as 'legacy'; pass serviceAccountName: 'legacy', or drop the fault's kubernetesServiceAccount");
  });

  test('a second call contradicting the first is refused', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', serviceAccountName: 'chaos' })).toThrow(
      "Shop/K8s: EksFaultInjection.enable(cluster, options): namespace 'shop' was already prepared with serviceAccountName 'fis-experiments', got 'chaos'; one namespace has one FIS service account and one role mapping per cluster");
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'web', roleMapping: EksRoleMapping.NONE })).toThrow(
      /Shop\/K8s: EksFaultInjection\.enable\(cluster, options\): roleMapping 'NONE' contradicts 'ACCESS_ENTRY' of the cluster's other prepared namespaces/);
  });
});

describe('EksFaultInjection.enable prepares a namespace once per cluster across the app', () => {
  function twoStacks(region: string = ENV.region): { platform: Stack; shop: Stack } {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    return { platform: new Stack(app, 'Platform', { env: ENV }), shop: new Stack(app, 'Shop', { env: { ...ENV, region } }) };
  }

  test('a second stack importing the same cluster and preparing the same namespace is refused, naming the first preparation', () => {
    const { platform, shop } = twoStacks();
    EksFaultInjection.enable(imported(platform), { kubernetesNamespace: 'shop' });
    expect(() => EksFaultInjection.enable(imported(shop), { kubernetesNamespace: 'shop' })).toThrow(
      /^Shop\/K8s: EksFaultInjection\.enable\(cluster, options\): namespace 'shop' of cluster 'shop' is already prepared by Platform\/K8s\/FisFaultInjection-shop; .*AlreadyExists.*prepare the namespace once and share it/);
  });

  test('an experiment of another stack on its own import of the cluster shares the preparation: its role is mapped, its fault runs as the service account, no warning', () => {
    const { platform, shop } = twoStacks();
    EksFaultInjection.enable(imported(platform), { kubernetesNamespace: 'shop', serviceAccountName: 'chaos' });
    podCpu(newService(shop), imported(shop));
    const template = Template.fromStack(shop);
    template.resourceCountIs(MANIFEST, 0);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'shop', Username: 'fis-experiment' });
    const { props } = experimentTemplate(template.toJSON() as never, 'pod-cpu');
    expect(Object.values(props.Actions as Record<string, any>).find((a) => a.ActionId === 'aws:eks:pod-cpu-stress').Parameters.kubernetesServiceAccount).toBe('chaos');
    expect(readinessWarnings(shop)).toEqual([]);
  });

  test('a cluster of the same name in another region is another cluster', () => {
    const { platform, shop } = twoStacks('us-east-1');
    EksFaultInjection.enable(imported(platform), { kubernetesNamespace: 'shop' });
    expect(() => EksFaultInjection.enable(imported(shop), { kubernetesNamespace: 'shop' })).not.toThrow();
  });

  test('the Role and the RoleBinding take the service account\'s name, so another serviceAccountName does not clash with objects of the default name', () => {
    const stack = newStack();
    EksFaultInjection.enable(imported(stack), { kubernetesNamespace: 'shop', serviceAccountName: 'chaos' });
    const [[account, role, binding]] = manifests(Template.fromStack(stack));
    expect([account.metadata.name, role.metadata.name, binding.metadata.name, binding.roleRef.name, binding.subjects[0].name]).toEqual(['chaos', 'chaos', 'chaos', 'chaos', 'chaos']);
  });
});

describe('EksFaultInjection.enable refuses a second access entry for a role', () => {
  test('the user\'s own access entry for the experiment role on the cluster fails the synth, naming both', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    const experiment = podCpu(newService(stack), cluster);
    new eks.CfnAccessEntry(stack, 'FisPodCpuAccess', { clusterName: cluster.clusterName, principalArn: experiment.role.roleArn, username: 'fis-experiment' });
    expect(() => Template.fromStack(stack)).toThrow(
      /Shop\/Checkout\/Experiment-pod-cpu\/KubernetesUser\w+ \(EksFaultInjection\.enable's mapping of the experiment role to 'fis-experiment'\) and Shop\/FisPodCpuAccess are two access entries for the same role on the same cluster.*roleMapping: EksRoleMapping\.NONE/);
  });

  test('an access entry for the role on another cluster is no conflict', () => {
    const stack = newStack();
    const cluster = imported(stack);
    EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
    const experiment = podCpu(newService(stack), cluster);
    new eks.CfnAccessEntry(stack, 'Other', { clusterName: 'other', principalArn: experiment.role.roleArn });
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 2);
  });
});

describe('EksFaultInjection.enable warns that an imported cluster\'s authentication mode is unknown', () => {
  const accessModeWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-reliability:chaos-eks-access-mode')).map((w) => String(w.entry.data));

  test('the default access entries on an imported cluster: an acknowledgeable warning telling how to check the mode', () => {
    const stack = newStack();
    EksFaultInjection.enable(imported(stack), { kubernetesNamespace: 'shop' });
    expect(accessModeWarnings(stack)).toEqual([expect.stringMatching(
      /^Shop\/K8s\/FisFaultInjection-shop: the experiment roles are mapped with EKS access entries .*a CONFIG_MAP cluster fails the deploy\. Check it with aws eks describe-cluster --name shop --query cluster\.accessConfig, then pass roleMapping: EksRoleMapping\.ACCESS_ENTRY explicitly .*or acknowledge this warning \[ack: cdk-reliability:chaos-eks-access-mode\]$/)]);
  });

  test('no warning once the mapping is given, or acknowledged', () => {
    const given = newStack();
    EksFaultInjection.enable(imported(given), { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.ACCESS_ENTRY });
    expect(accessModeWarnings(given)).toEqual([]);
    const acknowledged = newStack();
    const readiness = EksFaultInjection.enable(imported(acknowledged), { kubernetesNamespace: 'shop' });
    cdk.Annotations.of(readiness).acknowledgeWarning('cdk-reliability:chaos-eks-access-mode', 'the cluster is in API_AND_CONFIG_MAP mode');
    expect(accessModeWarnings(acknowledged)).toEqual([]);
  });
});

describe('EksFaultInjection.enable refuses clusters and options it cannot serve', () => {
  const where = 'Shop/K8s: EksFaultInjection.enable(cluster, options): ';

  test('an imported cluster without kubectlRoleArn cannot apply manifests', () => {
    const stack = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'K8s', { clusterName: 'shop' });
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' })).toThrow(
      `${where}the cluster cannot apply Kubernetes manifests: it has no kubectlRole (kubectlRoleArn) and no kubectlProvider`);
  });

  test('an imported cluster with a kubectl role but no kubectl layer cannot run kubectl', () => {
    const stack = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'K8s', { clusterName: 'shop', kubectlRoleArn: KUBECTL_ROLE });
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' })).toThrow(
      `${where}the cluster cannot apply Kubernetes manifests: it has a kubectlRole but no kubectlLayer`);
  });

  test('not a cluster, a namespace that is no DNS label, a malformed service account, an unknown role mapping', () => {
    const stack = newStack();
    expect(() => EksFaultInjection.enable({ clusterName: 'shop' } as never, { kubernetesNamespace: 'shop' })).toThrow(
      /^EksFaultInjection\.enable\(cluster, options\): cluster must be an EKS cluster .*, got \{"clusterName":"shop"\}$/);
    const cluster = imported(stack);
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'Shop_1' })).toThrow(
      `${where}kubernetesNamespace must be the literal name of the pods' Kubernetes namespace (lower-case letters, digits and '-', at most 63), got "Shop_1"`);
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', serviceAccountName: 'FIS' })).toThrow(
      `${where}serviceAccountName must be a Kubernetes service account name (lower-case letters, digits, '-' and '.', at most 253), got "FIS"`);
    expect(() => EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop', roleMapping: 'configmap' as never })).toThrow(
      `${where}roleMapping must be one of EksRoleMapping.ACCESS_ENTRY, EksRoleMapping.AWS_AUTH, EksRoleMapping.NONE, got "configmap"`);
  });

  test('aws-auth on an imported cluster, an access entry on a CONFIG_MAP cluster, aws-auth on an API cluster', () => {
    expect(() => EksFaultInjection.enable(imported(newStack()), { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.AWS_AUTH })).toThrow(
      `${where}roleMapping AWS_AUTH needs an eks.Cluster of this app (aws-cdk-lib cannot manage the aws-auth ConfigMap of an imported cluster)`);
    expect(() => EksFaultInjection.enable(owned(newStack()), { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.ACCESS_ENTRY })).toThrow(
      `${where}roleMapping ACCESS_ENTRY needs the cluster's authenticationMode API or API_AND_CONFIG_MAP, and it is CONFIG_MAP`);
    expect(() => EksFaultInjection.enable(owned(newStack(), eks.AuthenticationMode.API), { kubernetesNamespace: 'shop', roleMapping: EksRoleMapping.AWS_AUTH })).toThrow(
      `${where}roleMapping AWS_AUTH needs the cluster's authenticationMode CONFIG_MAP or API_AND_CONFIG_MAP, and it is API`);
  });
});
