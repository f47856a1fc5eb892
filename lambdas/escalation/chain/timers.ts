/**
 * Durable timers: EventBridge Scheduler one-time schedules that invoke this function and delete
 * themselves after running. Escalation timers (`{ kind: 'escalate', … }`) page the next level;
 * drain timers (`{ kind: 'drain', alarmName }`) send whatever an alarm's item still owes. Creating
 * an existing timer and deleting a missing one both succeed, so every call may be repeated.
 */
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Config } from '../config/config';
import type { DrainEvent, TimerEvent } from '../../shared/contract';
import { atExpression, scheduleName, shortHash, Step } from './steps';

const scheduler = new SchedulerClient({});

export interface TimerTarget {
  readonly config: Config;
  /** This function's ARN, from `context.invokedFunctionArn`. */
  readonly functionArn: string;
}

async function createSchedule(t: TimerTarget, name: string, fireAt: Date, input: TimerEvent | DrainEvent, description: string): Promise<boolean> {
  try {
    await scheduler.send(new CreateScheduleCommand({
      Name: name,
      GroupName: t.config.scheduleGroup,
      ScheduleExpression: atExpression(fireAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: description.slice(0, 512),
      Target: {
        Arn: t.functionArn,
        RoleArn: t.config.schedulerRoleArn,
        Input: JSON.stringify(input),
        ...(t.config.schedulerDlqArn ? { DeadLetterConfig: { Arn: t.config.schedulerDlqArn } } : {}),
      },
    }));
    return true;
  } catch (err) {
    if (err instanceof ConflictException || (err as { name?: string })?.name === 'ConflictException') {
      return false;
    }
    throw err;
  }
}

/** Arms the timer of `step`; returns its name and whether this call created it. */
export async function armTimer(t: TimerTarget, alarmName: string, incidentStart: string, step: Step, fireAt: Date): Promise<{ name: string; created: boolean }> {
  const name = scheduleName(alarmName, incidentStart, step);
  const input: TimerEvent = { kind: 'escalate', alarmName, incidentStart, level: step.level, cycle: step.cycle };
  const created = await createSchedule(t, name, fireAt, input, `cdk-reliability ${t.config.policyName}: level ${step.level + 1}, pass ${step.cycle + 1} of ${alarmName}`);
  return { name, created };
}

/**
 * The drain timer of an alarm firing in the minute that starts at or after `at`:
 * `<hash of alarm>-d-<epoch minutes>`, so that invocations wanting one in the same minute share it.
 */
export function drainSchedule(alarmName: string, at: number): { name: string; fireAt: Date } {
  const minute = Math.ceil(at / 60_000);
  return { name: `${shortHash(alarmName)}-d-${minute}`, fireAt: new Date(minute * 60_000) };
}

/** Arms a drain timer of the alarm at (the minute after) `at`, epoch ms; returns its name. */
export async function armDrain(t: TimerTarget, alarmName: string, at: number): Promise<{ name: string; created: boolean; fireAt: Date }> {
  const { name, fireAt } = drainSchedule(alarmName, at);
  const input: DrainEvent = { kind: 'drain', alarmName };
  const created = await createSchedule(t, name, fireAt, input, `cdk-reliability ${t.config.policyName}: notices still owed for ${alarmName}`);
  return { name, created, fireAt };
}

/** Deletes the timer of `step` if it is still pending. */
export async function cancelTimer(config: Config, alarmName: string, incidentStart: string, step: Step): Promise<{ name: string; deleted: boolean }> {
  const name = scheduleName(alarmName, incidentStart, step);
  try {
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: config.scheduleGroup }));
    return { name, deleted: true };
  } catch (err) {
    if ((err as { name?: string })?.name === 'ResourceNotFoundException') {
      return { name, deleted: false };
    }
    throw err;
  }
}
