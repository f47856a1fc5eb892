/**
 * The escalation function end to end, with AWS mocked at the client boundary (an in-memory
 * incidents table and schedule group) and fetch mocked for webhooks and PagerDuty.
 */
import { CreateScheduleCommand, DeleteScheduleCommand } from '@aws-sdk/client-scheduler';
import { PublishCommand } from '@aws-sdk/client-sns';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { handler } from '../../../lambdas/escalation';
import {
  ACK_URL, ALARM, alarmMessage, captureLogs, FUNCTION_ARN, HOOK_SECRET_ARN, HOOK_URL, LEVEL_TOPICS, PD_ROUTING_KEY,
  lambdaContext, setEnv, SIGNING_SECRET, snsEvent, TICKET_TOPIC, TICKETS_TOPIC, World,
} from '../support/world';

const T0 = '2024-05-01T10:00:00.000+0000';
const START = '2024-05-01T10:00:00.000Z';
const T_OK = '2024-05-01T10:23:00.000+0000';

let world: World;
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  setEnv();
  world = new World();
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
  world.restore();
});

const invoke = (event: unknown) => handler(event, lambdaContext());
const alarm = (time = T0, messageId?: string) => invoke(snsEvent(alarmMessage('ALARM', time), { messageId }));
const ok = (time = T_OK, messageId?: string) => invoke(snsEvent(alarmMessage('OK', time), { messageId }));
const fireTimer = () => invoke(world.takeTimer());
const acknowledged = (by = 'Alice', level = 0) => invoke({ kind: 'acknowledged', alarmName: ALARM, incidentStart: START, level, by });

/** Simulates the acknowledge function's conditional update. */
function recordAck(by: string): void {
  const item = world.table.items.get(ALARM)!;
  Object.assign(item, { status: 'acknowledged', ackedBy: by, ackedAt: '2024-05-01T10:05:00.000Z', ackLevel: 0, ackNonce: 'n' });
}

describe('ALARM on the page topic', () => {
  test('notifies level 1 only and arms a one-time timer for level 2', async () => {
    const before = Date.now();
    await alarm();

    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    const timer = world.pendingTimer();
    expect(timer.event).toEqual({ kind: 'escalate', alarmName: ALARM, incidentStart: START, level: 1, cycle: 0 });
    expect(timer.name).toMatch(/^[0-9a-f]{16}-1714557600000-0-1$/);
    expect(timer.input).toMatchObject({
      GroupName: 'escalation',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: FUNCTION_ARN, RoleArn: expect.stringContaining(':role/scheduler') },
    });
    const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(timer.input.ScheduleExpression as string);
    expect(at).not.toBeNull();
    const fireMs = Date.parse(`${at![1]}Z`);
    expect(fireMs).toBeGreaterThanOrEqual(before + 900_000);
    expect(fireMs).toBeLessThanOrEqual(Date.now() + 901_000);
    expect(world.incident()).toMatchObject({ status: 'open', level: 0, cycle: 0, incidentStart: START, severity: 'page' });
  });

  test('the message says what fired, the SLO, the links and how to acknowledge', async () => {
    await alarm();

    const [{ input, bodies }] = world.publishes();
    expect(input.MessageStructure).toBe('json');
    expect(input.Subject).toBe('PAGE checkout/availability: error budget burning at 14.4x (1h/5m)');
    const email = bodies.email;
    expect(bodies.default).toBe(email);
    expect(email).toContain('page 1h/5m: burn rate above 14.4x over both the last 1h and 5m (2% of the budget in 1h)');
    expect(email).toContain('availability: 99.9% good over 30d (error budget 0.1%)');
    expect(email).toContain('Service:      checkout');
    expect(email).toContain('https://wiki.example.com/runbooks/checkout');
    expect(email).toContain('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/checkout-availability-page');
    expect(email).toContain('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/checkout-slos');
    expect(email).toContain(`${ACK_URL}?t=`);
    expect(email).toContain('You are level 1 of 3.');
    expect(email).toContain('Level 2 is notified in 15 min unless someone acknowledges.');
    const chatbot = JSON.parse(bodies.https);
    expect(chatbot).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: expect.stringContaining('14.4x') } });
    expect(chatbot.content.description).toContain(`Acknowledge: ${ACK_URL}?t=`);
  });
});

