/**
 * What a fault becomes in a template: one FIS action, or several in sequence or in parallel.
 * Fault factories build these; the experiment lays them out (`layout.ts`). Pure data plus CDK
 * references (ARNs may be tokens).
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { describeValue, readList } from '../private/describe';
import { FisActionDefinition } from './catalog';
import type { KubernetesPods } from './eks-readiness';
import { FIS_MAX_DURATION, fisDurationProblem, isoDuration } from './fis-duration';
import { ResourceKind, Selection, Targets } from './targets';
import { Problem } from '../private/problems';
import { formatDuration } from '../private/format';

/** An availability zone name (`us-east-1a`, `us-gov-west-1b`, `us-west-2-lax-1a`) or id (`use1-az1`). */
const AZ = /^(?:[a-z]{2}(?:-[a-z]+)+-\d+[a-z](?:-[a-z]+-\d+[a-z])?|[a-z]{2,5}\d+-az\d+)$/;

/** A region code: `eu-west-1`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** Shortest fault duration: CloudWatch sees a fault at one-minute resolution at best. */
export const MIN_FAULT_DURATION = Duration.minutes(1);

/** One FIS action of an experiment. */
export interface FaultActionSpec {
  /** The catalog entry. */
  readonly definition: FisActionDefinition;
  /** What it does, in a sentence (the action's description in the template). */
  readonly description: string;
  /** FIS parameters, as strings. */
  readonly parameters: Record<string, string>;
  /** What it hits; absent for actions without a target. */
  readonly target?: Targets;
  /** How long it runs, for the plan and the 12-hour bound; absent for one-shot actions. */
  readonly durationSeconds?: number;
  /** Statements the role needs beyond the catalog's (SSM documents, network ACLs, ...). */
  readonly statements?: iam.PolicyStatement[];
  /**
   * Whether `statements` already grant the catalog's `onTargets` actions, scoped their own way
   * (tasks of a cluster, instances carrying a group's tag). Otherwise the experiment grants them on
   * the target's ARNs, or on `*` for targets chosen by tags.
   */
  readonly ownsTargetPermissions?: boolean;
  /** Functions that need the FIS Lambda extension (Lambda faults on typed functions). */
  readonly lambdaFunctions?: lambda.IFunction[];
  /** Whether the action needs the FIS Lambda extension's S3 configuration location. */
  readonly usesLambdaExtension?: boolean;
  /** Things the user should know; the experiment turns them into construct warnings. */
  readonly warnings?: FaultWarning[];
  /** The pods' cluster, namespace and service account (EKS pod faults): the experiment maps its role there. */
  readonly kubernetes?: KubernetesPods;
}

/** Something the user should know about a fault, shown as a construct warning `cdk-reliability:chaos-<id>`. */
export interface FaultWarning {
  readonly id: string;
  readonly message: string;
}

/** A fault laid out as a tree of actions. */
export type FaultNode =
  | { readonly kind: 'action'; readonly action: FaultActionSpec }
  | { readonly kind: 'sequence' | 'parallel'; readonly children: FaultNode[] };

/** What a fault needs from its experiment to resolve. */
export interface FaultContext {
  /** The experiment: the stack and environment ARNs are formatted in. */
  readonly scope: Construct;
  /** Prop path for messages, e.g. `fault` or `fault.sequence[1]`. */
  readonly prop: string;
  /** The experiment's duration, for faults that run for a while and were given none. */
  readonly defaultDuration?: Duration;
}

/** A fault resolved: its actions, or what is wrong with it. */
export interface ResolvedFault {
  readonly node?: FaultNode;
  readonly problems: Problem[];
}

/** Collects problems while a fault factory's options are read. */
export class OptionReader {
  public readonly problems: Problem[] = [];

  constructor(private readonly prop: string) {}

