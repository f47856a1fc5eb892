/**
 * The failure-mode table (issue 10, item 2) as data: for every SLI preset and for `Sli.ratio` /
 * `Sli.latency`, the failures an on-call engineer meets, what an experienced SRE expects the alerts
 * to do (written down first, as data), and how CloudWatch's metrics behave in that failure, as AWS
 * documents them. `failure-modes.test.ts` simulates each row on the synthesized template with the
 * faithful evaluator, asserts the expectation and prints the README's table from the results.
 *
 * Metric behaviour modelled (sources in the comments where it is used):
 * - count metrics publish nothing in a minute without events (`trafficScenario`); the ALB/target
 *   group `HTTPCode_*` and `TargetConnectionErrorCount` counts and the Lambda/Step Functions
 *   failure counts publish nothing while they are 0 (`publishedOnlyWhenNonZero`);
 * - API Gateway `Count` is read as SampleCount, `Latency` as SampleCount and TC(:x) samples;
 *   Lambda's invocation metrics are "binary indicators" sent per invocation ("Types of metrics for
 *   Lambda functions"), so `Errors` is present (0) while invocations succeed;
 * - ALB `RequestCount` leaves out requests refused before a target was chosen (503, no healthy
 *   target); `TargetResponseTime` has no sample for a request whose target never answered;
 * - CloudFront publishes `Requests` (Sum) and `5xxErrorRate` (Average, percent) as one datapoint a
 *   minute each while there are requests, so a window's Average is the mean of its minutes' rates
 *   (an assumption, not verified: AWS documents the statistic, not the samples; if CloudFront
 *   weights its samples by requests, the preset is exact and the peak/trough rows are wrong both
 *   ways; docs/slis.md gives the SampleCount check; see lib/simulation/scenario.ts);
 * - a Synthetics canary publishes `SuccessPercent` once a run (100 or 0), nothing between runs,
 *   timestamped in the minute the run starts (not verified: "CloudWatch metrics published by
 *   canaries" gives only "Valid Statistic: Average, Units: Percent");
 * - every metric reaches CloudWatch 2 minutes late (the evaluator's default ingestion delay),
 *   except in the "no ingestion delay" rows.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { AlertPolicy, ISli, Severity, Sli, SliceComparison } from '../../../lib';
import { MetricIdentity, Scenario } from '../../../lib/simulation/evaluator';
import { constantTraffic, incident, incidentWindow, MetricMatch, publishedOnlyWhenNonZero, spreadTraffic, stopMetric, TrafficProfile, trafficScenario, TrafficScenarioOptions, trafficStopsAt } from '../../../lib/simulation/scenario';
import { SloAlarmModel } from '../../../lib/simulation/template-alarms';

/** Minutes in the incident rows. */
export const INCIDENT = 60;
/** Requests a minute in the busy rows. */
export const RATE = 1_000;

/** What an experienced SRE expects, in minutes from the start of the failure. */
export interface Expected {
  /** Page no later than this minute; `never` when the failure must not page. */
  readonly pageBy: number | 'never';
  /** Not before this minute (a failure the budget tolerates for a while). @default 0 */
  readonly pageFrom?: number;
  /** The page is cleared by this minute, under both readings of FILL over an all-empty series. */
  readonly clearBy?: number;
  /** The page holds at least until this minute (the failure lasts). */
  readonly holdsThrough?: number;
  /** `never`: no ticket notifies; `allowed`: a ticket may follow the page (the incident's follow-up). */
  readonly ticket: 'never' | 'allowed';
}

/** One row: a failure of one SLI. */
export interface FailureRow {
  readonly sli: string;
  readonly failure: string;
  readonly expected: Expected;
  /** When CloudWatch does not publish the signal: what the SLI cannot see, and the alternative. */
  readonly cannot?: string;
  /** The scenario on the synthesized alarms. */
  readonly scenario: (model: SloAlarmModel) => Scenario;
  /** Minutes to simulate. */
  readonly minutes: number;
  /** Ingestion delay. @default 2 */
  readonly delayMinutes?: number;
  /** The SLO with the blind alert on (the alternative to a failure the SLI cannot see). */
  readonly blindAlert?: boolean;
  /** A known limit of the alarms: the expectation is not met, and this says why and what to do. */
  readonly limit?: string;
  /** The SLO's alert policy when not the default (the alternative to a limit); `policyName` names it in the cache. */
  readonly alerting?: AlertPolicy;
  readonly policyName?: string;
  /** The SLO's objective. @default 99.9 */
  readonly objective?: number;
  /**
   * A documented approximation of the SLI: the expectation is not met, `why` says why, and
   * `measured` is what the alarms do instead (asserted).
   */
  readonly approximation?: { readonly why: string; readonly measured: Expected };
}

/** An SLI under test: how to build it, and how its metrics behave. */
export interface SliCase {
  readonly name: string;
  readonly kind: 'availability' | 'latency';
  readonly build: (stack: Stack) => ISli;
  /** Which metric carries the bad events (see `trafficScenario`). */
  readonly traffic?: TrafficScenarioOptions;
  /** Metrics that publish nothing while 0. @default - none */
  readonly absentWhileZero?: MetricMatch;
  /** The stack's region, for an SLI that needs one (CloudFront: us-east-1). @default - an environment-agnostic stack */
  readonly region?: string;
  /** Rows of its own. @default - the generic rows only */
  readonly extraRows?: (sli: SliCase) => FailureRow[];
  /**
   * The full outage as this SLI's metrics see it, when they cannot see every full outage (the
   * generic rows' "full outage" would claim it pages on one it may not see).
   * @default 'full outage'
   */
  readonly outage?: string;
  /**
   * Its docs (docs/slis.md) declare an approximation, so its rows may have `approximation`; no
   * other SLI may (a row cannot excuse an expectation its SLI's docs do not warn about).
   * @default false
   */
  readonly documentsApproximation?: boolean;
}

