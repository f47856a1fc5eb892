/**
 * The pure parts of `review`: the period, the game-day schedule match, incidents rebuilt from log
 * lines, attainment and worst days from hourly series, the summary's sentences.
 */
import { attainmentOf, badTerms, burnDown, worstDays } from '../../../lib/cli/period-report/attainment';
import { incidentSection, noIncidents, reconstructIncidents } from '../../../lib/cli/period-report/incidents';
import type { SloSeries } from '../../../lib/cli/period-report/metrics';
import { planSeriesRequests, planSliceRequests, sliceHours, sliceSeriesRange } from '../../../lib/cli/period-report/metrics';
import { seriesRange } from '../../../lib/cli/period-report/metrics';
import type { ServiceReport, SloPeriodReport } from '../../../lib/cli/period-report/model';
import { parsePeriod, utcDays } from '../../../lib/cli/period-report/period';
import { scheduleNames, startedBySchedule } from '../../../lib/cli/period-report/schedule-match';
import { reportSummary, serviceSummary } from '../../../lib/cli/period-report/summary';
import { UsageError } from '../../../lib/cli/errors';
import type { SloEntry } from '../../../lib/manifest/schema';
import type { BudgetTarget } from '../../../lib/cli/budget/model';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-12-01T09:42:17Z');

describe('the period', () => {
  test.each([
    ['30d', '2026-11-01T09:00:00.000Z', 30 * 86_400],
    ['12h', '2026-11-30T21:00:00.000Z', 12 * 3_600],
    ['2w', '2026-11-17T09:00:00.000Z', 14 * 86_400],
    ['2026-11-15', '2026-11-15T00:00:00.000Z', (16 * 24 + 9) * 3_600],
    ['2026-11-15T08:30Z', '2026-11-15T08:00:00.000Z', (16 * 24 + 1) * 3_600],
  ])('--since %s starts %s and ends on the last whole hour', (since, start, seconds) => {
    expect(parsePeriod(since, NOW)).toEqual({ start, end: '2026-12-01T09:00:00.000Z', seconds, label: since });
  });

  test.each([
    ['30', 'use a span such as 30d, 12h or 2w'],
    ['30m', 'use a span such as 30d, 12h or 2w'],
    ['0h', 'the period must be at least 1h'],
    ['456d', 'at most 455d, as CloudWatch keeps 1-hour metric data 455 days'],
    ['2026-12-01T09:30Z', 'the period must be at least 1h'],
  ])('--since %s is refused: %s', (since, message) => {
    expect(() => parsePeriod(since, NOW)).toThrow(UsageError);
    expect(() => parsePeriod(since, NOW)).toThrow(message);
  });

  test('UTC days clip the first and the last day to the period', () => {
    expect(utcDays(Date.parse('2026-11-29T09:00Z'), Date.parse('2026-12-01T09:00Z')).map((d) => [d.day, (d.end - d.start) / HOUR]))
      .toEqual([['2026-11-29', 15], ['2026-11-30', 24], ['2026-12-01', 9]]);
  });
});

