import {
  alarmActions, criticalEscalationDepth, criticalServiceExperiment, criticalServiceSlos, experimentStopConditions, RELIABILITY_RULES,
  serviceHasPageEscalation, serviceHasSlo, sloCoverage,
} from '../../lib/guardrails/rules';
import { AlarmResourceType, RuleLevel, SloCategory, WorkloadKind } from '../../lib';
import { alarm, criticalService, experimentTemplate, facts, latencySlo, service, slo, TEMPLATE, workload } from './facts';

describe('the rule pack', () => {
  test('every rule has a unique RELIABILITY-nnn id, a readable name, a level, an explanation and a fix', () => {
    const ids = RELIABILITY_RULES.map((r) => r.id);
    expect(ids).toEqual(['RELIABILITY-001', 'RELIABILITY-002', 'RELIABILITY-003', 'RELIABILITY-004', 'RELIABILITY-005', 'RELIABILITY-006', 'RELIABILITY-007', 'RELIABILITY-008']);
    for (const rule of RELIABILITY_RULES) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect([RuleLevel.ERROR, RuleLevel.WARNING]).toContain(rule.level);
      expect(rule.explanation.length).toBeGreaterThan(60);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(rule.summary).toMatch(/^[a-z]/);
    }
    expect(new Set(RELIABILITY_RULES.map((r) => r.name)).size).toBe(RELIABILITY_RULES.length);
  });

  test('a compliant app has no finding under any rule', () => {
    const compliant = facts({
      services: [criticalService()],
      alarms: [alarm()],
      experimentTemplates: [experimentTemplate()],
      workloads: [workload()],
    });
    expect(RELIABILITY_RULES.flatMap((r) => r.check(compliant))).toEqual([]);
  });
});

describe('RELIABILITY-001 service-has-slo', () => {
  test('compliant: a service with an SLO', () => {
    expect(serviceHasSlo.check(facts())).toEqual([]);
  });

  test('non-compliant: a service without SLOs, reported on the service', () => {
    expect(serviceHasSlo.check(facts({ services: [service({ slos: [] })] }))).toEqual([{
      subject: { constructPath: 'Shop/Checkout', stackPath: 'Shop', templatePath: TEMPLATE },
      message: 'service \'checkout\' has no SLO, so nothing alerts on its customers\' experience',
    }]);
  });
});

describe('RELIABILITY-002 service-has-page-escalation', () => {
  test('compliant: every page alarm has an action (escalation policy, or wired by hand without one)', () => {
    expect(serviceHasPageEscalation.check(facts())).toEqual([]);
    expect(serviceHasPageEscalation.check(facts({ services: [service({ escalation: undefined })] }))).toEqual([]);
  });

  test('non-compliant: no escalation and a page alarm without actions', () => {
    const silent = slo({ pageAlarm: { ...slo().pageAlarm!, alarmActions: 0 } });
    const findings = serviceHasPageEscalation.check(facts({ services: [service({ escalation: undefined, slos: [silent] })] }));
    expect(findings.map((f) => [f.subject.constructPath, f.message])).toEqual([
      ['Shop/Checkout', 'service \'checkout\' pages nobody: it has no escalation policy and page alarm \'checkout-availability-page\' has no alarm action'],
    ]);
  });

  test('non-compliant: SLOs that only open tickets', () => {
    const ticketsOnly = slo({ pageAlarm: undefined });
    const findings = serviceHasPageEscalation.check(facts({ services: [service({ slos: [ticketsOnly] })] }));
    expect(findings[0].message).toMatch(/has no page alarm: its SLOs \('availability'\) only open tickets/);
  });

  test('not applicable: a service without SLOs (RELIABILITY-001 reports it); an alarm of a template not checked', () => {
    expect(serviceHasPageEscalation.check(facts({ services: [service({ slos: [] })] }))).toEqual([]);
    const unknown = slo({ pageAlarm: { ...slo().pageAlarm!, alarmActions: undefined } });
    expect(serviceHasPageEscalation.check(facts({ services: [service({ slos: [unknown] })] }))).toEqual([]);
  });
});

