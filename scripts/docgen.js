#!/usr/bin/env node
/**
 * API.md: the TypeScript API reference jsii-docgen renders from the jsii assembly (.jsii), the same
 * pages Construct Hub shows. `npm run docgen` writes it; test/package/api-docs.test.ts renders it
 * again from the .jsii that `npm test` compiled and fails when the committed file differs.
 */
const fs = require('fs');
const path = require('path');
const { Documentation, Language } = require('jsii-docgen');

const root = path.resolve(__dirname, '..');
const API_MD = path.join(root, 'API.md');

/** The rendered API.md for the assembly in `dir` (its .jsii must be current: `npm run jsii`). */
async function renderApiDocs(dir = root) {
  const docs = await Documentation.forProject(dir);
  try {
    const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT, allSubmodules: true });
    return markdown.render();
  } finally {
    await docs.cleanup();
  }
}

module.exports = { API_MD, renderApiDocs };

if (require.main === module) {
  renderApiDocs().then((text) => {
    fs.writeFileSync(API_MD, text);
    console.log(`wrote ${path.relative(process.cwd(), API_MD)} (${text.split('\n').length} lines)`);
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}
