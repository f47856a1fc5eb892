/** `Notify.slack`: an AWS Chatbot Slack channel fed by the level's topic. */
import { Annotations } from 'aws-cdk-lib';
import { ISlackChannelConfiguration, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify-target';
import { referenceProblem } from '../validation';
import { CheckedNotifyTarget } from './target';

export class NotifySlack extends CheckedNotifyTarget {
  public static readonly KIND = 'slack';

  constructor(private readonly channel: ISlackChannelConfiguration) {
    super();
  }

  public _problem(): string | undefined {
    return referenceProblem('Notify.slack needs an AWS Chatbot SlackChannelConfiguration (an ISlackChannelConfiguration)', this.channel, 'slackChannelConfigurationArn');
  }

  public _describe(): string {
    return 'Slack channel (AWS Chatbot)';
  }

  /** Adds the level's topic to the channel's notification topics; an imported configuration cannot be changed, so a warning says to. */
  public bind(scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig {
    if (this.channel instanceof SlackChannelConfiguration) {
      this.channel.addNotificationTopic(options.topic);
    } else {
      Annotations.of(scope).addWarningV2('cdk-reliability:slack-topic-not-subscribed',
        `${scope.node.path}: ${options.prop}: the Slack channel configuration is imported, so its notification topics cannot be changed from here: `
        + `add this policy's topic (${options.topic.node.path}) to the configuration's SNS topics yourself, or the channel gets nothing.`);
    }
    return { kind: NotifySlack.KIND, receivesLevelTopic: true };
  }
}