const THRESHOLD_MS = 300;

function vpcAndAlb(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
  return { vpc, alb };
}

function targetGroup(stack: Stack) {
  const { vpc, alb } = vpcAndAlb(stack);
  const group = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc, port: 80 });
  alb.addListener('Http', { port: 80, defaultTargetGroups: [group] });
  return group;
}

function restApi(stack: Stack) {
  const api = new apigateway.RestApi(stack, 'Rest', { restApiName: 'shop' });
  api.root.addMethod('GET');
  return api;
}

function fn(stack: Stack) {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
}

function table(stack: Stack) {
  return new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
}

function graphqlApi(stack: Stack) {
  return new appsync.GraphqlApi(stack, 'Graphql', { name: 'shop', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(`${__dirname}/schema.graphql`)) });
}

const checkoutOperation = { service: 'checkout', operation: 'POST /orders', environment: 'ecs:shop' };

const count = (name: string) => new Metric({ namespace: 'Shop', metricName: name, dimensionsMap: { Service: 'checkout' } });
const albCounts: MetricMatch = (m) => m.metricName.startsWith('HTTPCode_') || m.metricName === 'TargetConnectionErrorCount';
const threshold = Duration.millis(THRESHOLD_MS);

export const SLIS: SliCase[] = [
  { name: '`Sli.ratio`', kind: 'availability', build: () => Sli.ratio({ bad: count('Errors'), total: count('Requests') }) },
  {
    name: '`Sli.latency`', kind: 'latency',
    build: () => Sli.latency({ metric: new Metric({ namespace: 'Shop', metricName: 'Latency', dimensionsMap: { Service: 'checkout' } }), threshold }),
  },
  { name: '`restApiAvailability`', kind: 'availability', build: (s) => Sli.restApiAvailability(restApi(s)) },
  { name: '`restApiLatency`', kind: 'latency', build: (s) => Sli.restApiLatency(restApi(s), { threshold }) },
  { name: '`httpApiAvailability`', kind: 'availability', build: (s) => Sli.httpApiAvailability(new apigwv2.HttpApi(s, 'Http')) },
  { name: '`httpApiLatency`', kind: 'latency', build: (s) => Sli.httpApiLatency(new apigwv2.HttpApi(s, 'Http'), { threshold }) },
  {
    name: '`loadBalancerAvailability`', kind: 'availability', build: (s) => Sli.loadBalancerAvailability(vpcAndAlb(s).alb),
    traffic: { badMetric: 'HTTPCode_Target_5XX_Count' }, absentWhileZero: albCounts,
  },
  { name: '`loadBalancerLatency`', kind: 'latency', build: (s) => Sli.loadBalancerLatency(vpcAndAlb(s).alb, { threshold }) },
  {
    name: '`targetGroupAvailability`', kind: 'availability', build: (s) => Sli.targetGroupAvailability(targetGroup(s)),
    traffic: { badMetric: 'HTTPCode_Target_5XX_Count' }, absentWhileZero: albCounts,
  },
  { name: '`targetGroupLatency`', kind: 'latency', build: (s) => Sli.targetGroupLatency(targetGroup(s), { threshold }) },
  {
    name: '`lambdaAvailability`', kind: 'availability', build: (s) => Sli.lambdaAvailability(fn(s)),
    traffic: { badMetric: 'Errors' }, absentWhileZero: 'Throttles',
  },
  { name: '`lambdaLatency`', kind: 'latency', build: (s) => Sli.lambdaLatency(fn(s), { threshold }) },
  {
    name: '`stateMachineAvailability`', kind: 'availability',
    build: (s) => Sli.stateMachineAvailability(new sfn.StateMachine(s, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P')) })),
    traffic: { badMetric: 'ExecutionsFailed' }, absentWhileZero: (m) => m.metricName !== 'ExecutionsStarted',
  },
  {
    // "DynamoDB only sends metrics to CloudWatch when they have a non-zero value" (DynamoDB Metrics and dimensions)
    name: '`tableAvailability`', kind: 'availability', build: (s) => Sli.tableAvailability(table(s), { operations: [dynamodb.Operation.GET_ITEM] }),
    absentWhileZero: 'SystemErrors',
  },
  { name: '`tableLatency`', kind: 'latency', build: (s) => Sli.tableLatency(table(s), { operation: dynamodb.Operation.GET_ITEM, threshold }) },
  { name: '`graphqlApiAvailability`', kind: 'availability', build: (s) => Sli.graphqlApiAvailability(graphqlApi(s)) },
  { name: '`graphqlApiLatency`', kind: 'latency', build: (s) => Sli.graphqlApiLatency(graphqlApi(s), { threshold }) },
  { name: '`serviceOperationAvailability`', kind: 'availability', build: () => Sli.serviceOperationAvailability(checkoutOperation) },
  { name: '`serviceOperationLatency`', kind: 'latency', build: () => Sli.serviceOperationLatency({ ...checkoutOperation, threshold }) },
  {
    // Requests (Sum) and 5xxErrorRate (Average, percent), one datapoint a minute each (trafficScenario:
    // a rate times the total), published while there are requests
    name: '`distributionAvailability`', kind: 'availability', region: 'us-east-1',
    build: (s) => Sli.distributionAvailability(new cloudfront.Distribution(s, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } })),
    extraRows: (sli) => distributionRows(sli), documentsApproximation: true,
  },
  {
    // asynchronous invocation metrics: AsyncEventsDropped counts only events dropped (Types of metrics for Lambda functions)
    name: '`lambdaAsyncAvailability`', kind: 'availability', build: (s) => Sli.lambdaAsyncAvailability(fn(s)),
    traffic: { badMetric: 'AsyncEventsDropped' }, absentWhileZero: 'AsyncEventsDropped',
  },
  {
    // event source mapping metrics (MetricsConfig EventCount): FailedInvokeEventCount counts the events
    // Lambda tried to invoke the function with but failed (network configuration, permissions, a deleted
    // function) and events of responses with a non-empty BatchItemFailures (Types of metrics for Lambda
    // functions), not function errors; AWS does not say it is published while 0, so it is modelled absent then
    name: '`eventSourceMappingAvailability`', kind: 'availability',
    build: (s) => Sli.eventSourceMappingAvailability(new lambda.EventSourceMapping(s, 'Mapping', {
      target: fn(s), eventSourceArn: new sqs.Queue(s, 'Events').queueArn, metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
    })),
    traffic: { badMetric: 'FailedInvokeEventCount' }, absentWhileZero: 'FailedInvokeEventCount',
    outage: 'Lambda cannot invoke the function (permissions, network, a deleted function): every event a failed invocation',
    extraRows: (sli) => eventSourceMappingRows(sli), documentsApproximation: true,
  },
];

