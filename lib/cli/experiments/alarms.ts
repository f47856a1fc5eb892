/**
 * Reading the CloudWatch alarms an experiment depends on: their current states (metric and
 * composite alarms alike), whether they went into ALARM during a time range, and where to look
 * when they did (runbook and dashboard from the tags and description `ReliableService` sets).
 */
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';

/** The state of one alarm. */
export interface AlarmStatus {
  readonly name: string;
  /** @default - unknown */
  readonly arn?: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  readonly state: string;
  /** When it entered this state. @default - unknown */
  readonly since?: Date;
  /** CloudWatch's reason for the state. @default - none */
  readonly reason?: string;
  /** @default - none */
  readonly description?: string;
}

const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm'] as const;
const NAMES_PER_CALL = 100;

/** The current state of the named alarms; alarms that do not exist are absent from the map. */
export async function describeAlarmStates(cloudWatch: CloudWatchClient, names: readonly string[]): Promise<Map<string, AlarmStatus>> {
  const states = new Map<string, AlarmStatus>();
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    let nextToken: string | undefined;
    do {
      const page = await cloudWatch.send(new DescribeAlarmsCommand({
        AlarmNames: names.slice(i, i + NAMES_PER_CALL),
        AlarmTypes: [...ALARM_TYPES],
        NextToken: nextToken,
      }));
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (alarm.AlarmName) {
          states.set(alarm.AlarmName, {
            name: alarm.AlarmName,
            arn: alarm.AlarmArn,
            state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
            since: alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp,
            reason: alarm.StateReason,
            description: alarm.AlarmDescription,
          });
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return states;
}

/** An alarm that went into ALARM, and when (the first time in the range asked for). */
export interface AlarmFiring {
  readonly name: string;
  /** @default - unknown */
  readonly at?: Date;
}

/**
 * The named alarms that entered ALARM between `start` and `end`, from their state history: the
 * way to catch an alarm that fired and recovered between two polls.
 */
export async function alarmsThatFired(cloudWatch: CloudWatchClient, names: readonly string[], start: Date, end: Date): Promise<AlarmFiring[]> {
  const fired: AlarmFiring[] = [];
  for (const name of names) {
    const history = await cloudWatch.send(new DescribeAlarmHistoryCommand({
      AlarmName: name,
      AlarmTypes: [...ALARM_TYPES],
      HistoryItemType: 'StateUpdate',
      StartDate: start,
      EndDate: end,
      MaxRecords: 100,
    }));
    const entries = (history.AlarmHistoryItems ?? []).filter((item) => {
      try {
        return JSON.parse(item.HistoryData ?? '{}')?.newState?.stateValue === 'ALARM';
      } catch {
        return /to ALARM\b/.test(item.HistorySummary ?? '');
      }
    });
    if (entries.length) {
      const times = entries.map((item) => item.Timestamp?.getTime()).filter((t): t is number => t !== undefined);
      fired.push({ name, at: times.length ? new Date(Math.min(...times)) : undefined });
    }
  }
  return fired;
}

/** Where to look when an alarm fired. */
export interface AlarmGuidance {
  /** @default - none known */
  readonly runbook?: string;
  /** Dashboard name. @default - none known */
  readonly dashboard?: string;
}

const RUNBOOK_IN_DESCRIPTION = /Runbook: (https?:\/\/\S+)\s*$/;

/**
 * The runbook and dashboard of an alarm: the `cdk-reliability:runbook` and
 * `cdk-reliability:dashboard` tags `ReliableService` puts on its composites, or the runbook link
 * at the end of the description. Best effort: a failure to read the tags gives what is known.
 */
export async function alarmGuidance(cloudWatch: CloudWatchClient, alarm: AlarmStatus): Promise<AlarmGuidance> {
  let runbook = RUNBOOK_IN_DESCRIPTION.exec(alarm.description ?? '')?.[1];
  let dashboard: string | undefined;
  if (alarm.arn) {
    try {
      const tags = await cloudWatch.send(new ListTagsForResourceCommand({ ResourceARN: alarm.arn }));
      for (const tag of tags.Tags ?? []) {
        if (tag.Key === 'cdk-reliability:runbook' && tag.Value) runbook = tag.Value;
        if (tag.Key === 'cdk-reliability:dashboard' && tag.Value) dashboard = tag.Value;
      }
    } catch {
      // no tags readable: keep what the description says
    }
  }
  return { runbook, dashboard };
}

/** The CloudWatch console page of an alarm. */
export function alarmConsoleUrl(region: string, name: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}

/** The CloudWatch console page of a dashboard. */
export function dashboardConsoleUrl(region: string, name: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(name)}`;
}

/** The FIS console page of an experiment. */
export function experimentConsoleUrl(region: string, experimentId: string): string {
  return `https://${region}.console.aws.amazon.com/fis/home?region=${region}#ExperimentDetails:ExperimentId=${experimentId}`;
}
