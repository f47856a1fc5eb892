/**
 * Scenarios: experiments composed of several typed faults, as FIS's Scenario Library composes
 * them. A scenario is a `Fault` (a tree of the faults below), so it goes where any fault goes:
 * `service.addExperiment('az-power', { fault: Scenario.azPowerInterruption({...}) })`, halted by
 * the service's page alarms, checked before and after, like every experiment.
 *
 * "AZ Availability: Power Interruption" (https://docs.aws.amazon.com/fis/latest/userguide/az-availability-scenario.html):
 * the zone's EC2 instances stop and start again when power returns (`aws:ec2:stop-instances`,
 * instances and Auto Scaling groups alike), no capacity can be launched in the zone
 * (`aws:ec2:asg-insufficient-instance-capacity-error` for Auto Scaling groups,
 * `aws:ec2:api-insufficient-instance-capacity-error` for the roles that launch instances), its
 * subnets lose connectivity for the first minutes (`aws:network:disrupt-connectivity`: 2 minutes in
 * FIS's scenario template, long enough to force timeouts and DNS refreshes, short enough to let
 * regional services' DNS recover while the zone's instances stay down), Aurora/RDS clusters fail over (`aws:rds:failover-db-cluster`),
 * ElastiCache nodes in the zone lose power (`aws:elasticache:replicationgroup-interrupt-az-power`),
 * and, once power is back, EBS volumes in the zone stay unresponsive for the recovery
 * (`aws:ebs:pause-volume-io`, after the instances' stop). FIS's default: 30 minutes of
 * interruption, then 30 minutes of recovery symptoms.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describeValue, readList } from '../private/describe';
import { Problem } from '../private/problems';
import { Fault } from './fault';
import { FaultActionSpec, FaultContext, FaultNode, MIN_FAULT_DURATION, ResolvedFault } from './fault-action';
import { FIS_MAX_DURATION, fisDurationProblem } from './fis-duration';
import { ConnectivityScope } from './faults/network';
import { Selection, TargetFilter, Targets } from './targets';

/** Options of `Scenario.azPowerInterruption`: the zone, how long, and what of the service is in it (at least one). */
export interface AzPowerInterruptionOptions {
  /**
   * The availability zone that loses power, by name (`eu-west-1a`), in the stack's region; a
   * token (e.g. `vpc.availabilityZones[0]`) is taken as it is. Names, not zone ids
   * (`euw1-az1`): the instance, subnet and volume filters FIS applies read zone names.
   */
  readonly availabilityZone: string;
  /**
   * How long the zone is without power: instances stay stopped, subnets cut off, cache nodes
   * down. 1 minute to 12 hours.
   * @default Duration.minutes(30) - FIS's scenario default
   */
  readonly duration?: Duration;
  /**
   * How long, once power is back, the zone's EBS volumes (`volumes`) stay unresponsive. 1 minute
   * to 12 hours; the whole scenario (duration + recovery) must stay within FIS's 12 hours.
   * @default Duration.minutes(30) - FIS's scenario default
   */
  readonly recoveryDuration?: Duration;
  /**
   * EC2 instances stopped for `duration` and started again when power returns, those in the zone
   * only: `Targets.instances([...])`, `Targets.autoScalingGroup(group, Selection.all())` (one entry
   * per group; the group's instances in the zone), `Targets.arns` or `Targets.tagged`. ECS
   * container instances and EKS nodes go here: their tasks and pods stop with them.
   * @default - no instance is stopped
   */
  readonly instances?: Targets[];
  /**
   * Subnets whose traffic is denied for `networkDuration` from the start, those in the zone only
   * (`Targets.subnets(vpc.privateSubnets)`): Fargate tasks, Lambda functions in a VPC and load
   * balancer nodes in the zone are cut off.
   * @default - no subnet is cut off
   */
  readonly subnets?: Targets;
  /**
   * How long the `subnets` are cut off, from the start: 1 minute up to `duration`. FIS's scenario
   * cuts them for 2 minutes, long enough for clients to time out and refresh DNS, then lets
   * regional services' DNS recover while the zone's instances stay down; `duration` cuts the
   * subnets for the whole interruption.
   * Given without `subnets`, it is refused (there is nothing to cut).
   * @default Duration.minutes(2) - FIS's scenario template ("Pause-network-connectivity")
   */
  readonly networkDuration?: Duration;
  /**
   * Auto Scaling groups whose launches in the zone fail with `InsufficientInstanceCapacity` for
   * `duration` (`Targets.autoScalingGroups([fleet])`): the zone has no power, so no capacity, and
   * the groups must launch their replacements elsewhere. Groups with a launch template only (FIS's rule).
   * @default - no group's launches fail
   */
  readonly autoScalingGroups?: Targets;
  /**
   * IAM roles whose instance launches (RunInstances, CreateFleet, StartInstances,
   * CreateCapacityReservation) in the zone fail with `InsufficientInstanceCapacity` for `duration`
   * (`Targets.roles([karpenterControllerRole])`): what launches capacity itself, outside Auto
   * Scaling. By ARN only: FIS takes no tags for these roles. A request asking for capacity in
   * several zones at once (e.g. a CreateFleet over several zones' subnets) is not affected (FIS
   * actions reference, #api-ice: such requests "are not supported").
   * @default - no role's launches fail
   */
  readonly launchingRoles?: Targets;
  /**
   * EBS volumes (`Targets.volumes([...])`, `Targets.tagged(...)`) paused for `recoveryDuration`
   * once power is back, those in the zone only.
   * @default - no volume is paused
   */
  readonly volumes?: Targets;
  /**
   * Aurora/RDS clusters whose writer is in the zone, failed over to a reader at the start (`Targets.dbClusters([...])`).
   * @default - no failover
   */
  readonly dbClusters?: Targets;
  /**
   * ElastiCache replication groups whose nodes in the zone lose power for `duration`
   * (`Targets.replicationGroups([...])`); primaries there fail over.
   * @default - no cache is interrupted
   */
  readonly replicationGroups?: Targets;
  /**
   * Load balancers or Auto Scaling groups whose traffic ARC shifts away from the zone for
   * `duration` (`Targets.loadBalancers([alb])`): the scenario's "start ARC zonal autoshift" step,
   * which rehearses the recovery as well as the failure.
   * @default - no zonal shift
   */
  readonly zonalShift?: Targets;
}

