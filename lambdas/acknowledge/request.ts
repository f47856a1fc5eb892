/**
 * Reads a Lambda function URL request: method, token (`t`, from the form on POST, the query on
 * GET) and the optional `by` name. Pure.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export const MAX_BODY_BYTES = 8192;
export const MAX_BY_LENGTH = 100;

export interface AckRequest {
  readonly method: string;
  readonly token?: string;
  readonly by?: string;
  readonly sourceIp?: string;
}

/** Trims, drops control characters, caps the length; `undefined` when nothing is left. */
export function cleanName(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_BY_LENGTH);
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
