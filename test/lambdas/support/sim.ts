/**
 * A simulation of the escalation function in AWS, for the tests that look for races: the real
 * handler against a real DynamoDB implementation (dynalite, see dynalite.ts), every other AWS
 * client faked at the SDK boundary (aws-sdk-client-mock) and fetch faked for webhooks and
 * PagerDuty.
 *
 * - Invocations run concurrently. Every call an invocation makes to DynamoDB (an SDK middleware on
 *   the handler's client), SNS, webhooks or PagerDuty passes a **gate** before and after it: a
 *   policy (fast-check's scheduler, a seeded random one, or a test's own) decides when it goes on,
 *   or that the invocation is **killed** there (it never resumes, as when Lambda stops it at its
 *   deadline: a kill after a publish models "the deadline passed mid-publish": the message went
 *   out, the invocation never saw it).
 * - Lambda's asynchronous retries: an invocation that throws or is killed runs again (the same
 *   request id) 1 minute, then 2 more minutes later; after that the event goes to the dead-letter
 *   queue (`dlq`).
 * - Time is the fake `Date` (jest modern timers with only Date faked): frozen while invocations
 *   run, moved forward by `quiesce()` to fire EventBridge Scheduler schedules and retries when due.
 * - `sent` records every notification a target accepted, with what it was about (incident, kind,
 *   level) read from the message itself, so assertions need no knowledge of the handler's state.
 */
