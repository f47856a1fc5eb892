/**
 * A seeded, randomized alarm storm against a real DynamoDB implementation (dynalite): 1,000
 * transitions over 50 alarms (40 page, 10 ticket), each alarm ALARM and OK in turn and ending OK;
 * 10 % delivered twice, deliveries reordered, 10 invocations at a time interleaved at every call;
 * 20 % of SNS publishes throttled; level 1's webhook refuses everything (HTTP 410); 2 % of
 * invocations stopped for good at a random call (Lambda retries them). Then retries, drain and
 * escalation timers run until nothing is left.
 *
 * Asserted (support/invariants.ts): nothing doubled (a second copy only after its sender was
 * stopped, with the same notice id), nothing missed (the table owes nothing), nothing lost
 * silently (every notice that failed is reported at ERROR), every incident closed, no timer left.
 *
 * BURST_SEED replays another storm; the figures are printed.
 */
import { performance } from 'perf_hooks';
import { startDynalite, LocalDynamo } from '../../support/dynalite';
import { checkInvariants } from '../../support/invariants';
import { Invocation, Sim, simEnv, simWebhook, transition } from '../../support/sim';
import { mulberry32 } from '../../../support/random';

jest.setTimeout(180_000);

const SEED = Number(process.env.BURST_SEED ?? 20240501);
const ALARMS = 50;
const TICKET_ALARMS = 10;
const TRANSITIONS_PER_ALARM = 20;
const DUPLICATES = 0.1;
const REORDER_WINDOW = 8;
const CONCURRENCY = 10;
const THROTTLED = 0.2;
const KILLED = 0.02;
/** Simulated time between two deliveries. */
const STEP_MS = 200;

let db: LocalDynamo;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => { await db.stop(); });

