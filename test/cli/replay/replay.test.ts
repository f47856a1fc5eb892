/**
 * `cdk-reliability replay` through `run(argv, io)`: the synthesized alarms of a cloud assembly
 * evaluated on history served by a fake CloudWatch (GetMetricData shaped as CloudWatch answers:
 * 1-minute data for 15 days only, pages with PartialData, throttling), the SDK replaced only at the
 * client boundary.
 */
import { resolutionProblem, warmUpMinutes } from '../../../lib/cli/replay/evaluate';
import { replayRange } from '../../../lib/cli/replay/history';
import { evaluateAlarms, Scenario } from '../../../lib/simulation/evaluator';
import { sloAlarmsFromTemplate } from '../../../lib/simulation/template-alarms';
import { awsError, T0, useHarness } from '../support/harness';
import {
  CANARY, canaryId, canaryRuns, checkoutTraffic, DAY, givenDeployedShop, HOUR, incidents, MINUTE, SEARCH_FUNCTION, searchFunctionId, shopTemplate, synthShop,
} from './support';

let shop: string;
let withLambda: string;
let withTimeSlice: string;
let withCanary: string;

beforeAll(() => {
  shop = synthShop();
  withLambda = synthShop({ lambda: true });
  withTimeSlice = synthShop({ timeSlice: true });
  withCanary = synthShop({ canary: true });
});

/** The incident of docs/reviewing.md's simulate example: 2 % errors for 2 h at 1000 requests a minute. */
const INCIDENT_START = T0 - 3 * DAY - 7 * HOUR;
const docIncident = incidents([{ from: INCIDENT_START, minutes: 120, ratio: 0.02 }]);

function json(text: string): any {
  return JSON.parse(text);
}

function throttled(): Error {
  const error = awsError('Throttling', 'Rate exceeded');
  Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 400 } });
  return error;
}