/** The SLI's metrics for `profile`, as the service publishes them. */
function published(sli: SliCase, model: SloAlarmModel, profile: TrafficProfile, traffic: TrafficScenarioOptions = {}): Scenario {
  const scenario = trafficScenario(model, profile, { ...sli.traffic, ...traffic });
  return sli.absentWhileZero === undefined ? scenario : publishedOnlyWhenNonZero(scenario, sli.absentWhileZero);
}

/** No metric of the SLI publishes anything during the failure (the requests never reach what it measures). */
const silentFor = (from: number, to: number): TrafficProfile => ({
  eventsPerMinute: (m) => (m >= from && m < to ? 0 : RATE),
  errorRatio: () => 0,
});

const BLIND_EXPECTED: Expected = { pageBy: 20, clearBy: INCIDENT + 5, ticket: 'never' };

/** What each SLI sees when the total it divides by stops (or every metric does), and its alternative. */
function totalStops(sli: SliCase): FailureRow[] {
  const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure' | 'minutes'>): FailureRow => (
    { sli: sli.name, failure, minutes: 8 * 60, ...rest });
  const outageExpected: Expected = { pageBy: 5, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 35, ticket: 'allowed' };
  const blind = (failure: string, cannot: string): FailureRow[] => [
    row(failure, { expected: outageExpected, cannot, scenario: (m) => published(sli, m, silentFor(0, INCIDENT)) }),
    row(`${failure}, with \`blindAlert\``, { expected: BLIND_EXPECTED, blindAlert: true, scenario: (m) => published(sli, m, silentFor(0, INCIDENT)) }),
  ];
  const allBad = incident({ errorRatio: 1, durationMinutes: INCIDENT, eventsPerMinute: RATE });
  switch (sli.name) {
    case '`Sli.ratio`':
      return [row('the total metric stops, every request fails', {
        expected: outageExpected,
        scenario: (m) => stopMetric(published(sli, m, allBad), 'Requests', 0, INCIDENT),
      })];
    case '`loadBalancerAvailability`':
      // "RequestCount ... is only incremented for requests where the load balancer node was able to
      // choose a target" ("CloudWatch metrics for your Application Load Balancer"): the ELB 503s of
      // a load balancer without a healthy target are in HTTPCode_ELB_5XX_Count only
      return [row('no healthy target: every request an ELB 503, `RequestCount` stops', {
        expected: outageExpected,
        scenario: (m) => stopMetric(published(sli, m, allBad, { badMetric: 'HTTPCode_ELB_5XX_Count' }), 'RequestCount', 0, INCIDENT),
      })];
    case '`targetGroupAvailability`':
      return blind('no healthy target: ELB 503s (no TargetGroup dimension), the group\'s `RequestCount` stops',
        'the group\'s metrics count nothing; use `loadBalancerAvailability`, or `blindAlert`');
    case '`lambdaAvailability`':
      return [
        // "Invocations aren't recorded if the invocation request is throttled" (Types of metrics for Lambda functions)
        row('every invocation throttled: `Invocations` stops, `Throttles` counts', {
          expected: outageExpected,
          scenario: (m) => stopMetric(published(sli, m, allBad, { badMetric: 'Throttles' }), 'Invocations', 0, INCIDENT),
        }),
        ...blind('the caller cannot invoke the function (permission, event source): no metric',
          'Lambda publishes nothing for a call that never reached it; count at the caller, or `blindAlert`'),
      ];
    case '`lambdaAsyncAvailability`':
      return blind('the event source cannot invoke the function (permission, its own throttling): no event queued',
        'Lambda publishes nothing for an event it never queued; count at the source, or `blindAlert`');
    case '`eventSourceMappingAvailability`':
      // "If your event source mapping is disabled, you won't receive event source mapping metrics"
      return blind('the mapping is disabled or stops polling: no metric',
        'Lambda publishes no event source mapping metrics while the mapping does not poll; watch the source (`queueFreshness`, `streamFreshness`), or `blindAlert`');
    case '`stateMachineAvailability`':
      return blind('`StartExecution` refused (throttled, IAM): `ExecutionsStarted` stops, nothing fails',
        'refused starts are not published; count at the caller, or `blindAlert`');
    case '`tableAvailability`':
      return blind('requests never reach DynamoDB (network, credentials, endpoint): no metric',
        'DynamoDB publishes only requests it received; count at the caller, or `blindAlert`');
    case '`serviceOperationAvailability`':
      return blind('the service is down or its agent stops sending: no metric',
        'Application Signals sees only what the instrumented service records; pair it with the load balancer\'s SLI, or `blindAlert`');
    case '`distributionAvailability`':
      return blind('viewers never reach CloudFront (DNS, network, client): no `Requests`',
        'CloudFront publishes only requests it received; count at the client (canary), or `blindAlert`');
    case '`restApiAvailability`':
    case '`httpApiAvailability`':
    case '`graphqlApiAvailability`':
      return blind(`requests never reach ${sli.name === '`graphqlApiAvailability`' ? 'AppSync' : 'API Gateway'} (DNS, network, client): no metric`,
        `${sli.name === '`graphqlApiAvailability`' ? 'AppSync' : 'API Gateway'} publishes only requests it received; count at the client (canary), or \`blindAlert\``);
    default:
      // latency SLIs
      return blind('the service answers no request (e.g. ALB 503s): no latency sample',
        'no sample, no judgement; pair it with the availability SLI, or `blindAlert`');
  }
}

