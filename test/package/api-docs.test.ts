/**
 * API.md is the API reference jsii-docgen renders from the jsii assembly. It is rendered again here
 * from the .jsii that `npm test` compiled (`npm run jsii`, before jest), and must equal the
 * committed file: refresh it with `npm run docgen`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const { API_MD, renderApiDocs } = require('../../scripts/docgen') as { API_MD: string; renderApiDocs: (dir: string) => Promise<string> };
const { notBuilt } = require('../../scripts/check-built') as {
  notBuilt: (dir: string, outputs?: string[]) => string | undefined;
};

/** The first line where `actual` and `expected` differ, with a line either side, or undefined. */
function firstDifference(actual: string, expected: string): string | undefined {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const at = a.findIndex((line, i) => line !== e[i]);
  const line = at === -1 ? (a.length === e.length ? -1 : Math.min(a.length, e.length)) : at;
  if (line === -1) {
    return undefined;
  }
  const show = (lines: string[]) => lines.slice(Math.max(0, line - 1), line + 2).map((l) => `    ${l}`).join('\n');
  return `line ${line + 1}:\n  API.md has\n${show(a)}\n  the current API renders\n${show(e)}`;
}

test('API.md is what `npm run docgen` renders from the current .jsii', async () => {
  const stale = notBuilt(ROOT, ['.jsii']);
  if (stale) {
    throw new Error(`the jsii assembly is ${stale}: run \`npm run jsii\` (npm test does) before jest`);
  }
  const expected = await renderApiDocs(ROOT);
  if (!fs.existsSync(API_MD)) {
    throw new Error('API.md is missing: run `npm run docgen` and commit API.md');
  }
  const difference = firstDifference(fs.readFileSync(API_MD, 'utf8'), expected);
  if (difference) {
    throw new Error(`API.md is out of date (run \`npm run docgen\` and commit it); first difference at ${difference}`);
  }
}, 120_000);
