/**
 * Failures: retryable ones (throttling, 5xx, timeouts, network errors, AWS SDK errors the SDK
 * marks retryable) are retried briefly within the invocation, then make the invocation throw so
 * that Lambda's asynchronous retries and the dead-letter queue take over. Permanent ones (a
 * webhook 4xx, a bad PagerDuty routing key, a missing secret, access denied) would fail the same
 * way every time: they are logged, recorded on the incident as failed, and the invocation succeeds.
 * AWS SDK calls retry on their own (standard mode, 3 attempts).
 */

export class DeliveryError extends Error {
  constructor(message: string, readonly retryable: boolean, readonly status?: number) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Tunable for tests and the benchmark. */
export const retryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Error names AWS services use for throttling and transient faults (as the SDK's own classification). */
const TRANSIENT_NAMES = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'TransactionInProgressException', 'RequestLimitExceeded', 'BandwidthLimitExceeded',
  'LimitExceededException', 'RequestThrottled', 'SlowDown', 'PriorRequestNotComplete', 'EC2ThrottledException',
  'KMSThrottlingException', 'InternalError', 'InternalFailure', 'InternalServerError', 'InternalErrorException',
  'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException',
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT',
]);

/**
 * True when trying again later may succeed. Unknown errors (no HTTP status, no SDK fault) count as
 * retryable: a page is better retried and dead-lettered than dropped.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof DeliveryError) {
    return err.retryable;
  }
  const e = (err ?? {}) as { name?: string; code?: string; $retryable?: unknown; $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable || (e.name && TRANSIENT_NAMES.has(e.name)) || (e.code && TRANSIENT_NAMES.has(e.code))) {
    return true;
  }
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    return status >= 500 || status === 408 || status === 429;
  }
  if (e.$fault === 'client') {
    return false;
  }
  return true;
}

export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= retryPolicy.attempts || !isRetryable(err)) {
        throw err;
      }
      const base = retryPolicy.baseDelayMs * 2 ** (attempt - 1);
      await sleep(base + Math.random() * retryPolicy.baseDelayMs);
    }
  }
}
