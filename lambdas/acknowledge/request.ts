/**
 * Reads a Lambda function URL request: method, token (`t`, from the form on POST, the query on
 * GET) and the optional `by` name. Pure.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export const MAX_BODY_BYTES = 8192;
/**
 * The acknowledger's name is kept to 64 printable characters (longer input is truncated, not
 * refused: the acknowledgement matters more than the name). It reaches chat messages, where it is
 * also markdown-escaped.
 */
export const MAX_BY_LENGTH = 64;

export interface AckRequest {
  readonly method: string;
  readonly token?: string;
  readonly by?: string;
  readonly sourceIp?: string;
}

/**
 * Keeps printable characters only (control, format — zero-width, bidirectional overrides —,
 * private-use and unassigned code points become spaces), collapses whitespace, trims, and
 * truncates to `MAX_BY_LENGTH` characters (code points, never half a surrogate pair);
 * `undefined` when nothing is left.
 */
export function cleanName(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const printable = value.slice(0, MAX_BODY_BYTES).replace(/[\p{C}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').trim();
  const clean = Array.from(printable).slice(0, MAX_BY_LENGTH).join('').trim();
  return clean.length > 0 ? clean : undefined;
}

export function readRequest(event: LambdaFunctionURLEvent): AckRequest {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const query = event.queryStringParameters ?? {};
  let form = new URLSearchParams();
  if (method === 'POST' && typeof event.body === 'string') {
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (raw.length <= MAX_BODY_BYTES) {
      form = new URLSearchParams(raw);
    }
  }
  const token = method === 'POST' ? form.get('t') ?? query.t : query.t;
  return {
    method,
    token: token ?? undefined,
    by: method === 'POST' ? cleanName(form.get('by')) : undefined,
    sourceIp: event.requestContext?.http?.sourceIp,
  };
}
