/**
 * Alarm transitions from SNS: ALARM opens an incident and notifies level 1 (or the tickets);
 * OK resolves it, cancels the pending timer and tells everyone notified. The same transition
 * (alarm name + StateChangeTime) delivered again finishes what is left and sends nothing twice.
 */
import type { Incident } from '../../shared/incident';
import { errorFields } from '../../shared/log';
import { nextStep } from '../chain/steps';
import { cancelTimer } from '../chain/timers';
import type { AlarmTransition } from '../events/parse';
import { expiresAt } from '../store/incidents';
import { chainShape, FlowContext, stepOf } from './context';
import { cancelPendingTimer, notifyNotified, notifyStep } from './notify';

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
    expiresAt: expiresAt(Date.now()),
  };
}

export async function onAlarm(ctx: FlowContext, t: AlarmTransition): Promise<void> {
  const fields = { alarmName: t.alarmName, severity: t.severity, stateChangeTime: t.changeTime, messageId: t.messageId };
  if (t.severity === 'ticket' && !ctx.config.tickets) {
    ctx.log.info('ticket alarm ignored: the policy has no ticket targets', fields);
    return;
  }
  const opened = newIncident(t);
  const created = await ctx.store.create(opened);
  let incident: Incident;
  if (created.created) {
    incident = opened;
    ctx.log.info('incident opened', fields);
    const previous = created.previous;
    if (previous && previous.status !== 'resolved') {
      // The previous incident never saw its OK (lost, or the alarm went through INSUFFICIENT_DATA):
      // its pending timer would find a newer incident and stop anyway; delete it now.
      ctx.log.warn('a new ALARM replaced an incident that had not recovered', { ...fields, previousStart: previous.incidentStart, previousStatus: previous.status });
      const next = nextStep(stepOf(previous), chainShape(ctx.config));
      if (previous.severity === 'page' && next) {
        await cancelTimer(ctx.config, previous.alarmName, previous.incidentStart, next)
          .catch((err) => ctx.log.warn('could not delete the replaced incident\'s timer', { ...fields, ...errorFields(err) }));
      }
    }
  } else {
    const existing = await ctx.store.get(t.alarmName);
    if (!existing || existing.incidentStart !== t.changeTime) {
      ctx.log.info('ALARM ignored: a later transition of this alarm was already handled', { ...fields, current: existing?.incidentStart });
      return;
    }
    ctx.log.info('ALARM already handled (duplicate delivery or retry): finishing what is left', fields);
    incident = existing;
  }
  if (incident.status !== 'open') {
    ctx.log.info(`incident is ${incident.status}: nothing more to notify`, fields);
    return;
  }
  await notifyStep(ctx, incident, { level: 0, cycle: 0 });
}

export async function onOk(ctx: FlowContext, t: AlarmTransition): Promise<void> {
  const fields = { alarmName: t.alarmName, severity: t.severity, stateChangeTime: t.changeTime, messageId: t.messageId };
  let incident = await ctx.store.get(t.alarmName);
  if (!incident) {
    ctx.log.info('OK ignored: no incident for this alarm', fields);
    return;
  }
  if (incident.lastChange > t.changeTime) {
    ctx.log.info('OK ignored: a later transition of this alarm was already handled', { ...fields, lastChange: incident.lastChange });
    return;
  }
  if (incident.lastChange < t.changeTime) {
    if (incident.status === 'resolved') {
      ctx.log.info('OK ignored: the incident is already resolved', fields);
      return;
    }
    const resolved = await ctx.store.resolve(incident, t.changeTime, Date.now());
    incident = await ctx.store.get(t.alarmName);
    if (!incident || !resolved && !(incident.status === 'resolved' && incident.lastChange === t.changeTime)) {
      ctx.log.info('OK ignored: the incident changed meanwhile', fields);
      return;
    }
    if (resolved) {
      ctx.log.info('incident resolved', { ...fields, incidentStart: incident.incidentStart });
    }
  } else if (incident.status !== 'resolved') {
    ctx.log.warn('OK ignored: it has the same time as the ALARM that opened the incident', fields);
    return;
  } else {
    ctx.log.info('OK already handled (duplicate delivery or retry): finishing what is left', fields);
  }
  await cancelPendingTimer(ctx, incident);
  await notifyNotified(ctx, incident, 'recovered');
}