describe('replay', () => {
  const world = useHarness();

  test('a real incident in the history pages at the minute docs/reviewing.md documents (44 min), and clears at 142 min', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, shop), () => 1000, docIncident);

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '7d', '--json')).toBe(0);

    const out = json(h.stdout());
    const [checkout] = out.slos;
    expect(checkout).toMatchObject({ service: 'checkout', slo: 'availability', replayed: true, pages: 1, tickets: 0 });
    expect(checkout.alerts).toEqual([{
      severity: 'page',
      composite: 'checkout-availability-page',
      firedAt: new Date(INCIDENT_START + 44 * MINUTE).toISOString(),
      clearedAt: new Date(INCIDENT_START + 142 * MINUTE).toISOString(),
      causes: ['page-1h-5m'],
      notifiedAt: new Date(INCIDENT_START + 44 * MINUTE).toISOString(),
      atStart: false,
    }]);
    expect(out).toMatchObject({ region: 'eu-west-1', minutes: 7 * 1440, delayMinutes: 2, metrics: 2, requests: 1 });
    expect(h.stderr()).toBe('');
  });

  test('prints each page as a table: fired, cleared, how long, which tier, when notified', async () => {
    const h = world();
    checkoutTraffic(givenDeployedShop(h, shop), () => 1000, docIncident);

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '7d')).toBe(0);

    const out = h.stdout();
    expect(out).toContain('Replay of the synthesized alarms of stack Shop on the metrics of the last 7d (2024-04-24 12:00 UTC → 2024-05-01 12:00 UTC) in eu-west-1:');
    expect(out).toContain('checkout/availability: 1 page, 0 tickets\n'
      + '  alert  fired                 cleared               lasted  tiers       notified\n'
      + '  page   2024-04-28 05:44 UTC  2024-04-28 07:22 UTC  1h 38m  page-1h-5m  at once\n');
  });

  test('a ticket muted by the page is listed as muted, and the ticket raised later counts', async () => {
    const h = world();
    // 0.5 % errors for 10 hours: the 6h tier pages, the 1d tier's ticket fires and is muted while the page lasts
    checkoutTraffic(givenDeployedShop(h, shop), () => 1000, incidents([{ from: INCIDENT_START, minutes: 600, ratio: 0.008 }]));

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '7d', '--json')).toBe(0);

    const [checkout] = json(h.stdout()).slos;
    const page = checkout.alerts.find((a: any) => a.severity === 'page');
    expect(page.causes).toEqual(['page-6h-30m']);
    const tickets = checkout.alerts.filter((a: any) => a.severity === 'ticket');
    expect(tickets.length).toBeGreaterThan(0);
    expect(checkout.pages).toBe(1);
    expect(checkout.tickets).toBe(tickets.filter((t: any) => t.notifiedAt !== null).length);
  });

  test('the alerts are the evaluator\'s on the same minutes, a minute without a datapoint read as none', async () => {
    const h = world();
    // the metrics stop being published for 20 minutes in the middle of the incident
    const gapFrom = INCIDENT_START + 60 * MINUTE;
    const gap = (f: (t: number) => number) => (t: number) => (t >= gapFrom && t < gapFrom + 20 * MINUTE ? undefined : f(t));
    const requests = gap(() => 1000);
    const errors = gap(docIncident);
    checkoutTraffic(givenDeployedShop(h, shop), requests, errors);

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '4d', '--json')).toBe(0);

    const out = json(h.stdout());
    const start = Date.parse(out.start);
    const model = sloAlarmsFromTemplate(shopTemplate(shop), 'checkout', 'availability');
    const scenario: Scenario = (metric, minute) => (metric.metricName === 'Requests' ? requests : errors)(start + minute * MINUTE);
    const expected = evaluateAlarms(model, scenario, { minutes: out.minutes });
    const pages = expected.notifications.filter((n) => n.alarm === 'checkout-availability-page' && n.state === 'ALARM');
    expect(pages).toHaveLength(2); // the page clears in the gap (its FILLs read the empty short window as 0) and fires again
    expect(out.slos[0].alerts.filter((a: any) => a.severity === 'page').map((a: any) => a.notifiedAt))
      .toEqual(pages.map((n) => new Date(start + n.minute * MINUTE).toISOString()));
  });

  test('gaps are gaps, not zeros: 10 minutes without the queue-age metric are 10 bad slices of a time-slice SLO, and page', async () => {
    const h = world();
    const gapFrom = T0 - DAY;
    const age = (t: number) => (t >= gapFrom && t < gapFrom + 10 * MINUTE ? undefined : 30);
    givenDeployedShop(h, withTimeSlice).define({
      namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: 'orders' }, statistic: 'Maximum', perMinute: age,
    });

    expect(await h.run('replay', withTimeSlice, '--stack', 'Shop', '--service', 'orders', '--since', '2d', '--json')).toBe(0);

    const [orders] = json(h.stdout()).slos;
    expect(orders).toMatchObject({ service: 'orders', slo: 'freshness', replayed: true, pages: 1 });
    const fired = Date.parse(orders.alerts[0].firedAt);
    expect(fired).toBeGreaterThan(gapFrom);
    expect(fired).toBeLessThan(gapFrom + 10 * MINUTE);
    // had the gap been zeros (a fresh queue), nothing would have paged
    const model = sloAlarmsFromTemplate(shopTemplate(withTimeSlice), 'orders', 'freshness');
    const zeros = evaluateAlarms(model, (_, minute) => age(T0 - 2 * DAY + minute * MINUTE) ?? 0, { minutes: 2 * 1440 });
    expect(zeros.notifications.filter((n) => n.state === 'ALARM')).toEqual([]);
  });

  test('paged answers (NextToken, PartialData) and throttling are followed to the same result', async () => {
    const h = world();
    const fake = checkoutTraffic(givenDeployedShop(h, shop), () => 1000, docIncident);
    fake.pageSize = 5_000;
    fake.failures.push(throttled(), throttled());

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '7d', '--json')).toBe(0);

    const [checkout] = json(h.stdout()).slos;
    expect(checkout.alerts.map((a: any) => a.firedAt)).toEqual([new Date(INCIDENT_START + 44 * MINUTE).toISOString()]);
    expect(fake.requests.length).toBeGreaterThan(4); // pages: 2 metrics × ~10,000 minutes in pages of 5,000
    expect(new Set(fake.requests.map((r) => r.NextToken ?? '')).size).toBe(fake.requests.length - 2); // the throttled ones repeated
    expect(h.sleeps).toHaveLength(2);
  });

  test('reads the metrics once, at 1 minute, over the range and the longest window before it', async () => {
    const h = world();
    const fake = checkoutTraffic(givenDeployedShop(h, shop), () => 1000, () => 0);

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '7d')).toBe(0);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.MetricDataQueries).toHaveLength(2);
    expect(request.MetricDataQueries!.every((q) => q.MetricStat?.Period === 60)).toBe(true);
    expect(new Date(request.StartTime!).getTime()).toBe(T0 - 10 * DAY - 2 * MINUTE); // 7 days + the 3-day window + the delay
    expect(new Date(request.EndTime!).getTime()).toBe(T0);
    expect(h.stdout()).toContain('checkout/availability: 0 pages, 0 tickets');
  });

  test('fills deploy-time dimension values (a generated function name) from the deployed alarms', async () => {
    const h = world();
    const fake = givenDeployedShop(h, withLambda, { [searchFunctionId(withLambda)]: SEARCH_FUNCTION });
    checkoutTraffic(fake, () => 1000, () => 0);
    const fn = { FunctionName: SEARCH_FUNCTION };
    fake.define({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: fn, statistic: 'Sum', perMinute: () => 1000 });
    fake.define({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: fn, statistic: 'Sum', perMinute: docIncident });
    fake.define({ namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: fn, statistic: 'Sum', perMinute: () => 0 });

    expect(await h.run('replay', withLambda, '--stack', 'Shop', '--service', 'search', '--since', '7d', '--json')).toBe(0);

    const [search] = json(h.stdout()).slos;
    expect(search).toMatchObject({ service: 'search', pages: 1 });
    expect(search.alerts[0].firedAt).toBe(new Date(INCIDENT_START + 44 * MINUTE).toISOString());
    const dimensions = fake.requests[0].MetricDataQueries!.map((q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value);
    expect(dimensions).toEqual([SEARCH_FUNCTION, SEARCH_FUNCTION, SEARCH_FUNCTION]);
    expect(fake.alarmRequests[0].AlarmNames).toContain('search-availability-page-1h-5m-long');
  });

  test('an SLO whose deploy-time values no deployed alarm gives is not replayed, saying why; exit 1 when none is', async () => {
    const h = world();
    givenDeployedShop(h, shop); // the alarms of another assembly: none of search's exist
    expect(await h.run('replay', withLambda, '--stack', 'Shop', '--service', 'search')).toBe(1);
    expect(h.stdout()).toContain('search/availability: not replayed: its metrics name values known only once deployed '
      + '(FunctionName=${SearchFn5B9EF551}), and no deployed alarm of the stack in eu-west-1 reads them: not deployed yet, or deployed in another region or account');
    expect(h.stderr()).toMatch(/^error: none of the selected SLOs could be replayed: search\/availability: /);
  });

  test('DescribeAlarms denied: an SLO that needs deploy-time values cannot be replayed, and the message names the permission', async () => {
    const h = world();
    givenDeployedShop(h, withLambda, { [searchFunctionId(withLambda)]: SEARCH_FUNCTION }).alarmsError = awsError('AccessDenied', 'not authorized to perform: cloudwatch:DescribeAlarms');
    expect(await h.run('replay', withLambda, '--stack', 'Shop')).toBe(1);
    expect(h.stderr()).toBe('error: cannot read the deployed alarms in eu-west-1 (cloudwatch:DescribeAlarms: not authorized to perform: '
      + 'cloudwatch:DescribeAlarms). The metrics of search/availability name values known only once deployed, which the replay reads from '
      + 'the alarms: allow cloudwatch:DescribeAlarms (besides cloudwatch:GetMetricData) to the identity that runs it\n');
  });

  test('a metric absent from the whole history is said, and replays as missing', async () => {
    const h = world();
    givenDeployedShop(h, shop); // no metric defined: CloudWatch has no datapoint

    expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '1d')).toBe(0);

    expect(h.stdout()).toContain('checkout/availability: 0 pages, 0 tickets\n'
      + '  note: no datapoint of Shop Requests Service=checkout (Sum), Shop Errors Service=checkout (Sum) in the whole history read: '
      + 'the alarms read them as missing throughout');
  });

  describe('retention: 1-minute data for 15 days, 5-minute data for 63', () => {
    test('14 days with 3-day windows: the look-back older than 15 days is read at 5 minutes, and the output says so', async () => {
      const h = world();
      const fake = checkoutTraffic(givenDeployedShop(h, shop), () => 1000, docIncident);

      expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '14d')).toBe(0);

      const periods = fake.requests.map((r) => [r.MetricDataQueries![0].MetricStat!.Period, new Date(r.StartTime!).getTime(), new Date(r.EndTime!).getTime()]);
      const boundary = T0 - 15 * DAY + 30 * MINUTE;
      expect(periods).toEqual([[300, T0 - 17 * DAY - 5 * MINUTE, boundary], [60, boundary, T0]]);
      expect(h.stdout()).toContain('Note: History before 2024-04-16 12:30 UTC is 5-minute data (CloudWatch keeps 1-minute data for 15 days), '
        + 'spread evenly over each 5 minutes: only the look-back of the longest windows reads it');
      expect(h.stdout()).toContain('  page   2024-04-28 05:44 UTC');
    });

    test('a range older than 15 days is refused (exit 64), naming the longest faithful range and the opt-in', async () => {
      const h = world();
      checkoutTraffic(givenDeployedShop(h, shop), () => 1000, () => 0);

      expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '20d')).toBe(64);

      expect(h.stderr()).toContain('error: --since 20d reaches back beyond the 15 days CloudWatch keeps 1-minute data: the alarms are evaluated '
        + 'every minute, and older history is only kept at 5 minutes, so it cannot be replayed faithfully. Replay at most 14d 23h 30m, '
        + 'or pass --allow-5-minute-data');
      expect(h.stderr()).toContain('Usage: cdk-reliability replay');
    });

    test('--allow-5-minute-data replays it on 5-minute data and says which part', async () => {
      const h = world();
      const older = incidents([{ from: T0 - 18 * DAY, minutes: 120, ratio: 0.02 }]);
      const fake = checkoutTraffic(givenDeployedShop(h, shop), () => 1000, (t) => older(t) + docIncident(t));

      expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '20d', '--allow-5-minute-data', '--json')).toBe(0);

      const out = json(h.stdout());
      expect(out.notes[0]).toMatch(/^The first 5d 30m of the range \(before 2024-04-16 12:30 UTC\) are replayed on 5-minute data \(--allow-5-minute-data\)/);
      expect(out.slos[0].pages).toBe(2);
      // the recent incident, on 1-minute data, to the minute; the old one within 4 minutes
      const fired = out.slos[0].alerts.map((a: any) => Date.parse(a.firedAt));
      expect(Math.abs(fired[0] - (T0 - 18 * DAY + 44 * MINUTE))).toBeLessThanOrEqual(4 * MINUTE);
      expect(fired[1]).toBe(INCIDENT_START + 44 * MINUTE);
      expect(fake.requests.map((r) => r.MetricDataQueries![0].MetricStat!.Period)).toEqual([300, 60]);
    });

    test('a range whose look-back is older than 63 days is refused (exit 64)', async () => {
      const h = world();
      givenDeployedShop(h, shop);
      expect(await h.run('replay', shop, '--stack', 'Shop', '--since', '62d', '--allow-5-minute-data')).toBe(64);
      expect(h.stderr()).toContain('error: --since 62d with the alarms\' look-back (3d 2m, the longest window) reaches back beyond the 63 days '
        + 'CloudWatch keeps 5-minute data (only hourly data is older): replay at most 59d 23h 28m');
    });

    test('a time-slice SLO (alarms on 1-minute datapoints) reaching back beyond 15 days is not replayed, with the longest range that is', async () => {
      const h = world();
      checkoutTraffic(givenDeployedShop(h, withTimeSlice), () => 1000, () => 0);

      expect(await h.run('replay', withTimeSlice, '--stack', 'Shop', '--since', '14d')).toBe(0);

      expect(h.stdout()).toContain('orders/freshness: not replayed: its alarm orders-freshness-ticket-1d-2h-long evaluates 1-minute datapoints over 1d 4m before each '
        + 'evaluation, and the range reaches back beyond the 15 days CloudWatch keeps 1-minute data (only 5-minute data is older): replay at most 13d 23h 26m');
      expect(h.stdout()).toContain('checkout/availability: 0 pages, 0 tickets');
    });
  });

  describe('5-minute slices (canary success) older than 15 days', () => {
    const since = ['--since', '15d12h', '--allow-5-minute-data', '--json'];

    test('a healthy canary replayed beyond 15 days reads its older runs at 5 minutes: no page, no ticket', async () => {
      const h = world();
      const fake = canaryRuns(givenDeployedShop(h, withCanary, { [canaryId(withCanary)]: CANARY }), () => 100);

      expect(await h.run('replay', withCanary, '--stack', 'Shop', '--service', 'storefront', ...since)).toBe(0);

      const [probe] = json(h.stdout()).slos;
      expect(probe).toMatchObject({ service: 'storefront', slo: 'probe', replayed: true, pages: 0, tickets: 0, alerts: [], notes: [] });
      expect(fake.requests.map((r) => r.MetricDataQueries![0].MetricStat!.Period)).toEqual([300, 60]);
    });

    test('an hour of failed runs older than 15 days pages within 5 minutes of when it would have, and clears', async () => {
      const h = world();
      const from = T0 - 15 * DAY - 6 * HOUR;
      canaryRuns(givenDeployedShop(h, withCanary, { [canaryId(withCanary)]: CANARY }), (t) => (t >= from && t < from + HOUR ? 0 : 100));

      expect(await h.run('replay', withCanary, '--stack', 'Shop', '--service', 'storefront', ...since)).toBe(0);

      const [probe] = json(h.stdout()).slos;
      const pages = probe.alerts.filter((a: any) => a.severity === 'page');
      expect(pages).toHaveLength(1);
      expect(pages[0].atStart).toBe(false);
      expect(Date.parse(pages[0].firedAt) - from).toBeGreaterThanOrEqual(0);
      expect(Date.parse(pages[0].firedAt) - from).toBeLessThanOrEqual(15 * MINUTE);
      expect(Date.parse(pages[0].clearedAt)).toBeLessThan(from + 2 * HOUR);
    });

    /** Replays `failed` consecutive failed runs older than 15 days and the same runs 3 days ago (1-minute data): the pages' offsets from each. */
    async function pagesAfterFailedRuns(failed: number): Promise<{ old: number[]; recent: number[] }> {
      const h = world();
      const old = T0 - 15 * DAY - 6 * HOUR;
      const recent = T0 - 3 * DAY;
      const failing = (t: number) => (t >= old && t < old + failed * 5 * MINUTE) || (t >= recent && t < recent + failed * 5 * MINUTE);
      canaryRuns(givenDeployedShop(h, withCanary, { [canaryId(withCanary)]: CANARY }), (t) => (failing(t) ? 0 : 100));

      expect(await h.run('replay', withCanary, '--stack', 'Shop', '--service', 'storefront', ...since)).toBe(0);

      const pages: number[] = json(h.stdout()).slos[0].alerts.filter((a: any) => a.severity === 'page').map((a: any) => Date.parse(a.firedAt));
      return { old: pages.filter((t) => t < recent - DAY).map((t) => t - old), recent: pages.filter((t) => t >= recent - DAY).map((t) => t - recent) };
    }

    test('one failed run older than 15 days does not page, as it does not on 1-minute data (a 5-minute average is one slice, not two)', async () => {
      expect(await pagesAfterFailedRuns(1)).toEqual({ old: [], recent: [] });
    });

    test('two failed runs older than 15 days page at the same offset as on 1-minute data', async () => {
      const { old, recent } = await pagesAfterFailedRuns(2);
      expect(recent).toHaveLength(1);
      expect(old).toEqual(recent);
    });

    test('a canary without 5-minute data before the 15-day line is said: that part of the range reads as missing', async () => {
      const h = world();
      const created = T0 - 15 * DAY + 2 * HOUR;
      givenDeployedShop(h, withCanary, { [canaryId(withCanary)]: CANARY }).define({
        namespace: 'CloudWatchSynthetics', metricName: 'SuccessPercent', dimensions: { CanaryName: CANARY }, statistic: 'Average',
        perMinute: (t) => (t >= created && t % (5 * MINUTE) === 0 ? 100 : undefined),
      });

      expect(await h.run('replay', withCanary, '--stack', 'Shop', '--service', 'storefront', '--since', '15d12h', '--allow-5-minute-data')).toBe(0);

      expect(h.stdout()).toContain('  note: no 5-minute datapoint of CloudWatchSynthetics SuccessPercent CanaryName=storefront-probe (Average) '
        + 'before 2024-04-16 12:30 UTC, where only 5-minute data is kept: the alarms read that part of the range as missing');
    });

    test('a time-slice SLO on 2-minute slices reaching back beyond 15 days is not replayed: 5-minute data cannot give its datapoints', () => {
      const model = sloAlarmsFromTemplate(shopTemplate(withCanary), 'storefront', 'probe');
      const twoMinutes = { ...model, windowAlarms: model.windowAlarms.map((a) => ({ ...a, periodSeconds: 120 })) };
      const range = replayRange(new Date(T0), 14 * 1_440 + 20 * 60, warmUpMinutes([twoMinutes], 2));
      expect(resolutionProblem(model, range, 2)).toBeUndefined();
      expect(resolutionProblem(twoMinutes, range, 2)).toMatch(/^its alarm storefront-probe-ticket-1d-2h-long evaluates 2-minute datapoints over 9h \d+m before each evaluation/);
    });
  });

  describe('usage', () => {
    test.each([
      [['--since', '2w'], "--since must be a time back from now such as 14d, 36h or 1d12h; got '2w'"],
      [['--since', '30m'], "--since must be at least 1h"],
      [['--since', '64d'], '--since must be at most 63d'],
      [['--delay', '61'], "--delay must be a whole number of minutes from 0 to 60 (2, 0 or 3m); got '61'"],
    ])('%j exits 64', async (flags, message) => {
      const h = world();
      expect(await h.run('replay', shop, '--stack', 'Shop', ...flags)).toBe(64);
      expect(h.stderr()).toContain(message);
      expect(h.clientOptions).toEqual([]);
    });

    test('--stack is required', async () => {
      const h = world();
      expect(await h.run('replay', shop)).toBe(64);
      expect(h.stderr()).toContain('--stack');
    });

    test('an unknown service names the ones there are (exit 1)', async () => {
      const h = world();
      expect(await h.run('replay', shop, '--stack', 'Shop', '--service', 'checkuot')).toBe(1);
      expect(h.stderr()).toContain("no service 'checkuot' in stack Shop");
      expect(h.stderr()).toContain('checkout');
    });

    test('the stack is read only in its region', async () => {
      const h = world();
      givenDeployedShop(h, shop);
      expect(await h.run('replay', shop, '--stack', 'Shop', '--region', 'us-east-1')).toBe(1);
      expect(h.stderr()).toContain('stack Shop is deployed in eu-west-1 (its manifest says so), but --region is us-east-1');
    });
  });
});
