/**
 * Someone acknowledged (the acknowledge function recorded it and invoked us): delete the pending
 * timer and tell every target an alarm notice reached who is handling it. Were this event lost,
 * the incident would still be acknowledged: the next timer (an open incident has one; an exhausted
 * one does not, and these notices are then never sent) stops there and sends these notices.
 */
import type { AcknowledgedEvent } from '../events/parse';
import type { FlowContext } from './context';
import { cancelPendingTimer, settle } from './notify';

export async function onAcknowledged(ctx: FlowContext, ev: AcknowledgedEvent): Promise<void> {
  const fields = { alarmName: ev.alarmName, incidentStart: ev.incidentStart, escalationLevel: ev.level, by: ev.by };
  const incident = await ctx.store.get(ev.alarmName);
  if (!incident || incident.incidentStart !== ev.incidentStart) {
    ctx.log.info('acknowledgement ignored: its incident is over or was replaced', fields);
    return;
  }
  if (incident.status !== 'acknowledged') {
    ctx.log.info(`acknowledgement ignored: the incident is ${incident.status}`, fields);
    return;
  }
  ctx.log.info('incident acknowledged: stopping the escalation', { ...fields, ackedBy: incident.ackedBy, ackedAt: incident.ackedAt });
  await cancelPendingTimer(ctx, incident);
  await settle(ctx, incident);
}
