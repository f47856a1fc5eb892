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
  Object.assign(world.entry(), { status: 'acknowledged', ackedBy: by, ackedAt: '2024-05-01T10:05:00.000Z', ackLevel: 0, ackNonce: 'n' });
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

  test('stop when DescribeAlarms says the alarm is OK, resolving the incident and telling those notified (the OK was lost)', async () => {
    await alarm();
    world.alarmState = 'OK';
    await fireTimer();

    // Level 2 is not paged; level 1 hears it recovered (before: the incident stayed open and nobody was told).
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
    expect(world.publishes()[1].input.Subject).toMatch(/^RECOVERED checkout\/availability: checkout-availability-page is OK again/);
    expect(world.schedules.size).toBe(0);
    expect(world.incident()).toMatchObject({ status: 'resolved', resolution: 'ok' });
  });

  test('a timer that fires after OK does nothing', async () => {
    await alarm();
    const timer = world.pendingTimer().event;
    await ok();
    const published = world.publishes().length;
    const describes = world.cloudwatch.commandCalls((await import('@aws-sdk/client-cloudwatch')).DescribeAlarmsCommand).length;
    await invoke(timer);

    expect(world.publishes()).toHaveLength(published);
    expect(world.schedules.size).toBe(0);
    expect(world.cloudwatch.commandCalls((await import('@aws-sdk/client-cloudwatch')).DescribeAlarmsCommand)).toHaveLength(describes);
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
      // then every level hears, once, that nobody answered
      LEVEL_TOPICS[0], LEVEL_TOPICS[1],
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
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
    expect(world.publishes()[1].input.Subject).toMatch(/^UNANSWERED /);
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
    // Each delivery makes sure the next escalation timer is armed; the schedule group holds it once.
    const escalations = world.scheduler.commandCalls(CreateScheduleCommand).filter((c) => JSON.parse(c.args[0].input.Target?.Input ?? '{}').kind === 'escalate');
    expect(escalations).toHaveLength(2);
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
    // Permanent: recorded as failed and logged; the invocation succeeds (a Lambda retry would fail the same way).
    await expect(alarm()).resolves.toBeUndefined();
    expect(world.fetchCalls).toHaveLength(1);
  });

  test('a claim left by a crashed invocation lapses at its deadline and the retry sends', async () => {
    setEnv({ levels: [{}, {}] });
    await alarm();
    world.entry().deliveries['a.0.0.topic'] = { st: 'sending', until: Date.now() - 1, by: 'crashed' };
    await alarm();
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
  });

  test('a claim held by a running invocation is not sent twice; the duplicate leaves it to that invocation', async () => {
    setEnv({ levels: [{}, {}] });
    await alarm();
    world.entry().deliveries['a.0.0.topic'] = { st: 'sending', until: Date.now() + 60_000, by: 'other' };
    // No throw: the holder sends it (it throws itself if its send fails); if it is stopped, its
    // claim lapses at its deadline and a drain timer, armed for after that, sends it.
    await expect(alarm()).resolves.toBeUndefined();
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'notices still owed: a drain timer sends them', busy: 1 }));
    expect(world.drains.size).toBe(1);
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
    // The idempotency key: the same in every try of this notice.
    expect(init.headers).toEqual({ 'content-type': 'application/json', 'idempotency-key': `prod/${ALARM}/${START}/a.0.0.webhook-0` });
    expect(body.noticeId).toBe(`prod/${ALARM}/${START}/a.0.0.webhook-0`);
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

/** PagerDuty actions of one dedup_key, in the order PagerDuty received them. */
function pdActions(dedup: string): string[] {
  return world.fetchCalls.filter((c) => c.body.dedup_key === dedup).map((c) => c.body.event_action as string);
}

/** Per dedup_key, PagerDuty never goes back: no trigger after acknowledge or resolve, no acknowledge after resolve. */
function expectMonotonic(actions: string[]): void {
  const rank: Record<string, number> = { trigger: 0, acknowledge: 1, resolve: 2 };
  actions.forEach((a, i) => {
    for (const before of actions.slice(0, i)) {
      expect(`${before} then ${a}`).toBe(rank[a] >= rank[before] ? `${before} then ${a}` : 'monotonic order');
    }
  });
}

