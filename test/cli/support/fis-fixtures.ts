/**
 * FIS API data for the tests: the checkout `slow-handler` experiment template as GetExperimentTemplate
 * returns it (actions deliberately listed out of execution order), experiment snapshots as
 * GetExperiment returns them, and CloudWatch alarm states.
 */
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, ListTagsForResourceCommand, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import {
  Experiment,
  ExperimentSummary,
  ExperimentTemplate,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentsCommand,
  ListExperimentTemplatesCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
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

/** As cdk-reliability synthesizes it: every alarm OK before the fault. */
const steadyStateParameters = { alarmArns: `${PAGE_ALARM_ARN},${LATENCY_ALARM_ARN}`, alarmStates: 'OK' };

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

/** The slow-handler template with another steady-state check (`alarmStates` of its first action). */
export function withSteadyStateStates(alarmStates: string): typeof SLOW_HANDLER_TEMPLATE {
  return {
    ...SLOW_HANDLER_TEMPLATE,
    actions: {
      ...SLOW_HANDLER_TEMPLATE.actions,
      steadyState: { ...SLOW_HANDLER_TEMPLATE.actions.steadyState, parameters: { ...steadyStateParameters, alarmStates } },
    },
  };
}

/** FIS lists the templates and returns the slow-handler one (or `template`). */
export function givenDeployedTemplates(h: Harness, template: ExperimentTemplate = SLOW_HANDLER_TEMPLATE): void {
  h.fis.on(ListExperimentTemplatesCommand).resolves({ experimentTemplates: TEMPLATE_SUMMARIES });
  h.fis.on(GetExperimentTemplateCommand, { id: TEMPLATE_ID }).resolves({ experimentTemplate: template });
}

/** An experiment as ListExperiments summarises it. */
export function experimentSummary(id: string, templateId: string, status: string, creationTime?: Date): ExperimentSummary {
  return { id, experimentTemplateId: templateId, state: { status } as ExperimentSummary['state'], creationTime };
}

/** ListExperiments answers with these pages, in turn (no experiment under way unless given). */
export function givenExperiments(h: Harness, pages: ExperimentSummary[][] = [[]]): void {
  h.fis.on(ListExperimentsCommand).callsFake((input: { nextToken?: string }) => {
    const index = input.nextToken ? Number(input.nextToken) : 0;
    return { experiments: pages[index] ?? [], nextToken: index + 1 < pages.length ? String(index + 1) : undefined };
  });
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

type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/**
 * DescribeAlarms answers by call: `at(call, name)` (call 1 is the check before the start) gives
 * the state, and the alarm fields to change (e.g. `StateTransitionedTimestamp`).
 */
export function givenAlarmsByCall(
  cloudWatch: Harness['cloudWatch'],
  at: (call: number, name: string) => AlarmState | [AlarmState, Partial<MetricAlarm>],
): void {
  let calls = 0;
  cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => {
    calls += 1;
    return {
      MetricAlarms: (input.AlarmNames ?? []).map((name) => {
        const answer = at(calls, name);
        return typeof answer === 'string' ? alarm(name, answer) : alarm(name, answer[0], answer[1]);
      }),
    };
  });
  cloudWatch.on(ListTagsForResourceCommand).resolves({ Tags: [] });
}

/** The arguments that run the slow-handler experiment. */
export const SLOW_HANDLER = ['gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'slow-handler'];

/**
 * The deployed template, no other experiment under way, OK alarms (with no history of ALARM),
 * StartExperiment and GetExperiment answering `states` in turn (the last one repeats).
 */
export function givenRun(
  h: Harness,
  states: Experiment[],
  alarms: Parameters<typeof givenAlarms>[1] = {},
  template: ExperimentTemplate = SLOW_HANDLER_TEMPLATE,
): void {
  givenDeployedTemplates(h, template);
  givenExperiments(h);
  givenAlarms(h.cloudWatch, alarms);
  h.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  h.fis.on(StartExperimentCommand).resolves({ experiment: { id: EXPERIMENT_ID, state: { status: 'pending' } } });
  h.fis.on(StopExperimentCommand).resolves({ experiment: { id: EXPERIMENT_ID, state: { status: 'stopping' } } });
  let behaviour = h.fis.on(GetExperimentCommand, { id: EXPERIMENT_ID });
  for (const state of states.slice(0, -1)) {
    behaviour = behaviour.resolvesOnce({ experiment: state });
  }
  behaviour.resolves({ experiment: states[states.length - 1] });
}

/** The `[mm:ss] ...` progress lines. */
export function progress(h: Harness): string[] {
  return h.stdout().split('\n').filter((line) => /^\[\d\d:\d\d\] /.test(line));
}
