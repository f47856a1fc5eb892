import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { OrdersStack } from '../../bin/orders-stack';
import { ShopStack } from '../../bin/shop-stack';
import { AlertPolicy, EscalationPolicy, Fault, GameDay, Notify, ReliableService, Sli, Targets, WeekDay } from '../../lib';
import { MANIFEST_SCHEMA_VERSION, ReliabilityManifest } from '../../lib/manifest/schema';

const metric = (metricName: string) => new Metric({ namespace: 'Shop', metricName, dimensionsMap: { Service: 'cart' } });

/** Synthesizes `build`'s app into a fresh directory and returns the manifest files' text by name. */
function synthManifests(build: (app: App) => void): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
    const files: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(full);
        } else if (entry.name.endsWith('.reliability.json')) {
          files[path.relative(outdir, full)] = fs.readFileSync(full, 'utf8');
        }
      }
    };
    walk(outdir);
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function cartStack(app: App, id = 'Cart'): Stack {
  const stack = new Stack(app, id, { env: { account: '111111111111', region: 'eu-west-1' } });
  const handler = new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  const onCall = new EscalationPolicy(stack, 'OnCall', {
    levels: [{ notify: [Notify.email('oncall@example.com')] }, { after: Duration.minutes(10), notify: [Notify.webhook('https://hooks.example.com/x')] }],
  });
  const cart = new ReliableService(stack, 'Cart', {
    serviceName: 'cart', owner: 'cart-team', escalation: onCall,
    slos: [{ name: 'availability', objective: 99.95, window: Duration.days(28), minimumEvents: 50, sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }) }],
  });
  cart.addSlo({ name: 'latency', objective: 99, sli: Sli.lambdaLatency(handler, { threshold: Duration.millis(250) }), alerting: AlertPolicy.workbook({ tickets: false }) });
  cart.addExperiment('errors', {
    fault: Fault.lambdaInvocationError(Targets.functions([handler]), { invocationPercentage: 10 }), duration: Duration.minutes(5),
    gameDay: GameDay.weekly({ weekDay: WeekDay.WEDNESDAY, hour: 9, timeZone: 'Europe/Paris', enabled: false }),
  });
  return stack;
}