/** FIS's scenario default for both the interruption and the recovery. */
const SCENARIO_DEFAULT = Duration.minutes(30);

/** An availability zone name: `us-east-1a`, `us-gov-west-1b`, a Local Zone `us-west-2-lax-1a`. */
const AZ_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d+[a-z](?:-[a-z]+-\d+[a-z])?$/;

/** The resources of the service the scenario was given, by option name. */
const SLOTS = ['instances', 'autoScalingGroups', 'launchingRoles', 'subnets', 'volumes', 'dbClusters', 'replicationGroups', 'zonalShift'] as const;

/**
 * How long FIS's scenario cuts the zone's subnets off ("Pause-network-connectivity", `PT2M`): read
 * in experiment templates exported from the scenario (the scenario page's own wording of this step
 * was not read in full here; its other steps last the interruption).
 */
const SCENARIO_NETWORK_DEFAULT = Duration.minutes(2);

/**
 * Composed experiments like FIS's Scenario Library, built from the typed faults: each returns a
 * `Fault` to give to `service.addExperiment()`.
 *
 * ```ts
 * checkout.addExperiment('az-power', {
 *   fault: Scenario.azPowerInterruption({
 *     availabilityZone: 'eu-west-1a',
 *     subnets: Targets.subnets(vpc.privateSubnets),
 *     dbClusters: Targets.dbClusters([database]),
 *   }),
 *   emptyTargets: EmptyTargets.SKIP,
 * });
 * ```
 */
export class Scenario {
  /**
   * "AZ Availability: Power Interruption" for the resources given (at least one): for `duration`,
   * the zone's instances are stopped (started again after), no instance can be launched there
   * (Auto Scaling groups and launching roles get insufficient-capacity errors) and its
   * ElastiCache nodes are without power; its subnets are cut off for the first `networkDuration`
   * (2 minutes, as FIS's scenario), while Aurora/RDS clusters fail over and ARC shifts the
   * load balancers' traffic away from the zone (`zonalShift`); then, for
   * `recoveryDuration`, the zone's EBS volumes stay unresponsive. Instances, subnets and volumes
   * outside the zone are filtered out by FIS when the experiment starts; with
   * `emptyTargets: EmptyTargets.SKIP` an action whose resources are all elsewhere is skipped, as
   * FIS's own scenario does.
   */
  public static azPowerInterruption(options: AzPowerInterruptionOptions): Fault {
    return new AzPowerInterruption(options);
  }

