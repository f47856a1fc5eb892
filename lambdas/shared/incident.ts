/**
 * The incidents table: one item per alarm (pk `alarmName`), holding its current incident.
 * Shared by the escalation and acknowledge functions.
 */
import { AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem, Plain, unmarshalItem } from './dynamo-codec';

export type Severity = 'page' | 'ticket';
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved' | 'exhausted';
/** Why a resolved incident ended: the alarm's OK, a newer ALARM replacing it, or the alarm being deleted. */
export type Resolution = 'ok' | 'replaced' | 'deleted';

/** What the escalation function remembers of the alarm, to write messages from timers. */
export interface AlarmSnapshot {
  readonly arn?: string;
  readonly description?: string;
  readonly reason?: string;
  /** Region code (`eu-west-1`), from the alarm ARN. */
  readonly region?: string;
  /** Names of the child alarms in ALARM that triggered the composite. */
  readonly children: string[];
}

/**
 * One delivery to one target. `sending` is a claim held by invocation `by` until `until`
 * (epoch ms: that invocation's deadline, after which it cannot be running any more); `sent` and
 * `failed` (a permanent failure: a webhook 4xx, a bad routing key; `error` says which, never the
 * URL or key) are final.
 */
export interface DeliveryRecord {
  readonly st: 'sending' | 'sent' | 'failed';
  readonly until?: number;
  readonly by?: string;
  readonly at?: string;
  readonly error?: string;
}

/**
 * An incident a newer ALARM replaced before everyone it notified was told it is over: kept in the
 * new incident's item so that its closing notices (delivery keys `<keyPrefix>.<level>.<target>`, PagerDuty
 * `resolve` with its own dedup key) are sent, and retried, like any other.
 */
export interface ReplacedIncident {
  readonly incidentStart: string;
  readonly severity: Severity;
  readonly cycle: number;
  readonly alarm: AlarmSnapshot;
  readonly resolution: Resolution;
  /** When it ended: its OK, or the newer ALARM's StateChangeTime. */
  readonly resolvedAt: string;
  readonly ackedBy?: string;
  readonly ackedAt?: string;
  /** `<level>.<target id>` (tickets: level 0) of every target its alarm notice reached, or may have, and that was not yet told it is over. */
  readonly targets: string[];
  /** Claims other invocations held on it when it was replaced: its closing notices wait until they end. */
  readonly sending: Array<{ readonly by: string; readonly until: number }>;
  /**
   * Prefix of its closing delivery keys in the item holding it: `p.<incidentStart epoch ms>`
   * (absent on records written by the previous version: `p`).
   */
  readonly keyPrefix?: string;
}

export interface Incident {
  readonly alarmName: string;
  /** StateChangeTime of the ALARM transition that opened it, ISO 8601 UTC. */
  readonly incidentStart: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  /** The escalation step reached: the last level notified (0-based) and the cycle (0-based). */
  readonly level: number;
  readonly cycle: number;
  /**
   * Highest level reached in any cycle (informational: recovery, acknowledgement and exhaustion
   * notices go to every target whose alarm notice was claimed or sent, read from `deliveries`).
   */
  readonly notifiedUpTo: number;
  /** StateChangeTime of the latest alarm transition handled (ALARM or OK), ISO 8601 UTC. */
  readonly lastChange: string;
  readonly alarm: AlarmSnapshot;
  /**
   * Delivery key -> record. Keys: `a.<cycle>.<level>.<target>` (alarm), `x.<level>.<target>`
   * (nobody answered), `k.<level>.<target>` (acknowledged), `r.<level>.<target>` (recovered),
   * `p.<epoch ms>.<level>.<target>` (closing a replaced incident; `p.<level>.<target>` from the previous version); tickets use `t` as the level and no cycle.
   */
  readonly deliveries: Record<string, DeliveryRecord>;
  readonly ackedBy?: string;
  readonly ackedAt?: string;
  readonly ackLevel?: number;
  readonly ackNonce?: string;
  readonly resolvedAt?: string;
  readonly resolution?: Resolution;
  readonly exhaustedAt?: string;
  /**
   * The incidents this one replaced whose closing notices were owed when it was opened (carried
   * over from the incident it replaced, too): every later invocation for the alarm retries them.
   */
  readonly replaced?: ReplacedIncident[];
  /**
   * TTL, epoch seconds: only on resolved incidents (and OK markers), so that an open, acknowledged
   * or exhausted incident never expires while its alarm is still in ALARM.
   */
  readonly expiresAt?: number;
}

