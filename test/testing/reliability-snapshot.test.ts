import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ShopStack } from '../../bin/shop-stack';
import { ReliabilitySnapshot, ReliableService, Sli } from '../../lib';

const metric = (metricName: string) => new Metric({ namespace: 'Shop', metricName });

function checkoutPolicy(objective: number): string {
  const stack = new Stack(new App(), 'Shop');
  new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout',
    slos: [{ name: 'availability', objective, sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }) }],
  });
  return ReliabilitySnapshot.policy(stack);
}

describe('ReliabilitySnapshot.policy()', () => {
  test('shows the sample app\'s whole policy in a few readable lines', () => {
    expect(ReliabilitySnapshot.policy(new ShopStack(new App(), 'Shop'))).toMatchSnapshot();
  });

  test('a lowered objective changes exactly the lines a reviewer needs to see', () => {
    const before = checkoutPolicy(99.9).split('\n');
    const after = checkoutPolicy(99.5).split('\n');
    const changed = before.map((line, i) => [line, after[i]]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([
      ['  slo availability: 99.9 % over 30d; ratio: bad events Errors over total Requests', '  slo availability: 99.5 % over 30d; ratio: bad events Errors over total Requests'],
      // the low-traffic guards follow the threshold: floor(1 / error ratio) + 1
      ['    page   1h/5m   burn 14.4x (error ratio 1.44 %), 2 % of the budget, guard 70 events', '    page   1h/5m   burn 14.4x (error ratio 7.2 %), 2 % of the budget, guard 14 events'],
      ['    page   6h/30m  burn 6x (error ratio 0.6 %), 5 % of the budget, guard 167 events', '    page   6h/30m  burn 6x (error ratio 3 %), 5 % of the budget, guard 34 events'],
      ['    ticket 1d/2h   burn 3x (error ratio 0.3 %), 10 % of the budget, guard 334 events', '    ticket 1d/2h   burn 3x (error ratio 1.5 %), 10 % of the budget, guard 67 events'],
      ['    ticket 3d/6h   burn 1x (error ratio 0.1 %), 10 % of the budget, guard 1001 events', '    ticket 3d/6h   burn 1x (error ratio 0.5 %), 10 % of the budget, guard 201 events'],
    ]);
  });

  test('refuses what is not a stack', () => {
    expect(() => ReliabilitySnapshot.policy({} as Stack)).toThrow('ReliabilitySnapshot.policy() takes a Stack, got [object Object]');
  });
});

describe('ReliabilitySnapshot.manifest()', () => {
  test('is the manifest cdk synth writes, byte for byte', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-')) });
    const stack = new ShopStack(app, 'Shop');
    const manifest = ReliabilitySnapshot.manifest(stack);
    const written = fs.readFileSync(path.join(app.synth().directory, 'Shop.reliability.json'), 'utf8');
    expect(manifest).toBe(written);
    expect(JSON.parse(manifest).services.map((s: { name: string }) => s.name)).toEqual(['checkout', 'search', 'fulfilment']);
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('refuses what is not a stack', () => {
    expect(() => ReliabilitySnapshot.manifest({} as Stack)).toThrow('ReliabilitySnapshot.manifest() takes a Stack, got [object Object]');
  });
});
