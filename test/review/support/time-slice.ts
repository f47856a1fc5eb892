/**
 * Manifests of time-slice SLOs as synthesis writes them: an SQS queue whose oldest message must be
 * younger than the threshold in 99.5 % of the slices (the Workbook's policy; its 3-day tier is left
 * out at slices under an hour), and an ECS service that must run its desired tasks.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ReliabilitySnapshot, ReliableService, Sli, SliceComparison, SliceMissingData } from '../../../lib';
import type { ReliabilityManifest } from '../../../lib/manifest/schema';

/** What varies between the manifests of the tests. */
export interface FreshnessOptions {
  /** @default SliceComparison.LESS_THAN */
  readonly comparison?: SliceComparison;
  /** @default 300 */
  readonly threshold?: number;
  /** @default 1 minute */
  readonly slice?: Duration;
  /** @default SliceMissingData.BAD */
  readonly missingData?: SliceMissingData;
  /** @default 99.5 */
  readonly objective?: number;
}

/** The manifest of the `orders` service with its `freshness` SLO. */
export function freshnessManifest(options: FreshnessOptions = {}): ReliabilityManifest {
  const stack = new Stack(undefined, 'Orders');
  const queue = new sqs.Queue(stack, 'Queue', { queueName: 'orders' });
  new ReliableService(stack, 'Orders', {
    serviceName: 'orders',
    slos: [{
      name: 'freshness',
      objective: options.objective ?? 99.5,
      sli: Sli.timeSlice({
        metric: queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM }),
        comparison: options.comparison ?? SliceComparison.LESS_THAN,
        threshold: options.threshold ?? 300,
        slice: options.slice,
        missingData: options.missingData,
      }),
    }],
  });
  return JSON.parse(ReliabilitySnapshot.manifest(stack)) as ReliabilityManifest;
}

/**
 * The manifest of the `storefront` service with its `tasks` SLO, `Sli.ecsServiceRunningTasks`: a
 * condition that is an expression over two metrics (`running - desired`).
 */
export function runningTasksManifest(): ReliabilityManifest {
  const stack = new Stack(undefined, 'Orders');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const service = new ecs.FargateService(stack, 'Storefront', { cluster, taskDefinition, desiredCount: 2 });
  new ReliableService(stack, 'Service', {
    serviceName: 'storefront',
    slos: [{ name: 'tasks', objective: 99.5, sli: Sli.ecsServiceRunningTasks(service) }],
  });
  return JSON.parse(ReliabilitySnapshot.manifest(stack)) as ReliabilityManifest;
}
