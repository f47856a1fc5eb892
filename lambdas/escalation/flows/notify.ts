/**
 * Notifying one step of the chain (or the tickets) and telling notified levels about recovery or
 * acknowledgement. Deliveries are idempotent (see delivery/deliver.ts); the next timer is armed
 * even when a delivery failed, and the failure is thrown afterwards so that Lambda retries.
 */
import type { Incident } from '../../shared/incident';
import { delayBefore, nextStep, sameStep, Step } from '../chain/steps';
import { armTimer, cancelTimer } from '../chain/timers';
import { deliver, DeliveryFailed, DeliveryJob } from '../delivery/deliver';
import type { NoticeKind } from '../messages/notice';
import { buildNotice, chainShape, FlowContext, jobsFor, keyPrefix, notifiedLevels, stepOf, targetSetOf } from './context';

async function deliverOrThrow(ctx: FlowContext, incident: Incident, jobs: DeliveryJob[], after?: () => Promise<void>): Promise<void> {
  const report = await deliver(ctx, incident, jobs);
  ctx.log.info('deliveries done', { alarmName: incident.alarmName, sent: report.sent.length, skipped: report.skipped.length, failed: report.failed.length });
  if (after) {
    await after();
  }
  if (report.failed.length > 0) {
    throw new DeliveryFailed(report.failed);
  }
}

/** Sends the alarm notice of `step` and, when the incident is at that step, arms the next timer. */
export async function notifyStep(ctx: FlowContext, incident: Incident, step: Step): Promise<void> {
  const set = targetSetOf(ctx.config, incident, step.level);
  if (!set) {
    ctx.log.warn('no targets for this step; nothing to notify', { alarmName: incident.alarmName, escalationLevel: step.level });
    return;
  }
  const notice = await buildNotice(ctx, incident, 'alarm', step);
  const jobs = jobsFor(set, keyPrefix(incident, 'alarm', step), notice);
  await deliverOrThrow(ctx, incident, jobs, async () => {
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
  });
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

/** Tells every level notified so far (or the ticket targets) that the incident recovered or was acknowledged. */
export async function notifyNotified(ctx: FlowContext, incident: Incident, kind: Exclude<NoticeKind, 'alarm'>): Promise<void> {
  const jobs: DeliveryJob[] = [];
  for (const level of notifiedLevels(incident)) {
    const set = targetSetOf(ctx.config, incident, level);
    if (!set) {
      continue;
    }
    const step = { level, cycle: incident.cycle };
    jobs.push(...jobsFor(set, keyPrefix(incident, kind, step), await buildNotice(ctx, incident, kind, step)));
  }
  await deliverOrThrow(ctx, incident, jobs);
}
