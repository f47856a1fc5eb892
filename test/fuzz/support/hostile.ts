/**
 * Values no well-behaved caller passes, but a library must survive: they break naive code that
 * serialises (`JSON.stringify` throws on BigInt and circular objects), interpolates (a Symbol in a
 * template literal throws), reads properties (getters and Proxy traps that throw), or cuts text
 * (half of a surrogate pair). Shared by the fuzz arbitraries and the unit tests of the messages.
 *
 * What throws here throws `HostileValueError`, so that the oracle can tell a library message that
 * reports the user's failing getter (fine) from one that leaks the library's own TypeError.
 */
import * as fc from 'fast-check';

/** What the hostile getters and Proxy traps throw. */
export class HostileValueError extends Error {
  constructor(what: string) {
    super(`hostile ${what} threw on purpose`);
    this.name = 'HostileValueError';
  }
}

/** Gives a value a readable form in fast-check's counterexamples (without reading it). */
function named<T>(value: T, label: string): T {
  try {
    Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false });
  } catch {
    // a Proxy refusing defineProperty: fast-check prints it its own way
  }
  return value;
}

/** `{ a: 1, self: <itself> }` */
export function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return named(value, 'circular({ a: 1, self: … })');
}

/** An object whose `key` getter throws, and every other read is normal. */
export function throwingGetter(key = 'value'): Record<string, unknown> {
  const value = {};
  Object.defineProperty(value, key, { enumerable: true, get: () => { throw new HostileValueError(`getter ${key}`); } });
  return named(value, `{ get ${key}() { throw } }`);
}

/** A Proxy whose every `get`, `has`, `ownKeys` and `getOwnPropertyDescriptor` throws (`typeof` and prototype still work). */
export function throwingProxy(target: object = {}): object {
  const trap = (what: string) => () => { throw new HostileValueError(`proxy ${what}`); };
  const proxy = new Proxy(target, { get: trap('get'), has: trap('has'), ownKeys: trap('ownKeys'), getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor') });
  return proxy;
}

/** An array Proxy whose reads throw (`Array.isArray` still says true). */
export function throwingArray(): unknown[] {
  return throwingProxy([1, 2]) as unknown[];
}

/** Strings that break naive cutting, quoting and printing. */
export const HOSTILE_STRINGS: readonly string[] = [
  '\uD83D', // a lone high surrogate
  '\uDE80', // a lone low surrogate
  `x${'\uDE80'}y${'\uD83D'}`,
  '🚀'.repeat(300), // surrogate pairs, long
  'a\u0000b', // NUL
  'line\nbreak',
  'tab\there',
  '\u001B[31mred\u001B[0m', // an ANSI escape
  '\u202Eevil', // a right-to-left override
  'zero\u200Bwidth',
  '\u2028separator',
  'x'.repeat(5000),
  'undefined',
  'NaN',
  '[object Object]',
  '${Token[TOKEN.1]}',
];

/** Numbers that break naive formatting and range checks. */
export const HOSTILE_NUMBERS: readonly number[] = [NaN, Infinity, -Infinity, -0, 1e21, -1e21, 1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 53];

/**
 * Every kind of hostile value, fresh per call (Proxies and getters are not shared between cases),
 * with a label for counterexamples.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(10n, -1n, 2n ** 80n, Symbol('hostile'), Symbol.iterator, ...HOSTILE_NUMBERS, ...HOSTILE_STRINGS),
  fc.constant(null).map(() => circular()),
  fc.constantFrom('value', 'kind', 'length', 'toJSON').map((key) => throwingGetter(key)),
  fc.constant(null).map(() => named(throwingProxy(), 'throwingProxy()')),
  fc.constant(null).map(() => named(throwingArray(), 'throwingArray()')),
  fc.constant(null).map(() => named([1n, circular()], '[1n, circular()]')),
  fc.constant(null).map(() => named({ big: 10n }, '{ big: 10n }')),
  fc.constant(null).map(() => named(Object.create(null), 'Object.create(null)')),
);