describe('RELIABILITY-003 critical-service-slos', () => {
  test('compliant: a critical service with an availability and a latency SLO; a non-critical one needs neither', () => {
    expect(criticalServiceSlos.check(facts({ services: [criticalService()] }))).toEqual([]);
    expect(criticalServiceSlos.check(facts({ services: [service({ slos: [latencySlo()] })] }))).toEqual([]);
  });

  test('non-compliant: a critical service without a latency SLO', () => {
    const findings = criticalServiceSlos.check(facts({ services: [criticalService({ slos: [slo()] })] }));
    expect(findings.map((f) => f.message)).toEqual(['critical service \'checkout\' has no latency SLO; it has availability (availability)']);
  });

  test('non-compliant: a critical service with only a custom SLI lacks both', () => {
    const custom = slo({ name: 'freshness', sliKind: 'custom', category: SloCategory.OTHER });
    const findings = criticalServiceSlos.check(facts({ services: [criticalService({ slos: [custom] })] }));
    expect(findings[0].message).toBe('critical service \'checkout\' has no availability and no latency SLO; it has freshness (other)');
  });
});

describe('RELIABILITY-004 critical-service-experiment', () => {
  test('compliant: a critical service with an experiment; a non-critical one without', () => {
    expect(criticalServiceExperiment.check(facts({ services: [criticalService(), service()] }))).toEqual([]);
  });

  test('non-compliant: a critical service without an experiment', () => {
    const findings = criticalServiceExperiment.check(facts({ services: [criticalService({ experiments: [] })] }));
    expect(findings.map((f) => f.message)).toEqual(['critical service \'checkout\' has no chaos experiment, so its alarms, escalation and recovery are untested']);
  });
});

describe('RELIABILITY-005 experiment-stop-conditions', () => {
  test('compliant: a template with an alarm stop condition', () => {
    expect(experimentStopConditions.check(facts({ experimentTemplates: [experimentTemplate()] }))).toEqual([]);
  });

  test('non-compliant: a template without one, reported on the resource and its StopConditions', () => {
    expect(experimentStopConditions.check(facts({ experimentTemplates: [experimentTemplate({ alarmStopConditions: 0 })] }))).toEqual([{
      subject: { constructPath: 'Shop/Exp', stackPath: 'Shop', templatePath: TEMPLATE, logicalId: 'Exp' },
      message: 'FIS experiment template Exp has no CloudWatch alarm as stop condition: nothing halts it while customers are hurt',
      locations: ['Properties/StopConditions'],
    }]);
  });
});

describe('RELIABILITY-006 critical-escalation-depth', () => {
  test('compliant: two levels and a repeat; a non-critical service with one level; a critical one without escalation (RELIABILITY-002)', () => {
    expect(criticalEscalationDepth.check(facts({ services: [criticalService()] }))).toEqual([]);
    expect(criticalEscalationDepth.check(facts({ services: [service({ escalation: { name: 'OnCall', constructPath: 'Shop/OnCall', levels: 1, repeat: 0 } })] }))).toEqual([]);
    expect(criticalEscalationDepth.check(facts({ services: [criticalService({ escalation: undefined })] }))).toEqual([]);
  });

  test('non-compliant: a critical service whose chain has one level and does not repeat', () => {
    const findings = criticalEscalationDepth.check(facts({ services: [criticalService({ escalation: { name: 'OnCall', constructPath: 'Shop/OnCall', levels: 1, repeat: 0 } })] }));
    expect(findings.map((f) => [f.subject.constructPath, f.message])).toEqual([
      ['Shop/Checkout', 'critical service \'checkout\': escalation policy \'OnCall\' has a single level and does not repeat, so a missed page may reach nobody'],
    ]);
  });

  test('non-compliant: two levels that run once', () => {
    const findings = criticalEscalationDepth.check(facts({ services: [criticalService({ escalation: { name: 'OnCall', constructPath: 'Shop/OnCall', levels: 2, repeat: 0 } })] }));
    expect(findings[0].message).toMatch(/'OnCall' does not repeat/);
  });

  test('not applicable: a custom escalation policy whose chain is unknown', () => {
    expect(criticalEscalationDepth.check(facts({ services: [criticalService({ escalation: { name: 'Custom', constructPath: 'Shop/Custom' } })] }))).toEqual([]);
  });
});

