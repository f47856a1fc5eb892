/**
 * A test world for the escalation and acknowledge handlers: AWS clients mocked with
 * aws-sdk-client-mock (an in-memory incidents table and schedule group behind them), global fetch
 * mocked for webhooks and PagerDuty, and helpers to build SNS alarm events and fire timers.
 */
import {
  CloudWatchClient, CompositeAlarm, DescribeAlarmsCommand, DescribeAlarmsCommandInput, DescribeAlarmsCommandOutput, ListTagsForResourceCommand, MetricAlarm,
  StateValue,
} from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ConflictException, CreateScheduleCommand, CreateScheduleCommandInput, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { clearTagCache } from '../../../lambdas/escalation/alarm/cloudwatch';
import { retryPolicy } from '../../../lambdas/escalation/delivery/retry';
import type { AcknowledgeEnvironment, EscalationEnvironment, RawEnvironment } from '../../../lambdas/shared/contract';
import { clearSecretCache } from '../../../lambdas/shared/secrets';
import { FakeTable } from './fake-dynamodb';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const PAGE_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:page`;
export const TICKET_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:ticket`;
export const LEVEL_TOPICS = [1, 2, 3].map((i) => `arn:aws:sns:${REGION}:${ACCOUNT}:level-${i}`);
export const TICKETS_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tickets`;
export const SIGNING_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:signing`;
export const SIGNING_SECRET = 'k'.repeat(64);
export const PD_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:pd`;
export const PD_ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';
export const HOOK_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:hook`;
export const HOOK_URL = 'https://hooks.example.com/services/T000/B000/SECRETPART';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:escalation`;
export const ACK_URL = 'https://abc123.lambda-url.eu-west-1.on.aws/';
export const ALARM = 'checkout-availability-page';
export const ALARM_ARN = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${ALARM}`;
export const DESCRIPTION = 'Page for SLO checkout/availability: ALARM while the error budget burns at 14.4x over 1h and 5m '
  + '(2% of the budget in 1h), or 6x over 6h and 30m (5% of the budget in 6h). SLO checkout/availability: 99.9% good over 30d '
  + '(error budget 0.1%); SLI: ratio of Errors to Requests. Runbook: https://wiki.example.com/runbooks/checkout';

export interface LevelSpec {
  afterSeconds?: number;
  topic?: boolean;
  webhooks?: Array<{ url: string } | { secretArn: string }>;
  pagerDuty?: boolean;
}

export function levelsJson(levels: LevelSpec[]): string {
  return JSON.stringify(levels.map((l, i) => ({
    afterSeconds: l.afterSeconds ?? (i === 0 ? 0 : 900),
    ...(l.topic === false ? {} : { topicArn: LEVEL_TOPICS[i] }),
    publishTopicArns: [],
    webhooks: l.webhooks ?? [],
    pagerDuty: l.pagerDuty ? [{ secretArn: PD_SECRET_ARN }] : [],
    kinds: ['email'],
  })));
}

/**
 * Sets the escalation function's environment: what every test world shares, with its own `LEVELS`,
 * `TICKETS`, `REPEAT` and anything else in `specific`; the optional variables are unset.
 */
