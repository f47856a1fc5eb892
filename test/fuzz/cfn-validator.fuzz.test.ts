/**
 * A sample of the generated cases, mostly valid ones from every family (SLOs, escalation policies,
 * experiments), synthesized with aws-cdk-lib's built-in CloudFormation validator turned on as
 * errors, as `cdk synth` does: what the library synthesizes must pass it.
 *
 * The validator takes seconds to start (once per process) and about a second per synthesis, so
 * cases are validated in batches: each run builds 6 cases, each in its own stack (and account, so
 * that alarm names do not collide) of one app. A case is first built and synthesized without the
 * validator, under the usual oracle; only those that synthesize go into the validated app.
 *
 * 4 runs × 6 cases = 24 sampled cases, fixed seed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Mix } from './support/arbitraries';
import { buildChaosCase, chaosCases, ChaosCase } from './support/chaos-cases';
import { buildEscalationCase, escalationCases, EscalationCase } from './support/escalation-cases';
import { expectClearOutcome, fuzzApp, fuzzOutdir, OracleFailure } from './support/oracle';
import { runs, seed } from './support/settings';
import { buildSloCase, sloCases, SloCase } from './support/slo-cases';

const SEED = seed(20_260_304);
const RUNS = runs(4);
const BATCH = 6;

type Case = { family: 'slo'; c: SloCase } | { family: 'escalation'; c: EscalationCase } | { family: 'chaos'; c: ChaosCase };

const calm = new Mix(60);
const cases: fc.Arbitrary<Case> = fc.oneof(
  sloCases(calm).map((c) => ({ family: 'slo' as const, c })),
  escalationCases(calm).map((c) => ({ family: 'escalation' as const, c })),
  chaosCases(calm).map((c) => ({ family: 'chaos' as const, c })),
);

/** Builds a case in a stack of `app` named `id`, in an account of its own. */
function build(app: App, id: string, account: string, k: Case): void {
  const env = { account, region: 'eu-west-1' };
  const stack = new Stack(app, id, { env });
  const allowed = { paths: [`${id}/Checkout`] };
  switch (k.family) {
    case 'slo':
      buildSloCase(k.c, stack, allowed);
      break;
    case 'escalation':
      buildEscalationCase(k.c, stack, () => new Stack(app, `${id}Frankfurt`, { env: { ...env, region: 'eu-central-1' } }));
      break;
    case 'chaos':
      buildChaosCase(k.c, stack);
      break;
  }
}

function allowedPaths(id: string, k: Case): string[] {
  return [`${id}/Checkout`, `${id}Frankfurt/Checkout`, ...(k.family === 'escalation' ? [`${id}/${k.c.id}`] : [])];
}

interface PluginReport {
  readonly violations: Violation[];
}

interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: { readonly constructPath: string }[];
}

/**
 * Errors anywhere, and warnings about what the library declares (the service, the policy, the
 * experiment and the stack-wide helpers it adds); not best-practice warnings about the resources
 * the test world stands in for the user's (an instance in a hard-coded availability zone).
 */
function concernsTheLibrary(v: Violation): boolean {
  return v.severity !== 'warning'
    || v.violatingConstructs.some((c) => /^Case\d+(Frankfurt)?\/(Checkout|OnCall|On Call|x+|Reliability\w+)(\/|$)/.test(c.constructPath));
}

describe(`aws-cdk-lib's CloudFormation validator on a sample (seed ${SEED}, ${RUNS * BATCH} generated cases)`, () => {
  const out = fuzzOutdir();
  let validated = 0;

  beforeAll(() => {
    delete process.env.CDK_VALIDATION; // validate, as `cdk synth` does
  });
  afterAll(() => {
    process.env.CDK_VALIDATION = 'false';
    out.cleanup();
    // eslint-disable-next-line no-console
    console.log(`CloudFormation validator: ${validated} of ${RUNS * BATCH} sampled cases synthesized and were validated`);
  });

  test('every sampled case that synthesizes passes aws-cdk-lib\'s CloudFormation validation with errors enforced', () => {
    fc.assert(fc.property(fc.array(cases, { minLength: BATCH, maxLength: BATCH }), (batch) => {
      // 1. each case on its own, without the validator: it synthesizes, or fails clearly (then it is left out)
      const synthesizing = batch.filter((k, i) => expectClearOutcome(() => {
        const probe = fuzzApp(path.join(out.dir, 'probe'), { builtinCloudFormationValidation: false });
        build(probe, `Case${i}`, '111111111111', k);
        return probe;
      }, { paths: allowedPaths(`Case${i}`, k) }).outcome === 'synthesized');

      // 2. the ones that synthesize, together, with the validator
      const app = fuzzApp(path.join(out.dir, 'validated'), { context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
      synthesizing.forEach((k, i) => build(app, `Case${i}`, String(111_111_111_100 + i), k));
      let assembly;
      try {
        assembly = app.synth();
      } catch (e) {
        throw new OracleFailure(`the CloudFormation validator refused a template:\n${(e as Error).message}`);
      }
      const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
      const findings = (report.pluginReports as PluginReport[]).flatMap((r) => r.violations).filter(concernsTheLibrary);
      if (findings.length > 0) {
        throw new OracleFailure(`the CloudFormation validator reported:\n${findings.map((v) => `${v.severity} ${v.ruleName}: ${v.description} `
          + `(${v.violatingConstructs.map((c) => c.constructPath).join(', ')})`).join('\n')}`);
      }
      validated += synthesizing.length;
    }), { seed: SEED, numRuns: RUNS });
    expect(validated).toBeGreaterThan((RUNS * BATCH) / 3);
  });
});
