import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListExperimentsCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { awsError, T0, useHarness } from '../support/harness';
import {
  experimentAt,
  experimentSummary,
  givenExperiments,
  givenRun,
  LATENCY_ALARM,
  PAGE_ALARM,
  SLOW_HANDLER,
  SLOW_HANDLER_TEMPLATE,
  TEMPLATE_ID,
  withSteadyStateStates,
} from '../support/fis-fixtures';

const COMPLETED = experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' });
const EARLIER = new Date(T0 - 5 * 60_000);

describe('gameday: another experiment of the template under way', () => {
  const world = useHarness();

  test('exits 3 and starts nothing while another experiment of the template is running, naming it and how to stop it', async () => {
    // GIVEN on the second page of ListExperiments, an experiment of this template running for 5 minutes
    const h = world();
    givenRun(h, [COMPLETED]);
    givenExperiments(h, [
      [experimentSummary('EXPsearch1', 'EXTsearchSlow1', 'running', EARLIER), experimentSummary('EXPold1', TEMPLATE_ID, 'completed', EARLIER)],
      [experimentSummary('EXPscheduled1', TEMPLATE_ID, 'running', EARLIER)],
    ]);
    // WHEN
    const code = await h.run(...SLOW_HANDLER);
    // THEN
    expect(code).toBe(3);
    expect(h.stderr()).toContain('experiment EXPscheduled1 of this template is already running since 2024-05-01 11:55:00 UTC: '
      + 'wait for it or stop it with `aws fis stop-experiment --id EXPscheduled1`\n');
    expect(h.stderr()).toContain('Nothing was started (pass --force to start anyway).');
    expect(h.stderr()).not.toContain('EXPsearch1');
    expect(h.stderr()).not.toContain('EXPold1');
    expect(h.fis.calls(ListExperimentsCommand)).toEqual([{ maxResults: 100, nextToken: undefined }, { maxResults: 100, nextToken: '1' }]);
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);
  });

  test.each(['pending', 'initiating', 'running', 'stopping'])('exits 3 while another experiment of the template is %s', async (status) => {
    const h = world();
    givenRun(h, [COMPLETED]);
    givenExperiments(h, [[experimentSummary('EXPother1', TEMPLATE_ID, status, EARLIER)]]);
    expect(await h.run(...SLOW_HANDLER)).toBe(3);
    expect(h.stderr()).toContain(`experiment EXPother1 of this template is already ${status} since`);
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);
  });

  test('starts when the template\'s other experiments are over and other templates\' experiments run', async () => {
    const h = world();
    givenRun(h, [COMPLETED]);
    givenExperiments(h, [[
      experimentSummary('EXPdone', TEMPLATE_ID, 'completed'),
      experimentSummary('EXPstopped', TEMPLATE_ID, 'stopped'),
      experimentSummary('EXPfailed', TEMPLATE_ID, 'failed'),
      experimentSummary('EXPcancelled', TEMPLATE_ID, 'cancelled'),
      experimentSummary('EXPsearch1', 'EXTsearchSlow1', 'running'),
    ]]);
    expect(await h.run(...SLOW_HANDLER)).toBe(0);
    expect(h.fis.calls(StartExperimentCommand)).toHaveLength(1);
    expect(h.stderr()).toBe('');
  });

  test('--force starts anyway, warning that the faults add up', async () => {
    const h = world();
    givenRun(h, [COMPLETED]);
    givenExperiments(h, [[experimentSummary('EXPscheduled1', TEMPLATE_ID, 'running', EARLIER)]]);
    expect(await h.run(...SLOW_HANDLER, '--force')).toBe(0);
    expect(h.stderr()).toContain('warning: --force: starting although experiment EXPscheduled1 of this template is already running '
      + 'since 2024-05-01 11:55:00 UTC: the faults of both will add up');
    expect(h.fis.calls(StartExperimentCommand)).toHaveLength(1);
  });

  test('exits 1 and starts nothing when the running experiments cannot be listed; --force starts with a warning', async () => {
    const denied = awsError('AccessDeniedException', 'not authorized to perform: fis:ListExperiments');
    const h = world();
    givenRun(h, [COMPLETED]);
    h.fis.on(ListExperimentsCommand).rejects(denied);
    expect(await h.run(...SLOW_HANDLER)).toBe(1);
    expect(h.stderr()).toContain(`error: could not check whether an experiment of template ${TEMPLATE_ID} is already running: `
      + 'access denied: not authorized to perform: fis:ListExperiments');
    expect(h.stderr()).toContain('Nothing was started (pass --force to start without this check).');
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);

    expect(await h.run(...SLOW_HANDLER, '--force')).toBe(0);
    expect(h.stderr()).toContain(`warning: --force: could not check whether an experiment of template ${TEMPLATE_ID} is already running`);
    expect(h.fis.calls(StartExperimentCommand)).toHaveLength(1);
  });
});

