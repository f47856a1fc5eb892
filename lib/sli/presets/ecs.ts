/**
 * SLI presets for Amazon ECS services (Fargate or EC2).
 */
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { IBaseService } from 'aws-cdk-lib/aws-ecs';
import { SliceComparison } from '../sli-definition';
import { SliceMissingData, TimeSliceSli } from '../time-slice';

function containerInsightsMetric(service: IBaseService, metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
    statistic,
  });
}

/**
 * Running tasks: a minute is good when the service runs at least the tasks it wants,
 * `RunningTaskCount` (`Minimum`) − `DesiredTaskCount` (`Maximum`) >= 0 (namespace
 * ECS/ContainerInsights, dimensions ClusterName and ServiceName). "Amazon ECS Container Insights
 * metrics" (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html)
 * lists `RunningTaskCount` (tasks in the RUNNING state) and `DesiredTaskCount` (the service's desired
 * count) per ClusterName and ServiceName, unit Count; CloudWatch Application Insights lists both among
 * the Container Insights metrics (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/appinsights-metrics-ecs.html).
 * The fewest running and the most desired tasks of the minute are compared, so a minute in which the
 * service was short at any datapoint is bad.
 *
 * **Requires CloudWatch Container Insights** on the cluster (`containerInsightsV2:
 * ContainerInsights.ENABLED` or `ENHANCED` on the `Cluster`, or the account setting
 * `containerInsights`): the `AWS/ECS` namespace has no task counts. Without it nothing is published
 * and, as a minute without data is BAD, the SLO reads a total outage; the SLO warns
 * (`cdk-reliability:container-insights`) when the service's cluster is defined in the app without it.
 * A minute without data is bad because a service that lost all its tasks must not read healthy;
 * AWS does not say whether Container Insights publishes for a service with no running task ("metrics
 * are not visible until the container tasks have been running for some time"), so a service scaled to
 * 0 on purpose may read bad: this SLI is for services that always run.
 *
 * What it cannot see: tasks that run but fail their health checks or answer with errors (pair it with
 * the load balancer's or target group's SLI); a desired count set too low. Scaling out counts as bad
 * minutes until the new tasks run (usually a minute or two; a task that cannot be placed for lack of
 * capacity keeps them bad, which is the point); rolling deployments with `minHealthyPercent` under 100
 * count as short while old tasks stop before new ones run.
 */
export function ecsServiceRunningTasks(service: IBaseService): TimeSliceSli {
  return new TimeSliceSli({
    metric: new MathExpression({
      expression: 'running - desired',
      usingMetrics: {
        running: containerInsightsMetric(service, 'RunningTaskCount', Stats.MINIMUM),
        desired: containerInsightsMetric(service, 'DesiredTaskCount', Stats.MAXIMUM),
      },
    }),
    comparison: SliceComparison.GREATER_THAN_OR_EQUAL,
    threshold: 0,
    missingData: SliceMissingData.BAD,
    description: `minutes in which ECS service ${service.node.id} runs at least its desired tasks (RunningTaskCount Minimum − DesiredTaskCount Maximum ≥ 0), a minute without data bad`,
  });
}

/**
 * Whether Container Insights is on for the service's cluster, as far as the app shows: `false` when
 * the cluster is defined in the app and its `ClusterSettings` do not turn `containerInsights` to
 * `enabled` or `enhanced`; `undefined` for an imported cluster (the account setting may turn it on).
 */
export function containerInsightsEnabled(service: IBaseService): boolean | undefined {
  const cfn = service.cluster.node.defaultChild as { readonly cfnResourceType?: string; readonly clusterSettings?: unknown } | undefined;
  if (!cfn || cfn.cfnResourceType !== 'AWS::ECS::Cluster') {
    return undefined;
  }
  const settings = Array.isArray(cfn.clusterSettings) ? cfn.clusterSettings as { name?: unknown; value?: unknown }[] : [];
  const setting = settings.find((s) => s?.name === 'containerInsights');
  if (setting === undefined) {
    // not set on the cluster: the account's default applies, which the app cannot see
    return false;
  }
  return setting.value === 'enabled' || setting.value === 'enhanced';
}
