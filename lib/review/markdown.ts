/**
 * GitHub-flavoured Markdown building blocks: code spans and table cells that survive any text
 * (backticks, pipes, newlines), and tables. Pure.
 */

/** Text as a table cell: pipes escaped (also inside code spans, as GitHub requires), one line. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Text as an inline code span, with a fence longer than any run of backticks inside it. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Text where Markdown would read markup, escaped, and nothing else (so that the raw text reads
 * well too): backslashes, backticks, `*`, brackets, `_` at a word's edge (inside a word it is
 * never emphasis), `<` opening a tag (`<=` stays), and a leading `#`, `>` or list marker.
 */
export function escapeText(text: string): string {
  return text
    .replace(/([\\`*[\]])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (match) => match.replace('_', '\\_'))
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/^([#>+-])/, '\\$1');
}

/** A table; an empty cell is shown as an en dash so that columns stay readable. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? '–' : cell(c))).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)];
}

/** A link when the text looks like a URL (`<https://…>`), else the text escaped. */
export function linkOrText(text: string): string {
  return /^https?:\/\/\S+$/.test(text) ? `<${text}>` : escapeText(text);
}
