/**
 * The checks before StartExperiment: no other experiment of the template is under way, and the
 * alarms are in the state the experiment needs (the stop conditions not in ALARM, the alarms of the
 * template's first steady-state check in the states it asserts). Each refuses with exit 3 unless
 * `--force` is given.
 *
 * FIS facts used here:
 * - `ListExperiments` is paginated (`maxResults` ≤ 100, `nextToken`); @aws-sdk/client-fis 3.523 has
 *   no `experimentTemplateId` filter on it, so the experiments are filtered here.
 * - An experiment is under way while its status is pending, initiating, running or stopping.
 * - `aws:cloudwatch:assert-alarm-state` fails the experiment when an alarm of `alarmArns` is not in
 *   one of `alarmStates` (a comma-separated list; cdk-reliability synthesizes `OK`).
 */
import { ListExperimentsCommand } from '@aws-sdk/client-fis';
import type { AwsSession } from '../aws';
import { CliError, explainError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, println } from '../io';
import { formatTime } from '../render';
import { AlarmStatus, describeAlarmStates } from './alarms';
import { ACTION_IDS, ExperimentPlan, PlanAction, stopConditionAlarms } from './model';
import { joinAnd } from '../../private/format';

/** Experiment statuses of an experiment still under way (its faults may be active). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['pending', 'initiating', 'running', 'stopping']);

/** An experiment of the template that is under way. */
export interface ActiveExperiment {
  readonly id: string;
  readonly status: string;
  /** @default - unknown */
  readonly since?: Date;
}

/** The experiments of a template that are under way, from every page of ListExperiments. */
export async function activeExperimentsOf(aws: AwsSession, templateId: string): Promise<ActiveExperiment[]> {
  const active: ActiveExperiment[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.fis.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
    for (const experiment of page?.experiments ?? []) {
      const status = experiment.state?.status as string | undefined;
      if (experiment.experimentTemplateId === templateId && experiment.id && status && ACTIVE_STATUSES.has(status)) {
        active.push({ id: experiment.id, status, since: experiment.creationTime });
      }
    }
    nextToken = page?.nextToken ?? undefined;
  } while (nextToken);
  return active;
}

/**
 * Refuses to start (exit 3) while another experiment of the template is under way, unless forced:
 * a manual run overlapping the scheduled game day would double the fault. Returns undefined to go on.
 */
export async function concurrencyGate(io: CliIo, aws: AwsSession, plan: ExperimentPlan, force: boolean): Promise<number | undefined> {
  let active: ActiveExperiment[];
  try {
    active = await activeExperimentsOf(aws, plan.id);
  } catch (err) {
    const why = explainError(err, { profile: aws.profile, env: io.env });
    if (!force) {
      throw new CliError(`could not check whether an experiment of template ${plan.id} is already running: ${why}\n`
        + 'Nothing was started (pass --force to start without this check).');
    }
    println(io.stderr, `warning: --force: could not check whether an experiment of template ${plan.id} is already running: ${why}`);
    return undefined;
  }
  if (active.length === 0) {
    return undefined;
  }
  const lines = active.map((e) => `experiment ${e.id} of this template is already ${e.status}`
    + `${e.since ? ` since ${formatTime(e.since)}` : ''}`);
  if (!force) {
    for (let i = 0; i < active.length; i++) {
      println(io.stderr, `${lines[i]}: wait for it or stop it with \`aws fis stop-experiment --id ${active[i].id}\``);
    }
    println(io.stderr, 'Starting another one would add its faults to those already injected. Nothing was started '
      + '(pass --force to start anyway).');
    return ExitCode.NOT_STEADY;
  }
  for (const line of lines) {
    println(io.stderr, `warning: --force: starting although ${line}: the faults of both will add up`);
  }
  return undefined;
}

/** What the alarms must be before the start, and why. */
interface Requirement {
  /** States the alarm may be in; undefined: anything but ALARM. */
  readonly allowed?: readonly string[];
  /** The steady-state checks asking for `allowed`. */
  readonly checks: readonly string[];
  readonly stopCondition: boolean;
}

/** `OK, insufficient_data` → `['OK', 'INSUFFICIENT_DATA']`. */
export function parseAlarmStates(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0);
}

/**
 * The template's steady-state checks: `aws:cloudwatch:assert-alarm-state` actions that start
 * first (no `startAfter`), with the alarm states they require.
 */
export function steadyStateChecks(plan: ExperimentPlan): Array<{ readonly action: PlanAction; readonly states: readonly string[] }> {
  return plan.actions
    .filter((a) => a.actionId === ACTION_IDS.assertAlarmState && a.startAfter.length === 0)
    .map((action) => ({ action, states: parseAlarmStates(action.parameters.alarmStates) }))
    .filter((check) => check.states.length > 0);
}

