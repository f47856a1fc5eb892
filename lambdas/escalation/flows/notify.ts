/**
 * Notifying one step of the chain (or the tickets), and telling every target an alarm notice
 * reached that the incident ran out of levels, was acknowledged, or is over. Deliveries are
 * idempotent (see delivery/deliver.ts); the next timer is armed even when a delivery failed, and
 * retryable failures are thrown afterwards so that Lambda retries.
 *
 * Ordering, per target: alarm, then "nobody answered", then acknowledged, then recovered; never
 * an alarm after a recovery (PagerDuty would open a new incident under the same dedup_key that
 * nothing resolves). Two rules give it:
 *
 * - a notice is claimed only while the incident has the matching status (`requires`): once the
 *   incident is resolved no alarm notice can be claimed, so a level reached by a timer that lost
 *   the race to the OK is not paged at all;
 * - "last one out": a follow-up (acknowledged, recovered…) is not sent while another invocation
 *   is still sending an earlier kind of notice of the incident (its claim is live); that
 *   invocation, when its sends are done, reads the incident again and, finding its status moved
 *   on, sends the follow-ups itself. Whichever finishes last sees the other's writes (DynamoDB
 *   conditional writes and consistent reads), so follow-ups are sent once, after the notices they
 *   follow. A crashed sender's claim lapses at its deadline and its retry (or the next event)
 *   finishes the job.
 */
import type { Incident, ReplacedIncident } from '../../shared/incident';
import { delayBefore, nextStep, sameStep, Step } from '../chain/steps';
import { armTimer, cancelTimer } from '../chain/timers';
import { deliver, DeliveryFailed, DeliveryJob, DeliveryReport } from '../delivery/deliver';
import { targetsOf } from '../delivery/targets';
import type { NoticeKind } from '../messages/notice';
import {
  alarmedTargets, buildNotice, chainShape, FlowContext, followUpKind, jobsFor, KIND_ORDER, keyPrefix, liveClaims, statusFor,
  stepOf, targetSetOf,
} from './context';

/** Collects failures of several steps, so that every step runs before the invocation fails. */
export class Failures {
  private readonly deliveries: Array<{ key: string; error: unknown }> = [];
  private readonly others: unknown[] = [];

  add(report: DeliveryReport): void {
    this.deliveries.push(...report.failed);
  }

  async run(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (err instanceof DeliveryFailed) {
        this.deliveries.push(...err.failures);
      } else {
        this.others.push(err);
      }
    }
  }

  throwIfAny(): void {
    if (this.others.length > 0) {
      throw this.others.length === 1 && this.deliveries.length === 0 ? this.others[0]
        : new AggregateError([...this.others, ...(this.deliveries.length > 0 ? [new DeliveryFailed(this.deliveries)] : [])], 'several steps failed');
    }
    if (this.deliveries.length > 0) {
      throw new DeliveryFailed(this.deliveries);
    }
  }
}

async function deliverAll(ctx: FlowContext, incident: Incident, jobs: DeliveryJob[]): Promise<DeliveryReport> {
  const report = await deliver(ctx, incident, jobs);
  if (jobs.length > 0) {
    ctx.log.info('deliveries done', {
      alarmName: incident.alarmName, sent: report.sent.length, skipped: report.skipped.length, busy: report.busy.length,
      failedPermanently: report.permanent.length, failed: report.failed.length,
    });
  }
  return report;
}

/** Arms the timer after `step` when the incident is (still) at that step. */
async function armNext(ctx: FlowContext, incident: Incident, step: Step): Promise<void> {
  if (incident.severity !== 'page' || !sameStep(stepOf(incident), step)) {
    return;
  }
  const shape = chainShape(ctx.config);
  const next = nextStep(step, shape);
  if (!next) {
    return;
  }
  const fireAt = new Date(Date.now() + delayBefore(next, shape) * 1000);
  const timer = await armTimer(ctx, incident.alarmName, incident.incidentStart, next, fireAt);
  ctx.log.info(timer.created ? 'timer armed' : 'timer already armed', {
    alarmName: incident.alarmName, schedule: timer.name, escalationLevel: next.level, cycle: next.cycle, at: fireAt.toISOString(),
  });
}