describe('degraded dependencies still page', () => {
  test('without tags, the message falls back to the alarm description', async () => {
    world.cloudwatch.on((await import('@aws-sdk/client-cloudwatch')).ListTagsForResourceCommand).rejects(new Error('AccessDenied'));
    await alarm();
    const email = world.publishes()[0].bodies.email;
    expect(email).toContain('availability: 99.9% good over 30d (error budget 0.1%)');
    expect(email).toContain('https://wiki.example.com/runbooks/checkout');
    expect(email).not.toContain('Dashboard:');
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'WARN', msg: expect.stringContaining('could not read the alarm tags') }));
  });

  test('without the signing secret, the page goes out without an acknowledge link', async () => {
    world.secrets.on((await import('@aws-sdk/client-secrets-manager')).GetSecretValueCommand).rejects(new Error('AccessDenied'));
    await alarm();
    expect(world.publishes()).toHaveLength(1);
    expect(world.publishes()[0].bodies.email).not.toContain('?t=');
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'ERROR', msg: expect.stringContaining('could not sign') }));
  });

  test('timers carry a dead-letter queue when SCHEDULER_DLQ_ARN is set', async () => {
    process.env.SCHEDULER_DLQ_ARN = 'arn:aws:sqs:eu-west-1:123456789012:timers-dlq';
    await alarm();
    expect(world.pendingTimer().input.Target?.DeadLetterConfig).toEqual({ Arn: 'arn:aws:sqs:eu-west-1:123456789012:timers-dlq' });
  });
});

describe('timers', () => {
  test('notify the next level while the alarm is in ALARM, and arm the one after', async () => {
    await alarm();
    await fireTimer();

    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
    expect(world.pendingTimer().event).toMatchObject({ level: 2, cycle: 0 });
    expect(world.incident()).toMatchObject({ level: 1, notifiedUpTo: 1 });
    expect(world.cloudwatch.commandCalls(
      (await import('@aws-sdk/client-cloudwatch')).DescribeAlarmsCommand,
    )[0].args[0].input).toEqual({ AlarmNames: [ALARM], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] });
  });

  test('keep escalating while the alarm is INSUFFICIENT_DATA (only OK stops)', async () => {
    await alarm();
    world.alarmState = 'INSUFFICIENT_DATA';
    await fireTimer();
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
  });

  test('stop when DescribeAlarms says the alarm is OK', async () => {
    await alarm();
    world.alarmState = 'OK';
    await fireTimer();

    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.schedules.size).toBe(0);
  });

  test('a timer that fires after OK does nothing', async () => {
    await alarm();
    const timer = world.pendingTimer().event;
    await ok();
    const published = world.publishes().length;
    await invoke(timer);

    expect(world.publishes()).toHaveLength(published);
    expect(world.schedules.size).toBe(0);
    expect(world.cloudwatch.commandCalls((await import('@aws-sdk/client-cloudwatch')).DescribeAlarmsCommand)).toHaveLength(0);
  });

  test('a duplicate timer notifies nobody twice', async () => {
    await alarm();
    const timer = world.takeTimer();
    await invoke(timer);
    await invoke(timer);
    await Promise.all([invoke(timer), invoke(timer)]);

    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
    // Each duplicate may try to arm the next timer again; the schedule group holds it once.
    expect(world.pendingTimer().event).toMatchObject({ level: 2, cycle: 0 });
  });

  test('stop once the incident is acknowledged', async () => {
    await alarm();
    const timer = world.pendingTimer().event;
    recordAck('Alice');
    await acknowledged();
    await invoke(timer);

    expect(world.publishes().map((p) => p.input.Subject)).toEqual([
      'PAGE checkout/availability: error budget burning at 14.4x (1h/5m)',
      'ACKNOWLEDGED checkout/availability: Alice is handling it',
    ]);
    expect(world.schedules.size).toBe(0);
  });
});

