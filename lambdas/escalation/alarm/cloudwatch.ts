/**
 * CloudWatch reads: an alarm's current state (before escalating) and its tags (cached per
 * container: they only change on deployment).
 */
import { CloudWatchClient, CompositeAlarm, DescribeAlarmsCommand, ListTagsForResourceCommand, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { errorFields, Logger } from '../../shared/log';

const cloudwatch = new CloudWatchClient({});
const tagCache = new Map<string, { tags: Record<string, string>; fetchedAt: number }>();
const TAG_CACHE_MS = 15 * 60 * 1000;

/**
 * The alarm's state value (`ALARM`, `OK`, `INSUFFICIENT_DATA`), ARN and when it entered that state
 * (ISO, when CloudWatch says), or `undefined` when it no longer exists.
 */
export async function currentAlarmState(alarmName: string): Promise<{ state: string; arn?: string; since?: string } | undefined> {
  const out = await cloudwatch.send(new DescribeAlarmsCommand({
    AlarmNames: [alarmName],
    AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
  }));
  const alarm = out.CompositeAlarms?.[0] ?? out.MetricAlarms?.[0];
  if (!alarm?.StateValue) {
    return undefined;
  }
  const since = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  return { state: alarm.StateValue, arn: alarm.AlarmArn, since: since instanceof Date && !Number.isNaN(since.getTime()) ? since.toISOString() : undefined };
}

/**
 * The alarm of that name in this account and region as DescribeAlarms returns it: a composite, a
 * metric alarm, or neither. Errors (throttling, 5xx, access denied) are thrown: the caller decides.
 */
export async function describeAlarmByName(alarmName: string): Promise<{ composite?: CompositeAlarm; metric?: MetricAlarm }> {
  const out = await cloudwatch.send(new DescribeAlarmsCommand({
    AlarmNames: [alarmName],
    // Both types: without AlarmTypes DescribeAlarms returns metric alarms only (DescribeAlarms API reference).
    AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
  }));
  return {
    composite: out.CompositeAlarms?.find((a) => a.AlarmName === alarmName),
    metric: out.MetricAlarms?.find((a) => a.AlarmName === alarmName),
  };
}

/** The alarm's tags; `{}` (logged) when they cannot be read: messages then fall back to the description. */
export async function alarmTags(alarmArn: string | undefined, log: Logger): Promise<Record<string, string>> {
  if (!alarmArn) {
    return {};
  }
  const cached = tagCache.get(alarmArn);
  if (cached && Date.now() - cached.fetchedAt < TAG_CACHE_MS) {
    return cached.tags;
  }
  try {
    const out = await cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn }));
    const tags: Record<string, string> = {};
    for (const t of out.Tags ?? []) {
      if (t.Key && t.Value !== undefined) {
        tags[t.Key] = t.Value;
      }
    }
    tagCache.set(alarmArn, { tags, fetchedAt: Date.now() });
    return tags;
  } catch (err) {
    log.warn('could not read the alarm tags; the message falls back to the alarm description', { alarmArn, ...errorFields(err) });
    return {};
  }
}

/** For tests. */
export function clearTagCache(): void {
  tagCache.clear();
}
