/**
 * Building blocks for the fuzz suite: arbitraries that mix valid values with the invalid and
 * edge-case values users actually pass (NaN, -0, 100, fractional and huge numbers, empty and
 * unicode strings, wrong types, holes, tokens, odd Durations).
 *
 * Values that need a construct scope (functions, topics, tokens that must be realized per app) are
 * generated as labelled thunks (`fromWorld`) and realized inside each case's fresh App and Stack
 * by `realize()`, so that a counterexample prints as readable code and never shares constructs
 * between runs.
 */
import { Duration, Lazy, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { hostileValue, isHostile, later, throwingProxy } from './hostile';

/** Gives a value a readable form in fast-check's counterexamples. */
export function labelled<T>(value: T, label: string): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false });
  }
  return value;
}

/** A value built inside the case's own world (app, stack, resources), printed as `label`. */
export interface FromWorld<W, T = unknown> {
  readonly __fromWorld: (world: W) => T;
}

/** A thunk realized per case; `label` is what a counterexample shows. */
export function fromWorld<W, T>(label: string, build: (world: W) => T): FromWorld<W, T> {
  return labelled({ __fromWorld: build }, label);
}

function isFromWorld(x: unknown): x is FromWorld<unknown> {
  return typeof x === 'object' && x !== null && !isHostile(x) && typeof (x as FromWorld<unknown>).__fromWorld === 'function';
}

/**
 * Realizes the `fromWorld` thunks of a generated value, recursing into plain objects and arrays
 * only (class instances such as `Duration` are kept as they are). Holes stay holes, and keys that
 * are present with `undefined` stay present.
 */
export function realize<W>(value: unknown, world: W): any {
  if (isHostile(value)) {
    return value; // passed as generated: its traps and cycles are the point
  }
  if (isFromWorld(value)) {
    return realize(value.__fromWorld(world), world);
  }
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (i in value) {
        out[i] = realize(value[i], world);
      }
    }
    return out;
  }
  // fast-check's records may have a null prototype; they are rebuilt as ordinary objects
  if (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = realize((value as Record<string, unknown>)[key], world);
    }
    return out;
  }
  return value;
}

/** Options of a `Mix`. */
export interface MixOptions {
  /**
   * Whether every invalid branch may also be a hostile value (support/hostile.ts: BigInt,
   * Symbols, circular objects, throwing getters, Proxies, halves of surrogate pairs, control
   * characters). On for the chaos, escalation and SLO suites.
   * @default false
   */
  readonly hostile?: boolean;
}

/**
 * How often generated values are valid. Each case family is generated at several levels (mostly
 * valid cases exercise synthesis and the template checks; noisy ones the error messages), and
 * every generator picks its valid branch `calm` times as often as all its invalid ones together.
 */
export class Mix {
  constructor(public readonly calm: number, public readonly options: MixOptions = {}) {}

  /** `valid`, or — `1 / calm` as often — one of `others` (or, when hostile, a hostile value). */
  public pick<T>(valid: fc.Arbitrary<T>, ...others: fc.Arbitrary<unknown>[]): fc.Arbitrary<any> {
    const invalid = this.options.hostile ? [...others, hostileValue] : others;
    // the invalid branches share one weight, so that adding a kind of invalid value does not make them more likely
    const each = Math.max(1, Math.round(12 / invalid.length));
    return fc.oneof(
      { arbitrary: valid, weight: Math.max(1, Math.round(this.calm * 12)) },
      ...invalid.map((o) => ({ arbitrary: o, weight: each })),
    );
  }

  /** One of `arbitraries` (invalid values used outside `pick`), or, when hostile, a hostile value now and then. */
  public invalid(...arbitraries: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
    return this.options.hostile ? fc.oneof(...arbitraries, hostileValue) : fc.oneof(...arbitraries);
  }

  /** A Duration: `valid`, or an odd amount, a token, or not a Duration (when hostile, a Duration behind a throwing Proxy too). */
  public duration(valid: fc.Arbitrary<Duration>): fc.Arbitrary<unknown> {
    return this.options.hostile
      ? this.pick(valid, duration(oddAmount), tokenDuration(), wrongType, fc.constant(later('Proxy(Duration.minutes(5))', () => throwingProxy(Duration.minutes(5), 'Proxy(Duration.minutes(5))'))))
      : this.pick(valid, duration(oddAmount), tokenDuration(), wrongType);
  }

  /** A list of `item`s, or an empty list, one with holes, a huge one, or no list at all. */
  public list<T>(item: fc.Arbitrary<T>, options: { maxLength: number; hugeLength?: number }): fc.Arbitrary<unknown> {
    return this.pick(
      fc.array(item, { minLength: 1, maxLength: options.maxLength }),
      fc.constant([]),
      fc.sparseArray(item, { minNumElements: 1, maxLength: options.maxLength + 1 }),
      ...(options.hugeLength ? [fc.array(item, { minLength: options.hugeLength, maxLength: options.hugeLength })] : []),
      wrongType,
    );
  }

