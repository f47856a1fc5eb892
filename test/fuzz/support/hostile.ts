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

/** Every hostile object made here: `realize()` passes them through untouched (it would follow a cycle, or trip a trap). */
const HOSTILE = new WeakSet<object>();

/** Whether `value` is one of the hostile objects made here. */
export function isHostile(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && HOSTILE.has(value);
}

/** Registers a hostile value and gives it a readable form in fast-check's counterexamples (without reading it). */
function named<T>(value: T, label: string): T {
  if (typeof value === 'object' && value !== null) {
    HOSTILE.add(value);
    Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false, configurable: true });
  }
  return value;
}

/** fast-check's own keys, which the traps let through so that a counterexample can still be printed. */
const FAST_CHECK_KEYS = new Set<PropertyKey>([fc.toStringMethod, fc.asyncToStringMethod]);

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
export function throwingProxy(target: object = {}, label = 'throwingProxy()'): object {
  const trap = (what: string) => (t: object, key?: PropertyKey) => {
    if (key !== undefined && FAST_CHECK_KEYS.has(key)) {
      return what === 'get' ? Reflect.get(t, key) : what === 'has' ? Reflect.has(t, key) : Reflect.getOwnPropertyDescriptor(t, key);
    }
    throw new HostileValueError(`proxy ${what}`);
  };
  return named(new Proxy(target, {
    get: trap('get'), has: trap('has'), ownKeys: () => { throw new HostileValueError('proxy ownKeys'); }, getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor'),
  }), label);
}

/** An array Proxy whose reads throw (`Array.isArray` still says true). */
export function throwingArray(): unknown[] {
  return throwingProxy([1, 2], 'throwingArray()') as unknown[];
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
];

/** Numbers that break naive formatting and range checks. */
export const HOSTILE_NUMBERS: readonly number[] = [NaN, Infinity, -Infinity, -0, 1e21, -1e21, 1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 53];

/**
 * A hostile object made inside the case, when realized (support/arbitraries.ts `realize`): fast-check
 * itself reads generated values (to clone and print them), and must not trip their traps.
 */
export function later(label: string, make: () => unknown): object {
  const thunk = { __fromWorld: make };
  Object.defineProperty(thunk, fc.toStringMethod, { value: () => label, enumerable: false });
  return thunk;
}

/** Every kind of hostile value: primitives as they are, objects made fresh in each case. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(10n, -1n, 2n ** 80n, Symbol('hostile'), Symbol.iterator, ...HOSTILE_NUMBERS, ...HOSTILE_STRINGS),
  fc.constantFrom(
    later('circular({ a: 1, self: … })', circular),
    later('{ get value() { throw } }', () => throwingGetter('value')),
    later('{ get kind() { throw } }', () => throwingGetter('kind')),
    later('{ get length() { throw } }', () => throwingGetter('length')),
    later('{ get toJSON() { throw } }', () => throwingGetter('toJSON')),
    later('throwingProxy()', () => throwingProxy()),
    later('throwingArray()', () => throwingArray()),
    later('[1n, circular()]', () => named([1n, circular()], '[1n, circular()]')),
    later('{ big: 10n }', () => named({ big: 10n }, '{ big: 10n }')),
    later('Object.create(null)', () => named(Object.create(null), 'Object.create(null)')),
  ),
);
