/**
 * Property-based tests of chaos experiments (support/chaos-cases.ts): every fault factory with odd
 * options and targets, nested sequences and parallels, game days, stop conditions, checks and
 * reports, built on a service in a fresh app. Every case synthesizes a valid template or fails
 * naming the construct path. Game days and targets are also fuzzed on their own, without
 * synthesis: whatever they accept must be what Scheduler and FIS accept. Invalid values include
 * hostile ones (support/hostile.ts): BigInt, Symbols, circular objects, throwing getters and
 * Proxies, halves of surrogate pairs, control characters.
 *
 * 160 experiments, 1500 game days, 1500 targets; fixed seeds.
 */
import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { GameDay, Targets } from '../../lib';
import { Mix, realize } from './support/arbitraries';
import { buildChaosCase, chaosCases, CHAOS_ENV, gameDays, targetsOf } from './support/chaos-cases';
import { expectClearOutcome, fuzzApp, fuzzOutdir, OracleFailure, OutcomeTally, unclearError } from './support/oracle';
import { runs, seed } from './support/settings';
import { isTimeZone, scheduleExpressionProblem } from './support/template-checks';

const SEED = seed(20_260_303);
const EXPERIMENT_RUNS = runs(160);
const VALUE_RUNS = runs(1500);
const ALLOWED = { paths: ['Shop/Checkout'] };
/** Invalid values include hostile ones (support/hostile.ts). */
const HOSTILE = { hostile: true };
const FACTORY_MESSAGES = { paths: [], factoryMessages: [/^Selection\.(count|percent)\(\) takes /, /^(GameDay|Targets)\.\w+\(\)/] };

function mixes<T>(make: (mix: Mix) => fc.Arbitrary<T>, weights: [number, number, number] = [3, 1, 1]): fc.Arbitrary<T> {
  return fc.oneof(
    { arbitrary: make(new Mix(40, HOSTILE)), weight: weights[0] },
    { arbitrary: make(new Mix(6, HOSTILE)), weight: weights[1] },
    { arbitrary: make(new Mix(1, HOSTILE)), weight: weights[2] },
  );
}

/** Realizes a generated factory call; a throw must be one of the documented factory messages. */
function built(value: unknown): unknown {
  try {
    return realize(value, {});
  } catch (e) {
    const problem = unclearError(e, FACTORY_MESSAGES);
    if (problem) {
      throw new OracleFailure(`${fc.stringify(value)}: ${problem}`);
    }
    return undefined;
  }
}

/** A problem list as value objects return it: props and messages, readable. */
function expectReadableProblems(problems: { prop: string; message: string }[], propPrefix: string): void {
  for (const p of problems) {
    if (typeof p.prop !== 'string' || !p.prop.startsWith(propPrefix) || typeof p.message !== 'string' || p.message.length === 0) {
      throw new OracleFailure(`unreadable problem: ${JSON.stringify(p)}`);
    }
    const leak = unclearError(new Error(`X: ${p.prop}: ${p.message}`), { paths: ['X'] });
    if (leak) {
      throw new OracleFailure(leak);
    }
  }
}

