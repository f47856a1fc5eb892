/**
 * Someone acknowledged (the acknowledge function recorded it and invoked us): delete the pending
 * timer and tell every target an alarm notice reached who is handling it. Were this event lost,
 * the incident would still be acknowledged and the notices owed: the next invocation for the alarm
 * (its next timer, its OK) sends them.
 */
import { AcknowledgedEvent, LOG_EVENTS } from '../../shared/contract';
import type { FlowContext } from './context';
import { cancelPendingTimer, drain } from './drain';

export async function onAcknowledged(ctx: FlowContext, ev: AcknowledgedEvent): Promise<void> {
  const fields = { alarmName: ev.alarmName, incidentStart: ev.incidentStart, escalationLevel: ev.level, by: ev.by };
  const seen = await ctx.store.read(ev.alarmName);
  const incident = seen.incidents.find((i) => i.incidentStart === ev.incidentStart);
  if (!incident) {
    ctx.log.info('acknowledgement ignored: its incident is over', fields);
  } else if (incident.status !== 'acknowledged') {
    ctx.log.info(`acknowledgement ignored: the incident is ${incident.status}`, fields);
  } else {
    ctx.log.info('incident acknowledged: stopping the escalation', {
      ...fields, event: LOG_EVENTS.incidentAcknowledged, severity: incident.severity, ackedBy: incident.ackedBy, ackedAt: incident.ackedAt,
    });
    // An acknowledged incident does not advance: the timer after its step is the pending one.
    await cancelPendingTimer(ctx, incident);
  }
  return drain(ctx, ev.alarmName, seen);
}
