#!/usr/bin/env node
/**
 * Renders a period report JSON file (as `review --since --json` writes it) to its HTML page and
 * screenshots it in headless Chromium: `npm run screenshot:report -- [report.json] [out.png]
 * [--full-page]`. Defaults: the hand-built fixture of the sample app and the README's image,
 * docs/images/period-report.png (the top of the page: summary, SLO table, the first service).
 * Needs `npm run compile` first (the npm script does it) and /usr/bin/chromium.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { launchChromium } = require('./chromium');

const ROOT = path.join(__dirname, '..');

async function main(argv) {
  const fullPage = argv.includes('--full-page');
  const [input = 'test/cli/period-report/fixtures/html-fixture.json', output = 'docs/images/period-report.png'] = argv.filter((a) => a !== '--full-page');
  const { renderPeriodReportHtml } = require(path.join(ROOT, 'dist/lib/cli/period-report/html.js'));
  const report = JSON.parse(fs.readFileSync(path.resolve(input), 'utf8'));
  const html = renderPeriodReportHtml(report);
  const tmp = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'period-report-')), 'period-report.html');
  fs.writeFileSync(tmp, html);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.goto(pathToFileURL(tmp).href);
    fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
    await page.screenshot({ path: path.resolve(output), fullPage });
  } finally {
    await browser.close();
    fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
  }
  console.log(`${input} → ${output} (${fs.statSync(output).size} bytes; the page: ${Buffer.byteLength(html)} bytes)`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