describe('the reliability manifest', () => {
  let manifest: ReliabilityManifest;
  let text: string;

  beforeAll(() => {
    const files = synthManifests((app) => cartStack(app));
    expect(Object.keys(files)).toEqual(['Cart.reliability.json']);
    text = files['Cart.reliability.json'];
    manifest = JSON.parse(text);
  });

  test('is written next to the template, versioned, and names its stack', () => {
    expect(manifest.schemaVersion).toBe(MANIFEST_SCHEMA_VERSION);
    expect(manifest.generator).toBe('cdk-reliability');
    expect(manifest.stack).toEqual({ name: 'Cart', artifactId: 'Cart', path: 'Cart', account: '111111111111', region: 'eu-west-1' });
  });

  test('holds each SLO with its objective, window, budget, SLI metrics, guard and tiers derived from the formula', () => {
    const [availability, latency] = manifest.services[0].slos;
    expect(availability).toMatchObject({
      name: 'availability', objective: 99.95, windowSeconds: 28 * 86_400, window: '28d', errorBudget: 0.0005, minimumEvents: 50,
      alarms: { page: 'cart-availability-page', ticket: 'cart-availability-ticket' },
    });
    expect(availability.sli.metrics).toEqual([
      { id: 'total0', namespace: 'Shop', metricName: 'Requests', dimensions: { Service: 'cart' }, statistic: 'Sum' },
      { id: 'bad0', namespace: 'Shop', metricName: 'Errors', dimensions: { Service: 'cart' }, statistic: 'Sum' },
    ]);
    // 28 days: 2 % x 672 h / 1 h = 13.44x; error ratio 13.44 x 0.0005
    expect(availability.tiers.map((t) => [t.id, t.burnRate, t.errorRatio, t.alarmNames.long])).toEqual([
      ['page-1h-5m', 13.44, 0.00672, 'cart-availability-page-1h-5m-long'],
      ['page-6h-30m', 5.6, 0.0028, 'cart-availability-page-6h-30m-long'],
      ['ticket-1d-2h', 2.8, 0.0014, 'cart-availability-ticket-1d-2h-long'],
      ['ticket-3d-6h', expect.closeTo(0.9333, 4), expect.closeTo(0.000467, 6), 'cart-availability-ticket-3d-6h-long'],
    ]);
    // the long windows' low-traffic guards: max(minimumEvents 50, floor(1 / error ratio) + 1)
    expect(availability.tiers.map((t) => t.guardEvents)).toEqual([149, 358, 715, 2143]);
    expect(latency).toMatchObject({ name: 'latency', sli: { kind: 'latency' }, alarms: { page: 'cart-latency-page' } });
    expect(latency.alarms.ticket).toBeUndefined();
    expect(latency.tiers.map((t) => t.id)).toEqual(['page-1h-5m', 'page-6h-30m']);
  });

  test('holds the escalation chain by target kind, never the addresses', () => {
    expect(manifest.services[0].escalation).toEqual({
      name: 'OnCall', path: 'Cart/OnCall', repeat: 0, tickets: [], acknowledgeLinkTtlSeconds: 86_400,
      levels: [{ afterSeconds: 0, targets: ['email'] }, { afterSeconds: 600, targets: ['webhook'] }],
    });
    expect(text).not.toContain('oncall@example.com');
    expect(text).not.toContain('hooks.example.com');
  });

  test('holds the experiments: actions, targets, stop conditions by alarm name, game day', () => {
    const [experiment] = manifest.services[0].experiments;
    expect(experiment).toMatchObject({
      name: 'errors', expectedSeconds: 5 * 60 + 5 * 60, steadyStateCheck: true, recoveryCheck: true,
      stopConditions: ['cart-availability-page', 'cart-latency-page'],
      gameDay: { expression: 'cron(0 9 ? * WED *)', timeZone: 'Europe/Paris', enabled: false },
    });
    expect(experiment.actions.map((a) => [a.name, a.actionId, a.target])).toEqual([
      ['steady-state', 'aws:cloudwatch:assert-alarm-state', undefined],
      ['invocation-error', 'aws:lambda:invocation-error', 'Functions: functions-1'],
      ['settle', 'aws:fis:wait', undefined],
      ['recovered', 'aws:cloudwatch:assert-alarm-state', undefined],
    ]);
    expect(experiment.actions[1].parameters).toEqual({ duration: 'PT5M', invocationPercentage: '10', preventExecution: 'true' });
    expect(experiment.targets).toEqual([{ name: 'functions-1', resourceType: 'aws:lambda:function', selectionMode: 'ALL', resourceArns: [expect.stringMatching(/^\$\{Handler[0-9A-F]{8}\.Arn\}$/)] }]);
  });

  test('estimates the service\'s monthly alarm cost as the sum of its SLOs\'', () => {
    const [service] = manifest.services;
    expect(service.estimatedMonthlyCostUsd).toBeCloseTo(service.slos.reduce((s, o) => s + o.estimatedMonthlyCostUsd, 0), 2);
    expect(service.estimatedMonthlyCostUsd).toBeGreaterThan(0);
  });

  test('records every metric a time-slice condition expression reads, so that the condition can be queried from the manifest alone', () => {
    const files = synthManifests((app) => new OrdersStack(app, 'Orders'));
    const manifest: ReliabilityManifest = JSON.parse(files['Orders.reliability.json']);
    const tasks = manifest.services.find((s) => s.name === 'storefront')!.slos.find((s) => s.name === 'tasks')!;
    expect(tasks.sli.timeSlice).toMatchObject({ metricId: 'slice0', comparison: '>=', threshold: 0, missingSlice: 'bad' });
    const dimensions = { ClusterName: expect.stringMatching(/^\$\{Cluster[0-9A-F]+\}$/), ServiceName: expect.stringMatching(/^\$\{Storefront[\w.]+\}$/) };
    expect(tasks.sli.metrics).toEqual([
      { id: 'slice0', namespace: '', metricName: '', dimensions: {}, statistic: '', expression: 'running - desired' },
      { id: 'running', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions, statistic: 'Minimum' },
      { id: 'desired', namespace: 'ECS/ContainerInsights', metricName: 'DesiredTaskCount', dimensions, statistic: 'Maximum' },
    ]);
  });

  test('is byte-identical when the same app is synthesized twice', () => {
    const again = synthManifests((app) => cartStack(app));
    expect(again['Cart.reliability.json']).toBe(text);
  });
});