  private constructor() {}
}

/** The AZ power interruption as a fault tree, validated when the experiment binds it. */
class AzPowerInterruption extends Fault {
  public readonly kind = 'azPowerInterruption';

  constructor(private readonly options: AzPowerInterruptionOptions) {
    super();
  }

  public _resolve(context: FaultContext): ResolvedFault {
    const prop = `${context.prop} (Scenario.${this.kind})`;
    const options = this.options;
    const problems: Problem[] = [];
    if (typeof options !== 'object' || options === null) {
      return { problems: [{ prop, message: `takes { availabilityZone, ...the resources in it }, got ${describeValue(options)}` }] };
    }
    const zone = options.availabilityZone;
    const zoneProblem = availabilityZoneProblem(zone, Stack.of(context.scope).region);
    if (zoneProblem) {
      problems.push({ prop: `${prop}.availabilityZone`, message: zoneProblem });
    }
    const seconds = durationOption(options.duration, `${prop}.duration`, problems);
    const recovery = durationOption(options.recoveryDuration, `${prop}.recoveryDuration`, problems);
    const network = networkDurationOption(options.networkDuration, seconds, `${prop}.networkDuration`, problems);
    const given = SLOTS.filter((slot) => options[slot] !== undefined);
    if (given.length === 0) {
      problems.push({ prop, message: `names nothing in the zone: give at least one of ${SLOTS.join(', ')} (e.g. subnets: Targets.subnets(vpc.privateSubnets))` });
    }
    if (options.volumes !== undefined && seconds !== undefined && recovery !== undefined && seconds + recovery > FIS_MAX_DURATION.toSeconds()) {
      problems.push({ prop: `${prop}.recoveryDuration`, message: `with duration, runs ${(seconds + recovery) / 3600} hours; FIS stops experiments after 12 hours` });
    }
    const read = readList(options.instances);
    const instances = read.ok ? read.value ?? [] : [];
    if (!read.ok || (options.instances !== undefined && instances.length === 0)) {
      problems.push({ prop: `${prop}.instances`, message: `must be a non-empty list of Targets (Targets.instances([...]), Targets.autoScalingGroup(group, selection), ...), got ${describeValue(options.instances)}` });
    }
    problems.push(...subnetZoneProblems(options.subnets, zone, `${prop}.subnets`));
    if (options.networkDuration !== undefined && options.subnets === undefined) {
      problems.push({ prop: `${prop}.networkDuration`, message: 'is the connectivity cut of the zone\'s subnets, and no subnets were given: pass subnets, or drop networkDuration' });
    }
    const volumes = volumesInZone(options.volumes, zone, `${prop}.volumes`, problems, Stack.of(context.scope));
    if (problems.length > 0) {
      return { problems };
    }

    const azFilter = (path: string) => ({ path, values: [zone] });
    const faultContext = (name: string): FaultContext => ({ ...context, prop: `${prop}.${name}`, defaultDuration: Duration.seconds(seconds!) });
    const children: FaultNode[] = [];
    const resolve = (name: string, fault: Fault, filter?: TargetFilter): FaultNode | undefined => {
      const resolved = fault._resolve(faultContext(name));
      problems.push(...resolved.problems);
      return resolved.node && filter ? withFilter(resolved.node, filter) : resolved.node;
    };
    const interruption = Duration.seconds(seconds!);

    // Power off: the zone's instances stop, and start again when it returns; then its volumes hang.
    const stops = instances.map((target, i) =>
      resolve(`instances[${i}]`, Fault.ec2StopInstances(target as Targets, { restartAfter: interruption }), azFilter('Placement.AvailabilityZone')));
    if (options.volumes !== undefined) {
      const pause = resolve('volumes', Fault.ebsPauseVolumeIo(volumes!, { duration: Duration.seconds(recovery!) }), azFilter('AvailabilityZone'));
      const before = stops.length > 0 ? parallel(stops) : resolve('duration', Fault.wait(interruption));
      children.push({ kind: 'sequence', children: [before, pause].filter(isNode) });
    } else {
      children.push(...stops.filter(isNode));
    }
    // No capacity in the zone: the groups' launches and the roles' RunInstances calls there fail (the zone is a parameter, not a filter).
    const capacity = { availabilityZones: [zone], duration: interruption };
    if (options.autoScalingGroups !== undefined) {
      children.push(...[resolve('autoScalingGroups', Fault.ec2AsgInsufficientCapacityError(options.autoScalingGroups, capacity))].filter(isNode));
    }
    if (options.launchingRoles !== undefined) {
      children.push(...[resolve('launchingRoles', Fault.ec2ApiInsufficientCapacityError(options.launchingRoles, capacity))].filter(isNode));
    }
    if (options.subnets !== undefined) {
      const cut = Fault.disruptConnectivity(options.subnets, { scope: ConnectivityScope.ALL, duration: Duration.seconds(network!) });
      children.push(...[resolve('subnets', cut, azFilter('AvailabilityZone'))].filter(isNode));
    }
    if (options.dbClusters !== undefined) {
      // only the clusters whose writer is in the zone fail over (FIS target parameter writerAvailabilityZoneIdentifiers,
      // https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-parameters), as FIS's scenario sets it
      const failover = resolve('dbClusters', Fault.rdsFailoverCluster(options.dbClusters));
      children.push(...[failover && mapTargets(failover, (t) => t._withParameters({ writerAvailabilityZoneIdentifiers: zone }))].filter(isNode));
    }
    if (options.replicationGroups !== undefined) {
      children.push(...[resolve('replicationGroups', Fault.elastiCacheAzPowerInterruption(options.replicationGroups, { availabilityZone: zone, duration: interruption }))].filter(isNode));
    }
    if (options.zonalShift !== undefined) {
      children.push(...[resolve('zonalShift', Fault.arcStartZonalAutoshift(options.zonalShift, { availabilityZone: zone, duration: interruption }))].filter(isNode));
    }
    return problems.length > 0 ? { problems } : { problems: [], node: parallel(children) };
  }
}

