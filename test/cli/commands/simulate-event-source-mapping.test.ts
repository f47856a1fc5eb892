/**
 * `cdk-reliability simulate` on an event source mapping SLO, through `run(argv, io)`: a queue
 * consumer added with fn.addEventSource whose mapping publishes its event counts, and an SLO of
 * 99.9 % on FailedInvokeEventCount over InvokedEventCount, synthesized here once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ReliableService, Sli } from '../../../lib';
import { useHarness } from '../support/harness';

let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-esm-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Orders');
  const consumer = new lambda.Function(stack, 'Consumer', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({batchItemFailures:[]})'),
  });
  const source = new SqsEventSource(new sqs.Queue(stack, 'OrderEvents'), { reportBatchItemFailures: true, metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] } });
  consumer.addEventSource(source);
  const mapping = lambda.EventSourceMapping.fromEventSourceMappingId(stack, 'OrderEventsMapping', source.eventSourceMappingId);
  new ReliableService(stack, 'OrderEventsService', {
    serviceName: 'order-events',
    dashboard: false,
    slos: [{ name: 'consumer', objective: 99.9, sli: Sli.eventSourceMappingAvailability(mapping) }],
  });
  app.synth();
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

const CONSUMER = ['--service', 'order-events', '--slo', 'consumer'];

describe('simulate: an event source mapping SLO', () => {
  const world = useHarness();

  test('2 % of the events failed (batch item failures) for 2 hours: the 1h tier pages at 44 min, the 6h tier holds the page until 142; no ticket', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CONSUMER, '--error-rate', '2%', '--for', '2h')).toBe(0);
    expect(h.stderr()).toBe('');
    const out = h.stdout();
    expect(out).toContain('SLO order-events/consumer (stack Orders): 99.9 % good over 30d, error budget 0.1 %');
    expect(out).toMatch(/^ {2}page 1h\/5m +14\.4x +> 1\.44 % +44 min +43\.2 min +123 min +121\.4 min$/m);
    expect(out).toMatch(/^ {2}page 6h\/30m +6x +> 0\.6 % +110 min +108 min +142 min +141 min$/m);
    expect(out.trimEnd().split('\n').pop()).toBe('Result: page at 44 min (OK at 142 min), ticket never.');
  });

  test('every batch failing for 10 minutes (a consumer without permission to be invoked, a poison batch) pages at 3 min and clears at 40', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CONSUMER, '--error-rate', '100%', '--for', '10m')).toBe(0);
    expect(h.stdout()).toContain('Result: page at 3 min (OK at 40 min), ticket at 7 min (muted while the page fired, raised at 41 min; OK at 370 min).');
  });

  test('0.05 % of the events failing for a day never alerts', async () => {
    const h = world();
    expect(await h.run('simulate', outdir, ...CONSUMER, '--error-rate', '0.05%', '--for', '1d')).toBe(0);
    expect(h.stdout().trimEnd().split('\n').pop()).toBe('Result: never alerts.');
  });
});
