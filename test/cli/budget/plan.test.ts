/**
 * The GetMetricData requests of `budget`: ranges, periods, ids and the per-request limits.
 */
import {
  alertPeriodSeconds,
  alertQueryWindow,
  MAX_DATAPOINTS_PER_REQUEST,
  MAX_QUERIES_PER_REQUEST,
  planBudgetRequests,
  prefixIds,
  sloQueryWindow,
} from '../../../lib/cli/budget/plan';
import type { BudgetTarget } from '../../../lib/cli/budget/model';
import type { SloEntry } from '../../../lib/manifest/schema';
import { Mutable, shop, slo } from '../../review/support/manifests';

const DAY = 86_400;
const at = (iso: string) => new Date(iso);

function target(edit?: (s: Mutable<SloEntry>) => void, service = 'checkout', name = 'availability'): BudgetTarget {
  const manifest = shop((m) => edit?.(slo(m, service, name)));
  const entry = manifest.services.find((s) => s.name === service)!.slos.find((s) => s.name === name)!;
  return { service, slo: entry, metrics: entry.sli.metrics };
}

describe('the SLO window', () => {
  test('30 days in 1-hour periods ending on the last 5-minute boundary: 720 points', () => {
    const w = sloQueryWindow(30 * DAY, at('2024-05-01T12:07:30Z'));
    expect(w).toEqual({ start: at('2024-04-01T12:05:00Z'), end: at('2024-05-01T12:05:00Z'), periodSeconds: 3600 });
  });

  test('over 62 days it ends on the hour (CloudWatch rounds older start times to the hour)', () => {
    const w = sloQueryWindow(90 * DAY, at('2024-05-01T12:07:30Z'));
    expect(w.end).toEqual(at('2024-05-01T12:00:00Z'));
    expect(w.start).toEqual(at('2024-02-01T12:00:00Z'));
  });

  test('a window of whole minutes that is not whole hours is read as the whole hours covering it', () => {
    const w = sloQueryWindow(90 * 60, at('2024-05-01T12:00:00Z'));
    expect(w.start).toEqual(at('2024-05-01T10:00:00Z'));
  });
});

describe('the alert windows', () => {
  test.each([
    [[3600, 300, 21600, 1800, 86400, 7200, 259200, 21600], 300],
    [[3600, 7200, 86400], 3600],
    [[720, 60], 60],
    [[3600, 420], 60],
  ])('%j are read in periods of %i s', (windows, period) => {
    expect(alertPeriodSeconds(windows)).toBe(period);
  });

  test('one range as long as the longest window, ending at the last whole minute', () => {
    expect(alertQueryWindow([3600, 300, 259200], at('2024-05-01T12:07:30Z'))).toEqual({
      start: at('2024-04-28T12:07:00Z'),
      end: at('2024-05-01T12:07:00Z'),
      periodSeconds: 300,
    });
    expect(alertQueryWindow([], at('2024-05-01T12:07:30Z'))).toBeUndefined();
  });
});

