import { Stack, Validations } from 'aws-cdk-lib';
import { AlertPolicy, IReliabilityRule, ReliabilityChecks, ReliabilityFacts, RuleFinding, RuleLevel, Sli } from '../../lib';
import { appWithChecks, counts, pagingService, synth } from './helpers';

/** A team's rule, written as a user writes one: no SLO promises more than the platform can measure. */
class ObjectiveCap implements IReliabilityRule {
  public readonly id = 'SHOP-001';
  public readonly name = 'objective-cap';
  public readonly level = RuleLevel.ERROR;
  public readonly summary = 'no SLO promises more than 99.99 %';
  public readonly explanation = 'Above 99.99 % the error budget of a 30-day window is under 5 minutes: every deploy pages.';
  public readonly fix = 'Lower the objective, or split the SLO by criticality.';

  public check(facts: ReliabilityFacts): RuleFinding[] {
    return facts.services.flatMap((service) => service.slos
      .filter((slo) => slo.objective > 99.99)
      .map((slo) => ({
        subject: { constructPath: slo.constructPath, stackPath: service.stackPath },
        message: `SLO '${service.name}/${slo.name}' promises ${slo.objective} %`,
      })));
  }
}

/** A warning-level rule: every service has a chaos experiment. */
class EveryServiceExperiments implements IReliabilityRule {
  public readonly id = 'SHOP-002';
  public readonly name = 'service-has-experiment';
  public readonly level = RuleLevel.WARNING;
  public readonly summary = 'every service has a chaos experiment';
  public readonly explanation = 'An untested alarm is a guess.';
  public readonly fix = 'Call service.addExperiment().';

  public check(facts: ReliabilityFacts): RuleFinding[] {
    return facts.services
      .filter((service) => service.experiments.length === 0)
      .map((service) => ({ subject: { constructPath: service.constructPath, stackPath: service.stackPath }, message: `service '${service.name}' has no experiment` }));
  }
}

/** A rule whose check() fails as a user's code might. */
class Broken implements IReliabilityRule {
  public readonly id = 'SHOP-003';
  public readonly name = 'broken';
  public readonly level = RuleLevel.ERROR;
  public readonly summary = 'every service has an owner';
  public readonly explanation = 'Someone must answer for it.';
  public readonly fix = 'Name the owner.';

  public check(facts: ReliabilityFacts): RuleFinding[] {
    return facts.services.map((s) => (s as any).owner.email);
  }
}

const REASON = 'Checkout is measured by the payment provider at this precision';

/** An app with one compliant service (`checkout`, 99.9) and one that promises 99.995 (`search`), both without experiments. */
function shop(checks: ReliabilityChecks) {
  const app = appWithChecks(checks);
  const stack = new Stack(app, 'Shop');
  pagingService(stack, 'Checkout');
  const search = pagingService(stack, 'Search', {
    slos: [{ name: 'availability', objective: 99.995, sli: Sli.ratio(counts('search')), alerting: AlertPolicy.workbook({ tickets: false }) }],
  });
  return { app, stack, search };
}

