/**
 * Manifests of a time-slice SLO as synthesis writes them: an SQS queue whose oldest message must be
 * younger than the threshold in 99.5 % of the slices (the Workbook's policy; its 3-day tier is left
 * out at slices under an hour).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
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