describe('game-day schedules', () => {
  test('Tuesdays 10:00 in Berlin are 08:00 UTC in summer and 09:00 UTC in winter', () => {
    expect(scheduleNames('cron(0 10 ? * TUE *)', 'Europe/Berlin', Date.parse('2024-04-23T08:00Z'))).toBe(true);
    expect(scheduleNames('cron(0 10 ? * TUE *)', 'Europe/Berlin', Date.parse('2024-01-23T09:00Z'))).toBe(true);
    expect(scheduleNames('cron(0 10 ? * TUE *)', 'Europe/Berlin', Date.parse('2024-04-24T08:00Z'))).toBe(false);
  });

  test('the first Thursday of the month (THU#1), ranges, lists and steps', () => {
    expect(scheduleNames('cron(30 14 ? * THU#1 *)', 'Europe/London', Date.parse('2024-05-02T13:30Z'))).toBe(true);
    expect(scheduleNames('cron(30 14 ? * THU#1 *)', 'Europe/London', Date.parse('2024-05-09T13:30Z'))).toBe(false);
    expect(scheduleNames('cron(0/15 9-17 ? * MON-FRI *)', 'UTC', Date.parse('2024-05-01T09:45Z'))).toBe(true);
    expect(scheduleNames('cron(0 6,18 1 JAN,JUL ? 2024)', 'UTC', Date.parse('2024-07-01T18:00Z'))).toBe(true);
  });

  test('one-time at() schedules; L, W and rate() cannot be matched', () => {
    expect(scheduleNames('at(2024-05-01T10:00:00)', 'UTC', Date.parse('2024-05-01T10:00Z'))).toBe(true);
    expect(scheduleNames('cron(0 10 L * ? *)', 'UTC', Date.parse('2024-05-31T10:00Z'))).toBeUndefined();
    expect(scheduleNames('rate(7 days)', 'UTC', Date.parse('2024-05-31T10:00Z'))).toBeUndefined();
  });

  test('a start up to 15 minutes after the scheduled minute is the schedule (Scheduler retries); later is a person', () => {
    expect(startedBySchedule('cron(0 10 ? * TUE *)', 'Europe/Berlin', Date.parse('2024-04-23T08:14:59Z'))).toBe(true);
    expect(startedBySchedule('cron(0 10 ? * TUE *)', 'Europe/Berlin', Date.parse('2024-04-23T08:16:00Z'))).toBe(false);
    expect(startedBySchedule('cron(0 10 ? * TUE *)', 'Europe/Berlin', Date.parse('2024-04-23T07:59:00Z'))).toBe(false);
  });
});

describe('incidents rebuilt from the escalation log lines', () => {
  const row = (timestamp: string, event: string, fields: Record<string, string> = {}) =>
    ({ '@timestamp': timestamp, event, alarmName: 'api-page', incidentStart: '2026-11-10T10:00:00.000Z', ...fields });
  const start = Date.parse('2026-11-01T00:00Z');
  const end = Date.parse('2026-12-01T00:00Z');

  test('rows in any order give one incident: opened, escalated, acknowledged, resolved', () => {
    const incidents = reconstructIncidents([
      row('2026-11-10 10:40:00.000', 'incident-resolved', { resolvedAt: '2026-11-10T10:40:00.000Z' }),
      row('2026-11-10 10:00:01.000', 'incident-opened', { severity: 'page' }),
      row('2026-11-10 10:21:00.000', 'incident-acknowledged', { ackedBy: 'ana', ackedAt: '2026-11-10T10:20:59.000Z', escalationLevel: '1' }),
      row('2026-11-10 10:15:00.000', 'incident-escalated', { escalationLevel: '1', cycle: '0' }),
    ], 3, start, end);
    expect(incidents).toEqual([{
      alarmName: 'api-page', severity: 'page', openedAt: '2026-11-10T10:00:00.000Z', acknowledgedAt: '2026-11-10T10:20:59.000Z',
      acknowledgedBy: 'ana', secondsToAcknowledge: 1_259, highestLevel: 1, levels: 3, exhausted: false, resolvedAt: '2026-11-10T10:40:00.000Z',
    }]);
  });

  test('an incident opened before the period is left out; one still open has no resolvedAt', () => {
    const incidents = reconstructIncidents([
      row('2026-11-10 10:40:00.000', 'incident-resolved', { incidentStart: '2026-10-31T23:00:00.000Z' }),
      row('2026-11-30 23:00:01.000', 'incident-opened', { severity: 'ticket', incidentStart: '2026-11-30T23:00:00.000Z', alarmName: 'api-ticket' }),
    ], 3, start, end);
    expect(incidents).toEqual([expect.objectContaining({ alarmName: 'api-ticket', severity: 'ticket', highestLevel: 0 })]);
    expect(incidents[0].resolvedAt).toBeUndefined();
  });

  test('an exhausted chain reached its last level; the section counts it and the median time to acknowledge', () => {
    const incidents = reconstructIncidents([
      row('2026-11-10 10:00:01.000', 'incident-opened', { severity: 'page' }),
      row('2026-11-10 11:00:00.000', 'escalation-exhausted', { escalationLevel: '0', cycle: '2' }),
    ], 3, start, end);
    expect(incidents[0]).toEqual(expect.objectContaining({ exhausted: true, highestLevel: 2 }));
    const section = incidentSection([
      ...incidents,
      { ...incidents[0], exhausted: false, acknowledgedBy: 'b', secondsToAcknowledge: 100, acknowledgedAt: 'x' },
      { ...incidents[0], exhausted: false, acknowledgedBy: 'a', secondsToAcknowledge: 300, acknowledgedAt: 'x' },
    ]);
    expect(section).toEqual(expect.objectContaining({
      pages: 3, acknowledged: 2, exhausted: 1, medianSecondsToAcknowledge: 200, maxSecondsToAcknowledge: 300,
      responders: [{ name: 'a', acknowledged: 1 }, { name: 'b', acknowledged: 1 }],
    }));
  });
});

