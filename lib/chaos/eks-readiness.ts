/**
 * Chaos readiness for EKS: what FIS's pod faults need in the cluster, applied by one call.
 *
 * As https://docs.aws.amazon.com/fis/latest/userguide/eks-pod-actions.html describes it, FIS starts
 * its pod in the target pods' namespace under the Kubernetes service account the action names
 * (`kubernetesServiceAccount`); that account, and the Kubernetes user the experiment role is mapped
 * to (`fis-experiment` in AWS's example: an access entry or an aws-auth mapping with that user
 * name), are the subjects of a RoleBinding to a namespaced Role with these rules:
 * - `""` configmaps: get, create, patch, delete
 * - `""` pods: create, list, get, delete, deletecollection
 * - `""` pods/ephemeralcontainers: update
 * - `""` pods/exec: create
 * - `apps` deployments: get
 *
 * The rules, the subjects and the user name were checked against copies of that page's RBAC
 * section (its text itself was not readable from here); the access entry against
 * `aws eks create-access-entry --username` (https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html).
 */
import { Annotations, Names, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { describeValue } from '../private/describe';

/** The Kubernetes user FIS's documentation maps the experiment role to, and binds to the Role. */
export const FIS_KUBERNETES_USER = 'fis-experiment';
/** The service account `EksFaultInjection.enable` applies unless told otherwise. */
export const DEFAULT_FIS_SERVICE_ACCOUNT = 'fis-experiments';

/** Kubernetes names: DNS labels (namespaces, containers) and DNS subdomains (service accounts, pods, deployments). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** How an experiment's role becomes the Kubernetes user the RoleBinding names. */
export enum EksRoleMapping {
  /**
   * An EKS access entry (`AWS::EKS::AccessEntry`) with the user name, created beside each
   * experiment that targets the cluster; the cluster's authentication mode must be `API` or
   * `API_AND_CONFIG_MAP`.
   */
  ACCESS_ENTRY = 'ACCESS_ENTRY',
  /**
   * A `mapRoles` entry of the cluster's aws-auth ConfigMap (`cluster.awsAuth.addRoleMapping`):
   * an `eks.Cluster` of this app in `CONFIG_MAP` mode, with the experiment in the cluster's stack.
   * aws-cdk-lib then owns the whole ConfigMap (as it already does once the cluster has node groups
   * or a masters role from CDK): mappings made outside CDK are overwritten.
   */
  AWS_AUTH = 'AWS_AUTH',
  /** None: you map each experiment's `role` to the user yourself (eksctl, GitOps, another stack). */
  NONE = 'NONE',
}

/** Options of `EksFaultInjection.enable`. */
export interface EksFaultInjectionOptions {
  /** The namespace of the pods the faults target (it must exist; this call does not create it). */
  readonly kubernetesNamespace: string;
  /**
   * The service account FIS's pod runs as; pod faults on this namespace default their
   * `kubernetesServiceAccount` to it.
   * @default 'fis-experiments'
   */
  readonly serviceAccountName?: string;
  /**
   * How experiments' roles are mapped to the Kubernetes user `fis-experiment`.
   * @default - an `eks.Cluster` in `CONFIG_MAP` mode (aws-cdk-lib's default) whose aws-auth ConfigMap aws-cdk-lib
   * already manages (node groups, capacity or a masters role of this app): `AWS_AUTH`; such a cluster without it
   * is refused (aws-cdk-lib would replace the ConfigMap made outside CDK): pass the mapping; any other cluster: `ACCESS_ENTRY`
   */
  readonly roleMapping?: EksRoleMapping;
}

/** An experiment's pod faults on one namespace of a cluster. */
interface ExperimentUse {
  readonly experiment: Construct;
  /** The cluster as the experiment's fault names it (another object than enable's when imported twice). */
  readonly cluster: eks.ICluster;
  readonly role: iam.IRole;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** What this app knows about one cluster: its prepared namespaces and the experiments on it. */
interface ClusterRecord {
  readonly namespaces: Map<string, EksFaultInjection>;
  readonly uses: ExperimentUse[];
  readonly mapped: Set<iam.IRole>;
  roleMapping?: EksRoleMapping;
}

/** Per app (its root): the clusters' records, by `clusterKey`. */
const APPS = new WeakMap<IConstruct, Map<unknown, ClusterRecord>>();

/**
 * One cluster, however often it is imported: its account, region and name when the name is
 * literal (two stacks importing `shop` mean the same Kubernetes objects), else the object.
 */
function clusterKey(cluster: eks.ICluster): unknown {
  if (Token.isUnresolved(cluster.clusterName)) {
    return cluster;
  }
  return `${cluster.env.account}/${cluster.env.region}/${cluster.clusterName}`;
}

function recordOf(cluster: eks.ICluster): ClusterRecord {
  let clusters = APPS.get(cluster.node.root);
  if (!clusters) {
    clusters = new Map();
    APPS.set(cluster.node.root, clusters);
  }
  const key = clusterKey(cluster);
  let record = clusters.get(key);
  if (!record) {
    record = { namespaces: new Map(), uses: [], mapped: new Set() };
    clusters.set(key, record);
  }
  return record;
}

/** The preparation of `namespace` in `cluster`, if this app made one. */
export function eksReadinessOf(cluster: eks.ICluster, namespace: string): EksFaultInjection | undefined {
  return APPS.get(cluster.node.root)?.get(clusterKey(cluster))?.namespaces.get(namespace);
}

/**
 * Prepares a namespace of an EKS cluster for FIS's pod faults (`Fault.eksPod*`): applies the
 * service account FIS's pod runs as, the Role FIS documents and a RoleBinding of that Role to the
 * service account and to the Kubernetes user `fis-experiment`, with `cluster.addManifest()`; and
 * maps the role of every experiment with a pod fault on the namespace to that user (an access
 * entry, or an aws-auth mapping in `CONFIG_MAP` mode), whether the experiment is declared before
 * or after this call. Pod faults on the namespace then default `kubernetesServiceAccount` to the
 * service account, and the experiments no longer warn about the cluster.
 *
 * ```ts
 * EksFaultInjection.enable(cluster, { kubernetesNamespace: 'shop' });
 * checkout.addExperiment('pod-cpu', { fault: Fault.eksPodCpuStress(Targets.eksPods(cluster, pods, Selection.count(1)), {}), duration: Duration.minutes(5) });
 * ```
 *
 * The cluster must be able to apply manifests: an `eks.Cluster` of this app, or one imported with
 * `kubectlRoleArn` and `kubectlLayer` (or a `kubectlProvider`).
 */
export class EksFaultInjection extends Construct {
  /**
   * Prepares `options.kubernetesNamespace` of `cluster` (idempotent: a second call for the namespace returns
   * the first result; options that contradict it are refused, and so is a call on another import of the
   * same cluster, e.g. from a second stack, whose experiments share the first preparation).
   */
  public static enable(cluster: eks.ICluster, options: EksFaultInjectionOptions): EksFaultInjection {
    const call = 'EksFaultInjection.enable(cluster, options)';
    if (!Construct.isConstruct(cluster) || typeof (cluster as Partial<eks.ICluster>).clusterName !== 'string' || typeof (cluster as Partial<eks.ICluster>).addManifest !== 'function') {
      throw new Error(`${call}: cluster must be an EKS cluster (eks.Cluster, or eks.Cluster.fromClusterAttributes with kubectlRoleArn), got ${describeValue(cluster)}`);
    }
    const where = `${cluster.node.path}: ${call}`;
    const namespace = options?.kubernetesNamespace;
    if (typeof namespace !== 'string' || Token.isUnresolved(namespace) || !DNS_LABEL.test(namespace)) {
      throw new Error(`${where}: kubernetesNamespace must be the literal name of the pods' Kubernetes namespace (lower-case letters, digits and '-', at most 63), got ${describeValue(namespace)}`);
    }
    const serviceAccount = options.serviceAccountName ?? DEFAULT_FIS_SERVICE_ACCOUNT;
    if (typeof serviceAccount !== 'string' || (!Token.isUnresolved(serviceAccount) && !DNS_SUBDOMAIN.test(serviceAccount))) {
      throw new Error(`${where}: serviceAccountName must be a Kubernetes service account name (lower-case letters, digits, '-' and '.', at most 253), got ${describeValue(serviceAccount)}`);
    }
    const record = recordOf(cluster);
    const existing = record.namespaces.get(namespace);
    if (existing && existing.node.scope !== cluster) {
      // kubectl creates (no overwrite): a second copy of the objects fails its deploy with AlreadyExists, and deleting either stack deletes both's
      throw new Error(`${where}: namespace '${namespace}' of cluster '${cluster.clusterName}' is already prepared by ${existing.node.path}; the service account, Role and RoleBinding `
        + 'can be applied once per cluster and namespace (a second copy fails its deploy with AlreadyExists, and deleting either stack deletes the objects of both): '
        + 'prepare the namespace once and share it, declaring the experiments of every stack against the same namespace (their roles are mapped wherever they are)');
    }
    if (existing) {
      const asked = { serviceAccountName: options.serviceAccountName, roleMapping: options.roleMapping };
      const had = { serviceAccountName: existing.serviceAccountName, roleMapping: existing.roleMapping };
      for (const key of ['serviceAccountName', 'roleMapping'] as const) {
        if (asked[key] !== undefined && asked[key] !== had[key]) {
          throw new Error(`${where}: namespace '${namespace}' was already prepared with ${key} '${had[key]}', got '${asked[key]}'; one namespace has one FIS service account and one role mapping per cluster`);
        }
      }
      return existing;
    }
    const manifestProblem = kubectlProblem(cluster);
    if (manifestProblem) {
      throw new Error(`${where}: ${manifestProblem}`);
    }
    const roleMapping = roleMappingOf(cluster, options.roleMapping, where);
    if (record.roleMapping !== undefined && record.roleMapping !== roleMapping) {
      throw new Error(`${where}: roleMapping '${roleMapping}' contradicts '${record.roleMapping}' of the cluster's other prepared namespaces; an experiment role is mapped once per cluster`);
    }
    const conflict = record.uses.find((u) => u.namespace === namespace && u.serviceAccount !== serviceAccount);
    if (conflict) {
      throw new Error(`${where}: serviceAccountName is '${serviceAccount}', but ${conflict.experiment.node.path} already runs FIS's pod in namespace '${namespace}' as '${conflict.serviceAccount}'; `
        + `pass serviceAccountName: '${conflict.serviceAccount}', or drop the fault's kubernetesServiceAccount`);
    }
    record.roleMapping = roleMapping;
    const readiness = new EksFaultInjection(cluster, `FisFaultInjection-${namespace}`, namespace, serviceAccount, roleMapping);
    record.namespaces.set(namespace, readiness);
    if (options.roleMapping === undefined && !(cluster instanceof eks.Cluster) && cluster.authenticationMode === undefined) {
      // an imported cluster does not say its mode; a CONFIG_MAP cluster refuses the access entries at deploy
      Annotations.of(readiness).addWarningV2('cdk-reliability:chaos-eks-access-mode', `${readiness.node.path}: the experiment roles are mapped with EKS access entries `
        + `(EksRoleMapping.ACCESS_ENTRY, the default for an imported cluster), which need the cluster's authentication mode API or API_AND_CONFIG_MAP; the import does not say `
        + `the mode, and a CONFIG_MAP cluster fails the deploy. Check it with aws eks describe-cluster --name ${cluster.clusterName} --query cluster.accessConfig, `
        + 'then pass roleMapping: EksRoleMapping.ACCESS_ENTRY explicitly (or NONE to map the roles yourself), or acknowledge this warning');
    }
    for (const use of record.uses.filter((u) => u.namespace === namespace)) {
      mapRole(record, use);
    }
    return readiness;
  }

  /** The namespace prepared. */
  public readonly kubernetesNamespace: string;
  /** The service account FIS's pod runs as in the namespace. */
  public readonly serviceAccountName: string;
  /** The Kubernetes user experiment roles are mapped to, a subject of the RoleBinding (`fis-experiment`). */
  public readonly kubernetesUser: string;
  /** How experiment roles are mapped to `kubernetesUser`. */
  public readonly roleMapping: EksRoleMapping;
  /**
   * The ServiceAccount, Role and RoleBinding, applied by the cluster's kubectl provider; e.g. make
   * it depend on the manifest that creates the namespace.
   */
  public readonly manifest: eks.KubernetesManifest;

  private constructor(cluster: eks.ICluster, id: string, namespace: string, serviceAccount: string, roleMapping: EksRoleMapping) {
    super(cluster, id);
    this.kubernetesNamespace = namespace;
    this.serviceAccountName = serviceAccount;
    this.kubernetesUser = FIS_KUBERNETES_USER;
    this.roleMapping = roleMapping;
    this.manifest = cluster.addManifest(id, ...EksFaultInjection.rbacManifest(namespace, serviceAccount));
  }

  /**
   * The ServiceAccount, Role and RoleBinding of `namespace`, as FIS documents them: the objects
   * `enable` applies, for clusters whose RBAC is applied some other way (GitOps). The Role and the
   * RoleBinding take the service account's name, so that another `serviceAccountName` does not
   * clash with objects of the default name already in the namespace.
   */
  private static rbacManifest(namespace: string, serviceAccount: string): Record<string, any>[] {
    const core = '';
    return [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: serviceAccount, namespace },
        rules: [
          { apiGroups: [core], resources: ['configmaps'], verbs: ['get', 'create', 'patch', 'delete'] },
          { apiGroups: [core], resources: ['pods'], verbs: ['create', 'list', 'get', 'delete', 'deletecollection'] },
          { apiGroups: [core], resources: ['pods/ephemeralcontainers'], verbs: ['update'] },
          { apiGroups: [core], resources: ['pods/exec'], verbs: ['create'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: serviceAccount, namespace },
        subjects: [
          { kind: 'ServiceAccount', name: serviceAccount, namespace },
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: FIS_KUBERNETES_USER },
        ],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: serviceAccount },
      },
    ];
  }
}

