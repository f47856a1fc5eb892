import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import { MAX_POLL_FAILURES } from '../../../lib/cli/experiments/runner';
import { awsError, REGION, T0, useHarness } from '../support/harness';
import {
  alarm,
  EXPERIMENT_ID,
  experimentAt,
  givenAlarmsByCall,
  givenRun,
  LATENCY_ALARM,
  PAGE_ALARM,
  PAGE_ALARM_ARN,
  progress,
  SLOW_HANDLER,
  TEMPLATE_ID,
} from '../support/fis-fixtures';

const CONSOLE = `https://${REGION}.console.aws.amazon.com/fis/home?region=${REGION}#ExperimentDetails:ExperimentId=${EXPERIMENT_ID}`;

const started = new Date(T0 + 1_000);

describe('gameday: running the experiment', () => {
  const world = useHarness();

  test('exits 0 and says PASSED when the experiment completes, printing each change in order with the elapsed time', async () => {
    // GIVEN
    const h = world();
    givenRun(h, [
      experimentAt('initiating'),
      experimentAt('running', { steadyState: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'completed', settle: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'running' }),
      experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' },
        { reason: 'Experiment completed.', startTime: started, endTime: new Date(started.getTime() + 15 * 60_000 + 30_000) }),
    ]);
    // WHEN
    const code = await h.run(...SLOW_HANDLER, '--poll', '3');
    // THEN
    expect(code).toBe(0);
    expect(progress(h)).toEqual([
      `[00:00] alarm ${PAGE_ALARM}: OK`,
      `[00:00] alarm ${LATENCY_ALARM}: OK`,
      '[00:00] experiment: initiating',
      '[00:03] experiment: running',
      '[00:03] action steadyState: running',
      '[00:06] action steadyState: completed',
      '[00:06] action delay: running',
      '[00:12] action delay: completed',
      '[00:12] action settle: running',
      '[00:15] action settle: completed',
      '[00:15] action recovered: running',
      '[00:18] action recovered: completed',
      '[00:18] experiment: completed — Experiment completed.',
    ]);
    expect(h.sleeps).toEqual([3000, 3000, 3000, 3000, 3000, 3000]);
    const out = h.stdout();
    expect(out).toContain(`Started experiment ${EXPERIMENT_ID} at 2024-05-01 12:00:00 UTC\n  console: ${CONSOLE}`);
    expect(out).toMatch(new RegExp(`Summary\\n {2}experiment +${EXPERIMENT_ID} \\(template ${TEMPLATE_ID}\\)\\n {2}state +completed — Experiment completed\\.\\n {2}duration +15m 30s\\n {2}console +https:`));
    expect(out).toMatch(/ {2}actions\n {4}steadyState +completed\n {4}delay +completed\n {4}settle +completed\n {4}recovered +completed\n/);
    expect(out).toContain(`  console     ${CONSOLE}`);
    expect(out.trimEnd().split('\n').pop()).toBe('PASSED: the experiment completed and the steady state held (stop conditions never fired)');
    expect(h.stderr()).toBe('');
  });

  test('starts the experiment from the template with a fresh client token and no tags, after checking the alarms of the stop conditions and the steady-state check', async () => {
    const h = world();
    givenRun(h, [experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' })]);
    await h.run(...SLOW_HANDLER);
    const [start] = h.fis.calls(StartExperimentCommand);
    expect(start).toEqual({ experimentTemplateId: TEMPLATE_ID, clientToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) });
    expect(h.cloudWatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNames: [PAGE_ALARM, LATENCY_ALARM],
      AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
      NextToken: undefined,
    });
  });

  test('exits 3 and starts nothing when a stop-condition alarm is already in ALARM', async () => {
    const h = world();
    givenRun(h, [experimentAt('completed')], { [PAGE_ALARM]: 'ALARM' });
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(3);
    expect(h.stderr()).toContain(`steady state not met: ${PAGE_ALARM} is in ALARM since 2024-05-01 11:42:07 UTC (steadyState requires OK) `
      + '— customers are already hurting; fix that first (or pass --force to start anyway). Nothing was started.');
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);
  });

  test('--force starts anyway, with a warning, and exits 1 without a finding when FIS stops at once on the alarm that was already firing', async () => {
    const h = world();
    givenRun(h, [experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }, { reason: 'Experiment stopped.' })], { [PAGE_ALARM]: 'ALARM' });
    const code = await h.run(...SLOW_HANDLER, '--force');
    expect(h.stderr()).toContain(`warning: --force: starting although ${PAGE_ALARM} is in ALARM since 2024-05-01 11:42:07 UTC (steadyState requires OK); `
      + 'FIS will likely stop the experiment at once');
    expect(h.fis.calls(StartExperimentCommand)).toHaveLength(1);
    expect(code).toBe(1);
    expect(h.stdout()).toContain(`STOPPED: stop condition ${PAGE_ALARM} was already in ALARM at the start; nothing was learned\n`
      + '  FIS: Experiment stopped.\n');
    expect(h.stdout()).not.toContain('FINDING');
    expect(h.stdout()).not.toContain('customers would have been hurt');
  });

  test('exits 2 and names the alarm, its dashboard and runbook when a stop condition halts the experiment', async () => {
    // GIVEN the page alarm goes into ALARM while the delay runs
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopping', { steadyState: 'completed', delay: 'stopping' }, { reason: 'Stop condition triggered.' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped', settle: 'cancelled', recovered: 'cancelled' },
        { reason: 'Experiment stopped by a stop condition.' }),
    ]);
    let describes = 0;
    h.cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => {
      describes += 1;
      return {
        MetricAlarms: input.AlarmNames.map((name) => alarm(name, describes >= 3 && name === PAGE_ALARM ? 'ALARM' : 'OK', {
          AlarmDescription: 'Checkout availability is burning its budget. Runbook: https://wiki.example.com/checkout',
        })),
      };
    });
    h.cloudWatch.on(ListTagsForResourceCommand, { ResourceARN: PAGE_ALARM_ARN }).resolves({
      Tags: [{ Key: 'cdk-reliability:dashboard', Value: 'checkout-reliability' }],
    });
    // WHEN
    const code = await h.run(...SLOW_HANDLER);
    // THEN
    expect(code).toBe(2);
    expect(progress(h)).toEqual(expect.arrayContaining([
      `[00:10] alarm ${PAGE_ALARM}: OK → ALARM — Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (14.4).`,
      '[00:10] experiment: stopping — Stop condition triggered.',
      '[00:10] action delay: stopping',
      '[00:20] action delay: stopped',
      '[00:20] action settle: cancelled',
      '[00:20] experiment: stopped — Experiment stopped by a stop condition.',
    ]));
    const out = h.stdout();
    expect(out).toContain(`FINDING: stopped by stop condition ${PAGE_ALARM} in ALARM: customers would have been hurt.\n`
      + '  FIS: Experiment stopped by a stop condition.\n'
      + `  alarm ${PAGE_ALARM}: https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#alarmsV2:alarm/${PAGE_ALARM}\n`
      + '  runbook: https://wiki.example.com/checkout\n'
      + `  dashboard checkout-reliability: https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/checkout-reliability\n`
      + '  Find what broke on the dashboard and in the alarm history');
  });

  test('exits 2 when the alarm fired and recovered between two polls, as its history shows', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }, { startTime: started }),
    ]);
    h.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        { AlarmName: PAGE_ALARM, HistoryItemType: 'StateUpdate', HistoryData: JSON.stringify({ oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'OK' } }) },
        { AlarmName: PAGE_ALARM, HistoryItemType: 'StateUpdate', HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }) },
      ],
    });
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(2);
    expect(h.cloudWatch.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input).toMatchObject({
      AlarmName: PAGE_ALARM, HistoryItemType: 'StateUpdate', StartDate: started,
    });
    expect(h.stdout()).toContain(`FINDING: stopped by stop condition ${PAGE_ALARM} in ALARM`);
  });

  test('exits 1 without a verdict when FIS stopped the experiment and no stop-condition alarm fired', async () => {
    const h = world();
    givenRun(h, [experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }, { reason: 'Experiment stopped.' })]);
    h.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    expect(await h.run(...SLOW_HANDLER)).toBe(1);
    expect(h.stdout()).toContain('STOPPED: FIS stopped the experiment, but none of its stop-condition alarms went into ALARM\n'
      + '  FIS: Experiment stopped.\n  Was it stopped from the console or the API by someone else? No verdict.');
  });

  test('exits 1 with the FIS reason, error code, advice and the failed action when the experiment fails', async () => {
    const h = world();
    givenRun(h, [experimentAt('failed', {
      steadyState: 'completed',
      delay: { status: 'failed', reason: 'Unable to add delay: not authorized to perform lambda:GetFunction' },
      settle: 'cancelled',
      recovered: 'cancelled',
    }, { reason: 'Experiment failed because action delay failed.', error: { code: 'AuthorizationFailure', location: 'action:delay', accountId: '111122223333' } })]);
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(1);
    expect(progress(h)).toContain('[00:00] action delay: failed — Unable to add delay: not authorized to perform lambda:GetFunction');
    expect(h.stdout()).toContain('FAILED: Experiment failed because action delay failed.\n'
      + '  error AuthorizationFailure at action:delay (account 111122223333)\n'
      + '  → the experiment role lacks a permission the action needs (see the FIS actions reference), '
      + "or a service control policy blocks FIS's service-linked role\n"
      + '  action delay (aws:lambda:invocation-add-delay) failed: Unable to add delay: not authorized to perform lambda:GetFunction\n');
  });

  test('exits 1 saying the steady state was not met before the fault when the first alarm check fails', async () => {
    const h = world();
    givenRun(h, [experimentAt('failed', {
      steadyState: { status: 'failed', reason: 'Alarm checkout-latency-page is in state ALARM.' },
      delay: 'cancelled',
      settle: 'cancelled',
      recovered: 'cancelled',
    }, { reason: 'Experiment failed because action steadyState failed.' })]);
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(1);
    expect(h.stdout()).toContain(`FAILED: steady state not met before the fault: ${PAGE_ALARM} and ${LATENCY_ALARM} not in OK `
      + 'when steadyState checked; no fault was injected\n'
      + '  FIS: Experiment failed because action steadyState failed.\n');
    expect(h.stdout()).toContain('action steadyState (aws:cloudwatch:assert-alarm-state) failed: Alarm checkout-latency-page is in state ALARM.');
  });

  test('exits 2 saying the service did not recover within the settle time when the check after the fault fails', async () => {
    const h = world();
    givenRun(h, [experimentAt('failed', {
      steadyState: 'completed',
      delay: 'completed',
      settle: 'completed',
      recovered: { status: 'failed', reason: 'Alarm checkout-latency-page is in state ALARM.' },
    }, { reason: 'Experiment failed because action recovered failed.' })]);
    givenAlarmsByCall(h.cloudWatch, (call, name) => (call > 1 && name === LATENCY_ALARM ? 'ALARM' : 'OK'));
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(2);
    expect(h.stdout()).toContain(`FINDING: the service did not recover within the settle time (5m): ${PAGE_ALARM} and ${LATENCY_ALARM} `
      + 'not back to OK when recovered checked.\n');
    expect(h.stdout()).toContain(`  alarm ${LATENCY_ALARM}: https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#alarmsV2:alarm/${LATENCY_ALARM}`);
  });

  test('exits 2 (not PASSED) when the experiment completed although a stop condition was seen in ALARM while it ran', async () => {
    // GIVEN the page alarm goes into ALARM 8 s after the start, while the delay runs, and FIS completes the experiment anyway
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'completed', settle: 'running' }),
      experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' },
        { reason: 'Experiment completed.' }),
    ]);
    givenAlarmsByCall(h.cloudWatch, (call, name) =>
      (call === 3 && name === PAGE_ALARM ? ['ALARM', { StateTransitionedTimestamp: new Date(T0 + 8_000) }] : 'OK'));
    // WHEN
    const code = await h.run(...SLOW_HANDLER);
    // THEN
    expect(code).toBe(2);
    const out = h.stdout();
    expect(out).toContain(`FINDING: the experiment completed, but stop condition ${PAGE_ALARM} went to ALARM at 00:08 (FIS did not stop in time): `
      + 'customers were hurt.\n  FIS: Experiment completed.\n'
      + `  alarm ${PAGE_ALARM}: https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#alarmsV2:alarm/${PAGE_ALARM}\n`);
    expect(out).not.toContain('PASSED');
    expect(out).not.toContain('never fired');
  });

  test('exits 2 when a stop condition went into ALARM after the last action of a completed experiment', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'running' }),
      experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' },
        { startTime: new Date(T0), endTime: new Date(T0 + 9_000) }),
    ]);
    givenAlarmsByCall(h.cloudWatch, (call, name) =>
      (call === 3 && name === PAGE_ALARM ? ['ALARM', { StateTransitionedTimestamp: new Date(T0 + 9_500) }] : 'OK'));
    expect(await h.run(...SLOW_HANDLER)).toBe(2);
    expect(h.stdout()).toContain(`FINDING: the experiment completed, but stop condition ${PAGE_ALARM} went to ALARM at 00:09 (after the last action): `
      + 'customers were hurt.');
    expect(h.stdout()).toContain('The harm showed after the last action, when FIS no longer watched its stop conditions');
  });

  test('exits 2 when the history shows a stop condition went into ALARM and recovered between two polls of a completed experiment', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' }, { startTime: started }),
    ]);
    h.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        { AlarmName: PAGE_ALARM, Timestamp: new Date(T0 + 7_000), HistoryData: JSON.stringify({ newState: { stateValue: 'OK' } }) },
        { AlarmName: PAGE_ALARM, Timestamp: new Date(T0 + 4_000), HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM' } }) },
      ],
    });
    expect(await h.run(...SLOW_HANDLER)).toBe(2);
    expect(h.cloudWatch.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input).toMatchObject({ AlarmName: PAGE_ALARM, StartDate: started });
    expect(h.stdout()).toContain(`FINDING: the experiment completed, but stop condition ${PAGE_ALARM} went to ALARM at 00:04 (FIS did not stop in time)`);
    expect(h.stdout()).not.toContain('never fired');
  });

  test('with --force, an alarm already firing at the start is no finding when you stop the experiment (exit 130)', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }, { reason: 'Experiment stopped.' }),
    ], { [PAGE_ALARM]: 'ALARM' });
    h.onSleep = (count) => {
      if (count === 2) h.controller.abort();
    };
    expect(await h.run(...SLOW_HANDLER, '--force')).toBe(130);
    expect(h.fis.calls(StopExperimentCommand)).toHaveLength(1);
    expect(h.stdout()).toContain('STOPPED by you: the experiment was stopped before it finished; no verdict\n'
      + `  note: ${PAGE_ALARM} was already in ALARM at the start\n`);
  });

  test('with --force, an alarm firing at the start that goes into ALARM again during the run is a finding (exit 2)', async () => {
    // GIVEN the page alarm is in ALARM at the start, and seen in ALARM again with a later transition time
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }, { reason: 'Experiment stopped.' }),
    ]);
    givenAlarmsByCall(h.cloudWatch, (call, name) => {
      if (name !== PAGE_ALARM) return 'OK';
      return call < 3 ? 'ALARM' : ['ALARM', { StateTransitionedTimestamp: new Date(T0 + 6_000) }];
    });
    expect(await h.run(...SLOW_HANDLER, '--force')).toBe(2);
    expect(h.stdout()).toContain(`FINDING: stopped by stop condition ${PAGE_ALARM} in ALARM: customers would have been hurt.`);
  });

  test('exits 1 when the experiment is cancelled', async () => {
    const h = world();
    givenRun(h, [experimentAt('cancelled', {}, { reason: 'Experiment cancelled.' })]);
    expect(await h.run(...SLOW_HANDLER)).toBe(1);
    expect(h.stdout()).toContain('CANCELLED: Experiment cancelled.');
  });
});

