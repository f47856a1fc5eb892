/**
 * The period report's HTML page, as text: self-contained (nothing loads, nothing runs), every
 * string of the report escaped, unknown values shown as unknown, one mark per datum in each chart,
 * and a size that stays reasonable for 50 services over 90 days. The page in a real browser:
 * html-browser.test.ts.
 */
import { createHash } from 'crypto';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { PERIOD_REPORT_CSP, renderPeriodReportHtml } from '../../../lib/cli/period-report/html';
import { dayAttainment } from '../../../lib/cli/period-report/html-charts';
import type { PeriodReport, ServiceReport } from '../../../lib/cli/period-report/model';
import { buildReport, manyServicesSpec, sampleReport, sampleSpec } from './fixtures/html-fixture';
import { XSS, withHostileNames } from './fixtures/hostile';

const FIXTURE = join(__dirname, 'fixtures', 'html-fixture.json');

/** The `class="mark …"` elements of each chart, in page order, as `kind:count`. */
function marksPerChart(html: string): string[] {
  return [...html.matchAll(/<svg class="chart" data-chart="([a-z-]+)"[^>]*>([\s\S]*?)<\/svg>/g)]
    .map(([, kind, body]) => `${kind}:${(body.match(/class="mark[ "]/g) ?? []).length}`);
}

/** What the charts must draw for a report: per SLO its days with a budget and with events, per service its records. */
function expectedMarks(report: PeriodReport): string[] {
  return report.services.flatMap((s: ServiceReport) => [
    ...s.slos.flatMap((slo) => [
      `burn-down:${slo.burnDown.filter((p) => p.budgetRemainingPercent !== null).length}`,
      `daily-attainment:${slo.burnDown.filter((p) => dayAttainment(p.bad, p.total) !== null).length}`,
    ]),
    `timeline:${(s.incidents.available ? s.incidents.incidents.length : 0) + (s.experiments.available ? s.experiments.runs.length : 0)}`,
  ]);
}

describe('the fixture', () => {
  test('html-fixture.json is the sample report the builder makes (UPDATE_FIXTURES=1 rewrites it)', () => {
    const built = `${JSON.stringify(sampleReport(), null, 2)}\n`;
    if (process.env.UPDATE_FIXTURES === '1') {
      writeFileSync(FIXTURE, built);
    }
    expect(readFileSync(FIXTURE, 'utf8')).toBe(built);
  });

  test('its numbers add up as the model defines them', () => {
    const report: PeriodReport = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    for (const service of report.services) {
      for (const slo of service.slos) {
        const known = slo.burnDown.filter((p) => p.bad !== null);
        expect(known.reduce((a, p) => a + p.bad!, 0)).toBe(slo.period.bad);
        expect(known.reduce((a, p) => a + p.total!, 0)).toBe(slo.period.total);
        expect(slo.period.attainmentPercent).toBeCloseTo(100 * (1 - slo.period.bad! / slo.period.total!), 3);
        expect(slo.met).toBe(slo.period.attainmentPercent! >= slo.objectivePercent);
        expect(slo.burnDown[slo.burnDown.length - 1].budgetRemainingPercent).toBe(slo.slidingWindow.budgetRemainingPercent);
        expect(slo.worstDays.map((w) => w.bad)).toEqual(known.map((p) => p.bad!).sort((a, b) => b - a).slice(0, 3));
      }
      const { incidents, experiments } = service;
      if (incidents.available) {
        const pages = incidents.incidents.filter((i) => i.severity === 'page');
        expect([incidents.pages, incidents.tickets]).toEqual([pages.length, incidents.incidents.length - pages.length]);
        expect(incidents.acknowledged).toBe(pages.filter((i) => i.acknowledgedAt).length);
        expect(incidents.exhausted).toBe(pages.filter((i) => i.exhausted).length);
        expect(incidents.responders.reduce((a, r) => a + r.acknowledged, 0)).toBe(incidents.acknowledged);
      }
      if (experiments.available) {
        expect(experiments.passed + experiments.findings + experiments.failed)
          .toBe(experiments.runs.filter((r) => r.verdict !== 'running').length);
      }
    }
    expect(report.summary[0]).toBe('4 of 5 SLOs met their objective over the last 30 days.');
  });
});

