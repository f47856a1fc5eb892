/**
 * FIS API data for the tests: the checkout `slow-handler` experiment template as GetExperimentTemplate
 * returns it (actions deliberately listed out of execution order), experiment snapshots as
 * GetExperiment returns them, and CloudWatch alarm states.
 */
import { DescribeAlarmsCommand, ListTagsForResourceCommand, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { Experiment, GetExperimentTemplateCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import { ACCOUNT, Harness, REGION } from './harness';

export const TEMPLATE_ID = 'EXTcheckoutSlow1';
export const EXPERIMENT_ID = 'EXPcheckoutRun1';
export const PAGE_ALARM = 'checkout-availability-page';
export const PAGE_ALARM_ARN = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${PAGE_ALARM}`;
export const LATENCY_ALARM = 'checkout-latency-page';
export const LATENCY_ALARM_ARN = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${LATENCY_ALARM}`;
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:checkout-handler`;

export function tagsOf(stack: string, service: string, experiment: string): Record<string, string> {
  return {
    'Name': `${service}-${experiment}`,
    'cdk-reliability:stack': stack,
    'cdk-reliability:service': service,
    'cdk-reliability:experiment': experiment,
  };
}

const steadyStateParameters = { alarmArns: `${PAGE_ALARM_ARN},${LATENCY_ALARM_ARN}`, alarmStates: 'OK,INSUFFICIENT_DATA' };

/** The template: steadyState → delay (10 min) → settle (5 min) → recovered. */
export const SLOW_HANDLER_TEMPLATE = {
  id: TEMPLATE_ID,
  description: 'Add 2 s of latency to the checkout handler for 10 minutes',
  targets: {
    checkoutHandler: { resourceType: 'aws:lambda:function', resourceArns: [FUNCTION_ARN], selectionMode: 'ALL' },
  },
  actions: {
    recovered: {
      actionId: 'aws:cloudwatch:assert-alarm-state',
      description: 'The SLO alarms are OK again after the settle time',
      parameters: { alarmArns: `${PAGE_ALARM_ARN},${LATENCY_ALARM_ARN}`, alarmStates: 'OK' },
      startAfter: ['settle'],
    },
    delay: {
      actionId: 'aws:lambda:invocation-add-delay',
      parameters: { duration: 'PT10M', invocationPercentage: '100', startupDelayMilliseconds: '2000' },
      targets: { Functions: 'checkoutHandler' },
      startAfter: ['steadyState'],
    },
    steadyState: {
      actionId: 'aws:cloudwatch:assert-alarm-state',
      description: 'The SLO alarms are OK before the fault',
      parameters: steadyStateParameters,
    },
    settle: { actionId: 'aws:fis:wait', parameters: { duration: 'PT5M' }, startAfter: ['delay'] },
  },
  stopConditions: [{ source: 'aws:cloudwatch:alarm', value: PAGE_ALARM_ARN }],
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Shop-CheckoutSlowHandlerRole`,
  tags: tagsOf('Shop', 'checkout', 'slow-handler'),
  logConfiguration: { cloudWatchLogsConfiguration: { logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/fis/checkout:*` }, logSchemaVersion: 2 },
};

/** The summaries ListExperimentTemplates returns for the Shop stack and one other stack. */
export const TEMPLATE_SUMMARIES = [
  { id: 'EXTsearchSlow1', tags: tagsOf('Shop', 'search', 'slow-index') },
  { id: TEMPLATE_ID, tags: tagsOf('Shop', 'checkout', 'slow-handler') },
  { id: 'EXTcheckoutDb1', tags: tagsOf('Shop', 'checkout', 'throttled-db') },
  { id: 'EXTotherStack', tags: tagsOf('Billing', 'invoices', 'slow-pdf') },
  { id: 'EXTunrelated', tags: { Name: 'hand-made' } },
];

/** FIS lists the templates and returns the slow-handler one. */
export function givenDeployedTemplates(h: Harness): void {
  h.fis.on(ListExperimentTemplatesCommand).resolves({ experimentTemplates: TEMPLATE_SUMMARIES });
  h.fis.on(GetExperimentTemplateCommand, { id: TEMPLATE_ID }).resolves({ experimentTemplate: SLOW_HANDLER_TEMPLATE });
}

type ActionStates = Partial<Record<keyof typeof SLOW_HANDLER_TEMPLATE.actions, string | { status: string; reason?: string }>>;

/**
 * GetExperiment's `experiment` at one moment. Typed as the SDK's `Experiment`, whose (older) enums
 * lack `cancelled` and `state.error`; the API returns them and the SDK passes them through.
 */
export function experimentAt(
  status: string,
  actions: ActionStates = {},
  extra: { reason?: string; error?: { code?: string; location?: string; accountId?: string }; startTime?: Date; endTime?: Date } = {},
): Experiment {
  const states: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(SLOW_HANDLER_TEMPLATE.actions)) {
    const state = actions[name as keyof ActionStates] ?? 'pending';
    states[name] = { ...definition, state: typeof state === 'string' ? { status: state } : state };
  }
  return {
    id: EXPERIMENT_ID,
    experimentTemplateId: TEMPLATE_ID,
    state: { status, reason: extra.reason, error: extra.error },
    targets: SLOW_HANDLER_TEMPLATE.targets,
    actions: states,
    stopConditions: SLOW_HANDLER_TEMPLATE.stopConditions,
    startTime: extra.startTime,
    endTime: extra.endTime,
  } as unknown as Experiment;
}

/** A metric alarm as DescribeAlarms returns it. */
export function alarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', extra: Partial<MetricAlarm> = {}): MetricAlarm {
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
    StateValue: state,
    StateReason: state === 'ALARM' ? 'Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (14.4).' : 'Threshold not crossed',
    StateTransitionedTimestamp: new Date(Date.UTC(2024, 4, 1, 11, 42, 7)),
    ...extra,
  };
}

/** Every DescribeAlarms call answers with these states (checkout's alarms OK unless given). */
export function givenAlarms(cloudWatch: Harness['cloudWatch'], states: Partial<Record<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>> = {}): void {
  cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
    MetricAlarms: (input.AlarmNames ?? []).map((name) => alarm(name, states[name] ?? 'OK')),
  }));
  cloudWatch.on(ListTagsForResourceCommand).resolves({ Tags: [] });
}