import { AsyncLocalStorage } from 'async_hooks';
import { CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ConflictException, CreateScheduleCommand, CreateScheduleCommandInput, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/escalation';
import { clearTagCache } from '../../../lambdas/escalation/alarm/cloudwatch';
import { retryPolicy } from '../../../lambdas/escalation/delivery/retry';
import { unmarshalItem } from '../../../lambdas/shared/dynamo-codec';
import { dynamodb } from '../../../lambdas/shared/incident';
import { clearSecretCache } from '../../../lambdas/shared/secrets';
import { ACCOUNT, FUNCTION_ARN, HOOK_SECRET_ARN, HOOK_URL, PAGE_TOPIC, REGION, SIGNING_SECRET, SIGNING_SECRET_ARN, TICKET_TOPIC, setHandlerEnv, wiredComposite } from './world';

export type Status = 'running' | 'done' | 'failed' | 'killed';

export interface Invocation {
  /** Unique per run (a retry is a new invocation). */
  readonly id: string;
  /** Lambda's request id: the same for an event's retries. */
  readonly requestId: string;
  readonly label: string;
  readonly event: unknown;
  readonly attempt: number;
  readonly deadline: number;
  status: Status;
  /** Gates passed so far. */
  gates: number;
  /** Where it was killed. */
  killedAt?: string;
  /** Delivered notifications whose sender never saw the answer (killed right after the send). */
  unacknowledged: number;
  /** DynamoDB calls it made. */
  ddbCalls: number;
  error?: unknown;
  /** Settles when it is done, failed or killed. */
  readonly settled: Promise<void>;
  /** Gates it waits at now (parallel sends wait at several). */
  waiting: number;
}

/** What the gate policy answers: go on, or stop this invocation here for good. */
export type Decision = 'go' | 'kill';
/** What a gate is about: the DynamoDB input, the SNS subject, the URL and body of a fetch. */
export interface GateInfo {
  readonly input?: { ExpressionAttributeNames?: Record<string, string>; UpdateExpression?: string; ConditionExpression?: string };
  readonly subject?: string;
  readonly url?: string;
  readonly body?: Record<string, unknown>;
}
export type GatePolicy = (inv: Invocation, label: string, info: GateInfo) => Decision | Promise<Decision>;

/** A gate a test holds: `reached` resolves when an invocation waits there; `release` lets it go on (or kills it). */
export interface Hold {
  readonly reached: Promise<Invocation>;
  release(decision?: Decision): void;
}

export type NoticeKind = 'alarm' | 'exhausted' | 'acknowledged' | 'recovered';

/** One notification a target accepted. */
export interface SentNotice {
  /** `topic:<arn>`, `webhook:<url>`, `pagerduty:<routing key>`. */
  readonly target: string;
  readonly alarmName: string;
  /** ISO start of the incident it is about. */
  readonly incident: string;
  readonly kind: NoticeKind;
  /** `CLOSED` notices (replaced or deleted) are `recovered` with this set. */
  readonly closing: boolean;
  /** Level (1-based) of alarm notices, when the message says. */
  readonly level?: number;
  /** The idempotency key the message carries, if any. */
  readonly noticeId?: string;
  /** SNS subject, for reports. */
  readonly subject?: string;
  /** Who sent it. */
  readonly by: string;
  readonly at: number;
}

/** The identity of a notification: one target, one incident, one kind (alarm notices: one level). */
export function noticeKey(n: SentNotice): string {
  return `${n.target}|${n.alarmName}|${n.incident}|${n.kind}${n.kind === 'alarm' ? `|${n.level ?? ''}` : ''}`;
}

export interface SimOptions {
  readonly start?: string;
  /** Deadline of each invocation (the function's timeout), ms. */
  readonly timeoutMs?: number;
}

const NEVER = new Promise<never>(() => undefined);
const RETRY_DELAYS_MS = [60_000, 120_000];

interface Pending {
  readonly at: number;
  readonly label: string;
  readonly run: () => void;
}

function kindOfEventType(eventType: string): { kind: NoticeKind; closing: boolean } {
  switch (eventType) {
    case 'SloBurnPage':
    case 'SloBurnTicket':
      return { kind: 'alarm', closing: false };
    case 'SloBurnUnanswered':
      return { kind: 'exhausted', closing: false };
    case 'SloBurnAcknowledged':
      return { kind: 'acknowledged', closing: false };
    case 'SloBurnClosed':
      return { kind: 'recovered', closing: true };
    default:
      return { kind: 'recovered', closing: false };
  }
}

/** `policy/alarm/2024-…Z` (the dedup key) -> alarm and incident start. */
function fromDedupKey(key: string): { alarmName: string; incident: string } {
  const parts = key.split('/');
  return { alarmName: parts.slice(1, -1).join('/'), incident: parts[parts.length - 1] };
}

let tables = 0;

export class Sim {
  /**
   * A simulation on a fresh incidents table (`TABLE_NAME` is set to it): call after `simEnv` and
   * `startDynalite`, in a test or a `beforeEach`.
   */
  static async start(opts: SimOptions = {}): Promise<Sim> {
    const tableName = `incidents-${++tables}`;
    process.env.TABLE_NAME = tableName;
    const sim = new Sim(opts);
    await sim.admin.send(new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'alarmName', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'alarmName', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    return sim;
  }

  readonly sns = mockClient(SNSClient);
  readonly scheduler = mockClient(SchedulerClient);
  readonly cloudwatch = mockClient(CloudWatchClient);
  readonly secrets = mockClient(SecretsManagerClient);
  readonly lambda = mockClient(LambdaClient);
  readonly fetchSpy: jest.SpyInstance;
  readonly als = new AsyncLocalStorage<Invocation>();
  readonly invocations: Invocation[] = [];
  readonly sent: SentNotice[] = [];
  readonly schedules = new Map<string, { input: CreateScheduleCommandInput; at: number; event: Record<string, unknown> }>();
  readonly deletedSchedules: string[] = [];
  readonly dlq: Array<{ label: string; event: unknown; error?: unknown; killedAt?: string }> = [];
  /** Webhook and PagerDuty calls refused for good (a 4xx from `fetchFault`). */
  readonly refused: Array<{ url: string; body: Record<string, unknown>; by: string }> = [];
  /** WARN and ERROR log lines. */
  readonly logs: Array<Record<string, unknown>> = [];
  infoLines = 0;
  /** The gate policy; by default every call goes on at once. */
  policy: GatePolicy = () => 'go';
  /** Fails a publish (return the error to throw), after the gate before it. */
  publishFault?: (input: PublishCommandInput, inv: Invocation | undefined) => Error | undefined;
  /** Answers a webhook or PagerDuty call with this status (or a timeout) instead of 202. */
  fetchFault?: (url: string, body: Record<string, unknown>, inv: Invocation | undefined) => number | 'timeout' | undefined;
  /** What DescribeAlarms says of an alarm: its state, or `null` when deleted. */
  alarmState: (alarmName: string) => string | null = () => 'ALARM';
  now: number;
  private readonly pending: Pending[] = [];
  /** DynamoDB requests in flight, and a counter of every step invocations take (for `allAtGates`). */
  private inflight = 0;
  private activity = 0;
  private readonly timeoutMs: number;
  private count = 0;
  private readonly logSpy: jest.SpyInstance;
  readonly admin: DynamoDBClient;

  private constructor(opts: SimOptions = {}) {
    this.now = Date.parse(opts.start ?? '2024-05-01T12:00:00.000Z');
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    jest.useFakeTimers({
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
        'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
      now: this.now,
    });
    this.admin = new DynamoDBClient({ region: REGION });
    dynamodb.middlewareStack.add((next, context) => async (args) => {
      const inv = this.als.getStore();
      const name = String((context as { commandName?: string }).commandName ?? 'call').replace(/Command$/, '');
      if (inv) {
        inv.ddbCalls++;
        await this.gate(inv, `ddb:${name}:before`, false, { input: args.input as GateInfo['input'] });
      }
      this.inflight++;
      this.activity++;
      try {
        return await next(args);
      } finally {
        this.inflight--;
        this.activity++;
        if (inv) {
          await this.gate(inv, `ddb:${name}:after`, false, { input: args.input as GateInfo['input'] });
        }
      }
    }, { step: 'initialize', name: 'simGate' });
    this.sns.on(PublishCommand).callsFake(async (input: PublishCommandInput) => {
      const inv = this.als.getStore();
      if (inv) {
        await this.gate(inv, 'sns:publish:before', false, { subject: input.Subject });
      }
      const fault = this.publishFault?.(input, inv);
      if (fault) {
        throw fault;
      }
      this.recordSns(input, inv);
      if (inv) {
        await this.gate(inv, 'sns:publish:after', true, { subject: input.Subject });
      }
      return { MessageId: `m-${this.count++}` };
    });
    this.scheduler.on(CreateScheduleCommand).callsFake(async (input: CreateScheduleCommandInput) => {
      const name = input.Name as string;
      if (this.schedules.has(name)) {
        throw new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} });
      }
      const m = /^at\((.+)\)$/.exec(input.ScheduleExpression ?? '');
      const at = m ? Date.parse(`${m[1]}Z`) : this.now;
      this.schedules.set(name, { input, at, event: JSON.parse(input.Target?.Input ?? '{}') });
      return { ScheduleArn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${input.GroupName}/${name}` };
    });
    this.scheduler.on(DeleteScheduleCommand).callsFake(async (input: { Name: string }) => {
      if (!this.schedules.delete(input.Name)) {
        throw new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} });
      }
      this.deletedSchedules.push(input.Name);
      return {};
    });
    this.cloudwatch.on(DescribeAlarmsCommand).callsFake(async (input: { AlarmNames: string[] }) => {
      const name = input.AlarmNames[0];
      const state = this.alarmState(name);
      return {
        // a composite wired to this policy's topics, as ReliableService creates it: alarm/verify.ts checks that before handling a transition
        CompositeAlarms: state === null ? [] : [wiredComposite(name, state)],
        MetricAlarms: [],
      };
    });
    this.cloudwatch.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    this.secrets.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => {
      if (input.SecretId === SIGNING_SECRET_ARN) {
        return { SecretString: SIGNING_SECRET };
      }
      if (input.SecretId === HOOK_SECRET_ARN) {
        return { SecretString: HOOK_URL };
      }
      const pd = /:secret:pd-(\d+)$/.exec(input.SecretId);
      if (pd) {
        return { SecretString: JSON.stringify({ routingKey: `routing-key-${pd[1]}` }) };
      }
      throw new Error(`no such secret ${input.SecretId}`);
    });
    this.lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    this.fetchSpy = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      const inv = this.als.getStore();
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      if (inv) {
        await this.gate(inv, 'fetch:before', false, { url: String(url), body });
      }
      const fault = this.fetchFault?.(String(url), body, inv);
      if (fault === 'timeout') {
        throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
      }
      if (fault === undefined || (fault >= 200 && fault < 300)) {
        this.recordFetch(String(url), body, init?.headers as Record<string, string> | undefined, inv);
      } else if (fault >= 400 && fault < 500 && fault !== 408 && fault !== 429) {
        this.refused.push({ url: String(url), body, by: inv?.id ?? 'outside' });
      }
      if (inv) {
        await this.gate(inv, 'fetch:after', true, { url: String(url), body });
      }
      return new Response('{}', { status: fault ?? 202 });
    });
    this.logSpy = jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
      const parsed = JSON.parse(String(line)) as Record<string, unknown>;
      if (parsed.level === 'INFO') {
        this.infoLines++;
      } else {
        this.logs.push(parsed);
      }
    });
    clearSecretCache();
    clearTagCache();
    retryPolicy.baseDelayMs = 1;
  }

  restore(): void {
    dynamodb.middlewareStack.remove('simGate');
    for (const m of [this.sns, this.scheduler, this.cloudwatch, this.secrets, this.lambda]) {
      m.restore();
    }
    this.fetchSpy.mockRestore();
    this.logSpy.mockRestore();
    this.admin.destroy();
    jest.useRealTimers();
  }

  private recordSns(input: PublishCommandInput, inv: Invocation | undefined): void {
    const bodies = JSON.parse(input.Message as string) as Record<string, string>;
    const chat = JSON.parse(bodies.https) as { metadata: { threadId: string; eventType: string } };
    const level = /You are level (\d+) of/.exec(bodies.email ?? '');
    const attrs = input.MessageAttributes ?? {};
    const idAttr = Object.entries(attrs).find(([k]) => /notice/i.test(k))?.[1];
    this.sent.push({
      target: `topic:${input.TopicArn}`,
      ...fromDedupKey(chat.metadata.threadId),
      ...kindOfEventType(chat.metadata.eventType),
      level: level ? Number(level[1]) : undefined,
      noticeId: idAttr?.StringValue,
      subject: input.Subject,
      by: inv?.id ?? 'outside',
      at: this.now,
    });
  }

  private recordFetch(url: string, body: Record<string, unknown>, headers: Record<string, string> | undefined, inv: Invocation | undefined): void {
    const idHeader = Object.entries(headers ?? {}).find(([k]) => /idempotency/i.test(k))?.[1];
    if (typeof body.routing_key === 'string') {
      const action = body.event_action as string;
      this.sent.push({
        target: `pagerduty:${body.routing_key}`,
        ...fromDedupKey(String(body.dedup_key)),
        kind: action === 'trigger' ? 'alarm' : action === 'acknowledge' ? 'acknowledged' : 'recovered',
        closing: false,
        level: action === 'trigger' ? (body.payload as { custom_details: { level: number } }).custom_details.level : undefined,
        noticeId: idHeader,
        by: inv?.id ?? 'outside',
        at: this.now,
      });
      return;
    }
    this.sent.push({
      target: `webhook:${url}`,
      alarmName: String(body.alarmName),
      incident: String(body.incidentStart),
      kind: body.kind as NoticeKind,
      closing: body.kind === 'recovered' && body.resolution !== 'ok',
      level: body.kind === 'alarm' ? Number(body.level) : undefined,
      noticeId: typeof body.noticeId === 'string' ? body.noticeId : idHeader,
      by: inv?.id ?? 'outside',
      at: this.now,
    });
  }

  /** Sets the fake clock (never backwards). */
  setNow(ms: number): void {
    this.now = Math.max(this.now, ms);
    jest.setSystemTime(this.now);
  }

  private async gate(inv: Invocation, label: string, afterDelivery: boolean, info: GateInfo): Promise<void> {
    if (inv.status !== 'running') {
      return NEVER;
    }
    inv.gates++;
    inv.waiting++;
    this.activity++;
    let decision: Decision;
    try {
      decision = await this.policy(inv, label, info);
    } finally {
      inv.waiting--;
      this.activity++;
    }
    if (decision === 'kill' && inv.status === 'running') {
      if (afterDelivery) {
        inv.unacknowledged++;
      }
      this.kill(inv, label);
    }
    if (inv.status !== 'running') {
      return NEVER;
    }
  }

  private settleHooks = new Map<string, () => void>();

  /**
   * Holds the first gate `match` accepts (after the policy in place lets it pass) until the test
   * releases it; other gates follow the policy in place.
   */
  hold(match: (inv: Invocation, label: string, info: GateInfo) => boolean): Hold {
    const previous = this.policy;
    let used = false;
    let reach!: (inv: Invocation) => void;
    const reached = new Promise<Invocation>((r) => { reach = r; });
    let release: (d: Decision) => void = () => undefined;
    const released = new Promise<Decision>((r) => { release = r; });
    const policy: GatePolicy = async (inv, label, info) => {
      const d = await previous(inv, label, info);
      if (d === 'kill' || used || !match(inv, label, info)) {
        return d;
      }
      used = true;
      reach(inv);
      return released;
    };
    this.policy = policy;
    return { reached, release: (d = 'go') => release(d) };
  }

  private kill(inv: Invocation, label: string): void {
    inv.status = 'killed';
    inv.killedAt = label;
    this.settleHooks.get(inv.id)?.();
  }

  /**
   * Invokes the function with `event`, asynchronously as SNS, Scheduler and the acknowledge function
   * do: with Lambda's two retries unless `retries: false`.
   */
  invoke(event: unknown, opts: { label?: string; retries?: boolean; requestId?: string; attempt?: number } = {}): Invocation {
    const requestId = opts.requestId ?? `req-${this.count + 1}`;
    const context = (inv: Invocation) => ({
      awsRequestId: requestId,
      invokedFunctionArn: FUNCTION_ARN,
      getRemainingTimeInMillis: () => inv.deadline - Date.now(),
    } as unknown as Context);
    const inv = this.spawn(opts.label ?? describe(event), event, requestId, opts.attempt ?? 0, (i) => handler(event, context(i)));
    const retries = opts.retries ?? true;
    void inv.settled.then(() => {
      if (inv.status === 'done' || !retries) {
        return;
      }
      if (inv.attempt >= RETRY_DELAYS_MS.length) {
        this.dlq.push({ label: inv.label, event, error: inv.error, killedAt: inv.killedAt });
        return;
      }
      // A killed invocation failed at its deadline (a timeout); Lambda retries after the delay.
      const from = inv.status === 'killed' ? Math.max(this.now, inv.deadline) : this.now;
      this.pending.push({
        at: from + RETRY_DELAYS_MS[inv.attempt],
        label: `retry ${inv.attempt + 1} of ${inv.label}`,
        run: () => { this.invoke(event, { label: inv.label, requestId, attempt: inv.attempt + 1 }); },
      });
    });
    return inv;
  }

  /** Runs `fn` as a gated invocation of something else (the acknowledge function's write), without retries. */
  run(label: string, fn: () => Promise<unknown>): Invocation {
    return this.spawn(label, undefined, `run-${this.count + 1}`, 0, fn);
  }

  private spawn(label: string, event: unknown, requestId: string, attempt: number, fn: (inv: Invocation) => Promise<unknown>): Invocation {
    const id = `inv-${++this.count}`;
    let settle!: () => void;
    const settled = new Promise<void>((r) => { settle = r; });
    const inv: Invocation = {
      id, requestId, label, event, attempt, deadline: this.now + this.timeoutMs,
      status: 'running', gates: 0, unacknowledged: 0, ddbCalls: 0, settled, waiting: 0,
    };
    this.settleHooks.set(id, settle);
    this.invocations.push(inv);
    void this.als.run(inv, () => fn(inv)).then(
      () => {
        if (inv.status === 'running') {
          inv.status = 'done';
          settle();
        }
      },
      (error: unknown) => {
        if (inv.status === 'running') {
          inv.status = 'failed';
          inv.error = error;
          settle();
        }
      },
    );
    return inv;
  }

  /** Invocations not finished (running, at a gate or in I/O). */
  running(): Invocation[] {
    return this.invocations.filter((i) => i.status === 'running');
  }

  /** Waits until every invocation is done, failed or killed (the policy must let them go on). */
  async settle(): Promise<void> {
    await Promise.all(this.invocations.map((i) => i.settled));
  }

  /**
   * Waits until nothing can move without the gate policy: no DynamoDB request in flight and no
   * activity for a few turns of the event loop (every invocation is done, stopped, or waiting at a gate).
   */
  async allAtGates(): Promise<void> {
    let quiet = 0;
    let seen = this.activity;
    while (quiet < 3) {
      await new Promise((r) => setImmediate(r));
      if (this.inflight === 0 && this.activity === seen) {
        quiet++;
      } else {
        quiet = 0;
        seen = this.activity;
      }
    }
  }

  /** Lambda retries and schedules (all, or only the non-escalation ones) that could fire, soonest first. */
  private candidates(escalate: boolean): Pending[] {
    const candidates: Pending[] = [...this.pending];
    for (const [name, s] of this.schedules) {
      if (escalate || s.event.kind !== 'escalate') {
        candidates.push({
          at: s.at,
          label: `schedule ${name}`,
          run: () => {
            // EventBridge Scheduler deletes a one-time schedule once it has invoked its target.
            this.schedules.delete(name);
            this.invoke(s.event, { label: `timer ${JSON.stringify(s.event)}` });
          },
        });
      }
    }
    return candidates.sort((a, b) => a.at - b.at);
  }

  /** Starts the soonest retry or schedule due by now, if any; true when one was started. */
  fireDue(escalate = true): boolean {
    const next = this.candidates(escalate)[0];
    if (!next || next.at > this.now) {
      return false;
    }
    const i = this.pending.indexOf(next);
    if (i >= 0) {
      this.pending.splice(i, 1);
    }
    next.run();
    return true;
  }

  /**
   * Fires what is due, in time order, moving the clock: Lambda retries and schedules (all, or only
   * the non-escalation ones), until nothing is left before `until` (ms since now). Returns how many fired.
   */
  async quiesce(opts: { escalate?: boolean; untilMs?: number } = {}): Promise<number> {
    const horizon = this.now + (opts.untilMs ?? 24 * 3600_000);
    let fired = 0;
    for (;;) {
      await this.settle();
      const next = this.candidates(opts.escalate !== false)[0];
      if (!next || next.at > horizon) {
        return fired;
      }
      this.setNow(next.at);
      this.fireDue(opts.escalate !== false);
      fired++;
    }
  }

  /** Escalation timers still pending. */
  escalationTimers(): Array<{ name: string; event: Record<string, unknown> }> {
    return [...this.schedules.entries()].filter(([, s]) => s.event.kind === 'escalate').map(([name, s]) => ({ name, event: s.event }));
  }

  /** The items of the table, unmarshalled. */
  async items(): Promise<Array<Record<string, unknown>>> {
    const out = await this.admin.send(new ScanCommand({ TableName: process.env.TABLE_NAME ?? 'incidents' }));
    return (out.Items ?? []).map((i) => unmarshalItem(i));
  }

  async item(alarmName: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.admin.send(new GetItemCommand({ TableName: process.env.TABLE_NAME ?? 'incidents', Key: { alarmName: { S: alarmName } }, ConsistentRead: true }));
    return out.Item ? unmarshalItem(out.Item) : undefined;
  }

  /** Notifications accepted, filtered. */
  notices(filter: Partial<Pick<SentNotice, 'target' | 'alarmName' | 'incident' | 'kind' | 'closing'>> = {}): SentNotice[] {
    return this.sent.filter((n) => Object.entries(filter).every(([k, v]) => (n as unknown as Record<string, unknown>)[k] === v));
  }
}

function describe(event: unknown): string {
  const e = event as { Records?: Array<{ Sns?: { Message?: string } }>; kind?: string };
  if (e.Records?.[0]?.Sns?.Message) {
    try {
      const m = JSON.parse(e.Records[0].Sns.Message) as { NewStateValue?: string; StateChangeTime?: string; AlarmName?: string };
      return `${m.NewStateValue} ${m.AlarmName} ${m.StateChangeTime}`;
    } catch {
      return 'sns';
    }
  }
  return String(e.kind ?? 'event');
}

/** An SNS event for an alarm transition on the page or ticket topic. */
export function transition(alarmName: string, state: 'ALARM' | 'OK', time: string, opts: { ticket?: boolean; messageId?: string } = {}): unknown {
  return {
    Records: [{
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: opts.messageId ?? `${alarmName}-${state}-${time}`,
        TopicArn: opts.ticket ? TICKET_TOPIC : PAGE_TOPIC,
        Subject: null,
        Message: JSON.stringify({
          AlarmName: alarmName,
          AlarmDescription: `SLO ${alarmName}`,
          AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarmName}`,
          NewStateValue: state,
          OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
          NewStateReason: 'sim',
          StateChangeTime: time,
          TriggeringChildren: [],
        }),
        Timestamp: time,
      },
    }],
  };
}

