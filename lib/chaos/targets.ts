/**
 * Which resources a fault hits: explicit resources (ARNs) or resources carrying tags — never
 * both — and how many of them (all, a count, a percentage). Pure: the fault factories turn CDK
 * resources into ARNs; the experiment turns a target into the template's `Targets` entry.
 */
import { Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { describeValue, hasLoneSurrogate, quote, readList, readProperty, unreadable } from '../private/describe';
import { Problem } from '../private/problems';

/** FIS selection modes. */
type SelectionKind = 'ALL' | 'COUNT' | 'PERCENT';

/** How many of the resolved resources an action hits. */
export class Selection {
  /** Every resource the target resolves to. */
  public static all(): Selection {
    return new Selection('ALL', undefined);
  }

  /** `n` resources picked at random (FIS `COUNT(n)`), a whole number >= 1. */
  public static count(n: number): Selection {
    return new Selection('COUNT', n);
  }

  /** `percent` % of the resources, picked at random (FIS `PERCENT(n)`), a whole number 1-100. */
  public static percent(percent: number): Selection {
    return new Selection('PERCENT', percent);
  }

  private constructor(
    /** @internal `ALL`, `COUNT` or `PERCENT`. */
    public readonly _kind: SelectionKind,
    /** The count or the percentage; `undefined` for `Selection.all()`. */
    public readonly value?: number,
  ) {}

  /** The FIS `SelectionMode`: `ALL`, `COUNT(2)`, `PERCENT(25)`. */
  public get mode(): string {
    // a value that is not a number (refused by problem()) must not make this getter throw
    return this._kind === 'ALL' ? 'ALL' : `${this._kind}(${typeof this.value === 'number' ? this.value : describeValue(this.value)})`;
  }

  /** @internal Why this selection is invalid, or `undefined`. */
  public _problem(): string | undefined {
    const v = this.value;
    if (this._kind === 'COUNT' && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
      return `Selection.count() takes a whole number of resources >= 1, got ${describeValue(v)}`;
    }
    if (this._kind === 'COUNT' && v! > Number.MAX_SAFE_INTEGER) {
      // larger numbers are written with an exponent: COUNT(1e+21) is not a selection mode FIS reads
      return `Selection.count() takes at most ${Number.MAX_SAFE_INTEGER} resources, got ${describeValue(v)}`;
    }
    if (this._kind === 'PERCENT' && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100)) {
      return `Selection.percent() takes a whole percentage from 1 to 100, got ${describeValue(v)}`;
    }
    return undefined;
  }
}

/** A filter on the resolved resources' attributes (FIS target filters), e.g. `Placement.AvailabilityZone`. */
export interface TargetFilter {
  /** Attribute path as the service's Describe API returns it, e.g. `State.Name`. */
  readonly path: string;
  /** Values that match (any of them). */
  readonly values: string[];
}

/** Options common to explicit and tagged targets. */
export interface TargetOptions {
  /**
   * Filters on the resolved resources.
   * @default - no filter
   */
  readonly filters?: TargetFilter[];
}

/** How `Targets.eksPods` picks pods (FIS's `selectorType` target parameter). */
export enum EksPodSelectorType {
  /** A Kubernetes label selector, e.g. `app=web,tier=frontend` (`labelSelector`). */
  LABEL_SELECTOR = 'labelSelector',
  /** The pods of a deployment, by its name (`deploymentName`). */
  DEPLOYMENT_NAME = 'deploymentName',
  /** One pod, by its name (`podName`). */
  POD_NAME = 'podName',
}

/** The pods `Targets.eksPods` hits: FIS's `aws:eks:pod` target parameters besides the cluster. */
export interface EksPodSelector {
  /** Kubernetes namespace of the pods (FIS `namespace`; `namespace` is reserved in C#). */
  readonly kubernetesNamespace: string;
  /** How `selectorValue` picks pods (FIS `selectorType`). */
  readonly selectorType: EksPodSelectorType;
  /** The label selector, deployment name or pod name (FIS `selectorValue`). */
  readonly selectorValue: string;
  /**
   * The container the fault is injected into (FIS `targetContainerName`).
   * @default - the first container of each pod's spec
   */
  readonly targetContainerName?: string;
  /**
   * Only pods in this Availability Zone, e.g. `us-east-1a` (FIS `availabilityZoneIdentifier`).
   * @default - pods in every Availability Zone
   */
  readonly availabilityZone?: string;
}

