/**
 * `cdk-reliability simulate` through `run(argv, io)`, on a cloud assembly synthesized here once:
 * stack Shop (checkout: availability 99.9 % and latency 99 % under 300 ms; orders: an SLI whose bad
 * events are a metric-math expression; intake: a bad metric that is also one of two totals;
 * legacy: an SLI built with a metric-math function the simulator does not model) and two stages,
 * Prod and Staging, each with a stack Shop holding the service payments.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ReliableService, Sli } from '../../../lib';
import { slosInStack } from '../../../lib/cli/simulation/locate';
import { counts } from '../../service/helpers';
import { useHarness } from '../support/harness';

let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-'));
  const app = new App({ outdir });
  const shop = new Stack(app, 'Shop');
  const { errors, requests } = counts();
  new ReliableService(shop, 'Checkout', {
    serviceName: 'checkout',
    slos: [
      { name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: errors, total: requests }) },
      {
        name: 'latency',
        objective: 99,
        sli: Sli.latency({ metric: new Metric({ namespace: 'Shop', metricName: 'Latency' }), threshold: Duration.millis(300) }),
      },
    ],
  });
  const failures = new MathExpression({ expression: 'e1 + e2', usingMetrics: { e1: errors, e2: new Metric({ namespace: 'Shop', metricName: 'Timeouts' }) } });
  new ReliableService(shop, 'Orders', {
    serviceName: 'orders',
    slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: failures, total: requests }) }],
  });
  // rejected requests are counted by Rejected only: bad, and one of the two totals
  const accepted = new Metric({ namespace: 'Shop', metricName: 'Accepted' });
  const rejected = new Metric({ namespace: 'Shop', metricName: 'Rejected' });
  new ReliableService(shop, 'Intake', {
    serviceName: 'intake',
    slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: rejected, totalMetrics: [accepted, rejected] }) }],
  });
  const rate = new MathExpression({ expression: 'RATE(e1)', usingMetrics: { e1: errors } });
  new ReliableService(shop, 'Legacy', {
    serviceName: 'legacy',
    slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: rate, total: requests }) }],
  });
  for (const stage of ['Prod', 'Staging']) {
    const stack = new Stack(new Stage(app, stage), 'Shop');
    new ReliableService(stack, 'Payments', {
      serviceName: 'payments',
      slos: [{ name: 'availability', objective: 99.5, sli: Sli.ratio({ bad: errors, total: requests }), window: Duration.days(28) }],
    });
  }
  app.synth();
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const CHECKOUT = ['--service', 'checkout', '--slo', 'availability'];

describe('simulate: the incident on the synthesized alarms, beside the formulas', () => {
  const world = useHarness();

  test('2 % for 2 hours, metrics 2 min late: the 1h tier pages at 44 min (formula 43.2), the 6h tier holds the page until 142; no ticket', async () => {
    const h = world();
    const code = await h.run('simulate', outdir, ...CHECKOUT, '--error-rate', '2%', '--for', '2h');
    expect(h.stderr()).toBe('');
    expect(code).toBe(0);
    const out = h.stdout();
    expect(out).toContain('SLO checkout/availability (stack Shop): 99.9 % good over 30d, error budget 0.1 %');
    expect(out).toContain('Incident: 2 % errors for 2h from minute 0, healthy before and after; traffic 1000/min.');
    // the default length: the incident, the 3-day window, an hour; the default delay: 2 minutes
    expect(out).toMatch(/Simulated 4500 minutes \(3d 3h\) in \d+ ms, every alarm evaluated at the end of each minute on metrics that arrive 2 min late \(--delay 2\)\./);
    expect(out).toMatch(/^ {2}tier +burn rate +error ratio +fires at +formula +clears at +formula$/m);
    // the windows read 2 minutes less of the incident, but also 2 minutes less of the healthy time
    // before it: 43.2 + 2 x (1 - 1.44 / 2) = 43.8; clearing is 2 minutes later at most
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +44 min +43\.2 min +123 min +121\.4 min$/m);
    expect(out).toMatch(/^ {2}page 6h\/30m +6x +> 0\.6 % +110 min +108 min +142 min +141 min$/m);
    // the ticket tiers would need 216 minutes at 2 %: more than the incident
    expect(out).toMatch(/^ {2}ticket 1d\/2h +3x +> 0\.3 % +never +216 min \* +- +-$/m);
    expect(out).toContain('*: after the incident ended (at 120 min), so the tier does not fire');
    expect(out).toContain('at the end of each, metrics 2 min late); formulas (no delay)');
    expect(out).toMatch(/^ +44 {2}ALARM {2}checkout-availability-page +notifies$/m);
    expect(out).toMatch(/^ +142 {2}OK {5}checkout-availability-page +notifies$/m);
    expect(out.trimEnd().split('\n').pop()).toBe('Result: page at 44 min (OK at 142 min), ticket never.');
  });

  test('--delay 0, the formulas\' ideal: every tier within a minute after its formula', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CHECKOUT, '--error-rate', '2%', '--for', '2h', '--delay', '0')).toBe(0);
    const out = h.stdout();
    expect(out).toContain('every alarm evaluated at the end of each minute on metrics without delay (--delay 0, the formulas\' ideal).');
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +44 min +43\.2 min +122 min +121\.4 min$/m);
    expect(out).toMatch(/^ {2}page 6h\/30m +6x +> 0\.6 % +109 min +108 min +141 min +141 min$/m);
    expect(out.trimEnd().split('\n').pop()).toBe('Result: page at 44 min (OK at 141 min), ticket never.');
  });

  test('a 10-minute outage: pages when its first minute arrives (3), the ticket fires muted at 7 and is raised when the page clears (40 + 1 min extension)', async () => {
    const h = world();
    expect(await h.run('simulate', '--assembly', outdir, ...CHECKOUT, '--error-rate', '100%', '--for', '10m')).toBe(0);
    const out = h.stdout();
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +3 min +0\.9 min +15 min +14\.9 min$/m);
    expect(out).toMatch(/^ +7 {2}ALARM {2}checkout-availability-ticket +actions suppressed: checkout-availability-page is in ALARM$/m);
    expect(out).toMatch(/^ +40 {2}OK {5}checkout-availability-page +notifies$/m);
    expect(out).toMatch(/^ +41 {2}ALARM {2}checkout-availability-ticket +notifies: checkout-availability-page left ALARM 1 min ago \(extension period\)$/m);
    expect(out).toMatch(/^ +370 {2}OK {5}checkout-availability-ticket +waits 1 min for checkout-availability-page \(suppressor wait period\)$/m);
    expect(out).toMatch(/^ +371 {2}OK {5}checkout-availability-ticket +notifies$/m);
    expect(out).toContain('Result: page at 3 min (OK at 40 min), ticket at 7 min (muted while the page fired, raised at 41 min; OK at 370 min).');
  });

  test('0.5 % for a day never pages, tickets at 865 min (formula 864: 14.4 h) and notifies after the 1-min wait', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CHECKOUT, '--error-rate', '0.005', '--for', '1d')).toBe(0);
    const out = h.stdout();
    // clears 2h x (1 - 0.3 / 0.5) = 48 min after the incident's end, 3d/6h tier 6h x (1 - 0.1 / 0.5) = 288 min after,
    // each up to 2 minutes later with the delay
    expect(out).toMatch(/^ {2}ticket 1d\/2h +3x +> 0\.3 % +865 min \(14\.4 h\) +864 min \(14\.4 h\) +1490 min \(24\.8 h\) +1488 min \(24\.8 h\)$/m);
    expect(out).toMatch(/^ {2}ticket 3d\/6h +1x +> 0\.1 % +866 min \(14\.4 h\) +864 min \(14\.4 h\) +1729 min \(28\.8 h\) +1728 min \(28\.8 h\)$/m);
    expect(out).toMatch(/^ +865 {2}ALARM {2}checkout-availability-ticket +waits 1 min for checkout-availability-page \(suppressor wait period\)$/m);
    expect(out).toMatch(/^ +866 {2}ALARM {2}checkout-availability-ticket +notifies$/m);
    expect(out).toContain('Result: page never, ticket at 865 min (OK at 1729 min).');
  });

  test.each([
    ['0.08 % errors, inside the budget', ['--error-rate', '0.08%', '--for', '3d']],
    ['no traffic', ['--error-rate', '100%', '--for', '1d', '--traffic', '0']],
  ])('%s: never alerts', async (_, flags) => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CHECKOUT, ...flags)).toBe(0);
    expect(h.stdout()).toContain('no alarm changed state');
    expect(h.stdout().trimEnd().split('\n').pop()).toBe('Result: never alerts.');
  });

  test('traffic in other units, a baseline, and a shorter run with --after: still in ALARM at the end', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CHECKOUT, '--error-rate', '5%', '--for', '3h', '--traffic', '50/s',
      '--baseline', '0.01%', '--after', '90m')).toBe(0);
    const out = h.stdout();
    expect(out).toContain('Incident: 5 % errors for 3h from minute 0, 0.01 % before and after; traffic 3000/min.');
    expect(out).toContain('Simulated 90 minutes (1h 30m)');
    expect(out).toContain('n/a: the formula assumes no errors before the incident');
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +19 min +n\/a +not by 90 min +-$/m);
    expect(out).toContain('still in ALARM when the simulation ended at 90: checkout-availability-page, checkout-availability-ticket '
      + '(raise --minutes or --after)');
    expect(out).toContain('Result: page at 19 min (still in ALARM at the end), ticket at 80 min (muted by the page until the end).');
  });

  test('a latency SLI: the error rate is the share of requests slower than the threshold', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'checkout', '--slo', 'latency', '--error-rate', '20%', '--for', '1h', '--minutes', '120')).toBe(0);
    const out = h.stdout();
    expect(out).toContain('SLO checkout/latency (stack Shop): 99 % good over 30d, error budget 1 %');
    expect(out).toContain('Incident: 20 % of requests slower than 300 (the latency SLI counts TC(:300) as good) for 1h');
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 14\.4 % +44 min +43\.2 min +63 min +61\.4 min$/m);
  });

  test('--json: the same, with times in minutes and null for never', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CHECKOUT, '--error-rate', '2%', '--for', '2h', '--json')).toBe(0);
    const json = JSON.parse(h.stdout());
    expect(json).toMatchObject({
      stack: { name: 'Shop', path: 'Shop', artifactId: 'Shop' },
      service: 'checkout',
      slo: 'availability',
      objective: 99.9,
      window: '30d',
      errorBudget: 0.001,
      scenario: { errorRate: 0.02, durationMinutes: 120, eventsPerMinute: 1000, baselineErrorRate: 0, minutes: 4500, delayMinutes: 2 },
      summary: 'page at 44 min (OK at 142 min), ticket never',
    });
    expect(json.tiers[0]).toMatchObject({
      id: 'page-1h-5m',
      burnRate: 14.4,
      errorRatioThreshold: 0.0144,
      alarmNames: { long: 'checkout-availability-page-1h-5m-long', short: 'checkout-availability-page-1h-5m-short' },
      firesAt: 44,
      clearsAt: 123,
      formula: { firesAt: 43.2, afterIncident: false, clearsAt: 121.4, note: null },
    });
    expect(json.tiers[2]).toMatchObject({ firesAt: null, clearsAt: null, formula: { firesAt: 216, afterIncident: true } });
    expect(json.composites).toEqual([
      expect.objectContaining({
        name: 'checkout-availability-page',
        firesAt: 44,
        clearsAt: 142,
        notifications: [{ minute: 44, state: 'ALARM', afterSuppression: false }, { minute: 142, state: 'OK', afterSuppression: false }],
      }),
      expect.objectContaining({ name: 'checkout-availability-ticket', firesAt: null, notifications: [] }),
    ]);
    expect(json.transitions[0]).toEqual({ minute: 5, alarm: 'checkout-availability-page-1h-5m-short', state: 'ALARM' });
  });

  test('a service in a stage: --stack picks one of the stacks that hold it (28 days at 99.5 %)', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'payments', '--slo', 'availability', '--error-rate', '10%', '--for', '1h',
      '--stack', 'Prod/Shop')).toBe(0);
    expect(h.stdout()).toContain('SLO payments/availability (stack Prod/Shop (stack name Prod-Shop)): 99.5 % good over 28d, error budget 0.5 %');
    // 13.44x at 99.5 %: 6.72 % of errors; 10 % reach it after 0.0672 / 0.1 x 60 = 40.3 min
    expect(h.stdout()).toMatch(/^ {2}page 1h\/5m +13\.44x +> 6\.72 % +41 min +40\.3 min/m);
  });
});

describe('simulate: SLIs of several metrics', () => {
  const world = useHarness();

  test('a bad metric that is also one of several totals: a 100 % outage pages (it said "never alerts" when only bad0 carried errors)', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'intake', '--slo', 'availability', '--error-rate', '100%', '--for', '30m')).toBe(0);
    const out = h.stdout();
    // every request is rejected: Rejected counts them all, Accepted none
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +3 min +0\.9 min +/m);
    expect(out).toContain('Result: page at 3 min (OK at 60 min), ticket at 7 min (muted while the page fired, raised at 61 min; OK at 390 min).');
  });

  test('bad events from a math expression inside the SLI (e1 + e2) are simulated through its metrics', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'orders', '--slo', 'availability', '--error-rate', '2%', '--for', '2h')).toBe(0);
    expect(h.stdout()).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +44 min +43\.2 min +123 min +121\.4 min$/m);
    expect(h.stdout()).toContain('Result: page at 44 min (OK at 142 min), ticket never.');
  });
});

describe('simulate: what it cannot find or simulate exits 1 and says what there is', () => {
  const world = useHarness();
  const RATE = ['--error-rate', '2%', '--for', '1h'];

  test.each<[string, string[], string]>([
    ['an unknown service lists the services and SLOs', ['--service', 'chekout', '--slo', 'availability'],
      "no service 'chekout' in the cloud assembly OUT (did you mean checkout?); services and SLOs there: "
        + 'payments (availability) in Prod/Shop (stack name Prod-Shop); payments (availability) in Staging/Shop (stack name Staging-Shop); '
        + 'checkout (availability, latency) in Shop; orders (availability) in Shop; intake (availability) in Shop; legacy (availability) in Shop'],
    ['an unknown SLO lists the service\'s SLOs', ['--service', 'checkout', '--slo', 'availabilty'],
      "service 'checkout' has no SLO 'availabilty' in the cloud assembly OUT (did you mean availability?); its SLOs: availability, latency"],
    ['a service in several stacks asks for --stack', ['--service', 'payments', '--slo', 'availability'],
      '2 stacks hold the SLO payments/availability: Prod/Shop (stack name Prod-Shop) and Staging/Shop (stack name Staging-Shop); '
        + 'pass --stack <name> (e.g. --stack Prod/Shop)'],
    ['an unknown stack lists the stacks', ['--service', 'checkout', '--slo', 'availability', '--stack', 'Nope'],
      "no stack 'Nope' in the cloud assembly OUT; stacks there: Prod/Shop (stack name Prod-Shop), Staging/Shop (stack name Staging-Shop), Shop"],
    ['a service that is not in the given stack', ['--service', 'checkout', '--slo', 'availability', '--stack', 'Prod/Shop'],
      "no service 'checkout' in stack Prod/Shop (stack name Prod-Shop); services and SLOs there: payments (availability) in Prod/Shop (stack name Prod-Shop)"],
    ['an SLI built with a metric-math function the simulator does not model names it', ['--service', 'legacy', '--slo', 'availability'],
      'cannot simulate legacy/availability: alarm legacy-availability-page-1h-5m-long: bad0 is the math expression `RATE(e1)`, '
        + 'which the simulator cannot read: metric math: function RATE is not supported by the simulator'],
  ])('%s', async (_, flags, message) => {
    const h = world();
    expect(await h.run('simulate', outdir, ...flags, ...RATE)).toBe(1);
    expect(h.stderr()).toBe(`error: ${message.replace(/OUT/g, outdir)}\n`);
    expect(h.stdout()).toBe('');
  });

  test('a missing assembly says to run cdk synth', async () => {
    const h = world();
    const missing = path.join(outdir, 'nowhere');
    expect(await h.run('simulate', missing, ...CHECKOUT, ...RATE)).toBe(1);
    expect(h.stderr()).toContain(`error: no cloud assembly in ${missing} (no manifest.json): run \`cdk synth\` first`);
  });
});

describe('simulate: where it learns what an SLO is', () => {
  // an assembly directory without a reliability manifest beside the template
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-locate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stack = { artifactId: 'Shop', displayName: 'Shop', stackName: 'Shop', templateFile: path.join(dir, 'Shop.template.json') };
  const composite = (name: string, tags?: Record<string, string>) => ({
    Type: 'AWS::CloudWatch::CompositeAlarm',
    Properties: { AlarmName: name, ...(tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}) },
  });

  test('without a manifest, from the tags the escalation wiring puts on the composites', () => {
    const tags = { 'cdk-reliability:service': 'order-api', 'cdk-reliability:slo': 'availability', 'cdk-reliability:objective': '99.9', 'cdk-reliability:window': '30d' };
    expect(slosInStack(stack, { Resources: { P: composite('order-api-availability-page', tags) } })).toEqual([
      { service: 'order-api', slo: 'availability', objective: 99.9, window: '30d', alarms: ['order-api-availability-page'] },
    ]);
  });

  test('without a manifest or tags, from the composites\' names (a dash is read as the service/SLO separator)', () => {
    expect(slosInStack(stack, { Resources: { P: composite('checkout-availability-page'), T: composite('checkout-availability-ticket') } })).toEqual([
      { service: 'checkout', slo: 'availability', alarms: ['checkout-availability-page', 'checkout-availability-ticket'] },
    ]);
  });
});

describe('packaging', () => {
  test('the command and the simulator load nothing from aws-cdk-lib or constructs (the CLI starts fast)', () => {
    const root = path.join(__dirname, '..', '..', '..');
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) {
        return;
      }
      seen.add(file);
      const source = fs.readFileSync(file, 'utf8');
      for (const m of source.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
        const target = m[1];
        if (/^(aws-cdk-lib|constructs)(\/|$)/.test(target)) {
          offending.push(`${path.relative(root, file)} imports ${target}`);
        } else if (target.startsWith('.')) {
          const resolved = path.resolve(path.dirname(file), target);
          visit(fs.existsSync(`${resolved}.ts`) ? `${resolved}.ts` : path.join(resolved, 'index.ts'));
        }
      }
    };
    visit(path.join(root, 'lib', 'cli', 'commands', 'simulate.ts'));
    expect(seen.has(path.join(root, 'lib', 'simulation', 'simulator.ts'))).toBe(true);
    expect(offending).toEqual([]);
  });
});
