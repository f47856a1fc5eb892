/**
 * What an SLO's alerts did in a simulation, in the terms people ask about: when it first paged,
 * when the page cleared, whether the page held through a minute, when a ticket was opened. Pure.
 */
import { AlarmStateName } from './alarm-rule';
import { evaluateAlarms, EvaluationOptions, Notification, Scenario, SimulationResult } from './evaluator';
import { SloAlarmModel } from './template-alarms';

/** `page` or `ticket`, as the composites' names end (`<service>-<slo>-page`). */
export type AlertSeverity = 'page' | 'ticket';

/** A time in ALARM, in minutes; `to` is absent when still in ALARM at the end. */
export interface AlertInterval {
  readonly from: number;
  readonly to?: number;
}

/** The composites' behaviour in one simulation. */
export class AlertTimeline {
  /** Evaluates `scenario` on the SLO's alarms and wraps the result. */
  public static of(model: SloAlarmModel, scenario: Scenario, options: EvaluationOptions): AlertTimeline {
    return new AlertTimeline(model, evaluateAlarms(model, scenario, options));
  }

  constructor(public readonly model: SloAlarmModel, public readonly result: SimulationResult) {}

  /** Name of the composite of that severity, or undefined when the SLO has none. */
  public compositeName(severity: AlertSeverity): string | undefined {
    return this.model.composites.find((c) => c.name.endsWith(`-${severity}`))?.name;
  }

  /** The state of an alarm (by name) after the evaluation at `minute`; every alarm starts OK. */
  public stateAt(alarm: string, minute: number): AlarmStateName {
    let state: AlarmStateName = 'OK';
    for (const t of this.result.transitions) {
      if (t.minute > minute) {
        break;
      }
      if (t.alarm === alarm) {
        state = t.state;
      }
    }
    return state;
  }

  /** When the composite of that severity was in ALARM. */
  public intervals(severity: AlertSeverity): AlertInterval[] {
    const name = this.compositeName(severity);
    const out: AlertInterval[] = [];
    let open: number | undefined;
    for (const t of this.result.transitions) {
      if (t.alarm !== name) {
        continue;
      }
      if (t.state === 'ALARM' && open === undefined) {
        open = t.minute;
      } else if (t.state !== 'ALARM' && open !== undefined) {
        out.push({ from: open, to: t.minute });
        open = undefined;
      }
    }
    if (open !== undefined) {
      out.push({ from: open });
    }
    return out;
  }

  /** The minute the page composite first went to ALARM (its notification goes out then). @returns undefined if it never paged */
  public firstPage(): number | undefined {
    return this.intervals('page')[0]?.from;
  }

  /** The minute the first page cleared (the composite left ALARM). @returns undefined if it never paged or was still paging at the end */
  public pageClearedAt(): number | undefined {
    return this.intervals('page')[0]?.to;
  }

  /** Whether the page was in ALARM without a break from its first ALARM through the evaluation at `minute`. */
  public pageHeldThrough(minute: number): boolean {
    const first = this.intervals('page')[0];
    return first !== undefined && first.from <= minute && (first.to === undefined || first.to > minute);
  }

  /** Whether the composite of that severity was in ALARM after the evaluation at `minute`. */
  public alertingAt(severity: AlertSeverity, minute: number): boolean {
    return this.intervals(severity).some((i) => i.from <= minute && (i.to === undefined || i.to > minute));
  }

  /** The minute the ticket composite first went to ALARM, muted by the page or not. @returns undefined if never */
  public firstTicketAlarm(): number | undefined {
    return this.intervals('ticket')[0]?.from;
  }

  /**
   * The minute a ticket was opened: the ticket composite's first ALARM notification (after the
   * suppressor's wait period, or when a muting page has cleared). @returns undefined if none went out
   */
  public ticketOpenedAt(): number | undefined {
    const name = this.compositeName('ticket');
    return this.result.notifications.find((n) => n.alarm === name && n.state === 'ALARM')?.minute;
  }

  /** Notifications of the composite of that severity. */
  public notifications(severity: AlertSeverity): Notification[] {
    const name = this.compositeName(severity);
    return this.result.notifications.filter((n) => n.alarm === name);
  }
}