  /** A name usable in alarm names, or one that is not (a token among them: alarm names are fixed at synth). */
  public name(valid: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
    return this.pick(fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: validName, weight: 1 }), oddString, wrongType,
      fc.constant(fromWorld("Token.asString({ Ref: 'Name' })", () => Token.asString({ Ref: 'Name' }))));
  }

  /** An https URL (runbooks, webhooks), or something else. */
  public url(): fc.Arbitrary<unknown> {
    return this.pick(fc.oneof(
      { arbitrary: fc.constantFrom('https://runbooks.example.com/checkout', 'https://wiki.example.com/a?b=c&d=%20#frag', 'https://例え.jp/運用', `https://example.com/${'p'.repeat(480)}`), weight: 2 },
      { arbitrary: fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true }), weight: 1 },
      { arbitrary: fc.constant(fromWorld("Lazy.string('https://runbooks.example.com/lazy')", () => Lazy.string({ produce: () => 'https://runbooks.example.com/lazy' }))), weight: 1 },
    ), fc.constantFrom('http://runbooks.example.com', 'runbooks.example.com', 'https://', 'https:// x', 'ftp://x.example.com',
      `https://example.com/${'p'.repeat(600)}`), oddString, wrongType);
  }

  /** A number: `valid`, or an odd number, a token, or not a number. */
  public number(valid: fc.Arbitrary<number>): fc.Arbitrary<unknown> {
    return this.pick(valid, oddNumber, tokenNumber, wrongType);
  }
}

/** Left out (`undefined`) half of the time. */
export function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

/** Numbers that break naive checks. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 100, -1, 0.5, 1.5, 99.999999999999, 1e21, -1e21, 1e308, 5e-324,
    Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 1e-7),
  fc.double({ noNaN: false }),
  fc.integer({ min: -1000, max: 100_000 }),
);

/** Anything but the expected type. */
export const wrongType: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  undefined,
  labelled({}, '{}'),
  labelled([], '[]'),
  labelled({ length: 1 }, '{ length: 1 }'),
  labelled(() => 1, '() => 1'),
  'a string',
  '',
  true,
  false,
  42,
);

/** Strings: empty, whitespace, unicode (combining marks, emoji, right-to-left), invalid name characters, over 64 characters. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '\t', '\n', ' padded ', 'a b', 'a/b', 'a:b', '-lead', '.lead', '_lead', 'ünïcödé', 'e\u0301', '日本語',
    '🚀', 'a🚀b', '\u202Eevil', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(300), 'null', 'undefined', 'NaN'),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A Duration made by one of CDK's own factories (which refuse negatives), with an odd amount now and then. */
export function duration(amounts: fc.Arbitrary<number>): fc.Arbitrary<Duration> {
  const units = ['millis', 'seconds', 'minutes', 'hours', 'days'] as const;
  return fc.tuple(fc.constantFrom(...units), amounts).map(([unit, n]) => labelled(Duration[unit](n), `Duration.${unit}(${n})`));
}

/** Odd amounts CDK's Duration factories accept: 0, -0, fractions, huge, NaN, Infinity. */
export const oddAmount: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 0.5, 1.5, 59, 61, 90, 1e-9, 1e9, 1e21, 1e308, NaN, Infinity, Number.MAX_SAFE_INTEGER),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.integer({ min: 0, max: 100_000 }),
);

/** A Duration that is a token (the library must refuse it where thresholds are computed at synth). */
export function tokenDuration(unit: 'minutes' | 'seconds' | 'days' = 'minutes'): fc.Arbitrary<FromWorld<unknown, Duration>> {
  return fc.constantFrom(
    fromWorld(`Duration.${unit}(Lazy.number(5))`, () => Duration[unit](Lazy.number({ produce: () => 5 }))),
    fromWorld(`Duration.${unit}(Token.asNumber({ Ref: 'Amount' }))`, () => Duration[unit](Token.asNumber({ Ref: 'Amount' }))),
  );
}

/** Number tokens: a lazy value, and a reference to a parameter that does not exist. */
export const tokenNumber = fc.constantFrom(
  fromWorld('Lazy.number(99.9)', () => Lazy.number({ produce: () => 99.9 })),
  fromWorld("Token.asNumber({ Ref: 'Objective' })", () => Token.asNumber({ Ref: 'Objective' })),
);

/** Names that may form alarm names: letters, digits, `-_.`, at most 64, starting with a letter or digit. */
export const validName: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