function requirements(plan: ExperimentPlan): Map<string, Requirement> {
  const out = new Map<string, Requirement>();
  for (const name of stopConditionAlarms(plan)) {
    out.set(name, { checks: [], stopCondition: true });
  }
  for (const { action, states } of steadyStateChecks(plan)) {
    for (const name of action.alarmNames) {
      const before = out.get(name);
      const allowed = before?.allowed ? before.allowed.filter((s) => states.includes(s)) : states;
      out.set(name, { allowed, checks: [...(before?.checks ?? []), action.name], stopCondition: before?.stopCondition ?? false });
    }
  }
  return out;
}

function violates(requirement: Requirement, state: string): boolean {
  if (requirement.stopCondition && state === 'ALARM') {
    return true;
  }
  return requirement.allowed !== undefined && !requirement.allowed.includes(state);
}

function requiredText(requirement: Requirement): string {
  if (requirement.allowed !== undefined) {
    const states = requirement.allowed.length ? requirement.allowed.join(' or ') : 'states that exclude each other';
    return `${joinAnd(requirement.checks)} requires ${states}`;
  }
  return 'a stop condition must not be in ALARM';
}

/** What the gate found. */
export interface GateResult {
  /** Exit code when the experiment must not start. @default - go on */
  readonly exitCode?: number;
  /**
   * Stop-condition alarms already in ALARM (started with --force), with the time they entered it:
   * not a finding of this experiment unless they go into ALARM again.
   */
  readonly alarmingAtStart: ReadonlyMap<string, AlarmStatus>;
}

/**
 * Refuses to start (exit 3), unless forced, when an alarm is not in the state the experiment
 * needs: a stop condition in ALARM (FIS would stop the experiment at once: customers are already
 * hurting), or an alarm of the first steady-state check not in its `alarmStates` (FIS would fail
 * the experiment before any fault).
 */
export async function steadyStateGate(io: CliIo, aws: AwsSession, plan: ExperimentPlan, force: boolean): Promise<GateResult> {
  const required = requirements(plan);
  const names = [...required.keys()];
  if (stopConditionAlarms(plan).length === 0) {
    println(io.stderr, 'warning: the experiment has no stop conditions: nothing stops it if customers are hurt');
  }
  if (names.length === 0) {
    return { alarmingAtStart: new Map() };
  }
  const states = await describeAlarmStates(aws.cloudWatch, names);
  const missing = names.filter((name) => !states.has(name));
  if (missing.length) {
    println(io.stderr, `warning: alarm${missing.length > 1 ? 's' : ''} ${joinAnd(missing)} not found in ${aws.region} `
      + '(check --region, or deploy the stack again): an alarm that does not exist cannot stop the experiment '
      + 'or pass a steady-state check');
  }
  const alarmingAtStart = new Map<string, AlarmStatus>();
  const offending: Array<{ status: AlarmStatus; requirement: Requirement }> = [];
  for (const name of names) {
    const status = states.get(name);
    const requirement = required.get(name)!;
    if (!status) continue;
    if (requirement.stopCondition && status.state === 'ALARM') {
      alarmingAtStart.set(name, status);
    }
    if (violates(requirement, status.state)) {
      offending.push({ status, requirement });
    }
  }
  if (offending.length === 0) {
    return { alarmingAtStart };
  }
  const what = joinAnd(offending.map(({ status, requirement }) =>
    `${status.name} is in ${status.state}${status.since ? ` since ${formatTime(status.since)}` : ''} (${requiredText(requirement)})`));
  const hurting = offending.some(({ status }) => status.state === 'ALARM');
  const insufficient = offending.some(({ status }) => status.state === 'INSUFFICIENT_DATA');
  if (!force) {
    const why = hurting
      ? 'customers are already hurting; fix that first'
      : 'FIS would fail the experiment at its steady-state check, before any fault'
        + (insufficient ? '; an alarm without recent data points is in INSUFFICIENT_DATA: send traffic, or wait until it evaluates' : '');
    println(io.stderr, `steady state not met: ${what} — ${why} (or pass --force to start anyway). Nothing was started.`);
    return { exitCode: ExitCode.NOT_STEADY, alarmingAtStart };
  }
  const consequence = alarmingAtStart.size
    ? 'FIS will likely stop the experiment at once'
    : 'the steady-state check will likely fail the experiment before any fault';
  println(io.stderr, `warning: --force: starting although ${what}; ${consequence}`);
  return { alarmingAtStart };
}
