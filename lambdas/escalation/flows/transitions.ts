/**
 * Alarm transitions from SNS: ALARM opens an incident and notifies level 1 (or the tickets);
 * OK resolves it, cancels the pending timer and tells everyone notified. The same transition
 * (alarm name + StateChangeTime) delivered again finishes what is left and sends nothing twice.
 *
 * Transitions may arrive out of order (SNS does not order, a failed invocation is retried
 * minutes later): every item remembers the time of the latest transition handled (`lastChange`),
 * an OK with no incident leaves an OK marker, and an ALARM older than what was handled (an OK
 * included) is ignored, so that an alarm that already recovered never pages.
 */
import type { Incident } from '../../shared/incident';
import { errorFields } from '../../shared/log';
import { nextStep } from '../chain/steps';
import { cancelTimer } from '../chain/timers';
import type { AlarmTransition } from '../events/parse';
import { chainShape, FlowContext, stepOf } from './context';
import { cancelPendingTimer, closeReplaced, Failures, notifyStep, replacedRecords, settle } from './notify';

function newIncident(t: AlarmTransition): Incident {
  return {
    alarmName: t.alarmName,
    incidentStart: t.changeTime,
    severity: t.severity,
    status: 'open',
    level: 0,
    cycle: 0,
    notifiedUpTo: 0,
    lastChange: t.changeTime,
    alarm: t.snapshot,
    deliveries: {},
    // No expiresAt: an open incident never expires (see store/incidents.ts).
  };
}

const CREATE_ATTEMPTS = 3;

/**
 * Opens the incident of this ALARM, replacing the item read (an older incident, an OK marker, or
 * nothing). Returns the incident to continue with (new, or this transition's, already handled),
 * or `undefined` when the transition is older than what was handled.
 */
async function open(ctx: FlowContext, t: AlarmTransition, fields: Record<string, unknown>): Promise<Incident | undefined> {
  for (let attempt = 1; ; attempt++) {
    const seen = await ctx.store.read(t.alarmName);
    if (seen.incident?.incidentStart === t.changeTime) {
      ctx.log.info('ALARM already handled (duplicate delivery or retry): finishing what is left', fields);
      return seen.incident;
    }
    if (seen.lastChange !== undefined && seen.lastChange >= t.changeTime) {
      const recovered = seen.okMarker || seen.incident?.status === 'resolved';
      ctx.log.info(recovered
        ? 'ALARM ignored: the alarm already recovered after it (an OK with a later time was handled)'
        : 'ALARM ignored: a later transition of this alarm was already handled', { ...fields, lastChange: seen.lastChange, current: seen.incident?.incidentStart });
      if (seen.incident) {
        // Retries the closing notices still owed (this ALARM's incident among them, if it was
        // replaced while a crashed attempt of this invocation was notifying).
        await closeReplaced(ctx, seen.incident);
      }
      return undefined;
    }
    const previous = seen.incident;
    const replaced = previous ? replacedRecords(previous, t.changeTime, Date.now()) : undefined;
    const opened: Incident = { ...newIncident(t), ...(replaced ? { replaced } : {}) };
    const created = await ctx.store.create(opened, seen.lastChange);
    if (!created.created) {
      if (attempt >= CREATE_ATTEMPTS) {
        throw new Error('the incident kept changing while opening a new one; retrying the event');
      }
      continue;
    }
    ctx.log.info('incident opened', fields);
    let incident = opened;
    // What the put replaced (atomically) is the truth; the record written was built from the read before it.
    const truth = created.previous ? replacedRecords(created.previous, t.changeTime, Date.now()) : undefined;
    if (JSON.stringify(truth) !== JSON.stringify(replaced)) {
      await ctx.store.setReplaced(opened, truth);
      incident = { ...newIncident(t), ...(truth ? { replaced: truth } : {}) };
    }
    const old = created.previous;
    if (old && old.status !== 'resolved') {
      // The previous incident never saw its OK (lost, or the alarm went through INSUFFICIENT_DATA):
      // it is closed (its levels told, PagerDuty resolved under its own dedup_key, see
      // closeReplaced) and its pending timer deleted.
      ctx.log.warn('a new ALARM replaced an incident that had not recovered: closing it', { ...fields, previousStart: old.incidentStart, previousStatus: old.status });
      const next = nextStep(stepOf(old), chainShape(ctx.config));
      if (old.severity === 'page' && next) {
        await cancelTimer(ctx.config, old.alarmName, old.incidentStart, next)
          .catch((err) => ctx.log.warn('could not delete the replaced incident\'s timer', { ...fields, ...errorFields(err) }));
      }
    }
    return incident;
  }
}