describe('renderPeriodReportHtml', () => {
  const report = sampleReport();
  const html = renderPeriodReportHtml(report);

  test('is one page that loads nothing and runs nothing', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|javascript:/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PERIOD_REPORT_CSP.replace(/'/g, '&#39;')}">`);
    expect(PERIOD_REPORT_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'none'; script-src 'none'/);
  });

  test("the Content-Security-Policy allows exactly the page's one style sheet, by its hash", () => {
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(([, css]) => css);
    expect(styles).toHaveLength(1);
    expect(html).not.toMatch(/ style="/);
    expect(PERIOD_REPORT_CSP).toContain(`'sha256-${createHash('sha256').update(styles[0]).digest('base64')}'`);
  });

  test('opens with the plain-language summary, then the SLO table', () => {
    const summary = html.indexOf('<section class="summary"');
    expect(summary).toBeGreaterThan(0);
    expect(html.indexOf('<table class="slos">')).toBeGreaterThan(summary);
    expect(html.indexOf('<h2 id="s1-h">')).toBeGreaterThan(html.indexOf('<table class="slos">'));
    for (const line of report.summary) {
      expect(html).toContain(`<li>${line.replace(/'/g, '&#39;')}</li>`);
    }
  });

  test('draws per SLO a burn-down and daily bars, per service a timeline, one mark per datum', () => {
    expect(marksPerChart(html)).toEqual(expectedMarks(report));
    expect(marksPerChart(html)).toContain('daily-attainment:29'); // search availability: Nov 28 has no datapoint
  });

  test('labels every chart for screen readers and every table column', () => {
    const charts = [...html.matchAll(/<svg class="chart"[^>]*aria-labelledby="([^"]+)-t \1-d">\s*<title id="\1-t">[^<]+<\/title><desc id="\1-d">[^<]+<\/desc>/g)];
    expect(charts).toHaveLength(marksPerChart(html).length);
    expect(html.match(/<th>/g)).toBeNull();
    expect(html).toContain('<th scope="col">SLO</th>');
  });

  test('says met or missed in words and symbols, never by colour alone', () => {
    expect(html).toContain('<span class="bad">✗ missed</span>');
    expect(html).toContain('<span class="ok">✓ met</span>');
    expect(html).toContain('-10.2 % overspent');
    expect(html).toMatch(/<rect class="mark bar below worst"/);
    expect(html).toContain('.chart .bar.below{fill:url(#p-missed)}');
  });

  test('shows the worst days with what burned them and the caveats', () => {
    expect(html).toContain('<caption>The worst days of availability</caption>');
    expect(html).toContain('Errors 71 %; Throttles 29 %; incident search-availability-page; incident search-availability-page; experiment handler-errors');
    for (const caveat of report.caveats) {
      expect(html).toContain(caveat.replace(/'/g, '&#39;'));
    }
  });
});

describe('untrusted names', () => {
  const hostile = withHostileNames(sampleReport());
  const html = renderPeriodReportHtml(hostile);

  test('every string of the report is escaped: a markup payload in a name is text', () => {
    expect(html).not.toContain(XSS);
    expect(html).not.toMatch(/<img|<script|<svg onload|" onmouseover/i);
    expect(html).toContain('&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;');
    // the same number of elements as the clean page: no name opened or closed a tag
    const tags = (text: string) => (text.match(/<[a-z]/g) ?? []).length;
    expect(tags(html)).toBe(tags(renderPeriodReportHtml(sampleReport())));
  });

  test('control characters and lone surrogates are replaced, not written', () => {
    const html2 = renderPeriodReportHtml({ ...sampleReport(), region: 'eu\u0000west\u001b[31m\ud800' });
    expect(html2).toContain('eu\ufffdwest\ufffd[31m\ufffd');
  });
});

describe('what is not known', () => {
  const base = sampleReport();
  const checkout = base.services[0];
  const noData: PeriodReport = {
    ...base,
    services: [{
      ...checkout,
      slos: checkout.slos.map((slo) => ({
        ...slo,
        period: { ...slo.period, status: 'no-data', reason: 'no datapoint: is the API deployed in eu-west-1?', bad: null, total: null, attainmentPercent: null, budgetRemainingPercent: null, missingFraction: 1 },
        slidingWindow: { ...slo.slidingWindow, status: 'no-data', bad: null, total: null, attainmentPercent: null, budgetRemainingPercent: null, missingFraction: 1 },
        met: null,
        burnDown: slo.burnDown.map((p) => ({ ...p, budgetRemainingPercent: null, bad: null, total: null })),
        worstDays: [],
        alerts: { available: false, reason: 'cloudwatch:DescribeAlarmHistory was denied', pages: 0, tickets: 0 },
      })),
      incidents: { ...checkout.incidents, available: false, reason: 'dynamodb:Query on ShopOnCall-Incidents was denied' },
      experiments: { ...checkout.experiments, available: false, reason: 'the service declares no experiment' },
    }],
  };
  const html = renderPeriodReportHtml(noData);

  test('shows no data as unknown, never as 0 % or 100 %', () => {
    expect(html).toContain('<span class="none">– no data</span>');
    expect(html).toContain('<td class="n none">—</td>');
    expect(html).not.toMatch(/>0 %<|>100 %</);
    expect(marksPerChart(html)).toEqual(['burn-down:0', 'daily-attainment:0', 'burn-down:0', 'daily-attainment:0', 'timeline:0']);
    expect(html).toContain('no data for the period');
    expect(html).toContain('⚠ the period (= the 30d window): no datapoint: is the API deployed in eu-west-1?');
    expect(html).toContain('<div class="tile"><b>—</b><span>SLOs met (2 without data)</span></div>');
  });

  test("an unavailable section says so, with its reason", () => {
    expect(html).toContain('<p class="notice">Pages and tickets not available: dynamodb:Query on ShopOnCall-Incidents was denied</p>');
    expect(html).toContain('<p class="notice">Experiments not available: the service declares no experiment</p>');
    expect(html).toContain('not available: cloudwatch:DescribeAlarmHistory was denied');
    expect(html).toContain('pages (—)');
  });

  test('a report without services says there is nothing to report', () => {
    const empty = renderPeriodReportHtml({ ...base, services: [], summary: [] });
    expect(empty).toContain('No service was found in these stacks');
    expect(marksPerChart(empty)).toEqual([]);
  });

  test('times that do not parse and missing ends draw no NaN', () => {
    const run = { ...checkout.experiments.runs[0], startedAt: 'yesterday', endedAt: undefined, verdict: 'running' as const, state: 'running' };
    const odd = renderPeriodReportHtml({ ...base, services: [{ ...checkout, experiments: { ...checkout.experiments, runs: [run] } }] });
    expect(odd).not.toMatch(/NaN|Infinity|undefined/);
    expect(odd).toContain('still running');
  });
});

describe('periods and sizes', () => {
  test('a 1-day period ends mid-day: hourly ticks, a partial first day', () => {
    const report = buildReport({ ...sampleSpec(1), end: '2026-11-30T14:00:00Z' });
    const html = renderPeriodReportHtml(report);
    expect(report.services[0].slos[0].burnDown.map((p) => p.at)).toEqual(['2026-11-30T00:00:00Z', '2026-11-30T14:00:00Z']);
    expect(html).toMatch(/>18:00<\/text>.*>Nov 30<\/text>.*>06:00<\/text>/s);
    expect(marksPerChart(html)).toEqual(expectedMarks(report));
  });

  test('a 90-day period is ticked weekly, on Mondays', () => {
    const html = renderPeriodReportHtml(buildReport(sampleSpec(90)));
    const firstChart = html.slice(html.indexOf('<svg class="chart"'), html.indexOf('</svg>', html.indexOf('<svg class="chart"')));
    const ticks = [...firstChart.matchAll(/<text class="tick" x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]+)<\/text>/g)].map(([, t]) => t);
    expect(ticks).toEqual(['Sep 14', 'Sep 28', 'Oct 12', 'Oct 26', 'Nov 9', 'Nov 23']);
    expect(ticks.map((t) => new Date(`${t} 2026 UTC`).getUTCDay())).toEqual([1, 1, 1, 1, 1, 1]);
  });

  test.each([
    [30, 1_900_000],
    [90, 3_400_000],
  ])('50 services of 2 SLOs over %i days make one page under %i bytes', (days, limit) => {
    const report = buildReport(manyServicesSpec(50, days));
    const html = renderPeriodReportHtml(report);
    expect(Buffer.byteLength(html)).toBeLessThan(limit);
    expect(marksPerChart(html)).toEqual(expectedMarks(report));
    expect(html).toContain('<nav aria-label="services">');
  });
});
