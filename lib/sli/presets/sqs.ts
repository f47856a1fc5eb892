/**
 * SLI presets for Amazon SQS queues: freshness (the age of the oldest message) and dead letters
 * (messages waiting in a dead-letter queue). Both are time-slice SLIs ("good minutes").
 *
 * Source: "Available CloudWatch metrics for Amazon SQS"
 * (docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html):
 * namespace AWS/SQS, the only dimension QueueName; "All metrics emit non-negative values only when
 * the queue is active"; `ApproximateAgeOfOldestMessage` (seconds) is "reported if the queue contains
 * at least one active message", `ApproximateNumberOfMessagesVisible` (count) "reported if the queue
 * is active". A queue without messages and without API calls for about six hours is inactive and
 * publishes nothing.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { formatWindow } from '../../slo/windows';
import { SliceComparison } from '../sli-definition';
import { SliceMissingData, TimeSliceSli } from '../time-slice';

/** Options of `Sli.queueFreshness`. */
export interface QueueFreshnessOptions {
  /**
   * A minute is good when the oldest message in the queue is younger than this.
   * @default Duration.minutes(5) - a consumer that keeps up takes seconds; 5 minutes behind is a backlog an on-call engineer acts on
   */
  readonly maxAge?: Duration;
}

/** The age a fresh queue stays under unless given. */
export const DEFAULT_QUEUE_MAX_AGE = Duration.minutes(5);

function queueMetric(queue: IQueue, metricName: string): Metric {
  return new Metric({ namespace: 'AWS/SQS', metricName, dimensionsMap: { QueueName: queue.queueName }, statistic: Stats.MAXIMUM });
}

/**
 * Queue freshness: a minute is good when `ApproximateAgeOfOldestMessage` (`Maximum`, seconds) is
 * under `maxAge` (namespace AWS/SQS, dimension QueueName).
 *
 * A minute without a datapoint is GOOD: SQS publishes the age only while the queue holds a message
 * and publishes nothing for an inactive queue (no messages and no calls for about six hours), so a
 * missing datapoint means nothing is waiting. A backlog always has a message, so it is always seen.
 *
 * What it cannot see: a consumer that stops while nothing is sent (nothing is late yet); messages
 * that failed processing and were moved to the dead-letter queue (use `deadLetterQueueEmpty`); and,
 * for standard queues, a message received three or more times without being deleted, which SQS
 * moves to the back of the queue and leaves out of the age until it is processed (the metric's
 * "Key notes") — a poison message does not make the queue look stale. The age is approximate
 * (SQS is distributed) and reaches CloudWatch a few minutes late.
 */
export function queueFreshness(queue: IQueue, options: QueueFreshnessOptions = {}): TimeSliceSli {
  const maxAge = options.maxAge ?? DEFAULT_QUEUE_MAX_AGE;
  const seconds = maxAge.toSeconds({ integral: false });
  return new TimeSliceSli({
    metric: queueMetric(queue, 'ApproximateAgeOfOldestMessage'),
    comparison: SliceComparison.LESS_THAN,
    threshold: seconds,
    missingData: SliceMissingData.GOOD,
    description: `minutes in which the oldest message of queue ${queue.node.id} is younger than ${formatWindow(seconds)} (ApproximateAgeOfOldestMessage Maximum), a minute without data good`,
  });
}

/**
 * Dead letters: a minute is good when the dead-letter queue holds no visible message,
 * `ApproximateNumberOfMessagesVisible` (`Maximum`) <= 0 (namespace AWS/SQS, dimension QueueName of
 * the dead-letter queue).
 *
 * Why not `NumberOfMessagesSent`: "if a message is sent to a dead-letter queue as a result of a
 * failed processing attempt, it isn't captured by this metric" (Using dead-letter queues in Amazon
 * SQS, "The NumberOfMessagesSent and NumberOfMessagesReceived for a dead-letter queue don't match",
 * docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html),
 * so it stays 0 while a redrive policy moves failed messages there. The visible count sees every
 * message however it arrived.
 *
 * So the SLI counts the minutes during which dead letters wait unhandled, not each arrival: one
 * dead-lettered message makes every minute bad until it is redriven, deleted or expires, and pages
 * once the tier's share of bad minutes is exceeded (5 minutes in an hour at 99.5 %). A team that keeps
 * dead letters for later analysis should move them elsewhere, or build an arrival-rate SLI with
 * `Sli.timeSlice` on `DIFF(m)` of the visible count (which the faithful evaluator cannot simulate).
 * A minute without a datapoint is GOOD: an inactive queue publishes nothing, and a queue holding a
 * message is active. Messages delayed or in flight (received by someone inspecting the queue) are not
 * visible and count as handled while they are.
 */
export function deadLetterQueueEmpty(deadLetterQueue: IQueue): TimeSliceSli {
  return new TimeSliceSli({
    metric: queueMetric(deadLetterQueue, 'ApproximateNumberOfMessagesVisible'),
    comparison: SliceComparison.LESS_THAN_OR_EQUAL,
    threshold: 0,
    missingData: SliceMissingData.GOOD,
    description: `minutes in which dead-letter queue ${deadLetterQueue.node.id} holds no visible message (ApproximateNumberOfMessagesVisible Maximum), a minute without data good`,
  });
}