/**
 * Sends the alarm notice of `step` (only while the incident is open), then reads the incident
 * again: still open, it arms the next timer; resolved, acknowledged or exhausted meanwhile, it
 * sends the follow-ups ("last one out"); replaced meanwhile, it closes the replaced incident.
 * Either way it retries the closing notices the item still owes (see `closeReplaced`).
 */
export async function notifyStep(ctx: FlowContext, incident: Incident, step: Step): Promise<void> {
  const set = targetSetOf(ctx.config, incident, step.level);
  const failures = new Failures();
  let sent: string[] = [];
  if (set) {
    const notice = await buildNotice(ctx, incident, 'alarm', step);
    const report = await deliverAll(ctx, incident, jobsFor(set, keyPrefix(incident, 'alarm', step), notice, 'open'));
    failures.add(report);
    sent = report.sent.map((key) => `${step.level}.${key.slice(keyPrefix(incident, 'alarm', step).length + 1)}`);
  } else {
    ctx.log.warn('no targets for this step; nothing to notify', { alarmName: incident.alarmName, escalationLevel: step.level });
  }
  await failures.run(async () => {
    const current = await ctx.store.get(incident.alarmName);
    if (current && current.incidentStart === incident.incidentStart) {
      if (current.status === 'open') {
        await armNext(ctx, current, step);
        await closeReplaced(ctx, current);
      } else {
        ctx.log.info(`the incident was ${current.status} while notifying: telling those notified`, { alarmName: incident.alarmName });
        await settle(ctx, current);
      }
    } else if (current) {
      // Replaced while notifying: close what this invocation sent (the record in the new item may
      // not list it yet), and whatever else is owed.
      const mine = sent.length > 0 ? closingRecord(incident, current.incidentStart, sent) : undefined;
      await closeReplaced(ctx, current, mine);
    }
  });
  failures.throwIfAny();
}

/** Cancels the incident's pending timer (the one after its current step). */
export async function cancelPendingTimer(ctx: FlowContext, incident: Incident): Promise<void> {
  if (incident.severity !== 'page') {
    return;
  }
  const next = nextStep(stepOf(incident), chainShape(ctx.config));
  if (!next) {
    return;
  }
  const result = await cancelTimer(ctx.config, incident.alarmName, incident.incidentStart, next);
  ctx.log.info(result.deleted ? 'pending timer deleted' : 'no pending timer', { alarmName: incident.alarmName, schedule: result.name });
}

const EMPTY: DeliveryReport = { sent: [], skipped: [], busy: [], permanent: [], failed: [] };

/** The follow-ups of `kind` to every target an alarm notice of the incident reached, unless earlier notices are still being sent. */
async function sendFollowUps(ctx: FlowContext, incident: Incident, kind: Exclude<NoticeKind, 'alarm'>): Promise<DeliveryReport> {
  const blocking = liveClaims(incident.deliveries, ctx.owner, Date.now(), KIND_ORDER[keyPrefix(incident, kind, { level: 0, cycle: 0 })[0]]);
  if (blocking.length > 0) {
    ctx.log.info(`${kind} notices deferred: another invocation is still sending earlier notices and sends these when it is done`, {
      alarmName: incident.alarmName, deliveries: blocking,
    });
    return EMPTY;
  }
  const jobs: DeliveryJob[] = [];
  for (const [level, ids] of alarmedTargets(incident)) {
    const set = targetSetOf(ctx.config, incident, level);
    const step = { level, cycle: incident.cycle };
    const prefix = keyPrefix(incident, kind, step);
    const open = new Set([...ids].filter((id) => !['sent', 'failed'].includes(incident.deliveries[`${prefix}.${id}`]?.st as string)));
    if (!set || !targetsOf(set).some((t) => open.has(t.id) && t.handles(kind))) {
      continue;
    }
    jobs.push(...jobsFor(set, prefix, await buildNotice(ctx, incident, kind, step), statusFor(kind), open));
  }
  return deliverAll(ctx, incident, jobs);
}