/** Timeouts: what each latency SLI records for a request that timed out. */
function timeouts(sli: SliCase): FailureRow[] {
  const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure' | 'minutes'>): FailureRow => (
    { sli: sli.name, failure, minutes: 8 * 60, ...rest });
  const expected: Expected = { pageBy: 5, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 35, ticket: 'allowed' };
  const slow = incident({ errorRatio: 1, durationMinutes: INCIDENT, eventsPerMinute: RATE });
  switch (sli.name) {
    case '`loadBalancerLatency`':
    case '`targetGroupLatency`':
      // TargetResponseTime: no sample for a request whose target never answered (the ELB's 504)
      return [row('targets hang: every request an ELB 504, no `TargetResponseTime` sample', {
        expected, cannot: 'the slowest requests have no sample; `loadBalancerAvailability` counts the 504s',
        scenario: (m) => published(sli, m, silentFor(0, INCIDENT)),
      })];
    case '`loadBalancerAvailability`':
      // the ELB 504 is in HTTPCode_ELB_5XX_Count, and in RequestCount (a target was chosen)
      return [row('targets hang: every request an ELB 504', {
        expected, scenario: (m) => published(sli, m, slow, { badMetric: 'HTTPCode_ELB_5XX_Count' }),
      })];
    case '`targetGroupAvailability`':
      return [row('targets hang: every request an ELB 504 (per load balancer only)', {
        expected, cannot: 'ELB 504s have no TargetGroup dimension; use `loadBalancerAvailability`',
        scenario: (m) => published(sli, m, constantTraffic(RATE)),
      })];
    case '`restApiLatency`':
    case '`httpApiLatency`':
      // Latency: "The time between when API Gateway receives a request from a client and when it
      // returns a response to the client. The latency includes the integration latency and other API
      // Gateway overhead" ("Amazon API Gateway dimensions and metrics"): a 504 after the integration
      // timeout (29 s by default) is a slow sample
      return [row('the integration times out (504 after 29 s): a slow sample', { expected, scenario: (m) => published(sli, m, slow) })];
    case '`lambdaLatency`':
      // Duration: "The maximum data point value possible is the function timeout configuration"
      // (Lambda metric reference); timestamped at the invocation's start (not modelled here)
      return [row('invocations time out: `Duration` = the timeout, a slow sample', { expected, scenario: (m) => published(sli, m, slow) })];
    case '`tableLatency`':
      // SuccessfulRequestLatency times successful requests only ("DynamoDB Metrics and dimensions")
      return [row('requests time out inside DynamoDB (HTTP 500): no `SuccessfulRequestLatency` sample', {
        expected, cannot: 'failed requests have no sample; `tableAvailability` counts them as `SystemErrors`',
        scenario: (m) => published(sli, m, silentFor(0, INCIDENT)),
      })];
    case '`graphqlApiLatency`':
    case '`serviceOperationLatency`':
      return [row('a data source times out, answered at the timeout: a slow sample', { expected, scenario: (m) => published(sli, m, slow) })];
    case '`Sli.latency`':
      return [row('requests time out, recorded at the timeout', { expected, scenario: (m) => published(sli, m, slow) })];
    default:
      return [];
  }
}

/**
 * CloudFront (`distributionAvailability`): bad events are the window's `5xxErrorRate` (`Average`, the
 * mean of its minutes' rates) times its `Requests` / 100. With even traffic that is the count of
 * failed requests, and the rows read as for any ratio SLI; when errors and traffic move together it
 * is not (docs/slis.md), and the last two rows show by how much. 99.9 % over 30 days at 1 000
 * requests a minute: a budget of 43 200 failed requests a month; the 1h tier fires over 1.44 % of
 * its window, the 6h tier over 0.6 %, the 1d ticket tier over 0.3 %.
 */
