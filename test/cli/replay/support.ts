/**
 * Replay fixtures: a cloud assembly synthesized here (stack Shop in eu-west-1; checkout's
 * availability on two count metrics; optionally search on a Lambda function, whose name is known
 * only once deployed, and orders on a time-slice SLI), the fake CloudWatch of the budget tests
 * (GetMetricData shaped as CloudWatch answers it: retention by age, pages, PartialData, throttling),
 * and its window alarms deployed from the template with the deploy-time values filled in.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { ReliableService, SliceComparison, Sli } from '../../../lib';
import { FakeCloudWatch } from '../budget/fake-cloudwatch';
import { Harness, REGION } from '../support/harness';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The generated name of the search function, as deployed. */
export const SEARCH_FUNCTION = 'Shop-SearchFn-Ab12Cd34';

const CHECKOUT = { Service: 'checkout' };

export interface ShopOptions {
  /** checkout/availability's objective. @default 99.9 */
  readonly objective?: number;
  /** Add search/availability on a Lambda function. @default false */
  readonly lambda?: boolean;
  /** Add orders/freshness, a time-slice SLI (age of the oldest message < 300 s). @default false */
  readonly timeSlice?: boolean;
  /** Add storefront/probe, canary success on 5-minute slices (canary `CANARY`, a run every 5 minutes). @default false */
  readonly canary?: boolean;
}

/** The canary of storefront/probe, as named in the template. */
export const CANARY = 'storefront-probe';

let root: string | undefined;

/** Synthesizes the Shop app into a fresh temporary directory and returns it. */
export function synthShop(options: ShopOptions = {}): string {
  if (!root) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-replay-'));
    const dir = root;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const outdir = fs.mkdtempSync(path.join(root, 'cdk.out-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: REGION } });
  const metric = (metricName: string) => new Metric({ namespace: 'Shop', metricName, dimensionsMap: CHECKOUT, statistic: 'Sum' });
  new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout',
    slos: [{ name: 'availability', objective: options.objective ?? 99.9, sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }) }],
  });
  if (options.lambda) {
    const fn = new LambdaFunction(stack, 'SearchFn', { runtime: Runtime.NODEJS_20_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => 1') });
    new ReliableService(stack, 'Search', { serviceName: 'search', slos: [{ name: 'availability', objective: 99.9, sli: Sli.lambdaAvailability(fn) }] });
  }
  if (options.timeSlice) {
    const age = new Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensionsMap: { QueueName: 'orders' }, statistic: 'Maximum', period: Duration.minutes(1) });
    new ReliableService(stack, 'Orders', {
      serviceName: 'orders',
      slos: [{ name: 'freshness', objective: 99.5, sli: Sli.timeSlice({ metric: age, comparison: SliceComparison.LESS_THAN, threshold: 300 }) }],
    });
  }
  if (options.canary) {
    const probe = new synthetics.Canary(stack, 'Probe', {
      canaryName: CANARY,
      schedule: synthetics.Schedule.rate(Duration.minutes(5)),
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
    });
    new ReliableService(stack, 'Storefront', { serviceName: 'storefront', slos: [{ name: 'probe', objective: 99, sli: Sli.canarySuccess(probe) }] });
  }
  app.synth();
  return outdir;
}

/** The Shop template of an assembly. */
export function shopTemplate(outdir: string): { Resources: Record<string, { Type: string; Properties: Record<string, any> }> } {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'Shop.template.json'), 'utf8'));
}

/**
 * A fake CloudWatch on the harness, with the window alarms of `outdir`'s Shop deployed: each
 * `{ Ref: LogicalId }` in their metrics replaced by `values[LogicalId]`.
 */
export function givenDeployedShop(h: Harness, outdir: string, values: Record<string, string> = {}): FakeCloudWatch {
  const fake = new FakeCloudWatch(() => h.io.now().getTime()).install(h);
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const ref = (value as { Ref?: string })?.Ref;
    if (ref !== undefined && values[ref] !== undefined) return values[ref];
    throw new Error(`no deployed value for ${JSON.stringify(value)}`);
  };
  for (const resource of Object.values(shopTemplate(outdir).Resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm' || !Array.isArray(resource.Properties.Metrics)) continue;
    fake.alarms.push({
      AlarmName: resource.Properties.AlarmName,
      Metrics: resource.Properties.Metrics.map((m: any) => (m.MetricStat ? {
        ...m,
        MetricStat: {
          ...m.MetricStat,
          Metric: { ...m.MetricStat.Metric, Dimensions: (m.MetricStat.Metric.Dimensions ?? []).map((d: any) => ({ Name: d.Name, Value: resolve(d.Value) })) },
        },
      } : m)),
    });
  }
  return fake;
}

/** The logical id of the search function in the template. */
export function searchFunctionId(outdir: string): string {
  return Object.entries(shopTemplate(outdir).Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')![0];
}

/** The canary's logical id in the template (its name is a reference to it). */
export function canaryId(outdir: string): string {
  return Object.entries(shopTemplate(outdir).Resources).find(([, r]) => r.Type === 'AWS::Synthetics::Canary')![0];
}

/** checkout's metrics: requests and errors per minute (undefined: no datapoint that minute). */
export function checkoutTraffic(
  fake: FakeCloudWatch,
  requests: (t: number) => number | undefined,
  errors: (t: number) => number | undefined,
): FakeCloudWatch {
  fake.define({ namespace: 'Shop', metricName: 'Requests', dimensions: CHECKOUT, statistic: 'Sum', perMinute: requests });
  fake.define({ namespace: 'Shop', metricName: 'Errors', dimensions: CHECKOUT, statistic: 'Sum', perMinute: errors });
  return fake;
}

/**
 * The canary's SuccessPercent as CloudWatch keeps it: one run every 5 minutes (at the first minute
 * of each 5), `percent(t)` for the run at t; the other minutes have no datapoint.
 */
export function canaryRuns(fake: FakeCloudWatch, percent: (t: number) => number): FakeCloudWatch {
  return fake.define({
    namespace: 'CloudWatchSynthetics', metricName: 'SuccessPercent', dimensions: { CanaryName: CANARY }, statistic: 'Average',
    perMinute: (t) => (t % (5 * MINUTE) === 0 ? percent(t) : undefined),
  });
}

/** `rate` in [from, to) (ms), `otherwise` outside it. */
export function during(from: number, to: number, rate: number, otherwise = 0): (t: number) => number {
  return (t) => (t >= from && t < to ? rate : otherwise);
}

/** Errors per minute at 1000 requests a minute: `ratio` of them during each incident [from, from + minutes). */
export function incidents(list: ReadonlyArray<{ from: number; minutes: number; ratio: number }>): (t: number) => number {
  return (t) => {
    const hit = list.find((i) => t >= i.from && t < i.from + i.minutes * MINUTE);
    return hit ? 1000 * hit.ratio : 0;
  };
}
