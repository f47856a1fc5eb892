/**
 * Only CloudWatch can page: the escalation function handles an SNS alarm transition only when the
 * alarm exists in CloudWatch as a composite of this account wired to the topic the record came
 * from, and writes its notices from CloudWatch's description and tags, never the message's text.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { handler } from '../../../../lambdas/escalation';
import { judge, ruleAlarmNames, scopeOfFunction, VerificationScope } from '../../../../lambdas/escalation/alarm/verify';
import type { AlarmTransition } from '../../../../lambdas/escalation/events/parse';
import {
  ACCOUNT, ALARM, ALARM_ARN, alarmArn, alarmMessage, captureLogs, DESCRIPTION, FUNCTION_ARN, lambdaContext, LEVEL_TOPICS, PAGE_TOPIC, REGION,
  setEnv, snsEvent, TICKET_TOPIC, World, wiredComposite,
} from '../../support/world';

const T0 = '2024-05-01T10:00:00.000+0000';
const T_OK = '2024-05-01T10:23:00.000+0000';
const PHISHING = 'https://login.example-sso.net/reset';

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

/** A message in CloudWatch's format, with the text an attacker chooses. */
function forgedMessage(opts: { name?: string; state?: 'ALARM' | 'OK'; arn?: string | null; time?: string; children?: string[] } = {}): string {
  const name = opts.name ?? ALARM;
  return JSON.stringify({
    AlarmName: name,
    AlarmDescription: `URGENT: the payments database is down. Runbook: ${PHISHING}`,
    ...(opts.arn === null ? {} : { AlarmArn: opts.arn ?? alarmArn(name) }),
    NewStateValue: opts.state ?? 'ALARM',
    OldStateValue: opts.state === 'OK' ? 'ALARM' : 'OK',
    NewStateReason: `Sign in at ${PHISHING} to acknowledge`,
    StateChangeTime: opts.time ?? T0,
    TriggeringChildren: (opts.children ?? [`${name}-1h-5m-long`]).map((c) => ({ Arn: alarmArn(c), State: { Value: 'ALARM', Timestamp: T0 } })),
  });
}

/** Nothing was notified, signed, recorded or scheduled. */
function expectNothingHappened(): void {
  expect(world.publishes()).toEqual([]);
  expect(world.fetchCalls).toEqual([]);
  expect(world.secrets.commandCalls(GetSecretValueCommand)).toEqual([]); // no acknowledge link was signed
  expect(world.ddb.commandCalls(PutItemCommand)).toEqual([]);
  expect(world.table.items.size).toBe(0);
  expect(world.schedules.size).toBe(0);
}

function refusals(): Array<Record<string, unknown>> {
  return logs.lines.filter((l) => l.event === 'unverified-alarm');
}

