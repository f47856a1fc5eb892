import { cell, code, escapeText, linkOrText, table } from '../../lib/review/markdown';

describe('Markdown building blocks', () => {
  test('table cells escape pipes and keep to one line', () => {
    expect(cell('a | b\nc')).toBe('a \\| b c');
  });

  test('code spans take a fence longer than the backticks inside', () => {
    expect(code('checkout-availability-page')).toBe('`checkout-availability-page`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  test('tables have a header, a separator and an en dash for empty cells', () => {
    expect(table(['a', 'b'], [['1', ''], ['x|y', '2']])).toEqual(['| a | b |', '|---|---|', '| 1 | – |', '| x\\|y | 2 |']);
  });

  test('text is escaped only where Markdown would read markup', () => {
    expect(escapeText('Latency <= 300 ms')).toBe('Latency <= 300 ms');
    expect(escapeText('a <b> tag')).toBe('a \\<b> tag');
    expect(escapeText('payments_team and _this_ and *that*')).toBe('payments_team and \\_this\\_ and \\*that\\*');
    expect(escapeText('# not a heading')).toBe('\\# not a heading');
    expect(escapeText('- not a list')).toBe('\\- not a list');
  });

  test('URLs become autolinks; other text is escaped', () => {
    expect(linkOrText('https://runbooks.example.com/checkout')).toBe('<https://runbooks.example.com/checkout>');
    expect(linkOrText('see *notes*')).toBe('see \\*notes\\*');
  });
});
