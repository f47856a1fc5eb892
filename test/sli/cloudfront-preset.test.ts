/**
 * The CloudFront distribution preset: the metrics, statistics and dimensions AWS documents
 * (namespace AWS/CloudFront, Region=Global, us-east-1 only), the bad-events product, the burn rate
 * it gives, the region refusal and bad input.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { ISli, ReliableService, Sli } from '../../lib';
import { burnRate, metricsOf } from './helpers';

const US_EAST_1 = { account: '111111111111', region: 'us-east-1' };
const newStack = (env: { account: string; region: string } | undefined = US_EAST_1) => new Stack(new App(), 'Edge', { env });
const imported = (stack: Stack) => cloudfront.Distribution.fromDistributionAttributes(stack, 'Cdn', { distributionId: 'E2QWRUHAPOMQZL', domainName: 'd111111abcdef8.cloudfront.net' });
const sloWith = (sli: ISli, stack: Stack) => () => new ReliableService(stack, 'Shop', {
  serviceName: 'shop', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli }],
});

describe('CloudFront distribution availability', () => {
  test('reads 5xxErrorRate (Average) and Requests (Sum) by DistributionId and Region=Global, pinned to us-east-1', () => {
    const b = Sli.distributionAvailability(imported(newStack())).bind();
    expect(metricsOf(b, { region: true })).toEqual({
      rate0: 'AWS/CloudFront 5xxErrorRate Average {DistributionId=E2QWRUHAPOMQZL,Region=Global} us-east-1',
      total0: 'AWS/CloudFront Requests Sum {DistributionId=E2QWRUHAPOMQZL,Region=Global} us-east-1',
    });
    expect(b.badEvents).toBe('(FILL(rate0, 0) * FILL(total0, 0) / 100)');
    expect(b.totalEvents).toBe('FILL(total0, 0)');
    expect(b.metricCount).toBe(2);
  });

  test('bad events are the error rate (percent) times the requests: 2 % of 1000 requests burn at 20, 100 % at 1000, none at 0', () => {
    const b = Sli.distributionAvailability(imported(newStack())).bind();
    expect(burnRate(b, { rate0: 2, total0: 1000 })).toBeCloseTo(20);
    expect(burnRate(b, { rate0: 100, total0: 1000 })).toBeCloseTo(1000);
    expect(burnRate(b, { rate0: 0, total0: 1000 })).toBe(0);
  });

  test('the alarms of a us-east-1 stack read the distribution by its reference, with the statistics CloudFront documents', () => {
    const stack = newStack();
    const distribution = new cloudfront.Distribution(stack, 'Distribution', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } });
    sloWith(Sli.distributionAvailability(distribution), stack)();
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      const stats = alarm.Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
      const dimensions = [{ Name: 'DistributionId', Value: { Ref: expect.stringMatching(/^Distribution/) } }, { Name: 'Region', Value: 'Global' }];
      expect(stats).toEqual(expect.arrayContaining([
        expect.objectContaining({ Metric: { Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Dimensions: dimensions }, Stat: 'Average' }),
        expect.objectContaining({ Metric: { Namespace: 'AWS/CloudFront', MetricName: 'Requests', Dimensions: dimensions }, Stat: 'Sum' }),
      ]));
      const expressions = alarm.Properties.Metrics.map((m: any) => m.Expression).filter(Boolean).join('\n');
      expect(expressions).toContain('(FILL(rate0, 0) * FILL(total0, 0) / 100)');
    }
  });

  test('an SLO in a stack of another region is refused, naming the SLO and the region to declare it in', () => {
    const stack = newStack({ account: '111111111111', region: 'eu-west-1' });
    expect(sloWith(Sli.distributionAvailability(imported(stack)), stack))
      .toThrow(/Edge\/Shop\/availability.*reads metrics of region us-east-1, but CloudWatch alarms only watch metrics of their own region \(eu-west-1\): declare the SLO in a stack of that region/s);
  });

  test('an SLO in an environment-agnostic stack is refused: its alarms would watch the deploy region', () => {
    const stack = new Stack(new App(), 'Edge');
    expect(sloWith(Sli.distributionAvailability(imported(stack)), stack))
      .toThrow(/reads metrics pinned to region us-east-1, but the stack is environment-agnostic.*give the stack an env with that region \(env: \{ region: 'us-east-1' \}\).*CloudFront's, in us-east-1\) needs a stack there/s);
  });

  test.each([
    [undefined, /Sli.distributionAvailability: distribution must be an IDistribution \(a Distribution, or Distribution.fromDistributionAttributes\(...\)\), got undefined/],
    [{ distributionId: 42 }, /distribution must be an IDistribution.*\(without distributionId, node\)/],
  ])('bad distribution %p is refused, naming the SLO', (distribution, message) => {
    const stack = newStack();
    expect(sloWith(Sli.distributionAvailability(distribution as never), stack)).toThrow(message);
  });

  test('a distribution id with a trailing space is refused, naming the prop', () => {
    const stack = newStack();
    const cdn = cloudfront.Distribution.fromDistributionAttributes(stack, 'Cdn', { distributionId: 'E2QWRUHAPOMQZL ', domainName: 'd111111abcdef8.cloudfront.net' });
    expect(sloWith(Sli.distributionAvailability(cdn), stack))
      .toThrow('sli: Sli.distributionAvailability: distribution.distributionId (dimension DistributionId) must not start or end with whitespace');
  });
});