function isNode(node: FaultNode | undefined): node is FaultNode {
  return node !== undefined;
}

/** One node, or several side by side. */
function parallel(nodes: (FaultNode | undefined)[]): FaultNode {
  const present = nodes.filter(isNode);
  return present.length === 1 ? present[0] : { kind: 'parallel', children: present };
}

/** Why `zone` is not an availability zone name of `region`, or `undefined`. */
function availabilityZoneProblem(zone: unknown, region: string): string | undefined {
  const example = Token.isUnresolved(region) ? 'us-east-1a' : `${region}a`;
  if (typeof zone !== 'string') {
    return `is required: an availability zone name (e.g. ${example}), got ${describeValue(zone)}`;
  }
  if (Token.isUnresolved(zone)) {
    return undefined;
  }
  if (!AZ_NAME.test(zone)) {
    return `must be an availability zone name (e.g. ${example}; zone ids such as use1-az1 are not read by FIS's instance, subnet and volume filters), got ${describeValue(zone)}`;
  }
  if (!Token.isUnresolved(region) && !zone.startsWith(`${region}-`) && !new RegExp(`^${region}[a-z]$`).test(zone)) {
    return `must be a zone of the stack's region ${region} (FIS acts in the experiment's region), got '${zone}'`;
  }
  return undefined;
}

/** A duration option, 1 minute to 12 hours, defaulting to FIS's 30 minutes; `undefined` (and a problem) when invalid. */
function durationOption(value: Duration | undefined, prop: string, problems: Problem[]): number | undefined {
  const duration = value ?? SCENARIO_DEFAULT;
  const problem = fisDurationProblem(duration, MIN_FAULT_DURATION, FIS_MAX_DURATION);
  if (problem) {
    problems.push({ prop, message: problem });
    return undefined;
  }
  return duration.toSeconds();
}

/** `networkDuration`: 1 minute up to the interruption's `duration`, defaulting to FIS's 2 minutes (or `duration`, when shorter). */
function networkDurationOption(value: Duration | undefined, interruption: number | undefined, prop: string, problems: Problem[]): number | undefined {
  if (value === undefined) {
    return interruption === undefined ? undefined : Math.min(SCENARIO_NETWORK_DEFAULT.toSeconds(), interruption);
  }
  const max = interruption !== undefined ? Duration.seconds(interruption) : FIS_MAX_DURATION;
  const problem = fisDurationProblem(value, MIN_FAULT_DURATION, max);
  if (problem) {
    problems.push({ prop, message: interruption !== undefined ? `${problem} (at most the interruption's duration)` : problem });
    return undefined;
  }
  return value.toSeconds();
}

