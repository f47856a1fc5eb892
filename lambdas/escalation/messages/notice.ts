/**
 * A notice: everything one message says, independent of the channel. Renderers in this folder
 * turn it into e-mail text, SMS, AWS Chatbot, webhook and PagerDuty bodies. Pure.
 */
import type { Resolution } from '../../shared/incident';
import type { AlarmFacts, TierFacts } from '../alarm/facts';

/**
 * `alarm`: page (or ticket) a level; `exhausted`: every level was paged and nobody acknowledged;
 * `acknowledged`: someone took it; `recovered`: the incident is over (see `resolution`).
 */
export type NoticeKind = 'alarm' | 'exhausted' | 'acknowledged' | 'recovered';

/** What happens next when nobody acknowledges. */
export type NextStep =
  | { readonly type: 'level'; readonly level: number; readonly cycle: number; readonly inSeconds: number }
  | { readonly type: 'exhausted'; readonly inSeconds: number };

export interface Notice {
  readonly kind: NoticeKind;
  readonly policy: string;
  readonly facts: AlarmFacts;
  /** ISO 8601: when the incident started (the ALARM transition). */
  readonly incidentStart: string;
  /** ISO 8601: when this happened (ALARM, escalation, OK or acknowledgement). */
  readonly at: string;
  /** Level addressed, 0-based (tickets: 0). */
  readonly level: number;
  readonly levelCount: number;
  readonly cycle: number;
  readonly repeat: number;
  readonly next?: NextStep;
  /** The acknowledge link (alarm and exhausted notices). */
  readonly ackUrl?: string;
  /** Recovered notices: why it ended (`ok` when absent). */
  readonly resolution?: Resolution;
  readonly ackedBy?: string;
  readonly ackedAt?: string;
  /** Stable per incident: PagerDuty dedup_key, Chatbot thread. */
  readonly dedupKey: string;
}

/** `checkout/availability`, or the alarm name when the SLO is unknown. */
export function subjectName(n: Notice): string {
  return n.facts.service && n.facts.slo ? `${n.facts.service}/${n.facts.slo}` : n.facts.alarmName;
}

/** `page 1h/5m: burn rate above 14.4x over both the last 1h and 5m (2% of the budget in 1h)`. */
export function tierSentence(t: TierFacts): string {
  const rate = t.burnRate !== undefined ? `burn rate above ${t.burnRate}x over both the last ${t.longWindow} and ${t.shortWindow}` : `both the ${t.longWindow} and ${t.shortWindow} windows burning`;
  const budget = t.budgetPercent !== undefined ? ` (${t.budgetPercent}% of the budget in ${t.longWindow})` : '';
  return `${t.severity} ${t.longWindow}/${t.shortWindow}: ${rate}${budget}`;
}

/** `14.4x (1h/5m)` for the first fired tier, or `''`. */
export function shortTier(n: Notice): string {
  const t = n.facts.firedTiers[0];
  if (!t) {
    return '';
  }
  return t.burnRate !== undefined ? `${t.burnRate}x (${t.longWindow}/${t.shortWindow})` : `${t.longWindow}/${t.shortWindow}`;
}

/** `45 s`, `15 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.round(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** `2024-05-01 10:00:00 UTC`. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function openFor(n: Notice): string {
  return formatDuration((Date.parse(n.at) - Date.parse(n.incidentStart)) / 1000);
}

/** `level 1 of 3` and, when the chain repeats, `, pass 2 of 3`. */
export function levelText(n: Notice): string {
  const pass = n.repeat > 0 ? `, pass ${n.cycle + 1} of ${n.repeat + 1}` : '';
  return `level ${n.level + 1} of ${n.levelCount}${pass}`;
}

export function nextText(n: Notice): string | undefined {
  if (n.facts.severity === 'ticket') {
    return 'Tickets do not escalate: handle it during working hours.';
  }
  if (!n.next) {
    return undefined;
  }
  if (n.next.type === 'exhausted') {
    return `This is the last notification: if nobody acknowledges within ${formatDuration(n.next.inSeconds)}, the escalation stops.`;
  }
  const again = n.next.cycle > n.cycle ? ' (the chain starts again)' : '';
  return `Level ${n.next.level + 1} is notified in ${formatDuration(n.next.inSeconds)}${again} unless someone acknowledges.`;
}

/** `3 levels` and, when the chain repeats, `, 2 passes`. */
export function chainText(n: Notice): string {
  return `${n.levelCount} level${n.levelCount === 1 ? '' : 's'}${n.repeat > 0 ? `, ${n.repeat + 1} passes` : ''}`;
}

/** One line: what happened. */
export function headline(n: Notice): string {
  const name = subjectName(n);
  const sev = n.facts.severity.toUpperCase();
  switch (n.kind) {
    case 'alarm': {
      const tier = shortTier(n);
      return `${sev} ${name}: error budget burning${tier ? ` at ${tier}` : ' too fast'}`;
    }
    case 'exhausted':
      return `UNANSWERED ${name}: nobody acknowledged after ${chainText(n)}; the escalation ran out`;
    case 'recovered':
      switch (n.resolution ?? 'ok') {
        case 'replaced':
          return `CLOSED ${name}: replaced by a new incident (the alarm fired again)`;
        case 'deleted':
          return `CLOSED ${name}: the alarm ${n.facts.alarmName} was deleted`;
        default:
          return `RECOVERED ${name}: ${n.facts.alarmName} is OK again after ${openFor(n)}`;
      }
    case 'acknowledged':
      return `ACKNOWLEDGED ${name}: ${n.ackedBy ?? 'someone'} is handling it`;
  }
}
