/**
 * What must hold once a simulation is quiet (every invocation, retry and timer done), checked
 * from what the targets received and what the table holds:
 *
 * - **nothing doubled**: a target receives each notice (one target, one incident, one kind; alarm
 *   notices: one level) once. A second copy is allowed only when every earlier sender was stopped
 *   (killed) after sending it, before it could record it, and then every copy carries the same
 *   notice id;
 * - **every follow-up, once**: each target an alarm notice of an incident reached hears exactly once
 *   what the incident became (recovered or closed, acknowledged, nobody answered), never before
 *   its alarm notice, and PagerDuty never gets a `trigger` after `acknowledge` or `resolve`;
 * - **nothing missed or lost silently**: the table owes nothing (every notice sent, or failed and
 *   reported at ERROR as `delivery-failed`), and no escalation timer is left for an incident that
 *   is not open.
 */
import { alarmItemFrom, AlarmItem, IncidentStatus } from '../../../lambdas/shared/incident';
import { marshalItem } from '../../../lambdas/shared/dynamo-codec';
import { loadConfig } from '../../../lambdas/escalation/config/config';
import { owedNotices } from '../../../lambdas/escalation/flows/owed';
import { noticeKey, SentNotice, Sim } from './sim';

export interface Report {
  readonly violations: string[];
  /** Notices received (copies included) and distinct ones. */
  readonly received: number;
  readonly distinct: number;
  /** Copies of a notice a killed sender could not record (same notice id). */
  readonly redelivered: number;
  readonly doubled: number;
  /** Notices owed and neither sent nor reported failed. */
  readonly missed: number;
  /** Notices recorded failed without an ERROR `delivery-failed` log line. */
  readonly lostSilently: number;
  /** Notices recorded failed (and reported). */
  readonly failed: number;
  readonly incidents: number;
  readonly unresolved: number;
  readonly staleTimers: number;
}

const RANK: Record<string, number> = { trigger: 0, acknowledge: 1, resolve: 2 };

function pdAction(n: SentNotice): string {
  return n.kind === 'alarm' ? 'trigger' : n.kind === 'acknowledged' ? 'acknowledge' : 'resolve';
}

/** The kind of notice a final status owes every target paged. */
const OWED_KIND: Partial<Record<IncidentStatus, SentNotice['kind']>> = { resolved: 'recovered', acknowledged: 'acknowledged', exhausted: 'exhausted' };

