/**
 * Plain values <-> DynamoDB AttributeValues (the subset the incidents table uses: strings,
 * numbers, booleans, null, lists and maps). `@aws-sdk/util-dynamodb` is not a dependency.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

export function marshal(value: Plain): AttributeValue {
  if (value === null) {
    return { NULL: true };
  }
  if (typeof value === 'string') {
    return { S: value };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new Error(`cannot store the number ${value}`);
    }
    return { N: String(value) };
  }
  if (typeof value === 'boolean') {
    return { BOOL: value };
  }
  if (Array.isArray(value)) {
    return { L: value.map(marshal) };
  }
  return { M: marshalItem(value) };
}

/** A map of attributes; `undefined` members are left out. */
export function marshalItem(value: { [key: string]: Plain | undefined }): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) {
      out[key] = marshal(member);
    }
  }
  return out;
}

export function unmarshal(value: AttributeValue): Plain {
  if (value.S !== undefined) {
    return value.S;
  }
  if (value.N !== undefined) {
    return Number(value.N);
  }
  if (value.BOOL !== undefined) {
    return value.BOOL;
  }
  if (value.NULL !== undefined) {
    return null;
  }
  if (value.L !== undefined) {
    return value.L.map(unmarshal);
  }
  if (value.M !== undefined) {
    return unmarshalItem(value.M);
  }
  throw new Error(`unsupported attribute value type: ${Object.keys(value).join(',')}`);
}

export function unmarshalItem(item: Record<string, AttributeValue>): { [key: string]: Plain } {
  const out: { [key: string]: Plain } = {};
  for (const [key, member] of Object.entries(item)) {
    out[key] = unmarshal(member);
  }
  return out;
}
