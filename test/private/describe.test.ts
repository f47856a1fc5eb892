import { describeError, describeValue, hasLoneSurrogate, quote, readList, readProperty, truncateCodePoints, truncateText, wellFormed } from '../../lib/private/describe';
import { circular, HOSTILE_STRINGS, throwingArray, throwingGetter, throwingProxy } from '../fuzz/support/hostile';

describe('describeValue: what a message shows after "got"', () => {
  test.each<[string, unknown, string]>([
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an empty string, quoted', '', '""'],
    ['a string, JSON-quoted', 'on call', '"on call"'],
    ['NaN', NaN, 'NaN'],
    ['-0, with its sign', -0, '-0'],
    ['a huge number as JavaScript prints it', 1e21, '1e+21'],
    ['a BigInt, with its n', 2n ** 70n, '1180591620717411303424n'],
    ['a Symbol', Symbol('s'), 'Symbol("s")'],
    ['a Symbol without description', Symbol(), 'Symbol()'],
    ['a function', () => 1, 'a function'],
    ['a class instance, by class', new Map(), 'a Map'],
    ['a plain object, JSON-like', { a: 1, b: 'x', c: [true, null] }, '{"a":1,"b":"x","c":[true,null]}'],
    ['an object without prototype', Object.assign(Object.create(null), { a: 1 }), '{"a":1}'],
    ['BigInt inside an object', { big: 10n }, '{"big":10n}'],
    ['holes', [1, , 3], '[1,<empty>,3]'], // eslint-disable-line no-sparse-arrays
    ['control characters, escaped', 'a\u0000b\u001B[0m\u202E', '"a\\u0000b\\u001b[0m\\u202e"'],
    ['half a surrogate pair, replaced', 'x\uD83D', '"x\uFFFD"'],
  ])('%s', (_, value, expected) => expect(describeValue(value)).toBe(expected));

  test('circular objects name the cycle instead of following it', () => {
    expect(describeValue(circular())).toBe('{"a":1,"self":[circular]}');
  });

  test('getters and Proxy traps that throw are named, not propagated', () => {
    expect(describeValue(throwingGetter('kind'))).toBe('{"kind":<unreadable>}');
    expect(describeValue(throwingProxy())).toBe('an object that cannot be read');
    expect(describeValue(throwingArray())).toBe('a list that cannot be read');
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(describeValue(revocable.proxy)).toBe('an object that cannot be read');
  });

  test('long values are cut to 120 characters, never inside a surrogate pair', () => {
    for (const s of [...HOSTILE_STRINGS, Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: '🚀'.repeat(i) }))]) {
      const d = describeValue(s);
      expect(d.length).toBeLessThanOrEqual(120);
      expect(hasLoneSurrogate(d)).toBe(false);
    }
    expect(describeValue('x'.repeat(500))).toMatch(/^"x+…" \(500 characters\)$/);
  });

  test('deep and wide structures are elided', () => {
    expect(describeValue({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{"c":{…}}}}');
    expect(describeValue(Array.from({ length: 12 }, (_, i) => i))).toBe('[0,1,2,3,4,5,6,7,… 4 more]');
  });
});

describe('cutting text', () => {
  test('truncateText never leaves half of a pair, and stays within the limit', () => {
    for (let max = 1; max < 12; max++) {
      const cut = truncateText('🚀🚀🚀🚀🚀🚀', max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(cut)).toBe(false);
    }
    expect(truncateText('abc', 3)).toBe('abc');
    expect(truncateText('a🚀b', 3)).toBe('a…');
  });

  test('truncateCodePoints counts characters, not UTF-16 units', () => {
    expect(truncateCodePoints('🚀🚀🚀', 3)).toBe('🚀🚀🚀');
    expect(truncateCodePoints('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
  });

  test('wellFormed replaces lone surrogates only', () => {
    expect(wellFormed('a\uDE80b\uD83D🚀')).toBe('a\uFFFDb\uFFFD🚀');
    expect(hasLoneSurrogate('🚀')).toBe(false);
  });

  test('quote gives the length of what it cut', () => {
    expect(quote('y'.repeat(300), 40)).toMatch(/^"y{19}…" \(300 characters\)$/);
  });
});

describe('reading a user\'s objects', () => {
  test('readProperty reports a throwing getter instead of throwing', () => {
    expect(readProperty({ a: 1 }, 'a')).toEqual({ ok: true, value: 1 });
    expect(readProperty(undefined, 'a')).toEqual({ ok: true, value: undefined });
    expect(readProperty(throwingGetter('a'), 'a')).toEqual({ ok: false, problem: 'could not be read: reading it threw HostileValueError: hostile getter a threw on purpose' });
  });

  test('readList copies a list, holes as undefined; a Proxy that throws is a problem', () => {
    expect(readList([1, , 3])).toEqual({ ok: true, value: [1, undefined, 3] }); // eslint-disable-line no-sparse-arrays
    expect(readList('x')).toEqual({ ok: true, value: undefined });
    expect(readList(throwingArray())).toEqual({ ok: false, problem: 'could not be read: reading it threw HostileValueError: hostile proxy get threw on purpose' });
  });

  test('describeError survives errors whose name and message throw', () => {
    const evil = throwingProxy(new Error('x'));
    expect(describeError(evil)).toBe('Error: undefined');
    expect(describeError('text')).toBe('a thrown "text"');
    expect(describeError(new TypeError('a\nb'))).toBe('TypeError: a b');
  });
});