export function setHandlerEnv(specific: RawEnvironment<EscalationEnvironment & AcknowledgeEnvironment>): void {
  const shared: RawEnvironment<EscalationEnvironment> = {
    POLICY_NAME: 'prod',
    TABLE_NAME: 'incidents',
    SCHEDULE_GROUP: 'escalation',
    SCHEDULER_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/scheduler`,
    SIGNING_SECRET_ARN,
    ACK_URL,
    TOKEN_TTL_SECONDS: '86400',
    PAGE_TOPIC_ARN: PAGE_TOPIC,
    TICKET_TOPIC_ARN: TICKET_TOPIC,
  };
  Object.assign(process.env, { AWS_REGION: REGION }, shared, specific);
  delete process.env.REPEAT_AFTER_SECONDS;
  delete process.env.SCHEDULER_DLQ_ARN;
}

export function setEnv(opts: { levels?: LevelSpec[]; repeat?: number; tickets?: boolean } = {}): void {
  setHandlerEnv({
    REPEAT: String(opts.repeat ?? 0),
    LEVELS: levelsJson(opts.levels ?? [{}, {}, {}]),
    TICKETS: opts.tickets ? JSON.stringify({ topicArn: TICKETS_TOPIC, publishTopicArns: [], webhooks: [], pagerDuty: [], kinds: ['email'] }) : 'null',
    ESCALATION_FUNCTION_NAME: 'escalation',
  });
}

let requestCount = 0;
export function lambdaContext(): Context {
  requestCount++;
  return {
    awsRequestId: `req-${requestCount}`,
    invokedFunctionArn: FUNCTION_ARN,
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
}

export function alarmMessage(state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', time: string, opts: { name?: string; children?: string[] } = {}): string {
  const name = opts.name ?? ALARM;
  return JSON.stringify({
    AlarmName: name,
    AlarmDescription: DESCRIPTION,
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
    NewStateValue: state,
    OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
    NewStateReason: 'arn:aws:cloudwatch:… transitioned to ALARM',
    StateChangeTime: time,
    Region: 'EU (Ireland)',
    AlarmRule: 'ALARM(a) OR ALARM(b)',
    TriggeringChildren: (opts.children ?? ['checkout-availability-page-1h-5m-long']).map((c) => ({
      Arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${c}`,
      State: { Value: state === 'OK' ? 'OK' : 'ALARM', Timestamp: time },
    })),
  });
}

export function snsEvent(message: string, opts: { topic?: string; messageId?: string } = {}): unknown {
  return {
    Records: [{
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: opts.messageId ?? `msg-${Math.random().toString(36).slice(2)}`,
        TopicArn: opts.topic ?? PAGE_TOPIC,
        Subject: null,
        Message: message,
        Timestamp: new Date().toISOString(),
      },
    }],
  };
}

/** `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:<name>`. */
export function alarmArn(name: string): string {
  return `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
}

/**
 * A composite alarm as ReliableService wires it: its real description, a rule over its
 * multiwindow children (`<name>-1h-5m-long`, …), ALARM and OK actions on the page and the ticket
 * topic (one fixture serves both severities).
 */
export function wiredComposite(name: string, state = 'ALARM'): CompositeAlarm {
  const tier = (windows: string) => `(ALARM("${alarmArn(`${name}-${windows}-long`)}") AND ALARM("${alarmArn(`${name}-${windows}-short`)}"))`;
  return {
    AlarmName: name,
    AlarmArn: alarmArn(name),
    AlarmDescription: DESCRIPTION,
    AlarmRule: ['1h-5m', '6h-30m', '1d-2h', '3d-6h'].map(tier).join(' OR '),
    AlarmActions: [PAGE_TOPIC, TICKET_TOPIC],
    OKActions: [PAGE_TOPIC, TICKET_TOPIC],
    ActionsEnabled: true,
    StateValue: state as StateValue,
    StateReason: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}-1h-5m-long transitioned to ${state}`,
  };
}

/**
 * What DescribeAlarms knows of one alarm: `'missing'` (no such alarm), `'metric'` (a metric alarm
 * of that name), or fields that replace those of the wired composite (e.g. another policy's actions).
 */
export type AlarmFixture = 'missing' | 'metric' | Partial<CompositeAlarm>;

/** The error CloudWatch throttles with, as the SDK throws it after its retries. */
export function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

export interface FetchCall {
  url: string;
  body: Record<string, unknown>;
}

