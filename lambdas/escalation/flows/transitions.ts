/**
 * Alarm transitions from SNS: ALARM opens an incident (level 1, or the tickets, are notified);
 * OK resolves it, cancels its pending timer and everyone notified is told. The same transition
 * (alarm name + StateChangeTime) delivered again changes nothing; like every invocation, it then
 * sends whatever the alarm's item still owes (flows/drain.ts).
 *
 * Transitions may arrive out of order (SNS does not order, a failed invocation is retried
 * minutes later): the item remembers the time of the latest transition handled (`lastChange`),
 * an OK with no incident leaves an OK marker, and an ALARM older than what was handled (an OK
 * included) is ignored, so that an alarm that already recovered never pages. A newer ALARM
 * replaces an incident that never saw its OK: in the same write, the older one is resolved
 * (`replaced`) and its notices are owed like any recovery.
 */
import type { AlarmItem } from '../../shared/incident';
import type { AlarmTransition } from '../events/parse';
import type { NewIncident } from '../store/incidents';
import { LOG_EVENTS } from '../../shared/contract';
import type { FlowContext } from './context';
import { cancelPendingTimer, drain, ensureWatchdog } from './drain';

function newIncident(t: AlarmTransition): NewIncident {
  return {
    incidentStart: t.changeTime,
    severity: t.severity,
    status: 'open',
    level: 0,
    cycle: 0,
    notifiedUpTo: 0,
    alarm: t.snapshot,
    deliveries: {},
  };
}

/** Conditional writes lost to concurrent ones before the invocation fails (and Lambda retries it). */
const ATTEMPTS = 5;

export async function onAlarm(ctx: FlowContext, t: AlarmTransition): Promise<void> {
  const fields = { alarmName: t.alarmName, severity: t.severity, stateChangeTime: t.changeTime, messageId: t.messageId };
  if (t.severity === 'ticket' && !ctx.config.tickets) {
    ctx.log.info('ticket alarm ignored: the policy has no ticket targets', fields);
    return;
  }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const seen = await ctx.store.read(t.alarmName);
    if (seen.incidents.some((i) => i.incidentStart === t.changeTime)) {
      ctx.log.info('ALARM already handled (duplicate delivery or retry): finishing what is left', fields);
      return drain(ctx, t.alarmName, seen, { armStep: true });
    }
    if (seen.lastChange !== undefined && seen.lastChange >= t.changeTime) {
      const recovered = seen.okMarker || seen.current?.status === 'resolved';
      ctx.log.info(recovered
        ? 'ALARM ignored: the alarm already recovered after it (an OK with a later time was handled)'
        : 'ALARM ignored: a later transition of this alarm was already handled', { ...fields, lastChange: seen.lastChange, current: seen.current?.incidentStart });
      return drain(ctx, t.alarmName, seen);
    }
    await ensureWatchdog(ctx, t.alarmName);
    const opened = await ctx.store.open(seen, newIncident(t));
    if (!opened) {
      continue;
    }
    ctx.log.info('incident opened', { ...fields, event: LOG_EVENTS.incidentOpened, incidentStart: t.changeTime });
    const previous = seen.current;
    if (previous && previous.status !== 'resolved') {
      // The previous incident never saw its OK (lost, or the alarm went through INSUFFICIENT_DATA):
      // resolved by the same write; everyone it reached is told it is closed (PagerDuty: resolve
      // with its own dedup_key) and its pending timer is deleted.
      const was = opened.incidents.find((i) => i.incidentStart === previous.incidentStart) ?? previous;
      ctx.log.warn('a new ALARM replaced an incident that had not recovered: closing it', {
        ...fields, previousStart: previous.incidentStart, previousStatus: previous.status,
        event: LOG_EVENTS.incidentResolved, incidentStart: previous.incidentStart, resolution: 'replaced', resolvedAt: t.changeTime,
      });
      await cancelPendingTimer(ctx, was);
    }
    return drain(ctx, t.alarmName, opened, { armStep: true });
  }
  throw new Error('the alarm\'s item kept changing while opening an incident; retrying the event');
}

export async function onOk(ctx: FlowContext, t: AlarmTransition): Promise<void> {
  const fields = { alarmName: t.alarmName, severity: t.severity, stateChangeTime: t.changeTime, messageId: t.messageId };
  // Each round reads the item and acts on it; a conditional write that fails (the item changed
  // meanwhile: a newer ALARM opened an incident, another OK landed) reads it again.
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const seen: AlarmItem = await ctx.store.read(t.alarmName);
    const incident = seen.current;
    if (!incident) {
      if (seen.lastChange !== undefined && seen.lastChange >= t.changeTime) {
        ctx.log.info('OK ignored: no incident, and a transition as late was already recorded', { ...fields, lastChange: seen.lastChange });
        return drain(ctx, t.alarmName, seen);
      }
      if (t.severity === 'ticket' && !ctx.config.tickets) {
        ctx.log.info('ticket OK ignored: the policy has no ticket targets', fields);
        return;
      }
      // Nothing to resolve, but an ALARM older than this OK may still arrive (SNS reordering, or its
      // invocation failed and is retried): the marker makes it be ignored instead of paging.
      if (await ctx.store.recordOk(t.alarmName, t.severity, t.changeTime, Date.now())) {
        ctx.log.info('OK with no incident: recorded, so that an older ALARM delivered later is ignored', fields);
        return;
      }
      continue;
    }
    const lastChange = seen.lastChange ?? incident.incidentStart;
    if (lastChange > t.changeTime) {
      ctx.log.info('OK ignored: a later transition of this alarm was already handled', { ...fields, lastChange });
      return drain(ctx, t.alarmName, seen);
    }
    if (lastChange === t.changeTime) {
      if (incident.status === 'resolved') {
        ctx.log.info('OK already handled (duplicate delivery or retry): finishing what is left', fields);
      } else {
        ctx.log.warn('OK ignored: it has the same time as the ALARM that opened the incident', fields);
      }
      return drain(ctx, t.alarmName, seen);
    }
    if (incident.status === 'resolved') {
      const noted = await ctx.store.noteOk(incident, t.changeTime, Date.now());
      if (!noted) {
        continue;
      }
      ctx.log.info('OK recorded on an incident already resolved: an older ALARM delivered later is ignored', { ...fields, incidentStart: incident.incidentStart });
      return drain(ctx, t.alarmName, noted);
    }
    await ensureWatchdog(ctx, t.alarmName);
    const resolved = await ctx.store.resolve(incident, t.changeTime, Date.now(), 'ok');
    if (!resolved) {
      ctx.log.info('the incident changed while resolving it: reading it again', { ...fields, incidentStart: incident.incidentStart });
      continue;
    }
    ctx.log.info('incident resolved', { ...fields, event: LOG_EVENTS.incidentResolved, incidentStart: incident.incidentStart, resolution: 'ok', resolvedAt: t.changeTime });
    // Its step as the resolve left it (no step follows a resolve): that timer is the pending one.
    await cancelPendingTimer(ctx, resolved.incidents.find((i) => i.incidentStart === incident.incidentStart) ?? incident);
    return drain(ctx, t.alarmName, resolved);
  }
  throw new Error('the alarm\'s item kept changing while handling an OK; retrying the event');
}