describe('forged pages are refused', () => {
  test('a message for an alarm that does not exist pages nobody, signs no link and starts no chain (regression: it paged level 1 with the forged text)', async () => {
    world.alarmFixtures.set('payments-db-page', 'missing');

    await invoke(snsEvent(forgedMessage({ name: 'payments-db-page' })));

    expectNothingHappened();
    expect(refusals()).toEqual([expect.objectContaining({
      level: 'ERROR', event: 'unverified-alarm', alarmName: 'payments-db-page', newState: 'ALARM', severity: 'page',
      reason: 'no alarm of that name exists in this account and region',
    })]);
    // the forged text is never written anywhere, not even to the log
    expect(JSON.stringify(logs.lines)).not.toContain(PHISHING);
  });

  test('a metric alarm of that name is not enough: only composites page', async () => {
    world.alarmFixtures.set(ALARM, 'metric');
    await invoke(snsEvent(forgedMessage()));
    expectNothingHappened();
    expect(refusals()[0]).toMatchObject({ reason: 'the alarm is a metric alarm: only composite alarms page through an escalation policy' });
  });

  test('a composite wired to another escalation policy does not page this one', async () => {
    const other = `arn:aws:sns:${REGION}:${ACCOUNT}:other-policy-page`;
    world.alarmFixtures.set(ALARM, { AlarmActions: [other], OKActions: [other] });
    await invoke(snsEvent(forgedMessage()));
    expectNothingHappened();
    expect(refusals()[0]).toMatchObject({ reason: expect.stringContaining(`does not notify this topic on ALARM (its AlarmActions: ${other})`) });
  });

  test('a ticket composite published to the page topic does not page (severity comes from the wiring, not the message)', async () => {
    world.alarmFixtures.set('checkout-availability-ticket', { AlarmActions: [TICKET_TOPIC], OKActions: [TICKET_TOPIC] });
    await invoke(snsEvent(forgedMessage({ name: 'checkout-availability-ticket' }), { topic: PAGE_TOPIC }));
    expectNothingHappened();
    expect(refusals()[0]).toMatchObject({ severity: 'page', reason: expect.stringContaining('not wired to this escalation policy, or not for this severity') });
  });

  test('an AlarmArn of another account or region is refused without asking CloudWatch', async () => {
    await invoke(snsEvent(forgedMessage({ arn: `arn:aws:cloudwatch:${REGION}:999999999999:alarm:${ALARM}` })));
    await invoke(snsEvent(forgedMessage({ arn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${ALARM}` })));
    await invoke(snsEvent(forgedMessage({ arn: alarmArn('another-alarm') })));
    expectNothingHappened();
    expect(refusals().map((r) => r.reason)).toEqual([
      `its AlarmArn is not an alarm of this account and region (${ACCOUNT}, ${REGION})`,
      `its AlarmArn is not an alarm of this account and region (${ACCOUNT}, ${REGION})`,
      'its AlarmArn names another alarm than its AlarmName',
    ]);
    expect(world.cloudwatch.commandCalls(DescribeAlarmsCommand)).toEqual([]);
  });

  test('a name CloudWatch could not hold (over 255 characters) is refused without asking CloudWatch', async () => {
    await invoke(snsEvent(forgedMessage({ name: 'x'.repeat(300), arn: null })));
    expectNothingHappened();
    expect(refusals()[0]).toMatchObject({ reason: 'the alarm name is longer than 255 characters' });
    expect(world.cloudwatch.commandCalls(DescribeAlarmsCommand)).toEqual([]);
  });

  test('a forged OK does not resolve an incident when the alarm\'s OK actions do not notify this topic', async () => {
    await invoke(snsEvent(alarmMessage('ALARM', T0)));
    world.alarmFixtures.set(ALARM, { OKActions: [] });
    await invoke(snsEvent(forgedMessage({ state: 'OK', time: T_OK })));

    expect(world.incident()).toMatchObject({ status: 'open' });
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.pendingTimer().event).toMatchObject({ level: 1 });
    expect(refusals()[0]).toMatchObject({ newState: 'OK', reason: expect.stringContaining('on OK (its OKActions: none)') });
  });

  test('INSUFFICIENT_DATA is ignored without asking CloudWatch', async () => {
    await invoke(snsEvent(alarmMessage('INSUFFICIENT_DATA', T0)));
    expect(world.cloudwatch.commandCalls(DescribeAlarmsCommand)).toEqual([]);
    expect(world.publishes()).toEqual([]);
  });
});

describe('a real alarm pages with what CloudWatch says, never the message\'s text', () => {
  test('description, runbook and reason come from CloudWatch; triggering children only if the rule names them', async () => {
    const children = [`${ALARM}-1h-5m-long`, 'made-up-page-99h-1m-long'];
    await invoke(snsEvent(forgedMessage({ children })));

    const [page] = world.publishes();
    expect(page.topic).toBe(LEVEL_TOPICS[0]);
    const email = page.bodies.email;
    expect(email).not.toContain(PHISHING);
    expect(email).not.toContain('URGENT');
    expect(email).toContain('https://wiki.example.com/runbooks/checkout'); // the runbook tag
    expect(email).toContain(`${ALARM}-1h-5m-long transitioned to ALARM`); // CloudWatch's StateReason
    expect(email).not.toContain('99h');
    expect(world.incident()).toMatchObject({
      alarm: { arn: ALARM_ARN, region: REGION, description: DESCRIPTION, children: [`${ALARM}-1h-5m-long`] },
    });
    expect(refusals()).toEqual([]);
  });

  test('the reason is left out when the alarm has left the state the message claims', async () => {
    world.alarmState = 'OK';
    await invoke(snsEvent(forgedMessage()));
    expect(world.publishes()[0].bodies.email).not.toContain('Sign in at');
    expect((world.incident()!.alarm as Record<string, unknown>).reason).toBeUndefined();
  });

  test('a message without AlarmArn is judged by the alarm CloudWatch has under that name', async () => {
    await invoke(snsEvent(forgedMessage({ arn: null })));
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
    expect(world.incident()).toMatchObject({ alarm: { arn: ALARM_ARN } });
  });

  test('ticket alarms are verified against the ticket topic', async () => {
    setEnv({ tickets: true });
    world.alarmFixtures.set('checkout-availability-ticket', { AlarmActions: [TICKET_TOPIC], OKActions: [TICKET_TOPIC] });
    await invoke(snsEvent(alarmMessage('ALARM', T0, { name: 'checkout-availability-ticket', children: ['checkout-availability-ticket-3d-6h-long'] }), { topic: TICKET_TOPIC }));
    expect(world.incident('checkout-availability-ticket')).toMatchObject({ severity: 'ticket', status: 'open' });
    expect(refusals()).toEqual([]);
  });
});

describe('when CloudWatch cannot answer, the page is late, never lost and never unverified', () => {
  test('throttled DescribeAlarms: the invocation fails (Lambda retries, then the dead-letter queue); the retry pages once', async () => {
    world.describeFailures.count = 1;
    const event = snsEvent(alarmMessage('ALARM', T0), { messageId: 'm-1' });

    await expect(invoke(event)).rejects.toThrow('Rate exceeded');
    expectNothingHappened();
    expect(refusals()).toEqual([]);
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'WARN', msg: expect.stringContaining('could not verify the alarm with CloudWatch') }));

    await invoke(event); // Lambda's retry
    expect(world.publishedTopics()).toEqual([LEVEL_TOPICS[0]]);
  });

  test('access denied is thrown too: a permissions mistake dead-letters pages instead of dropping them', async () => {
    world.describeFailures = { count: 1, error: () => Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }) };
    await expect(invoke(snsEvent(alarmMessage('ALARM', T0)))).rejects.toThrow('not authorized');
    expectNothingHappened();
  });

  test('a name CloudWatch refuses as invalid is an unverified message, not a retry', async () => {
    world.describeFailures = { count: 1, error: () => Object.assign(new Error('bad name'), { name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } }) };
    await invoke(snsEvent(forgedMessage()));
    expectNothingHappened();
    expect(refusals()[0]).toMatchObject({ reason: 'CloudWatch refused the alarm name (InvalidParameterValueException)' });
  });
});

describe('judge (pure)', () => {
  const scope: VerificationScope = { topicArn: PAGE_TOPIC, partition: 'aws', region: REGION, account: ACCOUNT };
  const transition = (over: Partial<AlarmTransition> = {}): AlarmTransition => ({
    messageId: 'm', severity: 'page', alarmName: ALARM, newState: 'ALARM', changeTime: '2024-05-01T10:00:00.000Z',
    snapshot: { arn: ALARM_ARN, region: REGION, description: 'forged', reason: 'forged', children: [`${ALARM}-6h-30m-short`, 'x'] },
    ...over,
  });

  test('a wired composite: the transition is rebuilt from CloudWatch', () => {
    expect(judge(transition(), { composite: wiredComposite(ALARM) }, scope)).toEqual({
      verified: true,
      transition: transition({
        snapshot: {
          arn: ALARM_ARN, region: REGION, description: DESCRIPTION,
          reason: `${alarmArn(`${ALARM}-1h-5m-long`)} transitioned to ALARM`, children: [`${ALARM}-6h-30m-short`],
        },
      }),
    });
  });

  test('the ARN CloudWatch reports must be the one the message names', () => {
    expect(judge(transition(), { composite: { ...wiredComposite(ALARM), AlarmArn: alarmArn('renamed') } }, scope))
      .toEqual({ verified: false, reason: 'CloudWatch reports the alarm under another ARN than the message' });
  });

  test('the partition must be this function\'s', () => {
    expect(judge(transition({ snapshot: { arn: `arn:aws-cn:cloudwatch:${REGION}:${ACCOUNT}:alarm:${ALARM}`, children: [] } }), { composite: wiredComposite(ALARM) }, scope))
      .toMatchObject({ verified: false });
  });

  test('the rule\'s alarm names: quoted ARNs, quoted and bare names, any state function', () => {
    expect([...ruleAlarmNames(`ALARM("${alarmArn('a-long')}") AND NOT OK( "b" ) OR INSUFFICIENT_DATA(c) OR TRUE`)]).toEqual(['a-long', 'b', 'c']);
    expect(ruleAlarmNames(undefined).size).toBe(0);
  });

  test('the function ARN gives partition, region and account (aliases included)', () => {
    expect(scopeOfFunction(`${FUNCTION_ARN}:live`, PAGE_TOPIC)).toEqual(scope);
    expect(scopeOfFunction('not-an-arn', PAGE_TOPIC)).toBeUndefined();
  });
});
