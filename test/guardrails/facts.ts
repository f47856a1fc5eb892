/**
 * Hand-written facts for the pure rule tests: the smallest compliant shapes, overridden per test.
 */
import {
  AlarmFacts, AlarmResourceType, ExperimentTemplateFacts, ReliabilityFacts, ServiceFacts, ServiceSloFacts, SloCategory, WorkloadFacts, WorkloadKind,
} from '../../lib';

export const TEMPLATE = 'Shop.template.json';

/** An availability SLO that pages through an action and reads the checkout function's metrics. */
export function slo(overrides: Partial<ServiceSloFacts> = {}): ServiceSloFacts {
  return {
    name: 'availability',
    constructPath: 'Shop/Checkout/availability',
    objective: 99.9,
    sliKind: 'ratio',
    category: SloCategory.AVAILABILITY,
    pageAlarm: {
      alarmName: 'checkout-availability-page', constructPath: 'Shop/Checkout/availability/Page/Resource', stackPath: 'Shop',
      templatePath: TEMPLATE, logicalId: 'CheckoutavailabilityPage', alarmActions: 1,
    },
    metricDimensions: [{ name: 'FunctionName', references: ['Shop/Handler/Resource'] }],
    ...overrides,
  };
}

/** A latency SLO of the checkout function. */
export function latencySlo(overrides: Partial<ServiceSloFacts> = {}): ServiceSloFacts {
  return slo({ name: 'latency', constructPath: 'Shop/Checkout/latency', sliKind: 'latency', category: SloCategory.LATENCY, ...overrides });
}

/** A non-critical service with one paging availability SLO, an escalation policy, no experiment. */
export function service(overrides: Partial<ServiceFacts> = {}): ServiceFacts {
  return {
    name: 'checkout',
    constructPath: 'Shop/Checkout',
    stackPath: 'Shop',
    templatePath: TEMPLATE,
    critical: false,
    slos: [slo()],
    escalation: { name: 'OnCall', constructPath: 'Shop/OnCall', levels: 2, repeat: 1 },
    experiments: [],
    ...overrides,
  };
}

/** A critical service that meets the critical policy. */
export function criticalService(overrides: Partial<ServiceFacts> = {}): ServiceFacts {
  return service({
    critical: true,
    slos: [slo(), latencySlo()],
    experiments: [{ name: 'slow-handler', constructPath: 'Shop/Checkout/Experiment-slow-handler', stackPath: 'Shop', templatePath: TEMPLATE, logicalId: 'Exp' }],
    ...overrides,
  });
}

export function alarm(overrides: Partial<AlarmFacts> = {}): AlarmFacts {
  return {
    resourceType: AlarmResourceType.ALARM,
    logicalId: 'Alarm1',
    constructPath: 'Shop/Alarm/Resource',
    stackPath: 'Shop',
    templatePath: TEMPLATE,
    alarmName: 'queue-depth',
    alarmActions: 1,
    actionsEnabled: true,
    consumers: [],
    ...overrides,
  };
}

export function experimentTemplate(overrides: Partial<ExperimentTemplateFacts> = {}): ExperimentTemplateFacts {
  return { logicalId: 'Exp', constructPath: 'Shop/Exp', stackPath: 'Shop', templatePath: TEMPLATE, alarmStopConditions: 1, ...overrides };
}

export function workload(overrides: Partial<WorkloadFacts> = {}): WorkloadFacts {
  return {
    kind: WorkloadKind.LAMBDA_FUNCTION,
    resourceType: 'AWS::Lambda::Function',
    logicalId: 'Handler886CB40B',
    constructPath: 'Shop/Handler/Resource',
    stackPath: 'Shop',
    templatePath: TEMPLATE,
    names: [],
    ...overrides,
  };
}

export function facts(overrides: Partial<ReliabilityFacts> = {}): ReliabilityFacts {
  return { services: [service()], alarms: [], experimentTemplates: [], workloads: [], ...overrides };
}
