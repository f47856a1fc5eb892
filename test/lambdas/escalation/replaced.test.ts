/**
 * Regressions: closing incidents replaced by a newer ALARM, an OK racing a newer ALARM, and TTLs
 * left by the previous version.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { handler } from '../../../lambdas/escalation';
import { ALARM, alarmMessage, captureLogs, lambdaContext, setEnv, snsEvent, TICKET_TOPIC, World } from '../support/world';

const T0 = '2024-05-01T10:00:00.000+0000';
const T1 = '2024-05-01T10:20:00.000+0000';
const T2 = '2024-05-01T10:30:00.000+0000';
const T3 = '2024-05-01T10:31:00.000+0000';
const T4 = '2024-05-01T10:40:00.000+0000';
const T5 = '2024-05-01T10:50:00.000+0000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  // The level-2 timer claims between the newer ALARM's read and its put, and reads the item again
  // before the ALARM records what the put replaced.
  let started = false;
  let timerRun: Promise<void> | undefined;
  let claimed!: () => void;
  const claimSeen = new Promise<void>((r) => { claimed = r; });
  world.beforeFetch = async (c) => {
    if (c.body.event_action === 'trigger') {
      claimed();
      await sleep(50);
    }
  };
  world.table.beforeWrite = async (cmd, input) => {
    if (cmd === 'PutItem' && !started) {
      started = true;
      timerRun = invoke(timer);
      await claimSeen;
    }
    if (cmd === 'UpdateItem' && Object.values(input.ExpressionAttributeNames ?? {}).includes('replaced')) {
      await timerRun;
    }
  };
  await invoke(snsEvent(alarmMessage('ALARM', T2)));
  await timerRun;
  world.table.beforeWrite = undefined;
  world.beforeFetch = undefined;

  expect(pd()).toEqual(['trigger:T0', 'resolve:T0']);
  await invoke(world.takeTimer());
  await invoke(snsEvent(alarmMessage('OK', T3)));
  expect(pd()).toEqual(['trigger:T0', 'resolve:T0', 'trigger:T2', 'resolve:T2']);
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

test('closing records written by the previous version (one object, `p.<level>` keys) are still closed', async () => {
  start({ levels: [{ pagerDuty: true }, {}] });
  await invoke(snsEvent(alarmMessage('ALARM', T0)));
  await invoke(snsEvent(alarmMessage('ALARM', T2)));
  const item = world.table.items.get(ALARM) as Record<string, any>;
  const [record] = item.replaced;
  delete record.keyPrefix;
  item.replaced = record;
  item.deliveries = {
    ...Object.fromEntries(Object.entries(item.deliveries).filter(([key]) => !key.startsWith('p.'))),
    'p.0.topic': { st: 'sent', at: 'x' },
  };
  world.fetchCalls.length = 0;
  world.sns.resetHistory();
  await invoke(snsEvent(alarmMessage('OK', T3)));
  expect(pd().sort()).toEqual(['resolve:T0', 'resolve:T2']);
  expect(world.publishes().map((p) => p.input.Subject).filter((s) => /CLOSED/.test(s ?? ''))).toEqual([]);
});
