/**
 * The incidents table: one item per alarm (pk `alarmName`), holding its incidents (see
 * `AlarmItem`). Shared by the escalation and acknowledge functions.
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
 * One notice to one target of an incident (its delivery key, see `Incident.deliveries`).
 *
 * - `sending`: claimed by invocation `by` until `until` (epoch ms: that invocation's deadline,
 *   after which it cannot be running any more: the claim has lapsed and the notice is owed again);
 * - `retry`: a try failed in a way worth retrying; owed again;
 * - `sent` and `failed` (a permanent failure, or retries given up: `error` says which, never the
 *   URL or key) are final.
 *
 * `n` counts the tries (claims) so far and `first` is when the first began (epoch ms): retries
 * are given up after a while (see flows/owed.ts).
 */
export interface DeliveryRecord {
  readonly st: 'sending' | 'retry' | 'sent' | 'failed';
  readonly until?: number;
  readonly by?: string;
  readonly n?: number;
  readonly first?: number;
  readonly at?: string;
  readonly error?: string;
}

/**
 * A closing record written by the previous version: an incident a newer ALARM replaced before
 * everyone it notified was told it is over, kept in the newer incident's item. Read only to be
 * converted into an incident of its own (see `IncidentStore.read`).
 */
export interface LegacyReplacedIncident {
  readonly incidentStart: string;
  readonly severity: Severity;
  readonly cycle: number;
  readonly alarm: AlarmSnapshot;
  readonly resolution: Resolution;
  readonly resolvedAt: string;
  readonly ackedBy?: string;
  readonly ackedAt?: string;
  /** `<level>.<target id>` (tickets: level 0) still to be told. */
  readonly targets: string[];
  /** Prefix of its closing delivery keys in the item holding it: `p.<epoch ms>`, or absent: `p`. */
  readonly keyPrefix?: string;
}

/** One incident: the notices of one ALARM transition of an alarm, from the page to the last follow-up. */
export interface Incident {
  readonly alarmName: string;
  /** StateChangeTime of the ALARM transition that opened it, ISO 8601 UTC. */
  readonly incidentStart: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  /** The escalation step reached: the last level notified (0-based) and the cycle (0-based). */
  readonly level: number;
  readonly cycle: number;
  /** Highest level reached in any cycle (informational). */
  readonly notifiedUpTo: number;
  readonly alarm: AlarmSnapshot;
  /**
   * Delivery key -> record. Keys: `a.<cycle>.<level>.<target>` (alarm), `x.<level>.<target>`
   * (nobody answered), `k.<level>.<target>` (acknowledged), `r.<level>.<target>` (recovered, or
   * closed); tickets use `t` as the level and no cycle.
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
   * Where it lives in its alarm's item: `['incidents', '<epoch ms of incidentStart>']`, or `[]` for
   * an incident written by the previous version (its fields at the top level of the item).
   */
  readonly path: string[];
}

/**
 * What the table holds for one alarm (one item, pk `alarmName`): every incident that is not over
 * yet or still owes notices, under `incidents` (a map keyed by the epoch ms of `incidentStart`),
 * the latest of them named by `current`; `lastChange`, the StateChangeTime of the latest
 * transition handled; or an OK marker (`okMarker: true`, no incident).
 *
 * Items written by the previous version hold one incident at the top level (and maybe `replaced`
 * closing records): it is read as an incident with `path: []` and kept where it is.
 */
export interface AlarmItem {
  readonly alarmName: string;
  /** False when the table holds nothing for the alarm. */
  readonly exists: boolean;
  /** StateChangeTime of the latest transition handled (ALARM or OK), ISO 8601 UTC. */
  readonly lastChange?: string;
  readonly okMarker: boolean;
  /** The latest incident. */
  readonly current?: Incident;
  /** Every incident, oldest first (the current one included). */
  readonly incidents: Incident[];
  /** Whether the item has the `incidents` map. */
  readonly hasMap: boolean;
  /** Closing records of the previous version still in the item. */
  readonly legacyReplaced?: LegacyReplacedIncident[];
  /** TTL, epoch seconds: only while every incident is resolved. */
  readonly expiresAt?: number;
}

