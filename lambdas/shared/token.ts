/**
 * Acknowledge tokens: `<payload>.<signature>`, both base64url. The payload is JSON
 * `{ a: alarmName, i: incidentStart, l: level, e: expiry (epoch seconds), n: nonce }` and the
 * signature is HMAC-SHA256(signing secret, payload string), compared in constant time. Pure.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

export interface TokenClaims {
  /** Alarm name. */
  readonly a: string;
  /** Incident start (the ALARM transition's time, ISO 8601). */
  readonly i: string;
  /** Level the link was sent to, 0-based. */
  readonly l: number;
  /** Expiry, epoch seconds. */
  readonly e: number;
  /** 16 random bytes, base64url: makes every link distinct and identifies the one used. */
  readonly n: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

/** Longer tokens are refused before any work is done. */
export const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function newClaims(alarmName: string, incidentStart: string, level: number, ttlSeconds: number, nowMs: number): TokenClaims {
  return {
    a: alarmName,
    i: incidentStart,
    l: level,
    e: Math.floor(nowMs / 1000) + ttlSeconds,
    n: randomBytes(16).toString('base64url'),
  };
}

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signToken(claims: TokenClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secret).toString('base64url')}`;
}

function isClaims(value: unknown): value is TokenClaims {
  const c = value as Partial<TokenClaims> | null;
  return typeof c === 'object' && c !== null
    && typeof c.a === 'string' && c.a.length > 0
    && typeof c.i === 'string' && c.i.length > 0
    && Number.isInteger(c.l) && (c.l as number) >= 0
    && typeof c.e === 'number' && Number.isFinite(c.e)
    && typeof c.n === 'string' && c.n.length > 0;
}

/**
 * Checks a token: its shape (`malformed`), then its signature (`forged`), then its expiry
 * (`expired`). The signature is checked before the payload is read, so a forged token is never
 * reported as expired.
 */
export function verifyToken(token: unknown, secret: string, nowMs: number): TokenCheck {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const parts = token.split('.');
  if (parts.length !== 2 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1])) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = sign(parts[0], secret);
  const given = Buffer.from(parts[1], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'forged' };
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.e * 1000 <= nowMs) {
    return { ok: false, reason: 'expired' };
  }
  return { ok: true, claims };
}