/** Subjects published to one topic, in order. */
function subjectsOf(topic: string): string[] {
  return world.publishes().filter((p) => p.topic === topic).map((p) => (p.input.Subject as string).split(' ')[0]);
}

/** Runs `other` once, before any claim of a delivery whose key starts with `prefix` (they all wait for it). */
function beforeClaimOf(prefix: string, other: () => Promise<unknown>): void {
  let running: Promise<unknown> | undefined;
  world.table.beforeWrite = async (command, input) => {
    const names = Object.values(input.ExpressionAttributeNames ?? {});
    if (command === 'UpdateItem' && input.UpdateExpression?.startsWith('SET') && names.some((n) => n.startsWith(prefix))) {
      running ??= other();
      await running;
    }
  };
}

/** Runs `other` once, while the first PagerDuty trigger is in flight (before PagerDuty receives it). */
function duringFirstTrigger(other: () => Promise<unknown>): void {
  let done = false;
  world.beforeFetch = async (call) => {
    if (!done && call.body.event_action === 'trigger') {
      done = true;
      await other();
    }
  };
}

describe('B1: no page after recovery or acknowledgement', () => {
  const DEDUP = `prod/${ALARM}/${START}`;
  beforeEach(() => setEnv({ levels: [{ pagerDuty: true }, { pagerDuty: true }, {}] }));

  test('an OK handled after the timer advanced but before it claimed level 2: level 2 is not paged at all', async () => {
    await alarm();
    const timer = world.takeTimer();
    beforeClaimOf('a.0.1.', () => ok());
    await invoke(timer);

    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual([]);
    expect(subjectsOf(LEVEL_TOPICS[0])).toEqual(['PAGE', 'RECOVERED']);
    expect(pdActions(DEDUP)).toEqual(['trigger', 'resolve']);
    expect(world.schedules.size).toBe(0);
    expect(world.incident()).toMatchObject({ status: 'resolved' });
  });

  test('an OK handled while level 2 is being paged: level 2 still hears it recovered, after the page', async () => {
    await alarm();
    const timer = world.takeTimer();
    duringFirstTrigger(() => ok());
    await invoke(timer);

    expect(subjectsOf(LEVEL_TOPICS[0])).toEqual(['PAGE', 'RECOVERED']);
    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual(['PAGE', 'RECOVERED']);
    expect(pdActions(DEDUP)).toEqual(['trigger', 'trigger', 'resolve', 'resolve']);
    expectMonotonic(pdActions(DEDUP));
    expect(world.schedules.size).toBe(0);
  });

  test('an acknowledgement while level 2 is being paged: PagerDuty gets acknowledge after the trigger, and level 2 is told', async () => {
    await alarm();
    const timer = world.takeTimer();
    duringFirstTrigger(async () => {
      recordAck('Alice');
      await acknowledged('Alice');
    });
    await invoke(timer);

    expect(pdActions(DEDUP)).toEqual(['trigger', 'trigger', 'acknowledge', 'acknowledge']);
    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual(['PAGE', 'ACKNOWLEDGED']);
    expect(world.schedules.size).toBe(0);
  });

  test('an acknowledgement after the timer advanced but before it claimed level 2: level 2 is not paged', async () => {
    await alarm();
    const timer = world.takeTimer();
    beforeClaimOf('a.0.1.', async () => {
      recordAck('Alice');
      await acknowledged('Alice');
    });
    await invoke(timer);

    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual([]);
    expect(pdActions(DEDUP)).toEqual(['trigger', 'acknowledge']);
    expect(world.schedules.size).toBe(0);
  });

  test('acknowledged, then OK while level 2 is paged: every target ends with resolve, in order', async () => {
    await alarm();
    const timer = world.takeTimer();
    duringFirstTrigger(async () => {
      recordAck('Alice');
      await acknowledged('Alice');
      await ok();
    });
    await invoke(timer);

    const actions = pdActions(DEDUP);
    expectMonotonic(actions);
    expect(actions.filter((a) => a === 'resolve')).toHaveLength(2);
    expect(subjectsOf(LEVEL_TOPICS[1]).at(-1)).toBe('RECOVERED');
  });
});

