/**
 * The extension point of escalation targets: what a target is told when a policy binds it to a
 * level, and what it answers. `notify.ts` holds the friendly factories; `targets/` the built-in kinds.
 */
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ITopic, ITopicSubscription } from 'aws-cdk-lib/aws-sns';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
