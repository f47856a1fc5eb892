/**
 * Concurrent invocations of the escalation function (transitions, the escalation timer, an
 * acknowledgement, a drain timer), interleaved by fast-check's scheduler at every call they make to
 * DynamoDB (dynalite), SNS, webhooks and PagerDuty: duplicates, Lambda retries, invocations stopped
 * for good at any of those points (before or after a send), and transient SNS failures. Whatever the interleaving, once everything is quiet (retries, drain and
 * escalation timers run) the invariants of support/invariants.ts hold.
 *
 * Runs: FC_NUM_RUNS (default 20 per property, about 10 s each on 2 cores); FC_SEED to replay one.
 */
import * as fc from 'fast-check';
import { acknowledge } from '../../../../lambdas/acknowledge/store';
import { incidentKey } from '../../../../lambdas/shared/incident';
import { startDynalite, LocalDynamo } from '../../support/dynalite';
import { checkInvariants } from '../../support/invariants';
import { Invocation, Sim, simEnv, transition } from '../../support/sim';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 20);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
jest.setTimeout(Math.max(120_000, NUM_RUNS * 2_000));
const ALARM = 'checkout-availability-page';
const TIMES = { t0: '2024-05-01T10:00:00.000Z', t1: '2024-05-01T10:10:00.000Z', t2: '2024-05-01T10:20:00.000Z', t3: '2024-05-01T10:30:00.000Z' };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } });

type Action = 'ok1' | 'alarm2' | 'ok3' | 'timer' | 'ack' | 'drain';

let db: LocalDynamo;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => { await db.stop(); });

/** Starts one action as one invocation (the acknowledgement: the acknowledge function's write, then its event). */
function start(sim: Sim, action: Action, ticket: boolean, timer: Record<string, unknown> | undefined): Invocation {
  switch (action) {
    case 'ok1':
      return sim.invoke(transition(ALARM, 'OK', TIMES.t1, { ticket }));
    case 'alarm2':
      return sim.invoke(transition(ALARM, 'ALARM', TIMES.t2, { ticket }));
    case 'ok3':
      return sim.invoke(transition(ALARM, 'OK', TIMES.t3, { ticket }));
    case 'timer':
      return sim.invoke(timer ?? { kind: 'escalate', alarmName: ALARM, incidentStart: TIMES.t0, level: 1, cycle: 0 });
    case 'drain':
      return sim.invoke({ kind: 'drain', alarmName: ALARM });
    case 'ack':
      return sim.run('acknowledge', async () => {
        const recorded = await acknowledge(process.env.TABLE_NAME as string, {
          incident: { alarmName: ALARM, incidentStart: TIMES.t0, path: ['incidents', incidentKey(TIMES.t0)] },
          by: 'Alice', at: new Date().toISOString(), level: 0, nonce: 'n',
        });
        if (recorded) {
          sim.invoke({ kind: 'acknowledged', alarmName: ALARM, incidentStart: TIMES.t0, level: 0, by: 'Alice' });
        }
      });
  }
}

/** The alarm's state in CloudWatch: that of its latest transition. */
function stateAfter(actions: Action[]): string {
  const transitions: Array<[string, string]> = [['t0', 'ALARM'], ...actions.flatMap((a): Array<[string, string]> =>
    (a === 'ok1' ? [['t1', 'OK']] : a === 'alarm2' ? [['t2', 'ALARM']] : a === 'ok3' ? [['t3', 'OK']] : []))];
  return transitions.sort(([a], [b]) => a.localeCompare(b)).at(-1)![1];
}

const scenario = (ticket: boolean) => fc.record({
  steps: fc.array(fc.record({
    action: fc.constantFrom<Action>(...(ticket ? ['ok1', 'alarm2', 'ok3', 'drain'] as const : ['ok1', 'alarm2', 'ok3', 'timer', 'ack', 'drain'] as const)),
    // Stopped for good at its n-th gate (a kill), or not.
    kill: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat({ max: 16 }) }),
  }), { minLength: 2, maxLength: 4 }),
  // The n-th publishes of the run fail (throttled).
  failing: fc.uniqueArray(fc.nat({ max: 10 }), { maxLength: 2 }),
});

interface Plan {
  readonly steps: Array<{ readonly action: Action; readonly kill: number | undefined }>;
  readonly failing: number[];
}

async function run(s: fc.Scheduler, plan: Plan, ticket: boolean): Promise<void> {
  // Level 1: its topic and PagerDuty; level 2: its topic. Tickets: a topic and a webhook.
  simEnv({ levels: [{ pagerDuty: true }, {}], tickets: { webhook: true } });
  const sim = await Sim.start();
  try {
    await sim.invoke(transition(ALARM, 'ALARM', TIMES.t0, { ticket })).settled;
    sim.alarmState = () => stateAfter(plan.steps.map((st) => st.action));
    const timer = sim.escalationTimers()[0];
    if (timer && plan.steps.some((st) => st.action === 'timer')) {
      sim.schedules.delete(timer.name); // Scheduler fires it (and deletes it): the action below is its invocation
    }
    let publishes = 0;
    sim.publishFault = () => (plan.failing.includes(publishes++) ? throttled() : undefined);
    const kills = new Map<string, number>();
    sim.policy = async (inv, label) => {
      if (kills.get(inv.id) === inv.gates) {
        return 'kill';
      }
      await s.schedule(Promise.resolve(), `${inv.id} ${inv.label} @ ${label}`);
      return 'go';
    };
    for (const st of plan.steps) {
      const inv = start(sim, st.action, ticket, timer?.event);
      if (st.kill !== undefined) {
        kills.set(inv.id, st.kill + 1);
      }
    }
    // The scheduler picks which waiting call goes on next, until every invocation is done or stopped.
    while (sim.running().length > 0) {
      await sim.allAtGates();
      if (s.count() > 0) {
        await s.waitNext(1);
      }
    }
    sim.policy = () => 'go';
    sim.publishFault = undefined;
    await sim.quiesce({ untilMs: 6 * 3600_000 });
    const report = await checkInvariants(sim);
    expect(report.violations).toEqual([]);
    expect(sim.escalationTimers()).toEqual([]);
    expect([...sim.schedules.keys()]).toEqual([]);
  } finally {
    sim.restore();
  }
}

test('page alarm: OKs, newer ALARMs, the escalation timer and an acknowledgement, in any order, duplicated, stopped or failing: every notice once', async () => {
  await fc.assert(fc.asyncProperty(fc.scheduler(), scenario(false), (s, plan) => run(s, plan, false)), { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true });
});

test('ticket alarm (no timers): replaced incidents are closed once, without waiting for another event', async () => {
  await fc.assert(fc.asyncProperty(fc.scheduler(), scenario(true), (s, plan) => run(s, plan, true)), { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true });
});