test('1,000 transitions over 50 alarms, duplicated, reordered, throttled, stopped: nothing doubled, missed or lost silently; every incident closed', async () => {
  const rnd = mulberry32(SEED);
  simEnv({ levels: [{ pagerDuty: true, webhook: true }, {}], tickets: { webhook: true } });
  const sim = await Sim.start({ start: '2024-05-01T12:00:00.000Z' });
  const started = performance.now();
  try {
    // The storm: every alarm's transitions, 3 minutes apart, merged by time.
    const transitions: Array<{ time: string; event: unknown }> = [];
    for (let a = 0; a < ALARMS; a++) {
      const ticket = a < TICKET_ALARMS;
      const name = `svc${a}-availability-${ticket ? 'ticket' : 'page'}`;
      for (let i = 0; i < TRANSITIONS_PER_ALARM; i++) {
        const time = new Date(Date.parse('2024-05-01T10:00:00.000Z') + i * 180_000 + a * 1000).toISOString();
        transitions.push({ time, event: transition(name, i % 2 === 0 ? 'ALARM' : 'OK', time, { ticket }) });
      }
    }
    transitions.sort((x, y) => x.time.localeCompare(y.time));
    const deliveries = transitions.flatMap((t) => (rnd() < DUPLICATES ? [t.event, t.event] : [t.event]));
    for (let i = 0; i < deliveries.length; i++) {
      const j = Math.min(deliveries.length - 1, i + Math.floor(rnd() * REORDER_WINDOW));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }

    // Faults, and interleaving at every call: a random number of event-loop turns before going on.
    sim.publishFault = () => (rnd() < THROTTLED ? Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } }) : undefined);
    sim.fetchFault = (url) => (url === simWebhook(1) ? 410 : undefined);
    sim.alarmState = () => 'OK'; // every alarm ends OK (a timer that finds it so resolves the incident)
    const killAt = new Map<string, number>();
    sim.policy = async (inv) => {
      if (killAt.get(inv.id) === inv.gates) {
        return 'kill';
      }
      for (let turns = rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : 0; turns > 0; turns--) {
        await new Promise((r) => setImmediate(r));
      }
      return 'go';
    };
    const track = (inv: Invocation) => {
      if (rnd() < KILLED) {
        killAt.set(inv.id, 1 + Math.floor(rnd() * 12));
      }
      active.add(inv);
      void inv.settled.then(() => active.delete(inv));
    };

    const active = new Set<Invocation>();
    let next = 0;
    while (next < deliveries.length || active.size > 0) {
      while (active.size < CONCURRENCY && next < deliveries.length) {
        const before = sim.invocations.length;
        if (!sim.fireDue()) {
          sim.invoke(deliveries[next++]);
          sim.setNow(sim.now + STEP_MS);
        }
        sim.invocations.slice(before).forEach(track);
      }
      if (active.size > 0) {
        await Promise.race([...active].map((i) => i.settled));
      }
    }
    sim.policy = () => 'go';
    sim.publishFault = () => (rnd() < THROTTLED ? Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }) : undefined);
    await sim.quiesce({ untilMs: 24 * 3600_000 });
    const report = await checkInvariants(sim);
    // Every page the refusing webhook turned down is reported at ERROR (the pager's delivery-failures
    // alarm counts those), unless the invocation that heard the refusal was stopped before it could
    // record it: a function error (the pager-errors alarm), retried by Lambda, and the page was
    // still owed to whoever tried next (or no longer, once the incident was over).
    const letter: Record<string, string> = { exhausted: 'x', acknowledged: 'k', recovered: 'r' };
    const key = (body: Record<string, unknown>) => `${body.alarmName}|${body.incidentStart}|${body.kind === 'alarm'
      ? `a.${Number(body.cycle) - 1}.${Number(body.level) - 1}` : `${letter[String(body.kind)]}.${Number(body.level) - 1}`}.webhook-0`;
    const refused = new Set(sim.refused.map(({ body }) => key(body)));
    const reported = new Set(sim.logs.filter((l) => l.event === 'delivery-failed' && l.retryable === false)
      .map((l) => `${l.alarmName}|${l.incidentStart}|${l.delivery}`));
    const stopped = new Set(sim.invocations.filter((i) => i.status === 'killed').map((i) => i.id));
    const unreported = [...refused].filter((r) => !reported.has(r)
      && !sim.refused.some((x) => key(x.body) === r && stopped.has(x.by)));

    const invocations = sim.invocations.length;
    const figures = {
      seed: SEED,
      transitions: transitions.length,
      deliveries: deliveries.length,
      invocations,
      killed: sim.invocations.filter((i) => i.status === 'killed').length,
      failedInvocations: sim.invocations.filter((i) => i.status === 'failed').length,
      deadLettered: sim.dlq.length,
      deadLetteredEvents: sim.dlq.map((d) => d.label),
      dynamoCalls: sim.invocations.reduce((n, i) => n + i.ddbCalls, 0),
      noticesReceived: report.received,
      distinctNotices: report.distinct,
      redeliveredAfterAKill: report.redelivered,
      doubled: report.doubled,
      missed: report.missed,
      refusedForGood: refused.size,
      lostSilently: report.lostSilently + unreported.length,
      incidentsLeft: report.incidents,
      unresolved: report.unresolved,
      timersLeft: report.staleTimers,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    process.stdout.write(`escalation burst: ${JSON.stringify(figures)}\n`);

    expect(report.violations.slice(0, 20)).toEqual([]);
    expect(unreported).toEqual([]);
    expect(refused.size).toBeGreaterThan(ALARMS);
    expect(figures).toMatchObject({ doubled: 0, missed: 0, lostSilently: 0, unresolved: 0, timersLeft: 0 });
    // Every page alarm's incidents were noticed by level 1 (one topic message per incident at least).
    expect(report.distinct).toBeGreaterThan(ALARMS * 2);
    expect([...sim.schedules.keys()]).toEqual([]);
  } finally {
    sim.restore();
  }
});