/** Why aws-cdk-lib cannot apply manifests to `cluster`, or `undefined`. */
function kubectlProblem(cluster: eks.ICluster): string | undefined {
  if (cluster instanceof eks.Cluster || cluster.kubectlProvider !== undefined) {
    return undefined;
  }
  const fix = 'import it with eks.Cluster.fromClusterAttributes({ clusterName, kubectlRoleArn, kubectlLayer }) (a role mapped to system:masters, '
    + 'and e.g. KubectlV33Layer of @aws-cdk/lambda-layer-kubectl-v33) or with a kubectlProvider; or apply the manifest of docs/chaos.md ("EKS pod faults") yourself';
  if (cluster.kubectlRole === undefined) {
    return `the cluster cannot apply Kubernetes manifests: it has no kubectlRole (kubectlRoleArn) and no kubectlProvider, and aws-cdk-lib's kubectl provider assumes that role; ${fix}`;
  }
  if (cluster.kubectlLayer === undefined) {
    return `the cluster cannot apply Kubernetes manifests: it has a kubectlRole but no kubectlLayer, so the kubectl provider's function would have no kubectl; ${fix}`;
  }
  return undefined;
}

/** The role mapping asked for, or the cluster's default; refused when the cluster's authentication mode cannot take it. */
function roleMappingOf(cluster: eks.ICluster, asked: EksRoleMapping | undefined, where: string): EksRoleMapping {
  const allowed = Object.values(EksRoleMapping);
  if (asked !== undefined && !allowed.includes(asked)) {
    throw new Error(`${where}: roleMapping must be one of EksRoleMapping.${allowed.join(', EksRoleMapping.')}, got ${describeValue(asked)}`);
  }
  const owned = cluster instanceof eks.Cluster;
  // aws-cdk-lib creates clusters in CONFIG_MAP mode unless told otherwise; an imported cluster's mode is unknown
  const mode = owned ? (cluster.authenticationMode ?? eks.AuthenticationMode.CONFIG_MAP) : cluster.authenticationMode;
  if (asked === undefined && owned && mode === eks.AuthenticationMode.CONFIG_MAP && cluster.node.tryFindChild('AwsAuth') === undefined) {
    // kubectl apply of aws-cdk-lib's aws-auth replaces the whole ConfigMap: only a default when aws-cdk-lib already owns it
    throw new Error(`${where}: roleMapping must be given for this cluster: it is in CONFIG_MAP mode and aws-cdk-lib does not manage its aws-auth ConfigMap yet `
      + '(no node group, capacity or masters role of this app), so mapping the experiment roles there would make aws-cdk-lib apply the whole ConfigMap and overwrite '
      + 'every mapping made outside CDK (node roles of Karpenter or eksctl node groups, SSO administrators); pass EksRoleMapping.AWS_AUTH if CDK may own aws-auth, '
      + 'EksRoleMapping.NONE to map the roles yourself, or set authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP and use EksRoleMapping.ACCESS_ENTRY');
  }
  const mapping = asked ?? (owned && mode === eks.AuthenticationMode.CONFIG_MAP ? EksRoleMapping.AWS_AUTH : EksRoleMapping.ACCESS_ENTRY);
  if (mapping === EksRoleMapping.ACCESS_ENTRY && mode === eks.AuthenticationMode.CONFIG_MAP) {
    throw new Error(`${where}: roleMapping ACCESS_ENTRY needs the cluster's authenticationMode API or API_AND_CONFIG_MAP, and it is CONFIG_MAP; `
      + 'use EksRoleMapping.AWS_AUTH (the default for it), or set authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP');
  }
  if (mapping === EksRoleMapping.AWS_AUTH && !owned) {
    throw new Error(`${where}: roleMapping AWS_AUTH needs an eks.Cluster of this app (aws-cdk-lib cannot manage the aws-auth ConfigMap of an imported cluster); `
      + 'use EksRoleMapping.ACCESS_ENTRY (authentication mode API or API_AND_CONFIG_MAP), or EksRoleMapping.NONE and map the experiments\' roles yourself');
  }
  if (mapping === EksRoleMapping.AWS_AUTH && mode === eks.AuthenticationMode.API) {
    throw new Error(`${where}: roleMapping AWS_AUTH needs the cluster's authenticationMode CONFIG_MAP or API_AND_CONFIG_MAP, and it is API; use EksRoleMapping.ACCESS_ENTRY (the default for it)`);
  }
  return mapping;
}

