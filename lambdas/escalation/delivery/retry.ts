/**
 * Small in-invocation retries for transient failures (webhook 5xx, 429, timeouts). AWS SDK calls
 * retry on their own (standard mode, 3 attempts). When retries run out the error propagates and
 * the handler throws, so Lambda's asynchronous retries and the dead-letter queue take over.
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
  /** Wait before looking again at a delivery another invocation is sending. */
  busyWaitMs: 1000,
  busyRounds: 3,
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isRetryable(err: unknown): boolean {
  return err instanceof DeliveryError ? err.retryable : true;
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
