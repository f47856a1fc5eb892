/**
 * Following a running experiment: what `GetExperiment` says (experiment state, each action's
 * state) and the watched alarms' states, as snapshots, and the lines to print when something
 * changed between two snapshots. Pure.
 *
 * FIS API facts used here (API reference, ExperimentState / ExperimentActionState):
 * - experiment `state.status`: pending | initiating | running | completed | stopping | stopped |
 *   failed | cancelled; `state.reason` is free text; `state.error` ({ accountId, code, location })
 *   is set when the experiment failed.
 * - action `state.status`: pending | initiating | running | completed | cancelled | stopping |
 *   stopped | failed | skipped, with a free-text `reason`.
 * The SDK's own enums may lag behind (older clients lack `cancelled` and `error`); the JSON is
 * passed through, so the CLI types these fields itself.
 */
import { truncate } from '../render';
import type { AlarmStatus } from './alarms';

/** `ExperimentError`: set when the experiment failed. */
export interface ExperimentErrorView {
  readonly accountId?: string;
  readonly code?: string;
  readonly location?: string;
}

export interface ExperimentStateView {
  readonly status?: string;
  readonly reason?: string;
  readonly error?: ExperimentErrorView;
}

export interface ExperimentActionView {
  readonly actionId?: string;
  readonly state?: { readonly status?: string; readonly reason?: string };
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** The parts of `GetExperiment`'s `experiment` the CLI reads. */
export interface ExperimentView {
  readonly id?: string;
  readonly experimentTemplateId?: string;
  readonly state?: ExperimentStateView;
  readonly actions?: Readonly<Record<string, ExperimentActionView>>;
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** Experiment states after which nothing changes any more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'stopped', 'failed', 'cancelled']);

/** Action states worth their reason on the progress line. */
const EXPLAINED_ACTION_STATUSES = new Set(['failed', 'stopped', 'cancelled', 'skipped']);

/** What was seen at one poll. */
export interface Snapshot {
  readonly status?: string;
  readonly reason?: string;
  readonly actions: Readonly<Record<string, { readonly status?: string; readonly reason?: string }>>;
  /** Watched alarms; `missing` when CloudWatch does not know the alarm. */
  readonly alarms: Readonly<Record<string, { readonly state: string; readonly reason?: string } | 'missing'>>;
}

/**
 * The snapshot of one poll. `alarms` is undefined when they could not be read this time: the
 * previous snapshot's alarm states are kept.
 */
export function takeSnapshot(
  experiment: ExperimentView,
  watchedAlarms: readonly string[],
  alarms: ReadonlyMap<string, AlarmStatus> | undefined,
  previous: Snapshot | undefined,
): Snapshot {
  const actions: Record<string, { status?: string; reason?: string }> = {};
  for (const [name, action] of Object.entries(experiment.actions ?? {})) {
    actions[name] = { status: action.state?.status, reason: action.state?.reason };
  }
  let alarmStates: Snapshot['alarms'] = previous?.alarms ?? {};
  if (alarms) {
    const next: Record<string, { state: string; reason?: string } | 'missing'> = {};
    for (const name of watchedAlarms) {
      const alarm = alarms.get(name);
      next[name] = alarm ? { state: alarm.state, reason: alarm.reason } : 'missing';
    }
    alarmStates = next;
  }
  return { status: experiment.state?.status, reason: experiment.state?.reason, actions, alarms: alarmStates };
}

const withReason = (text: string, reason: string | undefined): string =>
  (reason ? `${text} — ${truncate(reason, 200)}` : text);

/**
 * The lines describing what changed since the previous snapshot (everything, for the first one),
 * in causal order: alarms first, then the experiment while it runs, then actions in execution
 * order, then the experiment's final state. Actions still pending at the first sight are not listed.
 */
export function progressLines(previous: Snapshot | undefined, next: Snapshot, actionOrder: readonly string[]): string[] {
  const lines: string[] = [];
  for (const [name, alarm] of Object.entries(next.alarms)) {
    const before = previous?.alarms[name];
    const beforeState = before === undefined ? undefined : before === 'missing' ? 'missing' : before.state;
    const state = alarm === 'missing' ? 'missing' : alarm.state;
    if (state === beforeState) {
      continue;
    }
    if (alarm === 'missing') {
      lines.push(`alarm ${name}: not found in CloudWatch`);
    } else {
      const transition = beforeState === undefined || beforeState === 'missing' ? alarm.state : `${beforeState} → ${alarm.state}`;
      lines.push(alarm.state === 'ALARM' ? withReason(`alarm ${name}: ${transition}`, alarm.reason) : `alarm ${name}: ${transition}`);
    }
  }
  const statusChanged = next.status !== undefined && next.status !== previous?.status;
  const terminal = next.status !== undefined && TERMINAL_STATUSES.has(next.status);
  const experimentLine = withReason(`experiment: ${next.status}`, terminal || next.status === 'stopping' ? next.reason : undefined);
  if (statusChanged && !terminal) {
    lines.push(experimentLine);
  }
  const names = [...actionOrder, ...Object.keys(next.actions).filter((n) => !actionOrder.includes(n))];
  for (const name of names) {
    const action = next.actions[name];
    const before = previous?.actions[name]?.status;
    if (!action || action.status === undefined || action.status === before || (before === undefined && action.status === 'pending')) {
      continue;
    }
    const text = `action ${name}: ${action.status}`;
    lines.push(EXPLAINED_ACTION_STATUSES.has(action.status) ? withReason(text, action.reason) : text);
  }
  if (statusChanged && terminal) {
    lines.push(experimentLine);
  }
  return lines;
}

/** Stop-condition alarms in ALARM in a snapshot. */
export function alarmsInAlarm(snapshot: Snapshot, names: readonly string[]): string[] {
  return names.filter((name) => {
    const alarm = snapshot.alarms[name];
    return alarm !== undefined && alarm !== 'missing' && alarm.state === 'ALARM';
  });
}