describe('ids', () => {
  test.each([
    ['FILL(bad0, 0)', 'FILL(s3_bad0, 0)'],
    ['(total0 - FILL(good0, 0))', '(s3_total0 - FILL(s3_good0, 0))'],
    ['(FILL(bad0, 0) + FILL(total1, 0))', '(FILL(s3_bad0, 0) + FILL(s3_total1, 0))'],
    ['total0*1e3/total00', 's3_total0*1e3/total00'], // numbers and unknown names untouched
    ['SEARCH(\'{AWS/Lambda,FunctionName} total0\', \'Sum\') + bad0', 'SEARCH(\'{AWS/Lambda,FunctionName} total0\', \'Sum\') + s3_bad0'],
  ])('%s -> %s', (expression, expected) => {
    expect(prefixIds(expression, new Set(['bad0', 'total0', 'total1', 'good0']), 's3_')).toBe(expected);
  });

  test('each SLO\'s queries are prefixed, start lowercase, are unique, and only the needed ones return data', () => {
    const plan = planBudgetRequests([target(), target(undefined, 'checkout', 'latency')], at('2024-05-01T12:00:00Z'));
    const [window, alerts] = plan.requests;
    const ids = window.queries.map((q) => q.Id!);
    expect(ids).toEqual(['s0_total0', 's0_bad0', 's0_bad_events', 's0_total_events', 's1_total0', 's1_good0', 's1_bad_events', 's1_total_events']);
    expect(ids.every((id) => /^[a-z][A-Za-z0-9_]*$/.test(id))).toBe(true);
    expect(window.queries.find((q) => q.Id === 's1_bad_events')!.Expression).toBe('(s1_total0 - FILL(s1_good0, 0))');
    // the metrics return data only over the SLO window, to tell "no data" from "no traffic"
    expect(window.queries.filter((q) => q.ReturnData).map((q) => q.Id)).toEqual(ids);
    expect(alerts.queries.filter((q) => q.ReturnData).map((q) => q.Id))
      .toEqual(['s0_bad_events', 's0_total_events', 's1_bad_events', 's1_total_events']);
    expect(window.plannedDatapoints).toBe(8 * 720);
    expect(alerts.plannedDatapoints).toBe(4 * 864);
  });

  test('an SLI metric that is a math expression is queried as an Expression', () => {
    const t = target((s) => {
      s.sli.metrics.push({ id: 'sum0', namespace: '', metricName: '', dimensions: {}, statistic: '', expression: 'total0 + bad0' });
    });
    const [window] = planBudgetRequests([t], at('2024-05-01T12:00:00Z')).requests;
    expect(window.queries.find((q) => q.Id === 's0_sum0')).toEqual({
      Id: 's0_sum0', Expression: 's0_total0 + s0_bad0', Label: 'checkout/availability sum0', ReturnData: false,
    });
  });

  test('SLOs that cannot be read are left out', () => {
    const plan = planBudgetRequests([{ ...target(), unreadable: 'not deployed' }, target()], at('2024-05-01T12:00:00Z'));
    expect(plan.requests.flatMap((r) => [...r.series.keys()])).toEqual([1, 1]);
    expect(plan.sloWindows.has(0)).toBe(false);
  });
});

describe('limits', () => {
  test(`requests hold at most ${MAX_QUERIES_PER_REQUEST} queries`, () => {
    const targets = Array.from({ length: 150 }, () => target()); // 4 queries each
    const plan = planBudgetRequests(targets, at('2024-05-01T12:00:00Z'));
    for (const r of plan.requests) {
      expect(r.queries.length).toBeLessThanOrEqual(MAX_QUERIES_PER_REQUEST);
      expect(r.plannedDatapoints).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_REQUEST);
      expect(new Set(r.queries.map((q) => q.Id)).size).toBe(r.queries.length);
    }
    // 150 SLOs x 4 series x 720 points = 432,000: split by datapoints into 5 SLO-window requests; the alert ones by queries
    expect(plan.requests.filter((r) => r.kind === 'slo-window').map((r) => r.series.size)).toEqual([35, 35, 35, 35, 10]);
    expect(plan.requests.filter((r) => r.kind === 'alert-windows').map((r) => r.series.size)).toEqual([58, 58, 34]);
    expect([...new Set(plan.requests.flatMap((r) => [...r.series.keys()]))]).toHaveLength(150);
  });

  test(`and at most ${MAX_DATAPOINTS_PER_REQUEST} datapoints: a 455-day window is 10,920 points per series`, () => {
    const long = Array.from({ length: 3 }, () => target((s) => {
      s.windowSeconds = 455 * DAY;
      s.window = '455d';
    }));
    const plan = planBudgetRequests(long, at('2024-05-01T12:00:00Z'));
    const windows = plan.requests.filter((r) => r.kind === 'slo-window');
    expect(windows.map((r) => r.plannedDatapoints)).toEqual([2 * 4 * 10_920, 4 * 10_920]);
  });

  test('SLOs with different windows are read in separate requests', () => {
    const plan = planBudgetRequests([target(), target(undefined, 'fulfilment', 'availability')], at('2024-05-01T12:00:00Z'));
    expect(plan.requests.map((r) => [r.kind, r.window.start.toISOString()])).toEqual([
      ['slo-window', '2024-04-01T12:00:00.000Z'],
      ['slo-window', '2024-04-03T12:00:00.000Z'], // 28 days
      ['alert-windows', '2024-04-28T12:00:00.000Z'],
    ]);
  });
});
