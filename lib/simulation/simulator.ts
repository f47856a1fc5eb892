/**
 * Evaluates an SLO's synthesized alarms offline, minute by minute, on an incident profile: the
 * way CloudWatch does for these alarms (Period = window, one evaluation period, evaluated every
 * minute over the most recent window), then the composite rules and the actions suppressor.
 * Pure: the same engine proves the default policy in the tests.
 *
 * Metric values come from the profile by the role their expression id gives them:
 * `total*` counts all events, `bad*` bad events, `good*` good events (for latency SLIs, `good` is
 * the trimmed count under the threshold and `total` the sample count). Only the first metric of a
 * role carries the events; further ones (a second bad source, Lambda throttles) read 0.
 */
import { AlarmStateName, evaluateAlarmRule } from './alarm-rule';
import { evaluateMetricMath } from './metric-math';
import { CompositeAlarmModel, SloAlarmModel, WindowAlarmModel } from './template-alarms';

/** Traffic and errors per minute; minutes before 0 are the history the windows start with. */
export interface TrafficProfile {
  /** Events in minute `m`; 0 means no traffic (no datapoints at all). */
  eventsPerMinute(minute: number): number;
  /** Fraction of the events of minute `m` that are bad. */
  errorRatio(minute: number): number;
}

/** A constant rate of events with a constant error ratio from minute 0 for `durationMinutes`, healthy before and after. */
export function incident(options: { errorRatio: number; durationMinutes: number; eventsPerMinute?: number; baselineErrorRatio?: number }): TrafficProfile {
  const rate = options.eventsPerMinute ?? 1_000;
  const baseline = options.baselineErrorRatio ?? 0;
  return {
    eventsPerMinute: () => rate,
    errorRatio: (m) => (m >= 0 && m < options.durationMinutes ? options.errorRatio : baseline),
  };
}

/** An alarm changing state. */
export interface Transition {
  /** When the evaluation that changed the state ran: minutes elapsed since the start of minute 0. */
  readonly minute: number;
  readonly alarm: string;
  readonly state: AlarmStateName;
  /** For composites with a suppressor: whether its actions were suppressed at this transition. */
  readonly suppressed?: boolean;
}

/** An alarm performing its actions (notifying whoever its actions reach). */
export interface Notification {
  readonly minute: number;
  readonly alarm: string;
  /** The state the alarm is in, whose actions run. */
  readonly state: AlarmStateName;
  /** True when the actions ran late, once the actions suppressor stopped suppressing them. */
  readonly afterSuppression?: boolean;
}

/** What happened. */
export interface SimulationResult {
  readonly transitions: Transition[];
  /**
   * When the composites performed their actions: at their transitions, or, for a composite with
   * an actions suppressor, after the wait period when the suppressor did not go into ALARM, or
   * once the suppressor has left ALARM and the extension period passed (if the composite is
   * still in the state it was suppressed in).
   */
  readonly notifications: Notification[];
  /** Minutes simulated. */
  readonly minutes: number;
}

/** Minute of the first transition of `alarm` to `state`, or undefined. */
export function firstTransition(result: SimulationResult, alarm: string, state: AlarmStateName = 'ALARM'): number | undefined {
  return result.transitions.find((t) => t.alarm === alarm && t.state === state)?.minute;
}

const COUNT_STATISTICS = /^(Sum|SampleCount|TC\(.*\))$/;

