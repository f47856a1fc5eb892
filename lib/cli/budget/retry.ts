/**
 * Retrying AWS calls that were throttled (or hit a passing server error), with exponential backoff
 * and jitter, sleeping through `io.sleep` so that tests do not wait. Credential and permission
 * errors are never retried: they go up at once, to be explained by `run()`.
 *
 * The SDK clients built by `main.ts` also retry (the SDK's standard strategy, 3 attempts) inside
 * each of these attempts; this loop adds the longer waits a throttled account needs.
 */
import { CliError, isPermanentAwsError } from '../errors';
import { formatDuration } from '../render';

/** Error names and codes that mean "slow down". */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** Server-side failures worth another try. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'InternalServiceFault',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
]);

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The wait before the second attempt, before jitter; it doubles with each attempt. */
  readonly baseDelayMs: number;
  /** The longest wait before jitter. */
  readonly maxDelayMs: number;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** 5 attempts, with waits of 0.5-1 s, 1-2 s, 2-4 s and 4-8 s between them (7.5 to 15 s in all). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 16_000 };

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: { readonly throttling?: boolean };
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function namesOf(err: unknown): string[] {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  return [e.name, e.code, e.Code].filter((v): v is string => typeof v === 'string');
}

/** Throttled: slow down and try again. */
export function isThrottling(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  return namesOf(err).some((n) => THROTTLING_ERRORS.has(n)) || e.$retryable?.throttling === true
    || e.$metadata?.httpStatusCode === 429;
}

/** Worth another attempt: throttling, or a server-side or network failure that passes. */
export function isRetryable(err: unknown): boolean {
  if (isPermanentAwsError(err)) {
    return false;
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  return isThrottling(err) || namesOf(err).some((n) => TRANSIENT_ERRORS.has(n)) || e.$fault === 'server'
    || (typeof status === 'number' && status >= 500);
}

/**
 * The wait before attempt `attempt + 1` ("equal jitter": half the exponential delay, plus a random
 * part of the other half, so that clients that were throttled together spread out).
 */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * Calls `call` until it succeeds, retrying throttling and passing failures up to
 * `policy.maxAttempts` attempts; then throws a `CliError` that says what was tried. `what` names
 * the call in that message (`CloudWatch GetMetricData in eu-west-1`).
 */
export async function withRetries<T>(
  what: string,
  call: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isRetryable(err)) {
        throw err;
      }
      if (attempt >= policy.maxAttempts) {
        const name = namesOf(err)[0] ?? 'Error';
        const message = err instanceof Error ? err.message : String(err);
        const waited = waitedMs > 0 ? ` over ${formatDuration(waitedMs / 1000)} of backoff` : '';
        if (isThrottling(err)) {
          throw new CliError(`${what} is still throttled after ${attempt} attempts${waited} (${name}: ${message}). `
            + 'The request quota is per account and region and shared with everything else that reads metrics there '
            + '(dashboards, other pipelines): run again in a minute, or raise the GetMetricData quota in Service Quotas.');
        }
        throw new CliError(`${what} failed ${attempt} times${waited} (${name}: ${message}); try again later.`);
      }
      const delay = backoffMs(attempt, policy);
      waitedMs += delay;
      await sleep(delay);
    }
  }
}