const SLO: SloEntry = {
  name: 'availability', objective: 99, windowSeconds: 2 * 86_400, window: '2d', errorBudget: 0.01,
  sli: {
    kind: 'ratio', description: 'x', badEvents: '(FILL(bad0, 0) + FILL(bad1, 0))', totalEvents: 'FILL(total0, 0)',
    metrics: [
      { id: 'total0', namespace: 'N', metricName: 'Count', dimensions: {}, statistic: 'Sum' },
      { id: 'bad0', namespace: 'N', metricName: 'Errors', dimensions: {}, statistic: 'Sum' },
      { id: 'bad1', namespace: 'N', metricName: 'Throttles', dimensions: {}, statistic: 'Sum' },
    ],
  },
  alarms: {}, tiers: [], estimatedMonthlyCostUsd: 0,
};

/** Hourly series from `from` for `hours`, 100 events an hour, bad per hour from `bad(hour index)`. */
function hourly(from: number, hours: number, bad: (h: number) => [number, number], gap: (h: number) => boolean = () => false): SloSeries {
  const total = new Map<number, number>();
  const b = new Map<number, number>();
  const m0 = new Map<number, number>();
  const m1 = new Map<number, number>();
  for (let h = 0; h < hours; h++) {
    if (gap(h)) continue;
    const t = from + h * HOUR;
    const [e, th] = bad(h);
    total.set(t, 100); b.set(t, e + th); m0.set(t, e); m1.set(t, th);
  }
  return {
    bad: b, total, metrics: new Map([['total0', total], ['bad0', m0], ['bad1', m1]]),
    range: { start: new Date(from), end: new Date(from + hours * HOUR), periodSeconds: 3600 }, clippedByRetention: false,
  };
}