describe('gameday: alarms against the steady-state check before the start', () => {
  const world = useHarness();

  test('exits 3 and starts nothing when an alarm of the steady-state check is in INSUFFICIENT_DATA and the check requires OK', async () => {
    const h = world();
    givenRun(h, [COMPLETED], { [LATENCY_ALARM]: 'INSUFFICIENT_DATA' });
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(3);
    expect(h.stderr()).toContain(`steady state not met: ${LATENCY_ALARM} is in INSUFFICIENT_DATA since 2024-05-01 11:42:07 UTC `
      + '(steadyState requires OK) — FIS would fail the experiment at its steady-state check, before any fault; an alarm without recent '
      + 'data points is in INSUFFICIENT_DATA: send traffic, or wait until it evaluates (or pass --force to start anyway). Nothing was started.');
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);
  });

  test('starts when the steady-state check allows INSUFFICIENT_DATA', async () => {
    const h = world();
    givenRun(h, [COMPLETED], { [LATENCY_ALARM]: 'INSUFFICIENT_DATA', [PAGE_ALARM]: 'INSUFFICIENT_DATA' }, withSteadyStateStates('OK, INSUFFICIENT_DATA'));
    expect(await h.run(...SLOW_HANDLER)).toBe(0);
    expect(h.fis.calls(StartExperimentCommand)).toHaveLength(1);
  });

  test('without a steady-state check first, only a stop condition in ALARM stops the start', async () => {
    // GIVEN a template whose first action is the fault
    const { steadyState: _, ...actions } = SLOW_HANDLER_TEMPLATE.actions;
    const template = { ...SLOW_HANDLER_TEMPLATE, actions: { ...actions, delay: { ...actions.delay, startAfter: [] } } };
    const h = world();
    givenRun(h, [COMPLETED], { [PAGE_ALARM]: 'INSUFFICIENT_DATA' }, template);
    expect(await h.run(...SLOW_HANDLER)).toBe(0);
    expect(h.cloudWatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toMatchObject({ AlarmNames: [PAGE_ALARM] });

    givenRun(h, [COMPLETED], { [PAGE_ALARM]: 'ALARM' }, template);
    expect(await h.run(...SLOW_HANDLER)).toBe(3);
    expect(h.stderr()).toContain(`steady state not met: ${PAGE_ALARM} is in ALARM since 2024-05-01 11:42:07 UTC `
      + '(a stop condition must not be in ALARM) — customers are already hurting');
  });

  test('--force starts with INSUFFICIENT_DATA, warning that the steady-state check will likely fail', async () => {
    const h = world();
    givenRun(h, [COMPLETED], { [LATENCY_ALARM]: 'INSUFFICIENT_DATA' });
    await h.run(...SLOW_HANDLER, '--force');
    expect(h.stderr()).toContain(`warning: --force: starting although ${LATENCY_ALARM} is in INSUFFICIENT_DATA since 2024-05-01 11:42:07 UTC `
      + '(steadyState requires OK); the steady-state check will likely fail the experiment before any fault');
    expect(h.fis.calls(StartExperimentCommand)).toHaveLength(1);
  });
});