/**
 * Sends what the incident's status owes every target its alarm notices reached: "nobody
 * answered" (exhausted), who handles it (acknowledged), that it is over (resolved). Then reads it
 * again and, when the status moved on meanwhile, sends what the new status owes; then retries the
 * closing notices the item now there owes (a newer incident that replaced it meanwhile, included).
 */
export async function settle(ctx: FlowContext, incident: Incident): Promise<void> {
  const failures = new Failures();
  let current: Incident = incident;
  for (let round = 0; round < 4; round++) {
    const kind = followUpKind(current.status);
    if (kind) {
      failures.add(await sendFollowUps(ctx, current, kind));
    }
    const next = await ctx.store.get(current.alarmName);
    if (!next || next.incidentStart !== current.incidentStart || next.status === current.status) {
      // The closing notices still owed by the item now there (this incident's, or the newer one's).
      await failures.run(async () => next && closeReplaced(ctx, next));
      break;
    }
    current = next;
  }
  failures.throwIfAny();
}

/** Delivery key prefix of the closing notices of a replaced incident (`p`: written by the previous version). */
function closingPrefix(closed: ReplacedIncident, level: number): string {
  return `${closed.keyPrefix ?? 'p'}.${closed.severity === 'ticket' ? 't' : level}`;
}

function splitTarget(t: string): [number, string] {
  return [Number(t.slice(0, t.indexOf('.'))), t.slice(t.indexOf('.') + 1)];
}

/** The targets of a replaced incident not yet told (nor failed for good) in the item `container`. */
function pendingTargets(container: Pick<Incident, 'deliveries'>, closed: ReplacedIncident): string[] {
  return closed.targets.filter((t) => {
    const [level, id] = splitTarget(t);
    return !['sent', 'failed'].includes(container.deliveries[`${closingPrefix(closed, level)}.${id}`]?.st as string);
  });
}

/** The record of `previous` itself, built from its item (see `replacedRecords`). */
export function replacedRecord(previous: Incident, replacedAt: string, nowMs: number): ReplacedIncident | undefined {
  const targets: string[] = [];
  for (const [level, ids] of alarmedTargets(previous)) {
    for (const id of ids) {
      const told = previous.deliveries[`${keyPrefix(previous, 'recovered', { level, cycle: 0 })}.${id}`];
      // A recovery another invocation is sending right now counts as told (not sent twice).
      const isTold = told?.st === 'sent' || told?.st === 'failed' || (told?.st === 'sending' && (told.until ?? 0) >= nowMs);
      if (previous.status !== 'resolved' || !isTold) {
        targets.push(`${level}.${id}`);
      }
    }
  }
  const sending = Object.entries(previous.deliveries)
    .filter(([key, d]) => !key.startsWith('p.') && d.st === 'sending' && (d.until ?? 0) >= nowMs)
    .map(([, d]) => ({ by: d.by ?? '', until: d.until ?? 0 }));
  return targets.length > 0 ? closingRecord(previous, replacedAt, targets, sending) : undefined;
}

/** The closing record of `previous` for `targets` (`<level>.<target id>`). */
export function closingRecord(previous: Incident, replacedAt: string, targets: string[], sending: ReplacedIncident['sending'] = []): ReplacedIncident {
  const resolved = previous.status === 'resolved';
  return {
    incidentStart: previous.incidentStart,
    severity: previous.severity,
    cycle: previous.cycle,
    alarm: previous.alarm,
    resolution: resolved ? previous.resolution ?? 'ok' : 'replaced',
    resolvedAt: resolved ? previous.resolvedAt ?? replacedAt : replacedAt,
    ackedBy: previous.ackedBy,
    ackedAt: previous.ackedAt,
    targets,
    sending,
    keyPrefix: `p.${Date.parse(previous.incidentStart)}`,
  };
}