describe('attainment, burn-down and worst days', () => {
  const from = Date.parse('2026-11-01T00:00Z');
  const start = from + 2 * DAY;
  const end = start + 3 * DAY;

  test('attainment and budget over a range; hours without any datapoint count as missing', () => {
    const series = hourly(from, 5 * 24, (h) => (h === 60 ? [30, 10] : [0, 0]), (h) => h >= 100 && h < 106);
    const a = attainmentOf(SLO, series, start, end, 'none');
    expect(a).toEqual({
      start: '2026-11-03T00:00:00.000Z', end: '2026-11-06T00:00:00.000Z', status: 'ok', bad: 40, total: 100 * (72 - 6),
      attainmentPercent: 100 * (1 - 40 / 6_600), budgetRemainingPercent: 100 * (1 - (40 / 6_600) / 0.01), missingFraction: 6 / 72,
    });
  });

  test('no datapoint: no-data with the reason; datapoints without events: no-traffic, budget untouched', () => {
    expect(attainmentOf(SLO, undefined, start, end, 'not deployed')).toEqual(expect.objectContaining({ status: 'no-data', reason: 'not deployed', bad: null }));
    const quiet = hourly(from, 5 * 24, () => [0, 0]);
    for (const m of [quiet.total, quiet.bad] as Array<Map<number, number>>) for (const k of m.keys()) m.set(k, 0);
    expect(attainmentOf(SLO, quiet, start, end, 'x')).toEqual(expect.objectContaining({ status: 'no-traffic', attainmentPercent: null, budgetRemainingPercent: 100 }));
  });

  test('the burn-down gives the SLO window\'s budget at each day\'s end; the worst day its metrics\' shares', () => {
    const series = hourly(from, 5 * 24, (h) => (h === 60 ? [30, 10] : h === 100 ? [5, 0] : [0, 0]));
    expect(burnDown(SLO, series, start, end).map((p) => [p.day, p.budgetRemainingPercent, p.bad])).toEqual([
      ['2026-11-03', 100 * (1 - (40 / 4_800) / 0.01), 40],
      ['2026-11-04', 100 * (1 - (40 / 4_800) / 0.01), 0],
      ['2026-11-05', 100 * (1 - (5 / 4_800) / 0.01), 5],
    ]);
    const days = worstDays(SLO, series, start, end, [
      { kind: 'incident', label: 'api-page', start: from + 60 * HOUR + 600_000, end: from + 62 * HOUR },
      { kind: 'experiment', label: 'latency', start: from + 50 * HOUR, end: from + 51 * HOUR },
    ]);
    expect(days.map((d) => [d.day, d.bad, d.causes])).toEqual([
      ['2026-11-03', 40, [
        { kind: 'metric', label: 'Errors', sharePercent: 75 }, { kind: 'metric', label: 'Throttles', sharePercent: 25 },
        { kind: 'incident', label: 'api-page' },
      ]],
      ['2026-11-05', 5, [{ kind: 'metric', label: 'Errors', sharePercent: 100 }]],
    ]);
    // one 2-day window's budget at the period's traffic: 7,200 × 2/3 × 1 %
    expect(days[0].budgetSpentPercent).toBeCloseTo(100 * 40 / 48, 10);
  });

  test('the bad metrics are the terms of a sum; a difference (latency) is one cause', () => {
    expect(badTerms(SLO)).toEqual(['bad0', 'bad1']);
    expect(badTerms({ ...SLO, sli: { ...SLO.sli, badEvents: 'FILL(total0, 0) - FILL(bad0, 0)' } })).toBeUndefined();
  });
});

describe('GetMetricData requests', () => {
  const target = (i: number, windowDays: number): BudgetTarget => ({
    service: `s${i}`, slo: { ...SLO, windowSeconds: windowDays * 86_400 }, metrics: SLO.sli.metrics,
  });
  const start = Date.parse('2026-11-01T00:00Z');
  const end = Date.parse('2026-12-01T00:00Z');

  test('every SLO shares one range from the longest window before the period; 500 queries a request at most', () => {
    const targets = Array.from({ length: 120 }, (_, i) => target(i, i % 2 ? 28 : 30));
    const { requests } = planSeriesRequests(targets, start, end, end);
    expect(new Set(requests.map((r) => r.window.start.toISOString()))).toEqual(new Set(['2026-10-02T00:00:00.000Z']));
    expect(requests.every((r) => r.queries.length <= 500 && r.plannedDatapoints <= 100_800)).toBe(true);
    expect(requests.reduce((n, r) => n + r.series.size, 0)).toBe(120);
    expect(planSeriesRequests(targets, start, end, end, false).requests).toHaveLength(120);
  });

  test('a range older than 455 days starts at the oldest hour CloudWatch still keeps', () => {
    const now = end;
    const { range, clipped } = seriesRange(90 * 86_400, now - 400 * DAY, now, now);
    expect(clipped).toBe(true);
    expect(range.start.getTime()).toBe(now - 455 * DAY + HOUR);
  });
});