describe('acknowledgement', () => {
  test('tells the levels notified so far who handles it and deletes the pending timer', async () => {
    await alarm();
    await fireTimer();
    const pending = world.pendingTimer().name;
    recordAck('Bob');
    await acknowledged('Bob', 1);

    const acks = world.publishes().filter((p) => p.input.Subject?.startsWith('ACKNOWLEDGED'));
    expect(acks.map((p) => p.topic)).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
    expect(acks[0].bodies.email).toContain('Bob acknowledged checkout/availability at 2024-05-01 10:05:00 UTC');
    expect(acks[0].bodies.sms).toBe('ACK checkout/availability: Bob is handling it. Escalation stopped.');
    expect(world.deletedSchedules).toEqual([pending]);
  });

  test('an acknowledged event for an incident that is not acknowledged is ignored', async () => {
    await alarm();
    await acknowledged();
    expect(world.publishes()).toHaveLength(1);
    expect(world.schedules.size).toBe(1);
  });
});

describe('OK', () => {
  test('tells every level notified that it recovered and deletes the pending timer', async () => {
    await alarm();
    await fireTimer();
    const pending = world.pendingTimer().name;
    await ok();

    const recovered = world.publishes().filter((p) => p.input.Subject?.startsWith('RECOVERED'));
    expect(recovered.map((p) => p.topic)).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
    expect(recovered[0].input.Subject).toBe('RECOVERED checkout/availability: checkout-availability-page is OK again after 23 min');
    expect(recovered[0].bodies.sms).toBe('RECOVERED checkout/availability (page): 23 min after it fired. No action needed.');
    expect(world.deletedSchedules).toEqual([pending]);
    expect(world.schedules.size).toBe(0);
    expect(world.incident()).toMatchObject({ status: 'resolved', resolvedAt: '2024-05-01T10:23:00.000Z' });
  });

  test('an OK older than the incident is ignored', async () => {
    await alarm('2024-05-01T11:00:00.000+0000');
    await ok('2024-05-01T10:59:00.000+0000');
    expect(world.publishes()).toHaveLength(1);
    expect(world.incident()).toMatchObject({ status: 'open' });
  });

  test('a new ALARM after OK opens a new incident', async () => {
    await alarm();
    await ok();
    await alarm('2024-05-01T12:00:00.000+0000');
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
    expect(world.incident()).toMatchObject({ status: 'open', incidentStart: '2024-05-01T12:00:00.000Z' });
  });
});

describe('repeat', () => {
  test('runs the chain REPEAT + 1 times, then marks the incident exhausted and logs that nobody answered', async () => {
    setEnv({ levels: [{}, { afterSeconds: 600 }], repeat: 2 });
    await alarm();
    const timers: unknown[] = [];
    while (world.schedules.size > 0) {
      timers.push(world.pendingTimer().event);
      await fireTimer();
    }

    expect(world.publishedTopics()).toEqual([
      LEVEL_TOPICS[0], LEVEL_TOPICS[1], LEVEL_TOPICS[0], LEVEL_TOPICS[1], LEVEL_TOPICS[0], LEVEL_TOPICS[1],
    ]);
    expect(timers).toEqual([
      expect.objectContaining({ level: 1, cycle: 0 }),
      expect.objectContaining({ level: 0, cycle: 1 }),
      expect.objectContaining({ level: 1, cycle: 1 }),
      expect.objectContaining({ level: 0, cycle: 2 }),
      expect.objectContaining({ level: 1, cycle: 2 }),
      expect.objectContaining({ level: 2, cycle: 2 }),
    ]);
    expect(world.incident()).toMatchObject({ status: 'exhausted' });
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'ERROR', event: 'escalation-exhausted', alarmName: ALARM }));
    const last = world.publishes()[5].bodies.email;
    expect(last).toContain('You are level 2 of 2, pass 3 of 3.');
    expect(last).toContain('This is the last notification');
  });

  test('REPEAT 0 runs the chain once', async () => {
    setEnv({ levels: [{}], repeat: 0 });
    await alarm();
    await fireTimer();
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.incident()).toMatchObject({ status: 'exhausted' });
  });
});