/** The kinds of CDK resources a `Targets` factory takes, named as the factory. */
export type ResourceKind = 'functions' | 'instances' | 'volumes' | 'autoScalingGroup' | 'autoScalingGroups' | 'ecsService' | 'ecsClusters' | 'eksPods' | 'eksNodegroups' | 'dbClusters' | 'dbInstances' | 'tables' | 'replicationGroups' | 'loadBalancers' | 'subnets' | 'transitGateways' | 'vpcEndpoints' | 'roles';

/** CDK resources given to a typed `Targets` factory; the fault turns them into ARNs (or tags) and permissions. */
export interface TypedResources {
  readonly kind: ResourceKind;
  readonly resources: unknown[];
  /** How many of them are hit; `undefined` when not given. */
  readonly selection?: Selection;
  /** What else the factory was given about them (the pod selector of `Targets.eksPods`), checked by the fault. */
  readonly details?: unknown;
}

/** The resolved target of a template: resources by ARN, by tags, or by the resource type's own parameters. */
interface TargetSpec {
  readonly arns?: string[];
  readonly tags?: Record<string, string>;
  readonly parameters?: Record<string, string>;
  readonly selection: Selection;
  readonly filters?: TargetFilter[];
  /** Why the options could not be read (a getter or a Proxy threw), reported by `problems()`. */
  readonly optionsProblem?: string;
}

/**
 * What a fault hits, and how many of them. Every fault takes one: CDK resources of this app
 * (`Targets.functions([handler])`, `Targets.ecsService(web, Selection.count(1))`, ...), resources
 * of another stack or account by ARN (`Targets.arns([...])`), or resources chosen by tags when the
 * experiment starts (`Targets.tagged({...}, Selection.count(1))`).
 *
 * ```ts
 * Fault.ec2StopInstances(Targets.tagged({ 'aws:autoscaling:groupName': 'web' }, Selection.count(1)))
 * ```
 */
export class Targets {
  /** These resources by ARN; `selection` defaults to all of them. */
  public static arns(arns: string[], selection: Selection = Selection.all(), options: TargetOptions = {}): Targets {
    return new Targets({ arns, selection, ...filtersOf(options) });
  }

  /**
   * The resources carrying all these tags when the experiment starts. The selection is required:
   * a tag can match more resources tomorrow than today, so say how many may be hit.
   */
  public static tagged(tags: Record<string, string>, selection: Selection, options: TargetOptions = {}): Targets {
    return new Targets({ tags, selection, ...filtersOf(options) });
  }

  /**
   * Lambda functions, for the Lambda faults. Functions this app declares get the FIS Lambda
   * extension attached by the experiment.
   * @param selection which of them are hit. @default Selection.all()
   */
  public static functions(functions: lambda.IFunction[], selection?: Selection): Targets {
    return Targets.typed('functions', functions, selection);
  }

  /**
   * EC2 instances, for the EC2 faults.
   * @param selection which of them are hit. @default Selection.all()
   */
  public static instances(instances: ec2.IInstance[], selection?: Selection): Targets {
    return Targets.typed('instances', instances, selection);
  }

  /**
   * EBS volumes, for the EBS faults (`Fault.ebsPauseVolumeIo`).
   * @param selection which of them are hit. @default Selection.all()
   */
  public static volumes(volumes: ec2.IVolume[], selection?: Selection): Targets {
    return Targets.typed('volumes', volumes, selection);
  }

  /**
   * The running instances of an Auto Scaling group, for the EC2 faults. The selection is
   * required: the group's size changes, so say how many may be hit.
   */
  public static autoScalingGroup(group: autoscaling.IAutoScalingGroup, selection: Selection): Targets {
    return Targets.typed('autoScalingGroup', [group], selection);
  }