/**
 * What an OK with no incident leaves behind (`okMarker: true`, no `incidentStart`): its
 * StateChangeTime as `lastChange`, so that an older ALARM delivered later (SNS reordering, a
 * retried invocation) is recognised as already recovered and ignored. Expires like a resolved incident.
 */
export interface OkMarker {
  readonly alarmName: string;
  readonly okMarker: true;
  readonly severity: Severity;
  readonly status: 'resolved';
  readonly lastChange: string;
  readonly resolvedAt: string;
  readonly expiresAt: number;
}

/** How long a resolved incident (or OK marker) is kept after it resolved. */
export const INCIDENT_TTL_SECONDS = 30 * 24 * 3600;

export const dynamodb = new DynamoDBClient({});

export function incidentToItem(incident: Incident | OkMarker): Record<string, AttributeValue> {
  return marshalItem(incident as unknown as { [key: string]: Plain | undefined });
}

const STATUSES: IncidentStatus[] = ['open', 'acknowledged', 'resolved', 'exhausted'];

/** An item read from the table, or `undefined` when it does not look like an incident (an OK marker is not one). */
export function incidentFromItem(item: Record<string, AttributeValue> | undefined): Incident | undefined {
  if (!item) {
    return undefined;
  }
  const v = unmarshalItem(item) as Record<string, unknown>;
  const ok = typeof v.alarmName === 'string' && typeof v.incidentStart === 'string'
    && (v.severity === 'page' || v.severity === 'ticket') && STATUSES.includes(v.status as IncidentStatus)
    && typeof v.level === 'number' && typeof v.cycle === 'number' && typeof v.lastChange === 'string';
  if (!ok) {
    return undefined;
  }
  const alarm = (typeof v.alarm === 'object' && v.alarm !== null ? v.alarm : {}) as Partial<AlarmSnapshot>;
  return {
    ...(v as unknown as Incident),
    notifiedUpTo: typeof v.notifiedUpTo === 'number' ? v.notifiedUpTo : v.level as number,
    alarm: { ...alarm, children: Array.isArray(alarm.children) ? alarm.children : [] },
    deliveries: (typeof v.deliveries === 'object' && v.deliveries !== null ? v.deliveries : {}) as Record<string, DeliveryRecord>,
    // The previous version kept one record (an object).
    replaced: Array.isArray(v.replaced) ? v.replaced as ReplacedIncident[]
      : typeof v.replaced === 'object' && v.replaced !== null ? [v.replaced as ReplacedIncident] : undefined,
  };
}

export async function getIncident(tableName: string, alarmName: string): Promise<Incident | undefined> {
  const out = await dynamodb.send(new GetItemCommand({
    TableName: tableName,
    Key: { alarmName: { S: alarmName } },
    ConsistentRead: true,
  }));
  return incidentFromItem(out.Item);
}

/** Builds expression attribute names and values: every name is a placeholder (many are reserved words). */
export class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private nameCount = 0;
  private valueCount = 0;
  private readonly nameIds = new Map<string, string>();

  /** `#n0.#n1` for the document path `deliveries` -> `a.0.1.topic` (segments are literal names). */
  path(...segments: string[]): string {
    return segments.map((s) => {
      let id = this.nameIds.get(s);
      if (!id) {
        id = `#n${this.nameCount++}`;
        this.nameIds.set(s, id);
        this.names[id] = s;
      }
      return id;
    }).join('.');
  }

  value(v: Plain): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = marshalItem({ x: v }).x;
    return id;
  }
}

/** True when a DynamoDB call failed its condition. */
function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * Runs a conditional write: its result, or `undefined` when the condition failed (another
 * invocation got there first). Every other error is thrown.
 */
export async function conditionally<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (err) {
    if (isConditionFailed(err)) {
      return undefined;
    }
    throw err;
  }
}
