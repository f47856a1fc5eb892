/**
 * Retries of throttled AWS calls: which errors, how long, and the message when it gives up.
 */
import { backoffMs, isRetryable, withRetries } from '../../../lib/cli/budget/retry';
import { CliError } from '../../../lib/cli/errors';
import { awsError } from '../support/harness';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 };

describe('which errors are retried', () => {
  test.each(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceeded', 'RequestLimitExceeded', 'InternalServiceFault'])(
    '%s is', (name) => expect(isRetryable(awsError(name))).toBe(true));

  test.each(['CredentialsProviderError', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidClientTokenId', 'AccessDenied', 'InvalidParameterValueException'])(
    '%s is not', (name) => expect(isRetryable(awsError(name))).toBe(false));

  test('HTTP 429 and 5xx are, by status', () => {
    expect(isRetryable(Object.assign(awsError('Unknown'), { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isRetryable(Object.assign(awsError('Unknown'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryable(Object.assign(awsError('Unknown'), { $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });
});

describe('backoff', () => {
  test('doubles from the base, capped, with half of it random', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, { ...policy, random: () => 0 }))).toEqual([500, 1000, 1500, 1500]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, { ...policy, random: () => 0.999999 }))).toEqual([1000, 2000, 3000, 3000]);
  });
});

describe('withRetries', () => {
  test('returns once a call succeeds, having slept between attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetries('X', async () => {
      calls++;
      if (calls < 3) throw awsError('Throttling');
      return 'ok';
    }, async (ms) => { sleeps.push(ms); }, { ...policy, random: () => 0 });
    expect(result).toBe('ok');
    expect(sleeps).toEqual([500, 1000]);
  });

  test('gives up after maxAttempts with a CliError naming the call', async () => {
    const sleeps: number[] = [];
    const promise = withRetries('CloudWatch GetMetricData in eu-west-1', async () => {
      throw awsError('ThrottlingException', 'Rate exceeded');
    }, async (ms) => { sleeps.push(ms); }, { ...policy, random: () => 0 });
    await expect(promise).rejects.toThrow(CliError);
    await expect(withRetries('CloudWatch GetMetricData in eu-west-1', async () => {
      throw awsError('ThrottlingException', 'Rate exceeded');
    }, async () => undefined, { ...policy, random: () => 0 })).rejects.toThrow(
      /^CloudWatch GetMetricData in eu-west-1 is still throttled after 4 attempts over 3s of backoff \(ThrottlingException: Rate exceeded\)/);
    expect(sleeps).toEqual([500, 1000, 1500]);
  });

  test('does not retry errors a retry cannot fix', async () => {
    let calls = 0;
    await expect(withRetries('X', async () => {
      calls++;
      throw awsError('ExpiredToken');
    }, async () => undefined, policy)).rejects.toThrow('ExpiredToken');
    expect(calls).toBe(1);
  });
});
