/**
 * SLI presets for Amazon Kinesis data streams.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { IStream } from 'aws-cdk-lib/aws-kinesis';
import { formatWindow } from '../../slo/windows';
import { SliceComparison } from '../sli-definition';
import { SliceMissingData, TimeSliceSli } from '../time-slice';

/** Options of `Sli.streamFreshness`. */
export interface StreamFreshnessOptions {
  /**
   * A minute is good when the consumers read records younger than this: set it above the consumers'
   * batching window (a Lambda event source mapping waits up to `maxBatchingWindow` on purpose).
   * @default Duration.minutes(1) - a consumer that keeps up reads within a second or two (Lambda polls each shard once a second)
   */
  readonly maxAge?: Duration;
}

/** The iterator age a fresh stream stays under unless given. */
export const DEFAULT_STREAM_MAX_AGE = Duration.minutes(1);

/**
 * Stream freshness: a minute is good when `GetRecords.IteratorAgeMilliseconds` (`Maximum`,
 * milliseconds) is under `maxAge` (namespace AWS/Kinesis, dimension StreamName). "Monitoring the
 * Amazon Kinesis Data Streams service with Amazon CloudWatch", basic stream-level metrics
 * (docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html): "The age of the last
 * record in all GetRecords calls made against a Kinesis stream … Age is the difference between the
 * current time and when the last record of the GetRecords call was written to the stream",
 * dimension StreamName, statistics Minimum, Maximum, Average, Samples; unit Milliseconds. The
 * `Maximum` is the slowest consumer's, on the slowest shard: one consumer falling behind makes the
 * minute bad.
 *
 * A minute without a datapoint is BAD: the metric is published from GetRecords calls, and every
 * polling consumer calls GetRecords several times a minute also on an idle stream (an empty answer
 * has age 0), so silence means no consumer is reading.
 *
 * What it cannot see: consumers with enhanced fan-out (`SubscribeToShard`, a Lambda event source with
 * a stream consumer) do not call GetRecords — with only such consumers every minute reads bad; watch
 * their `SubscribeToShardEvent.MillisBehindLatest` (per consumer) with `Sli.timeSlice` instead. Nor
 * records a consumer read but failed to process (a Lambda consumer retries them, so the age grows
 * and it is seen; one that skips them is not), nor records that expired before being read.
 */
export function streamFreshness(stream: IStream, options: StreamFreshnessOptions = {}): TimeSliceSli {
  const maxAge = options.maxAge ?? DEFAULT_STREAM_MAX_AGE;
  const millis = maxAge.toMilliseconds({ integral: false });
  return new TimeSliceSli({
    metric: new Metric({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds', dimensionsMap: { StreamName: stream.streamName }, statistic: Stats.MAXIMUM }),
    comparison: SliceComparison.LESS_THAN,
    threshold: millis,
    missingData: SliceMissingData.BAD,
    description: `minutes in which the consumers of stream ${stream.node.id} read records younger than ${formatWindow(millis / 1000)} (GetRecords.IteratorAgeMilliseconds Maximum), a minute without data bad`,
  });
}
