/**
 * Secrets Manager values, cached per container (10 minutes, so that a rotated webhook URL or
 * routing key is picked up without a redeploy). Values are never logged.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const client = new SecretsManagerClient({});
const cache = new Map<string, { value: string; fetchedAt: number }>();
export const SECRET_CACHE_MS = 10 * 60 * 1000;

export async function getSecret(secretArn: string): Promise<string> {
  const now = Date.now();
  const cached = cache.get(secretArn);
  if (cached && now - cached.fetchedAt < SECRET_CACHE_MS) {
    return cached.value;
  }
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (typeof out.SecretString !== 'string' || out.SecretString.length === 0) {
    throw new Error(`secret ${secretArn} has no SecretString`);
  }
  cache.set(secretArn, { value: out.SecretString, fetchedAt: now });
  return out.SecretString;
}

/** For tests. */
export function clearSecretCache(): void {
  cache.clear();
}