/** Maps `use.role` to the Kubernetes user in `cluster`, once per role and cluster. */
function mapRole(record: ClusterRecord, use: ExperimentUse): void {
  const cluster = use.cluster;
  if (record.mapped.has(use.role)) {
    return;
  }
  record.mapped.add(use.role);
  if (record.roleMapping === EksRoleMapping.ACCESS_ENTRY) {
    const entry = new eks.CfnAccessEntry(use.experiment, `KubernetesUser${Names.nodeUniqueId(cluster.node)}`, {
      clusterName: cluster.clusterName,
      principalArn: use.role.roleArn,
      username: FIS_KUBERNETES_USER,
    });
    entry.node.addValidation({ validate: () => otherAccessEntries(entry) });
  } else if (record.roleMapping === EksRoleMapping.AWS_AUTH) {
    const owner = Stack.of(cluster);
    if (Stack.of(use.role) !== owner) {
      throw new Error(`${use.experiment.node.path}: the experiment's role is in stack ${Stack.of(use.role).stackName}, and the aws-auth ConfigMap of ${cluster.node.path} (roleMapping AWS_AUTH) `
        + `can map roles of its own stack ${owner.stackName} only (aws-cdk-lib refuses the reference cycle); declare the experiment in that stack, `
        + 'or use authenticationMode API_AND_CONFIG_MAP with EksRoleMapping.ACCESS_ENTRY, or EksRoleMapping.NONE');
    }
    (cluster as eks.Cluster).awsAuth.addRoleMapping(use.role, { username: FIS_KUBERNETES_USER, groups: [] });
  }
}

