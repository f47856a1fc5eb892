/**
 * `budget`: the error-budget gate, against a fake CloudWatch behind the SDK client stub. The
 * numbers are checked against hand computation (T0 = 2024-05-01 12:00 UTC; 30 days = 43,200 minutes).
 */
import { useHarness } from '../support/harness';
import { checkoutTraffic, constant, DAY, during, givenProd, givenShop, HOUR, MINUTE, prodFile, SEARCH_FUNCTION, searchTraffic, SHOP_ASSEMBLY, T0 } from '../budget/scenario';

/** Checkout: 100 requests a minute; a 6-hour incident 10 days ago at 2 errors a minute; latency 99.5 % fast. */
const HEALTHY = {
  errors: during(T0 - 10 * DAY, T0 - 10 * DAY + 6 * HOUR, 2),
  latencySamples: constant(100),
  fastSamples: constant(99.5),
};

interface JsonBudget {
  service: string;
  slo: string;
  status: string;
  reason?: string;
  badEvents: number | null;
  totalEvents: number | null;
  sliPercent: number | null;
  budgetRemainingPercent: number | null;
  exhausted: boolean;
  windowStart: string | null;
  windowEnd: string | null;
  burnRates: Array<{ window: string; burnRate: number; badEvents: number; totalEvents: number; noTraffic: boolean; threshold: number; overThreshold: boolean }>;
  tiers: Array<{ id: string; firing: boolean }>;
}

function parseJson(stdout: string): { verdict: string; exitCode: number; message: string; region: string; slos: JsonBudget[]; notes: string[]; alertWindowsEnd: string } {
  return JSON.parse(stdout);
}

