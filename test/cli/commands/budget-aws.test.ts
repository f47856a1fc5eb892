/**
 * `budget` when AWS is in the way: throttling (retried with backoff, then a clear message),
 * credentials, the wrong region, paged GetMetricData answers, DescribeAlarms denied.
 */
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { awsError, useHarness } from '../support/harness';
import { checkoutTraffic, constant, DAY, during, givenProd, givenShop, HOUR, prodFile, SHOP_ASSEMBLY, T0 } from '../budget/scenario';

const HEALTHY = { errors: during(T0 - 10 * DAY, T0 - 10 * DAY + 6 * HOUR, 2), latencySamples: constant(100), fastSamples: constant(99.5) };
const HEALTHY_ROWS = [
  '  availability  99.9 %     30d     99.983 %  83.3 %       1h 0.0x · 5m 0.0x · 6h 0.0x · 30m 0.0x · 1d 0.0x · 2h 0.0x · 3d 0.0x',
  '  latency       99 %       30d     99.50 %   50.0 %       1h 0.5x · 5m 0.5x · 6h 0.5x · 30m 0.5x · 1d 0.5x · 2h 0.5x · 3d 0.5x',
].join('\n');

function throttled(name = 'Throttling', message = 'Rate exceeded'): Error {
  const error = awsError(name, message);
  Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 400 } });
  return error;
}