/**
 * What a new incident records of the incidents it replaces: the closing notices `previous` still
 * owed for the incidents it replaced itself (carried over), and those `previous` owes (the targets
 * its alarm notices reached that were not yet told it is over), with the claims still live on them.
 */
export function replacedRecords(previous: Incident, replacedAt: string, nowMs: number): ReplacedIncident[] | undefined {
  const records: ReplacedIncident[] = [];
  for (const closed of previous.replaced ?? []) {
    const targets = pendingTargets(previous, closed);
    if (targets.length > 0) {
      const live = targets.map(splitTarget).map(([level, id]) => previous.deliveries[`${closingPrefix(closed, level)}.${id}`])
        .filter((d) => d?.st === 'sending' && (d.until ?? 0) >= nowMs)
        .map((d) => ({ by: d.by ?? '', until: d.until ?? 0 }));
      records.push({ ...closed, targets, sending: [...closed.sending, ...live] });
    }
  }
  const own = replacedRecord(previous, replacedAt, nowMs);
  return own || records.length > 0 ? [...records, ...(own ? [own] : [])] : undefined;
}

/**
 * Tells every target a replaced incident's alarm notices reached that it is over (PagerDuty:
 * `resolve` with its own dedup_key). Claims are kept in the item holding the records
 * (`<keyPrefix>.<level>.<target>`). Every invocation for the alarm calls this, so a failed closing
 * notice is retried until it is sent or fails for good. The notices of a record wait while another
 * invocation held a live claim on that incident when it was replaced (it may still be sending an
 * alarm notice); that invocation closes the targets it sent itself (`mine`, built from its own view
 * of the incident), and later invocations close the rest.
 */
export async function closeReplaced(ctx: FlowContext, container: Incident, mine?: ReplacedIncident): Promise<void> {
  const now = Date.now();
  const records = (container.replaced ?? []).filter((closed) => {
    const waiting = closed.sending.some((s) => s.by !== ctx.owner && s.until >= now);
    if (waiting) {
      ctx.log.info('closing notices of a replaced incident deferred: another invocation may still be sending its notices', {
        alarmName: container.alarmName, replacedStart: closed.incidentStart,
      });
    }
    return !waiting;
  });
  const jobs = new Map<string, DeliveryJob>();
  for (const closed of mine ? [...records, mine] : records) {
    const old: Incident = {
      ...container,
      incidentStart: closed.incidentStart,
      severity: closed.severity,
      status: 'resolved',
      cycle: closed.cycle,
      alarm: closed.alarm,
      resolution: closed.resolution,
      resolvedAt: closed.resolvedAt,
      ackedBy: closed.ackedBy,
      ackedAt: closed.ackedAt,
      deliveries: {},
      replaced: undefined,
    };
    const byLevel = new Map<number, Set<string>>();
    for (const t of pendingTargets(container, closed)) {
      const [level, id] = splitTarget(t);
      byLevel.set(level, (byLevel.get(level) ?? new Set()).add(id));
    }
    for (const [level, ids] of byLevel) {
      const set = targetSetOf(ctx.config, old, level);
      if (set) {
        const notice = await buildNotice(ctx, old, 'recovered', { level, cycle: closed.cycle });
        jobsFor(set, closingPrefix(closed, level), notice, undefined, ids).forEach((job) => jobs.set(job.key, job));
      }
    }
  }
  const report = await deliverAll(ctx, container, [...jobs.values()]);
  if (report.failed.length > 0) {
    throw new DeliveryFailed(report.failed);
  }
}