describe('B2: an OK handled before its ALARM', () => {
  const T_LATE_OK = '2024-05-01T10:30:00.000+0000';

  test('the ALARM delivered after the OK pages nobody, and says why in the log', async () => {
    setEnv({ levels: [{ pagerDuty: true }, {}] });
    await ok(T_OK);
    await alarm(T0);

    expect(world.publishes()).toHaveLength(0);
    expect(world.fetchCalls).toHaveLength(0);
    expect(world.schedules.size).toBe(0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('ALARM ignored: the alarm already recovered'), alarmName: ALARM }));
    expect(world.incident()).toMatchObject({ okMarker: true, lastChange: '2024-05-01T10:23:00.000Z', expiresAt: expect.any(Number) });
  });

  test('an ALARM whose invocation failed before its PutItem and is retried after the OK pages nobody', async () => {
    let failed = false;
    world.table.beforeWrite = async (command) => {
      if (!failed && command === 'PutItem') {
        failed = true;
        throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
      }
    };
    await expect(alarm(T0, 'm')).rejects.toThrow();
    await ok(T_OK);
    await alarm(T0, 'm');

    expect(world.publishes()).toHaveLength(0);
    expect(world.schedules.size).toBe(0);
  });

  test('an OK later than the one that resolved the incident also outranks a late ALARM', async () => {
    await alarm(T0);
    await ok(T_OK);
    await ok(T_LATE_OK);
    await alarm('2024-05-01T10:25:00.000+0000');

    expect(subjectsOf(LEVEL_TOPICS[0])).toEqual(['PAGE', 'RECOVERED']);
    expect(world.incident()).toMatchObject({ incidentStart: START, status: 'resolved', lastChange: '2024-05-01T10:30:00.000Z' });
  });

  test('an ALARM newer than the recorded OK still pages', async () => {
    await ok(T_OK);
    await alarm('2024-05-01T11:00:00.000+0000');
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.incident()).toMatchObject({ status: 'open', incidentStart: '2024-05-01T11:00:00.000Z' });
    expect(world.incident()).not.toHaveProperty('okMarker');
  });

  test('a timer finding the alarm OK resolves with CloudWatch\'s time: the late OK notification then sends nothing more', async () => {
    setEnv({ levels: [{ pagerDuty: true }, {}] });
    await alarm();
    world.alarmState = 'OK';
    world.alarmSince = new Date('2024-05-01T10:23:00.000Z');
    await fireTimer();
    await ok(T_OK);

    expect(subjectsOf(LEVEL_TOPICS[0])).toEqual(['PAGE', 'RECOVERED']);
    expect(pdActions(`prod/${ALARM}/${START}`)).toEqual(['trigger', 'resolve']);
    expect(world.incident()).toMatchObject({ status: 'resolved', resolvedAt: '2024-05-01T10:23:00.000Z' });
  });
});

