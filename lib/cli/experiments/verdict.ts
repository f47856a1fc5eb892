/**
 * What a finished experiment means for the service, and the exit code that says it. Pure.
 *
 * From the FIS documentation:
 * - An experiment ends when all actions completed (`completed`), a stop condition is triggered
 *   (`stopped`), an action cannot be completed because of an error (`failed`), or it is stopped
 *   manually with StopExperiment (`stopped`). Stopped-by-stop-condition and stopped-by-a-person
 *   share the status; the only difference is in `state.reason`, which is free text that "should
 *   not be used for automation as it may change". So the CLI decides from what it saw itself: its
 *   own StopExperiment call, and the stop-condition alarms' states (polled, and their history).
 * - When an experiment failed, `state.error` gives `code` (ConfigurationFailure,
 *   DependentServiceFailure, InternalFailure, InvalidTarget, AuthorizationFailure,
 *   QuotaExceededFailure...), `location` (the part of the template that failed, e.g. an action or
 *   target) and `accountId`; when several actions fail, the first one is the experiment's error.
 * - `aws:cloudwatch:assert-alarm-state` fails when an alarm in `alarmArns` is not in one of
 *   `alarmStates`.
 */
import { formatDuration } from '../render';
import { ACTION_IDS, ExperimentPlan, PlanAction } from './model';
import type { ExperimentView } from './progress';
import { parseIsoDuration, predecessors } from './schedule';
import { ExitCode } from '../exit-codes';
import { joinAnd } from '../../private/format';

export type VerdictKind = 'passed' | 'finding' | 'failed' | 'stopped-by-you' | 'stopped' | 'inconclusive' | 'cancelled' | 'unknown';

export interface Verdict {
  readonly kind: VerdictKind;
  readonly exitCode: number;
  /** `PASSED: ...`, `FINDING: ...`, `FAILED: ...`. */
  readonly headline: string;
  /** What to look at, what to do. */
  readonly details: readonly string[];
}

/** What the CLI observed while the experiment ran. */
export interface Observations {
  /** The CLI called StopExperiment because you pressed Ctrl-C. */
  readonly stoppedByYou: boolean;
  /**
   * Stop-condition alarms that went into ALARM during the run (polled, or in their state history).
   * Not those already in ALARM at the start (`alarmingAtStart`), unless they went into ALARM again.
   */
  readonly firedStopConditions: readonly string[];
  /** When the fired stop conditions went into ALARM, by name. @default - unknown */
  readonly firedAt?: Readonly<Record<string, FiringTime>>;
  /** Stop-condition alarms already in ALARM when the experiment was started (with --force). @default - none */
  readonly alarmingAtStart?: readonly string[];
  /** Lines of advice for the fired alarms (console links, dashboard, runbook). @default - none */
  readonly findingAdvice?: readonly string[];
}

/** When a stop condition went into ALARM. */
export interface FiringTime {
  /** Since the start, as `mm:ss`. @default - unknown */
  readonly elapsed?: string;
  /** Whether it was after the experiment's last action had ended. @default - unknown */
  readonly afterLastAction?: boolean;
}

/** What to do about an FIS error code (user guide, "Troubleshoot AWS FIS"). */
const ERROR_CODE_ADVICE: Readonly<Record<string, string>> = {
  ConfigurationFailure: 'an action, target, experiment or log configuration is not right: check the parameters at the error location',
  DependentServiceFailure: 'another AWS service failed: run the experiment again',
  InternalFailure: 'FIS failed internally: run the experiment again',
  InvalidTarget: 'a target did not resolve to any resource (deleted, wrong ARN or tags, or an action without a target): '
    + 'check the experiment log, and deploy the stack again if resources were replaced',
  AuthorizationFailure: 'the experiment role lacks a permission the action needs (see the FIS actions reference), '
    + 'or a service control policy blocks FIS\'s service-linked role',
  QuotaExceededFailure: 'an FIS quota for this resource type was exceeded: see the FIS quotas and limits',
};

const NOT_STARTED = new Set([undefined, 'pending', 'cancelled', 'skipped']);

const isFault = (action: PlanAction): boolean =>
  action.actionId !== ACTION_IDS.assertAlarmState && action.actionId !== ACTION_IDS.wait;

