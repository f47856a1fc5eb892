/**
 * Regressions: closing incidents replaced by a newer ALARM, an OK racing a newer ALARM, and TTLs
 * left by the previous version.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { handler } from '../../../lambdas/escalation';
import { ALARM, alarmMessage, captureLogs, lambdaContext, LEVEL_TOPICS, setEnv, snsEvent, TICKET_TOPIC, World } from '../support/world';

const T0 = '2024-05-01T10:00:00.000+0000';
const T1 = '2024-05-01T10:20:00.000+0000';
const T2 = '2024-05-01T10:30:00.000+0000';
const T3 = '2024-05-01T10:31:00.000+0000';
const T4 = '2024-05-01T10:40:00.000+0000';
const T5 = '2024-05-01T10:50:00.000+0000';

let world: World;
let logs: ReturnType<typeof captureLogs>;
afterEach(() => {
  logs.restore();
  world.restore();
});
const start = (env?: Parameters<typeof setEnv>[0]) => {
  setEnv(env);
  world = new World();
  logs = captureLogs();
};
const invoke = (e: unknown) => handler(e, lambdaContext());
/** PagerDuty calls as `<action>:<incident>` (T0, T2, T4 by the dedup_key's time). */
const pd = () => world.fetchCalls.map((c) => {
  const key = String(c.body.dedup_key);
  return `${c.body.event_action}:${key.includes('10:00') ? 'T0' : key.includes('10:30') ? 'T2' : 'T4'}`;
});

test('a level paged while a newer ALARM replaces the incident gets its PagerDuty incident resolved, after the trigger', async () => {
  start({ levels: [{}, { pagerDuty: true }] });
  await invoke(snsEvent(alarmMessage('ALARM', T0)));
  const timer = world.takeTimer();
  // The level-2 trigger is in flight while the newer ALARM is handled completely.
  let raced = false;
  world.beforeFetch = async (c) => {
    if (!raced && c.body.event_action === 'trigger') {
      raced = true;
      await invoke(snsEvent(alarmMessage('ALARM', T2)));
    }
  };
  await invoke(timer);
  world.beforeFetch = undefined;

  // The timer's invocation, its trigger sent, finds the incident closed and resolves it itself.
  expect(pd()).toEqual(['trigger:T0', 'resolve:T0']);
  await invoke(world.takeTimer());
  await invoke(snsEvent(alarmMessage('OK', T3)));
  expect(pd()).toEqual(['trigger:T0', 'resolve:T0', 'trigger:T2', 'resolve:T2']);
  expect(world.schedules.size).toBe(0);
});

test('a closing notice that failed every retry is sent by the next invocation, and a third ALARM carries it over', async () => {
  start({ levels: [{ pagerDuty: true }, {}] });
  await invoke(snsEvent(alarmMessage('ALARM', T0)));
  let failT0 = true;
  world.fetchSpy.mockImplementation(async (url, init) => {
    const body = JSON.parse(String(init?.body));
    world.fetchCalls.push({ url: String(url), body });
    const t0Resolve = body.event_action === 'resolve' && String(body.dedup_key).includes('10:00');
    return new Response('{}', { status: failT0 && t0Resolve ? 500 : 202 });
  });
  const alarmT2 = snsEvent(alarmMessage('ALARM', T2));
  for (let i = 0; i < 3; i++) {
    await expect(invoke(alarmT2)).rejects.toThrow(); // then the dead-letter queue
  }
  await expect(invoke(snsEvent(alarmMessage('ALARM', T4)))).rejects.toThrow();
  expect(pd()).toContain('resolve:T2');
  failT0 = false;
  world.fetchCalls.length = 0;

  await invoke(snsEvent(alarmMessage('OK', T5)));
  expect(pd().sort()).toEqual(['resolve:T0', 'resolve:T4']);
  world.fetchCalls.length = 0;
  await invoke(snsEvent(alarmMessage('OK', T5))); // duplicate: nothing owed any more
  expect(pd()).toEqual([]);
});

test('an OK later than a newer ALARM that raced it resolves the newer incident', async () => {
  start({ tickets: true });
  await invoke(snsEvent(alarmMessage('ALARM', T0), { topic: TICKET_TOPIC }));
  let raced = false;
  world.table.beforeWrite = async (cmd, input) => {
    if (!raced && cmd === 'UpdateItem' && Object.values(input.ExpressionAttributeNames ?? {}).includes('resolution')) {
      raced = true;
      await invoke(snsEvent(alarmMessage('ALARM', T2), { topic: TICKET_TOPIC }));
    }
  };
  await invoke(snsEvent(alarmMessage('OK', T3), { topic: TICKET_TOPIC }));
  world.table.beforeWrite = undefined;

  expect(raced).toBe(true);
  expect(world.incident()).toMatchObject({ incidentStart: '2024-05-01T10:30:00.000Z', status: 'resolved', lastChange: '2024-05-01T10:31:00.000Z' });
});