/** Typed subnets whose zones are all known and none of them the scenario's: the cut would hit nothing. */
function subnetZoneProblems(subnets: Targets | undefined, zone: unknown, prop: string): Problem[] {
  const typed = Targets._isTargets(subnets) ? subnets._resources : undefined;
  if (typed?.kind !== 'subnets' || typeof zone !== 'string' || !AZ_NAME.test(zone)) {
    return [];
  }
  const list = readList(typed.resources);
  const zones = list.ok && list.value ? list.value.map((s) => (s as ec2.ISubnet)?.availabilityZone) : [];
  // zones known at synth only: a token, or the placeholder a stack without looked-up zones gets (dummy1a), proves nothing
  if (zones.length === 0 || zones.some((z) => typeof z !== 'string' || !AZ_NAME.test(z)) || zones.includes(zone)) {
    return [];
  }
  return [{ prop, message: `has no subnet in ${zone} (the subnets are in ${[...new Set(zones)].join(', ')}): the connectivity cut would hit nothing` }];
}

/**
 * The scenario's volumes: typed volumes whose zones are known at synth narrowed to the zone's (FIS
 * pauses the volumes of one zone per action, and would filter out the others anyway); a problem when
 * none is left. Volumes by ARN or tags, or with a zone that is a token, are left to FIS's filter:
 * with a zone known at deploy time only, typed volumes go by ARN, so that the EBS fault's one-zone
 * check (which cannot see the filter) does not refuse volumes of several zones the filter narrows.
 */
function volumesInZone(volumes: Targets | undefined, zone: unknown, prop: string, problems: Problem[], stack: Stack): Targets | undefined {
  const typed = Targets._isTargets(volumes) ? volumes._resources : undefined;
  const list = typed?.kind === 'volumes' ? readList(typed.resources) : undefined;
  if (!list?.ok || list.value === undefined || list.value.length === 0 || typeof zone !== 'string') {
    return volumes;
  }
  if (Token.isUnresolved(zone)) {
    const all = list.value as ec2.IVolume[];
    if (all.some((v) => typeof v?.volumeId !== 'string')) {
      return volumes; // the EBS fault names the bad entry
    }
    return Targets.arns(all.map((v) => stack.formatArn({ service: 'ec2', resource: 'volume', resourceName: v.volumeId })), typed!.selection ?? Selection.all());
  }
  if (!AZ_NAME.test(zone)) {
    return volumes;
  }
  const zoneOf = (v: unknown) => (v as ec2.IVolume)?.availabilityZone;
  const known = (z: unknown) => typeof z === 'string' && !Token.isUnresolved(z);
  const kept = list.value.filter((v) => !known(zoneOf(v)) || zoneOf(v) === zone);
  if (kept.length === 0 && list.value.length > 0) {
    problems.push({ prop, message: `has no volume in ${zone} (the volumes are in ${[...new Set(list.value.map(zoneOf))].join(', ')}): the pause would hit nothing` });
    return undefined;
  }
  return kept.length === list.value.length ? volumes : Targets.volumes(kept as ec2.IVolume[], typed!.selection);
}

/** The node's actions with `filter` added to their targets (the zone the scenario hits). */
function withFilter(node: FaultNode, filter: TargetFilter): FaultNode {
  return mapTargets(node, (target) => filtered(target, filter));
}

/** The node with every action's target changed by `change`. */
function mapTargets(node: FaultNode, change: (target: Targets) => Targets): FaultNode {
  if (node.kind !== 'action') {
    return { kind: node.kind, children: node.children.map((c) => mapTargets(c, change)) };
  }
  const action: FaultActionSpec = node.action;
  return action.target ? { kind: 'action', action: { ...action, target: change(action.target) } } : node;
}

/** The same resources and selection, with one more filter. */
function filtered(target: Targets, filter: TargetFilter): Targets {
  const spec = target._spec;
  const options = { filters: [...(spec.filters ?? []), filter] };
  if (spec.arns === undefined && spec.tags === undefined) {
    return target; // found by the resource type's own parameters: nothing to filter
  }
  const next = spec.arns !== undefined ? Targets.arns(spec.arns, spec.selection, options) : Targets.tagged(spec.tags!, spec.selection, options);
  return spec.parameters ? next._withParameters(spec.parameters) : next;
}