function failureDetails(experiment: ExperimentView): string[] {
  const details: string[] = [];
  const error = experiment.state?.error;
  if (error && (error.code || error.location)) {
    const where = error.location ? ` at ${error.location}` : '';
    const account = error.accountId ? ` (account ${error.accountId})` : '';
    details.push(`error ${error.code ?? '(no code)'}${where}${account}`);
    if (error.code && ERROR_CODE_ADVICE[error.code]) {
      details.push(`→ ${ERROR_CODE_ADVICE[error.code]}`);
    }
  }
  for (const [name, action] of Object.entries(experiment.actions ?? {})) {
    if (action.state?.status === 'failed') {
      details.push(`action ${name} (${action.actionId ?? 'unknown action'}) failed: ${action.state.reason ?? 'no reason given'}`);
    }
  }
  return details;
}

/** The longest `aws:fis:wait` among the actions a check directly waits for, as `5m`. */
function settleTime(plan: ExperimentPlan, check: PlanAction): string | undefined {
  const waits = check.startAfter
    .map((name) => plan.actions.find((a) => a.name === name))
    .filter((a): a is PlanAction => a !== undefined && a.actionId === ACTION_IDS.wait && a.duration !== undefined)
    .map((a) => parseIsoDuration(a.duration!))
    .filter((s): s is number => s !== undefined);
  return waits.length ? formatDuration(Math.max(...waits)) : undefined;
}

function alarmsOf(check: PlanAction): string {
  return check.alarmNames.length ? joinAnd(check.alarmNames) : 'its alarms';
}

/** `stop condition X was` / `stop conditions X and Y were`. */
function stopConditions(names: readonly string[]): string {
  return names.length > 1 ? `stop conditions ${joinAnd(names)} were` : `stop condition ${names[0]} was`;
}

/** A completed experiment during which a stop condition went into ALARM: FIS did not stop it. */
function completedWithFiring(observed: Observations, fis: readonly string[]): Verdict {
  const names = observed.firedStopConditions;
  const when = names.map((name) => observed.firedAt?.[name] ?? {});
  const parts = names.map((name, i) => {
    const at = when[i].elapsed ? ` at ${when[i].elapsed}` : '';
    const why = when[i].afterLastAction === true ? ' (after the last action)'
      : when[i].afterLastAction === false ? ' (FIS did not stop in time)' : '';
    return `${name} went to ALARM${at}${why}`;
  });
  const advice: string[] = [];
  if (when.some((w) => w.afterLastAction === true)) {
    advice.push('The harm showed after the last action, when FIS no longer watched its stop conditions: lengthen the settle time '
      + 'or end with an alarm check (aws:cloudwatch:assert-alarm-state) so that the experiment catches it, and fix the weakness the fault exposed.');
  }
  if (when.some((w) => w.afterLastAction !== true)) {
    advice.push('FIS did not stop the experiment although the alarm was in ALARM while it ran: check that the alarm is a stop '
      + 'condition of the template, find what broke on the dashboard and in the alarm history, and fix the weakness the fault exposed.');
  }
  return {
    kind: 'finding',
    exitCode: ExitCode.FINDING,
    headline: `FINDING: the experiment completed, but stop condition${names.length > 1 ? 's' : ''} ${joinAnd(parts)}: customers were hurt.`,
    details: [...fis, ...(observed.findingAdvice ?? []), ...advice],
  };
}

/**
 * The verdict on a finished experiment. `plan` is the experiment's own definition (its actions
 * with `startAfter`), used to tell a steady-state check before the faults from a recovery check
 * after them.
 */