describe('B3: closing an incident that cannot recover normally', () => {
  const OLD = `prod/${ALARM}/${START}`;
  const T2 = '2024-05-01T12:00:00.000+0000';
  const NEW = `prod/${ALARM}/2024-05-01T12:00:00.000Z`;
  beforeEach(() => setEnv({ levels: [{ pagerDuty: true }, { pagerDuty: true }, {}] }));

  test('a newer ALARM replacing an unresolved incident resolves its PagerDuty incident and tells its levels', async () => {
    await alarm();
    await fireTimer();
    const oldTimer = world.pendingTimer().name;
    await alarm(T2);

    expect(pdActions(OLD)).toEqual(['trigger', 'trigger', 'resolve', 'resolve']);
    expect(pdActions(NEW)).toEqual(['trigger']);
    expect(subjectsOf(LEVEL_TOPICS[0]).sort()).toEqual(['CLOSED', 'PAGE', 'PAGE']);
    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual(['PAGE', 'CLOSED']);
    const closed = world.publishes().find((p) => p.topic === LEVEL_TOPICS[1] && p.input.Subject?.startsWith('CLOSED'))!;
    expect(closed.input.Subject).toBe('CLOSED checkout/availability: replaced by a new incident (the alarm fired again)');
    expect(closed.bodies.email).toContain('went to ALARM again at 2024-05-01 12:00:00 UTC without an OK in between');
    expect(world.deletedSchedules).toContain(oldTimer);
    expect(world.incident()).toMatchObject({ incidentStart: '2024-05-01T12:00:00.000Z', status: 'open' });

    // The same ALARM again (duplicate, or a retry) closes nothing twice.
    await alarm(T2);
    expect(pdActions(OLD)).toHaveLength(4);
  });

  test('a closing notice that fails is retried with the event, without repeating the others', async () => {
    await alarm();
    await fireTimer();
    world.publishFailures = 1;
    await expect(alarm(T2, 'm')).rejects.toThrow(/could not be delivered/);
    await alarm(T2, 'm');

    expect(pdActions(OLD)).toEqual(['trigger', 'trigger', 'resolve', 'resolve']);
    expect(world.accepted.filter((p) => p.Subject?.startsWith('CLOSED')).map((p) => p.TopicArn).sort()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
  });

  test('a timer finding the alarm deleted closes the incident, saying so', async () => {
    await alarm();
    world.alarmState = null;
    await fireTimer();

    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual([]);
    const closed = world.publishes()[1];
    expect(closed.topic).toBe(LEVEL_TOPICS[0]);
    expect(closed.input.Subject).toBe('CLOSED checkout/availability: the alarm checkout-availability-page was deleted');
    expect(closed.bodies.email).toContain('no longer exists');
    expect(pdActions(OLD)).toEqual(['trigger', 'resolve']);
    expect(world.incident()).toMatchObject({ status: 'resolved', resolution: 'deleted', expiresAt: expect.any(Number) });
    expect(world.schedules.size).toBe(0);
  });
});

describe('B4: permanent failures do not fail the invocation', () => {
  test('a webhook 4xx is recorded as failed and logged at ERROR with the target kind, never its URL, and not retried', async () => {
    setEnv({ levels: [{ webhooks: [{ secretArn: HOOK_SECRET_ARN }] }, {}] });
    world.fetchResponses = [410];
    await alarm(T0, 'm');
    await alarm(T0, 'm');

    expect(world.fetchCalls).toHaveLength(1);
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.incident()).toMatchObject({ deliveries: { 'a.0.0.webhook-0': { st: 'failed', error: expect.stringContaining('HTTP 410') } } });
    expect(logs.lines).toContainEqual(expect.objectContaining({
      level: 'ERROR', event: 'delivery-failed', target: 'webhook', retryable: false, delivery: 'a.0.0.webhook-0',
    }));
    expect(JSON.stringify(logs.lines)).not.toContain('SECRETPART');
    expect(JSON.stringify(world.incident())).not.toContain('SECRETPART');
    expect(world.pendingTimer().event).toMatchObject({ level: 1 });
  });

  test('a bad PagerDuty routing key (400) is permanent; the chain goes on', async () => {
    setEnv({ levels: [{ pagerDuty: true, topic: false }, {}] });
    world.fetchResponses = [400];
    await expect(alarm()).resolves.toBeUndefined();
    expect(world.fetchCalls).toHaveLength(1);
    expect(world.incident()).toMatchObject({ deliveries: { 'a.0.0.pagerduty-0': { st: 'failed' } } });
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'ERROR', target: 'pagerduty', retryable: false }));
    expect(JSON.stringify(logs.lines)).not.toContain(PD_ROUTING_KEY);
    expect(world.schedules.size).toBe(1);
  });

  test('next to a retryable failure, only that one fails the invocation, and the retry does not repeat the permanent one', async () => {
    setEnv({ levels: [{ webhooks: [{ url: 'https://hooks.example.com/gone' }] }, {}] });
    world.fetchResponses = [404];
    world.publishFailures = 1;
    const failure = alarm(T0, 'm');
    await expect(failure).rejects.toThrow(/could not be delivered: a\.0\.0\.topic$/);
    await alarm(T0, 'm');
    expect(world.fetchCalls).toHaveLength(1);
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[0]]);
  });

  test('SDK errors: throttling and 5xx are retryable, 4xx client faults are not', async () => {
    const { isRetryable, DeliveryError } = await import('../../../lambdas/escalation/delivery/retry');
    const sdk = (name: string, status: number, fault: 'client' | 'server', extra = {}) => Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status }, ...extra });
    expect(isRetryable(sdk('ThrottledException', 429, 'client'))).toBe(true);
    expect(isRetryable(sdk('KMSThrottlingException', 400, 'client'))).toBe(true);
    expect(isRetryable(sdk('InternalError', 500, 'server'))).toBe(true);
    expect(isRetryable(sdk('Whatever', 400, 'client', { $retryable: {} }))).toBe(true);
    expect(isRetryable(sdk('AuthorizationErrorException', 403, 'client'))).toBe(false);
    expect(isRetryable(sdk('NotFoundException', 404, 'client'))).toBe(false);
    expect(isRetryable(sdk('ResourceNotFoundException', 400, 'client'))).toBe(false);
    expect(isRetryable(new DeliveryError('HTTP 404', false, 404))).toBe(false);
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
  });
});