describe('custom rules', () => {
  test('a custom rule\'s findings are reported at its level, besides the built-in rules\' findings', () => {
    const { app } = shop(new ReliabilityChecks({ rules: [new ObjectiveCap(), new EveryServiceExperiments()] }));
    const { error, report } = synth(app);
    expect(error).toContain('ERROR [objective-cap] SLO \'search/availability\' promises 99.995 % (cdk-reliability)');
    expect(error).toContain('Suggested fix: Lower the objective, or split the SLO by criticality.');
    expect(error).toContain('Acknowledge with \'cdk-reliability::SHOP-001\'');
    expect(report.violations.map((v: any) => [v.ruleName, v.severity, v.violatingConstructs.map((c: any) => c.constructPath)])).toEqual([
      ['SHOP-001', 'error', ['Shop/Search/availability']],
      ['SHOP-002', 'warning', ['Shop/Checkout']],
      ['SHOP-002', 'warning', ['Shop/Search']],
    ]);
  });

  test('the plugin lists custom rules after the built-in ones', () => {
    const checks = new ReliabilityChecks({ rules: [new ObjectiveCap()] });
    expect(checks.ruleIds?.slice(-2)).toEqual(['RELIABILITY-008', 'SHOP-001']);
    expect(checks.rules.map((r) => r.name).slice(-1)).toEqual(['objective-cap']);
  });

  test('levels override a custom rule\'s level', () => {
    const lowered = shop(new ReliabilityChecks({ rules: [new ObjectiveCap()], levels: { 'SHOP-001': RuleLevel.WARNING } }));
    const { error, report } = synth(lowered.app);
    expect([error, report.conclusion, report.violations.map((v: any) => [v.ruleName, v.severity])]).toEqual([undefined, 'success', [['SHOP-001', 'warning']]]);

    const raised = shop(new ReliabilityChecks({ rules: [new EveryServiceExperiments()], levels: { 'SHOP-002': RuleLevel.ERROR } }));
    expect(synth(raised.app).error).toContain('ERROR [service-has-experiment] service \'checkout\' has no experiment');
  });

  describe('acknowledgements', () => {
    test.each([
      ['a bare id', 'SHOP-001', 'Annotation::SHOP-001'],
      ['the plugin\'s namespaced id', 'cdk-reliability::SHOP-001', 'SHOP-001'],
    ])('with a reason, %s suppresses a custom rule\'s finding and the report lists it with the reason', (_, id, ruleName) => {
      const { app, search } = shop(new ReliabilityChecks({ rules: [new ObjectiveCap()] }));
      Validations.of(search).acknowledge({ id, reason: REASON });
      const { error, report } = synth(app);
      expect([error, report.violations]).toEqual([undefined, []]);
      expect(report.suppressedViolations.map((v: any) => [v.ruleName, v.reason, v.acknowledgedAt])).toEqual([[ruleName, REASON, 'Shop/Search']]);
    });

    test('without a reason it is refused (RELIABILITY-000) and synth fails', () => {
      const { app, search } = shop(new ReliabilityChecks({ rules: [new ObjectiveCap()] }));
      Validations.of(search).acknowledge({ id: 'SHOP-001', reason: 'ok' });
      const { error, report } = synth(app);
      expect(error).toContain('FATAL [acknowledgement-reason] the acknowledgement of SHOP-001 on Shop/Search has a reason of 2 characters (\'ok\')');
      expect(report.violations.map((v: any) => v.ruleName)).toEqual(['SHOP-001', 'RELIABILITY-000']);
    });

    test('a bare id of no rule of the checks is another plugin\'s; in the plugin\'s namespace it is refused', () => {
      const { app } = shop(new ReliabilityChecks({ rules: [new EveryServiceExperiments()] }));
      Validations.of(app).acknowledge({ id: 'SHOP-001', reason: REASON }, { id: 'cdk-reliability::SHOP-009', reason: REASON });
      const { error, report } = synth(app);
      expect(error).toContain('the acknowledgement \'cdk-reliability::SHOP-009\' on the app names no rule of cdk-reliability');
      expect(report.violations.map((v: any) => v.ruleName)).toEqual(['SHOP-002', 'SHOP-002', 'RELIABILITY-000']);
    });
  });

  describe('a rule that fails', () => {
    test('a rule that throws fails synth with a finding naming it and its error; the other rules still report, and it cannot be acknowledged', () => {
      const { app } = shop(new ReliabilityChecks({ rules: [new Broken(), new ObjectiveCap()] }));
      Validations.of(app).acknowledge({ id: 'cdk-reliability::SHOP-003', reason: REASON });
      const { error, report } = synth(app);
      expect(error).toContain('FATAL [broken] rule SHOP-003 failed, so whether the app complies with it is unknown: check() threw TypeError: Cannot read properties of undefined (reading \'email\')');
      expect(error).toContain('Suggested fix: Fix the rule\'s check(facts)');
      expect(report.violations.map((v: any) => [v.ruleName, v.severity])).toEqual([['SHOP-001', 'error'], ['SHOP-003', 'fatal']]);
    });

    test.each([
      ['nothing', () => undefined, 'check() must return a list of findings (RuleFinding), but it returned undefined'],
      ['a finding without a subject', () => [{ message: 'no subject' }], 'check() returned a malformed finding: findings[0].subject: must be a FactLocation'],
      ['a finding without a stack path', (f: ReliabilityFacts) => [{ message: 'half a subject', subject: { constructPath: f.services[0].constructPath } }],
        'findings[0].subject.stackPath: must be a string, got undefined'],
    ])('a rule that returns %s fails synth, naming the rule and what it returned', (_, check, message) => {
      const rule = Object.assign(new ObjectiveCap(), { check });
      const { error } = synth(shop(new ReliabilityChecks({ rules: [rule as IReliabilityRule] })).app);
      expect(error).toContain(`FATAL [objective-cap] rule SHOP-001 failed`);
      expect(error).toContain(message);
    });
  });

  describe('rule definitions are checked when the plugin is created', () => {
    const valid = () => new ObjectiveCap();
    test.each([
      ['a rule without check()', [{ ...valid(), check: undefined }], 'rules[0].check: must be a method check(facts) returning the rule\'s findings, got undefined'],
      ['something that is no rule', [valid(), null], 'rules[1]: must be an IReliabilityRule: an object with id, name, level, summary, explanation, fix and check(facts), got null'],
      ['an id instead of a list', 'SHOP-001', 'rules: must be a list of rules (IReliabilityRule), got "SHOP-001"'],
      ['an id clashing with a built-in rule', [Object.assign(valid(), { id: 'RELIABILITY-001' })],
        'rules[0].id: "RELIABILITY-001" starts with \'RELIABILITY-\', which is reserved for the built-in rules'],
      ['an id with whitespace', [Object.assign(valid(), { id: 'SHOP 1' })],
        'rules[0].id: must be upper-case words of letters and digits joined by \'-\', such as \'TEAM-001\', got "SHOP 1"'],
      ['a duplicate id', [valid(), new EveryServiceExperiments(), valid()], 'rules[2].id: "SHOP-001" is also the id of rules[0]; rule ids must be unique'],
      ['a level that is no RuleLevel', [Object.assign(valid(), { level: 'fatal' })], 'rules[0].level: must be RuleLevel.ERROR or RuleLevel.WARNING, got "fatal"'],
      ['an empty fix', [Object.assign(valid(), { fix: ' ' })], 'rules[0].fix: must be a non-empty string (it appears in every finding), got " "'],
      ['an id whose getter throws', [Object.defineProperty(valid(), 'id', { get: () => { throw new Error('not bound yet'); } })],
        'rules[0].id: could not be read: reading it threw Error: not bound yet'],
    ])('%s is refused', (_, rules, message) => {
      expect(() => new ReliabilityChecks({ rules: rules as IReliabilityRule[] })).toThrow(`ReliabilityChecks: ${message}`);
    });

    test('every problem is listed at once, and a level for a custom rule that does not exist is refused', () => {
      expect(() => new ReliabilityChecks({ rules: [new ObjectiveCap()], levels: { 'SHOP-009': RuleLevel.ERROR } }))
        .toThrow('ReliabilityChecks: levels: "SHOP-009" is no rule; rules: RELIABILITY-001, RELIABILITY-002, RELIABILITY-003, RELIABILITY-004, '
          + 'RELIABILITY-005, RELIABILITY-006, RELIABILITY-007, RELIABILITY-008, SHOP-001');
      expect(() => new ReliabilityChecks({ rules: [{ id: 'shop-1' } as never] })).toThrow(/^ReliabilityChecks: 7 problems:\n {2}- rules\[0\]\.id: must be upper-case/);
    });
  });
});