export async function checkInvariants(sim: Sim): Promise<Report> {
  const violations: string[] = [];
  const items = new Map<string, AlarmItem>();
  for (const raw of await sim.items()) {
    items.set(String(raw.alarmName), alarmItemFrom(String(raw.alarmName), marshalItem(raw as never)));
  }
  const byInvocation = new Map(sim.invocations.map((i) => [i.id, i]));

  // Nothing doubled.
  const copies = new Map<string, SentNotice[]>();
  for (const n of sim.sent) {
    copies.set(noticeKey(n), [...(copies.get(noticeKey(n)) ?? []), n]);
  }
  let redelivered = 0;
  let doubled = 0;
  for (const [key, list] of copies) {
    if (list.length === 1) {
      continue;
    }
    const earlierSendersStopped = list.slice(0, -1).every((n) => byInvocation.get(n.by)?.status === 'killed');
    // PagerDuty tells copies apart by dedup_key and action; SNS subscribers and webhooks by the notice id.
    const sameId = list[0].target.startsWith('pagerduty:') || (list[0].noticeId !== undefined && list.every((n) => n.noticeId === list[0].noticeId));
    if (earlierSendersStopped && sameId) {
      redelivered += list.length - 1;
    } else {
      doubled += list.length - 1;
      violations.push(`doubled: ${key} sent ${list.length} times by ${list.map((n) => `${n.by} (${byInvocation.get(n.by)?.status})`).join(', ')}`);
    }
  }

  // Every follow-up once, in order.
  const statusOf = (alarmName: string, incident: string): IncidentStatus => {
    const found = items.get(alarmName)?.incidents.find((i) => i.incidentStart === incident);
    // Only resolved incidents whose notices were all sent are removed from the item.
    return found?.status ?? 'resolved';
  };
  // A follow-up that failed for good (refused, or given up) and was reported at ERROR is accounted for.
  const letter: Record<string, string> = { exhausted: 'x', acknowledged: 'k', recovered: 'r' };
  const failedFollowUps = new Set(sim.logs.filter((l) => l.event === 'delivery-failed' && l.level === 'ERROR' && l.retryable === false)
    .map((l) => `${l.alarmName}|${l.incidentStart}|${String(l.delivery)[0]}|${l.target}`));
  const targetKind = (target: string) => target.slice(0, target.indexOf(':'));
  const byTarget = new Map<string, SentNotice[]>();
  for (const n of sim.sent) {
    const k = `${n.target}|${n.alarmName}|${n.incident}`;
    byTarget.set(k, [...(byTarget.get(k) ?? []), n]);
  }
  for (const [k, list] of byTarget) {
    const paged = list.some((n) => n.kind === 'alarm');
    const first = list.findIndex((n) => n.kind !== 'alarm');
    const lastAlarm = list.map((n) => n.kind).lastIndexOf('alarm');
    if (paged && first >= 0 && lastAlarm > first) {
      violations.push(`order: ${k} got an alarm notice after a ${list[first].kind} notice`);
    }
    if (list[0].target.startsWith('pagerduty:')) {
      let high = -1;
      for (const n of list) {
        const r = RANK[pdAction(n)];
        if (r < high) {
          violations.push(`order: PagerDuty ${k} got ${pdAction(n)} after a later action`);
        }
        high = Math.max(high, r);
      }
    }
    if (!paged) {
      continue;
    }
    const status = statusOf(list[0].alarmName, list[0].incident);
    const owed = OWED_KIND[status];
    for (const kind of ['exhausted', 'acknowledged', 'recovered'] as const) {
      const distinct = new Set(list.filter((n) => n.kind === kind).map((n) => noticeKey(n))).size;
      const takes = !(kind === 'exhausted' && list[0].target.startsWith('pagerduty:'));
      const reportedFailed = failedFollowUps.has(`${list[0].alarmName}|${list[0].incident}|${letter[kind]}|${targetKind(list[0].target)}`);
      const want = kind === owed && takes && !(distinct === 0 && reportedFailed) ? 1 : undefined;
      if (want !== undefined && distinct !== want) {
        violations.push(`follow-up: ${k} (${status}) got ${distinct} ${kind} notices, expected ${want}`);
      }
      if (want === undefined && distinct > 1) {
        violations.push(`follow-up: ${k} got ${distinct} ${kind} notices`);
      }
    }
  }

  // Nothing missed, nothing lost silently, no timer left behind.
  const config = loadConfig();
  let missed = 0;
  let failed = 0;
  let lostSilently = 0;
  let incidents = 0;
  let unresolved = 0;
  const reported = new Set(sim.logs.filter((l) => l.event === 'delivery-failed' && l.level === 'ERROR' && l.retryable === false)
    .map((l) => `${l.alarmName}|${l.incidentStart}|${l.delivery}`));
  for (const item of items.values()) {
    const owed = owedNotices(item, config, 'checker', Date.now() + 24 * 3600_000);
    const left = [...owed.due, ...owed.busy, ...owed.deferred, ...owed.expired];
    missed += left.length;
    for (const n of left) {
      violations.push(`missed: ${item.alarmName} ${n.incident.incidentStart} ${n.key} (${n.seen?.st ?? 'never tried'})`);
    }
    for (const incident of item.incidents) {
      incidents++;
      if (incident.status !== 'resolved') {
        unresolved++;
      }
      for (const [key, record] of Object.entries(incident.deliveries)) {
        if (record.st === 'failed') {
          failed++;
          if (!reported.has(`${item.alarmName}|${incident.incidentStart}|${key}`)) {
            lostSilently++;
            violations.push(`lost silently: ${item.alarmName} ${incident.incidentStart} ${key} failed without an ERROR log`);
          }
        }
      }
    }
  }
  let staleTimers = 0;
  for (const timer of sim.escalationTimers()) {
    const status = statusOf(String(timer.event.alarmName), String(timer.event.incidentStart));
    if (status !== 'open') {
      staleTimers++;
      violations.push(`timer left behind: ${timer.name} for a ${status} incident`);
    }
  }
  return {
    violations, received: sim.sent.length, distinct: copies.size, redelivered, doubled, missed, lostSilently, failed, incidents, unresolved, staleTimers,
  };
}