describe('gameday: Ctrl-C and lost contact', () => {
  const world = useHarness();

  test('on Ctrl-C calls StopExperiment exactly once, waits until the experiment has stopped, and exits 130', async () => {
    // GIVEN Ctrl-C during the second wait
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopping', { steadyState: 'completed', delay: 'stopping' }, { reason: 'Stopping Experiment.' }),
      experimentAt('stopping', { steadyState: 'completed', delay: 'stopping' }, { reason: 'Stopping Experiment.' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped', settle: 'cancelled', recovered: 'cancelled' }, { reason: 'Experiment stopped.' }),
    ]);
    h.onSleep = (count) => {
      if (count === 2) h.controller.abort();
    };
    // WHEN
    const code = await h.run(...SLOW_HANDLER);
    // THEN
    expect(code).toBe(130);
    expect(h.fis.calls(StopExperimentCommand)).toEqual([{ id: EXPERIMENT_ID }]);
    expect(h.fis.calls(GetExperimentCommand)).toHaveLength(5);
    expect(progress(h)).toContain('[00:20] stopping the experiment (you pressed Ctrl-C)');
    expect(h.stdout()).toContain('STOPPED by you: the experiment was stopped before it finished; no verdict');
  });

  test('a stop condition that fired before Ctrl-C is still a finding (exit 2)', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }, { reason: 'Experiment stopped.' }),
    ]);
    let describes = 0;
    h.cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => {
      describes += 1;
      return { MetricAlarms: input.AlarmNames.map((name) => alarm(name, describes >= 3 && name === PAGE_ALARM ? 'ALARM' : 'OK')) };
    });
    h.onSleep = (count) => {
      if (count === 2) h.controller.abort();
    };
    expect(await h.run(...SLOW_HANDLER)).toBe(2);
    expect(h.fis.calls(StopExperimentCommand)).toHaveLength(1);
    expect(h.stdout()).toContain(`FINDING: stopped by stop condition ${PAGE_ALARM} in ALARM`);
  });

  test('Ctrl-C during a wait stops the experiment at once instead of after the wait', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'completed', delay: 'running' }),
      experimentAt('stopped', { steadyState: 'completed', delay: 'stopped' }),
    ]);
    h.onSleep = (count) => {
      if (count === 1) {
        setImmediate(() => h.controller.abort());
        return new Promise<void>(() => undefined); // a wait that would never end by itself
      }
      return undefined;
    };
    expect(await h.run(...SLOW_HANDLER)).toBe(130);
    expect(h.fis.calls(StopExperimentCommand)).toHaveLength(1);
  });

  test('Ctrl-C before the start starts nothing', async () => {
    const h = world();
    givenRun(h, [experimentAt('completed')]);
    h.controller.abort();
    expect(await h.run(...SLOW_HANDLER)).toBe(130);
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);
    expect(h.stderr()).toContain('interrupted before the start: nothing was started');
  });

  test('keeps following the experiment through a transient GetExperiment failure', async () => {
    const h = world();
    givenRun(h, [experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' })]);
    h.fis.on(GetExperimentCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ experiment: experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' }) });
    expect(await h.run(...SLOW_HANDLER)).toBe(0);
    expect(progress(h)).toContain('[00:00] could not read the experiment (AWS is throttling requests (ThrottlingException: Rate exceeded); '
      + 'wait a minute and try again.); trying again in 10s');
  });

  test('when GetExperiment keeps failing, exits 1 telling the experiment id and that it is still running', async () => {
    const h = world();
    givenRun(h, [experimentAt('running')]);
    h.fis.on(GetExperimentCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const code = await h.run(...SLOW_HANDLER);
    expect(code).toBe(1);
    expect(h.fis.calls(GetExperimentCommand)).toHaveLength(MAX_POLL_FAILURES);
    expect(h.stderr()).toContain(`lost track of experiment ${EXPERIMENT_ID}: AWS is throttling requests`);
    expect(h.stderr()).toContain(`It is still running in FIS (it ends by itself, or when a stop condition fires). Follow it at ${CONSOLE} `
      + `or with \`aws fis get-experiment --id ${EXPERIMENT_ID}\`; stop it with \`aws fis stop-experiment --id ${EXPERIMENT_ID}\`.`);
  });

  test('gives up following at once when the credentials expire mid-run, naming the running experiment', async () => {
    const h = world();
    givenRun(h, [experimentAt('running')]);
    h.fis.on(GetExperimentCommand).rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
    expect(await h.run(...SLOW_HANDLER)).toBe(1);
    expect(h.fis.calls(GetExperimentCommand)).toHaveLength(1);
    expect(h.stderr()).toContain(`lost track of experiment ${EXPERIMENT_ID}: no valid AWS credentials`);
    expect(h.stderr()).toContain('It is still running in FIS');
  });

  test('keeps going, saying so once, when the alarms cannot be read during the run', async () => {
    const h = world();
    givenRun(h, [
      experimentAt('running', { steadyState: 'running' }),
      experimentAt('running', { steadyState: 'completed' }),
      experimentAt('completed', { steadyState: 'completed', delay: 'completed', settle: 'completed', recovered: 'completed' }),
    ]);
    let calls = 0;
    h.cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => {
      calls += 1;
      if (calls > 1) throw awsError('InternalServiceError', 'oops');
      return { MetricAlarms: input.AlarmNames.map((name) => alarm(name, 'OK')) };
    });
    expect(await h.run(...SLOW_HANDLER)).toBe(0);
    expect(progress(h).filter((line) => line.includes('could not read the alarms'))).toEqual([
      '[00:00] could not read the alarms (InternalServiceError: oops); their states may be stale',
    ]);
  });
});
