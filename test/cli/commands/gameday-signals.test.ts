import { StartExperimentCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import { createSignalHandler, describeAbort, hardExit } from '../../../lib/cli/experiments/interrupts';
import type { CliRunState, StartedExperiment } from '../../../lib/cli/io';
import { awsError, REGION, useHarness } from '../support/harness';
import { EXPERIMENT_ID, experimentAt, givenRun, progress, SLOW_HANDLER, TEMPLATE_ID } from '../support/fis-fixtures';

const RUNNING = experimentAt('running', { steadyState: 'completed', delay: 'running' });
const STOPPED = experimentAt('stopped', { steadyState: 'completed', delay: 'stopped', settle: 'cancelled', recovered: 'cancelled' },
  { reason: 'Experiment stopped.' });

describe('gameday: SIGTERM and SIGHUP', () => {
  const world = useHarness();

  test.each([
    ['SIGTERM', 'received SIGTERM, e.g. the CI job was cancelled'],
    ['SIGHUP', 'received SIGHUP: the terminal was closed'],
    ['SIGINT', 'you pressed Ctrl-C'],
  ])('%s stops the experiment like Ctrl-C, waits until it has stopped and exits 130', async (signal, why) => {
    const h = world();
    givenRun(h, [RUNNING, RUNNING, STOPPED]);
    h.onSleep = (count) => {
      if (count === 2) h.controller.abort(signal);
    };
    expect(await h.run(...SLOW_HANDLER)).toBe(130);
    expect(h.fis.calls(StopExperimentCommand)).toEqual([{ id: EXPERIMENT_ID }]);
    expect(progress(h)).toContain(`[00:20] stopping the experiment (${why})`);
    expect(h.stdout()).toContain('STOPPED by you: the experiment was stopped before it finished; no verdict');
  });

  test('shares the started experiment with the process: its id and region, whether FIS accepted the stop, and its end', async () => {
    const h = world();
    givenRun(h, [RUNNING, STOPPED]);
    const seen: Array<Partial<StartedExperiment> | undefined> = [];
    h.onSleep = () => {
      seen.push(h.state.experiment && { ...h.state.experiment });
      h.controller.abort('SIGTERM');
    };
    await h.run(...SLOW_HANDLER);
    expect(seen[0]).toMatchObject({ id: EXPERIMENT_ID, region: REGION, stopAcknowledged: false, ended: false });
    expect(h.state.experiment).toMatchObject({ id: EXPERIMENT_ID, stopAcknowledged: true, ended: true });
  });
});

describe('gameday: quitting without waiting (a second signal)', () => {
  const world = useHarness();

  test('sends StopExperiment when FIS has not accepted one yet, and prints the commands that finish the job', async () => {
    // GIVEN the experiment runs and nobody asked it to stop yet
    const h = world();
    givenRun(h, [RUNNING, STOPPED]);
    let lines: string[] = [];
    h.onSleep = async (count) => {
      if (count === 1) lines = await hardExit(h.state);
    };
    // WHEN
    await h.run(...SLOW_HANDLER);
    // THEN
    expect(h.fis.calls(StopExperimentCommand)).toEqual([{ id: EXPERIMENT_ID }]);
    expect(lines).toEqual([
      `Sent StopExperiment for experiment ${EXPERIMENT_ID}; FIS is stopping it.`,
      `Make sure experiment ${EXPERIMENT_ID} stops: \`aws fis stop-experiment --id ${EXPERIMENT_ID} --region ${REGION}\``,
      `and follow it with \`aws fis get-experiment --id ${EXPERIMENT_ID} --region ${REGION}\`.`,
    ]);
  });

  test('does not send StopExperiment again once FIS accepted the one sent on the first signal', async () => {
    const h = world();
    givenRun(h, [RUNNING, RUNNING, STOPPED]);
    let lines: string[] = [];
    h.onSleep = async (count) => {
      if (count === 1) h.controller.abort('SIGTERM');
      if (count === 2) lines = await hardExit(h.state);
    };
    await h.run(...SLOW_HANDLER);
    expect(h.fis.calls(StopExperimentCommand)).toHaveLength(1);
    expect(lines[0]).toBe(`FIS accepted the stop of experiment ${EXPERIMENT_ID}; it may still be stopping.`);
    expect(lines[1]).toContain(`aws fis stop-experiment --id ${EXPERIMENT_ID} --region ${REGION}`);
  });

  test('says so, with the commands, when StopExperiment fails', async () => {
    const h = world();
    givenRun(h, [RUNNING, STOPPED]);
    h.fis.on(StopExperimentCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: fis:StopExperiment'));
    let lines: string[] = [];
    h.onSleep = async (count) => {
      if (count === 1) lines = await hardExit(h.state);
    };
    await h.run(...SLOW_HANDLER);
    expect(lines[0]).toBe(`Could not stop experiment ${EXPERIMENT_ID}: access denied: not authorized to perform: fis:StopExperiment\n`
      + 'The identity you run as needs the permission named above; check --profile.');
    expect(lines[1]).toContain(`aws fis stop-experiment --id ${EXPERIMENT_ID} --region ${REGION}`);
  });

  test('while StartExperiment has not answered, says an experiment may be running and how to find it', async () => {
    const h = world();
    givenRun(h, [STOPPED]);
    let lines: string[] = [];
    h.fis.on(StartExperimentCommand).callsFake(async () => {
      lines = await hardExit(h.state);
      return { experiment: { id: EXPERIMENT_ID } };
    });
    await h.run(...SLOW_HANDLER);
    expect(lines).toEqual([
      `StartExperiment was sent for template ${TEMPLATE_ID} but FIS has not answered: an experiment may be running.`,
      `Look for it with \`aws fis list-experiments --region ${REGION}\` and stop it with \`aws fis stop-experiment --id <id> --region ${REGION}\`.`,
    ]);
  });

  test('says nothing needs stopping before a start and after the end', async () => {
    expect(await hardExit({})).toEqual(['No experiment was started.']);
    expect(await hardExit(undefined)).toEqual(['No experiment was started.']);
    const ended: StartedExperiment = { id: 'EXP1', region: REGION, stopAcknowledged: false, ended: true, stop: jest.fn() };
    expect(await hardExit({ experiment: ended })).toEqual(['Experiment EXP1 has ended; nothing to stop.']);
    expect(ended.stop).not.toHaveBeenCalled();
  });

  test('gives up on a StopExperiment that does not answer in time, naming the profile in the commands', async () => {
    const stuck: StartedExperiment = {
      id: 'EXP1', region: REGION, profile: 'gameday', stopAcknowledged: false, ended: false, stop: () => new Promise<void>(() => undefined),
    };
    const lines = await hardExit({ experiment: stuck }, 10);
    expect(lines[0]).toBe('Could not stop experiment EXP1: no answer within 0.01s');
    expect(lines[1]).toBe(`Make sure experiment EXP1 stops: \`aws fis stop-experiment --id EXP1 --region ${REGION} --profile gameday\``);
  });
});

describe('signal handler', () => {
  function handlerWorld() {
    const controller = new AbortController();
    const stop = jest.fn(async () => undefined);
    const state: CliRunState = { experiment: { id: 'EXP1', region: REGION, stopAcknowledged: false, ended: false, stop } };
    const written: string[] = [];
    const exits: number[] = [];
    const handle = createSignalHandler({ controller, state, write: (text) => written.push(text), exit: (code) => exits.push(code) });
    return { controller, stop, written, exits, handle };
  }

  test('the first signal aborts the run with the signal as reason and does not exit', async () => {
    const w = handlerWorld();
    await w.handle('SIGTERM');
    expect(w.controller.signal.aborted).toBe(true);
    expect(w.controller.signal.reason).toBe('SIGTERM');
    expect(describeAbort(w.controller.signal.reason)).toBe('received SIGTERM, e.g. the CI job was cancelled');
    expect(w.exits).toEqual([]);
    expect(w.stop).not.toHaveBeenCalled();
  });

  test('the second signal sends StopExperiment, prints the experiment and the command, and exits 130', async () => {
    const w = handlerWorld();
    await w.handle('SIGTERM');
    await w.handle('SIGINT');
    expect(w.stop).toHaveBeenCalledTimes(1);
    expect(w.exits).toEqual([130]);
    const text = w.written.join('');
    expect(text).toContain('SIGINT again: quitting without waiting for the experiment to stop');
    expect(text).toContain(`aws fis stop-experiment --id EXP1 --region ${REGION}`);
  });

  test('a third signal exits at once, without waiting for the second one\'s StopExperiment', async () => {
    const w = handlerWorld();
    w.stop.mockImplementation(() => new Promise<undefined>(() => undefined));
    await w.handle('SIGHUP');
    void w.handle('SIGHUP');
    await w.handle('SIGHUP');
    expect(w.exits).toEqual([130]);
  });
});
