/**
 * Sending the digest's summary to its targets: the digest topic (email, SMS and Slack
 * subscriptions, each its own body of one `MessageStructure: 'json'` message), topics of the user's (`Notify.topic`), webhooks (inline or in Secrets Manager).
 * Every target is tried; a failure is logged with the stable event `digest-delivery-failed`
 * (counted by the construct's alarm) and never stops the others or loses the archive. URLs are
 * never logged: a target is named by its kind and position (`webhook[0]`).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { errorFields, Logger } from '../shared/log';
import { getSecret } from '../shared/secrets';
import { snsJsonMessage } from '../shared/sns-message';
import { DigestTargetsJson, REPORT_LOG_EVENTS } from './contract';

/** The summary as sent. */
export interface DigestMessage {
  /** Made a valid SNS subject (ASCII, fewer than 100 characters) when published. */
  readonly subject: string;
  /** The complete summary: email, `Notify.topic` subscribers of other protocols, webhooks. */
  readonly text: string;
  /** The head sentence, GSM-7, one SMS segment. */
  readonly sms: string;
  /** The AWS Chatbot custom notification (Slack). */
  readonly chatbot: Record<string, unknown>;
  /** What a webhook receives besides `text`. */
  readonly details: Record<string, unknown>;
}

/** What became of one target. */
export interface DeliveryOutcome {
  readonly target: string;
  readonly sent: boolean;
}

export const WEBHOOK_TIMEOUT_MS = 5000;

async function postJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) {
    throw Object.assign(new Error(`HTTP ${response.status}`), { name: 'WebhookRefused', status: response.status });
  }
}

/** Sends `message` to every target; never throws. */
export async function deliverDigest(sns: SNSClient, targets: DigestTargetsJson, message: DigestMessage, log: Logger): Promise<DeliveryOutcome[]> {
  const sends: Array<{ target: string; send: () => Promise<void> }> = [
    ...(targets.topicArn ? [{ target: 'digest-topic', send: () => publish(sns, targets.topicArn!, message) }] : []),
    ...targets.publishTopicArns.map((arn, i) => ({ target: `topic[${i}]`, send: () => publish(sns, arn, message) })),
    ...targets.webhooks.map((hook, i) => ({
      target: `webhook[${i}]`,
      send: async () => postJson('url' in hook ? hook.url : await getSecret(hook.secretArn), { text: message.text, ...message.details }),
    })),
  ];
  const outcomes: DeliveryOutcome[] = [];
  for (const { target, send } of sends) {
    try {
      await send();
      log.info('digest sent', { event: REPORT_LOG_EVENTS.delivered, target });
      outcomes.push({ target, sent: true });
    } catch (err) {
      log.error('digest not delivered', { event: REPORT_LOG_EVENTS.deliveryFailed, target, ...errorFields(err) });
      outcomes.push({ target, sent: false });
    }
  }
  return outcomes;
}

async function publish(sns: SNSClient, topicArn: string, message: DigestMessage): Promise<void> {
  // one body per protocol: AWS Chatbot posts nothing for a plain-text message, and an SMS must stay short
  await sns.send(new PublishCommand({ TopicArn: topicArn, ...snsJsonMessage(message.subject, message) }));
}
