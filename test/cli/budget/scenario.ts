/**
 * The sample app's SLO metrics as a fake CloudWatch serves them, for `budget` tests: traffic and
 * errors per minute, relative to the harness clock (T0 = 2024-05-01 12:00 UTC).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReliabilityManifest } from '../../../lib/manifest/schema';
import { MutableManifest, prod, shop, SHOP_ASSEMBLY, slo } from '../../review/support/manifests';
import { Harness, T0 } from '../support/harness';
import { FakeCloudWatch } from './fake-cloudwatch';

export { SHOP_ASSEMBLY, T0 };

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Per-minute values: `rate` every minute (from long before the SLO window). */
export const constant = (rate: number) => (): number => rate;

/** `rate` in [from, to) (ms), `otherwise` outside it. */
export function during(from: number, to: number, rate: number, otherwise = 0): (t: number) => number {
  return (t) => (t >= from && t < to ? rate : otherwise);
}

const API = { ApiName: 'checkout', Stage: 'prod' };

/** The checkout service's metrics (REST API `checkout`, stage `prod`). */
export interface CheckoutTraffic {
  /** Requests per minute. @default 100 */
  readonly requests?: (t: number) => number | undefined;
  /** 5XX per minute. @default none */
  readonly errors?: (t: number) => number | undefined;
  /** Latency samples per minute; undefined: the latency metrics do not exist. @default none */
  readonly latencySamples?: (t: number) => number | undefined;
  /** Samples at or under 300 ms per minute. @default every sample */
  readonly fastSamples?: (t: number) => number | undefined;
}

export function checkoutTraffic(fake: FakeCloudWatch, traffic: CheckoutTraffic = {}): FakeCloudWatch {
  fake.define({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: API, statistic: 'Sum', perMinute: traffic.requests ?? constant(100) });
  fake.define({ namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: API, statistic: 'Sum', perMinute: traffic.errors ?? constant(0) });
  if (traffic.latencySamples) {
    fake.define({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: API, statistic: 'SampleCount', perMinute: traffic.latencySamples });
    fake.define({
      namespace: 'AWS/ApiGateway',
      metricName: 'Latency',
      dimensions: API,
      statistic: 'TC(:300)',
      perMinute: traffic.fastSamples ?? traffic.latencySamples,
    });
  }
  return fake;
}

/** The generated name of the search function, as deployed. */
export const SEARCH_FUNCTION = 'Shop-SearchHandler00CE2B50-Ab12Cd34Ef56';
/** Deploy-time values of the sample app's Shop stack. */
export const SHOP_DEPLOYED_VALUES = {
  '${SearchHandler00CE2B50}': SEARCH_FUNCTION,
  '${SearchApi2D039D25}': 'a1b2c3d4e5',
  '${FulfilmentWorkflow30B5DEC9}': 'arn:aws:states:eu-west-1:111122223333:stateMachine:FulfilmentWorkflow-x1y2',
};

/** The search function's Lambda metrics. */
export function searchTraffic(fake: FakeCloudWatch, invocations: (t: number) => number, errors: (t: number) => number): FakeCloudWatch {
  const dimensions = { FunctionName: SEARCH_FUNCTION };
  fake.define({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions, statistic: 'Sum', perMinute: invocations });
  fake.define({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions, statistic: 'Sum', perMinute: errors });
  fake.define({ namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions, statistic: 'Sum', perMinute: constant(0) });
  return fake;
}

/** A fake CloudWatch on the harness, with the Shop stack's alarms deployed. */
export function givenShop(h: Harness, deployed = true): FakeCloudWatch {
  const fake = new FakeCloudWatch(() => h.io.now().getTime()).install(h);
  if (deployed) {
    fake.deploy(shop(), SHOP_DEPLOYED_VALUES);
  }
  return fake;
}

let tmp: string | undefined;

/** A temporary directory, removed at exit. */
function tmpDir(): string {
  if (!tmp) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-budget-'));
    const dir = tmp;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return tmp;
}

/** Writes a manifest to a temporary file and returns its path. */
export function writeManifest(name: string, manifest: ReliabilityManifest): string {
  const file = path.join(tmpDir(), `${name}.reliability.json`);
  fs.writeFileSync(file, JSON.stringify(manifest));
  return file;
}

/**
 * The stage's stack Prod/Shop (stack name Prod-Shop, eu-west-1), as this version writes it (with
 * the SLIs' bad and total event expressions), edited by `edit`, in a temporary file.
 */
export function prodFile(edit?: (m: MutableManifest) => void): string {
  const manifest = prod((m) => {
    const availability = slo(m, 'checkout', 'availability');
    availability.sli.badEvents = 'FILL(bad0, 0)';
    availability.sli.totalEvents = 'total0';
    const latency = slo(m, 'checkout', 'latency');
    latency.sli.badEvents = '(total0 - FILL(good0, 0))';
    latency.sli.totalEvents = 'total0';
    edit?.(m);
  });
  return writeManifest(`prod-${Math.random().toString(36).slice(2)}`, manifest);
}

/** A fake CloudWatch on the harness with Prod-Shop deployed. */
export function givenProd(h: Harness, file: string): FakeCloudWatch {
  const fake = new FakeCloudWatch(() => h.io.now().getTime()).install(h);
  fake.deploy(JSON.parse(fs.readFileSync(file, 'utf8')) as ReliabilityManifest);
  return fake;
}
