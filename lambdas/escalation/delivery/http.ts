/**
 * JSON POST with the global fetch and a 5-second timeout. Errors never quote the URL (webhook
 * URLs are credentials).
 */
import { DeliveryError } from './retry';

export const HTTP_TIMEOUT_MS = 5000;

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = HTTP_TIMEOUT_MS): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const name = (err as Error)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    throw new DeliveryError(timedOut ? `no response within ${timeoutMs} ms` : `request failed (${name ?? 'error'})`, true);
  }
  // Drain the body so that the connection can be reused; its content is not needed.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) {
    return response.status;
  }
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new DeliveryError(`HTTP ${response.status}`, retryable, response.status);
}
