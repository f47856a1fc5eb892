/**
 * Running an experiment and following it to the end: the gates (no other experiment of the
 * template under way, the alarms in the state the experiment needs), StartExperiment, polling
 * GetExperiment and the alarms (a line whenever something changes), StopExperiment once on Ctrl-C
 * (or SIGTERM, SIGHUP), and the verdict with a summary.
 */
import { randomUUID } from 'node:crypto';
import { GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import type { AwsSession } from '../aws';
import { explainError, isPermanentAwsError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, println, StartedExperiment } from '../io';
import { columns, formatDuration, formatElapsed, formatTime } from '../render';
import {
  alarmConsoleUrl,
  alarmGuidance,
  alarmsThatFired,
  AlarmStatus,
  dashboardConsoleUrl,
  describeAlarmStates,
  experimentConsoleUrl,
} from './alarms';
import { concurrencyGate, steadyStateGate } from './gate';
import { describeAbort } from './interrupts';
import { ExperimentPlan, normaliseExperimentTemplate, stopConditionAlarms } from './model';
import { ExperimentView, progressLines, Snapshot, takeSnapshot, TERMINAL_STATUSES } from './progress';
import { executionOrder } from './schedule';
import { FiringTime, judge, Observations, Verdict } from './verdict';

/** How to run. */
export interface RunOptions {
  /** Seconds between two polls. */
  readonly pollSeconds: number;
  /** Start even when an alarm is not in its steady state, or another experiment of the template is under way. */
  readonly force: boolean;
}

/** GetExperiment failures in a row (each already retried by the SDK) before giving up following. */
export const MAX_POLL_FAILURES = 5;

/** Resolves when the signal aborts; never without a signal. */
function whenAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Advice lines for the alarms of a finding: console, dashboard and runbook links. */
async function findingAdvice(aws: AwsSession, names: readonly string[], known: ReadonlyMap<string, AlarmStatus>): Promise<string[]> {
  const lines: string[] = [];
  const dashboards = new Set<string>();
  for (const name of names) {
    lines.push(`alarm ${name}: ${alarmConsoleUrl(aws.region, name)}`);
    const status = known.get(name);
    if (status) {
      const guidance = await alarmGuidance(aws.cloudWatch, status);
      if (guidance.runbook) lines.push(`runbook: ${guidance.runbook}`);
      if (guidance.dashboard && !dashboards.has(guidance.dashboard)) {
        dashboards.add(guidance.dashboard);
        lines.push(`dashboard ${guidance.dashboard}: ${dashboardConsoleUrl(aws.region, guidance.dashboard)}`);
      }
    }
  }
  return lines;
}

function summaryLines(aws: AwsSession, experiment: ExperimentView, order: readonly string[], elapsedMs: number): string[] {
  const id = experiment.id ?? '(unknown)';
  const seconds = experiment.startTime && experiment.endTime
    ? (experiment.endTime.getTime() - experiment.startTime.getTime()) / 1000 : elapsedMs / 1000;
  const rows: Array<[string, string]> = [
    ['experiment', `${id}${experiment.experimentTemplateId ? ` (template ${experiment.experimentTemplateId})` : ''}`],
    ['state', `${experiment.state?.status ?? 'unknown'}${experiment.state?.reason ? ` — ${experiment.state.reason}` : ''}`],
    ['duration', formatDuration(seconds)],
    ['console', experimentConsoleUrl(aws.region, id)],
  ];
  const lines = ['Summary', ...columns(rows), '  actions'];
  const actions = experiment.actions ?? {};
  const names = [...order.filter((n) => n in actions), ...Object.keys(actions).filter((n) => !order.includes(n))];
  lines.push(...columns(names.map((name): [string, string] => {
    const action = actions[name];
    const took = action.startTime && action.endTime
      ? ` (${formatDuration((action.endTime.getTime() - action.startTime.getTime()) / 1000)})` : '';
    return [name, `${action.state?.status ?? 'unknown'}${took}`];
  }), '    '));
  return lines;
}

/** Action states after which an action does nothing any more. */
const ACTION_OVER = new Set(['completed', 'cancelled', 'skipped', 'stopped', 'failed']);

/** Whether every action of the experiment is over (or the experiment itself). */
function actionsOver(experiment: ExperimentView): boolean {
  if (experiment.state?.status !== undefined && TERMINAL_STATUSES.has(experiment.state.status)) {
    return true;
  }
  const actions = Object.values(experiment.actions ?? {});
  return actions.length > 0 && actions.every((a) => a.state?.status !== undefined && ACTION_OVER.has(a.state.status));
}

/** When the last action ended, from GetExperiment's times. */
function lastActionEnd(experiment: ExperimentView): Date | undefined {
  const ends = Object.values(experiment.actions ?? {}).map((a) => a.endTime?.getTime()).filter((t): t is number => t !== undefined);
  return ends.length ? new Date(Math.max(...ends)) : experiment.endTime;
}

/**
 * Runs the experiment of `plan` (a deployed FIS template) and returns the exit code of its verdict.
 */
export async function runExperiment(io: CliIo, aws: AwsSession, plan: ExperimentPlan, options: RunOptions): Promise<number> {
  const busy = await concurrencyGate(io, aws, plan, options.force);
  if (busy !== undefined) {
    return busy;
  }
  const gate = await steadyStateGate(io, aws, plan, options.force);
  if (gate.exitCode !== undefined) {
    return gate.exitCode;
  }
  if (io.signal?.aborted) {
    println(io.stderr, 'interrupted before the start: nothing was started');
    return ExitCode.INTERRUPTED;
  }

  const context = { profile: aws.profile, env: io.env };
  const stopAlarms = stopConditionAlarms(plan);
  const watched = [...new Set([...stopAlarms, ...plan.actions.flatMap((a) => a.alarmNames)])];
  const order = executionOrder(plan.actions).map((a) => a.name);
  const t0 = io.now();
  const sinceStart = (at: Date): string => formatElapsed(at.getTime() - t0.getTime()).slice(1, -1);
  const elapsed = (): string => `[${sinceStart(io.now())}]`;
  const say = (text: string): void => println(io.stdout, `${elapsed()} ${text}`);

  if (io.state) io.state.starting = { templateId: plan.id, region: aws.region, profile: aws.profile };
  let started;
  try {
    started = await aws.fis.send(new StartExperimentCommand({ experimentTemplateId: plan.id, clientToken: randomUUID() }));
  } finally {
    if (io.state) io.state.starting = undefined;
  }
  const id = started.experiment?.id;
  if (!id) {
    throw new Error(`FIS returned no experiment id for template ${plan.id}`);
  }
  const tracked: StartedExperiment = {
    id,
    region: aws.region,
    profile: aws.profile,
    stopAcknowledged: false,
    ended: false,
    stop: async () => {
      await aws.fis.send(new StopExperimentCommand({ id }));
      tracked.stopAcknowledged = true;
    },
  };
  if (io.state) io.state.experiment = tracked;
  const consoleUrl = experimentConsoleUrl(aws.region, id);
  println(io.stdout);
  println(io.stdout, `Started experiment ${id} at ${formatTime(t0)}`);
  println(io.stdout, `  console: ${consoleUrl}`);
  println(io.stdout, '  Ctrl-C stops it (FIS ends the faults); a second Ctrl-C quits without waiting.');

  const aborted = whenAborted(io.signal);
  let stopRequested = false;
  let stoppedByYou = false;
  const pause = async (): Promise<void> => {
    const sleep = io.sleep(options.pollSeconds * 1000);
    await (stopRequested || !io.signal ? sleep : Promise.race([sleep, aborted]));
  };

  let previous: Snapshot | undefined;
  let experiment: ExperimentView | undefined;
  let failures = 0;
  let lastAlarmError: string | undefined;
  let lastAlarms = new Map<string, AlarmStatus>();
  /** Stop conditions that went into ALARM during the run, and when (undefined: unknown). */
  const fired = new Map<string, Date | undefined>();
  /** Stop conditions in ALARM since before the start (--force), as long as they stay there: no finding of this run. */
  const alarmingSinceStart = new Map(gate.alarmingAtStart);
  /** The first poll that saw every action over. */
  let actionsOverAt: Date | undefined;

  for (;;) {
    if (io.signal?.aborted && !stopRequested) {
      stopRequested = true;
      say(`stopping the experiment (${describeAbort(io.signal.reason)})`);
      // a stop condition that fired first stopped (or is stopping) the experiment, not you
      const alreadyStopping = fired.size > 0 || previous?.status === 'stopping';
      try {
        await tracked.stop();
        stoppedByYou = !alreadyStopping;
      } catch (err) {
        println(io.stderr, `could not stop experiment ${id}: ${explainError(err, context)}\nStop it in the console: ${consoleUrl}`);
      }
    }

    try {
      experiment = (await aws.fis.send(new GetExperimentCommand({ id }))).experiment as ExperimentView | undefined;
      failures = 0;
    } catch (err) {
      failures += 1;
      if (isPermanentAwsError(err) || failures >= MAX_POLL_FAILURES) {
        println(io.stderr, `lost track of experiment ${id}: ${explainError(err, context)}`);
        println(io.stderr, `It is still ${stopRequested ? 'stopping' : 'running'} in FIS (it ends by itself, or when a stop condition fires). `
          + `Follow it at ${consoleUrl} or with \`aws fis get-experiment --id ${id}\`; stop it with \`aws fis stop-experiment --id ${id}\`.`);
        return ExitCode.ERROR;
      }
      say(`could not read the experiment (${explainError(err, context)}); trying again in ${options.pollSeconds}s`);
      await pause();
      continue;
    }
    if (!experiment) {
      say('FIS returned no experiment; trying again');
      await pause();
      continue;
    }

    let alarms: Map<string, AlarmStatus> | undefined;
    if (watched.length) {
      try {
        alarms = await describeAlarmStates(aws.cloudWatch, watched);
        lastAlarms = alarms;
        lastAlarmError = undefined;
      } catch (err) {
        const message = explainError(err, context);
        if (message !== lastAlarmError) {
          say(`could not read the alarms (${message}); their states may be stale`);
          lastAlarmError = message;
        }
      }
    }
    const now = io.now();
    if (actionsOverAt === undefined && actionsOver(experiment)) {
      actionsOverAt = now;
    }
    const snapshot = takeSnapshot(experiment, watched, alarms, previous);
    for (const line of progressLines(previous, snapshot, order)) {
      say(line);
    }
    for (const name of stopAlarms) {
      const seen = snapshot.alarms[name];
      if (seen === undefined || seen === 'missing' || seen.state !== 'ALARM') {
        alarmingSinceStart.delete(name);
        continue;
      }
      if (fired.has(name)) {
        continue;
      }
      const status = alarms?.get(name);
      const atStart = alarmingSinceStart.get(name);
      if (atStart) {
        // still the ALARM of before the start, unless it entered ALARM again since
        const again = status?.since !== undefined && atStart.since !== undefined && status.since.getTime() > atStart.since.getTime();
        if (!again) {
          continue;
        }
        alarmingSinceStart.delete(name);
      }
      const since = status?.since;
      fired.set(name, since && since.getTime() >= t0.getTime() && since.getTime() <= now.getTime() ? since : now);
    }
    previous = snapshot;
    if (snapshot.status !== undefined && TERMINAL_STATUSES.has(snapshot.status)) {
      tracked.ended = true;
      break;
    }
    await pause();
  }

  const status = experiment.state?.status;
  if (((status === 'stopped' && !stoppedByYou) || status === 'completed') && fired.size === 0 && stopAlarms.length) {
    // an alarm may have fired and recovered between two polls: ask its history
    try {
      const start = experiment.startTime ?? t0;
      for (const firing of await alarmsThatFired(aws.cloudWatch, stopAlarms, start, io.now())) {
        fired.set(firing.name, firing.at);
      }
    } catch (err) {
      println(io.stderr, `warning: could not read the alarms' history: ${explainError(err, context)}`);
    }
  }

  const lastEnd = lastActionEnd(experiment) ?? actionsOverAt;
  const firedAt: Record<string, FiringTime> = {};
  for (const [name, at] of fired) {
    firedAt[name] = {
      elapsed: at ? sinceStart(at) : undefined,
      afterLastAction: at && lastEnd ? at.getTime() >= lastEnd.getTime() : undefined,
    };
  }
  const ran = experiment.actions ? normaliseExperimentTemplate(id, 'fis', experiment) : plan;
  const observed: Observations = {
    stoppedByYou,
    firedStopConditions: stopAlarms.filter((n) => fired.has(n)),
    firedAt,
    alarmingAtStart: stopAlarms.filter((n) => gate.alarmingAtStart.has(n) && !fired.has(n)),
  };
  let verdict: Verdict = judge(ran, experiment, observed);
  if (verdict.kind === 'finding') {
    const failedChecks = ran.actions.filter((a) => experiment!.actions?.[a.name]?.state?.status === 'failed').flatMap((a) => a.alarmNames);
    const names = [...new Set([...observed.firedStopConditions, ...failedChecks])];
    verdict = judge(ran, experiment, { ...observed, findingAdvice: await findingAdvice(aws, names, lastAlarms) });
  }

  println(io.stdout);
  for (const line of summaryLines(aws, experiment, order, io.now().getTime() - t0.getTime())) {
    println(io.stdout, line);
  }
  println(io.stdout);
  println(io.stdout, verdict.headline);
  for (const line of verdict.details) {
    println(io.stdout, `  ${line}`);
  }
  return verdict.exitCode;
}