export class World {
  readonly ddb = mockClient(DynamoDBClient);
  readonly sns = mockClient(SNSClient);
  readonly scheduler = mockClient(SchedulerClient);
  readonly cloudwatch = mockClient(CloudWatchClient);
  readonly secrets = mockClient(SecretsManagerClient);
  readonly lambda = mockClient(LambdaClient);
  readonly table = new FakeTable();
  /** Pending escalation timers (`{ kind: 'escalate' }`), by name. */
  readonly schedules = new Map<string, CreateScheduleCommandInput>();
  /** Pending drain timers (`{ kind: 'drain' }`), by name. */
  readonly drains = new Map<string, CreateScheduleCommandInput>();
  readonly deletedSchedules: string[] = [];
  readonly fetchCalls: FetchCall[] = [];
  /** What DescribeAlarms says; `null`: the alarm was deleted. */
  alarmState: string | null = 'ALARM';
  /**
   * What DescribeAlarms knows of particular alarms (see `describeAlarms`); every other name is a
   * composite wired to the page and the ticket topic (`wiredComposite`).
   */
  readonly alarmFixtures = new Map<string, AlarmFixture>();
  /** How many of the next DescribeAlarms calls fail (after the SDK's own retries), and how. */
  describeFailures: { count: number; error: () => Error } = { count: 0, error: () => throttling() };
  /** StateTransitionedTimestamp DescribeAlarms reports, when set. */
  alarmSince?: Date;
  /** Runs before a webhook / PagerDuty request is received (and recorded in `fetchCalls`): lets a test interleave another event. */
  beforeFetch?: (call: FetchCall) => Promise<void>;
  /** Publishes SNS accepted (`publishes()` lists every call, failed ones included). */
  readonly accepted: PublishCommandInput[] = [];
  /** How many of the next SNS publishes fail (after the SDK's own retries). */
  publishFailures = 0;
  /** Status codes (or 'timeout') the next fetch calls return, in order; then 202. */
  fetchResponses: Array<number | 'timeout'> = [];
  fetchSpy: jest.SpyInstance;

