/** `Notify.topic`: an existing topic the escalation function publishes to. */
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify-target';
import { referenceProblem } from '../validation';
import { CheckedNotifyTarget } from './target';

export class NotifyTopic extends CheckedNotifyTarget {
  public static readonly KIND = 'topic';

  constructor(private readonly topic: ITopic) {
    super();
  }

  public _problem(): string | undefined {
    return referenceProblem('Notify.topic needs an SNS topic (an ITopic, e.g. sns.Topic.fromTopicArn(...))', this.topic, 'topicArn');
  }

  public _describe(): string {
    return 'SNS topic';
  }

  public bind(_scope: Construct, _options: NotifyTargetBindOptions): NotifyTargetConfig {
    return { kind: NotifyTopic.KIND, publishTopic: this.topic };
  }
}