describe('time-slice SLOs', () => {
  const sliceSlo = (missingSlice: 'bad' | 'good', sliceSeconds = 60): SloEntry => ({
    ...SLO,
    objective: 99, errorBudget: 0.01, windowSeconds: 30 * 86_400, window: '30d',
    sli: {
      kind: 'time-slice', description: 'queue age', badEvents: 'IF(slice0 < 300, 0, 1)', totalEvents: '1',
      metrics: [{ id: 'slice0', namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: 'q' }, statistic: 'Maximum' }],
      timeSlice: { sliceSeconds, slice: `${sliceSeconds / 60}m`, metricId: 'slice0', comparison: '<', threshold: 300, missingSlice },
    },
  });
  const sliceTarget = (i: number, missingSlice: 'bad' | 'good' = 'good', sliceSeconds = 60): BudgetTarget => {
    const slo = sliceSlo(missingSlice, sliceSeconds);
    return { service: `s${i}`, slo, metrics: slo.sli.metrics };
  };
  const from = Date.parse('2026-11-30T00:00Z');
  const range = { start: new Date(from), end: new Date(from + 3 * HOUR), periodSeconds: 60 };
  // hour 0: every minute, 10 of them over 300 s; hour 1: silent from minute 30; hour 2: minutes 0-49 only (the rest not arrived)
  const series = { timestamps: [] as number[], values: [] as number[] };
  for (let m = 0; m < 170; m++) {
    if ((m >= 90 && m < 120) || m >= 170) continue;
    series.timestamps.push(from + m * 60_000);
    series.values.push(m < 10 ? 900 : 5);
  }
  const now = from + 3 * HOUR + 60_000;

  test('judged slices per hour: a failing datapoint is bad; silent slices as the SLI says; the newest slices not arrived are not judged', () => {
    const good = sliceHours(series, sliceTarget(0, 'good'), range, now, false);
    const bad = sliceHours(series, sliceTarget(0, 'bad'), range, now, false);
    const hours = [from, from + HOUR, from + 2 * HOUR];
    // hour 2: minutes 50-59 silent after the last datapoint; 3 of them may still be in flight
    expect(hours.map((h) => [good.bad.get(h), good.total.get(h)])).toEqual([[10, 60], [0, 60], [0, 57]]);
    expect(hours.map((h) => [bad.bad.get(h), bad.total.get(h)])).toEqual([[10, 60], [30, 60], [7, 57]]);
    expect(hours.map((h) => good.metrics.get('slice0')!.get(h))).toEqual([60, 30, 50]);
  });

  test('an hour without any datapoint is a missing hour, and counted bad or good as the SLI says', () => {
    const empty = sliceHours({ timestamps: [], values: [] }, sliceTarget(0, 'bad'), { ...range, end: new Date(from + HOUR) }, now, false);
    expect([empty.bad.get(from), empty.total.get(from), empty.metrics.get('slice0')!.has(from)]).toEqual([60, 60, false]);
    expect(attainmentOf(sliceSlo('bad'), empty, from, from + HOUR, 'no datapoint').status).toBe('no-data');
  });

  test('read from the start of the SLO window before the period, but not before CloudWatch keeps the slice\'s period', () => {
    const end = Date.parse('2026-12-01T00:00Z');
    const start = end - 30 * DAY;
    // 1-minute data: 15 days
    expect(sliceSeriesRange(30 * 86_400, 60, start, end, end)).toEqual({
      range: { start: new Date(end - 15 * DAY + 2 * HOUR), end: new Date(end), periodSeconds: 60 }, clipped: true,
    });
    // 5-minute data: 63 days, the whole 60 days
    expect(sliceSeriesRange(30 * 86_400, 300, start, end, end)).toEqual({
      range: { start: new Date(end - 60 * DAY), end: new Date(end), periodSeconds: 300 }, clipped: false,
    });
  });

  test('slice requests: one condition series per SLO at Period = slice, packed 500 queries and 100,800 datapoints a request at most; ratio SLOs left to the hourly plan', () => {
    const end = Date.parse('2026-12-01T00:00Z');
    const targets = Array.from({ length: 30 }, (_, i) => sliceTarget(i, 'good', i % 2 ? 300 : 60));
    const requests = planSliceRequests(targets, end - 7 * DAY, end, end);
    expect(requests.every((r) => r.kind === 'time-slices' && r.queries.length <= 500 && r.plannedDatapoints <= 100_800)).toBe(true);
    expect(requests.every((r) => r.queries.every((q) => q.MetricStat!.Period === r.window.periodSeconds))).toBe(true);
    expect(requests.reduce((n, r) => n + r.series.size, 0)).toBe(30);
    // 1-minute SLOs read 15 days less 2 hours: 21,480 points, 4 a request; 5-minute ones 37 days: 10,656 points, 9 a request
    expect(requests.map((r) => [r.window.periodSeconds, r.series.size])).toEqual([[60, 4], [60, 4], [60, 4], [60, 3], [300, 9], [300, 6]]);
    expect(planSliceRequests(targets, end - 7 * DAY, end, end, false)).toHaveLength(30);
    expect(planSeriesRequests(targets, end - 7 * DAY, end, end).requests).toHaveLength(0);
  });
});

