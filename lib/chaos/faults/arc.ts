/**
 * ARC zonal autoshift. Action, resource type, parameters and permissions: FIS actions reference,
 * "Recovery action" (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#recovery):
 * FIS starts a zonal shift of the managed resources away from one availability zone, keeps it for
 * the duration (renewing a 1-minute expiry) and cancels it at the end. The target key
 * `ManagedResources` as the FIS Service Quotas name it. ARC scopes StartZonalShift with the
 * `arc-zonal-shift:ResourceIdentifier` condition on `*`
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_service-with-iam-zonal-shift.html).
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withWildcardReason } from '../../nag/suppressions';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { Targets } from '../targets';

/** The kinds of resource a zonal shift moves traffic of (FIS's `managedResourceTypes`). */
export enum ZonalShiftResourceType {
  /** Auto Scaling groups. */
  ASG = 'ASG',
  /** Application Load Balancers. */
  ALB = 'ALB',
  /** Network Load Balancers. */
  NLB = 'NLB',
  /** Amazon EKS clusters. */
  EKS = 'EKS',
}

/** Which resources FIS shifts, by their zonal autoshift status (FIS's `zonalAutoshiftStatus`). */
export enum ZonalAutoshiftStatus {
  /** Resources with zonal autoshift enabled (FIS's default). */
  ENABLED = 'ENABLED',
  /** Resources with zonal autoshift disabled. */
  DISABLED = 'DISABLED',
  /** Every resource registered with zonal shift. */
  ANY = 'ANY',
}

/** Options of `Fault.arcStartZonalAutoshift`. */
export interface ArcStartZonalAutoshiftOptions {
  /** The availability zone traffic moves away from: its name (`eu-west-1a`) or its id (`euw1-az1`). */
  readonly availabilityZone: string;
  /**
   * The kinds of resource shifted.
   * @default - not written: FIS shifts every kind of the targets
   */
  readonly managedResourceTypes?: ZonalShiftResourceType[];
  /**
   * The zonal autoshift status of the resources shifted: the target's resources whose status is
   * another are not shifted (FIS actions reference, "aws:arc:start-zonal-autoshift": `ENABLED`,
   * `DISABLED` or `ANY`, FIS's default `ENABLED`).
   *
   * Targets named by resource or ARN default to `ANY`: you named them to shift them, and FIS's
   * `ENABLED` would silently skip a named load balancer whose zonal autoshift is off (the experiment
   * would pass having shifted nothing). Targets chosen by tags keep FIS's `ENABLED`, as FIS's AZ
   * power interruption scenario does: among the tagged resources, ONLY those with zonal autoshift
   * enabled are shifted, which is what rehearsing autoshift means; pass `ZonalAutoshiftStatus.ANY`
   * to shift every tagged resource, whatever its setting.
   * @default - `ANY` for targets named by resource or ARN; not written, so FIS's `ENABLED` (only resources with zonal
   * autoshift enabled are shifted), for targets chosen by tags
   */
  readonly zonalAutoshiftStatus?: ZonalAutoshiftStatus;
  /**
   * How long traffic stays shifted away, 1 minute to 12 hours.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

const RESOURCE_TYPES: readonly string[] = Object.values(ZonalShiftResourceType);

function isLoadBalancer(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { loadBalancerArn?: unknown }).loadBalancerArn === 'string';
}

/** `aws:arc:start-zonal-autoshift`. */
export function arcStartZonalAutoshift(target: Targets, options: ArcStartZonalAutoshiftOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const resolved = resourcesOf<elbv2.ILoadBalancerV2>(reader, target, ['loadBalancers'], isLoadBalancer, 'an Application or Network Load Balancer');
  const zone = reader.availabilityZone(options?.availabilityZone, 'availabilityZone', stack.region);
  const types = options?.managedResourceTypes;
  if (types !== undefined && (!Array.isArray(types) || types.length === 0 || types.some((t) => !RESOURCE_TYPES.includes(t)))) {
    reader.problem('managedResourceTypes', `must be a non-empty list of ${RESOURCE_TYPES.map((t) => `'${t}'`).join(', ')}, got ${describeValue(types)}`);
  }
  // a resource named by the user is meant to be shifted, whatever its autoshift setting
  const named = isTyped(resolved) || target?._spec?.arns !== undefined;
  const status = options?.zonalAutoshiftStatus === undefined ? (named ? ZonalAutoshiftStatus.ANY : undefined)
    : reader.oneOf(options.zonalAutoshiftStatus, 'zonalAutoshiftStatus', Object.values(ZonalAutoshiftStatus));
  const seconds = reader.duration(options?.duration, context);
  const targets = isTyped(resolved) ? byArns(reader, resolved, (lb) => (lb as unknown as { loadBalancerArn: string }).loadBalancerArn) : resolved;
  // the resources ARC may shift: the targets' ARNs, or, chosen by tags (which ARC cannot condition on), the
  // load balancers, Auto Scaling groups and EKS clusters of this account and region
  const shiftable = targets?._spec.arns ?? [
    stack.formatArn({ service: 'elasticloadbalancing', resource: 'loadbalancer', resourceName: 'app/*' }),
    stack.formatArn({ service: 'elasticloadbalancing', resource: 'loadbalancer', resourceName: 'net/*' }),
    stack.formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: '*' }),
  ];
  return reader.action(() => ({
    definition: FIS_ACTIONS.arcStartZonalAutoshift,
    description: `Shifts the traffic of the managed resource(s) away from ${zone}${forDuration(seconds)} (an ARC zonal autoshift; cancelled at the end)`,
    parameters: {
      ...durationParameter(seconds),
      availabilityZoneIdentifier: zone,
      ...(types === undefined ? {} : { managedResourceTypes: types.join(',') }),
      ...(status === undefined ? {} : { zonalAutoshiftStatus: status }),
    },
    target: targets,
    durationSeconds: seconds,
    ownsTargetPermissions: true,
    statements: [
      withWildcardReason(new iam.PolicyStatement({
        actions: ['arc-zonal-shift:StartZonalShift'],
        resources: ['*'],
        conditions: { StringLike: { 'arc-zonal-shift:ResourceIdentifier': shiftable } },
      }), targets?._spec.arns
        ? 'ARC authorizes StartZonalShift on * and scopes it by the arc-zonal-shift:ResourceIdentifier condition: the target resources'
        : 'ARC authorizes StartZonalShift on * and scopes it by the arc-zonal-shift:ResourceIdentifier condition; the targets are chosen by tags, '
          + 'which ARC cannot condition on: the load balancers, Auto Scaling groups and EKS clusters of this account and region'),
      withWildcardReason(new iam.PolicyStatement({
        actions: ['arc-zonal-shift:UpdateZonalShift', 'arc-zonal-shift:CancelZonalShift'],
        resources: ['*'],
      }), 'FIS renews and ends the zonal shift it started, by an id known only when it runs'),
    ],
  }));
}