  /**
   * The fault's duration: its own, else the experiment's (which the experiment validates itself);
   * between `min` (1 minute unless the action allows less) and 12 hours.
   */
  public duration(own: Duration | undefined, context: FaultContext, name = 'duration', min: Duration = MIN_FAULT_DURATION): number | undefined {
    if (own === undefined) {
      if (context.defaultDuration === undefined) {
        this.problems.push({ prop: `${this.prop}.${name}`, message: `is required: give the fault a ${name}, or the experiment a duration (e.g. Duration.minutes(10))` });
        return undefined;
      }
      return context.defaultDuration instanceof Duration && !fisDurationProblem(context.defaultDuration, MIN_FAULT_DURATION) ? context.defaultDuration.toSeconds() : undefined;
    }
    const p = fisDurationProblem(own, min, FIS_MAX_DURATION);
    if (p) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: p });
      return undefined;
    }
    return own.toSeconds();
  }

  /** An optional duration between `min` and `max`. */
  public optionalDuration(value: Duration | undefined, name: string, min: Duration, max: Duration = FIS_MAX_DURATION): number | undefined {
    if (value === undefined) {
      return undefined;
    }
    const p = fisDurationProblem(value, min, max);
    if (p) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: p });
      return undefined;
    }
    return value.toSeconds();
  }

  /** A whole number within [min, max], or its default. */
  public integer(value: number | undefined, name: string, min: number, max: number, fallback: number, unit = ''): number {
    const v = value ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `must be a whole number from ${min} to ${max}${unit}, got ${describeValue(v)}` });
    }
    return v;
  }

  /** A Duration as whole milliseconds within [min, max]. */
  public milliseconds(value: Duration | undefined, name: string, min: number, max: number): number {
    if (!(value instanceof Duration)) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `is required: a Duration from ${min} to ${max} ms (e.g. Duration.millis(200)), got ${describeValue(value)}` });
      return NaN;
    }
    // asked before converting: Duration.minutes(token).toMilliseconds() throws
    if (value.isUnresolved()) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `must be a concrete Duration from ${min} to ${max} ms, got a token` });
      return NaN;
    }
    const ms = value.toMilliseconds({ integral: false });
    if (!Number.isInteger(ms) || ms < min || ms > max) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `must be a whole number of milliseconds from ${min} to ${max}, got ${ms} ms` });
    }
    return ms;
  }

  /** One of the allowed values, or its default. */
  public oneOf<T extends string>(value: T | undefined, name: string, allowed: readonly T[], fallback?: T): T | undefined {
    const v = value ?? fallback;
    if (v === undefined) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `is required: one of ${allowed.map((a) => `'${a}'`).join(', ')}` });
      return undefined;
    }
    if (!allowed.includes(v)) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(v)}` });
    }
    return v;
  }

  /**
   * An availability zone name (`eu-west-1a`) or id (`euw1-az1`), required; a name must be of the
   * stack's region (FIS acts in the experiment's region).
   */
  public availabilityZone(value: unknown, name: string, region: string, what = 'FIS acts on the zone in the experiment\'s region'): string {
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && !AZ.test(value))) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `is required: an availability zone name (e.g. ${Token.isUnresolved(region) ? 'us-east-1a' : `${region}a`}) or id (e.g. use1-az1), got ${describeValue(value)}` });
    } else if (!Token.isUnresolved(value) && !Token.isUnresolved(region) && /^[a-z]{2}-/.test(value) && !value.startsWith(region)) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `must be a zone of the stack's region ${region} (${what}), got '${value}'` });
    }
    return String(value);
  }

  /** A region code (`us-east-1`), required; `what` says which region it is, for the message. */
  public region(value: unknown, name: string, what: string): string {
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && !REGION.test(value))) {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `is required: ${what}, such as 'us-east-1', got ${describeValue(value)}` });
    }
    return String(value);
  }

  /** A boolean, or its default. */
  public boolean(value: boolean | undefined, name: string, fallback: boolean): boolean {
    const v = value ?? fallback;
    if (typeof v !== 'boolean') {
      this.problems.push({ prop: `${this.prop}.${name}`, message: `must be true or false, got ${describeValue(v)}` });
    }
    return v;
  }

  /** The target's own problems, under `<prop>.target` (its selection's under `<prop>.target.selection`). */
  public target(target: Targets): Targets {
    this.problems.push(...target._problems(`${this.prop}.target`));
    return target;
  }

  /** Records a problem. */
  public problem(name: string, message: string): void {
    this.problems.push({ prop: `${this.prop}${name ? `.${name}` : ''}`, message });
  }

  /** The resolved fault: one action, unless something was wrong. */
  public action(build: () => FaultActionSpec): ResolvedFault {
    if (this.problems.length > 0) {
      return { problems: this.problems };
    }
    return { node: { kind: 'action', action: build() }, problems: [] };
  }
}

/** The ISO 8601 `duration` parameter, when the fault has one. */
export function durationParameter(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { duration: isoDuration(seconds) };
}

/** `for 10 min`, for descriptions. */
export function forDuration(seconds: number | undefined): string {
  return seconds === undefined ? '' : ` for ${formatDuration(seconds, { exact: true })}`;
}