  constructor() {
    this.table.install(this.ddb);
    this.sns.on(PublishCommand).callsFake(async (input: PublishCommandInput) => {
      if (this.publishFailures > 0) {
        this.publishFailures--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      this.accepted.push(input);
      return { MessageId: 'published' };
    });
    this.scheduler.on(CreateScheduleCommand).callsFake(async (input: CreateScheduleCommandInput) => {
      const kind = (JSON.parse(input.Target?.Input ?? '{}') as { kind?: string }).kind;
      const store = kind === 'drain' ? this.drains : this.schedules;
      if (store.has(input.Name as string)) {
        throw new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} });
      }
      store.set(input.Name as string, input);
      return { ScheduleArn: `arn:aws:scheduler:::schedule/${input.GroupName}/${input.Name}` };
    });
    this.scheduler.on(DeleteScheduleCommand).callsFake(async (input: { Name: string }) => {
      if (!this.schedules.delete(input.Name) && !this.drains.delete(input.Name)) {
        throw new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} });
      }
      this.deletedSchedules.push(input.Name);
      return {};
    });
    this.cloudwatch.on(DescribeAlarmsCommand).callsFake(async (input: DescribeAlarmsCommandInput) => this.describeAlarms(input));
    this.cloudwatch.on(ListTagsForResourceCommand).resolves({
      Tags: [
        { Key: 'cdk-reliability:service', Value: 'checkout' },
        { Key: 'cdk-reliability:slo', Value: 'availability' },
        { Key: 'cdk-reliability:severity', Value: 'page' },
        { Key: 'cdk-reliability:objective', Value: '99.9' },
        { Key: 'cdk-reliability:window', Value: '30d' },
        { Key: 'cdk-reliability:runbook', Value: 'https://wiki.example.com/runbooks/checkout' },
        { Key: 'cdk-reliability:dashboard', Value: 'checkout-slos' },
      ],
    });
    this.secrets.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => {
      const values: Record<string, string> = {
        [SIGNING_SECRET_ARN]: SIGNING_SECRET,
        [PD_SECRET_ARN]: JSON.stringify({ routingKey: PD_ROUTING_KEY }),
        [HOOK_SECRET_ARN]: HOOK_URL,
      };
      if (!(input.SecretId in values)) {
        throw new Error(`no such secret ${input.SecretId}`);
      }
      return { SecretString: values[input.SecretId] };
    });
    this.lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    this.fetchSpy = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      const call = { url: String(url), body: JSON.parse(String(init?.body)) };
      const hook = this.beforeFetch;
      if (hook) {
        await hook(call);
      }
      this.fetchCalls.push(call);
      const next = this.fetchResponses.shift() ?? 202;
      if (next === 'timeout') {
        const err = new Error('The operation was aborted due to timeout');
        err.name = 'TimeoutError';
        throw err;
      }
      return new Response('{}', { status: next });
    });
    clearSecretCache();
    clearTagCache();
    retryPolicy.baseDelayMs = 1;
  }

  /**
   * DescribeAlarms as CloudWatch answers it: only the named alarms, only the types asked for
   * (metric alarms when AlarmTypes is absent).
   */
  describeAlarms(input: DescribeAlarmsCommandInput): Partial<DescribeAlarmsCommandOutput> {
    if (this.describeFailures.count > 0) {
      this.describeFailures.count--;
      throw this.describeFailures.error();
    }
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const composites: CompositeAlarm[] = [];
    const metrics: MetricAlarm[] = [];
    for (const name of input.AlarmNames ?? []) {
      const fixture = this.alarmFixtures.get(name);
      if (fixture === 'missing' || (fixture === undefined && this.alarmState === null)) {
        continue;
      }
      if (fixture === 'metric') {
        metrics.push({ AlarmName: name, AlarmArn: alarmArn(name), StateValue: (this.alarmState ?? 'ALARM') as StateValue, AlarmActions: [PAGE_TOPIC], OKActions: [PAGE_TOPIC] });
        continue;
      }
      composites.push({
        ...wiredComposite(name, this.alarmState ?? 'ALARM'),
        ...(this.alarmSince ? { StateTransitionedTimestamp: this.alarmSince } : {}),
        ...fixture,
      });
    }
    return {
      CompositeAlarms: types.includes('CompositeAlarm') ? composites : [],
      MetricAlarms: types.includes('MetricAlarm') ? metrics : [],
    };
  }

  restore(): void {
    for (const m of [this.ddb, this.sns, this.scheduler, this.cloudwatch, this.secrets, this.lambda]) {
      m.restore();
    }
    this.fetchSpy.mockRestore();
  }

  /** Publishes to a topic, as `[topicArn, message]`. */
  publishes(): Array<{ topic: string; input: PublishCommandInput; bodies: Record<string, string> }> {
    return this.sns.commandCalls(PublishCommand).map((c) => ({
      topic: c.args[0].input.TopicArn as string,
      input: c.args[0].input,
      bodies: JSON.parse(c.args[0].input.Message as string),
    }));
  }

  publishedTopics(): string[] {
    return this.publishes().map((p) => p.topic);
  }

  /** The pending timer's event (exactly one expected). */
  pendingTimer(): { name: string; input: CreateScheduleCommandInput; event: Record<string, unknown> } {
    const entries = [...this.schedules.entries()];
    if (entries.length !== 1) {
      throw new Error(`expected one pending timer, found ${entries.length}: ${entries.map(([n]) => n).join(', ')}`);
    }
    const [name, input] = entries[0];
    return { name, input, event: JSON.parse(input.Target?.Input as string) };
  }

  /** Fires the pending timer like EventBridge Scheduler does (ActionAfterCompletion DELETE). */
  takeTimer(): Record<string, unknown> {
    const t = this.pendingTimer();
    this.schedules.delete(t.name);
    return t.event;
  }

  /**
   * The alarm's current incident as one flat record: the item's own attributes (`lastChange`,
   * `expiresAt`, an OK marker's fields) and those of the incident `current` names (or of an
   * incident written by the previous version at the top level).
   */
  incident(name = ALARM): Record<string, unknown> | undefined {
    const item = this.table.item(name);
    if (!item) {
      return undefined;
    }
    const { incidents, current, ...top } = item as Record<string, unknown> & { incidents?: Record<string, Record<string, unknown>>; current?: string };
    return { ...top, ...(incidents && current !== undefined ? incidents[current] : {}) };
  }

  /** The current incident's entry in the table itself (changes to it are changes to the table). */
  entry(name = ALARM): Record<string, any> {
    const item = this.table.items.get(name) as Record<string, any>;
    return item.incidents && item.current !== undefined ? item.incidents[item.current] : item;
  }
}

/** Captures the JSON log lines written during a test. */
export function captureLogs(): { lines: Array<Record<string, unknown>>; restore: () => void } {
  const lines: Array<Record<string, unknown>> = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
    lines.push(JSON.parse(String(line)));
  });
  return { lines, restore: () => spy.mockRestore() };
}