describe('the summary', () => {
  const slo = (over: Partial<SloPeriodReport>, attainment: number | null, status: 'ok' | 'no-data' = 'ok', reason?: string): SloPeriodReport => ({
    slo: 'availability', kind: 'ratio', unit: 'requests', objectivePercent: 99.9, window: '30d', windowSeconds: 0,
    period: { start: '', end: '', status, ...(reason ? { reason } : {}), bad: null, total: null, attainmentPercent: attainment, budgetRemainingPercent: null, missingFraction: 0 },
    slidingWindow: { start: '', end: '', status, bad: null, total: null, attainmentPercent: attainment, budgetRemainingPercent: null, missingFraction: 0 },
    met: attainment === null ? null : attainment >= 99.9, burnDown: [], worstDays: [], alerts: { available: true, pages: 0, tickets: 0 }, ...over,
  });
  const service = (slos: SloPeriodReport[]): Omit<ServiceReport, 'summary'> => ({
    service: 'checkout', stack: 'Shop', slos,
    incidents: { available: true, pages: 0, tickets: 0, acknowledged: 0, exhausted: 0, medianSecondsToAcknowledge: null, maxSecondsToAcknowledge: null, responders: [], incidents: [] },
    experiments: { available: true, passed: 0, findings: 0, failed: 0, stoppedByPerson: 0, cancelled: 0, inconclusive: 0, runs: [] },
  });

  test('a met and a missed SLO, rounded down so that a figure never reads better than it is', () => {
    expect(serviceSummary(service([slo({}, 99.95999), slo({ slo: 'latency', objectivePercent: 99 }, 98.5)])))
      .toBe('checkout kept availability 99.95 % against 99.9 %, missed latency 98.50 % against 99 %; no pages');
  });

  test('incidents that could not be read never read as a quiet period: the page alarms from alarm history, or pages not known', () => {
    const unread = { ...service([slo({ alerts: { available: true, pages: 2, tickets: 0 } }, 99.99)]), incidents: noIncidents('logs:StartQuery was refused') };
    expect(serviceSummary(unread)).toBe('checkout kept 99.990 % against 99.9 %; 2 page alarms from alarm history (who answered not known: logs:StartQuery was refused)');
    const noHistory = { ...unread, slos: [slo({ alerts: { available: false, reason: 'history refused', pages: 0, tickets: 0 } }, 99.99)] };
    expect(serviceSummary(noHistory)).toBe('checkout kept 99.990 % against 99.9 %; pages not known: logs:StartQuery was refused');
    const period = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z', seconds: 30 * 86_400, label: '30d' };
    expect(reportSummary(period, [{ ...noHistory, summary: '' }])[0]).toBe('Over 30d (2026-11-01 to 2026-12-01), 1 of 1 SLO met; 0 pages counted, pages of checkout not known.');
  });

  test('a period met while the SLO window\'s budget is overspent says so', () => {
    const window = { start: '', end: '', status: 'ok' as const, bad: 40, total: 10_000, attainmentPercent: 99.6, budgetRemainingPercent: -300, missingFraction: 0 };
    expect(serviceSummary(service([slo({ slidingWindow: window }, 99.95)])))
      .toBe('checkout kept 99.95 % against 99.9 % (its 30d budget overspent: -300 %); no pages');
  });

  test('no data for every SLO says so with the reason, and nothing else', () => {
    expect(serviceSummary(service([slo({}, null, 'no-data', 'no datapoint of AWS/ApiGateway Count in eu-west-1')])))
      .toBe('checkout: no data for the period — no datapoint of AWS/ApiGateway Count in eu-west-1');
  });
});
