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
 */
export async function notifyStep(ctx: FlowContext, incident: Incident, step: Step): Promise<void> {
  const set = targetSetOf(ctx.config, incident, step.level);
  const failures = new Failures();
  if (set) {
    const notice = await buildNotice(ctx, incident, 'alarm', step);
    failures.add(await deliverAll(ctx, incident, jobsFor(set, keyPrefix(incident, 'alarm', step), notice, 'open')));
  } else {
    ctx.log.warn('no targets for this step; nothing to notify', { alarmName: incident.alarmName, escalationLevel: step.level });
  }
  await failures.run(async () => {
    const current = await ctx.store.get(incident.alarmName);
    if (current && current.incidentStart === incident.incidentStart) {
      if (current.status === 'open') {
        await armNext(ctx, current, step);
      } else {
        ctx.log.info(`the incident was ${current.status} while notifying: telling those notified`, { alarmName: incident.alarmName });
        await settle(ctx, current);
      }
    } else if (current?.replaced?.incidentStart === incident.incidentStart) {
      await closeReplaced(ctx, current);
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
 * again and, when the status moved on meanwhile, sends what the new status owes; when a newer
 * incident replaced it meanwhile, closes it through that one.
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
    if (!next || next.incidentStart !== current.incidentStart) {
      if (next?.replaced?.incidentStart === current.incidentStart) {
        await failures.run(() => closeReplaced(ctx, next));
      }
      break;
    }
    if (next.status === current.status) {
      break;
    }
    current = next;
  }
  failures.throwIfAny();
}

/**
 * What the new incident records of the one it replaces: the targets its alarm notices reached
 * that were not yet told it is over (none: nothing to record), and the claims still live on it.
 */
export function replacedRecord(previous: Incident, replacedAt: string, nowMs: number): ReplacedIncident | undefined {
  const resolved = previous.status === 'resolved';
  const targets: string[] = [];
  for (const [level, ids] of alarmedTargets(previous)) {
    for (const id of ids) {
      const told = previous.deliveries[`${keyPrefix(previous, 'recovered', { level, cycle: 0 })}.${id}`]?.st;
      if (!resolved || (told !== 'sent' && told !== 'failed')) {
        targets.push(`${level}.${id}`);
      }
    }
  }
  if (targets.length === 0) {
    return undefined;
  }
  const sending = Object.values(previous.deliveries)
    .filter((d) => d.st === 'sending' && (d.until ?? 0) >= nowMs)
    .map((d) => ({ by: d.by ?? '', until: d.until ?? 0 }));
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
  };
}

/**
 * Tells every target the replaced incident's alarm notices reached that it is over (PagerDuty:
 * `resolve` with its own dedup_key). Claims are kept in the new incident's item (`p.<level>.<target>`).
 * Waits (returns) while an invocation that held a claim on the replaced incident may still be
 * sending: that one, finding the incident replaced, closes it itself.
 */
export async function closeReplaced(ctx: FlowContext, container: Incident): Promise<void> {
  const closed = container.replaced;
  if (!closed) {
    return;
  }
  const now = Date.now();
  if (closed.sending.some((s) => s.by !== ctx.owner && s.until >= now)) {
    ctx.log.info('closing notices of the replaced incident deferred: another invocation is still sending its notices', {
      alarmName: container.alarmName, replacedStart: closed.incidentStart,
    });
    return;
  }
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
  for (const t of closed.targets) {
    const [level, id] = [Number(t.slice(0, t.indexOf('.'))), t.slice(t.indexOf('.') + 1)];
    byLevel.set(level, (byLevel.get(level) ?? new Set()).add(id));
  }
  const jobs: DeliveryJob[] = [];
  for (const [level, ids] of byLevel) {
    const set = targetSetOf(ctx.config, old, level);
    const prefix = `p.${old.severity === 'ticket' ? 't' : level}`;
    const open = new Set([...ids].filter((id) => !['sent', 'failed'].includes(container.deliveries[`${prefix}.${id}`]?.st as string)));
    if (set && open.size > 0) {
      jobs.push(...jobsFor(set, prefix, await buildNotice(ctx, old, 'recovered', { level, cycle: closed.cycle }), undefined, open));
    }
  }
  const report = await deliverAll(ctx, container, jobs);
  if (report.failed.length > 0) {
    throw new DeliveryFailed(report.failed);
  }
}
