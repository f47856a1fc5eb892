import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import { ReliabilityChecks, ReliableService, RuleLevel, Sli } from '../../lib';
import { appWithChecks, counts, newFunction, pagingService, synth } from './helpers';

const REASON = 'Pages go to the platform team\'s own pager, wired outside this app';

/** A service whose page alarm notifies nobody: RELIABILITY-002. */
function silentService(stack: Stack): ReliableService {
  return new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio(counts()) }],
  });
}

describe('ReliabilityChecks at synth', () => {
  test('a compliant app synthesizes and the plugin adds nothing to the report', () => {
    const app = appWithChecks();
    pagingService(new Stack(app, 'Shop'));
    expect(synth(app)).toEqual({ report: undefined });
  });

  test('an error-level finding fails synth with a readable report naming the rule, the construct and how to acknowledge', () => {
    const app = appWithChecks();
    silentService(new Stack(app, 'Shop'));
    const { error, report } = synth(app);
    expect(error).toContain('ERROR [service-has-page-escalation] service \'checkout\' pages nobody: it has no escalation policy and page alarm \'checkout-availability-page\' has no alarm action (cdk-reliability)');
    expect(error).toContain('\n   Shop/Checkout constructs.Construct\n');
    expect(error).toContain('Suggested fix: Pass escalation (an EscalationPolicy) to the ReliableService');
    expect(error).toContain('Acknowledge with \'cdk-reliability::RELIABILITY-002\'');
    expect(report.conclusion).toBe('failure');
    expect(report.violations.map((v: any) => [v.ruleName, v.severity, v.violatingConstructs.map((c: any) => c.constructPath)])).toEqual([
      ['RELIABILITY-002', 'error', ['Shop/Checkout']],
      // the ticket composite notifies nobody either
      ['RELIABILITY-007', 'warning', ['Shop/Checkout/availability/ticket/Resource']],
    ]);
  });

  test('a finding on a resource names its template and logical id', () => {
    const app = appWithChecks();
    const stack = new Stack(app, 'Shop');
    pagingService(stack);
    new fis.CfnExperimentTemplate(stack, 'RawExperiment', {
      description: 'raw', roleArn: 'arn:aws:iam::111111111111:role/fis', tags: {}, stopConditions: [{ source: 'none' }], targets: {},
      actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
    });
    const { error, report } = synth(app);
    expect(error).toContain('ERROR [experiment-stop-conditions] FIS experiment template RawExperiment has no CloudWatch alarm as stop condition');
    expect(report.violations[0].violatingConstructs[0]).toMatchObject({
      constructPath: 'Shop/RawExperiment',
      cloudFormationResource: { templatePath: 'Shop.template.json', logicalId: 'RawExperiment', propertyPaths: ['Properties/StopConditions'] },
    });
  });

  test('warnings are reported and synth succeeds; levels can make them errors', () => {
    const lonely = (app: App) => {
      const stack = new Stack(app, 'Shop');
      pagingService(stack);
      new cloudwatch.Alarm(stack, 'Lonely', { metric: counts().bad, threshold: 1, evaluationPeriods: 1 });
    };
    const warned = appWithChecks();
    lonely(warned);
    const { error, printed, report } = synth(warned);
    expect(error).toBeUndefined();
    expect(printed).toContain('WARNING [alarm-actions] alarm Lonely');
    expect([report.conclusion, report.violations.map((v: any) => [v.ruleName, v.severity, v.description])]).toEqual(['success', [
      ['RELIABILITY-007', 'warning', expect.stringMatching(/^\[alarm-actions\] alarm Lonely\w+ has no alarm action and nothing reads its state/)],
    ]]);

    const strict = appWithChecks(new ReliabilityChecks({ levels: { 'RELIABILITY-007': RuleLevel.ERROR } }));
    lonely(strict);
    expect(synth(strict).error).toContain('ERROR [alarm-actions]');
  });

  describe('acknowledgements', () => {
    test.each([
      ['a bare id on the service', (s: Stack) => s.node.findChild('Checkout'), 'RELIABILITY-002', 'Annotation::RELIABILITY-002', 'Shop/Checkout'],
      ['the plugin\'s namespaced id on the service', (s: Stack) => s.node.findChild('Checkout'), 'cdk-reliability::RELIABILITY-002', 'RELIABILITY-002', 'Shop/Checkout'],
      ['a bare id on the stack', (s: Stack) => s, 'RELIABILITY-002', 'Annotation::RELIABILITY-002', 'Shop'],
      ['a bare id on the app', (s: Stack) => s.node.scope!, 'RELIABILITY-002', 'Annotation::RELIABILITY-002', undefined],
    ])('with a reason, %s suppresses the finding; the report lists it with the reason', (_, where, id, ruleName, acknowledgedAt) => {
      const app = appWithChecks();
      const stack = new Stack(app, 'Shop');
      silentService(stack);
      Validations.of(where(stack)).acknowledge({ id, reason: REASON }, { id: 'RELIABILITY-007', reason: 'Tickets are read from the dashboard each morning' });
      const { error, report } = synth(app);
      expect(error).toBeUndefined();
      expect(report.conclusion).toBe('success');
      expect(report.violations).toEqual([]);
      expect(report.suppressedViolations.map((v: any) => [v.ruleName, v.reason, v.acknowledgedAt])).toEqual([
        [ruleName, REASON, acknowledgedAt],
        ['Annotation::RELIABILITY-007', 'Tickets are read from the dashboard each morning', acknowledgedAt],
      ]);
      expect(report.metadata.findings).toBe('2 (2 acknowledged)');
    });

    test.each([
      ['no reason, bare id', 'RELIABILITY-002', '', 'has no reason'],
      ['a short reason, bare id', 'RELIABILITY-002', 'ok', 'has a reason of 2 characters (\'ok\')'],
      // aws-cdk-lib itself suppresses the namespaced form whatever the reason: the refusal still fails synth
      ['no reason, namespaced id', 'cdk-reliability::RELIABILITY-002', '  ', 'has no reason'],
    ])('without a written reason (%s) it is refused and synth fails', (_, id, reason, why) => {
      const app = appWithChecks();
      const stack = new Stack(app, 'Shop');
      Validations.of(silentService(stack)).acknowledge({ id, reason });
      const { error } = synth(app);
      expect(error).toContain(`FATAL [acknowledgement-reason] the acknowledgement of RELIABILITY-002 on Shop/Checkout ${why}`);
      expect(error).toContain('Rule cdk-reliability::RELIABILITY-000');
    });

    test('a bare-id acknowledgement without a reason leaves the finding reported', () => {
      const app = appWithChecks();
      Validations.of(silentService(new Stack(app, 'Shop'))).acknowledge({ id: 'RELIABILITY-002', reason: '' });
      expect(synth(app).report.violations.map((v: any) => v.ruleName)).toEqual(['RELIABILITY-002', 'RELIABILITY-007', 'RELIABILITY-000']);
    });

    test('an acknowledgement of a rule that does not exist fails synth', () => {
      const app = appWithChecks();
      pagingService(new Stack(app, 'Shop'));
      Validations.of(app).acknowledge({ id: 'RELIABILITY-0008', reason: REASON });
      expect(synth(app).error).toContain('the acknowledgement \'Annotation::RELIABILITY-0008\' on the app names no rule of cdk-reliability');
    });

    test('an acknowledgement on another construct does not apply', () => {
      const app = appWithChecks();
      const stack = new Stack(app, 'Shop');
      silentService(stack);
      Validations.of(pagingService(stack, 'Search')).acknowledge({ id: 'RELIABILITY-002', reason: REASON });
      expect(synth(app).error).toContain('[service-has-page-escalation] service \'checkout\' pages nobody');
    });
  });

  describe('coverage', () => {
    test('an uncovered function is reported with its construct path; acknowledged on the function, with a reason, it is not', () => {
      const app = appWithChecks();
      const stack = new Stack(app, 'Shop');
      const covered = newFunction(stack, 'Covered');
      pagingService(stack, 'Checkout', { fn: covered });
      newFunction(stack, 'Uncovered');
      const worker = newFunction(stack, 'Worker');
      Validations.of(worker).acknowledge({ id: 'RELIABILITY-008', reason: 'Invoked only by the covered checkout function, whose errors count its failures' });
      const { error, report } = synth(app);
      expect(error).toBeUndefined();
      expect(report.violations.map((v: any) => [v.description, v.violatingConstructs[0].cloudFormationResource?.logicalId])).toEqual([
        [expect.stringMatching(/^\[slo-coverage\] Lambda function Shop\/Uncovered \(Uncovered\w+\) is not covered by any SLO/), expect.stringMatching(/^Uncovered/)],
      ]);
      expect(report.suppressedViolations.map((v: any) => [v.violatingConstructs[0].constructPath, v.acknowledgedAt])).toEqual([['Shop/Worker/Resource', 'Shop/Worker']]);
    });
  });

  describe('critical services', () => {
    test('criticalServices holds a service to the critical policy', () => {
      const app = appWithChecks(new ReliabilityChecks({ criticalServices: ['checkout'] }));
      pagingService(new Stack(app, 'Shop'));
      const { error } = synth(app);
      expect(error).toContain('[critical-service-slos] critical service \'checkout\' has no latency SLO; it has availability (availability)');
      expect(error).toContain('[critical-service-experiment] critical service \'checkout\' has no chaos experiment');
    });

    test('critical: true on the service does the same; services are not critical by default', () => {
      const app = appWithChecks();
      const stack = new Stack(app, 'Shop');
      expect([pagingService(stack, 'Checkout', { critical: true }).critical, pagingService(stack, 'Search').critical]).toEqual([true, false]);
      expect(synth(app).error).toContain('[critical-service-experiment] critical service \'checkout\'');
      expect(() => pagingService(stack, 'Other', { critical: 'yes' as never })).toThrow('Shop/Other: critical: must be true or false, got "yes"');
    });

    test('a critical service name that is no service of the app fails synth', () => {
      const app = appWithChecks(new ReliabilityChecks({ criticalServices: ['chekout'] }));
      pagingService(new Stack(app, 'Shop'));
      expect(synth(app).error).toContain('Validation plugin \'cdk-reliability\' failed: criticalServices: \'chekout\' is no service of the app; its services are \'checkout\'');
    });
  });

  test('a plugin on a Stage checks only that stage\'s stacks', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-')) });
    silentService(new Stack(app, 'Dev'));
    const prod = new Stage(app, 'Prod');
    pagingService(new Stack(prod, 'Shop'));
    Validations.of(prod).addPlugins(new ReliabilityChecks());
    expect(synth(app)).toEqual({ report: undefined });
  });

  test('props are checked when the plugin is created', () => {
    expect(() => new ReliabilityChecks({ criticalServices: [''], levels: { 'RELIABILITY-009': RuleLevel.ERROR, 'RELIABILITY-001': 'fatal' as RuleLevel } }))
      .toThrow('ReliabilityChecks: 3 problems:\n'
        + '  - criticalServices: must be a list of service names, got [""]\n'
        + '  - levels: "RELIABILITY-009" is no rule; '
        + 'rules: RELIABILITY-001, RELIABILITY-002, RELIABILITY-003, RELIABILITY-004, RELIABILITY-005, RELIABILITY-006, RELIABILITY-007, RELIABILITY-008\n'
        + '  - levels["RELIABILITY-001"]: must be RuleLevel.ERROR or RuleLevel.WARNING, got "fatal"');
  });

  test('the plugin names itself, its version and its rules', () => {
    const checks = new ReliabilityChecks();
    expect([checks.name, checks.version, checks.ruleIds]).toEqual(['cdk-reliability', expect.stringMatching(/^\d+\.\d+\.\d+/), [
      'RELIABILITY-000', 'RELIABILITY-001', 'RELIABILITY-002', 'RELIABILITY-003', 'RELIABILITY-004', 'RELIABILITY-005', 'RELIABILITY-006', 'RELIABILITY-007', 'RELIABILITY-008',
    ]]);
  });
});
