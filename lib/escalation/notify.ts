/**
 * Who an escalation level (or the ticket queue) notifies. A target is anything implementing
 * `INotifyTarget`: when the policy is built, it binds each target to the topic of its level and
 * reads back what the target needs (a subscription, a topic to publish to, a webhook, a secret).
 * The built-in kinds live one per file under `targets/`; `Notify` is their friendly front door,
 * as aws-cdk-lib's `Schedule` or `Code` are.
 */
import { ISlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { NotifyEmail } from './targets/email';
import { NotifyPagerDuty } from './targets/pagerduty';
import { NotifySlack } from './targets/slack';
import { NotifySms } from './targets/sms';
import { NotifyTopic } from './targets/topic';
import { NotifyWebhook } from './targets/webhook';
import { INotifyTarget } from './notify-target';

/**
 * The notification targets an escalation level (or the ticket queue) can name.
 *
 * ```ts
 * Notify.email('primary@example.com')
 * Notify.sms('+15555550100')
 * Notify.pagerDutyEventsV2(routingKeySecret)
 * Notify.webhookFromSecret(slackWebhookSecret)
 * ```
 */
export class Notify {
  /** An email address, subscribed to the level's topic (the recipient confirms the subscription once). */
  public static email(address: string): INotifyTarget {
    return new NotifyEmail(address);
  }

  /** A mobile number in E.164 format (`+15555550100`), subscribed to the level's topic. */
  public static sms(phoneNumber: string): INotifyTarget {
    return new NotifySms(phoneNumber);
  }

  /**
   * An existing SNS topic (e.g. a managers' distribution list): the escalation function publishes
   * the page to it. If the topic is encrypted with its own KMS key, the function is granted its use.
   */
  public static topic(topic: ITopic): INotifyTarget {
    return new NotifyTopic(topic);
  }

  /**
   * An HTTPS webhook, given inline. The URL is stored in the template and in the function's
   * environment: use `webhookFromSecret` for URLs that embed a credential (Slack incoming webhooks).
   */
  public static webhook(url: string): INotifyTarget {
    return new NotifyWebhook({ url });
  }

  /**
   * An HTTPS webhook whose URL is the SecretString of a Secrets Manager secret, read at run time
   * (for URLs that embed a token, such as Slack incoming webhooks).
   */
  public static webhookFromSecret(secret: ISecret): INotifyTarget {
    return new NotifyWebhook({ secret });
  }

  /**
   * PagerDuty Events API v2. The secret holds the integration's routing key (SecretString = the
   * key, or JSON `{"routingKey": "…"}`) and is read at run time; the key never enters the template.
   * The incident is triggered, and resolved when the alarm recovers.
   */
  public static pagerDutyEventsV2(routingKeySecret: ISecret): INotifyTarget {
    return new NotifyPagerDuty(routingKeySecret);
  }

  /**
   * A Slack channel through AWS Chatbot (Amazon Q Developer in chat applications). When given a
   * `SlackChannelConfiguration` created in this app, the level's topic is added to its
   * notification topics; for an imported configuration, add the topic yourself
   * (`policy.levelTopics[i]`), as a warning reminds you.
   */
  public static slack(channel: ISlackChannelConfiguration): INotifyTarget {
    return new NotifySlack(channel);
  }

  private constructor() {}
}
