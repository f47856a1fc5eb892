/**
 * SLI presets for Application Load Balancers and their target groups.
 */
import { Duration } from 'aws-cdk-lib';
import { HttpCodeElb, HttpCodeTarget, IApplicationLoadBalancer, IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli } from '../ratio';

/** Options of the load balancer latency presets. */
export interface LoadBalancerLatencyOptions {
  /** A request is good when the target answered within this time. */
  readonly threshold: Duration;
}

/**
 * ALB availability: (`HTTPCode_ELB_5XX_Count` + `HTTPCode_Target_5XX_Count`) over `RequestCount`
 * (namespace AWS/ApplicationELB, dimension LoadBalancer). ELB 5XX covers what customers see when
 * no target answers (502, 503, 504); both counts are absent while zero and are filled with 0.
 */
export function loadBalancerAvailability(loadBalancer: IApplicationLoadBalancer): RatioSli {
  const m = loadBalancer.metrics;
  return new RatioSli({
    bad: [m.httpCodeElb(HttpCodeElb.ELB_5XX_COUNT), m.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT)],
    total: m.requestCount(),
    description: `HTTPCode_ELB_5XX_Count + HTTPCode_Target_5XX_Count over RequestCount of load balancer ${loadBalancer.node.id}`,
  });
}

/** ALB latency: share of requests whose `TargetResponseTime` (seconds) is within the threshold. */
export function loadBalancerLatency(loadBalancer: IApplicationLoadBalancer, options: LoadBalancerLatencyOptions): LatencySli {
  return new LatencySli({ metric: loadBalancer.metrics.targetResponseTime(), threshold: options?.threshold, unit: LatencyUnit.SECONDS });
}

/**
 * Target group availability: `HTTPCode_Target_5XX_Count` over `RequestCount` (dimensions
 * TargetGroup and LoadBalancer). The load balancer's own 5XX responses (no healthy target) are
 * not published per target group: use `loadBalancerAvailability` when one service owns the ALB.
 * The target group must be attached to a load balancer.
 */
export function targetGroupAvailability(targetGroup: IApplicationTargetGroup): RatioSli {
  const m = targetGroup.metrics;
  return new RatioSli({
    bad: m.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT),
    total: m.requestCount(),
    description: `HTTPCode_Target_5XX_Count over RequestCount of target group ${targetGroup.node.id}`,
  });
}

/** Target group latency: share of requests whose `TargetResponseTime` (seconds) is within the threshold. */
export function targetGroupLatency(targetGroup: IApplicationTargetGroup, options: LoadBalancerLatencyOptions): LatencySli {
  return new LatencySli({ metric: targetGroup.metrics.targetResponseTime(), threshold: options?.threshold, unit: LatencyUnit.SECONDS });
}