export async function onAlarm(ctx: FlowContext, t: AlarmTransition): Promise<void> {
  const fields = { alarmName: t.alarmName, severity: t.severity, stateChangeTime: t.changeTime, messageId: t.messageId };
  if (t.severity === 'ticket' && !ctx.config.tickets) {
    ctx.log.info('ticket alarm ignored: the policy has no ticket targets', fields);
    return;
  }
  const incident = await open(ctx, t, fields);
  if (!incident) {
    return;
  }
  const failures = new Failures();
  await Promise.all([
    failures.run(async () => {
      if (incident.status === 'open') {
        await notifyStep(ctx, incident, { level: 0, cycle: 0 });
      } else {
        ctx.log.info(`incident is ${incident.status}: no alarm notice, finishing its follow-ups`, fields);
        await settle(ctx, incident);
      }
    }),
    failures.run(() => closeReplaced(ctx, incident)),
  ]);
  failures.throwIfAny();
}

export async function onOk(ctx: FlowContext, t: AlarmTransition): Promise<void> {
  const fields = { alarmName: t.alarmName, severity: t.severity, stateChangeTime: t.changeTime, messageId: t.messageId };
  // Each round reads the item and acts on it; a conditional write that fails (the item changed
  // meanwhile: a newer ALARM opened an incident, another OK landed) reads it again.
  for (let attempt = 1; ; attempt++) {
    if (attempt > CREATE_ATTEMPTS) {
      throw new Error('the incident kept changing while handling an OK; retrying the event');
    }
    const seen = await ctx.store.read(t.alarmName);
    let incident = seen.incident;
    if (!incident) {
      if (seen.lastChange !== undefined && seen.lastChange >= t.changeTime) {
        ctx.log.info('OK ignored: no incident, and a transition as late was already recorded', { ...fields, lastChange: seen.lastChange });
        return;
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
    if (incident.lastChange > t.changeTime) {
      ctx.log.info('OK ignored: a later transition of this alarm was already handled', { ...fields, lastChange: incident.lastChange });
      await closeReplaced(ctx, incident);
      return;
    }
    if (incident.lastChange < t.changeTime) {
      if (incident.status === 'resolved') {
        if (!await ctx.store.noteOk(incident, t.changeTime, Date.now())) {
          continue;
        }
        ctx.log.info('OK recorded on an incident already resolved: an older ALARM delivered later is ignored', { ...fields, incidentStart: incident.incidentStart });
        await settle(ctx, incident);
        return;
      }
      if (!await ctx.store.resolve(incident, t.changeTime, Date.now(), 'ok')) {
        ctx.log.info('the incident changed while resolving it: reading it again', { ...fields, incidentStart: incident.incidentStart });
        continue;
      }
      ctx.log.info('incident resolved', { ...fields, incidentStart: incident.incidentStart });
      const current = await ctx.store.get(t.alarmName);
      if (!current || current.incidentStart !== incident.incidentStart) {
        // Replaced since: its recovery notices are owed through the newer incident's records.
        await (current && closeReplaced(ctx, current));
        return;
      }
      incident = current;
    } else if (incident.status !== 'resolved') {
      ctx.log.warn('OK ignored: it has the same time as the ALARM that opened the incident', fields);
      await closeReplaced(ctx, incident);
      return;
    } else {
      ctx.log.info('OK already handled (duplicate delivery or retry): finishing what is left', fields);
    }
    await cancelPendingTimer(ctx, incident);
    await settle(ctx, incident);
    return;
  }
}