export function judge(plan: ExperimentPlan, experiment: ExperimentView, observed: Observations): Verdict {
  const status = experiment.state?.status;
  const reason = experiment.state?.reason;
  const fis = reason ? [`FIS: ${reason}`] : [];
  const alarmingAtStart = (observed.alarmingAtStart ?? []).filter((name) => !observed.firedStopConditions.includes(name));
  switch (status) {
    case 'completed': {
      if (observed.firedStopConditions.length) {
        return completedWithFiring(observed, fis);
      }
      if (alarmingAtStart.length) {
        return {
          kind: 'inconclusive',
          exitCode: ExitCode.ERROR,
          headline: `INCONCLUSIVE: the experiment completed, but ${stopConditions(alarmingAtStart)} already in ALARM at the start; `
            + 'nothing was learned',
          details: [...fis, 'Bring the alarm back to OK, then run the game day again.'],
        };
      }
      return {
        kind: 'passed',
        exitCode: ExitCode.OK,
        headline: 'PASSED: the experiment completed and the steady state held (stop conditions never fired)',
        details: [],
      };
    }
    case 'stopped':
      if (observed.stoppedByYou) {
        const alarms = [
          ...(observed.firedStopConditions.length
            ? [`note: ${joinAnd(observed.firedStopConditions)} went into ALARM before the experiment stopped`] : []),
          ...(alarmingAtStart.length ? [`note: ${joinAnd(alarmingAtStart)} was already in ALARM at the start`] : []),
        ];
        return {
          kind: 'stopped-by-you',
          exitCode: ExitCode.INTERRUPTED,
          headline: 'STOPPED by you: the experiment was stopped before it finished; no verdict',
          details: [...alarms, ...fis],
        };
      }
      if (observed.firedStopConditions.length) {
        return {
          kind: 'finding',
          exitCode: ExitCode.FINDING,
          headline: `FINDING: stopped by stop condition ${joinAnd(observed.firedStopConditions)} in ALARM: customers would have been hurt.`,
          details: [
            ...fis,
            ...(observed.findingAdvice ?? []),
            'Find what broke on the dashboard and in the alarm history, follow the runbook, fix the weakness the fault '
              + 'exposed (timeouts, retries, fallbacks, capacity), then run the game day again.',
          ],
        };
      }
      if (alarmingAtStart.length) {
        return {
          kind: 'stopped',
          exitCode: ExitCode.ERROR,
          headline: `STOPPED: ${stopConditions(alarmingAtStart)} already in ALARM at the start; nothing was learned`,
          details: [...fis, '--force started the experiment while customers were already hurting, so FIS stopped it. '
            + 'Bring the alarm back to OK, then run the game day again.'],
        };
      }
      return {
        kind: 'stopped',
        exitCode: ExitCode.ERROR,
        headline: 'STOPPED: FIS stopped the experiment, but none of its stop-condition alarms went into ALARM',
        details: [...fis, 'Was it stopped from the console or the API by someone else? No verdict.'],
      };
    case 'failed': {
      const failedChecks = plan.actions.filter((a) =>
        a.actionId === ACTION_IDS.assertAlarmState && experiment.actions?.[a.name]?.state?.status === 'failed');
      const afterFaults = failedChecks.find((check) =>
        [...predecessors(plan.actions, check.name)].some((name) => isFault(plan.actions.find((a) => a.name === name)!)));
      if (afterFaults) {
        const settle = settleTime(plan, afterFaults);
        return {
          kind: 'finding',
          exitCode: ExitCode.FINDING,
          headline: `FINDING: the service did not recover within the settle time${settle ? ` (${settle})` : ''}: `
            + `${alarmsOf(afterFaults)} not back to ${afterFaults.parameters.alarmStates ?? 'the expected state'} when ${afterFaults.name} checked.`,
          details: [
            ...fis,
            ...failureDetails(experiment),
            ...(observed.findingAdvice ?? []),
            'Customers would have kept hurting after the fault ended: find out what kept the service down (caches, '
              + 'circuit breakers, scaling, stuck retries), or lengthen the settle time if recovery is legitimately slower.',
          ],
        };
      }
      if (failedChecks.length) {
        const check = failedChecks[0];
        const faults = plan.actions.filter(isFault);
        const injected = faults.some((f) => !NOT_STARTED.has(experiment.actions?.[f.name]?.state?.status));
        return {
          kind: 'failed',
          exitCode: ExitCode.ERROR,
          headline: `FAILED: steady state not met before the fault: ${alarmsOf(check)} not in `
            + `${check.parameters.alarmStates ?? 'the expected state'} when ${check.name} checked`
            + (injected ? '' : '; no fault was injected'),
          details: [...fis, ...failureDetails(experiment), 'Bring the service back to its steady state, then run the game day again.'],
        };
      }
      return {
        kind: 'failed',
        exitCode: ExitCode.ERROR,
        headline: `FAILED: ${reason ?? 'FIS gave no reason'}`,
        details: failureDetails(experiment),
      };
    }
    case 'cancelled':
      return { kind: 'cancelled', exitCode: ExitCode.ERROR, headline: `CANCELLED: ${reason ?? 'FIS gave no reason'}`, details: [] };
    default:
      return { kind: 'unknown', exitCode: ExitCode.ERROR, headline: `UNKNOWN: the experiment ended in state ${status ?? '(none)'}`, details: fis };
  }
}
