/**
 * Nothing owed waits for the alarm's next event: drain timers finish what a stopped invocation
 * left, retry what failed, and give up (reported) on what keeps failing. Against dynalite.
 */
import { startDynalite, LocalDynamo } from '../../support/dynalite';
import { checkInvariants } from '../../support/invariants';
import { Sim, simEnv, simTopic, simWebhook, transition } from '../../support/sim';

jest.setTimeout(60_000);

const ALARM = 'checkout-availability-page';
const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T10:10:00.000Z';
const LEVEL_1 = `topic:${simTopic(1)}`;

let db: LocalDynamo;
let sim: Sim;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => { await db.stop(); });
afterEach(() => sim.restore());

test('an invocation stopped right after it opened the incident, and never retried: its drain timer pages level 1 and arms the escalation', async () => {
  simEnv({ levels: [{}, {}] });
  sim = await Sim.start();
  sim.policy = (_inv, label) => (/^ddb:(PutItem|UpdateItem):after$/.test(label) ? 'kill' : 'go');
  const alarm = sim.invoke(transition(ALARM, 'ALARM', T0), { retries: false });
  await alarm.settled;
  expect(alarm.status).toBe('killed');
  expect(sim.sent).toEqual([]);
  sim.policy = () => 'go';

  await sim.quiesce({ escalate: false });
  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'alarm' })).toHaveLength(1);
  expect(sim.escalationTimers().map((t) => t.event)).toEqual([{ kind: 'escalate', alarmName: ALARM, incidentStart: T0, level: 1, cycle: 0 }]);
});

test('a recovery that keeps failing is retried for an hour, then given up: recorded failed and reported at ERROR; nothing else is owed', async () => {
  simEnv({ levels: [{ webhook: true }, {}] });
  sim = await Sim.start();
  await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
  sim.fetchFault = (url, body) => (url === simWebhook(1) && body.kind === 'recovered' ? 503 : undefined);
  const ok = sim.invoke(transition(ALARM, 'OK', T1));
  await ok.settled;
  expect(ok.status).toBe('failed'); // Lambda retries it; drain timers too
  const start = sim.now;
  await sim.quiesce({ escalate: false });

  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'recovered' })).toHaveLength(1);
  expect(sim.notices({ target: `webhook:${simWebhook(1)}`, kind: 'recovered' })).toEqual([]);
  const given = sim.logs.filter((l) => l.event === 'delivery-failed' && l.gaveUp === true);
  expect(given).toEqual([expect.objectContaining({ level: 'ERROR', retryable: false, delivery: 'r.0.webhook-0', incidentStart: T0, target: 'webhook' })]);
  const tries = sim.logs.filter((l) => l.event === 'delivery-failed' && l.retryable === true && l.delivery === 'r.0.webhook-0');
  expect(tries.length).toBeGreaterThanOrEqual(3);
  expect(sim.now - start).toBeGreaterThanOrEqual(3_600_000);
  expect(sim.now - start).toBeLessThan(2 * 3_600_000);
  expect((await checkInvariants(sim)).violations).toEqual([]);
  expect(sim.schedules.size).toBe(0);
});

test('drain timers that find nothing owed do nothing and arm nothing: no endless timers', async () => {
  simEnv({ levels: [{}, {}] });
  sim = await Sim.start();
  await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
  await sim.invoke(transition(ALARM, 'OK', T1)).settled;
  const fired = await sim.quiesce({ untilMs: 24 * 3600_000 });

  expect(fired).toBeGreaterThan(0); // the watchdogs of both invocations
  expect(fired).toBeLessThanOrEqual(2);
  expect(sim.schedules.size).toBe(0);
  expect(sim.sent.map((n) => n.kind)).toEqual(['alarm', 'recovered']);
});