  /**
   * Auto Scaling groups themselves (not their instances: that is `Targets.autoScalingGroup`), for
   * `Fault.ec2AsgInsufficientCapacityError`. Each group is found by the tags CloudFormation puts on
   * every group it creates (`aws:cloudformation:stack-name`, `aws:cloudformation:logical-id`), so
   * the groups must be declared in this app; groups of elsewhere go by `Targets.arns` or `Targets.tagged`.
   */
  public static autoScalingGroups(groups: autoscaling.IAutoScalingGroup[]): Targets {
    return Targets.typed('autoScalingGroups', groups, undefined);
  }

  /**
   * The running tasks of an ECS service, for the ECS faults. The selection is required: hitting
   * every task of a service is an outage, so say how many.
   */
  public static ecsService(service: ecs.BaseService, selection: Selection): Targets {
    return Targets.typed('ecsService', [service], selection);
  }

  /**
   * ECS clusters with EC2 container instances, for `Fault.ecsDrainContainerInstances`.
   * @param selection which of them are drained. @default Selection.all()
   */
  public static ecsClusters(clusters: ecs.ICluster[], selection?: Selection): Targets {
    return Targets.typed('ecsClusters', clusters, selection);
  }

  /**
   * The pods of an EKS cluster that a selector matches (a label selector, a deployment or a pod
   * name, in one namespace), for the EKS pod faults. FIS finds pods by these parameters, never by
   * ARN or tag. The selection is required: pods come and go, so say how many may be hit.
   */
  public static eksPods(cluster: eks.ICluster, pods: EksPodSelector, selection: Selection): Targets {
    return new Targets({ selection }, { kind: 'eksPods', resources: [cluster], selection, details: pods });
  }

  /**
   * EKS managed node groups, for `Fault.eksTerminateNodegroupInstances` (self-managed node groups
   * are not supported by FIS).
   * @param selection which of them are hit. @default Selection.all()
   */
  public static eksNodegroups(nodegroups: eks.Nodegroup[], selection?: Selection): Targets {
    return Targets.typed('eksNodegroups', nodegroups, selection);
  }

  /** Aurora/RDS database clusters, for `Fault.rdsFailoverCluster`. */
  public static dbClusters(clusters: rds.IDatabaseCluster[]): Targets {
    return Targets.typed('dbClusters', clusters, undefined);
  }

  /**
   * RDS database instances, for `Fault.rdsRebootInstances`.
   * @param selection which of them are rebooted. @default Selection.all()
   */
  public static dbInstances(instances: rds.IDatabaseInstance[], selection?: Selection): Targets {
    return Targets.typed('dbInstances', instances, selection);
  }

  /** DynamoDB global tables (tables with replicas), for `Fault.dynamoDbPauseReplication`. */
  public static tables(tables: dynamodb.ITable[]): Targets {
    return Targets.typed('tables', tables, undefined);
  }

  /**
   * ElastiCache (Valkey, Redis OSS) replication groups, for `Fault.elastiCacheAzPowerInterruption`.
   * aws-cdk-lib has only the L1 `CfnReplicationGroup`; groups of other stacks go by `Targets.arns` or `Targets.tagged`.
   */
  public static replicationGroups(groups: elasticache.CfnReplicationGroup[]): Targets {
    return Targets.typed('replicationGroups', groups, undefined);
  }

  /**
   * Application and Network Load Balancers registered with ARC zonal shift, for
   * `Fault.arcStartZonalAutoshift` (Auto Scaling groups and EKS clusters go by `Targets.arns` or
   * `Targets.tagged`).
   * @param selection which of them are hit. @default Selection.all()
   */
  public static loadBalancers(loadBalancers: elbv2.ILoadBalancerV2[], selection?: Selection): Targets {
    return Targets.typed('loadBalancers', loadBalancers, selection);
  }

  /** Subnets, for `Fault.disruptConnectivity` and `Fault.routeTableDisruptCrossRegion`. */
  public static subnets(subnets: ec2.ISubnet[]): Targets {
    return Targets.typed('subnets', subnets, undefined);
  }

