/**
 * Who an escalation level (or the ticket queue) notifies. A target is anything implementing
 * `INotifyTarget`: when the policy is built, it binds each target to the topic of its level and
 * reads back what the target needs (a subscription, a topic to publish to, a webhook, a secret).
 * The built-in kinds live one per file under `targets/`; `Notify` is their friendly front door,
 * as aws-cdk-lib's `Schedule` or `Code` are.
 */
import { ISlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ITopic, ITopicSubscription } from 'aws-cdk-lib/aws-sns';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NotifyEmail } from './targets/email';
import { NotifyPagerDuty } from './targets/pagerduty';
import { NotifySlack } from './targets/slack';
import { NotifySms } from './targets/sms';
import { NotifyTopic } from './targets/topic';
import { NotifyWebhook } from './targets/webhook';

/** What an escalation policy tells a target when it binds it to a level (or to the ticket targets). */
export interface NotifyTargetBindOptions {
  /**
   * The topic of the level (or of the ticket targets): email, SMS and Slack targets receive what
   * the escalation function publishes to it; level 1's also receives the alarms on the pager.
   */
  readonly topic: ITopic;

  /**
   * Where a subscription should send what SNS gives up delivering (the policy's dead-letter queue,
   * watched by an alarm).
   * @default - no dead-letter queue: level 1, whose subscriptions the dead-letter alarm itself notifies
   */
  readonly deadLetterQueue?: IQueue;

  /** The prop holding the target, for messages: `levels[0].notify` or `tickets`. */
  readonly prop: string;
}

/**
 * What a bound target needs from the escalation policy. The policy subscribes, publishes, grants
 * and writes the escalation function's configuration from it; a target sets only what applies.
 */
export interface NotifyTargetConfig {
  /**
   * The kind of target, written to the manifest and the reports (`email`, `sms`, `slack`, `topic`,
   * `webhook`, `pagerduty`, or a kind of your own): lower-case letters, digits and `-`.
   */
  readonly kind: string;

  /**
   * A subscription the policy adds to the level's topic.
   * @default - no subscription
   */
  readonly subscription?: ITopicSubscription;

  /**
   * Whether the target receives what is published to the level's topic without a subscription the
   * policy adds (e.g. an AWS Chatbot channel with the topic among its notification topics). Level 1
   * needs at least one such target, a subscription or a topic, for the alarms on the pager to reach someone.
   * @default false
   */
  readonly receivesLevelTopic?: boolean;

  /**
   * An existing topic the escalation function publishes to (granted `sns:Publish`, and its key
   * when it has one). On level 1 it also receives the alarms on the pager.
   * @default - none
   */
  readonly publishTopic?: ITopic;

  /**
   * An HTTPS URL the escalation function posts to. It is stored in the template and the
   * function's environment.
   * @default - none
   */
  readonly webhookUrl?: string;

  /**
   * A secret whose SecretString is an HTTPS URL the escalation function posts to, read at run time
   * (granted `secretsmanager:GetSecretValue`, and its key when it has one).
   * @default - none
   */
  readonly webhookUrlSecret?: ISecret;

  /**
   * A secret holding a PagerDuty Events API v2 routing key (SecretString = the key, or JSON
   * `{"routingKey": "…"}`), read at run time: the escalation function triggers and resolves
   * incidents through it.
   * @default - none
   */
  readonly pagerDutyRoutingKeySecret?: ISecret;
}

/**
 * A notification target of an escalation level or of the ticket queue. Build one with `Notify`,
 * or implement `bind` for a kind of your own (e.g. one that returns a `subscription`).
 */
export interface INotifyTarget {
  /** Called once per level (or ticket list) naming the target, when the policy is built. */
  bind(scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig;
}

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