function distributionRows(sli: SliCase): FailureRow[] {
  /** 50 200, as the table writes numbers. */
  const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ' ');
  const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure' | 'minutes'>): FailureRow => (
    { sli: sli.name, failure, minutes: 8 * 60, ...rest });
  /** 1 000 requests a minute, `rate` of them (and `ratio` of them failing) from minute 0 for `minutes`. */
  const spell = (minutes: number, rate: number, ratio: number): TrafficProfile => ({
    eventsPerMinute: (m) => (m >= 0 && m < minutes ? rate : RATE),
    errorRatio: (m) => (m >= 0 && m < minutes ? ratio : 0),
  });
  return [
    row('every request a 5xx for 20 min', {
      // as any ratio SLI: the first minute pages once it arrives; the 6h tier's 30-minute short window holds it
      expected: { pageBy: 5, holdsThrough: 19, clearBy: 20 + 35, ticket: 'allowed' },
      scenario: (m) => published(sli, m, spell(20, RATE, 1)),
    }),
    row('5 % 5xx for 1 h', {
      // even traffic: the window's mean rate is its error ratio. The 1h tier fires once 5 % × n / 60 > 1.44 %,
      // n ≥ 18 minutes arrived (+2 late); the 6h tier (n ≥ 44) holds the page until its 30-minute short window
      // has left the errors (~60 + 30 + 2)
      expected: { pageFrom: 15, pageBy: 25, holdsThrough: 59, clearBy: 60 + 35, ticket: 'allowed' },
      scenario: (m) => published(sli, m, spell(60, RATE, 0.05)),
    }),
    row('10 % 5xx during a 5-minute traffic peak (20 000 requests a minute)', {
      // 10 000 failed requests in 5 minutes, 23 % of the month's budget: an SRE pages on that
      expected: { pageBy: 10, clearBy: 5 + 35, ticket: 'allowed' },
      approximation: {
        why: `the hour's mean of minute rates (5 × 10 % / 60 = 0.83 %) times its ${thousands(55 * RATE + 5 * 20 * RATE)} requests counts `
          + `about ${thousands(Math.round((0.1 * 5 / 60) * (55 * RATE + 5 * 20 * RATE) / 100) * 100)} of the 10 000 failed requests, `
          + 'under the 1h tier\'s 1.44 %: errors during a peak are under-counted; pair it with the origin\'s SLI',
        measured: { pageBy: 'never', ticket: 'never' },
      },
      scenario: (m) => published(sli, m, spell(5, 20 * RATE, 0.1)),
    }),
    row('every request a 5xx during a 10-minute trough (20 requests a minute)', {
      // 200 failed requests, 0.46 % of the month's budget: an SRE would not page on that
      expected: { pageBy: 'never', ticket: 'never' },
      approximation: {
        why: `the hour's mean of minute rates (10 × 100 % / 60 = 16.7 %) times its ${thousands(50 * RATE + 10 * 20)} requests counts `
          + `about ${thousands(Math.round((10 / 60) * (50 * RATE + 10 * 20) / 100) * 100)} failed requests for 200: errors in a quiet spell are over-counted, and page`,
        measured: { pageBy: 5, clearBy: 10 + 35, ticket: 'allowed' },
      },
      scenario: (m) => published(sli, m, spell(10, 20, 1)),
    }),
  ];
}

/**
 * The event source mapping (`eventSourceMappingAvailability`) beyond what AWS counts: a function
 * error is not in AWS's description of `FailedInvokeEventCount`, so the rows model it as not counted
 * (the retried batches add to `InvokedEventCount` only); and AWS does not say whether a response
 * with batch item failures counts the failed items or the whole batch, so the rows model the
 * reading that counts more (the whole batch) and show by how much.
 */
function eventSourceMappingRows(sli: SliCase): FailureRow[] {
  const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure' | 'minutes'>): FailureRow => (
    { sli: sli.name, failure, minutes: 8 * 60, ...rest });
  // 10-message batches with 1 % of the items failing: 1 - 0.99^10 = 9.56 % of the batches hold a failure
  const wholeBatchShare = 1 - 0.99 ** 10;
  return [
    row('the function throws on every batch (no `reportBatchItemFailures`), 1 h', {
      expected: { pageBy: 5, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 35, ticket: 'allowed' },
      cannot: 'AWS\'s `FailedInvokeEventCount` counts invocations that never reached the function and responses with '
        + '`BatchItemFailures`, not function errors: the retried batches add to `InvokedEventCount` only. Pair it with '
        + '`lambdaAvailability(fn)`, which counts them as `Errors` (and `streamFreshness` for a stream)',
      scenario: (m) => published(sli, m, constantTraffic(RATE)),
    }),
    row('1 % of the items fail in 10-message batches (partial batch responses), 1 h', {
      // 1 % of events for an hour at 99.9 %: a burn of 10 for an hour, 1.4 % of the month's budget: no page, no ticket
      expected: { pageBy: 'never', ticket: 'never' },
      approximation: {
        why: 'AWS counts "any event with a non-empty BatchItemFailures in the response" and does not say whether that is the '
          + `failed items or the whole batch; modelled as the whole batch, 1 − 0.99¹⁰ = ${(wholeBatchShare * 100).toFixed(1)} % of the events count `
          + 'as bad for 1 % failing, and it pages at 99.9 %',
        measured: { pageFrom: 5, pageBy: 15, clearBy: INCIDENT + 35, ticket: 'allowed' },
      },
      scenario: (m) => published(sli, m, incident({ errorRatio: wholeBatchShare, durationMinutes: INCIDENT, eventsPerMinute: RATE })),
    }),
  ];
}

