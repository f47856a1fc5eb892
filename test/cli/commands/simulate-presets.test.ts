/**
 * `cdk-reliability simulate` through `run(argv, io)` on two presets whose metrics are not plain
 * counts, synthesized here once in a us-east-1 stack: a CloudFront distribution
 * (`Sli.distributionAvailability`: `5xxErrorRate` Average × `Requests` Sum / 100) and a canary
 * running every 5 minutes (`Sli.canarySuccess`: `SuccessPercent` Average, 5-minute slices).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { ReliableService, Sli } from '../../../lib';
import { useHarness } from '../support/harness';

let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-presets-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Edge', { env: { account: '111111111111', region: 'us-east-1' } });
  const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } });
  const canary = new synthetics.Canary(stack, 'Probe', {
    schedule: synthetics.Schedule.rate(Duration.minutes(5)),
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
    test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
  });
  new ReliableService(stack, 'Storefront', {
    serviceName: 'storefront',
    slos: [
      { name: 'edge', objective: 99.9, sli: Sli.distributionAvailability(distribution) },
      { name: 'probe', objective: 99, sli: Sli.canarySuccess(canary) },
    ],
  });
  app.synth();
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const lastLine = (out: string) => out.trimEnd().split('\n').pop();

describe('simulate: Sli.distributionAvailability (a rate times the requests)', () => {
  const world = useHarness();

  test('5 % of requests failing for 1 h pages at 19 (the hour\'s mean rate over the 1h tier\'s 1.44 %) and clears at 87', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'storefront', '--slo', 'edge', '--error-rate', '5%', '--for', '1h')).toBe(0);
    expect(h.stderr()).toBe('');
    expect(lastLine(h.stdout())).toBe('Result: page at 19 min (OK at 87 min), ticket never.');
  });

  test('a full outage of 20 minutes pages at 3', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'storefront', '--slo', 'edge', '--error-rate', '100%', '--for', '20m')).toBe(0);
    expect(lastLine(h.stdout())).toMatch(/^Result: page at 3 min \(OK at 50 min\)/);
  });
});

describe('simulate: Sli.canarySuccess (5-minute slices, 99 %)', () => {
  const world = useHarness();

  test('the canary failing for 30 minutes pages at 6 (2 of 12 slices on the 1h tier) and clears at 60, after it recovers', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'storefront', '--slo', 'probe', '--error-rate', '100%', '--for', '30m', '--value', '0')).toBe(0);
    expect(h.stderr()).toBe('');
    expect(h.stdout()).toMatch(/^ {2}page 1h\/5m +>= 2 of 12 \/ >= 1 of 1 /m);
    // the first failed run shows at 3 (2 min late); the second, 5 minutes on, makes 2 of 12 at 6; the
    // last (minute 25) leaves the 6h tier's 30-minute short window at 60
    expect(lastLine(h.stdout())).toBe('Result: page at 6 min (OK at 60 min), ticket never.');
  });

  test('the canary that stops running for 1 h (--value missing) pages at 20: a slice without a run is bad', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, '--service', 'storefront', '--slo', 'probe', '--error-rate', '100%', '--for', '1h', '--value', 'missing')).toBe(0);
    // the short window's evaluation range (3 slices) empties at 15, the 1h window misses 2 of 12 slices at 20
    expect(lastLine(h.stdout())).toBe('Result: page at 20 min (OK at 86 min), ticket at 55 min (muted while the page fired, raised at 87 min; OK at 176 min).');
  });
});