describe('at-least-once delivery', () => {
  test('the same SNS message delivered twice notifies each target once', async () => {
    setEnv({ levels: [{ pagerDuty: true, webhooks: [{ url: 'https://hooks.example.com/a' }] }, {}] });
    await alarm(T0, 'same-message');
    await alarm(T0, 'same-message');

    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.fetchCalls).toHaveLength(2);
    expect(world.scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(2);
    expect(world.schedules.size).toBe(1);
  });

  test('concurrent duplicate deliveries notify each target once', async () => {
    setEnv({ levels: [{ pagerDuty: true }, {}] });
    await Promise.all([alarm(T0, 'm1'), alarm(T0, 'm2'), alarm(T0, 'm3')]);

    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.fetchCalls).toHaveLength(1);
    expect(world.schedules.size).toBe(1);
  });

  test('a duplicate OK sends the recovery once', async () => {
    await alarm();
    await ok(T_OK, 'ok-1');
    await ok(T_OK, 'ok-1');
    expect(world.publishes().filter((p) => p.input.Subject?.startsWith('RECOVERED'))).toHaveLength(1);
  });

  test('an ALARM delivered after a newer transition was handled is ignored', async () => {
    await alarm('2024-05-01T12:00:00.000+0000');
    await alarm(T0);
    expect(world.publishes()).toHaveLength(1);
    expect(world.incident()).toMatchObject({ incidentStart: '2024-05-01T12:00:00.000Z' });
  });
});

