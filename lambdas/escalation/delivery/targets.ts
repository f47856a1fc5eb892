/**
 * The targets of a level (or of the tickets): its topic, the user's topics, webhooks and
 * PagerDuty services, each with a stable id used in delivery keys and logs (never its URL or key).
 *
 * Each send carries the notice's idempotency key (see delivery/deliver.ts): an SNS message
 * attribute `noticeId` (subscribers over HTTPS, SQS or Lambda receive it), a webhook's
 * `Idempotency-Key` header and `noticeId` field, PagerDuty's `dedup_key` (one per incident: its
 * Events API merges a repeated trigger, acknowledge or resolve).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { getSecret } from '../../shared/secrets';
import type { TargetSet, WebhookRef } from '../config/config';
import { webhookBody } from '../messages/chat';
import type { Notice, NoticeKind } from '../messages/notice';
import { PAGERDUTY_EVENTS_URL, pagerDutyEvent } from '../messages/pagerduty';
import { snsMessage } from '../messages/sns';
import { postJson } from './http';
import { DeliveryError, withRetry } from './retry';

const sns = new SNSClient({});

export type TargetKind = 'topic' | 'webhook' | 'pagerduty';

export interface Target {
  /** `topic`, `topic-2`, `webhook-0`, `pagerduty-0`: stable while the policy's configuration is. */
  readonly id: string;
  /** What it is, for logs (never its URL or key). */
  readonly kind: TargetKind;
  /** Whether it takes notices of this kind (PagerDuty has no event for "nobody answered": its own escalation runs). */
  handles(kind: NoticeKind): boolean;
  /** Sends `notice`; `id` is its idempotency key, the same in every try. */
  send(notice: Notice, id: string): Promise<void>;
}

const ALL_KINDS = (): boolean => true;

/** Name of the SNS message attribute holding a notice's idempotency key. */
export const NOTICE_ID_ATTRIBUTE = 'noticeId';

async function publish(topicArn: string, notice: Notice, id: string): Promise<void> {
  await sns.send(new PublishCommand({
    TopicArn: topicArn,
    ...snsMessage(notice),
    MessageAttributes: { [NOTICE_ID_ATTRIBUTE]: { DataType: 'String', StringValue: id } },
  }));
}

async function webhookUrl(ref: WebhookRef): Promise<string> {
  const url = 'url' in ref ? ref.url : (await getSecret(ref.secretArn)).trim();
  if (!/^https:\/\/[^\s]+$/.test(url)) {
    throw new DeliveryError('the webhook URL is not an https URL', false);
  }
  return url;
}

/** A PagerDuty secret holds the routing key, or JSON `{ "routingKey": "…" }`. */
export function routingKeyOf(secret: string): string {
  const text = secret.trim();
  if (text.startsWith('{')) {
    try {
      const key = (JSON.parse(text) as { routingKey?: unknown }).routingKey;
      if (typeof key === 'string' && key.length > 0) {
        return key;
      }
    } catch {
      // fall through
    }
    throw new DeliveryError('the PagerDuty secret is JSON without a routingKey', false);
  }
  return text;
}

export function targetsOf(set: TargetSet): Target[] {
  const targets: Target[] = [];
  if (set.topicArn) {
    const arn = set.topicArn;
    targets.push({ id: 'topic', kind: 'topic', handles: ALL_KINDS, send: (n, id) => publish(arn, n, id) });
  }
  set.publishTopicArns.forEach((arn, i) => targets.push({ id: `topic-${i}`, kind: 'topic', handles: ALL_KINDS, send: (n, id) => publish(arn, n, id) }));
  set.webhooks.forEach((ref, i) => targets.push({
    id: `webhook-${i}`,
    kind: 'webhook',
    handles: ALL_KINDS,
    send: async (n, id) => {
      const url = await webhookUrl(ref);
      await withRetry(() => postJson(url, { ...webhookBody(n), noticeId: id }, { 'idempotency-key': id }));
    },
  }));
  set.pagerDuty.forEach((ref, i) => targets.push({
    id: `pagerduty-${i}`,
    kind: 'pagerduty',
    handles: (kind) => kind !== 'exhausted',
    send: async (n) => {
      const key = routingKeyOf(await getSecret(ref.secretArn));
      await withRetry(() => postJson(PAGERDUTY_EVENTS_URL, pagerDutyEvent(n, key)));
    },
  }));
  return targets;
}
