import { spanSeconds } from '../../lib/cli/span';

describe('spanSeconds: one span grammar for every command', () => {
  test('one or more number-unit pairs, in the units the command allows', () => {
    expect(spanSeconds('14d', 'mhdw')).toBe(14 * 86_400);
    expect(spanSeconds('1d12h', 'mhdw')).toBe(36 * 3_600);
    expect(spanSeconds('2w', 'hdw')).toBe(14 * 86_400);
    expect(spanSeconds(' 1W3D ', 'hdw')).toBe(10 * 86_400);
    expect(spanSeconds('90s', 'smhd')).toBe(90);
  });

  test('fractions only where the command takes them', () => {
    expect(spanSeconds('1.5h', 'smhd', true)).toBe(5_400);
    expect(spanSeconds('.5m', 'smhd', true)).toBe(30);
    expect(spanSeconds('1.5h', 'mhdw')).toBeUndefined();
  });

  test('not a span: a unit the command does not allow, no unit, a date, empty', () => {
    expect(spanSeconds('90s', 'mhdw')).toBeUndefined();
    expect(spanSeconds('30', 'hdw')).toBeUndefined();
    expect(spanSeconds('2026-11-01', 'hdw')).toBeUndefined();
    expect(spanSeconds('', 'hdw')).toBeUndefined();
    expect(spanSeconds('d', 'hdw')).toBeUndefined();
  });
});
