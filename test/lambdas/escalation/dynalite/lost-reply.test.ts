/**
 * A conditional write whose first attempt was applied but whose reply was lost (a 500 after the
 * commit): the SDK retries it, the retry fails its condition, and the flow must not read that as
 * "another invocation got there first". A middleware below the SDK's retry layer lets the write
 * through, then throws InternalServerError once. Against dynalite.
 */
import { dynamodb } from '../../../../lambdas/shared/incident';
import { startDynalite, LocalDynamo } from '../../support/dynalite';
import { Sim, simEnv, simTopic, simWebhook, transition } from '../../support/sim';

jest.setTimeout(60_000);

const ALARM = 'checkout-availability-page';
const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T10:10:00.000Z';
const LEVEL_1 = `topic:${simTopic(1)}`;
const LOSE = 'testLoseReply';

let db: LocalDynamo;
let sim: Sim;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => { await db.stop(); });
afterEach(() => {
  dynamodb.middlewareStack.remove(LOSE);
  sim.restore();
});

/** The first UpdateItem whose input contains `marker` is applied, then its reply is lost (a 500 the SDK retries). */
function loseReplyOnce(marker: string): { lost: () => number } {
  let lost = 0;
  dynamodb.middlewareStack.add(
    (next: (args: any) => Promise<any>) => async (args: any) => {
      const res = await next(args);
      const input = (args.input ?? {}) as { UpdateExpression?: string };
      if (lost === 0 && input.UpdateExpression && JSON.stringify(input).includes(marker)) {
        lost++;
        throw Object.assign(new Error('We encountered an internal error'), {
          name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 },
        });
      }
      return res;
    },
    // Below the retry middleware (finalizeRequest): the SDK retries what this throws.
    { step: 'deserialize', name: LOSE, priority: 'high' } as any,
  );
  return { lost: () => lost };
}

test('a claim applied whose reply was lost is this invocation\'s: level 1 is paged at once, not by a drain timer minutes later', async () => {
  simEnv({ levels: [{}, {}] });
  sim = await Sim.start();
  const fault = loseReplyOnce('"sending"');
  const inv = sim.invoke(transition(ALARM, 'ALARM', T0));
  await inv.settled;
  expect(fault.lost()).toBe(1);
  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'alarm' })).toHaveLength(1);
  await sim.quiesce({ escalate: false });
  expect(sim.notices({ target: LEVEL_1, incident: T0, kind: 'alarm' })).toHaveLength(1);
});

test('a give-up applied whose reply was lost is still reported: the delivery-failed ERROR that alarms is logged once', async () => {
  simEnv({ levels: [{ webhook: true }, {}] });
  sim = await Sim.start();
  await sim.invoke(transition(ALARM, 'ALARM', T0)).settled;
  sim.fetchFault = (url: string, body: any) => (url === simWebhook(1) && body.kind === 'recovered' ? 503 : undefined);
  const fault = loseReplyOnce('gave up');
  await sim.invoke(transition(ALARM, 'OK', T1)).settled;
  await sim.quiesce({ escalate: false });
  expect(fault.lost()).toBe(1);
  const given = sim.logs.filter((l: any) => l.event === 'delivery-failed' && l.gaveUp === true);
  expect(given).toHaveLength(1);
  expect(given[0]).toMatchObject({ level: 'ERROR', retryable: false, incidentStart: T0 });
});
