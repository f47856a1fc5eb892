/**
 * The races of issue 11, each replayed step by step against a real DynamoDB implementation
 * (dynalite): the escalation function itself, SNS / Scheduler / CloudWatch faked at the client
 * boundary. Each of these failed before the incident bookkeeping was redesigned (see
 * lambdas/README.md, "Notices owed").
 */
import { startDynalite, LocalDynamo } from '../../support/dynalite';
import { Sim, SIM_TICKETS_TOPIC, simEnv, simTopic, transition } from '../../support/sim';

const ALARM = 'checkout-availability-page';
const TICKET = 'checkout-availability-ticket';
const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T10:10:00.000Z';
const T2 = '2024-05-01T10:20:00.000Z';
const T4 = '2024-05-01T10:40:00.000Z';
const T5 = '2024-05-01T10:50:00.000Z';
const LEVEL_1 = `topic:${simTopic(1)}`;
const TICKETS = `topic:${SIM_TICKETS_TOPIC}`;
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } });

jest.setTimeout(30_000);

let db: LocalDynamo;
let sim: Sim;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => { await db.stop(); });
afterEach(() => sim.restore());

/** Names in a DynamoDB request (attribute names and document path segments). */
const namesOf = (input: { ExpressionAttributeNames?: Record<string, string> } | undefined): string[] => Object.values(input?.ExpressionAttributeNames ?? {});
const isWrite = (label: string) => /^ddb:(PutItem|UpdateItem):before$/.test(label);

describe('a recovery notice is never lost', () => {
  beforeEach(async () => {
    simEnv({ levels: [{}, {}] });
    sim = await Sim.start();
  });

  async function okRacingANewAlarm(outcome: 'throttled' | 'killed'): Promise<void> {
    await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
    // The OK's recovery publish to level 1 is slow...
    const slow = sim.hold((inv, label, info) => inv.label.startsWith('OK') && label === 'sns:publish:before' && /^RECOVERED/.test(info.subject ?? ''));
    const ok = sim.invoke(transition(ALARM, 'OK', T2));
    await slow.reached;
    // ...meanwhile the alarm fires again and that ALARM is handled completely...
    await sim.invoke(transition(ALARM, 'ALARM', T4)).settled;
    // ...then the publish is throttled (the invocation fails) or the invocation reaches its deadline.
    if (outcome === 'throttled') {
      sim.publishFault = (input) => (/^RECOVERED/.test(input.Subject ?? '') ? throttled() : undefined);
      slow.release();
      await ok.settled;
      expect(ok.status).toBe('failed');
      sim.publishFault = undefined;
    } else {
      slow.release('kill');
      await ok.settled;
    }
    // Lambda retries the OK, drains run; nobody sends another transition of this alarm.
    await sim.quiesce({ escalate: false });
  }

  test('the OK\'s publish is throttled while a newer ALARM is handled: level 1 still hears, once, that the first incident ended', async () => {
    await okRacingANewAlarm('throttled');
    expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'recovered' })).toHaveLength(1);
    expect(sim.notices({ target: LEVEL_1, incident: T4, kind: 'alarm' })).toHaveLength(1);
  });

  test('the OK\'s invocation times out mid-publish while a newer ALARM is handled: level 1 still hears, once, that the first incident ended', async () => {
    await okRacingANewAlarm('killed');
    expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'recovered' })).toHaveLength(1);
  });
});

test('a third ALARM while the second is sending the first incident\'s closing notices: each is sent once', async () => {
  simEnv({ levels: [{}, {}] });
  sim = await Sim.start();
  await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
  const closing = sim.hold((inv, label, info) => inv.label.startsWith(`ALARM ${ALARM} ${T2}`) && label === 'sns:publish:before' && /^CLOSED/.test(info.subject ?? ''));
  const second = sim.invoke(transition(ALARM, 'ALARM', T2));
  await closing.reached;
  await sim.invoke(transition(ALARM, 'ALARM', T4)).settled;
  closing.release();
  await second.settled;
  // Later (every claim of those invocations has lapsed), the alarm recovers.
  sim.setNow(sim.now + 5 * 60_000);
  await sim.invoke(transition(ALARM, 'OK', T5)).settled;
  await sim.quiesce({ escalate: false });

  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'recovered' })).toHaveLength(1);
  expect(sim.notices({ target: LEVEL_1, incident: T2, kind: 'recovered' })).toHaveLength(1);
  expect(sim.notices({ target: LEVEL_1, incident: T4, kind: 'recovered' })).toHaveLength(1);
});