describe('budget: AWS', () => {
  const world = useHarness();

  describe('throttling', () => {
    test.each(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceeded'])(
      '%s is retried with exponential backoff and jitter, then the budgets are read', async (name) => {
        const h = world();
        const file = prodFile();
        const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
        fake.failures.push(throttled(name), throttled(name), throttled(name));

        expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);

        expect(h.stdout()).toContain(HEALTHY_ROWS);
        expect(h.sleeps).toHaveLength(3);
        // equal jitter: half of 1 s, 2 s, 4 s, plus up to as much again
        expect(h.sleeps[0]).toBeGreaterThanOrEqual(500);
        expect(h.sleeps[0]).toBeLessThanOrEqual(1000);
        expect(h.sleeps[1]).toBeGreaterThanOrEqual(1000);
        expect(h.sleeps[1]).toBeLessThanOrEqual(2000);
        expect(h.sleeps[2]).toBeGreaterThanOrEqual(2000);
        expect(h.sleeps[2]).toBeLessThanOrEqual(4000);
        expect(h.stderr()).toBe('');
      });

    test('a throttled DescribeAlarms is retried too', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      h.cloudWatch.on(DescribeAlarmsCommand)
        .rejectsOnce(throttled())
        .callsFake(async (input) => fake.describeAlarms(input));

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);
      expect(h.sleeps).toHaveLength(1);
      expect(h.stdout()).toContain(HEALTHY_ROWS);
    });

    test('gives up after 5 attempts with a message that says what to do, exit 1', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      fake.alwaysFail = throttled('ThrottlingException');

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(1);

      expect(fake.requests).toHaveLength(5);
      expect(h.sleeps).toHaveLength(4);
      expect(h.stderr()).toMatch(/^error: CloudWatch GetMetricData in eu-west-1 is still throttled after 5 attempts over \d+s of backoff \(ThrottlingException: Rate exceeded\)\. The request quota is per account and region/);
      expect(h.stderr()).toContain('run again in a minute, or raise the GetMetricData quota in Service Quotas.');
      expect(h.stdout()).toBe('');
    });

    test('a passing server error (HTTP 500) is retried as well', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      const fault = awsError('InternalServiceFault', 'Internal service error');
      Object.assign(fault, { $fault: 'server', $metadata: { httpStatusCode: 500 } });
      fake.failures.push(fault);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);
      expect(h.sleeps).toHaveLength(1);
    });
  });

  describe('credentials', () => {
    test.each([
      ['CredentialsProviderError', 'Could not load credentials from any providers'],
      ['ExpiredToken', 'The security token included in the request is expired'],
      ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
      ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
    ])('%s: a clear message, exit 1, no retry', async (name, message) => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      fake.alarmsError = awsError(name, message);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--profile', 'prod-readonly')).toBe(1);

      expect(h.stderr()).toContain(`error: no valid AWS credentials (profile 'prod-readonly'): ${name}: ${message}\n`);
      expect(h.stderr()).toContain('run `aws sso login`');
      expect(h.sleeps).toEqual([]);
      expect(fake.alarmRequests).toHaveLength(1);
      expect(fake.requests).toHaveLength(0);
      expect(h.stdout()).toBe('');
    });

    test('credentials expiring between calls: GetMetricData refused, exit 1', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      fake.alwaysFail = awsError('ExpiredTokenException', 'The security token included in the request is expired');

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(1);
      expect(h.stderr()).toContain('error: no valid AWS credentials: ExpiredTokenException');
      expect(fake.requests).toHaveLength(1);
    });

    test('GetMetricData denied: names the permission, exit 1', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      fake.alwaysFail = awsError('AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/pipeline/x is not authorized to perform: cloudwatch:GetMetricData');

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(1);
      expect(h.stderr()).toContain('error: access denied: User: arn:aws:sts::111122223333:assumed-role/pipeline/x is not authorized to perform: cloudwatch:GetMetricData');
      expect(h.sleeps).toEqual([]);
    });
  });

  describe('region', () => {
    test('--region other than the stack\'s: refused before any call, exit 1', async () => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), HEALTHY);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--region', 'us-east-1')).toBe(1);

      expect(h.stderr()).toBe('error: stack Prod-Shop (Prod/Shop) is deployed in eu-west-1 (its manifest says so), but --region is us-east-1: '
        + 'its metrics are not in us-east-1, and reading there would report "no data" instead of its budget. '
        + 'Pass --region eu-west-1, or leave --region out\n');
      expect(h.cloudWatch.calls()).toHaveLength(0);
    });

    test('the SDK\'s region other than the stack\'s: refused, exit 1', async () => {
      const h = world();
      const file = prodFile((m) => {
        m.stack.region = 'us-west-2';
      });
      checkoutTraffic(givenProd(h, file), HEALTHY);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(1); // the harness's SDK region is eu-west-1

      expect(h.stderr()).toBe('error: stack Prod-Shop (Prod/Shop) is deployed in us-west-2 (its manifest says so), but the AWS SDK is set to '
        + 'eu-west-1 (from AWS_REGION, AWS_DEFAULT_REGION or the profile): its metrics are not in eu-west-1, and reading there would '
        + 'report "no data" instead of its budget. Pass --region us-west-2\n');
      expect(h.cloudWatch.calls()).toHaveLength(0);
    });

    test('the stack\'s region given explicitly is read', async () => {
      const h = world();
      const file = prodFile();
      checkoutTraffic(givenProd(h, file), HEALTHY);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop', '--region', 'eu-west-1', '--profile', 'prod')).toBe(0);
      expect(h.clientOptions).toEqual([{ region: 'eu-west-1', profile: 'prod' }]);
    });

    test('an environment-agnostic stack is read in any region', async () => {
      const h = world();
      checkoutTraffic(givenShop(h), HEALTHY);

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop', '--service', 'checkout', '--region', 'us-east-1')).toBe(0);
      expect(h.stdout()).toContain('Error budgets of stack Shop in us-east-1\n');
      expect(h.clientOptions).toEqual([{ region: 'us-east-1', profile: undefined }]);
    });
  });

  describe('GetMetricData answers', () => {
    test('every page is read (NextToken), and the sums are those of one page', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);
      fake.pageSize = 250;

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);

      expect(h.stdout()).toContain(HEALTHY_ROWS);
      const pages = fake.requests.filter((r) => r.NextToken !== undefined);
      expect(pages.length).toBeGreaterThan(10); // 30 days of 1-hour points: 720 per series
      // the same queries and range on every page of a request
      for (const page of pages) {
        const first = fake.requests.find((r) => r.NextToken === undefined && r.StartTime!.getTime() === page.StartTime!.getTime())!;
        expect(page.MetricDataQueries).toEqual(first.MetricDataQueries);
        expect(page.EndTime).toEqual(first.EndTime);
      }
    });

    test('the SLO window is read in 1-hour periods, the alert windows in 5-minute ones', async () => {
      const h = world();
      const file = prodFile();
      const fake = checkoutTraffic(givenProd(h, file), HEALTHY);

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(0);

      expect(fake.requests.map((r) => [r.StartTime!.toISOString(), r.EndTime!.toISOString(),
        [...new Set(r.MetricDataQueries!.map((q) => q.MetricStat?.Period).filter(Boolean))]])).toEqual([
        ['2024-04-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z', [3600]], // both SLOs: 30 days
        ['2024-04-28T12:00:00.000Z', '2024-05-01T12:00:00.000Z', [300]], // the longest alert window, 3 days
      ]);
      const returned = fake.requests[1].MetricDataQueries!.filter((q) => q.ReturnData).map((q) => q.Id);
      expect(returned).toEqual(['s0_bad_events', 's0_total_events', 's1_bad_events', 's1_total_events']);
    });

    test('a query CloudWatch reports as failed is an error, exit 1', async () => {
      const h = world();
      const file = prodFile();
      givenProd(h, file);
      h.cloudWatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 's0_bad_events', Label: 'checkout/availability bad events', StatusCode: 'InternalError', Messages: [{ Code: 'InternalError', Value: 'try later' }] }],
      });

      expect(await h.run('budget', file, '--stack', 'Prod-Shop')).toBe(1);
      expect(h.stderr()).toBe('error: CloudWatch could not read checkout/availability bad events (InternalError: try later) in eu-west-1: '
        + 'status InternalError; try again later\n');
    });
  });

  describe('DescribeAlarms denied', () => {
    test('SLOs with deploy-time dimensions cannot be read: exit 1, naming the permission', async () => {
      const h = world();
      const fake = checkoutTraffic(givenShop(h), HEALTHY);
      fake.alarmsError = awsError('AccessDenied', 'not authorized to perform: cloudwatch:DescribeAlarms');

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop')).toBe(1);
      expect(h.stderr()).toBe('error: cannot read the deployed alarms in eu-west-1 (cloudwatch:DescribeAlarms: not authorized to perform: '
        + 'cloudwatch:DescribeAlarms). The metrics of search/availability, search/latency, fulfilment/availability name values known only '
        + 'once deployed, which budget reads from the alarms: allow cloudwatch:DescribeAlarms (besides cloudwatch:GetMetricData) to the '
        + 'identity that runs it\n');
      expect(fake.requests).toHaveLength(0);
    });

    test('SLOs named in full are read anyway, with a note', async () => {
      const h = world();
      const fake = checkoutTraffic(givenShop(h), HEALTHY);
      fake.alarmsError = awsError('AccessDeniedException', 'not authorized');

      expect(await h.run('budget', SHOP_ASSEMBLY, '--stack', 'Shop', '--service', 'checkout')).toBe(0);
      expect(h.stdout()).toContain(HEALTHY_ROWS);
      expect(h.stdout()).toContain('Could not check that the stack\'s alarms exist in eu-west-1 (cloudwatch:DescribeAlarms denied): '
        + 'an SLO without data may be read in the wrong region or account.\n');
    });
  });
});
