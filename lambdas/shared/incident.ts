/**
 * The incidents table: one item per alarm (pk `alarmName`), holding its current incident.
 * Shared by the escalation and acknowledge functions.
 */
import { AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem, Plain, unmarshalItem } from './dynamo-codec';

export type Severity = 'page' | 'ticket';
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved' | 'exhausted';

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
 * (epoch ms: that invocation's deadline, after which it cannot be running any more).
 */
export interface DeliveryRecord {
  readonly st: 'sending' | 'sent';
  readonly until?: number;
  readonly by?: string;
  readonly at?: string;
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
  /** Highest level notified in any cycle: recovery and acknowledgement notices go to 0..notifiedUpTo. */
  readonly notifiedUpTo: number;
  /** StateChangeTime of the latest alarm transition handled (ALARM or OK), ISO 8601 UTC. */
  readonly lastChange: string;
  readonly alarm: AlarmSnapshot;
  /** Delivery key (`a.<cycle>.<level>.<target>`, `r.<level>.<target>`, `k.<level>.<target>`) -> record. */
  readonly deliveries: Record<string, DeliveryRecord>;
  readonly ackedBy?: string;
  readonly ackedAt?: string;
  readonly ackLevel?: number;
  readonly ackNonce?: string;
  readonly resolvedAt?: string;
  readonly exhaustedAt?: string;
  /** TTL, epoch seconds. */
  readonly expiresAt: number;
}

/** How long an item is kept after its last change. */
export const INCIDENT_TTL_SECONDS = 30 * 24 * 3600;

export const dynamodb = new DynamoDBClient({});

export function incidentToItem(incident: Incident): Record<string, AttributeValue> {
  return marshalItem(incident as unknown as { [key: string]: Plain | undefined });
}

const STATUSES: IncidentStatus[] = ['open', 'acknowledged', 'resolved', 'exhausted'];

/** An item read from the table, or `undefined` when it does not look like an incident. */
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
export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
