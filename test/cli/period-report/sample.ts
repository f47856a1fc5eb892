/**
 * The sample app (bin/app.ts, stacks Shop and Orders) synthesized, and a month of its life in a
 * fake account: traffic with a few bad episodes, the pages they raised and who answered, the weekly
 * game day of checkout (one run stopped by its stop condition) and a manual experiment on search;
 * in Orders, a consumer outage that let the order-events queue age for 90 minutes and sent messages
 * to the dead-letter queue (time-slice SLOs, 1-minute slices), paged on OrdersOnCall, and a zone
 * power interruption on storefront that fired a stop condition. `review` run against it gives the
 * report saved as fixtures/sample-report.json (the HTML page and the README screenshot read it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shopApp } from '../../../bin/app';
import type { ReliabilityManifest } from '../../../lib/manifest/schema';
import { ACCOUNT, REGION } from '../support/harness';
import { FakeAccount, LogLine } from './world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Synthesizes the sample app into a temporary directory; returns it and its stacks' manifests. */
export function synthSample(): { dir: string; manifest: ReliabilityManifest; orders: ReliabilityManifest } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-sample-'));
  shopApp({ outdir: dir }).app.synth();
  const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(dir, `${stack}.reliability.json`), 'utf8')) as ReliabilityManifest;
  return { dir, manifest: read('Shop'), orders: read('Orders') };
}

const at = (iso: string) => Date.parse(iso);
const within = (t: number, from: string, to: string) => t >= at(from) && t < at(to);

/** Deploy-time values of the sample's metrics, as the deployed alarms hold them. */
export const DEPLOYED = {
  '${SearchHandler00CE2B50}': 'Shop-SearchHandler00CE2B50-x1Y2z3',
  '${SearchApi2D039D25}': 'a1b2c3d4e5',
  '${FulfilmentWorkflow30B5DEC9}': `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:FulfilmentWorkflow30B5DEC9-AbCdEf`,
  '${StorefrontAlb8B2F069D.LoadBalancerFullName}': 'app/Orders-Store-1A2B3C4D5E6F/0123456789abcdef',
  '${OrdersTable315BB997}': 'Orders-OrdersTable315BB997-7G8H9I0J',
  '${OrderEvents91E7078A.QueueName}': 'Orders-OrderEvents91E7078A-Qw3Er5Ty',
  '${OrderEventsDlq56EEDE37.QueueName}': 'Orders-OrderEventsDlq56EEDE37-Ui8Op0As',
  '${OrderEventsConsumerB3984A37}': 'Orders-OrderEventsConsumerB3984A37-Df4Gh6Jk',
  '${ClusterEB0386A7}': 'Orders-ClusterEB0386A7-Lz2Xc4Vb',
  '${StorefrontService4BCCBFD3.Name}': 'Orders-StorefrontService4BCCBFD3-Nm6Qw8Er',
};

export const ESCALATION_LOG_GROUP = 'Shop-ShopOnCallEscalationLogsA1B2C3D4-kL9mN8oP7qR6';
export const CHECKOUT_TEMPLATE = 'EXTcheckoutSlowHandler1';
export const SEARCH_TEMPLATE = 'EXTsearchHandlerErrors2';
export const ORDERS_LOG_GROUP = 'Orders-OrdersOnCallEscalationLogsE5F6A7B8-sT5uV4wX3yZ2';
export const AZ_POWER_TEMPLATE = 'EXTstorefrontAzPower4';
export const CPU_STRESS_TEMPLATE = 'EXTstorefrontCpuStress5';

/**
 * The order-events consumer's outage: its errors from 13:00, the queue's oldest message over the
 * freshness SLO's 5 minutes from 13:00 to 14:30 (90 bad 1-minute slices), messages in the
 * dead-letter queue from 13:30 to 15:00. An older stretch (2024-04-08, 120 minutes) lies beyond
 * the 15 days CloudWatch keeps 1-minute data at the report's time: it cannot be counted.
 */
export const QUEUE_OUTAGE = { from: '2024-04-24T13:00Z', to: '2024-04-24T14:30Z', dlqFrom: '2024-04-24T13:30Z', dlqTo: '2024-04-24T15:00Z' };
export const OLD_QUEUE_OUTAGE = { from: '2024-04-08T09:00Z', to: '2024-04-08T11:00Z' };

/**
 * The storefront's tasks (Container Insights, 2 desired): the zone power interruption stopped one
 * of them from 09:02 to 09:12 on 2024-04-25 (10 minutes running fewer than desired), and Container
 * Insights published nothing for 3 minutes on 2024-04-20 (missing minutes, bad by the preset's rule).
 */
