/**
 * Recognizes what invoked the escalation function and checks it. Pure: malformed input becomes
 * a reason to log, never an exception.
 */
import type { AcknowledgedEvent, DrainEvent, TimerEvent } from '../../shared/contract';
import type { AlarmSnapshot, Severity } from '../../shared/incident';

/** One CloudWatch alarm transition delivered by SNS. */
export interface AlarmTransition {
  readonly messageId: string;
  readonly severity: Severity;
  readonly alarmName: string;
  readonly newState: string;
  readonly oldState?: string;
  /** StateChangeTime, normalized to ISO 8601 UTC. */
  readonly changeTime: string;
  readonly snapshot: AlarmSnapshot;
}

export type ParsedRecord =
  | { readonly ok: true; readonly transition: AlarmTransition }
  | { readonly ok: false; readonly messageId?: string; readonly reason: string };

export type ParsedEvent =
  | { readonly type: 'sns'; readonly records: ParsedRecord[] }
  | { readonly type: 'timer'; readonly event: TimerEvent }
  | { readonly type: 'drain'; readonly event: DrainEvent }
  | { readonly type: 'acknowledged'; readonly event: AcknowledgedEvent }
  | { readonly type: 'invalid'; readonly reason: string };

export interface Topics {
  readonly pageTopicArn: string;
  readonly ticketTopicArn: string;
}

/** CloudWatch writes `2024-05-01T10:00:00.000+0000`; JavaScript wants `+00:00`. */
export function normalizeTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    return undefined;
  }
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:name` -> `{ region, name }`. */
export function parseAlarmArn(arn: unknown): { region: string; name: string } | undefined {
  if (typeof arn !== 'string') {
    return undefined;
  }
  const m = /^arn:[^:]+:cloudwatch:([^:]+):[^:]*:alarm:(.+)$/.exec(arn);
  return m ? { region: m[1], name: m[2] } : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;
}

function triggeringChildren(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const names: string[] = [];
  for (const child of value) {
    if (!isRecord(child)) {
      continue;
    }
    const state = isRecord(child.State) ? child.State.Value : undefined;
    const parsed = parseAlarmArn(child.Arn);
    if (parsed && (state === undefined || state === 'ALARM') && !names.includes(parsed.name)) {
      names.push(parsed.name);
    }
  }
  return names.slice(0, 20);
}

export function parseSnsRecord(record: unknown, topics: Topics): ParsedRecord {
  const sns = isRecord(record) && isRecord(record.Sns) ? record.Sns : undefined;
  if (!sns) {
    return { ok: false, reason: 'record has no Sns member' };
  }
  const messageId = typeof sns.MessageId === 'string' ? sns.MessageId : undefined;
  const fail = (reason: string): ParsedRecord => ({ ok: false, messageId, reason });
  let severity: Severity;
  if (sns.TopicArn === topics.pageTopicArn) {
    severity = 'page';
  } else if (sns.TopicArn === topics.ticketTopicArn) {
    severity = 'ticket';
  } else {
    return fail(`unexpected topic ${JSON.stringify(sns.TopicArn)}`);
  }
  let message: unknown;
  try {
    message = JSON.parse(String(sns.Message));
  } catch {
    return fail('Message is not JSON');
  }
  if (!isRecord(message)) {
    return fail('Message is not a JSON object');
  }
  const alarmName = text(message.AlarmName, 256);
  if (!alarmName) {
    return fail('Message has no AlarmName');
  }
  const newState = text(message.NewStateValue, 32);
  if (!newState) {
    return fail('Message has no NewStateValue');
  }
  const changeTime = normalizeTime(message.StateChangeTime);
  if (!changeTime) {
    return fail(`StateChangeTime ${JSON.stringify(message.StateChangeTime)} is not a time`);
  }
  const arn = text(message.AlarmArn, 2048);
  return {
    ok: true,
    transition: {
      messageId: messageId ?? '',
      severity,
      alarmName,
      newState,
      oldState: text(message.OldStateValue, 32),
      changeTime,
      snapshot: {
        arn,
        region: parseAlarmArn(arn)?.region,
        description: text(message.AlarmDescription, 1024),
        reason: text(message.NewStateReason, 1024),
        children: triggeringChildren(message.TriggeringChildren),
      },
    },
  };
}

function step(v: unknown): number | undefined {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1000 ? v as number : undefined;
}

function parseTimer(e: Record<string, unknown>): ParsedEvent {
  const alarmName = text(e.alarmName, 256);
  const incidentStart = normalizeTime(e.incidentStart);
  const level = step(e.level);
  const cycle = step(e.cycle);
  if (!alarmName || !incidentStart || level === undefined || cycle === undefined) {
    return { type: 'invalid', reason: 'escalate event needs alarmName, incidentStart (a time), level and cycle (integers >= 0)' };
  }
  return { type: 'timer', event: { kind: 'escalate', alarmName, incidentStart, level, cycle } };
}

function parseAcknowledged(e: Record<string, unknown>): ParsedEvent {
  const alarmName = text(e.alarmName, 256);
  const incidentStart = normalizeTime(e.incidentStart);
  const level = step(e.level);
  if (!alarmName || !incidentStart || level === undefined) {
    return { type: 'invalid', reason: 'acknowledged event needs alarmName, incidentStart (a time) and level (an integer >= 0)' };
  }
  // Only logged (notices use the name recorded in the incident); the acknowledge function keeps it to 64 characters.
  const by = typeof e.by === 'string' && e.by.trim().length > 0 ? Array.from(e.by.trim()).slice(0, 64).join('') : 'someone';
  return { type: 'acknowledged', event: { kind: 'acknowledged', alarmName, incidentStart, level, by } };
}

export function parseEvent(event: unknown, topics: Topics): ParsedEvent {
  if (!isRecord(event)) {
    return { type: 'invalid', reason: 'event is not a JSON object' };
  }
  if (Array.isArray(event.Records)) {
    if (event.Records.length === 0) {
      return { type: 'invalid', reason: 'event has no Records' };
    }
    return { type: 'sns', records: event.Records.map((r) => parseSnsRecord(r, topics)) };
  }
  if (event.kind === 'escalate') {
    return parseTimer(event);
  }
  if (event.kind === 'acknowledged') {
    return parseAcknowledged(event);
  }
  if (event.kind === 'drain') {
    const alarmName = text(event.alarmName, 256);
    return alarmName ? { type: 'drain', event: { kind: 'drain', alarmName } } : { type: 'invalid', reason: 'drain event needs alarmName' };
  }
  return { type: 'invalid', reason: `unrecognized event (kind ${JSON.stringify(event.kind ?? null)})` };
}