test('a duplicate of the replacing ALARM handled while it writes the new incident does not tell anyone "recovered" twice', async () => {
  simEnv({ levels: [{}, {}] });
  sim = await Sim.start();
  await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
  // The OK has resolved the incident and is about to claim its recovery notice...
  const okClaim = sim.hold((inv, label, info) => inv.label.startsWith('OK') && isWrite(label) && namesOf(info.input).some((n) => /^r\./.test(n)));
  const ok = sim.invoke(transition(ALARM, 'OK', T1));
  await okClaim.reached;
  // ...when the next ALARM reads the item; it writes only after the OK claimed and started sending.
  const alarmWrite = sim.hold((inv, label) => inv.label.startsWith(`ALARM ${ALARM} ${T2}`) && isWrite(label));
  const replacing = sim.invoke(transition(ALARM, 'ALARM', T2), { requestId: 'replacing' });
  const replacer = await alarmWrite.reached;
  const okPublish = sim.hold((inv, label, info) => inv === ok && label === 'sns:publish:before' && /^RECOVERED/.test(info.subject ?? ''));
  okClaim.release();
  await okPublish.reached;
  // The replacing ALARM writes; just after its first write, its duplicate delivery runs completely.
  let writes = 0;
  const secondWrite = sim.hold((inv, label) => inv === replacer && isWrite(label) && ++writes === 1);
  alarmWrite.release();
  await secondWrite.reached;
  await sim.invoke(transition(ALARM, 'ALARM', T2), { requestId: 'duplicate' }).settled;
  secondWrite.release();
  okPublish.release();
  await Promise.all([ok.settled, replacing.settled]);
  await sim.quiesce({ escalate: false });

  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'recovered' })).toHaveLength(1);
  expect(sim.notices({ target: LEVEL_1, incident: T2, kind: 'alarm' })).toHaveLength(1);
});

test('a ticket alarm\'s closing notices that fail past Lambda\'s retries are still sent, without waiting for the alarm\'s next OK', async () => {
  simEnv({ levels: [{}], tickets: {} });
  sim = await Sim.start();
  await sim.invoke(transition(TICKET, 'ALARM', T0, { ticket: true })).settled;
  // The tickets topic refuses closing notices for 10 minutes: longer than Lambda's two retries.
  const outageEnds = sim.now + 10 * 60_000;
  sim.publishFault = (input) => (/^CLOSED/.test(input.Subject ?? '') && Date.now() < outageEnds ? throttled() : undefined);
  await sim.invoke(transition(TICKET, 'ALARM', T2, { ticket: true })).settled;
  await sim.quiesce({ escalate: false, untilMs: 5 * 60_000 });
  // A third ALARM during the outage, after the second gave up, carries what is owed.
  await sim.invoke(transition(TICKET, 'ALARM', T4, { ticket: true })).settled;
  await sim.quiesce({ escalate: false, untilMs: 6 * 3600_000 });

  const closed = sim.notices({ target: TICKETS, alarmName: TICKET, kind: 'recovered' });
  expect(closed.filter((n) => n.incident === T0)).toHaveLength(1);
  expect(closed.filter((n) => n.incident === T2)).toHaveLength(1);
  expect(closed.filter((n) => n.incident === T4)).toHaveLength(0);
  expect(Math.min(...closed.map((n) => n.at))).toBeGreaterThanOrEqual(outageEnds);
});

test('an OK racing a newer ALARM leaves no timer of the first incident behind', async () => {
  simEnv({ levels: [{}, {}] });
  sim = await Sim.start();
  await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
  expect(sim.escalationTimers()).toHaveLength(1);
  // The OK resolves the incident; before it does anything else, a newer ALARM is handled.
  const afterResolve = sim.hold((inv, label) => inv.label.startsWith('OK') && /^ddb:(PutItem|UpdateItem):after$/.test(label));
  const ok = sim.invoke(transition(ALARM, 'OK', T1));
  await afterResolve.reached;
  await sim.invoke(transition(ALARM, 'ALARM', T2)).settled;
  afterResolve.release();
  await ok.settled;
  await sim.quiesce({ escalate: false });

  expect(sim.escalationTimers().map((t) => t.event.incidentStart)).toEqual([T2]);
  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'recovered' })).toHaveLength(1);
});
