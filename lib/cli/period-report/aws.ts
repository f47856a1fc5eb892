/**
 * The AWS side of `review`: its clients, each counting the calls it sends per API (the report's
 * `apiCalls`, and the benchmark's figures), and the one test for a refused permission.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { FisClient } from '@aws-sdk/client-fis';

/** Calls sent, by `service:Operation` (retries count: each is a call the quota sees). */
export type CallCounts = Record<string, number>;

/** The clients `review` reads with, all in one region. */
export interface ReviewClients {
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly fis: FisClient;
  readonly region: string;
  readonly calls: CallCounts;
}

interface Sender {
  send(command: unknown, ...rest: unknown[]): Promise<unknown>;
}

/** `GetMetricData` for a `GetMetricDataCommand`. */
export function operationOf(command: unknown): string {
  const name = (command as { constructor?: { name?: string } })?.constructor?.name ?? 'Unknown';
  return name.replace(/Command\d*$/, '');
}

/** Makes `client` count the calls it sends into `calls`, as `<service>:<Operation>`. Returns the client. */
export function countCalls<C>(client: C, service: string, calls: CallCounts): C {
  const sender = client as unknown as Sender;
  const send = sender.send.bind(client);
  sender.send = (command: unknown, ...rest: unknown[]) => {
    const key = `${service}:${operationOf(command)}`;
    calls[key] = (calls[key] ?? 0) + 1;
    return send(command, ...rest);
  };
  return client;
}

/** The identity may not call the API. */
export function isAccessDenied(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException'].includes(e.name ?? e.Code ?? '')
    || e.$metadata?.httpStatusCode === 403;
}

/**
 * Calls in flight at once per kind of call: enough to hide latency, far below the APIs' request
 * quotas (GetMetricData 50 per second, Logs Insights 30 concurrent queries per account, FIS's
 * read APIs), which other tools in the account share.
 */
export const CONCURRENCY = 4;

/** `fn` over `items`, at most `limit` at once; results in the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
