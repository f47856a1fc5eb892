/**
 * A timer fired: notify the next level unless the incident was acknowledged, resolved or
 * replaced, or the alarm is OK; after the last level start the chain again (REPEAT times), then
 * declare the incident exhausted.
 */
import type { Incident } from '../../shared/incident';
import { currentAlarmState } from '../alarm/cloudwatch';
import { compareSteps, isTerminal, previousStep, sameStep, Step } from '../chain/steps';
import type { TimerEvent } from '../events/parse';
import { chainShape, FlowContext, stepOf } from './context';
import { notifyStep } from './notify';

export async function onTimer(ctx: FlowContext, ev: TimerEvent): Promise<void> {
  const step: Step = { level: ev.level, cycle: ev.cycle };
  const fields = { alarmName: ev.alarmName, incidentStart: ev.incidentStart, escalationLevel: ev.level, cycle: ev.cycle };
  const shape = chainShape(ctx.config);
  let incident: Incident | undefined = await ctx.store.get(ev.alarmName);
  if (!incident || incident.incidentStart !== ev.incidentStart) {
    ctx.log.info('timer ignored: its incident is over or was replaced by a newer one', { ...fields, current: incident?.incidentStart });
    return;
  }
  if (incident.severity !== 'page') {
    ctx.log.warn('timer ignored: tickets do not escalate', fields);
    return;
  }
  if (incident.status !== 'open') {
    ctx.log.info(`escalation stopped: the incident is ${incident.status}`, { ...fields, ackedBy: incident.ackedBy });
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
      ctx.log.warn('escalation stopped: the alarm no longer exists', fields);
      return;
    }
    if (alarm.state === 'OK') {
      ctx.log.info('escalation stopped: the alarm is OK', fields);
      return;
    }
    if (isTerminal(step, shape)) {
      if (await ctx.store.exhaust(incident, previous, new Date().toISOString())) {
        ctx.log.error('escalation exhausted: nobody acknowledged the incident after every level was notified', {
          ...fields, event: 'escalation-exhausted', levelCount: shape.levelDelays.length, passes: shape.repeat + 1, alarmState: alarm.state,
        });
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
