import { newClaims, signToken, verifyToken } from '../../../lambdas/shared/token';

const SECRET = 's'.repeat(64);
const NOW = Date.parse('2024-05-01T10:00:00Z');

test('a signed token verifies and gives its claims back', () => {
  const claims = newClaims('checkout-availability-page', '2024-05-01T10:00:00.000Z', 1, 3600, NOW);
  const token = signToken(claims, SECRET);
  // 128-bit signature and 12-byte nonce (compact for SMS; was 32 and 16 bytes)
  expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  expect(verifyToken(token, SECRET, NOW + 1000)).toEqual({ ok: true, claims });
  expect(claims.n).toMatch(/^[A-Za-z0-9_-]{16}$/);
});

test('every link is distinct', () => {
  const a = newClaims('a', 'i', 0, 60, NOW);
  const b = newClaims('a', 'i', 0, 60, NOW);
  expect(signToken(a, SECRET)).not.toBe(signToken(b, SECRET));
});

test('expired tokens are expired, but only when the signature is right', () => {
  const token = signToken(newClaims('a', 'i', 0, 60, NOW), SECRET);
  expect(verifyToken(token, SECRET, NOW + 60_000)).toEqual({ ok: false, reason: 'expired' });
  expect(verifyToken(token, 'other', NOW + 60_000)).toEqual({ ok: false, reason: 'forged' });
});

test.each([
  ['another key', (t: string) => t, 'x'.repeat(64), 'forged'],
  ['a changed payload', (t: string) => `${Buffer.from('{"a":"b","i":"i","l":0,"e":9999999999,"n":"n"}').toString('base64url')}.${t.split('.')[1]}`, SECRET, 'forged'],
  ['a truncated signature', (t: string) => t.slice(0, -2), SECRET, 'forged'],
  ['no dot', (t: string) => t.replace('.', ''), SECRET, 'malformed'],
  ['three parts', (t: string) => `${t}.x`, SECRET, 'malformed'],
  ['bad characters', (t: string) => `${t}=`, SECRET, 'malformed'],
  ['an empty string', () => '', SECRET, 'malformed'],
  ['a huge string', () => 'a'.repeat(5000), SECRET, 'malformed'],
])('%s is refused', (_name, mutate, secret, reason) => {
  const token = mutate(signToken(newClaims('a', 'i', 0, 60, NOW), SECRET));
  expect(verifyToken(token, secret, NOW)).toEqual({ ok: false, reason });
});

test('a correctly signed payload that is not a claim set is malformed', () => {
  const payload = Buffer.from('{"a":1}').toString('base64url');
  const sig = require('crypto').createHmac('sha256', SECRET).update(payload).digest('base64url');
  expect(verifyToken(`${payload}.${sig}`, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
});

test('tokens of the earlier format (ISO start, 16-byte nonce, full signature) still verify until they expire', () => {
  const payload = Buffer.from(JSON.stringify({ a: 'alarm', i: '2024-05-01T10:00:00.000Z', l: 2, e: NOW / 1000 + 60, n: 'x'.repeat(22) })).toString('base64url');
  const sig = require('crypto').createHmac('sha256', SECRET).update(payload).digest('base64url');
  expect(verifyToken(`${payload}.${sig}`, SECRET, NOW)).toEqual({
    ok: true, claims: { a: 'alarm', i: '2024-05-01T10:00:00.000Z', l: 2, e: NOW / 1000 + 60, n: 'x'.repeat(22) },
  });
  expect(verifyToken(`${payload}.${sig}`, 'other', NOW)).toEqual({ ok: false, reason: 'forged' });
});

test('the incident start travels as epoch milliseconds and comes back as the same ISO string', () => {
  const token = signToken(newClaims('alarm', '2024-05-01T10:00:00.123Z', 0, 60, NOW), SECRET);
  expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).i).toBe(1714557600123);
  expect(verifyToken(token, SECRET, NOW)).toMatchObject({ ok: true, claims: { i: '2024-05-01T10:00:00.123Z' } });
});