/**
 * What an OK with no incident leaves behind (`okMarker: true`, no incident): its
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

/** Key of an incident in the `incidents` map: the epoch ms of its start, as a string. */
export function incidentKey(incidentStart: string): string {
  return String(Date.parse(incidentStart));
}

const STATUSES: IncidentStatus[] = ['open', 'acknowledged', 'resolved', 'exhausted'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One incident from its attributes (an entry of `incidents`, or the top level of an item of the previous version). */
function incidentFrom(alarmName: string, v: Record<string, unknown>, path: string[]): Incident | undefined {
  const ok = typeof v.incidentStart === 'string' && (v.severity === 'page' || v.severity === 'ticket')
    && STATUSES.includes(v.status as IncidentStatus) && typeof v.level === 'number' && typeof v.cycle === 'number';
  if (!ok) {
    return undefined;
  }
  const alarm = (isObject(v.alarm) ? v.alarm : {}) as Partial<AlarmSnapshot>;
  const pick = <T>(key: string, type: string): T | undefined => (typeof v[key] === type ? v[key] as T : undefined);
  return {
    alarmName,
    incidentStart: v.incidentStart as string,
    severity: v.severity as Severity,
    status: v.status as IncidentStatus,
    level: v.level as number,
    cycle: v.cycle as number,
    notifiedUpTo: typeof v.notifiedUpTo === 'number' ? v.notifiedUpTo : v.level as number,
    alarm: { ...alarm, children: Array.isArray(alarm.children) ? alarm.children : [] },
    deliveries: (isObject(v.deliveries) ? v.deliveries : {}) as Record<string, DeliveryRecord>,
    ackedBy: pick('ackedBy', 'string'),
    ackedAt: pick('ackedAt', 'string'),
    ackLevel: pick('ackLevel', 'number'),
    ackNonce: pick('ackNonce', 'string'),
    resolvedAt: pick('resolvedAt', 'string'),
    resolution: pick('resolution', 'string'),
    exhaustedAt: pick('exhaustedAt', 'string'),
    path,
  };
}

/** The alarm's item as read (or returned by a write), `undefined` meaning no item. */
export function alarmItemFrom(alarmName: string, item: Record<string, AttributeValue> | undefined): AlarmItem {
  if (!item) {
    return { alarmName, exists: false, okMarker: false, incidents: [], hasMap: false };
  }
  const v = unmarshalItem(item) as Record<string, unknown>;
  const incidents: Incident[] = [];
  const legacy = incidentFrom(alarmName, v, []);
  if (legacy) {
    incidents.push(legacy);
  }
  const map = isObject(v.incidents) ? v.incidents : undefined;
  for (const [key, entry] of Object.entries(map ?? {})) {
    const incident = isObject(entry) ? incidentFrom(alarmName, entry, ['incidents', key]) : undefined;
    if (incident) {
      incidents.push(incident);
    }
  }
  incidents.sort((a, b) => Date.parse(a.incidentStart) - Date.parse(b.incidentStart));
  const currentKey = typeof v.current === 'string' ? v.current : undefined;
  const current = currentKey !== undefined
    ? incidents.find((i) => i.path.length === 2 && i.path[1] === currentKey)
    : legacy;
  // The previous version kept one record (an object) or a list.
  const replaced = Array.isArray(v.replaced) ? v.replaced : isObject(v.replaced) ? [v.replaced] : [];
  return {
    alarmName,
    exists: true,
    lastChange: typeof v.lastChange === 'string' ? v.lastChange : undefined,
    okMarker: v.okMarker === true,
    current,
    incidents,
    hasMap: map !== undefined,
    legacyReplaced: replaced.length > 0 ? replaced as unknown as LegacyReplacedIncident[] : undefined,
    expiresAt: typeof v.expiresAt === 'number' ? v.expiresAt : undefined,
  };
}

/** The alarm's item, read consistently. */
export async function readAlarm(tableName: string, alarmName: string): Promise<AlarmItem> {
  const out = await dynamodb.send(new GetItemCommand({
    TableName: tableName,
    Key: { alarmName: { S: alarmName } },
    ConsistentRead: true,
  }));
  return alarmItemFrom(alarmName, out.Item);
}

export function markerToItem(marker: OkMarker): Record<string, AttributeValue> {
  return marshalItem(marker as unknown as { [key: string]: Plain | undefined });
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