describe('where manifests are written', () => {
  test('only for stacks that hold services, and inside a stage\'s own assembly directory', () => {
    const files = synthManifests((app) => {
      new Stack(app, 'Empty');
      const stage = new Stage(app, 'Prod', { env: { account: '222222222222', region: 'us-east-1' } });
      cartStack(stage as unknown as App, 'Cart');
    });
    expect(Object.keys(files)).toEqual([expect.stringMatching(/^assembly-Prod\/ProdCart[0-9A-F]{8}\.reliability\.json$/)]);
    const manifest: ReliabilityManifest = JSON.parse(Object.values(files)[0]);
    expect(manifest.stack).toMatchObject({ name: 'Prod-Cart', path: 'Prod/Cart', account: '111111111111' });
  });

  test('the sample app writes Shop.reliability.json with its three services', () => {
    const files = synthManifests((app) => new ShopStack(app, 'Shop'));
    const manifest: ReliabilityManifest = JSON.parse(files['Shop.reliability.json']);
    expect(manifest.services.map((s) => [s.name, s.slos.length, s.experiments.length, s.escalation?.name])).toEqual([
      ['checkout', 2, 1, 'ShopOnCall'], ['search', 2, 1, 'ShopOnCall'], ['fulfilment', 1, 0, 'ShopOnCall'],
    ]);
  });

  test('finds the services in the construct tree: inside the user\'s own constructs, each nested stack in its own manifest, never a service that failed to construct', () => {
    const files = synthManifests((app) => {
      const stack = new Stack(app, 'Tree');
      const sli = () => Sli.ratio({ bad: metric('Errors'), total: metric('Requests') });
      new ReliableService(new Construct(stack, 'Team'), 'Orders', { serviceName: 'orders', slos: [{ name: 'availability', objective: 99.9, sli: sli() }] });
      expect(() => new ReliableService(stack, 'Broken', { serviceName: 'no spaces allowed', slos: [{ name: 'availability', objective: 99.9, sli: sli() }] })).toThrow(/serviceName/);
      new ReliableService(stack, 'Payments', { serviceName: 'payments', slos: [{ name: 'availability', objective: 99.9, sli: sli() }] });
      const nested = new NestedStack(stack, 'Inner');
      new ReliableService(nested, 'Ledger', { serviceName: 'ledger', slos: [{ name: 'availability', objective: 99.9, sli: sli() }] });
    });
    const services = (file: string) => (JSON.parse(files[file]) as ReliabilityManifest).services.map((s) => s.name);
    expect(services('Tree.reliability.json')).toEqual(['orders', 'payments']);
    const nestedFile = Object.keys(files).find((f) => f !== 'Tree.reliability.json')!;
    expect(nestedFile).toMatch(/^TreeInner[0-9A-F]{8}\.reliability\.json$/);
    expect(services(nestedFile)).toEqual(['ledger']);
  });
});

describe('the escalation entry of a policy from another copy of the library', () => {
  /** A policy with the shape of an EscalationPolicy that is not an instance of this copy's class. */
  class OtherCopyPolicy extends Construct {
    public readonly policyName = 'Elsewhere';
    public readonly pageTopic: sns.ITopic;
    public readonly ticketTopic: sns.ITopic;
    public readonly chain = { levels: [{ afterSeconds: 0, targets: ['email'] }], repeat: 1, tickets: ['topic'], acknowledgeLinkTtlSeconds: 3_600 };
    constructor(scope: Construct, id: string) {
      super(scope, id);
      this.pageTopic = new sns.Topic(this, 'Page');
      this.ticketTopic = new sns.Topic(this, 'Ticket');
    }
    public registerAlarm(): void {}
  }

  test('is recognised by its shape, as the dashboard recognises it: its chain is in the manifest', () => {
    const files = synthManifests((app) => {
      const stack = new Stack(app, 'Cart', { env: { account: '111111111111', region: 'eu-west-1' } });
      const escalation = new OtherCopyPolicy(stack, 'Elsewhere');
      expect(escalation).not.toBeInstanceOf(EscalationPolicy);
      new ReliableService(stack, 'Cart', {
        serviceName: 'cart', escalation,
        slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }) }],
      });
    });
    const manifest = JSON.parse(Object.values(files)[0]) as ReliabilityManifest;
    expect(manifest.services[0].escalation).toEqual({
      name: 'Elsewhere', path: 'Cart/Elsewhere', repeat: 1, tickets: ['topic'], acknowledgeLinkTtlSeconds: 3_600,
      levels: [{ afterSeconds: 0, targets: ['email'] }],
    });
  });
});
