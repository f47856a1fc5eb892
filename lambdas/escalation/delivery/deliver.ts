/**
 * Sending one notice to one target and saying what became of it: sent, failed for good (a webhook
 * 4xx, a bad routing key, access denied: trying again would fail the same way), or failed in a
 * way worth retrying (throttling, 5xx, timeouts, network errors). Claims and records are the
 * drain's (flows/drain.ts); this module never touches the table.
 *
 * Every notice carries a stable id (`noticeId`), the same in every try: a target that may receive
 * a notice twice (the only case: an invocation stopped after the target accepted it and before it
 * recorded it as sent) can tell the copies apart by it. PagerDuty does it already by `dedup_key`.
 */
import { createHash } from 'crypto';
import { errorFields, redact } from '../../shared/log';
import { isRetryable } from './retry';

export class DeliveryFailed extends Error {
  constructor(readonly failures: Array<{ key: string; error: unknown }>) {
    super(`${failures.length} notification(s) could not be delivered: ${failures.map((f) => f.key).join(', ')}`);
    this.name = 'DeliveryFailed';
  }
}

export type SendOutcome = { readonly sent: true } | { readonly sent: false; readonly retryable: boolean; readonly error: unknown };

/** Sends, and never throws: the outcome says how it went. */
export async function attemptSend(send: () => Promise<void>): Promise<SendOutcome> {
  try {
    await send();
    return { sent: true };
  } catch (error) {
    return { sent: false, retryable: isRetryable(error), error };
  }
}

/** What a failure record says: the error's name, status and redacted message (never a URL or key). */
export function failureText(err: unknown): string {
  const f = errorFields(err);
  return redact(`${f.errorName}${f.httpStatus !== undefined ? ` (HTTP ${f.httpStatus})` : ''}: ${f.errorMessage}`).slice(0, 300);
}

/**
 * The idempotency key of a notice: `<dedup key>/<delivery key>` (`prod/checkout-availability-page/
 * 2024-05-01T10:00:00.000Z/r.0.topic`), hashed (`n-<32 hex>`) past 256 characters.
 */
export function noticeId(dedupKey: string, deliveryKey: string): string {
  const id = `${dedupKey}/${deliveryKey}`;
  return id.length <= 256 ? id : `n-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}