/** Every row of the table. */
export function failureRows(): FailureRow[] {
  const rows: FailureRow[] = [];
  for (const sli of SLIS) {
    const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure'>) => rows.push({ sli: sli.name, failure, ...rest });
    const what = sli.kind === 'latency' ? 'slow' : 'errors';
    const full = sli.kind === 'latency' ? 'every request slow' : sli.outage ?? 'full outage';
    const outage = incident({ errorRatio: 1, durationMinutes: INCIDENT, eventsPerMinute: RATE });
    row(`${full}, 1 h`, {
      expected: { pageBy: 5, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 35, ticket: 'allowed' }, minutes: 8 * 60,
      scenario: (m) => published(sli, m, outage),
    });
    row(`${full}, 1 h, no ingestion delay (the formula's model)`, {
      expected: { pageBy: 1, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 35, ticket: 'allowed' }, minutes: 8 * 60, delayMinutes: 0,
      scenario: (m) => published(sli, m, outage),
    });
    row(`2 % ${what}, 2 h`, {
      // formula: 43.2 min on the 1h tier; the 6h tier (fired at 1.8 h) holds the page until ~30 min after
      expected: { pageFrom: 40, pageBy: 50, holdsThrough: 119, clearBy: 120 + 35, ticket: 'never' }, minutes: 12 * 60,
      scenario: (m) => published(sli, m, incident({ errorRatio: 0.02, durationMinutes: 120, eventsPerMinute: RATE })),
    });
    rows.push(...totalStops(sli));
    rows.push(...timeouts(sli));
    row(`traffic stops after a 10-minute ${sli.kind === 'latency' ? 'all-slow spell' : 'outage'}`, {
      // one short window (30 min, the 6h tier's) after the last bad event, not the evaluation range;
      // 10 minutes of total outage spend 23 % of the budget: a ticket may follow the page
      expected: { pageBy: 5, clearBy: 10 + 35, ticket: 'allowed' }, minutes: 8 * 60,
      scenario: (m) => published(sli, m, trafficStopsAt(incident({ errorRatio: 1, durationMinutes: 10, eventsPerMinute: RATE }), 10)),
    });
    row(`one ${sli.kind === 'latency' ? 'slow request' : 'failure'} at 5 requests an hour`, {
      expected: { pageBy: 'never', ticket: 'never' }, minutes: 3 * 1_440,
      scenario: (m) => published(sli, m, incidentWindow(spreadTraffic(5), 0, 1, 1)),
    });
    const sustained = `every request ${what === 'slow' ? 'slow' : 'failing'} for 6 h at 1 request an hour`;
    const hourly = (m: SloAlarmModel) => published(sli, m, incidentWindow(spreadTraffic(1), 0, 6 * 60, 1));
    row(sustained, {
      expected: { pageBy: 65, holdsThrough: 6 * 60 - 1, clearBy: 6 * 60 + 35, ticket: 'allowed' }, minutes: 10 * 60,
      limit: 'a short window without a request reads 0 (no request is no evidence, and it is what clears a page when traffic '
        + 'stops), so the page clears 30 minutes after each failed request and fires again at the next; for traffic this sparse, '
        + 'give a page tier a short window longer than the gap between requests',
      scenario: hourly,
    });
    row(`${sustained}, page tier 6h with a 2h short window`, {
      // the 2h short window always holds a request: one page, which clears 2 hours after the last failure
      expected: { pageBy: 65, holdsThrough: 6 * 60 - 1, clearBy: 6 * 60 + 125, ticket: 'allowed' }, minutes: 10 * 60,
      alerting: AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 5, longWindow: Duration.hours(6), shortWindow: Duration.hours(2) }]),
      policyName: 'page-6h-2h',
      scenario: hourly,
    });
    row(`every request ${what === 'slow' ? 'slow' : 'failing'} for 6 h at 5 requests an hour`, {
      // pages at the second failed request (12 minutes after the first) once it has arrived
      expected: { pageBy: 20, holdsThrough: 6 * 60 - 1, clearBy: 6 * 60 + 35, ticket: 'allowed' }, minutes: 12 * 60,
      scenario: (m) => published(sli, m, incidentWindow(spreadTraffic(5), 0, 6 * 60, 1)),
    });
    rows.push(...(sli.extraRows?.(sli) ?? []));
  }
  for (const sli of SLICE_SLIS) {
    rows.push(...sliceFailureRows(sli));
  }
  return rows;
}

/**
 * A time-slice SLI under test (`Sli.timeSlice` and the time-slice presets): how to build it, what
 * its metrics publish in a good and in a bad minute, and the failure in words. A preset adds its
 * entry to `SLICE_SLIS`; `sliceFailureRows` gives every entry the generic rows (the condition
 * failing for 20 minutes, for one minute at 99.9 % and at 99.5 %, the metric falling silent), and
 * `extraRows` adds the preset's own.
 */
