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
  const run = new ExperimentRun(io, aws, plan, options, gate.alarmingAtStart);
  await run.start();
  const lost = await run.follow();
  if (lost !== undefined) {
    return lost;
  }
  await run.recoverMissedFirings();
  const verdict = await run.judge();
  run.printOutcome(verdict);
  return verdict.exitCode;
}

/** One experiment from StartExperiment to its verdict: what was seen while following it. */
class ExperimentRun {
  private readonly context: { profile?: string; env: CliIo['env'] };
  private readonly stopAlarms: string[];
  /** Stop conditions and the alarms the checks assert. */
  private readonly watched: string[];
  /** The actions' names in the order they run. */
  private readonly order: string[];
  private readonly t0: Date;
  private readonly aborted: Promise<void>;
  private tracked!: StartedExperiment;
  private consoleUrl = '';
  private stopRequested = false;
  private stoppedByYou = false;
  private previous: Snapshot | undefined;
  private experiment: ExperimentView | undefined;
  private failures = 0;
  private lastAlarmError: string | undefined;
  private lastAlarms = new Map<string, AlarmStatus>();
  /** Stop conditions that went into ALARM during the run, and when (undefined: unknown). */
  private readonly fired = new Map<string, Date | undefined>();
  /** Stop conditions in ALARM since before the start (--force), as long as they stay there: no finding of this run. */
  private readonly alarmingSinceStart: Map<string, AlarmStatus>;
  /** The first poll that saw every action over. */
  private actionsOverAt: Date | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly aws: AwsSession,
    private readonly plan: ExperimentPlan,
    private readonly options: RunOptions,
    private readonly alarmingAtStart: ReadonlyMap<string, AlarmStatus>,
  ) {
    this.context = { profile: aws.profile, env: io.env };
    this.stopAlarms = stopConditionAlarms(plan);
    this.watched = [...new Set([...this.stopAlarms, ...plan.actions.flatMap((a) => a.alarmNames)])];
    this.order = executionOrder(plan.actions).map((a) => a.name);
    this.t0 = io.now();
    this.alarmingSinceStart = new Map(alarmingAtStart);
    this.aborted = whenAborted(io.signal);
  }

  /** StartExperiment, tracked in the CLI's state so that a signal handler can stop it. */
  public async start(): Promise<void> {
    const { io, aws, plan } = this;
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
    this.tracked = tracked;
    if (io.state) io.state.experiment = tracked;
    this.consoleUrl = experimentConsoleUrl(aws.region, id);
    println(io.stdout);
    println(io.stdout, `Started experiment ${id} at ${formatTime(this.t0)}`);
    println(io.stdout, `  console: ${this.consoleUrl}`);
    println(io.stdout, '  Ctrl-C stops it (FIS ends the faults); a second Ctrl-C quits without waiting.');
  }

  /**
   * Polls the experiment and the alarms until the experiment ends, saying what changes; stops it
   * once when interrupted. Returns an exit code only when it lost track of the experiment.
   */
  public async follow(): Promise<number | undefined> {
    for (;;) {
      await this.stopWhenInterrupted();
      const read = await this.readExperiment();
      if (read === 'lost') {
        return ExitCode.ERROR;
      }
      if (read === 'again') {
        await this.pause();
        continue;
      }
      const alarms = await this.readAlarms();
      const now = this.io.now();
      if (this.actionsOverAt === undefined && actionsOver(read)) {
        this.actionsOverAt = now;
      }
      const snapshot = takeSnapshot(read, this.watched, alarms, this.previous);
      for (const line of progressLines(this.previous, snapshot, this.order)) {
        this.say(line);
      }
      this.recordFirings(snapshot, alarms, now);
      this.previous = snapshot;
      if (snapshot.status !== undefined && TERMINAL_STATUSES.has(snapshot.status)) {
        this.tracked.ended = true;
        return undefined;
      }
      await this.pause();
    }
  }

  /** An alarm may have fired and recovered between two polls: ask its history when the run looks clean. */
  public async recoverMissedFirings(): Promise<void> {
    const experiment = this.experiment!;
    const status = experiment.state?.status;
    if (((status === 'stopped' && !this.stoppedByYou) || status === 'completed') && this.fired.size === 0 && this.stopAlarms.length) {
      try {
        const start = experiment.startTime ?? this.t0;
        for (const firing of await alarmsThatFired(this.aws.cloudWatch, this.stopAlarms, start, this.io.now())) {
          this.fired.set(firing.name, firing.at);
        }
      } catch (err) {
        println(this.io.stderr, `warning: could not read the alarms' history: ${explainError(err, this.context)}`);
      }
    }
  }

  /** The verdict on what was observed, with links and runbooks for a finding. */
  public async judge(): Promise<Verdict> {
    const experiment = this.experiment!;
    const lastEnd = lastActionEnd(experiment) ?? this.actionsOverAt;
    const firedAt: Record<string, FiringTime> = {};
    for (const [name, at] of this.fired) {
      firedAt[name] = {
        elapsed: at ? this.sinceStart(at) : undefined,
        afterLastAction: at && lastEnd ? at.getTime() >= lastEnd.getTime() : undefined,
      };
    }
    const ran = experiment.actions ? normaliseExperimentTemplate(this.tracked.id, 'fis', experiment) : this.plan;
    const observed: Observations = {
      stoppedByYou: this.stoppedByYou,
      firedStopConditions: this.stopAlarms.filter((n) => this.fired.has(n)),
      firedAt,
      alarmingAtStart: this.stopAlarms.filter((n) => this.alarmingAtStart.has(n) && !this.fired.has(n)),
    };
    const verdict = judge(ran, experiment, observed);
    if (verdict.kind !== 'finding') {
      return verdict;
    }
    const failedChecks = ran.actions.filter((a) => experiment.actions?.[a.name]?.state?.status === 'failed').flatMap((a) => a.alarmNames);
    const names = [...new Set([...observed.firedStopConditions, ...failedChecks])];
    return judge(ran, experiment, { ...observed, findingAdvice: await findingAdvice(this.aws, names, this.lastAlarms) });
  }

  /** The summary of the experiment and its actions, then the verdict. */
  public printOutcome(verdict: Verdict): void {
    const { io } = this;
    println(io.stdout);
    for (const line of summaryLines(this.aws, this.experiment!, this.order, io.now().getTime() - this.t0.getTime())) {
      println(io.stdout, line);
    }
    println(io.stdout);
    println(io.stdout, verdict.headline);
    for (const line of verdict.details) {
      println(io.stdout, `  ${line}`);
    }
  }

  /** On the first interrupt: StopExperiment, once. */
  private async stopWhenInterrupted(): Promise<void> {
    const { io } = this;
    if (!io.signal?.aborted || this.stopRequested) {
      return;
    }
    this.stopRequested = true;
    this.say(`stopping the experiment (${describeAbort(io.signal.reason)})`);
    // a stop condition that fired first stopped (or is stopping) the experiment, not you
    const alreadyStopping = this.fired.size > 0 || this.previous?.status === 'stopping';
    try {
      await this.tracked.stop();
      this.stoppedByYou = !alreadyStopping;
    } catch (err) {
      println(io.stderr, `could not stop experiment ${this.tracked.id}: ${explainError(err, this.context)}\nStop it in the console: ${this.consoleUrl}`);
    }
  }

  /** GetExperiment: the experiment, `again` after a failure worth retrying, `lost` after too many. */
  private async readExperiment(): Promise<ExperimentView | 'again' | 'lost'> {
    const { io, tracked: { id } } = this;
    try {
      this.experiment = (await this.aws.fis.send(new GetExperimentCommand({ id }))).experiment as ExperimentView | undefined;
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      if (isPermanentAwsError(err) || this.failures >= MAX_POLL_FAILURES) {
        println(io.stderr, `lost track of experiment ${id}: ${explainError(err, this.context)}`);
        println(io.stderr, `It is still ${this.stopRequested ? 'stopping' : 'running'} in FIS (it ends by itself, or when a stop condition fires). `
          + `Follow it at ${this.consoleUrl} or with \`aws fis get-experiment --id ${id}\`; stop it with \`aws fis stop-experiment --id ${id}\`.`);
        return 'lost';
      }
      this.say(`could not read the experiment (${explainError(err, this.context)}); trying again in ${this.options.pollSeconds}s`);
      return 'again';
    }
    if (!this.experiment) {
      this.say('FIS returned no experiment; trying again');
      return 'again';
    }
    return this.experiment;
  }

  /** The watched alarms' states; `undefined` when they could not be read (said once per distinct error). */
  private async readAlarms(): Promise<Map<string, AlarmStatus> | undefined> {
    if (!this.watched.length) {
      return undefined;
    }
    try {
      const alarms = await describeAlarmStates(this.aws.cloudWatch, this.watched);
      this.lastAlarms = alarms;
      this.lastAlarmError = undefined;
      return alarms;
    } catch (err) {
      const message = explainError(err, this.context);
      if (message !== this.lastAlarmError) {
        this.say(`could not read the alarms (${message}); their states may be stale`);
        this.lastAlarmError = message;
      }
      return undefined;
    }
  }

  /** Stop conditions seen in ALARM that were not already in ALARM before the start, and when they fired. */
  private recordFirings(snapshot: Snapshot, alarms: Map<string, AlarmStatus> | undefined, now: Date): void {
    for (const name of this.stopAlarms) {
      const seen = snapshot.alarms[name];
      if (seen === undefined || seen === 'missing' || seen.state !== 'ALARM') {
        this.alarmingSinceStart.delete(name);
        continue;
      }
      if (this.fired.has(name)) {
        continue;
      }
      const status = alarms?.get(name);
      const atStart = this.alarmingSinceStart.get(name);
      if (atStart) {
        // still the ALARM of before the start, unless it entered ALARM again since
        const again = status?.since !== undefined && atStart.since !== undefined && status.since.getTime() > atStart.since.getTime();
        if (!again) {
          continue;
        }
        this.alarmingSinceStart.delete(name);
      }
      const since = status?.since;
      this.fired.set(name, since && since.getTime() >= this.t0.getTime() && since.getTime() <= now.getTime() ? since : now);
    }
  }

  /** Waits for the next poll; an interrupt cuts the wait short (once). */
  private async pause(): Promise<void> {
    const sleep = this.io.sleep(this.options.pollSeconds * 1000);
    await (this.stopRequested || !this.io.signal ? sleep : Promise.race([sleep, this.aborted]));
  }

  /** `1:05` since the start. */
  private sinceStart(at: Date): string {
    return formatElapsed(at.getTime() - this.t0.getTime()).slice(1, -1);
  }

  /** A progress line, prefixed with the time since the start. */
  private say(text: string): void {
    println(this.io.stdout, `[${this.sinceStart(this.io.now())}] ${text}`);
  }
}
