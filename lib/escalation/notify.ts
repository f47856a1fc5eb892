/**
 * Who an escalation level (or the ticket queue) notifies: small value objects built by the
 * `Notify` factories, as aws-cdk-lib does for `Schedule` or `Code`.
 */
import { ISlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/** The kinds of notification target. The value is what the escalation function sees in `kinds`. */
export enum NotifyKind {
  /** An email address subscribed to the level's topic. */
  EMAIL = 'email',
  /** A phone number (E.164) subscribed to the level's topic. */
  SMS = 'sms',
  /** A Slack channel through AWS Chatbot, subscribed to the level's topic. */
  SLACK = 'slack',
  /** An existing SNS topic the escalation function publishes to. */
  TOPIC = 'topic',
  /** An HTTPS webhook the escalation function posts to. */
  WEBHOOK = 'webhook',
  /** PagerDuty Events API v2, called by the escalation function. */
  PAGERDUTY = 'pagerduty',
}

/**
 * A notification target of an escalation level or of the ticket queue.
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
  public static email(address: string): Notify {
    return new Notify(NotifyKind.EMAIL, { address });
  }

  /** A mobile number in E.164 format (`+15555550100`), subscribed to the level's topic. */
  public static sms(phoneNumber: string): Notify {
    return new Notify(NotifyKind.SMS, { address: phoneNumber });
  }

  /**
   * An existing SNS topic (e.g. a managers' distribution list): the escalation function publishes
   * the page to it. If the topic is encrypted with its own KMS key, the function is granted its use.
   */
  public static topic(topic: ITopic): Notify {
    return new Notify(NotifyKind.TOPIC, { topic });
  }

  /**
   * An HTTPS webhook, given inline. The URL is stored in the template and in the function's
   * environment: use `webhookFromSecret` for URLs that embed a credential (Slack incoming webhooks).
   */
  public static webhook(url: string): Notify {
    return new Notify(NotifyKind.WEBHOOK, { url });
  }

  /**
   * An HTTPS webhook whose URL is the SecretString of a Secrets Manager secret, read at run time
   * (for URLs that embed a token, such as Slack incoming webhooks).
   */
  public static webhookFromSecret(secret: ISecret): Notify {
    return new Notify(NotifyKind.WEBHOOK, { secret });
  }

  /**
   * PagerDuty Events API v2. The secret holds the integration's routing key (SecretString = the
   * key, or JSON `{"routingKey": "…"}`) and is read at run time; the key never enters the template.
   * The incident is triggered, and resolved when the alarm recovers.
   */
  public static pagerDutyEventsV2(routingKeySecret: ISecret): Notify {
    return new Notify(NotifyKind.PAGERDUTY, { secret: routingKeySecret });
  }

  /**
   * A Slack channel through AWS Chatbot (Amazon Q Developer in chat applications). When given a
   * `SlackChannelConfiguration` created in this app, the level's topic is added to its
   * notification topics; for an imported configuration, add the topic yourself
   * (`policy.levelTopics[i]`), as a warning reminds you.
   */
  public static slack(channel: ISlackChannelConfiguration): Notify {
    return new Notify(NotifyKind.SLACK, { slackChannel: channel });
  }

  /** The kind of target. */
  public readonly kind: NotifyKind;
  /** Email address or phone number (email and SMS targets). */
  public readonly address?: string;
  /** Webhook URL (inline webhooks). */
  public readonly url?: string;
  /** The secret read at run time (webhooks from a secret, PagerDuty). */
  public readonly secret?: ISecret;
  /** The existing topic (topic targets). */
  public readonly topic?: ITopic;
  /** The AWS Chatbot Slack channel (Slack targets). */
  public readonly slackChannel?: ISlackChannelConfiguration;

  private constructor(kind: NotifyKind, target: Omit<Partial<Notify>, 'kind' | 'describe'>) {
    this.kind = kind;
    this.address = target.address;
    this.url = target.url;
    this.secret = target.secret;
    this.topic = target.topic;
    this.slackChannel = target.slackChannel;
  }

  /** A short description for messages: `email primary@example.com`, `PagerDuty (secret)`. */
  public describe(): string {
    switch (this.kind) {
      case NotifyKind.EMAIL:
      case NotifyKind.SMS:
        return `${this.kind} ${String(this.address)}`;
      case NotifyKind.WEBHOOK:
        return this.url !== undefined ? `webhook ${String(this.url)}` : 'webhook (URL in a secret)';
      case NotifyKind.PAGERDUTY:
        return 'PagerDuty Events API v2';
      case NotifyKind.TOPIC:
        return 'SNS topic';
      case NotifyKind.SLACK:
        return 'Slack channel (AWS Chatbot)';
      default:
        return String(this.kind);
    }
  }
}

/** Whether `value` is a `Notify` built by one of the factories (duck-typed: survives duplicate module copies). */
export function isNotify(value: unknown): value is Notify {
  return typeof value === 'object' && value !== null
    && Object.values(NotifyKind).includes((value as { kind?: unknown }).kind as NotifyKind)
    && typeof (value as { describe?: unknown }).describe === 'function';
}
