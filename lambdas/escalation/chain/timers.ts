/**
 * Durable escalation timers: EventBridge Scheduler one-time schedules that invoke this function
 * with `{ kind: 'escalate', … }` and delete themselves after running. Creating an existing timer
 * and deleting a missing one both succeed, so every call may be repeated.
 */
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Config } from '../config/config';
import type { TimerEvent } from '../events/parse';
import { atExpression, scheduleName, Step } from './steps';

const scheduler = new SchedulerClient({});

export interface TimerTarget {
  readonly config: Config;
  /** This function's ARN, from `context.invokedFunctionArn`. */
  readonly functionArn: string;
}

/** Arms the timer of `step`; returns its name and time. */
export async function armTimer(t: TimerTarget, alarmName: string, incidentStart: string, step: Step, fireAt: Date): Promise<{ name: string; created: boolean }> {
  const name = scheduleName(alarmName, incidentStart, step);
  const input: TimerEvent = { kind: 'escalate', alarmName, incidentStart, level: step.level, cycle: step.cycle };
  try {
    await scheduler.send(new CreateScheduleCommand({
      Name: name,
      GroupName: t.config.scheduleGroup,
      ScheduleExpression: atExpression(fireAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: `cdk-reliability ${t.config.policyName}: level ${step.level + 1}, pass ${step.cycle + 1} of ${alarmName}`.slice(0, 512),
      Target: {
        Arn: t.functionArn,
        RoleArn: t.config.schedulerRoleArn,
        Input: JSON.stringify(input),
        ...(t.config.schedulerDlqArn ? { DeadLetterConfig: { Arn: t.config.schedulerDlqArn } } : {}),
      },
    }));
    return { name, created: true };
  } catch (err) {
    if (err instanceof ConflictException || (err as { name?: string })?.name === 'ConflictException') {
      return { name, created: false };
    }
    throw err;
  }
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