/** Simulates `minutes` minutes of the profile. */
export function simulate(model: SloAlarmModel, profile: TrafficProfile, minutes: number): SimulationResult {
  const maxWindow = Math.max(...model.windowAlarms.map((a) => a.periodSeconds / 60));
  const start = -maxWindow;
  const span = minutes - start;

  // per-minute counts by role, with prefix sums for O(1) window sums
  const prefix = (fn: (m: number) => number | undefined) => {
    const sums = new Float64Array(span + 1);
    const present = new Int32Array(span + 1);
    for (let k = 0; k < span; k++) {
      const v = fn(start + k);
      sums[k + 1] = sums[k] + (v ?? 0);
      present[k + 1] = present[k] + (v === undefined ? 0 : 1);
    }
    return { sums, present };
  };
  const events = (m: number) => profile.eventsPerMinute(m);
  const roles = {
    total: prefix((m) => (events(m) > 0 ? events(m) : undefined)),
    bad: prefix((m) => (events(m) > 0 ? events(m) * profile.errorRatio(m) : undefined)),
    good: prefix((m) => (events(m) > 0 ? events(m) * (1 - profile.errorRatio(m)) : undefined)),
    zero: prefix((m) => (events(m) > 0 ? 0 : undefined)),
  };

  /** The window ending with minute `index` (inclusive). */
  const valueFor = (alarm: WindowAlarmModel, id: string, index: number): number | undefined => {
    const metric = alarm.metrics[id];
    if (!metric) {
      throw new Error(`alarm ${alarm.name}: expression reads ${id}, which is not one of its metrics`);
    }
    if (!COUNT_STATISTICS.test(metric.statistic)) {
      throw new Error(`alarm ${alarm.name}: the simulator models count statistics (Sum, SampleCount, TC), not ${metric.statistic}`);
    }
    const role = /^(total|bad|good)0$/.exec(id)?.[1] as 'total' | 'bad' | 'good' | undefined;
    const series = role ? roles[role] : roles.zero;
    const window = alarm.periodSeconds / 60;
    const hi = index - start + 1;
    const lo = Math.max(0, hi - window);
    return series.present[hi] - series.present[lo] > 0 ? series.sums[hi] - series.sums[lo] : undefined;
  };

  const breaches = (alarm: WindowAlarmModel, value: number | undefined): boolean => {
    if (value === undefined) {
      return alarm.treatMissingData === 'breaching';
    }
    switch (alarm.comparisonOperator) {
      case 'GreaterThanThreshold': return value > alarm.threshold;
      case 'GreaterThanOrEqualToThreshold': return value >= alarm.threshold;
      case 'LessThanThreshold': return value < alarm.threshold;
      case 'LessThanOrEqualToThreshold': return value <= alarm.threshold;
      default: throw new Error(`alarm ${alarm.name}: unsupported comparison ${alarm.comparisonOperator}`);
    }
  };

  const states = new Map<string, AlarmStateName>();
  model.windowAlarms.forEach((a) => states.set(a.logicalId, 'OK'));
  model.composites.forEach((c) => states.set(c.logicalId, 'OK'));
  const transitions: Transition[] = [];
  const pending: { composite: CompositeAlarmModel; index: number; minute: number }[] = [];
  const suppressorHistory = new Map<string, { from: number; to?: number }[]>();

  const ordered = orderComposites(model.composites);
  for (let index = 0; index < minutes; index++) {
    const minute = index + 1; // evaluated at the end of minute `index`
    for (const alarm of model.windowAlarms) {
      const value = evaluateMetricMath(alarm.expression, (id) => valueFor(alarm, id, index));
      const next: AlarmStateName = breaches(alarm, value) ? 'ALARM' : 'OK';
      if (next !== states.get(alarm.logicalId)) {
        states.set(alarm.logicalId, next);
        transitions.push({ minute, alarm: alarm.name, state: next });
      }
    }
    for (const composite of ordered) {
      const next: AlarmStateName = evaluateAlarmRule(composite.rule, (id) => states.get(id) ?? 'INSUFFICIENT_DATA') ? 'ALARM' : 'OK';
      if (next === states.get(composite.logicalId)) {
        continue;
      }
      states.set(composite.logicalId, next);
      const history = suppressorHistory.get(composite.logicalId) ?? [];
      if (next === 'ALARM') {
        history.push({ from: minute });
      } else if (history.length > 0) {
        history[history.length - 1].to = minute;
      }
      suppressorHistory.set(composite.logicalId, history);
      transitions.push({ minute, alarm: composite.name, state: next, ...(composite.suppressor ? { suppressed: false } : {}) });
      if (composite.suppressor) {
        pending.push({ composite, index: transitions.length - 1, minute });
      }
    }
  }

  // decide suppression once the suppressor's whole history is known (its wait period looks ahead)
  const notifications: Notification[] = transitions
    .filter((t) => t.suppressed === undefined && model.composites.some((c) => c.name === t.alarm))
    .map((t) => ({ minute: t.minute, alarm: t.alarm, state: t.state }));
  for (const p of pending) {
    const history = suppressorHistory.get(p.composite.suppressor!) ?? [];
    const wait = p.composite.suppressorWaitSeconds / 60;
    const extension = p.composite.suppressorExtensionSeconds / 60;
    const interval = history.find((h) => h.from <= p.minute + wait && (h.to === undefined || h.to + extension >= p.minute));
    const transition = transitions[p.index];
    transitions[p.index] = { ...transition, suppressed: interval !== undefined };
    // the composite's next transition, if any, ends the chance to act on this one
    const next = pending.find((q) => q.composite === p.composite && q.minute > p.minute)?.minute ?? Infinity;
    if (!interval) {
      if (p.minute + wait < next && p.minute + wait <= minutes) {
        notifications.push({ minute: p.minute + wait, alarm: transition.alarm, state: transition.state });
      }
    } else if (interval.to !== undefined && interval.to + extension < next && interval.to + extension <= minutes) {
      notifications.push({ minute: interval.to + extension, alarm: transition.alarm, state: transition.state, afterSuppression: true });
    }
  }
  notifications.sort((a, b) => a.minute - b.minute);
  return { transitions, notifications, minutes };
}

/** Composites whose rule reads another composite come after it. */
function orderComposites(composites: CompositeAlarmModel[]): CompositeAlarmModel[] {
  const ids = new Set(composites.map((c) => c.logicalId));
  const reads = (c: CompositeAlarmModel) => JSON.stringify(c.rule);
  return [...composites].sort((a, b) => {
    const aReadsB = ids.has(b.logicalId) && reads(a).includes(`"${b.logicalId}"`);
    const bReadsA = ids.has(a.logicalId) && reads(b).includes(`"${a.logicalId}"`);
    return aReadsB ? 1 : bReadsA ? -1 : 0;
  });
}