export interface SliceSliCase {
  readonly name: string;
  readonly build: (stack: Stack) => ISli;
  /**
   * What `metric` publishes in a minute that is good or bad for the condition (undefined: nothing):
   * the age of the oldest message, 30 or 900 seconds.
   */
  readonly value: (metric: MetricIdentity, bad: boolean, minute: number) => number | undefined;
  /** The failure, as the table's failure column starts: `the oldest message older than 5 min`. */
  readonly failure: string;
  /** What a silent metric means for it, as the failure column says: `the queue's metrics stop`. */
  readonly silence: string;
  /** Rows of its own. @default - the generic rows only */
  readonly extraRows?: (sli: SliceSliCase) => FailureRow[];
  /**
   * Rows instead of the generic ones, whose expectations are for 1-minute slices (a canary's slice
   * is its run interval).
   * @default - the generic rows
   */
  readonly rows?: (sli: SliceSliCase) => FailureRow[];
  /**
   * A missing slice is good (`SliceMissingData.GOOD`, for metrics AWS publishes only while there is
   * something to report): the silent-metric row then cannot see the silence, and says what can.
   * @default - a missing slice is bad
   */
  readonly missingGood?: string;
}

/** The canary of the canarySuccess rows runs every 5 minutes: 5-minute slices. */
const CANARY_RUN_MINUTES = 5;

const queueAge = (s: Stack) => new sqs.Queue(s, 'Queue').metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM });

export const SLICE_SLIS: SliceSliCase[] = [
  {
    name: '`Sli.timeSlice`',
    // SQS publishes ApproximateAgeOfOldestMessage every minute while the queue exists ("Available
    // CloudWatch metrics for Amazon SQS"); SliceMissingData.BAD by default: a silent minute is bad
    build: (s) => Sli.timeSlice({ metric: queueAge(s), comparison: SliceComparison.LESS_THAN, threshold: 300 }),
    value: (_, bad) => (bad ? 900 : 30),
    failure: 'queue age over 5 min',
    silence: 'the queue\'s metric stops',
  },
  {
    name: '`Sli.queueFreshness`',
    build: (s) => Sli.queueFreshness(new sqs.Queue(s, 'Queue')),
    value: (_, bad) => (bad ? 900 : 30),
    failure: 'oldest message older than 5 min',
    silence: 'the queue publishes no age (empty or inactive)',
    missingGood: 'SQS publishes the age only while a message waits: a consumer that stops while nothing is sent is invisible; pair with the consumer\'s own SLI',
  },
  {
    name: '`Sli.deadLetterQueueEmpty`',
    build: (s) => Sli.deadLetterQueueEmpty(new sqs.Queue(s, 'DeadLetters')),
    value: (_, bad) => (bad ? 3 : 0),
    failure: 'dead letters waiting',
    silence: 'the dead-letter queue publishes nothing (inactive for hours)',
    missingGood: 'SQS stops publishing for an inactive queue: untouched dead letters can read as good after hours; act on the page, not on its clearing',
  },
  {
    name: '`Sli.streamFreshness`',
    build: (s) => Sli.streamFreshness(new kinesis.Stream(s, 'Stream')),
    value: (_, bad) => (bad ? 600_000 : 1_000),
    failure: 'iterator age over 1 min',
    silence: 'no consumer calls GetRecords',
  },
  {
    name: '`Sli.ecsServiceRunningTasks`',
    build: (s) => {
      const cluster = new ecs.Cluster(s, 'Cluster', { containerInsightsV2: ecs.ContainerInsights.ENABLED });
      const task = new ecs.FargateTaskDefinition(s, 'Task');
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
      return Sli.ecsServiceRunningTasks(new ecs.FargateService(s, 'Service', { cluster, taskDefinition: task, desiredCount: 2 }));
    },
    // Container Insights: RunningTaskCount (Minimum) against DesiredTaskCount (Maximum)
    value: (metric, bad) => (metric.metricName === 'DesiredTaskCount' ? 2 : bad ? 1 : 2),
    failure: 'fewer tasks running than desired',
    silence: 'Container Insights publishes nothing',
  },
  {
    name: '`Sli.canarySuccess`',
    build: (s) => Sli.canarySuccess(new synthetics.Canary(s, 'Probe', {
      schedule: synthetics.Schedule.rate(Duration.minutes(CANARY_RUN_MINUTES)),
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
    })),
    // one run every 5 minutes: SuccessPercent 100 (passed) or 0 (failed) in the run's minute, nothing in
    // the 4 minutes between runs; timestamped at the run's start is not verified ("CloudWatch metrics
    // published by canaries" gives only "Valid Statistic: Average, Units: Percent")
    value: (_, bad, minute) => (((minute % CANARY_RUN_MINUTES) + CANARY_RUN_MINUTES) % CANARY_RUN_MINUTES === 0 ? (bad ? 0 : 100) : undefined),
    failure: 'the canary failing',
    silence: 'the canary stops running',
    rows: (sli) => canaryRows(sli),
  },
];

/** `sli`'s metrics minute by minute: bad in [from, to), good otherwise; `silent` publishes nothing when bad. */
function slices(sli: SliceSliCase, from: number, to: number, silent = false): Scenario {
  return (metric, minute) => {
    const bad = minute >= from && minute < to;
    return bad && silent ? undefined : sli.value(metric, bad, minute);
  };
}

/**
 * The generic rows of a time-slice SLI (99.9 % of good minutes over 30 days unless said): a slice
 * fails when its condition does, and a tier fires when both its windows hold M bad slices of N.
 * At 99.9 % the budget is 43 bad minutes a month and the 1-hour page tier allows 2 % of it, 0.86
 * of a minute: one bad minute pages (as a one-minute full outage pages a ratio SLO); at 99.5 % it
 * allows 4.
 */