export interface SimLevel {
  readonly afterSeconds?: number;
  /** The level's own topic (default true). */
  readonly topic?: boolean;
  /** An inline webhook `https://hooks.example.com/level-<n>`. */
  readonly webhook?: boolean;
  /** A PagerDuty service whose routing key is `routing-key-<n>`. */
  readonly pagerDuty?: boolean;
}

export const simTopic = (level: number): string => `arn:aws:sns:${REGION}:${ACCOUNT}:level-${level}`;
export const SIM_TICKETS_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tickets`;
export const simWebhook = (level: number | 't'): string => `https://hooks.example.com/level-${level}`;

function simTargetSet(l: SimLevel, n: number | 't', afterSeconds: number | undefined): Record<string, unknown> {
  return {
    ...(afterSeconds !== undefined ? { afterSeconds } : {}),
    ...(l.topic === false ? {} : { topicArn: n === 't' ? SIM_TICKETS_TOPIC : simTopic(n) }),
    publishTopicArns: [],
    webhooks: l.webhook ? [{ url: simWebhook(n) }] : [],
    pagerDuty: l.pagerDuty ? [{ secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:pd-${n}` }] : [],
    kinds: ['email'],
  };
}

/** The escalation function's environment for a simulation (levels numbered from 1). */
export function simEnv(opts: { levels?: SimLevel[]; repeat?: number; tickets?: SimLevel } = {}): void {
  const levels = opts.levels ?? [{}, {}];
  setHandlerEnv({
    REPEAT: String(opts.repeat ?? 0),
    LEVELS: JSON.stringify(levels.map((l, i) => simTargetSet(l, i + 1, l.afterSeconds ?? (i === 0 ? 0 : 900)))),
    TICKETS: opts.tickets ? JSON.stringify(simTargetSet(opts.tickets, 't', undefined)) : 'null',
  });
}