  /**
   * Transit gateways, for `Fault.transitGatewayDisruptCrossRegion` (aws-cdk-lib has only the L1
   * `CfnTransitGateway`; gateways of other stacks go by `Targets.arns` or `Targets.tagged`).
   * @param selection which of them are hit. @default Selection.all()
   */
  public static transitGateways(gateways: ec2.CfnTransitGateway[], selection?: Selection): Targets {
    return Targets.typed('transitGateways', gateways, selection);
  }

  /**
   * Interface VPC endpoints, for `Fault.disruptVpcEndpoint`.
   * @param selection which of them are hit. @default Selection.all()
   */
  public static vpcEndpoints(endpoints: ec2.IInterfaceVpcEndpoint[], selection?: Selection): Targets {
    return Targets.typed('vpcEndpoints', endpoints, selection);
  }

  /** IAM roles whose AWS API calls fail, for the API error faults. */
  public static roles(roles: iam.IRole[]): Targets {
    return Targets.typed('roles', roles, undefined);
  }

  /** @internal */
  public static _isTargets(x: unknown): x is Targets {
    return x instanceof Targets;
  }

  /**
   * @internal The same resources with the resource type's target parameters added (ElastiCache: the
   * availability zone whose nodes are hit).
   */
  public _withParameters(parameters: Record<string, string>): Targets {
    return new Targets({ ...this._spec, parameters: { ...this._spec.parameters, ...parameters } }, this._resources);
  }

  /** @internal Targets resolved through the resource type's own target parameters (ECS: cluster and service). */
  public static _byParameters(parameters: Record<string, string>, selection: Selection): Targets {
    return new Targets({ parameters, selection });
  }

  private static typed(kind: ResourceKind, resources: unknown[], selection: Selection | undefined): Targets {
    return new Targets({ selection: selection ?? Selection.all() }, { kind, resources, selection });
  }

  private constructor(
    /** @internal */
    public readonly _spec: TargetSpec,
    /** @internal The CDK resources of a typed factory, which the fault turns into a resolved target; `undefined` for resolved targets. */
    public readonly _resources?: TypedResources,
  ) {}

  /**
   * What is wrong with this target, as problems under `prop`; problems of the selection under
   * `selectionProp`.
   * @internal
   */
  public _problems(prop: string, selectionProp = `${prop}.selection`): Problem[] {
    const { arns, tags, parameters, selection, filters, optionsProblem } = this._spec;
    const problems: Problem[] = [];
    if (optionsProblem) {
      problems.push({ prop: `${prop}.options`, message: optionsProblem });
    }
    if (arns !== undefined && tags !== undefined) {
      problems.push({ prop, message: 'takes resources or tags, never both' });
    }
    let arnCount: number | undefined;
    if (arns !== undefined) {
      // every item read once, a hole as undefined: a hole in the list is a missing ARN, not nothing
      const list = readList(arns);
      if (!list.ok) {
        problems.push({ prop, message: list.problem });
      } else if (list.value === undefined || list.value.length === 0) {
        problems.push({ prop, message: 'has no resources: an experiment must name what it hits (pass at least one resource, or select by tags with a count or percentage)' });
      } else {
        arnCount = list.value.length;
        problems.push(...arnProblems(list.value, prop));
      }
    }
    if (tags !== undefined) {
      problems.push(...tagProblems(tags, prop));
    }
    if (arns === undefined && tags === undefined && parameters === undefined) {
      problems.push({ prop, message: 'names no resource and no tag: an experiment with unbounded targets is refused' });
    }
    if (!(selection instanceof Selection)) {
      problems.push({ prop: selectionProp, message: `must be Selection.all(), Selection.count(n) or Selection.percent(p), got ${describeValue(selection)}` });
    } else {
      const p = selection._problem();
      if (p) {
        problems.push({ prop: selectionProp, message: p });
      } else if (arnCount !== undefined && selection._kind === 'COUNT' && (selection.value ?? 0) > arnCount) {
        problems.push({ prop: selectionProp, message: `selects ${selection.value} of ${arnCount} resource(s)` });
      }
    }
    problems.push(...filterProblems(filters, prop));
    return problems;
  }
}

/** Characters no ARN, tag or filter may hold: controls, format characters, private-use and unassigned code points. */
const UNPRINTABLE = /\p{C}/u;