describe('RELIABILITY-007 alarm-actions', () => {
  test('compliant: an alarm with an action; a window alarm without actions that a composite reads', () => {
    const window = alarm({ alarmActions: 0, consumers: ['AlarmRule of composite alarm CheckoutavailabilityPage'] });
    expect(alarmActions.check(facts({ alarms: [alarm(), window] }))).toEqual([]);
  });

  test('non-compliant: an alarm without actions that nothing reads', () => {
    expect(alarmActions.check(facts({ alarms: [alarm({ alarmActions: 0 })] }))).toEqual([{
      subject: { constructPath: 'Shop/Alarm/Resource', stackPath: 'Shop', templatePath: TEMPLATE, logicalId: 'Alarm1' },
      message: 'alarm \'queue-depth\' has no alarm action and nothing reads its state, so it notifies nobody',
      locations: ['Properties/AlarmActions'],
    }]);
  });

  test('not applicable: a page composite of a service (RELIABILITY-002 reports it, with its service)', () => {
    const page = alarm({ resourceType: AlarmResourceType.COMPOSITE_ALARM, logicalId: 'CheckoutavailabilityPage', alarmName: 'checkout-availability-page', alarmActions: 0 });
    expect(alarmActions.check(facts({ alarms: [page] }))).toEqual([]);
  });

  test('non-compliant: a composite ticket alarm without actions; an alarm whose actions are disabled', () => {
    const ticket = alarm({ resourceType: AlarmResourceType.COMPOSITE_ALARM, alarmName: 'checkout-availability-ticket', alarmActions: 0 });
    const disabled = alarm({ logicalId: 'Alarm2', alarmName: undefined, alarmActions: 0, actionsEnabled: false });
    expect(alarmActions.check(facts({ alarms: [ticket, disabled] })).map((f) => f.message)).toEqual([
      'composite alarm \'checkout-availability-ticket\' has no alarm action and nothing reads its state, so it notifies nobody',
      'alarm Alarm2 has its actions disabled (ActionsEnabled: false) and nothing reads its state, so it notifies nobody',
    ]);
  });
});

describe('RELIABILITY-008 slo-coverage', () => {
  test('compliant: a function an SLI reads by reference; a REST API by its literal name; an excluded function', () => {
    const api = workload({ kind: WorkloadKind.REST_API, resourceType: 'AWS::ApiGateway::RestApi', logicalId: 'Api', constructPath: 'Shop/Api/Resource', names: ['checkout'] });
    const apiSlo = slo({ metricDimensions: [{ name: 'ApiName', literal: 'checkout', references: [] }, { name: 'Stage', literal: 'prod', references: [] }] });
    const pager = workload({ logicalId: 'Pager', constructPath: 'Shop/OnCall/EscalationFunction/Resource', excludedBecause: 'part of escalation policy' });
    expect(sloCoverage.check(facts({ services: [service({ slos: [slo(), apiSlo] })], workloads: [workload(), api, pager] }))).toEqual([]);
  });

  test('non-compliant: a state machine no SLI reads, reported with its construct path and logical id', () => {
    const sm = workload({ kind: WorkloadKind.STATE_MACHINE, resourceType: 'AWS::StepFunctions::StateMachine', logicalId: 'Flow1234', constructPath: 'Shop/Flow/Resource' });
    expect(sloCoverage.check(facts({ workloads: [sm] }))).toEqual([{
      subject: { constructPath: 'Shop/Flow/Resource', stackPath: 'Shop', templatePath: TEMPLATE, logicalId: 'Flow1234' },
      message: 'state machine Shop/Flow (Flow1234) is not covered by any SLO: no SLI reads a metric with its StateMachineArn dimension. '
        + 'Add an SLO (e.g. Sli.stateMachineAvailability(sm)) or acknowledge why it needs none',
    }]);
  });

  test('non-compliant: a reference under another dimension name does not cover (the state machine\'s Lambda task is not the function)', () => {
    const fnByOtherDimension = slo({ metricDimensions: [{ name: 'StateMachineArn', references: ['Shop/Handler/Resource'] }] });
    const findings = sloCoverage.check(facts({ services: [service({ slos: [fnByOtherDimension] })], workloads: [workload()] }));
    expect(findings.map((f) => f.subject.logicalId)).toEqual(['Handler886CB40B']);
  });

  test('SLOs of any service cover, also those of services in stacks the checks were not given', () => {
    const elsewhere = service({ name: 'other', stackPath: 'Other', templatePath: undefined, constructPath: 'Other/Service' });
    expect(sloCoverage.check(facts({ services: [elsewhere], workloads: [workload()] }))).toEqual([]);
  });
});