export const SHORT_OF_TASKS = { from: '2024-04-25T09:02Z', to: '2024-04-25T09:12Z' };
export const TASKS_SILENT = { from: '2024-04-20T03:00Z', to: '2024-04-20T03:03Z' };

/** A day at 03:00 UTC: checkout has one 5XX a minute for ten minutes. */
const nightlyBlip = (t: number) => {
  const minuteOfDay = (t % (24 * HOUR)) / MINUTE;
  return minuteOfDay >= 180 && minuteOfDay < 190;
};

/** Composite alarms that went to ALARM and back to OK: [name, ALARM at, OK at]. */
function alarmed(account: FakeAccount, transitions: ReadonlyArray<readonly [string, string, string]>): void {
  for (const [alarm, alarmAt, okAt] of transitions) {
    account.transitions.push({ alarm, at: at(alarmAt), state: 'ALARM' }, { alarm, at: at(okAt), state: 'OK' });
  }
}

/** A log line of `policy`'s escalation function, as its logger writes it. */
function logLineOf(policy: string) {
  return (time: string, event: string, fields: Record<string, string | number>): LogLine => ({ level: 'INFO', msg: event, policy, time, event, ...fields });
}

/** Fills `account` with the sample's month up to `T0`: Shop, and Orders when its manifest is given. */
export function sampleAccount(account: FakeAccount, manifest: ReliabilityManifest, orders?: ReliabilityManifest): FakeAccount {
  const m = account.metrics;
  m.deploy(manifest, DEPLOYED);
  if (orders) {
    ordersMonth(account, orders);
  }
  const api = { ApiName: 'checkout', Stage: 'prod' };
  const fn = { FunctionName: DEPLOYED['${SearchHandler00CE2B50}'] };
  const searchApi = { ApiId: DEPLOYED['${SearchApi2D039D25}'] };
  const workflow = { StateMachineArn: DEPLOYED['${FulfilmentWorkflow30B5DEC9}'] };
  const fulfilmentGap = (t: number) => within(t, '2024-04-05T00:00Z', '2024-04-05T06:00Z');

  m.define({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: api, statistic: 'SampleCount', perMinute: () => 120 })
    .define({
      namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: api, statistic: 'Sum',
      perMinute: (t) => (within(t, '2024-04-12T10:05Z', '2024-04-12T10:45Z') ? 30
        : within(t, '2024-04-23T08:02Z', '2024-04-23T08:20Z') ? 20 : nightlyBlip(t) ? 1 : 0),
    })
    .define({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: api, statistic: 'SampleCount', perMinute: () => 120 })
    .define({
      namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: api, statistic: 'TC(:300)',
      perMinute: (t) => (within(t, '2024-04-23T08:02Z', '2024-04-23T08:20Z') ? 60 : 119.5),
    })
    .define({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: fn, statistic: 'Sum', perMinute: () => 50 })
    .define({
      namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: fn, statistic: 'Sum',
      perMinute: (t) => (within(t, '2024-04-18T14:00Z', '2024-04-18T14:30Z') ? 4 : 0),
    })
    .define({
      namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: fn, statistic: 'Sum',
      perMinute: (t) => (within(t, '2024-04-18T14:00Z', '2024-04-18T14:30Z') ? 12 : within(t, '2024-04-29T16:00Z', '2024-04-29T16:10Z') ? 3 : 0),
    })
    .define({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: searchApi, statistic: 'SampleCount', perMinute: () => 50 })
    .define({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: searchApi, statistic: 'TC(:500)', perMinute: () => 50 })
    .define({
      namespace: 'AWS/States', metricName: 'ExecutionsStarted', dimensions: workflow, statistic: 'Sum',
      perMinute: (t) => (fulfilmentGap(t) ? undefined : 2),
    })
    .define({
      namespace: 'AWS/States', metricName: 'ExecutionsFailed', dimensions: workflow, statistic: 'Sum',
      perMinute: (t) => (fulfilmentGap(t) ? undefined : within(t, '2024-04-09T12:00Z', '2024-04-09T12:30Z') ? 1 : 0),
    })
    .define({
      namespace: 'AWS/States', metricName: 'ExecutionsTimedOut', dimensions: workflow, statistic: 'Sum',
      perMinute: (t) => (fulfilmentGap(t) ? undefined : within(t, '2024-04-27T01:00Z', '2024-04-27T03:00Z') ? 2 : 0),
    });

  // the page and ticket composites' history
  alarmed(account, [
    ['checkout-availability-page', '2024-04-12T10:12:00Z', '2024-04-12T10:50:00Z'],
    ['checkout-availability-ticket', '2024-04-12T11:30:00Z', '2024-04-13T02:00:00Z'],
    ['checkout-latency-page', '2024-04-23T08:10:00Z', '2024-04-23T08:35:00Z'],
    ['search-availability-page', '2024-04-18T14:08:00Z', '2024-04-18T14:40:00Z'],
    ['fulfilment-availability-page', '2024-04-27T01:15:00Z', '2024-04-27T03:20:00Z'],
  ]);

  // the escalation function's log lines (what the handler logs, fields included)
  const line = logLineOf('ShopOnCall');
  const opened = (time: string, alarmName: string, severity: string) =>
    line(time, 'incident-opened', { alarmName, severity, incidentStart: time.replace(/Z$/, '.000Z'), stateChangeTime: time });
  account.logLines.push(
    opened('2024-04-12T10:12:00Z', 'checkout-availability-page', 'page'),
    line('2024-04-12T10:27:00Z', 'incident-escalated', { alarmName: 'checkout-availability-page', incidentStart: '2024-04-12T10:12:00.000Z', escalationLevel: 1, cycle: 0 }),
    line('2024-04-12T10:29:40Z', 'incident-acknowledged', {
      alarmName: 'checkout-availability-page', incidentStart: '2024-04-12T10:12:00.000Z', escalationLevel: 1, severity: 'page', ackedBy: 'maria', ackedAt: '2024-04-12T10:29:38.000Z',
    }),
    line('2024-04-12T10:50:01Z', 'incident-resolved', { alarmName: 'checkout-availability-page', incidentStart: '2024-04-12T10:12:00.000Z', resolution: 'ok', resolvedAt: '2024-04-12T10:50:00.000Z' }),
    opened('2024-04-12T11:30:00Z', 'checkout-availability-ticket', 'ticket'),
    line('2024-04-13T02:00:01Z', 'incident-resolved', { alarmName: 'checkout-availability-ticket', incidentStart: '2024-04-12T11:30:00.000Z', resolution: 'ok', resolvedAt: '2024-04-13T02:00:00.000Z' }),
    opened('2024-04-18T14:08:00Z', 'search-availability-page', 'page'),
    line('2024-04-18T14:11:12Z', 'incident-acknowledged', {
      alarmName: 'search-availability-page', incidentStart: '2024-04-18T14:08:00.000Z', escalationLevel: 0, severity: 'page', ackedBy: 'maria', ackedAt: '2024-04-18T14:11:10.000Z',
    }),
    line('2024-04-18T14:40:01Z', 'incident-resolved', { alarmName: 'search-availability-page', incidentStart: '2024-04-18T14:08:00.000Z', resolution: 'ok', resolvedAt: '2024-04-18T14:40:00.000Z' }),
    opened('2024-04-23T08:10:00Z', 'checkout-latency-page', 'page'),
    line('2024-04-23T08:13:20Z', 'incident-acknowledged', {
      alarmName: 'checkout-latency-page', incidentStart: '2024-04-23T08:10:00.000Z', escalationLevel: 0, severity: 'page', ackedBy: 'jonas', ackedAt: '2024-04-23T08:13:19.000Z',
    }),
    line('2024-04-23T08:35:01Z', 'incident-resolved', { alarmName: 'checkout-latency-page', incidentStart: '2024-04-23T08:10:00.000Z', resolution: 'ok', resolvedAt: '2024-04-23T08:35:00.000Z' }),
    opened('2024-04-27T01:15:00Z', 'fulfilment-availability-page', 'page'),
    ...[['01:30', 1, 0], ['02:00', 2, 0], ['02:15', 0, 1], ['02:30', 1, 1], ['03:00', 2, 1]].map(([time, level, cycle]) =>
      line(`2024-04-27T${time}:00Z`, 'incident-escalated', { alarmName: 'fulfilment-availability-page', incidentStart: '2024-04-27T01:15:00.000Z', escalationLevel: level, cycle })),
    line('2024-04-27T03:15:00Z', 'escalation-exhausted', { alarmName: 'fulfilment-availability-page', incidentStart: '2024-04-27T01:15:00.000Z', escalationLevel: 0, cycle: 2, levelCount: 3, passes: 2 }),
    line('2024-04-27T03:20:01Z', 'incident-resolved', { alarmName: 'fulfilment-availability-page', incidentStart: '2024-04-27T01:15:00.000Z', resolution: 'ok', resolvedAt: '2024-04-27T03:20:00.000Z' }),
  );
  account.logGroups.set('ShopOnCall-UnverifiedAlarmMessages', { name: ESCALATION_LOG_GROUP, retentionInDays: 30 });

  // FIS: the two templates of the stack and one of another stack
  const tags = (service: string, experiment: string, stack = 'Shop') =>
    ({ 'cdk-reliability:stack': stack, 'cdk-reliability:service': service, 'cdk-reliability:experiment': experiment, Name: `${service}-${experiment}` });
  account.templates.push(
    { id: CHECKOUT_TEMPLATE, tags: tags('checkout', 'slow-handler') },
    { id: SEARCH_TEMPLATE, tags: tags('search', 'handler-errors') },
    { id: 'EXTotherStack3', tags: tags('checkout', 'slow-handler', 'Staging-Shop') },
  );
  // checkout's game day: Tuesdays 10:00 Europe/Berlin (08:00 UTC in summer time)
  const gameDay = (id: string, day: string, status = 'completed', reason?: string) => ({
    id, experimentTemplateId: CHECKOUT_TEMPLATE, status, ...(reason ? { reason } : {}),
    startTime: at(`${day}T08:00:21Z`), endTime: at(`${day}T${status === 'stopped' ? '08:11:02' : '08:17:30'}Z`),
  });
  account.experiments.push(
    gameDay('EXPmarch26', '2024-03-26'),
    gameDay('EXPapril02', '2024-04-02'),
    gameDay('EXPapril09', '2024-04-09'),
    gameDay('EXPapril16', '2024-04-16'),
    gameDay('EXPapril23', '2024-04-23', 'stopped', 'Experiment stopped by stop condition.'),
    gameDay('EXPapril30', '2024-04-30'),
    { id: 'EXPsearchManual', experimentTemplateId: SEARCH_TEMPLATE, status: 'completed', reason: 'Experiment completed.', startTime: at('2024-04-18T14:00:05Z'), endTime: at('2024-04-18T14:20:40Z') },
    { id: 'EXPotherStack', experimentTemplateId: 'EXTotherStack3', status: 'completed', startTime: at('2024-04-20T09:00:00Z'), endTime: at('2024-04-20T09:10:00Z') },
  );
  return account;
}