describe('budget: the gate', () => {
  const world = useHarness();

  test('healthy budgets exit 0, with the SLI, the budget left and the burn rates of every alert window', async () => {
    // GIVEN availability: 720 bad of 4,320,000 (a 6 h incident at 2/min), so 1/6,000 of the events
    // failed: SLI 99.98333 %, 1/6 of the 0.1 % budget spent, 83.333 % left, nothing burning now.
    // Latency: 0.5 of 100 samples a minute are slow: SLI 99.5 %, half the 1 % budget left, 0.5x everywhere.
    const h = world();
    const file = prodFile();
    checkoutTraffic(givenProd(h, file), HEALTHY);

    // WHEN
    const code = await h.run('budget', file, '--stack', 'Prod-Shop');

    // THEN
    expect(code).toBe(0);
    expect(h.stdout()).toBe([
      'Error budgets of stack Prod-Shop (Prod/Shop) in eu-west-1',
      'Budgets over each SLO window to 2024-05-01 12:00:00 UTC; burn rates to 2024-05-01 12:00:00 UTC. A burn rate of 1x spends the budget in exactly the SLO window.',
      '',
      'checkout',
      '  SLO           objective  window  SLI       budget left  burn rate by alert window',
      '  availability  99.9 %     30d     99.983 %  83.3 %       1h 0.0x · 5m 0.0x · 6h 0.0x · 30m 0.0x · 1d 0.0x · 2h 0.0x · 3d 0.0x',
      '  latency       99 %       30d     99.50 %   50.0 %       1h 0.5x · 5m 0.5x · 6h 0.5x · 30m 0.5x · 1d 0.5x · 2h 0.5x · 3d 0.5x',
      '',
      'PASS: every error budget is above 0 % (lowest: checkout/latency, 50.0 % left).',
      '',
    ].join('\n'));
    expect(h.stderr()).toBe('');
  });

  test('--json gives the exact numbers, the windows read and the verdict', async () => {
    const h = world();
    const file = prodFile();
    checkoutTraffic(givenProd(h, file), HEALTHY);

    expect(await h.run('budget', file, '--stack', 'Prod/Shop', '--json')).toBe(0);

    const json = parseJson(h.stdout());
    expect(json.verdict).toBe('pass');
    expect(json.exitCode).toBe(0);
    expect(json.region).toBe('eu-west-1');
    expect(json.alertWindowsEnd).toBe('2024-05-01T12:00:00.000Z');
    const [availability, latency] = json.slos;
    expect(availability).toMatchObject({
      service: 'checkout',
      slo: 'availability',
      status: 'ok',
      badEvents: 720,
      totalEvents: 4_320_000,
      exhausted: false,
      windowStart: '2024-04-01T12:00:00.000Z',
      windowEnd: '2024-05-01T12:00:00.000Z',
    });
    expect(availability.sliPercent).toBeCloseTo(100 * (1 - 1 / 6000), 10);
    expect(availability.budgetRemainingPercent).toBeCloseTo(250 / 3, 10);
    expect(availability.burnRates.map((b) => b.window)).toEqual(['1h', '5m', '6h', '30m', '1d', '2h', '3d']);
    expect(availability.burnRates.map((b) => b.threshold)).toEqual([14.4, 14.4, 1, 6, 3, 3, 1]); // 6h: tier 2's long (6x) and tier 4's short (1x)
    expect(latency.sliPercent).toBeCloseTo(99.5, 10);
    expect(latency.budgetRemainingPercent).toBeCloseTo(50, 10);
    expect(latency.burnRates.find((b) => b.window === '1h')).toMatchObject({ badEvents: 30, totalEvents: 6000, noTraffic: false });
    expect(latency.burnRates.every((b) => Math.abs(b.burnRate - 0.5) < 1e-9)).toBe(true);
    expect(h.stderr()).toBe('');
  });

  test('an overspent budget exits 2: budget exhausted, freeze feature deploys', async () => {
    // GIVEN 0.2 errors per 100 requests all month: error ratio 0.2 %, twice the budget: -100 % left, 2x everywhere
    const h = world();
    const file = prodFile();
    checkoutTraffic(givenProd(h, file), { errors: constant(0.2), latencySamples: constant(100) });

    const code = await h.run('budget', file, '--stack', 'Prod-Shop');

    expect(code).toBe(2);
    const out = h.stdout();
    expect(out).toContain('  availability  99.9 %     30d     99.800 %  -100.0 % (exhausted)  '
      + '1h 2.0x · 5m 2.0x · 6h 2.0x (>1x) · 30m 2.0x · 1d 2.0x · 2h 2.0x · 3d 2.0x (>1x)\n');
    expect(out).toContain('    - availability: tier ticket-3d-6h (ticket) is over its threshold: 3d 2.0x and 6h 2.0x, both above 1x\n');
    expect(out).toContain('  latency       99 %       30d     100.00 %  100.0 %');
    expect(out.trimEnd().split('\n').pop()).toBe('FAIL: budget exhausted: freeze feature deploys. '
      + 'checkout/availability has -100.0 % of its error budget left (the gate needs more than 0 %).');
  });

  test('a budget spent to exactly 0 % fails the default gate', async () => {
    // 1 error per 1,000 requests: the error ratio is the budget (0.1 %): 0 % left
    const h = world();
    const file = prodFile();
    checkoutTraffic(givenProd(h, file), { requests: constant(1000), errors: constant(1), latencySamples: constant(100) });

    expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--slo', 'availability', '--json')).toBe(2);
    const [availability] = parseJson(h.stdout()).slos;
    expect(availability.budgetRemainingPercent).toBe(0);
    expect(availability.exhausted).toBe(true);
  });

  describe('--min-remaining', () => {
    // 8 errors every 10 minutes in 10,000 requests: error ratio 0.08 %, 80 % of the budget spent, 20 % left
    const traffic = { requests: constant(1000), errors: (t: number) => (t % (10 * MINUTE) === 0 ? 8 : 0), latencySamples: constant(100) };

    test.each([
      [[], 0, 'PASS: every error budget is above 0 % (lowest: checkout/availability, 20.0 % left).'],
      [['--min-remaining', '15%'], 0, 'PASS: every error budget is above 15 % (lowest: checkout/availability, 20.0 % left).'],
      [['--min-remaining', '25%'], 2, 'FAIL: budget exhausted: freeze feature deploys. checkout/availability has 20.0 % of its error budget left (the gate needs more than 25 %).'],
      [['--min-remaining=25'], 2, 'FAIL: budget exhausted: freeze feature deploys. checkout/availability has 20.0 % of its error budget left (the gate needs more than 25 %).'],
      [['--min-remaining', '20'], 2, 'FAIL: budget exhausted: freeze feature deploys. checkout/availability has 20.0 % of its error budget left (the gate needs more than 20 %).'],
    ])('%j exits %i', async (flags, expected, verdict) => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), traffic);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', ...flags)).toBe(expected);
      expect(h.stdout().trimEnd().split('\n').pop()).toBe(verdict);
    });
  });

  test('burn rates per alert window: an hour at 2 % errors burns 20x over 1h, 5m and 30m and pages', async () => {
    // 120 bad events in the last hour at 100 requests a minute. Windows: 1h 120/6,000 = 2 % -> 20x;
    // 5m 10/500 -> 20x; 30m 60/3,000 -> 20x; 2h 120/12,000 -> 10x; 6h 120/36,000 -> 3.33x;
    // 1d 120/144,000 -> 0.83x; 3d 120/432,000 -> 0.28x. Budget: 120/4,320,000 = 2.78 % spent.
    const h = world();
    const file = prodFile();
    checkoutTraffic(givenProd(h, file), { errors: during(T0 - HOUR, T0, 2), latencySamples: constant(100) });

    expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--slo', 'availability')).toBe(0);
    const out = h.stdout();
    expect(out).toContain('  availability  99.9 %     30d     99.997 %  97.2 %       '
      + '1h 20.0x (>14.4x) · 5m 20.0x (>14.4x) · 6h 3.3x (>1x) · 30m 20.0x (>6x) · 1d 0.8x · 2h 10.0x (>3x) · 3d 0.3x\n');
    expect(out).toContain('    - availability: tier page-1h-5m (page) is over its threshold: 1h 20.0x and 5m 20.0x, both above 14.4x\n');
    expect(out).not.toContain('tier page-6h-30m'); // 6h is at 3.3x, under 6x
    expect(out).toContain('(>Nx): above the burn-rate threshold of a tier that uses the window');
  });

  test('burn rates per alert window, exactly, and which tiers fire (--json)', async () => {
    const h = world();
    const file = prodFile();
    checkoutTraffic(givenProd(h, file), { errors: during(T0 - HOUR, T0, 2), latencySamples: constant(100) });

    expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--slo', 'availability', '--json')).toBe(0);
    const [availability] = parseJson(h.stdout()).slos;
    const rates = Object.fromEntries(availability.burnRates.map((b) => [b.window, b.burnRate]));
    expect(rates['1h']).toBeCloseTo(20, 9);
    expect(rates['5m']).toBeCloseTo(20, 9);
    expect(rates['30m']).toBeCloseTo(20, 9);
    expect(rates['2h']).toBeCloseTo(10, 9);
    expect(rates['6h']).toBeCloseTo(10 / 3, 9);
    expect(rates['1d']).toBeCloseTo(5 / 6, 9);
    expect(rates['3d']).toBeCloseTo(5 / 18, 9);
    expect(availability.tiers.map((t) => [t.id, t.firing])).toEqual([
      ['page-1h-5m', true], ['page-6h-30m', false], ['ticket-1d-2h', false], ['ticket-3d-6h', false],
    ]);
    expect(availability.budgetRemainingPercent).toBeCloseTo(100 * (1 - 120 / 4_320_000 / 0.001), 9);
  });

  describe('missing data', () => {
    test('an SLO whose metrics have no datapoint reads "no data" and is not gated', async () => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), { errors: HEALTHY.errors }); // no latency metrics at all

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);
      const out = h.stdout();
      expect(out).toContain('  latency       99 %       30d     no data   no data      no data\n');
      expect(out).toContain('    - latency: no datapoint of AWS/ApiGateway Latency ApiName=checkout,Stage=prod in eu-west-1 in the last 30d; not gated\n');
      expect(out.trimEnd().split('\n').pop()).toBe('PASS: the error budget of checkout/availability is above 0 % (83.3 % left). '
        + 'Not gated, no data: checkout/latency (--fail-on-missing-data fails on them).');
    });

    test('--fail-on-missing-data makes it exit 2', async () => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file));

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--fail-on-missing-data')).toBe(2);
      expect(h.stdout()).toContain('    - latency: no datapoint of AWS/ApiGateway Latency ApiName=checkout,Stage=prod in eu-west-1 in the last 30d; '
        + 'fails the gate (--fail-on-missing-data)\n');
      expect(h.stdout().trimEnd().split('\n').pop()).toBe('FAIL: no data for checkout/latency (--fail-on-missing-data): '
        + 'the gate cannot tell how much of the budget is left.');
    });

    test('no data anywhere passes, saying there was nothing to gate on', async () => {
      const h = world();
      const file = prodFile();
      givenProd(h, file);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--json')).toBe(0);
      const json = parseJson(h.stdout());
      expect(json.slos.map((s) => [s.status, s.sliPercent, s.budgetRemainingPercent, s.exhausted])).toEqual([
        ['no-data', null, null, false], ['no-data', null, null, false],
      ]);
      expect(json.message).toBe('PASS: no SLO has data to gate on. Not gated, no data: checkout/availability and checkout/latency '
        + '(--fail-on-missing-data fails on them).');
    });
  });

  describe('zero traffic', () => {
    test('no event in the window: SLI no data, the budget unchanged, burn rates 0', async () => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), { requests: constant(0), errors: constant(0), latencySamples: constant(100) });

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--slo', 'availability')).toBe(0);
      const out = h.stdout();
      expect(out).toContain('  availability  99.9 %     30d     no data  100.0 % (unchanged)  no traffic in any alert window (burn rates 0x)\n');
      expect(out).toContain('    - availability: no events in the last 30d: the SLI has no data and the budget is unchanged\n');
      expect(out.trimEnd().split('\n').pop()).toBe('PASS: the error budget of checkout/availability is above 0 % (100.0 % left).');
    });

    test('alert windows without events burn 0x and say so', async () => {
      // traffic stopped 2 hours ago, after an hour at 1 % errors (60 of 6,000): 1h, 5m, 30m and 2h saw no event;
      // 6h: 60/24,000 -> 2.5x; 1d: 60/132,000 -> 0.45x; 3d: 60/420,000 -> 0.14x
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), { requests: during(0, T0 - 2 * HOUR, 100), errors: during(T0 - 3 * HOUR, T0 - 2 * HOUR, 1) });

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--slo', 'availability', '--json')).toBe(0);
      const [availability] = parseJson(h.stdout()).slos;
      expect(availability.burnRates.map((b) => [b.window, b.noTraffic, Number(b.burnRate.toFixed(4))])).toEqual([
        ['1h', true, 0], ['5m', true, 0], ['6h', false, 2.5], ['30m', true, 0], ['1d', false, 0.4545], ['2h', true, 0], ['3d', false, 0.1429],
      ]);
    });

    test('alert windows without events are marked in the table', async () => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), { requests: during(0, T0 - 2 * HOUR, 100), errors: during(T0 - 3 * HOUR, T0 - 2 * HOUR, 1) });
      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--slo', 'availability')).toBe(0);
      expect(h.stdout()).toContain('1h 0.0x (no traffic) · 5m 0.0x (no traffic) · 6h 2.5x (>1x) · 30m 0.0x (no traffic) · 1d 0.5x · '
        + '2h 0.0x (no traffic) · 3d 0.1x\n');
    });
  });

  describe('which SLOs', () => {
    test('--service and --slo narrow the SLOs read', async () => {
      const h = world();
      const fake = givenShop(h);
      checkoutTraffic(fake, HEALTHY);

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop', '--service', 'checkout', '--slo', 'latency', '--json')).toBe(0);
      expect(parseJson(h.stdout()).slos.map((s) => `${s.service}/${s.slo}`)).toEqual(['checkout/latency']);
      expect(fake.requests.flatMap((r) => r.MetricDataQueries!.map((q) => q.Label))).not.toContain('checkout/availability total events');
    });

    test('deploy-time dimensions (a generated function name) are read from the deployed alarms', async () => {
      // search: 50 invocations a minute, 5 errors a minute in the last hour: 10 % errors, 20x the 0.5 % budget
      const h = world();
      const fake = givenShop(h);
      searchTraffic(fake, constant(50), during(T0 - HOUR, T0, 5));

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop', '--service', 'search', '--slo', 'availability')).toBe(0);
      expect(h.stdout()).toContain('  availability  99.5 %     30d     99.986 %  97.2 %       1h 20.0x (>14.4x) · 5m 20.0x (>14.4x) · 6h 3.3x · 30m 20.0x (>6x)\n');
      const functionNames = fake.requests.flatMap((r) => r.MetricDataQueries!)
        .flatMap((q) => q.MetricStat?.Metric?.Dimensions ?? []).map((d) => d.Value);
      expect(new Set(functionNames)).toEqual(new Set([SEARCH_FUNCTION]));
      expect(fake.alarmRequests[0].AlarmNames).toEqual([
        'search-availability-page-1h-5m-long', 'search-availability-page-1h-5m-short',
        'search-availability-page-6h-30m-long', 'search-availability-page-6h-30m-short',
      ]);
    });

    test('none of the alarms exist where it reads (not deployed, or another account\'s credentials): exits 1, never a PASS on no data', async () => {
      const h = world();
      const fake = givenShop(h, false);
      checkoutTraffic(fake, HEALTHY);

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop')).toBe(1);
      expect(h.stderr()).toContain('none of these SLOs\' alarms exist in eu-west-1: the stack is not deployed here yet, or the credentials are for another '
        + 'region or account (check --profile and --region). The budget cannot be judged; for the first deployment of a stage, pass --allow-undeployed');
      expect(h.stdout()).not.toContain('PASS');
    });

    test('--allow-undeployed (a stage\'s first deployment): SLOs with deploy-time values have no data, and a note says why', async () => {
      const h = world();
      const fake = givenShop(h, false);
      checkoutTraffic(fake, HEALTHY);

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop', '--allow-undeployed')).toBe(0);
      const out = h.stdout();
      expect(out).toContain('    - availability: its metrics name values known only once deployed (FunctionName=${SearchHandler00CE2B50}), '
        + 'and none of its alarms (search-availability-page-1h-5m-long, …) exist in eu-west-1: not deployed yet, or deployed in another '
        + 'region or account; not gated\n');
      expect(out).toContain('None of these SLOs\' alarms exist in eu-west-1: the stack is not deployed here yet, or it is deployed in '
        + 'another region or account (check --profile and --region).\n');
      expect(out).toContain('  availability  99.9 %     30d     99.983 %  83.3 %'); // checkout's metrics are named in full: read anyway
    });

    test('an SLO added since the last deploy has no data and says its alarms do not exist yet', async () => {
      const h = world();
      const file = prodFile((m) => {
        m.services[0].slos[1].tiers.forEach((t) => {
          t.alarmNames = { long: `new-${t.alarmNames.long}`, short: `new-${t.alarmNames.short}` };
        });
      });
      const fake = givenProd(h, file);
      fake.alarms.splice(0, fake.alarms.length, ...fake.alarms.filter((a) => !a.AlarmName!.startsWith('new-')));
      checkoutTraffic(fake);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);
      expect(h.stdout()).toContain('    - latency: no datapoint of AWS/ApiGateway Latency ApiName=checkout,Stage=prod in eu-west-1 in the last 30d, '
        + 'and none of its alarms exist there: not deployed yet?; not gated\n');
    });
  });
});
