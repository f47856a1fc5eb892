/**
 * Describing what a user passed, for error messages, and cutting text for templates and
 * messages. Nothing here throws, whatever the value — BigInt, Symbol, circular objects, Proxies,
 * objects whose getters throw — and nothing cuts a character in half: a cut never leaves a lone
 * surrogate, which CloudFormation, Slack and terminals all refuse or garble.
 *
 * Pure and free of package imports, so the command line can load it without aws-cdk-lib.
 */

/** How long a description may get before it is cut. */
export const MAX_DESCRIPTION_LENGTH = 120;

/** How deep objects are described, and how many of their entries. */
const MAX_DEPTH = 3;
const MAX_ENTRIES = 8;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Characters a message shows as escapes rather than as themselves: C0 and C1 controls, DEL, and
 * the invisible ones that reorder or hide text (zero-width, bidirectional overrides, line and
 * paragraph separators, the byte-order mark).
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

/** Whether `text` holds a lone surrogate (half of a character). */
export function hasLoneSurrogate(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  const found = LONE_SURROGATE.test(text);
  LONE_SURROGATE.lastIndex = 0;
  return found;
}

/** `text` with every lone surrogate replaced by U+FFFD, the replacement character. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * `text` cut to at most `max` UTF-16 code units (what JavaScript's `length` and most AWS limits
 * count), `ellipsis` included, never inside a surrogate pair. Lone surrogates in `text` are
 * replaced by U+FFFD first.
 */
export function truncateText(text: string, max: number, ellipsis = '…'): string {
  const clean = wellFormed(text);
  if (clean.length <= max) {
    return clean;
  }
  let end = Math.max(0, max - ellipsis.length);
  // do not keep the first half of a pair whose second half is cut off
  if (end > 0 && /[\uD800-\uDBFF]/.test(clean[end - 1])) {
    end--;
  }
  return `${clean.slice(0, end)}${ellipsis}`.slice(0, Math.max(max, 0));
}

/**
 * `text` cut to at most `max` code points (what CloudFormation and IAM count as characters), with
 * `ellipsis` when cut; lone surrogates replaced by U+FFFD.
 */
export function truncateCodePoints(text: string, max: number, ellipsis = '…'): string {
  const points = Array.from(wellFormed(text));
  if (points.length <= max) {
    return points.join('');
  }
  const room = Math.max(0, max - Array.from(ellipsis).length);
  return `${points.slice(0, room).join('')}${ellipsis}`;
}

/** A string as a message quotes it: JSON-quoted, invisible characters escaped, cut with its length when long. */
export function quote(text: string, max = MAX_DESCRIPTION_LENGTH): string {
  const length = Array.from(text).length;
  const body = length > max ? truncateCodePoints(text, Math.max(1, max - 20)) : wellFormed(text);
  const quoted = JSON.stringify(body).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return length > max ? `${quoted} (${length} characters)` : quoted;
}

/**
 * A value as an error message shows it after "got": strings JSON-quoted, numbers as JavaScript
 * prints them (`NaN`, `-0`, `1e+21`), BigInts with their `n`, class instances by class
 * (`a Duration`), plain objects and arrays in a JSON-like form with circular references, throwing
 * getters and unserialisable values named instead of followed. Never throws.
 */
export function describeValue(value: unknown, max = MAX_DESCRIPTION_LENGTH): string {
  try {
    return truncateText(render(value, 0, new Set(), max), max, '…');
  } catch {
    return 'a value that cannot be described';
  }
}

/** `TypeError: message`, for messages about a value whose reading threw. Never throws. */
export function describeError(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const name = safely(() => (error as Error).name);
      const message = safely(() => (error as Error).message);
      const text = `${typeof name === 'string' && name ? name : 'Error'}: ${typeof message === 'string' ? message : describeValue(message)}`;
      return truncateText(wellFormed(text).replace(INVISIBLE, ' '), MAX_DESCRIPTION_LENGTH);
    }
    return `a thrown ${describeValue(error)}`;
  } catch {
    return 'an error that cannot be described';
  }
}

/** The result of reading one property of a user's object. */
export type Read<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * Reads `key` of `object` (a user's value, possibly a Proxy or an object whose getter throws):
 * the value, or a problem saying that it could not be read. `undefined` and `null` objects read
 * as `undefined`.
 */
export function readProperty(object: unknown, key: string): Read {
  if (object === undefined || object === null) {
    return { ok: true, value: undefined };
  }
  try {
    return { ok: true, value: (object as Record<string, unknown>)[key] };
  } catch (e) {
    return { ok: false, problem: unreadable(e) };
  }
}

/** The message for a value whose reading threw. */
export function unreadable(error: unknown): string {
  return `could not be read: reading it threw ${describeError(error)}`;
}

/**
 * The items of a user's list, holes as `undefined`: `undefined` when `value` is not an array, a
 * problem when reading it threw (a Proxy).
 */
export function readList(value: unknown): Read<unknown[] | undefined> {
  try {
    if (!Array.isArray(value)) {
      return { ok: true, value: undefined };
    }
    const items: unknown[] = [];
    const length = value.length;
    for (let i = 0; i < length; i++) {
      items.push(value[i]);
    }
    return { ok: true, value: items };
  } catch (e) {
    return { ok: false, problem: unreadable(e) };
  }
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function render(value: unknown, depth: number, seen: Set<object>, max: number): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return quote(value, depth === 0 ? max : 40);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'boolean':
      return String(value);
    case 'symbol': {
      const description = safely(() => value.description);
      return description === undefined ? 'Symbol()' : `Symbol(${quote(description, 40)})`;
    }
    case 'function':
      return 'a function';
    default:
      break;
  }
  if (value === null) {
    return 'null';
  }
  const object = value as object;
  if (seen.has(object)) {
    return '[circular]';
  }
  const isArray = safely(() => Array.isArray(object));
  if (isArray === undefined) {
    return 'an object that cannot be read';
  }
  const className = safely(() => {
    const proto = Object.getPrototypeOf(object);
    return proto === null ? 'Object' : (proto as { constructor?: { name?: unknown } }).constructor?.name;
  });
  if (!isArray && className !== 'Object') {
    return typeof className === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(className) ? `a ${className}` : 'an object';
  }
  if (depth >= MAX_DEPTH) {
    return isArray ? '[…]' : '{…}';
  }
  seen.add(object);
  try {
    if (isArray) {
      const list = object as unknown[];
      const length = list.length;
      const parts: string[] = [];
      for (let i = 0; i < Math.min(length, MAX_ENTRIES); i++) {
        parts.push(i in list ? entry(() => list[i], depth, seen, max) : '<empty>');
      }
      if (length > MAX_ENTRIES) {
        parts.push(`… ${length - MAX_ENTRIES} more`);
      }
      return `[${parts.join(',')}]`;
    }
    const keys = Object.keys(object);
    const parts = keys.slice(0, MAX_ENTRIES).map((k) => `${quote(k, 40)}:${entry(() => (object as Record<string, unknown>)[k], depth, seen, max)}`);
    if (keys.length > MAX_ENTRIES) {
      parts.push(`… ${keys.length - MAX_ENTRIES} more`);
    }
    return `{${parts.join(',')}}`;
  } catch {
    return isArray ? 'a list that cannot be read' : 'an object that cannot be read';
  } finally {
    seen.delete(object);
  }
}

function entry(read: () => unknown, depth: number, seen: Set<object>, max: number): string {
  let value: unknown;
  try {
    value = read();
  } catch {
    return '<unreadable>';
  }
  return render(value, depth + 1, seen, max);
}