/** The Orders stack's month (see the file's comment). */
function ordersMonth(account: FakeAccount, orders: ReliabilityManifest): void {
  const m = account.metrics;
  m.deploy(orders, DEPLOYED);
  const alb = { LoadBalancer: DEPLOYED['${StorefrontAlb8B2F069D.LoadBalancerFullName}'] };
  const table = (Operation: string) => ({ Operation, TableName: DEPLOYED['${OrdersTable315BB997}'] });
  const queue = { QueueName: DEPLOYED['${OrderEvents91E7078A.QueueName}'] };
  const dlq = { QueueName: DEPLOYED['${OrderEventsDlq56EEDE37.QueueName}'] };
  const consumer = { FunctionName: DEPLOYED['${OrderEventsConsumerB3984A37}'] };
  const zoneOut = (t: number) => within(t, '2024-04-25T09:02Z', '2024-04-25T09:09Z');
  const tasks = { ClusterName: DEPLOYED['${ClusterEB0386A7}'], ServiceName: DEPLOYED['${StorefrontService4BCCBFD3.Name}'] };
  const published = (t: number) => !within(t, TASKS_SILENT.from, TASKS_SILENT.to);

  m.define({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: alb, statistic: 'Sum', perMinute: () => 200 })
    .define({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', dimensions: alb, statistic: 'Sum', perMinute: (t) => (zoneOut(t) ? 25 : 0) })
    .define({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: alb, statistic: 'Sum', perMinute: (t) => (zoneOut(t) ? 15 : 0) })
    .define({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: alb, statistic: 'SampleCount', perMinute: () => 200 })
    .define({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: alb, statistic: 'TC(:0.5)', perMinute: (t) => (zoneOut(t) ? 150 : 199) })
    .define({
      namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: tasks, statistic: 'Minimum',
      perMinute: (t) => (!published(t) ? undefined : within(t, SHORT_OF_TASKS.from, SHORT_OF_TASKS.to) ? 1 : 2),
    })
    .define({ namespace: 'ECS/ContainerInsights', metricName: 'DesiredTaskCount', dimensions: tasks, statistic: 'Maximum', perMinute: (t) => (published(t) ? 2 : undefined) });
  for (const operation of ['GetItem', 'PutItem', 'Query']) {
    m.define({ namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency', dimensions: table(operation), statistic: 'SampleCount', perMinute: () => 100 })
      .define({ namespace: 'AWS/DynamoDB', metricName: 'SystemErrors', dimensions: table(operation), statistic: 'Sum', perMinute: () => 0 });
  }
  m.define({ namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency', dimensions: table('GetItem'), statistic: 'TC(:20)', perMinute: () => 100 })
    .define({
      namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: queue, statistic: 'Maximum',
      perMinute: (t) => (within(t, QUEUE_OUTAGE.from, QUEUE_OUTAGE.to) || within(t, OLD_QUEUE_OUTAGE.from, OLD_QUEUE_OUTAGE.to) ? 900 : 4),
    })
    .define({
      namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: dlq, statistic: 'Maximum',
      // the dead-letter queue's metric is published while the queue is active only: silent minutes count good
      perMinute: (t) => (within(t, QUEUE_OUTAGE.dlqFrom, QUEUE_OUTAGE.dlqTo) ? 12 : (t / MINUTE) % 5 === 0 ? 0 : undefined),
    })
    .define({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: consumer, statistic: 'Sum', perMinute: () => 40 })
    .define({ namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: consumer, statistic: 'Sum', perMinute: () => 0 })
    .define({
      namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: consumer, statistic: 'Sum',
      perMinute: (t) => (within(t, QUEUE_OUTAGE.from, QUEUE_OUTAGE.to) ? 4 : 0),
    });

  alarmed(account, [
    ['order-events-freshness-page', '2024-04-24T13:12:00Z', '2024-04-24T14:40:00Z'],
    ['order-events-dead-letters-page', '2024-04-24T13:36:00Z', '2024-04-24T15:05:00Z'],
    ['storefront-availability-page', '2024-04-25T09:06:00Z', '2024-04-25T09:20:00Z'],
  ]);
  const line = logLineOf('OrdersOnCall');
  const incident = (alarmName: string, openedAt: string, ack: [string, string] | undefined, resolvedAt: string): LogLine[] => {
    const incidentStart = openedAt.replace(/Z$/, '.000Z');
    return [
      line(openedAt, 'incident-opened', { alarmName, severity: 'page', incidentStart, stateChangeTime: openedAt }),
      ...(ack ? [line(ack[1].replace(/\.000Z$/, 'Z'), 'incident-acknowledged', {
        alarmName, incidentStart, escalationLevel: 0, severity: 'page', ackedBy: ack[0], ackedAt: ack[1],
      })] : []),
      line(new Date(at(resolvedAt) + 1000).toISOString().replace(/\.000Z$/, 'Z'), 'incident-resolved', {
        alarmName, incidentStart, resolution: 'ok', resolvedAt: new Date(at(resolvedAt)).toISOString(),
      }),
    ];
  };
  account.logLines.push(
    ...incident('order-events-freshness-page', '2024-04-24T13:12:00Z', ['li', '2024-04-24T13:15:30.000Z'], '2024-04-24T14:40:00Z'),
    ...incident('order-events-dead-letters-page', '2024-04-24T13:36:00Z', ['li', '2024-04-24T13:37:10.000Z'], '2024-04-24T15:05:00Z'),
    ...incident('storefront-availability-page', '2024-04-25T09:06:00Z', ['jonas', '2024-04-25T09:08:05.000Z'], '2024-04-25T09:20:00Z'),
  );
  account.logGroups.set('OrdersOnCall-UnverifiedAlarmMessages', { name: ORDERS_LOG_GROUP, retentionInDays: 30 });

  const tags = (experiment: string) =>
    ({ 'cdk-reliability:stack': 'Orders', 'cdk-reliability:service': 'storefront', 'cdk-reliability:experiment': experiment, Name: `storefront-${experiment}` });
  account.templates.push({ id: AZ_POWER_TEMPLATE, tags: tags('az-power') }, { id: CPU_STRESS_TEMPLATE, tags: tags('cpu-stress') });
  account.experiments.push(
    { id: 'EXPcpuStress', experimentTemplateId: CPU_STRESS_TEMPLATE, status: 'completed', reason: 'Experiment completed.', startTime: at('2024-04-17T10:00:10Z'), endTime: at('2024-04-17T10:09:40Z') },
    {
      id: 'EXPazPower', experimentTemplateId: AZ_POWER_TEMPLATE, status: 'stopped', reason: 'Experiment stopped by stop condition.',
      startTime: at('2024-04-25T09:00:15Z'), endTime: at('2024-04-25T09:06:20Z'),
    },
  );
}