/** `options.filters` of a `Targets` factory, or why the options could not be read (a factory never throws: the experiment reports it, naming the prop). */
function filtersOf(options: TargetOptions | undefined): { filters?: TargetFilter[]; optionsProblem?: string } {
  const filters = readProperty(options, 'filters');
  return filters.ok ? { filters: filters.value as TargetFilter[] | undefined } : { optionsProblem: filters.problem };
}

function arnProblems(arns: unknown[], prop: string): Problem[] {
  const problems: Problem[] = [];
  arns.forEach((arn, i) => {
    // arn:partition:service:region:account:resource, the resource part not empty
    if (typeof arn !== 'string' || (!Token.isUnresolved(arn) && !/^arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S+$/.test(arn))) {
      problems.push({ prop: `${prop}.arns[${i}]`, message: `must be an ARN (arn:...), got ${describeValue(arn)}` });
    } else if (UNPRINTABLE.test(arn)) {
      problems.push({ prop: `${prop}.arns[${i}]`, message: `must be an ARN (arn:...) without control characters, got ${describeValue(arn)}` });
    } else if (arn.length > 2048) {
      problems.push({ prop: `${prop}.arns[${i}]`, message: `must be at most 2048 characters (FIS's limit), got ${arn.length}` });
    }
  });
  // Identical tokens are the same resource too (the same function passed twice).
  if (new Set(arns).size < arns.length) {
    problems.push({ prop, message: 'names a resource twice' });
  }
  return problems;
}

function tagProblems(tags: unknown, prop: string): Problem[] {
  let entries: [string, unknown][];
  try {
    entries = tags && typeof tags === 'object' ? Object.entries(tags) : [];
  } catch (e) {
    return [{ prop: `${prop}.tags`, message: unreadable(e) }];
  }
  if (entries.length === 0) {
    return [{ prop, message: 'selects by tags but names none: that would match nothing or, worse, everything; pass at least one tag' }];
  }
  const problems: Problem[] = [];
  for (const [key, value] of entries) {
    if (key.trim() === '' || typeof value !== 'string') {
      problems.push({ prop: `${prop}.tags`, message: `tag ${quote(key, 40)} must have a non-empty key and a string value, got ${describeValue(value)}` });
    } else if (UNPRINTABLE.test(key) || UNPRINTABLE.test(value) || hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      problems.push({ prop: `${prop}.tags`, message: `tag ${quote(key, 40)} must have a key and value without control characters or halves of surrogate pairs` });
    } else if (key.length > 128 || value.length > 256) {
      problems.push({ prop: `${prop}.tags`, message: `tag ${JSON.stringify(Array.from(key).slice(0, 39).join(''))}… must have a key of at most 128 characters and a value of at most 256 (AWS tag limits), got ${key.length} and ${value.length}` });
    }
  }
  return problems;
}

function filterProblems(filters: unknown, prop: string): Problem[] {
  if (filters === undefined) {
    return [];
  }
  const list = readList(filters);
  if (!list.ok) {
    return [{ prop: `${prop}.filters`, message: list.problem }];
  }
  if (list.value === undefined) {
    return [{ prop: `${prop}.filters`, message: `must be a list of { path, values }, got ${describeValue(filters)}` }];
  }
  const problems: Problem[] = [];
  list.value.forEach((f, i) => {
    const path = readProperty(f, 'path');
    const values = readProperty(f, 'values');
    const items = values.ok ? readList(values.value) : values;
    if (!path.ok || !items.ok) {
      problems.push({ prop: `${prop}.filters[${i}]`, message: !path.ok ? path.problem : (items as { problem: string }).problem });
    } else if (f === undefined || f === null || !isText(path.value) || items.value === undefined || items.value.length === 0 || !items.value.every(isText)) {
      problems.push({ prop: `${prop}.filters[${i}]`, message: `needs a path and at least one value, all strings, got ${describeValue(f)}` });
    }
  });
  return problems;
}

/** A non-empty string without control characters or halves of surrogate pairs. */
function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !UNPRINTABLE.test(value) && !hasLoneSurrogate(value);
}