export function sliceFailureRows(sli: SliceSliCase): FailureRow[] {
  if (sli.rows) {
    return sli.rows(sli);
  }
  const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure'>): FailureRow => ({ sli: sli.name, failure, ...rest });
  return [
    row(`${sli.failure} for 20 min`, {
      // the first bad minute arrives 2 minutes late; the 6h tier's 30-minute short window holds the page after it
      expected: { pageBy: 5, holdsThrough: 19, clearBy: 20 + 35, ticket: 'allowed' }, minutes: 8 * 60,
      scenario: () => slices(sli, 0, 20),
    }),
    row(`${sli.failure} for one minute`, {
      // one minute of 60 is over the 1h tier's 1.44 %: it pages until the minute leaves the 5-minute short window
      expected: { pageBy: 5, clearBy: 10, ticket: 'never' }, minutes: 3 * 60,
      scenario: () => slices(sli, 0, 1),
    }),
    row(`${sli.failure} for one minute, objective 99.5 %`, {
      expected: { pageBy: 'never', ticket: 'never' }, minutes: 3 * 60, objective: 99.5,
      scenario: () => slices(sli, 0, 1),
    }),
    sli.missingGood === undefined
      ? row(`${sli.silence} for 1 h (a missing slice is bad)`, {
        expected: { pageBy: 5, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 35, ticket: 'allowed' }, minutes: 8 * 60,
        scenario: () => slices(sli, 0, INCIDENT, true),
      })
      : row(`${sli.silence} for 1 h (a missing slice is good)`, {
        expected: { pageBy: 'never', ticket: 'never' }, minutes: 8 * 60, cannot: sli.missingGood,
        scenario: () => slices(sli, 0, INCIDENT, true),
      }),
    ...(sli.extraRows?.(sli) ?? []),
  ];
}

/**
 * `Sli.canarySuccess` on a canary that runs every 5 minutes: 5-minute slices (the alarms' period is
 * 300 s, `SuccessPercent` `Average`), so each datapoint holds exactly one run (the evaluator averages
 * the minutes that have a datapoint: the 4 empty minutes between runs are not missing slices).
 *
 * The arithmetic at 99.9 % over 30 days: 8 640 slices a month, a budget of 8.6 bad slices. M of N
 * per tier (`slicesToAlarm`: floor(burn × budget × N) + 1): 1h tier 14.4 × 0.001 × 12 = 0.17 → 1 of
 * 12, short 5m 1 of 1; 6h tier 6 × 0.001 × 72 = 0.43 → 1 of 72, short 30m 1 of 6; 1d ticket tier
 * 3 × 0.001 × 288 = 0.86 → 1 of 288, short 2h 1 of 24 (the 3d tier is left out: 864 slices of 5
 * minutes exceed CloudWatch's one day for periods under an hour). So every failed run is one bad
 * slice, 12 % of the month's budget, and fires every tier. At 99 % (86 bad slices a month): the 1h
 * tier needs 14.4 × 0.01 × 12 = 1.7 → 2 of 12, so one failed run does not page.
 *
 * When it shows: a run at minute 0 arrives at 2 (the ingestion delay): the evaluation at the end of
 * minute 2 (minute 3 in the table) reads it. A slice without a run is bad (`breaching`), but only
 * once the evaluation range (N + 2 datapoints) holds fewer than N runs: the 5-minute short window's
 * range is 3 slices, 15 minutes, which a canary that stops must empty before it pages.
 */
function canaryRows(sli: SliceSliCase): FailureRow[] {
  const row = (failure: string, rest: Omit<FailureRow, 'sli' | 'failure'>): FailureRow => ({ sli: sli.name, failure, ...rest });
  return [
    row('every run failing for 30 min (6 runs)', {
      // the first failed run pages once it arrives (~3); the last (minute 25) stays in the 6h tier's
      // 30-minute short window until ~25 + 30 + 2
      expected: { pageBy: 5, holdsThrough: 29, clearBy: 30 + 35, ticket: 'allowed' }, minutes: 8 * 60,
      scenario: () => slices(sli, 0, 30),
    }),
    row('one failed run', {
      // one bad slice of 8.6 a month: every tier fires (see above); the page holds while the run is in
      // the 6h tier's 30-minute short window (~32), and a ticket follows (12 % of the budget in a day)
      expected: { pageBy: 5, clearBy: 5 + 35, ticket: 'allowed' }, minutes: 3 * 60,
      scenario: () => slices(sli, 0, 1),
    }),
    row('one failed run, objective 99 %', {
      expected: { pageBy: 'never', ticket: 'never' }, minutes: 3 * 60, objective: 99,
      scenario: () => slices(sli, 0, 1),
    }),
    row('two failed runs in an hour, objective 99 %', {
      // 2 of 12 on the 1h tier, and the second run in the 5-minute short window: pages when it arrives (~23)
      expected: { pageFrom: 20, pageBy: 25, clearBy: 20 + 35, ticket: 'never' }, minutes: 3 * 60, objective: 99,
      scenario: () => (metric, minute) => sli.value(metric, minute === 0 || minute === 20, minute),
    }),
    row('the canary stops running for 1 h (a missing slice is bad)', {
      // the short window's range (3 slices) empties ~15 minutes after the last run (minute -5): pages by
      // ~15; runs resume at 60 and the 6h tier's 30-minute short window must fill with runs again (6 runs, ~60 + 30 + 2)
      expected: { pageBy: 15, holdsThrough: INCIDENT - 1, clearBy: INCIDENT + 30 + 5 + 2, ticket: 'allowed' }, minutes: 8 * 60,
      scenario: () => slices(sli, 0, INCIDENT, true),
    }),
  ];
}
