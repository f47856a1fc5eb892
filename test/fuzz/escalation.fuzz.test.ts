/**
 * Property-based tests of escalation policies: generated levels, targets (Notify factories with
 * odd addresses, numbers and URLs, fakes, holes, resources that are not resources, hostile values:
 * BigInt, Symbols, circular objects, throwing getters and Proxies, halves of surrogate pairs,
 * control characters), repeat, link lifetime, concurrency and log
 * retention (support/escalation-cases.ts), sometimes wired to a service in the same or another
 * region's stack. Every case synthesizes a valid template or fails naming the construct path.
 *
 * 120 generated policies, fixed seed; a quarter or so synthesize (a policy is some 40 resources,
 * ~0.2 s of CPU each), the rest exercise the messages.
 */
import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Mix } from './support/arbitraries';
import { escalationCases, buildEscalationCase } from './support/escalation-cases';
import { expectClearOutcome, fuzzApp, fuzzOutdir, OutcomeTally } from './support/oracle';
import { runs, seed } from './support/settings';

const SEED = seed(20_260_302);
const RUNS = runs(120);
const ENV = { account: '111111111111', region: 'eu-west-1' };

const cases = fc.oneof(
  { arbitrary: escalationCases(new Mix(40, { hostile: true })), weight: 2 },
  { arbitrary: escalationCases(new Mix(6, { hostile: true })), weight: 1 },
  { arbitrary: escalationCases(new Mix(1, { hostile: true })), weight: 2 },
);

describe(`escalation fuzzing (seed ${SEED}, ${RUNS} generated policies)`, () => {
  const out = fuzzOutdir();
  const tally = new OutcomeTally();
  afterAll(() => {
    out.cleanup();
    // eslint-disable-next-line no-console
    console.log(`escalation fuzzing: ${tally}`);
  });

  test('every generated escalation policy either synthesizes a valid template or fails naming the construct path and prop', () => {
    fc.assert(fc.property(cases, (c) => {
      const result = expectClearOutcome(() => {
        const app = fuzzApp(out.dir);
        const stack = new Stack(app, 'Shop', { env: ENV });
        buildEscalationCase(c, stack, () => new Stack(app, 'Frankfurt', { env: { ...ENV, region: 'eu-central-1' } }));
        return app;
      }, { paths: [`Shop/${c.id}`, 'Shop/Checkout', 'Frankfurt/Checkout'] });
      tally.add(result.outcome, result.message);
    }), { seed: SEED, numRuns: RUNS });
    expect(tally.synthesized).toBeGreaterThan(RUNS / 8);
    expect(tally.refused).toBeGreaterThan(RUNS / 5);
  });
});
