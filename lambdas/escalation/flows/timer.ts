/**
 * A timer fired: notify the next level unless the incident was acknowledged, resolved or
 * replaced; after the last level start the chain again (REPEAT times), then declare the incident
 * exhausted and tell every level nobody answered. A timer that finds the alarm OK (its OK
 * notification was lost) or deleted resolves the incident and tells everyone notified.
 */
import type { Incident, Resolution } from '../../shared/incident';
import { currentAlarmState } from '../alarm/cloudwatch';
import { compareSteps, isTerminal, previousStep, sameStep, Step } from '../chain/steps';
import type { TimerEvent } from '../events/parse';
import { chainShape, FlowContext, stepOf } from './context';
import { closeReplaced, notifyStep, settle } from './notify';

/** Resolves the incident found at a timer (alarm OK or deleted) and tells everyone notified. */
async function resolveAtTimer(ctx: FlowContext, incident: Incident, resolution: Resolution, since: string | undefined, fields: Record<string, unknown>): Promise<void> {
  // The OK's own time when CloudWatch gives one later than anything handled, so that the late OK
  // notification (if it comes) is recognised as handled; else now.
  const changeTime = since && since > incident.lastChange ? since : new Date().toISOString();
  const resolved = await ctx.store.resolve(incident, changeTime, Date.now(), resolution);
  const current = await ctx.store.get(incident.alarmName);
  if (!current || current.incidentStart !== incident.incidentStart || current.status !== 'resolved') {
    ctx.log.info('timer ignored: the incident changed meanwhile', fields);
    return;
  }
  ctx.log.warn(resolution === 'deleted'
    ? 'escalation stopped: the alarm no longer exists; incident closed'
    : 'escalation stopped: the alarm is OK (its OK notification never came); incident resolved', { ...fields, resolvedAt: current.resolvedAt, recorded: resolved });
  await settle(ctx, current);
}

export async function onTimer(ctx: FlowContext, ev: TimerEvent): Promise<void> {
  const step: Step = { level: ev.level, cycle: ev.cycle };
  const fields = { alarmName: ev.alarmName, incidentStart: ev.incidentStart, escalationLevel: ev.level, cycle: ev.cycle };
  const shape = chainShape(ctx.config);
  let incident: Incident | undefined = await ctx.store.get(ev.alarmName);
  if (!incident || incident.incidentStart !== ev.incidentStart) {
    ctx.log.info('timer ignored: its incident is over or was replaced by a newer one', { ...fields, current: incident?.incidentStart });
    if (incident) {
      await closeReplaced(ctx, incident);
    }
    return;
  }
  if (incident.severity !== 'page') {
    ctx.log.warn('timer ignored: tickets do not escalate', fields);
    return;
  }
  if (incident.status !== 'open') {
    ctx.log.info(`escalation stopped: the incident is ${incident.status}`, { ...fields, ackedBy: incident.ackedBy });
    // Finish what is left (e.g. the acknowledgement notices when the acknowledge function could
    // not invoke this function): only what was not sent yet is sent.
    await settle(ctx, incident);
    return;
  }
  const order = compareSteps(stepOf(incident), step);
  if (order > 0) {
    ctx.log.info('timer ignored: the chain is already past this step (duplicate timer)', fields);
    return;
  }
  if (order < 0) {
    const previous = previousStep(step, shape);
    if (!previous || !sameStep(previous, stepOf(incident))) {
      ctx.log.warn('timer ignored: out of sequence', { ...fields, currentEscalationLevel: incident.level, currentCycle: incident.cycle });
      return;
    }
    const alarm = await currentAlarmState(ev.alarmName);
    if (!alarm) {
      await resolveAtTimer(ctx, incident, 'deleted', undefined, fields);
      return;
    }
    if (alarm.state === 'OK') {
      await resolveAtTimer(ctx, incident, 'ok', alarm.since, fields);
      return;
    }
    if (isTerminal(step, shape)) {
      const exhausted = await ctx.store.exhaust(incident, previous, new Date().toISOString());
      const current = await ctx.store.get(ev.alarmName);
      if (exhausted) {
        ctx.log.error('escalation exhausted: nobody acknowledged the incident after every level was notified', {
          ...fields, event: 'escalation-exhausted', levelCount: shape.levelDelays.length, passes: shape.repeat + 1, alarmState: alarm.state,
        });
      }
      if (current && current.incidentStart === ev.incidentStart && current.status !== 'open') {
        // Tells every level once that nobody answered (or, if it changed meanwhile, what it became).
        await settle(ctx, current);
      }
      return;
    }
    const advanced = await ctx.store.advance(incident, previous, step);
    incident = await ctx.store.get(ev.alarmName);
    if (!incident || incident.incidentStart !== ev.incidentStart || incident.status !== 'open' || !sameStep(stepOf(incident), step)) {
      ctx.log.info('timer ignored: the incident changed meanwhile', fields);
      return;
    }
    ctx.log.info(advanced ? 'escalating' : 'escalation already recorded (concurrent duplicate timer)', fields);
  } else {
    ctx.log.info('step already recorded (retry): finishing what is left', fields);
  }
  await notifyStep(ctx, incident, step);
}