describe('B5: only resolved incidents expire', () => {
  test('open, acknowledged and exhausted incidents carry no TTL; resolved ones keep 30 days', async () => {
    setEnv({ levels: [{}, {}], repeat: 0 });
    await alarm();
    expect(world.incident()).not.toHaveProperty('expiresAt');
    await fireTimer();
    expect(world.incident()).not.toHaveProperty('expiresAt');
    await fireTimer();
    expect(world.incident()).toMatchObject({ status: 'exhausted' });
    expect(world.incident()).not.toHaveProperty('expiresAt');

    const before = Math.floor(Date.now() / 1000);
    await ok();
    const expires = world.incident()!.expiresAt as number;
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 24 * 3600);
    expect(expires).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 24 * 3600);
  });

  test('an incident written with a TTL by an earlier version loses it when it escalates', async () => {
    await alarm();
    world.table.items.get(ALARM)!.expiresAt = Math.floor(Date.now() / 1000) + 60;
    await fireTimer();
    expect(world.incident()).toMatchObject({ level: 1 });
    expect(world.incident()).not.toHaveProperty('expiresAt');
  });
});

describe('exhaustion tells every level nobody answered', () => {
  test('once, with an acknowledge link, not to PagerDuty (its own escalation runs)', async () => {
    setEnv({ levels: [{ pagerDuty: true }, {}], repeat: 0 });
    await alarm();
    await fireTimer();
    const terminal = world.takeTimer();
    await invoke(terminal);
    await invoke(terminal);

    const unanswered = world.publishes().filter((p) => p.input.Subject?.startsWith('UNANSWERED'));
    expect(unanswered.map((p) => p.topic)).toEqual([LEVEL_TOPICS[0], LEVEL_TOPICS[1]]);
    expect(unanswered[0].input.Subject).toBe('UNANSWERED checkout/availability: nobody acknowledged after 2 levels; the escalation ran out');
    expect(unanswered[0].bodies.email).toContain('Nobody acknowledged checkout/availability');
    expect(unanswered[0].bodies.email).toContain(`${ACK_URL}?t=`);
    expect(unanswered[0].bodies.sms).toMatch(/^UNANSWERED checkout\/availability: nobody acked, escalation over\. Ack: https:/);
    expect(JSON.parse(unanswered[0].bodies.https).metadata.eventType).toBe('SloBurnUnanswered');
    expect(world.fetchCalls.map((c) => c.body.event_action)).toEqual(['trigger']);
    expect(logs.lines.filter((l) => l.event === 'escalation-exhausted')).toHaveLength(1);

    // Someone answering late: acknowledged and resolved notices follow to both levels.
    recordAck('Late Larry');
    await acknowledged('Late Larry');
    expect(subjectsOf(LEVEL_TOPICS[1])).toEqual(['PAGE', 'UNANSWERED', 'ACKNOWLEDGED']);
  });
});