describe('malformed or unexpected input is logged and dropped', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['null', null, /not a JSON object/],
    ['an empty object', {}, /unrecognized event/],
    ['no records', { Records: [] }, /no Records/],
    ['a record without Sns', { Records: [{ foo: 1 }] }, /no Sns/],
    ['a message that is not JSON', snsEvent('not json'), /not JSON/],
    ['an unknown topic', snsEvent(alarmMessage('ALARM', T0), { topic: 'arn:aws:sns:eu-west-1:1:other' }), /unexpected topic/],
    ['no StateChangeTime', snsEvent(JSON.stringify({ AlarmName: ALARM, NewStateValue: 'ALARM' })), /StateChangeTime/],
    ['INSUFFICIENT_DATA', snsEvent(alarmMessage('INSUFFICIENT_DATA', T0)), /neither ALARM nor OK/],
    ['a timer without level', { kind: 'escalate', alarmName: ALARM, incidentStart: START, cycle: 0 }, /escalate event needs/],
    ['an acknowledgement with a bad time', { kind: 'acknowledged', alarmName: ALARM, incidentStart: 'yesterday', level: 0 }, /acknowledged event needs/],
  ];

  test.each(cases)('%s', async (_name, event, reason) => {
    await expect(invoke(event)).resolves.toBeUndefined();
    expect(logs.lines).toContainEqual(expect.objectContaining({ reason: expect.stringMatching(reason) }));
    expect(world.ddb.commandCalls(PutItemCommand)).toHaveLength(0);
    expect(world.ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(world.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('a timer for an incident that does not exist does nothing', async () => {
    await expect(invoke({ kind: 'escalate', alarmName: 'nope', incidentStart: START, level: 1, cycle: 0 })).resolves.toBeUndefined();
    expect(world.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('a bad environment throws (the event goes to the DLQ) and says which variable', async () => {
    process.env.LEVELS = '[]';
    await expect(invoke(snsEvent(alarmMessage('ALARM', T0)))).rejects.toThrow(/LEVELS must be a non-empty JSON array/);
  });
});

describe('downstream failures', () => {
  beforeEach(() => setEnv({ levels: [{ pagerDuty: true, webhooks: [{ secretArn: HOOK_SECRET_ARN }] }, {}] }));

  test('a failed publish makes the invocation fail; the retry sends only what failed', async () => {
    world.publishFailures = 1;

    await expect(alarm(T0, 'm')).rejects.toThrow(/could not be delivered: a\.0\.0\.topic/);
    expect(world.fetchCalls).toHaveLength(2);
    expect(world.schedules.size).toBe(1);

    await alarm(T0, 'm');
    expect(world.sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
    expect(world.fetchCalls).toHaveLength(2);
    expect(world.schedules.size).toBe(1);
    expect(world.incident()).toMatchObject({
      deliveries: { 'a.0.0.topic': { st: 'sent' }, 'a.0.0.webhook-0': { st: 'sent' }, 'a.0.0.pagerduty-0': { st: 'sent' } },
    });
  });

  test('webhook 5xx and timeouts are retried within the invocation', async () => {
    world.fetchResponses = [503, 'timeout'];
    await alarm();
    const hook = world.fetchCalls.filter((c) => c.url === HOOK_URL);
    const pd = world.fetchCalls.filter((c) => c.url !== HOOK_URL);
    expect(hook.length + pd.length).toBe(4);
    expect(world.incident()).toMatchObject({ deliveries: { 'a.0.0.webhook-0': { st: 'sent' }, 'a.0.0.pagerduty-0': { st: 'sent' } } });
  });

  test('PagerDuty 429 until retries run out: throws, and the retry triggers once', async () => {
    setEnv({ levels: [{ pagerDuty: true, topic: false }, {}] });
    world.fetchResponses = [429, 429, 429];
    await expect(alarm(T0, 'm')).rejects.toThrow(/pagerduty-0/);
    expect(world.fetchCalls).toHaveLength(3);
    await alarm(T0, 'm');
    await alarm(T0, 'm');
    expect(world.fetchCalls).toHaveLength(4);
  });

  test('a webhook 4xx is not retried within the invocation', async () => {
    setEnv({ levels: [{ webhooks: [{ url: 'https://hooks.example.com/gone' }], topic: false }, {}] });
    world.fetchResponses = [404];
    await expect(alarm()).rejects.toThrow(/webhook-0/);
    expect(world.fetchCalls).toHaveLength(1);
  });

  test('a claim left by a crashed invocation lapses at its deadline and the retry sends', async () => {
    setEnv({ levels: [{}, {}] });
    await alarm();
    const item = world.table.items.get(ALARM) as { deliveries: Record<string, unknown> };
    item.deliveries['a.0.0.topic'] = { st: 'sending', until: Date.now() - 1, by: 'crashed' };
    await alarm();
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
  });

  test('a claim held by a running invocation is not sent twice; the event fails so it is retried', async () => {
    setEnv({ levels: [{}, {}] });
    await alarm();
    const item = world.table.items.get(ALARM) as { deliveries: Record<string, unknown> };
    item.deliveries['a.0.0.topic'] = { st: 'sending', until: Date.now() + 60_000, by: 'other' };
    await expect(alarm()).rejects.toThrow(/a\.0\.0\.topic/);
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
  });

  test('a failed timer is retried without notifying twice', async () => {
    await alarm();
    const timer = world.takeTimer();
    world.publishFailures = 1;
    setEnv({ levels: [{ pagerDuty: true, webhooks: [{ secretArn: HOOK_SECRET_ARN }] }, { pagerDuty: true }, {}] });
    await expect(invoke(timer)).rejects.toThrow();
    await invoke(timer);
    await invoke(timer);
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1], LEVEL_TOPICS[1]]);
    expect(world.sns.commandCalls(PublishCommand)).toHaveLength(3);
    expect(world.fetchCalls.filter((c) => c.body.event_action === 'trigger')).toHaveLength(2);
    expect(world.pendingTimer().event).toMatchObject({ level: 2 });
  });
});

describe('PagerDuty', () => {
  beforeEach(() => setEnv({ levels: [{ pagerDuty: true, topic: false }, { pagerDuty: true }] }));
  const DEDUP = `prod/${ALARM}/${START}`;

  test('triggers on ALARM with a stable dedup_key, critical severity and links', async () => {
    await alarm();
    expect(world.fetchCalls).toHaveLength(1);
    const { url, body } = world.fetchCalls[0];
    expect(url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(body).toMatchObject({
      routing_key: PD_ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: DEDUP,
      payload: {
        summary: 'PAGE checkout/availability: error budget burning at 14.4x (1h/5m)',
        source: 'checkout',
        severity: 'critical',
        timestamp: START,
        component: 'checkout',
        group: 'availability',
        class: 'page-1h-5m',
        custom_details: expect.objectContaining({ alarm: ALARM, objective: '99.9% over 30d', error_budget: '0.1%', level: 1 }),
      },
      links: expect.arrayContaining([expect.objectContaining({ href: expect.stringContaining(`${ACK_URL}?t=`) })]),
    });
  });

  test('resolves on OK and acknowledges on acknowledgement, with the same dedup_key', async () => {
    await alarm();
    await fireTimer();
    recordAck('Alice');
    await acknowledged();
    await ok();
    const actions = world.fetchCalls.map((c) => [c.body.event_action, c.body.dedup_key]);
    expect(actions).toEqual([
      ['trigger', DEDUP], ['trigger', DEDUP],
      ['acknowledge', DEDUP], ['acknowledge', DEDUP],
      ['resolve', DEDUP], ['resolve', DEDUP],
    ]);
    expect(world.fetchCalls[4].body).toEqual({ routing_key: PD_ROUTING_KEY, event_action: 'resolve', dedup_key: DEDUP });
  });

  test('tickets trigger with warning severity', async () => {
    setEnv({ levels: [{}], tickets: true });
    process.env.TICKETS = JSON.stringify({ publishTopicArns: [], webhooks: [], pagerDuty: [{ secretArn: world && 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pd' }] });
    await invoke(snsEvent(alarmMessage('ALARM', T0, { name: 'checkout-availability-ticket', children: ['checkout-availability-ticket-3d-6h-long'] }), { topic: TICKET_TOPIC }));
    expect(world.fetchCalls[0].body).toMatchObject({ event_action: 'trigger', payload: { severity: 'warning', class: 'ticket-3d-6h' } });
  });
});

describe('webhooks', () => {
  test('POST JSON with a text for Slack and Teams, structured fields, and a timeout', async () => {
    setEnv({ levels: [{ webhooks: [{ secretArn: HOOK_SECRET_ARN }] }, {}] });
    await alarm();
    const [{ url, body }] = world.fetchCalls;
    expect(url).toBe(HOOK_URL);
    expect(body).toMatchObject({
      kind: 'alarm', severity: 'page', policy: 'prod', alarmName: ALARM, service: 'checkout', slo: 'availability',
      objective: '99.9', window: '30d', errorBudget: '0.1%', incidentStart: START, level: 1, levelCount: 2,
      tiers: [{ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4, budgetPercent: 2 }],
      links: {
        acknowledge: expect.stringContaining(`${ACK_URL}?t=`),
        runbook: 'https://wiki.example.com/runbooks/checkout',
        alarm: expect.stringContaining('#alarmsV2:alarm/checkout-availability-page'),
        dashboard: expect.stringContaining('#dashboards/dashboard/checkout-slos'),
      },
    });
    expect(body.text).toMatch(/^\*PAGE checkout\/availability: error budget burning at 14\.4x \(1h\/5m\)\*\n/);
    const init = world.fetchSpy.mock.calls[0][1] as RequestInit;
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/json' });
    expect(init.signal).toBeDefined();
  });
});

describe('tickets', () => {
  const ticketAlarm = (state: 'ALARM' | 'OK', time: string) => invoke(snsEvent(
    alarmMessage(state, time, { name: 'checkout-availability-ticket', children: ['checkout-availability-ticket-3d-6h-long'] }),
    { topic: TICKET_TOPIC },
  ));

  test('notify the ticket targets once, recovery once, and never escalate', async () => {
    setEnv({ tickets: true });
    await ticketAlarm('ALARM', T0);
    await ticketAlarm('ALARM', T0);
    expect(world.publishedTopics()).toEqual([TICKETS_TOPIC]);
    expect(world.schedules.size).toBe(0);
    expect(world.publishes()[0].bodies.email).toContain('Tickets do not escalate');
    await ticketAlarm('OK', T_OK);
    await ticketAlarm('OK', T_OK);
    expect(world.publishedTopics()).toEqual([TICKETS_TOPIC, TICKETS_TOPIC]);
    expect(world.scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
  });

  test('are ignored (and logged) when the policy has no ticket targets', async () => {
    await ticketAlarm('ALARM', T0);
    expect(world.publishes()).toHaveLength(0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('no ticket targets') }));
  });
});

test('secrets never reach the logs', async () => {
  setEnv({ levels: [{ pagerDuty: true, webhooks: [{ secretArn: HOOK_SECRET_ARN }] }, {}] });
  world.fetchResponses = [500, 500, 500, 500, 500, 500];
  await expect(alarm()).rejects.toThrow();
  await alarm();
  await ok();
  const text = JSON.stringify(logs.lines);
  expect(logs.lines.length).toBeGreaterThan(5);
  for (const secret of [HOOK_URL, 'SECRETPART', PD_ROUTING_KEY, SIGNING_SECRET, '?t=']) {
    expect(text).not.toContain(secret);
  }
});