/**
 * Access entries of the app for the same principal and cluster as `entry` (the user's own, e.g.
 * made before `enable` mapped the role): EKS refuses a second one ("An IAM principal can't be
 * included in more than one access entry",
 * https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html), so the deploy fails.
 */
function otherAccessEntries(entry: eks.CfnAccessEntry): string[] {
  const same = (a: string, b: string, other: eks.CfnAccessEntry): boolean => a === b
    || (Stack.of(other) === Stack.of(entry) && JSON.stringify(Stack.of(entry).resolve(a)) === JSON.stringify(Stack.of(entry).resolve(b)));
  return entry.node.root.node.findAll()
    .filter((c): c is eks.CfnAccessEntry => c instanceof eks.CfnAccessEntry && c !== entry)
    .filter((other) => same(other.principalArn, entry.principalArn, other) && same(other.clusterName, entry.clusterName, other))
    .map((other) => `${entry.node.path} (EksFaultInjection.enable's mapping of the experiment role to '${FIS_KUBERNETES_USER}') and ${other.node.path} are two access entries `
      + 'for the same role on the same cluster, and EKS refuses a principal in more than one access entry (the deploy fails); map the role once: '
      + `delete ${other.node.path}, or pass roleMapping: EksRoleMapping.NONE to EksFaultInjection.enable and map the experiment roles yourself`);
}

