/**
 * A timer fired: notify the next level unless the incident was acknowledged, resolved or
 * replaced; after the last level start the chain again (REPEAT times), then declare the incident
 * exhausted (every level notified hears that nobody answered). A timer that finds the alarm OK
 * (its OK notification was lost) or deleted resolves the incident. Whatever it finds, it then
 * sends what the alarm's item owes (flows/drain.ts).
 */
import type { AlarmItem, Incident, Resolution } from '../../shared/incident';
import { currentAlarmState } from '../alarm/cloudwatch';
import { compareSteps, isTerminal, previousStep, sameStep, Step } from '../chain/steps';
import { LOG_EVENTS } from '../../shared/contract';
import type { DrainEvent, TimerEvent } from '../../shared/contract';
import { chainShape, FlowContext, stepOf } from './context';
import { drain, ensureWatchdog } from './drain';

/** Resolves the incident found at a timer (alarm OK or deleted). */
async function resolveAtTimer(ctx: FlowContext, seen: AlarmItem, incident: Incident, resolution: Resolution, since: string | undefined,
  fields: Record<string, unknown>): Promise<void> {
  // The OK's own time when CloudWatch gives one later than anything handled, so that the late OK
  // notification (if it comes) is recognised as handled; else now.
  const lastChange = seen.lastChange ?? incident.incidentStart;
  const changeTime = since && since > lastChange ? since : new Date().toISOString();
  await ensureWatchdog(ctx, incident.alarmName);
  const resolved = await ctx.store.resolve(incident, changeTime, Date.now(), resolution);
  if (!resolved) {
    ctx.log.info('timer ignored: the incident changed meanwhile', fields);
    return drain(ctx, incident.alarmName);
  }
  ctx.log.warn(resolution === 'deleted'
    ? 'escalation stopped: the alarm no longer exists; incident closed'
    : 'escalation stopped: the alarm is OK (its OK notification never came); incident resolved',
  { ...fields, resolvedAt: changeTime, event: LOG_EVENTS.incidentResolved, resolution });
  return drain(ctx, incident.alarmName, resolved);
}

export async function onTimer(ctx: FlowContext, ev: TimerEvent): Promise<void> {
  const step: Step = { level: ev.level, cycle: ev.cycle };
  const fields = { alarmName: ev.alarmName, incidentStart: ev.incidentStart, escalationLevel: ev.level, cycle: ev.cycle };
  const shape = chainShape(ctx.config);
  const seen = await ctx.store.read(ev.alarmName);
  const incident = seen.incidents.find((i) => i.incidentStart === ev.incidentStart);
  if (!incident) {
    ctx.log.info('timer ignored: its incident is over', { ...fields, current: seen.current?.incidentStart });
    return drain(ctx, ev.alarmName, seen);
  }
  if (incident.severity !== 'page') {
    ctx.log.warn('timer ignored: tickets do not escalate', fields);
    return drain(ctx, ev.alarmName, seen);
  }
  if (incident.status !== 'open') {
    ctx.log.info(`escalation stopped: the incident is ${incident.status}${incident.resolution === 'replaced' ? ' (replaced by a newer one)' : ''}`,
      { ...fields, ackedBy: incident.ackedBy });
    return drain(ctx, ev.alarmName, seen);
  }
  const order = compareSteps(stepOf(incident), step);
  if (order > 0) {
    ctx.log.info('timer ignored: the chain is already past this step (duplicate timer)', fields);
    return drain(ctx, ev.alarmName, seen);
  }
  if (order === 0) {
    ctx.log.info('step already recorded (retry): finishing what is left', fields);
    return drain(ctx, ev.alarmName, seen, { armStep: true });
  }
  const previous = previousStep(step, shape);
  if (!previous || !sameStep(previous, stepOf(incident))) {
    ctx.log.warn('timer ignored: out of sequence', { ...fields, currentEscalationLevel: incident.level, currentCycle: incident.cycle });
    return drain(ctx, ev.alarmName, seen);
  }
  const alarm = await currentAlarmState(ev.alarmName);
  if (!alarm) {
    return resolveAtTimer(ctx, seen, incident, 'deleted', undefined, fields);
  }
  if (alarm.state === 'OK') {
    return resolveAtTimer(ctx, seen, incident, 'ok', alarm.since, fields);
  }
  await ensureWatchdog(ctx, ev.alarmName);
  if (isTerminal(step, shape)) {
    const exhausted = await ctx.store.exhaust(incident, previous, new Date().toISOString());
    if (exhausted) {
      ctx.log.error('escalation exhausted: nobody acknowledged the incident after every level was notified', {
        ...fields, event: LOG_EVENTS.escalationExhausted, levelCount: shape.levelDelays.length, passes: shape.repeat + 1, alarmState: alarm.state,
      });
    }
    // Every level notified hears once that nobody answered (or, if it changed meanwhile, what it became).
    return drain(ctx, ev.alarmName, exhausted);
  }
  const advanced = await ctx.store.advance(incident, previous, step);
  if (advanced) {
    ctx.log.info('escalating', { ...fields, event: LOG_EVENTS.incidentEscalated });
  } else {
    ctx.log.info('timer: the incident changed meanwhile (a duplicate timer, an acknowledgement or an OK)', fields);
  }
  return drain(ctx, ev.alarmName, advanced, { armStep: true });
}

/** A drain timer: send what the alarm's item still owes. */
export async function onDrain(ctx: FlowContext, ev: DrainEvent): Promise<void> {
  // Also re-arms the escalation timer of an open incident whose notifier was stopped before it could.
  return drain(ctx, ev.alarmName, undefined, { armStep: true });
}
