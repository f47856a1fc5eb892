/**
 * A kind of target the library does not ship, in one file, as a user would write it: an SQS queue
 * subscribed to the level's topic (e.g. feeding an incident bot).
 */
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INotifyTarget, NotifyTargetBindOptions, NotifyTargetConfig } from '../../../lib';

export class QueueTarget implements INotifyTarget {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(_scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig {
    return {
      kind: 'sqs',
      subscription: new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true, deadLetterQueue: options.deadLetterQueue }),
    };
  }
}

/** A target whose bind() returns a kind the manifest cannot hold. */
export class BadKindTarget implements INotifyTarget {
  constructor(private readonly kind: unknown) {}

  public bind(_scope: Construct, _options: NotifyTargetBindOptions): NotifyTargetConfig {
    return { kind: this.kind as string };
  }
}
