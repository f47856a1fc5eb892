/**
 * RELIABILITY-008 on CloudFront distributions: a distribution without an SLO is reported with the
 * preset that covers it (and the region its SLO must be declared in); that preset covers it.
 */
import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ISli, Sli } from '../../lib';
import { coverageFindings as findingsIn } from './helpers';

/** CloudFront publishes its metrics in us-east-1 only: the SLO's stack must be there. */
const coverageFindings = (build: (stack: Stack) => ISli[]) => findingsIn(build, { account: '111111111111', region: 'us-east-1' });

const distribution = (stack: Stack) => new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } });

describe('RELIABILITY-008 on CloudFront distributions', () => {
  test('a distribution no SLO reads is reported with Sli.distributionAvailability and the us-east-1 stack it needs', () => {
    expect(coverageFindings((stack) => {
      distribution(stack);
      return [Sli.ratio({ bad: new Metric({ namespace: 'Shop', metricName: 'Errors' }), total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) })];
    })).toEqual([
      expect.stringMatching(/^\[slo-coverage\] CloudFront distribution Edge\/Cdn \(Cdn\w+\) is not covered by any SLO: no SLI reads a metric with its DistributionId dimension\. Add an SLO \(e\.g\. Sli\.distributionAvailability\(distribution\), in a us-east-1 stack\)/),
    ]);
  });

  test('Sli.distributionAvailability covers the distribution by its id (a reference)', () => {
    expect(coverageFindings((stack) => [Sli.distributionAvailability(distribution(stack))])).toEqual([]);
  });
});
