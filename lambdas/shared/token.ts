/**
 * Acknowledge tokens: `<payload>.<signature>`, both base64url. The payload is JSON
 * `{ a: alarmName, i: incidentStart, l: level, e: expiry (epoch seconds), n: nonce }` and the
 * signature is HMAC-SHA256(signing secret, payload string) truncated to its first 16 bytes
 * (128 bits), compared in constant time. Pure.
 *
 * Tokens travel in SMS, so they are kept short: `i` is written as epoch milliseconds (a number)
 * when that gives back the same ISO string, the nonce is 12 random bytes, the signature 16 bytes.
 * Tokens of the earlier format (ISO `i`, 16-byte nonce, full 32-byte signature) still verify until
 * they expire.
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
  /** 12 random bytes, base64url: makes every link distinct and identifies the one used. */
  readonly n: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

/** Longer tokens are refused before any work is done. */
export const MAX_TOKEN_LENGTH = 2048;
export const NONCE_BYTES = 12;
/** Signature bytes in a token: HMAC-SHA256 truncated to 128 bits. */
export const SIGNATURE_BYTES = 16;
const FULL_SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function newClaims(alarmName: string, incidentStart: string, level: number, ttlSeconds: number, nowMs: number): TokenClaims {
  return {
    a: alarmName,
    i: incidentStart,
    l: level,
    e: Math.floor(nowMs / 1000) + ttlSeconds,
    n: randomBytes(NONCE_BYTES).toString('base64url'),
  };
}

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** `i` on the wire: epoch ms when that round-trips to the same ISO string, else the string. */
function wireStart(incidentStart: string): string | number {
  const ms = Date.parse(incidentStart);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === incidentStart ? ms : incidentStart;
}

export function signToken(claims: TokenClaims, secret: string): string {
  const wire = { a: claims.a, i: wireStart(claims.i), l: claims.l, e: claims.e, n: claims.n };
  const payload = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secret).subarray(0, SIGNATURE_BYTES).toString('base64url')}`;
}

/** The claims of a decoded payload (`i` back to ISO), or `undefined`. */
function claimsOf(value: unknown): TokenClaims | undefined {
  const c = value as Record<string, unknown> | null;
  if (typeof c !== 'object' || c === null) {
    return undefined;
  }
  let start: string | undefined;
  if (typeof c.i === 'string' && c.i.length > 0) {
    start = c.i;
  } else if (Number.isSafeInteger(c.i) && (c.i as number) >= 0) {
    start = new Date(c.i as number).toISOString();
  }
  const ok = typeof c.a === 'string' && c.a.length > 0 && start !== undefined
    && Number.isInteger(c.l) && (c.l as number) >= 0
    && typeof c.e === 'number' && Number.isFinite(c.e)
    && typeof c.n === 'string' && c.n.length > 0;
  return ok ? { a: c.a as string, i: start as string, l: c.l as number, e: c.e as number, n: c.n as string } : undefined;
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
  const given = Buffer.from(parts[1], 'base64url');
  // A current (truncated) or an earlier (full) signature: either way at least 128 bits must match.
  const expected = given.length === FULL_SIGNATURE_BYTES ? sign(parts[0], secret) : sign(parts[0], secret).subarray(0, SIGNATURE_BYTES);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'forged' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = claimsOf(decoded);
  if (!claims) {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.e * 1000 <= nowMs) {
    return { ok: false, reason: 'expired' };
  }
  return { ok: true, claims };
}