/** How a fault names what the typed factory for its resources is, for messages. */
const FACTORIES: Record<ResourceKind, string> = {
  functions: 'Targets.functions([...])',
  instances: 'Targets.instances([...])',
  volumes: 'Targets.volumes([...])',
  autoScalingGroup: 'Targets.autoScalingGroup(group, selection)',
  autoScalingGroups: 'Targets.autoScalingGroups([...])',
  ecsService: 'Targets.ecsService(service, selection)',
  ecsClusters: 'Targets.ecsClusters([...])',
  eksPods: 'Targets.eksPods(cluster, pods, selection)',
  eksNodegroups: 'Targets.eksNodegroups([...])',
  dbClusters: 'Targets.dbClusters([...])',
  dbInstances: 'Targets.dbInstances([...])',
  tables: 'Targets.tables([...])',
  replicationGroups: 'Targets.replicationGroups([...])',
  loadBalancers: 'Targets.loadBalancers([...])',
  subnets: 'Targets.subnets([...])',
  transitGateways: 'Targets.transitGateways([...])',
  vpcEndpoints: 'Targets.vpcEndpoints([...])',
  roles: 'Targets.roles([...])',
};

/**
 * A fault's target: the typed resources it was given (a non-empty list of the expected kind, with
 * their selection), or a resolved target (by ARN or tags), checked. `kinds` are the typed
 * factories the fault takes.
 */
export function resourcesOf<T>(reader: OptionReader, target: Targets, kinds: ResourceKind[], isResource: (x: unknown) => boolean, what: string,
  byTags: boolean = true): TypedTarget<T> | Targets | undefined {
  // byTags false: an action FIS resolves by ARN only, whose messages must not offer Targets.tagged
  const allowed = `${kinds.map((k) => FACTORIES[k]).join(', ')}${byTags ? ', Targets.arns([...]) or Targets.tagged(tags, selection)' : ' or Targets.arns([...])'}`;
  if (!Targets._isTargets(target)) {
    reader.problem('target', `must be ${allowed}, got ${describeValue(target)}`);
    return undefined;
  }
  const typed = target._resources;
  if (typed === undefined) {
    return reader.target(target);
  }
  if (!kinds.includes(typed.kind)) {
    reader.problem('target', `must be ${allowed}, got ${FACTORIES[typed.kind]}`);
    return undefined;
  }
  const list = readList(typed.resources);
  if (!list.ok) {
    reader.problem('target', list.problem);
    return undefined;
  }
  if (list.value === undefined) {
    reader.problem('target', `must be a list, each ${what} (${FACTORIES[typed.kind]}; a single one goes in brackets), got ${Construct.isConstruct(typed.resources) ? `the construct ${typed.resources.node.path}` : describeValue(typed.resources)}`);
    return undefined;
  }
  if (list.value.length === 0) {
    reader.problem('target', `is an empty list: an experiment must name what it hits (pass ${what}${byTags ? ', or Targets.tagged(tags, selection)' : ''})`);
    return undefined;
  }
  const bad = list.value.findIndex((x) => !isResource(x));
  if (bad >= 0) {
    reader.problem('target', `must be ${what} or ${byTags ? 'Targets.arns()/Targets.tagged()' : 'Targets.arns()'}, got ${describeValue(list.value[bad])}${list.value.length > 1 ? ` at [${bad}]` : ''}`);
    return undefined;
  }
  return { kind: typed.kind, resources: list.value as T[], selection: typed.selection, details: typed.details };
}

/** Typed resources of a fault's target, checked. */
export interface TypedTarget<T> {
  readonly kind: ResourceKind;
  readonly resources: T[];
  /** As given to the factory; `undefined` when not given. */
  readonly selection?: Selection;
  /** What else the factory was given (`Targets.eksPods`'s pod selector). */
  readonly details?: unknown;
}

/** Whether a fault's target is typed resources (not a resolved `Targets`). */
export function isTyped<T>(target: TypedTarget<T> | Targets | undefined): target is TypedTarget<T> {
  return target !== undefined && !Targets._isTargets(target);
}

/** Typed resources turned into a resolved target by ARN, with their selection (all by default). */
export function byArns<T>(reader: OptionReader, typed: TypedTarget<T>, arnOf: (resource: T) => string): Targets {
  return reader.target(Targets.arns(typed.resources.map(arnOf), typed.selection ?? Selection.all()));
}

/** Whether a string is a token or a literal. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && Token.isUnresolved(value);
}