test('an ALARM while the recovery is being sent does not tell the recovery twice', async () => {
  start();
  await invoke(snsEvent(alarmMessage('ALARM', T0)));
  let inner: Promise<void> | undefined;
  world.sns.on(PublishCommand).callsFake(async (input: { Subject?: string }) => {
    if (!inner && /RECOVERED/.test(input.Subject ?? '')) {
      inner = invoke(snsEvent(alarmMessage('ALARM', T2)));
      await inner;
    }
    return { MessageId: 'x' };
  });
  await invoke(snsEvent(alarmMessage('OK', T1)));
  await inner;
  const subjects = world.publishes().map((p) => p.input.Subject ?? '');
  expect(subjects.filter((s) => /RECOVERED|CLOSED/.test(s))).toHaveLength(1);
});

test('an unresolved incident written with a TTL by the previous version loses it when any event reads it', async () => {
  start({ tickets: true });
  await invoke(snsEvent(alarmMessage('ALARM', T0), { topic: TICKET_TOPIC }));
  (world.table.items.get(ALARM) as Record<string, unknown>).expiresAt = 1717000000;
  await invoke(snsEvent(alarmMessage('ALARM', T0), { topic: TICKET_TOPIC })); // duplicate: sends nothing
  expect(world.incident()).toMatchObject({ status: 'open' });
  expect(world.incident()?.expiresAt).toBeUndefined();
});

/** An item as the previous version wrote it: incident T2 at the top level, holding closing records of T0. */
function previousVersionItem(replaced: unknown, closing: Record<string, unknown>): Record<string, any> {
  return {
    alarmName: ALARM,
    incidentStart: '2024-05-01T10:30:00.000Z',
    severity: 'page',
    status: 'open',
    level: 0,
    cycle: 0,
    notifiedUpTo: 0,
    lastChange: '2024-05-01T10:30:00.000Z',
    alarm: { arn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${ALARM}`, children: [] },
    deliveries: { 'a.0.0.topic': { st: 'sent', at: 'x' }, 'a.0.0.pagerduty-0': { st: 'sent', at: 'x' }, ...closing },
    replaced,
  };
}

const T0_RECORD = {
  incidentStart: '2024-05-01T10:00:00.000Z',
  severity: 'page',
  cycle: 0,
  alarm: { arn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${ALARM}`, children: [] },
  resolution: 'replaced',
  resolvedAt: '2024-05-01T10:30:00.000Z',
  targets: ['0.pagerduty-0', '0.topic'],
  sending: [],
};

test.each([
  ['one object, `p.<level>` keys', T0_RECORD, { 'p.0.topic': { st: 'sent', at: 'x' } }],
  ['a list, `p.<epoch ms>.<level>` keys', [{ ...T0_RECORD, keyPrefix: 'p.1714557600000' }], { 'p.1714557600000.0.topic': { st: 'sent', at: 'x' } }],
])('closing records written by the previous version (%s) are still closed, each notice once', async (_form, replaced, closing) => {
  start({ levels: [{ pagerDuty: true }, {}] });
  world.table.items.set(ALARM, previousVersionItem(replaced, closing));
  await invoke(snsEvent(alarmMessage('OK', T3)));

  // T0: PagerDuty still owed its resolve (the topic had been told); T2 recovered.
  expect(pd().sort()).toEqual(['resolve:T0', 'resolve:T2']);
  expect(world.accepted.map((p) => p.Subject?.split(' ')[0])).toEqual(['RECOVERED']);
  const item = world.table.item(ALARM)!;
  expect(item.replaced).toBeUndefined();
  expect(Object.keys(item.deliveries as object).filter((k) => k.startsWith('p.'))).toEqual([]);
  // Everything told: the converted record is gone; the incident of the previous version stays as the current one.
  expect(item.incidents).toEqual({});
  expect(world.incident()).toMatchObject({ incidentStart: '2024-05-01T10:30:00.000Z', status: 'resolved' });

  world.fetchCalls.length = 0;
  await invoke(snsEvent(alarmMessage('OK', T3)));
  expect(pd()).toEqual([]);
});

test('an open incident written by the previous version escalates, and a newer ALARM closes it like any other', async () => {
  start({ levels: [{ pagerDuty: true }, {}] });
  world.table.items.set(ALARM, previousVersionItem(undefined, {}));
  await invoke({ kind: 'escalate', alarmName: ALARM, incidentStart: '2024-05-01T10:30:00.000Z', level: 1, cycle: 0 });
  expect(world.accepted.map((p) => p.TopicArn)).toEqual([LEVEL_TOPICS[1]]);
  expect(world.incident()).toMatchObject({ level: 1, status: 'open' });

  await invoke(snsEvent(alarmMessage('ALARM', T4)));
  expect(pd()).toEqual(['resolve:T2', 'trigger:T4']);
  expect(world.accepted.map((p) => p.Subject?.split(' ')[0]).sort()).toEqual(['CLOSED', 'CLOSED', 'PAGE', 'PAGE']);
  // The previous version's incident, fully told, is removed; the new one is the item's current incident.
  const item = world.table.item(ALARM)!;
  expect(item.incidentStart).toBeUndefined();
  expect(Object.keys(item.incidents as object)).toEqual([String(Date.parse('2024-05-01T10:40:00.000Z'))]);
});