/** A pod fault's namespace and service account, as the experiment hands them over. */
export interface KubernetesPods {
  readonly cluster: eks.ICluster;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The FIS action, for messages (`aws:eks:pod-cpu-stress`). */
  readonly fault: string;
}

/**
 * Records that `experiment` (running as `role`) injects pod faults into `pods`: maps the role when
 * the namespace is prepared (now or by a later `enable`), and warns at synth when it never was.
 */
export function registerEksExperiment(experiment: Construct, role: iam.IRole, pods: KubernetesPods[]): void {
  for (const p of pods) {
    const record = recordOf(p.cluster);
    const use = { experiment, cluster: p.cluster, role, namespace: p.namespace, serviceAccount: p.serviceAccount };
    record.uses.push(use);
    if (record.namespaces.has(p.namespace)) {
      mapRole(record, use);
    }
  }
  const unprepared = (): KubernetesPods[] => pods.filter((p) => !recordOf(p.cluster).namespaces.has(p.namespace));
  if (unprepared().length === 0) {
    return;
  }
  // warned at synth, so that an enable() after the experiment counts
  experiment.node.addValidation({
    validate: () => {
      const seen = new Set<string>();
      for (const p of unprepared()) {
        const key = `${p.cluster.node.path}/${p.namespace}`;
        if (seen.has(key)) {
          continue;
        }
        seen.add(key);
        warn(experiment, p);
      }
      return [];
    },
  });
}

function warn(experiment: IConstruct, p: KubernetesPods): void {
  Annotations.of(experiment).addWarningV2('cdk-reliability:chaos-eks-rbac', `${experiment.node.path}: ${p.fault} runs FIS's pod in namespace '${p.namespace}' of ${p.cluster.node.path} `
    + `as service account '${p.serviceAccount}', bound with the Kubernetes user '${FIS_KUBERNETES_USER}' (the experiment role mapped to it) to the Role FIS documents; `
    + `this app does not prepare that namespace, so FIS fails the action unless it was prepared elsewhere. EksFaultInjection.enable(cluster, { kubernetesNamespace: '${p.namespace}' }) `
    + 'applies the service account, Role and RoleBinding and maps the experiment role; or apply them and the mapping yourself (docs/chaos.md, "EKS pod faults")');
}