describe(`chaos fuzzing (seed ${SEED}, ${EXPERIMENT_RUNS} experiments, ${VALUE_RUNS} game days, ${VALUE_RUNS} targets)`, () => {
  const out = fuzzOutdir();
  const tally = new OutcomeTally();
  afterAll(() => {
    out.cleanup();
    // eslint-disable-next-line no-console
    console.log(`chaos fuzzing: ${tally}`);
  });

  test(`every generated experiment (${EXPERIMENT_RUNS}) either synthesizes a valid template or fails naming the construct path and prop`, () => {
    fc.assert(fc.property(mixes(chaosCases), (c) => {
      const result = expectClearOutcome(() => {
        const app = fuzzApp(out.dir);
        buildChaosCase(c, new Stack(app, 'Shop', { env: CHAOS_ENV }));
        return app;
      }, ALLOWED);
      tally.add(result.outcome, result.message);
    }), { seed: SEED, numRuns: EXPERIMENT_RUNS });
    expect(tally.synthesized).toBeGreaterThan(EXPERIMENT_RUNS / 8);
    expect(tally.refused).toBeGreaterThan(EXPERIMENT_RUNS / 5);
  });

  test(`every game day that reports no problem (of ${VALUE_RUNS}) is a schedule Scheduler accepts`, () => {
    let accepted = 0;
    fc.assert(fc.property(mixes(gameDays, [2, 1, 1]), (g) => {
      const gameDay = built(g);
      if (!(gameDay instanceof GameDay)) {
        return;
      }
      const problems = gameDay._problems();
      expectReadableProblems(problems, 'gameDay');
      if (problems.length > 0) {
        return;
      }
      accepted++;
      const why = scheduleExpressionProblem(gameDay.expression);
      const description = `Game day of ${'s'.repeat(64)}/${'e'.repeat(64)}: ${gameDay.summary}`;
      const wrong = [
        why && `expression ${JSON.stringify(gameDay.expression)}: ${why}`,
        gameDay.expression.length > 256 && `expression is ${gameDay.expression.length} characters; Scheduler allows 256`,
        !isTimeZone(gameDay.timeZone) && `time zone ${JSON.stringify(gameDay.timeZone)} is not an IANA zone name`,
        description.length > 512 && `the schedule's description can reach ${description.length} characters; Scheduler allows 512`,
        typeof gameDay.enabled !== 'boolean' && `enabled is ${String(gameDay.enabled)}`,
      ].filter(Boolean);
      if (wrong.length > 0) {
        throw new OracleFailure(`accepted a game day Scheduler would refuse: ${wrong.join('; ')}`);
      }
    }), { seed: SEED + 1, numRuns: VALUE_RUNS });
    expect(accepted).toBeGreaterThan(VALUE_RUNS / 5);
  });

  test(`every target that reports no problem (of ${VALUE_RUNS}) is a target FIS accepts`, () => {
    let accepted = 0;
    fc.assert(fc.property(mixes((mix) => targetsOf(mix), [2, 1, 1]), (t) => {
      const targets = built(t);
      if (!(targets instanceof Targets)) {
        return;
      }
      const problems = targets._problems('fault.target');
      expectReadableProblems(problems, 'fault.target');
      if (problems.length > 0) {
        return;
      }
      accepted++;
      const { arns, tags, selection, filters } = targets._spec;
      const mode = selection.mode;
      const wrong = [
        !/^(ALL|COUNT\([1-9]\d*\)|PERCENT\(([1-9]\d?|100)\))$/.test(mode) && `selection mode ${JSON.stringify(mode)}`,
        arns !== undefined && (arns.length === 0 || arns.some((a) => typeof a !== 'string' || !/^arn:[^:\s]+:[^:\s]*:[^:]*:[^:]*:\S+$/.test(a) || a.length > 2048)) && `ARNs ${JSON.stringify(arns)}`,
        arns !== undefined && new Set(arns).size !== arns.length && 'an ARN twice',
        tags !== undefined && (Object.keys(tags).length === 0 || Object.entries(tags).some(([k, v]) => k.trim() === '' || k.length > 128 || typeof v !== 'string' || v.length > 256)) && `tags ${JSON.stringify(tags)}`,
        (arns === undefined) === (tags === undefined) && 'both or neither of ARNs and tags',
        filters !== undefined && filters.some((f) => !f || typeof f.path !== 'string' || f.path === '' || !Array.isArray(f.values) || f.values.length === 0 || f.values.some((v) => typeof v !== 'string')) && `filters ${JSON.stringify(filters)}`,
      ].filter(Boolean);
      if (wrong.length > 0) {
        throw new OracleFailure(`accepted a target FIS would refuse: ${wrong.join('; ')}`);
      }
    }), { seed: SEED + 2, numRuns: VALUE_RUNS });
    expect(accepted).toBeGreaterThan(VALUE_RUNS / 5);
  });
});
