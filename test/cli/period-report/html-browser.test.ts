/**
 * The period report's HTML page in a real browser: Debian's Chromium, headless, driven by
 * playwright-core, the page opened from a file as a reader opens an attachment. The charts render
 * with their marks, nothing is fetched, nothing logs an error, hostile names stay text, and a
 * screenshot is saved to test/.artifacts/period-report.png (gitignored) for a person to look at.
 * One browser for the file. Without /usr/bin/chromium the tests fail and say what to install.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import type { Page } from 'playwright-core';
import { renderPeriodReportHtml } from '../../../lib/cli/period-report/html';
import { dayAttainment } from '../../../lib/cli/period-report/html-charts';
import type { PeriodReport } from '../../../lib/cli/period-report/model';
import { launchChromium } from '../../../scripts/chromium';
import { buildReport, manyServicesSpec, sampleReport } from './fixtures/html-fixture';
import { withHostileNames } from './fixtures/hostile';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '..', '..', '.artifacts');
const SCREENSHOT = join(ARTIFACTS, 'period-report.png');

let browser: Awaited<ReturnType<typeof launchChromium>>;
const dir = mkdtempSync(join(tmpdir(), 'period-report-html-'));

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  readonly page: Page;
  readonly url: string;
  /** Every request the page made, its own file included. */
  readonly requests: string[];
  /** Console errors and warnings, uncaught errors, dialogs. */
  readonly problems: string[];
  /** Requests that failed, with Chromium's reason (`csp` when the policy blocked it). */
  readonly failed: string[];
}

/** Writes the page to a file and opens it, recording requests, console errors and dialogs. */
async function open(name: string, html: string, width = 1200): Promise<Opened> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const requests: string[] = [];
  const problems: string[] = [];
  const failed: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('console', (m) => (['error', 'warning'].includes(m.type()) ? problems.push(`console ${m.type()}: ${m.text()}`) : undefined));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests, problems, failed };
}

/** Each chart of the page: its kind, drawn size and number of marks. */
async function charts(page: Page): Promise<Array<{ kind: string; width: number; height: number; marks: number }>> {
  return page.$$eval('svg[data-chart]', (svgs) => svgs.map((svg) => {
    const box = svg.getBoundingClientRect();
    return { kind: svg.getAttribute('data-chart') ?? '', width: box.width, height: box.height, marks: svg.querySelectorAll('.mark').length };
  }));
}

function expectedCharts(report: PeriodReport): Array<{ kind: string; marks: number }> {
  return report.services.flatMap((s) => [
    ...s.slos.flatMap((slo) => [
      { kind: 'burn-down', marks: slo.burnDown.filter((p) => p.budgetRemainingPercent !== null).length },
      { kind: 'daily-attainment', marks: slo.burnDown.filter((p) => dayAttainment(p.bad, p.total) !== null).length },
    ]),
    { kind: 'timeline', marks: s.incidents.incidents.length + s.experiments.runs.length },
  ]);
}

describe('the sample report in Chromium', () => {
  const report = sampleReport();
  let opened: Opened;

  beforeAll(async () => {
    opened = await open('sample', renderPeriodReportHtml(report));
  });

  test('loads nothing but its own file and logs no error', () => {
    expect(opened.requests).toEqual([opened.url]);
    expect(opened.failed).toEqual([]);
    expect(opened.problems).toEqual([]);
  });

  test('renders every chart with a size and one mark per datum', async () => {
    const drawn = await charts(opened.page);
    expect(drawn.map(({ kind, marks }) => ({ kind, marks }))).toEqual(expectedCharts(report));
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThan(600);
      expect(chart.height).toBeGreaterThan(80);
    }
  });

  test('the marks are painted inside their chart', async () => {
    const outside = await opened.page.$$eval('svg[data-chart] .mark', (marks) => marks.filter((m) => {
      const box = m.getBoundingClientRect();
      const chart = m.closest('svg')!.getBoundingClientRect();
      return box.width <= 0 || box.height <= 0 || box.left < chart.left - 1 || box.right > chart.right + 1 || box.top < chart.top - 1 || box.bottom > chart.bottom + 1;
    }).length);
    expect(outside).toBe(0);
  });

  test('the patterns the charts use are painted (below-objective bars are hatched)', async () => {
    const fill = await opened.page.evaluate('getComputedStyle(document.querySelector(\'svg[data-chart="daily-attainment"] .bar.below\')).fill');
    expect(fill).toMatch(/url\(.*#p-missed"?\)/);
  });

  test('shows the summary first, visible, as written', async () => {
    for (const line of report.summary) {
      await expect(opened.page.getByText(line, { exact: true }).first().isVisible()).resolves.toBe(true);
    }
    const summaryTop = await opened.page.locator('section.summary').evaluate((e) => e.getBoundingClientRect().top);
    expect(summaryTop).toBeLessThan(200);
  });

  test('saves a screenshot of the whole page, a real picture', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await opened.page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(3_000); // the whole page, not one screen
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(150_000); // a blank page compresses to a few KB
  });
});

describe('hostile names in Chromium', () => {
  test('a markup payload in a name is shown as text and never runs', async () => {
    const report = withHostileNames(sampleReport());
    const { page, url, requests, problems } = await open('hostile', renderPeriodReportHtml(report));
    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
    await expect(page.title()).resolves.toMatch(/^Reliability report, /);
    await expect(page.locator('#s1-h').textContent()).resolves.toContain(report.services[0].service);
    await expect(page.evaluate("document.querySelectorAll('img, script, [onerror], [onmouseover]').length")).resolves.toBe(0);
  });

  test("the Content-Security-Policy stops a load that markup would start", async () => {
    const html = renderPeriodReportHtml(sampleReport()).replace('</main>', '<img src="http://192.0.2.1/pixel.png"></main>');
    const { failed, problems } = await open('csp', html);
    expect(failed).toEqual(['http://192.0.2.1/pixel.png csp']);
    expect(problems.join('\n')).toMatch(/violates the following Content Security Policy directive: "img-src 'none'"/);
  });
});

describe('sizes in Chromium', () => {
  test('50 services over 90 days: every chart rendered, in a few seconds', async () => {
    const report = buildReport(manyServicesSpec(50, 90));
    const started = Date.now();
    const { page, problems } = await open('many', renderPeriodReportHtml(report));
    const drawn = await charts(page);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(problems).toEqual([]);
    expect(drawn.map(({ kind, marks }) => ({ kind, marks }))).toEqual(expectedCharts(report));
    expect(drawn.every((c) => c.width > 0 && c.height > 0)).toBe(true);
  });

  test('a phone-width window keeps the charts inside the page', async () => {
    const { page } = await open('narrow', renderPeriodReportHtml(sampleReport()), 400);
    const widths = await charts(page);
    expect(widths.every((c) => c.width <= 400 && c.width > 200)).toBe(true);
  });
});
