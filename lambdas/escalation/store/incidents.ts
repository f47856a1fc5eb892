/**
 * The escalation function's writes to the incidents table. Every write is conditional on the
 * incident it concerns (`incidentStart`), so a late event can never change a newer incident, and
 * on the state it moves from, so that a duplicate event does nothing.
 *
 * Only resolved incidents and OK markers carry `expiresAt` (the table's TTL): an incident still
 * open, acknowledged or exhausted must outlive any TTL, or its OK would find nothing. Writes that
 * keep an incident unresolved remove `expiresAt` (items written by earlier versions had one).
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem, Plain, unmarshalItem } from '../../shared/dynamo-codec';
import {
  dynamodb, Expression, Incident, INCIDENT_TTL_SECONDS, incidentFromItem, incidentToItem, IncidentStatus, conditionally,
  OkMarker, ReplacedIncident, Resolution, Severity,
} from '../../shared/incident';
import type { Step } from '../chain/steps';

export type ClaimResult =
  /** This invocation may send. */
  | 'claimed'
  /** Already sent. */
  | 'done'
  /** Failed permanently before: not tried again. */
  | 'failed'
  /** Another invocation, still running, is sending it. */
  | 'busy'
  /** The incident was replaced or removed: do not send. */
  | 'gone'
  /** The incident's status is no longer the one the notice requires (an alarm notice after a resolve): do not send. */
  | 'closed';

/** What the table holds for an alarm: its incident, or an OK marker, or nothing. */
export interface AlarmRecord {
  readonly incident?: Incident;
  /** StateChangeTime of the latest transition handled (incident or marker). */
  readonly lastChange?: string;
  readonly okMarker: boolean;
}

/** TTL of an item resolved now: resolved + 30 days. */
export function expiresAt(nowMs: number): number {
  return Math.floor(nowMs / 1000) + INCIDENT_TTL_SECONDS;
}

export class IncidentStore {
  constructor(private readonly tableName: string) {}

  async read(alarmName: string): Promise<AlarmRecord> {
    const out = await dynamodb.send(new GetItemCommand({
      TableName: this.tableName,
      Key: { alarmName: { S: alarmName } },
      ConsistentRead: true,
    }));
    const raw = out.Item ? unmarshalItem(out.Item) : undefined;
    const incident = incidentFromItem(out.Item);
    if (incident && incident.status !== 'resolved' && incident.expiresAt !== undefined) {
      // Written by the previous version, which gave every incident a TTL: an unresolved one must not expire.
      await this.update(alarmName, (e) => ({
        update: `REMOVE ${e.path('expiresAt')}`,
        condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('status')} <> ${e.value('resolved')}`,
      }));
    }
    return {
      incident: incident && incident.status !== 'resolved' ? { ...incident, expiresAt: undefined } : incident,
      lastChange: typeof raw?.lastChange === 'string' ? raw.lastChange : undefined,
      okMarker: raw?.okMarker === true,
    };
  }

  async get(alarmName: string): Promise<Incident | undefined> {
    return (await this.read(alarmName)).incident;
  }

  /**
   * Creates the incident of an ALARM transition, replacing what the table held when it was read
   * (`seenLastChange`; `undefined`: nothing), so that a transition handled meanwhile makes this
   * fail (`created: false`) and the caller looks again. Returns the item it replaced.
   */
  async create(incident: Incident, seenLastChange: string | undefined): Promise<{ created: true; previous?: Incident } | { created: false }> {
    const e = new Expression();
    const condition = seenLastChange === undefined
      ? `attribute_not_exists(${e.path('alarmName')})`
      : `${e.path('lastChange')} = ${e.value(seenLastChange)}`;
    const out = await conditionally(() => dynamodb.send(new PutItemCommand({
      TableName: this.tableName,
      Item: incidentToItem(incident),
      ConditionExpression: condition,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: Object.keys(e.values).length > 0 ? e.values : undefined,
      ReturnValues: 'ALL_OLD',
    })));
    return out ? { created: true, previous: incidentFromItem(out.Attributes) } : { created: false };
  }

  /**
   * Records an OK for an alarm that has no incident (nothing, or an older OK marker), unless an
   * incident appeared meanwhile (false: look again).
   */
  async recordOk(alarmName: string, severity: Severity, changeTime: string, nowMs: number): Promise<boolean> {
    const marker: OkMarker = {
      alarmName, okMarker: true, severity, status: 'resolved', lastChange: changeTime, resolvedAt: changeTime, expiresAt: expiresAt(nowMs),
    };
    const e = new Expression();
    const out = await conditionally(() => dynamodb.send(new PutItemCommand({
      TableName: this.tableName,
      Item: incidentToItem(marker),
      ConditionExpression: `attribute_not_exists(${e.path('alarmName')}) OR (attribute_not_exists(${e.path('incidentStart')}) `
        + `AND ${e.path('lastChange')} < ${e.value(changeTime)})`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    })));
    return out !== undefined;
  }

  /** Runs a conditional update; false when the condition failed. */
  private async update(alarmName: string, build: (e: Expression) => { update: string; condition: string }): Promise<boolean> {
    const e = new Expression();
    const { update, condition } = build(e);
    const out = await conditionally(() => dynamodb.send(new UpdateItemCommand({
      TableName: this.tableName,
      Key: marshalItem({ alarmName }),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: Object.keys(e.values).length > 0 ? e.values : undefined,
    })));
    return out !== undefined;
  }

  /** Replaces the records of the incidents `incident` replaced (from what the create's ALL_OLD showed), or removes them. */
  setReplaced(incident: Incident, replaced: ReplacedIncident[] | undefined): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: replaced
        ? `SET ${e.path('replaced')} = ${e.value(replaced as unknown as Plain)}`
        : `REMOVE ${e.path('replaced')}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)}`,
    }));
  }

  /** Moves an open incident from step `from` to step `to`. */
  advance(incident: Incident, from: Step, to: Step): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('level')} = ${e.value(to.level)}, ${e.path('cycle')} = ${e.value(to.cycle)}, `
        + `${e.path('notifiedUpTo')} = ${e.value(Math.max(incident.notifiedUpTo, to.level))} REMOVE ${e.path('expiresAt')}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('status')} = ${e.value('open')} `
        + `AND ${e.path('level')} = ${e.value(from.level)} AND ${e.path('cycle')} = ${e.value(from.cycle)}`,
    }));
  }

  /** Marks an open incident whose last step was `from` as exhausted: nobody answered. */
  exhaust(incident: Incident, from: Step, at: string): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('status')} = ${e.value('exhausted')}, ${e.path('exhaustedAt')} = ${e.value(at)} REMOVE ${e.path('expiresAt')}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('status')} = ${e.value('open')} `
        + `AND ${e.path('level')} = ${e.value(from.level)} AND ${e.path('cycle')} = ${e.value(from.cycle)}`,
    }));
  }

  /**
   * Resolves the incident: on an OK transition newer than anything handled so far (`changeTime`
   * is its StateChangeTime), or when a timer finds the alarm OK or deleted.
   */
  resolve(incident: Incident, changeTime: string, nowMs: number, resolution: Resolution): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('status')} = ${e.value('resolved')}, ${e.path('resolvedAt')} = ${e.value(changeTime)}, `
        + `${e.path('resolution')} = ${e.value(resolution)}, `
        + `${e.path('lastChange')} = ${e.value(changeTime)}, ${e.path('expiresAt')} = ${e.value(expiresAt(nowMs))}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('lastChange')} < ${e.value(changeTime)} `
        + `AND ${e.path('status')} <> ${e.value('resolved')}`,
    }));
  }

  /**
   * Records a later OK on an incident already resolved (its OK was older, or a timer resolved it):
   * an ALARM older than this OK, delivered later, is then ignored.
   */
  noteOk(incident: Incident, changeTime: string, nowMs: number): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('lastChange')} = ${e.value(changeTime)}, ${e.path('expiresAt')} = ${e.value(expiresAt(nowMs))}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('status')} = ${e.value('resolved')} `
        + `AND ${e.path('lastChange')} < ${e.value(changeTime)}`,
    }));
  }

  /**
   * Claims one delivery before sending it. The claim lasts until `until` (the claiming
   * invocation's deadline), so a crashed invocation's claim lapses and its retry can send. With
   * `requires`, only while the incident has that status: an alarm notice cannot be claimed once the
   * incident is resolved or acknowledged, so no page goes out after the recovery or the acknowledgement.
   */
  async claim(incident: Incident, key: string, requires: IncidentStatus | undefined, until: number, by: string, nowMs: number): Promise<ClaimResult> {
    const claimed = await this.update(incident.alarmName, (e) => {
      const d = e.path('deliveries', key);
      const claim: Plain = { st: 'sending', until, by };
      const status = requires ? ` AND ${e.path('status')} = ${e.value(requires)}` : '';
      return {
        update: `SET ${d} = ${e.value(claim)}`,
        condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)}${status} AND (attribute_not_exists(${d}) `
          + `OR (${e.path('deliveries', key, 'st')} = ${e.value('sending')} AND ${e.path('deliveries', key, 'until')} < ${e.value(nowMs)}))`,
      };
    });
    if (claimed) {
      return 'claimed';
    }
    const current = await this.get(incident.alarmName);
    if (!current || current.incidentStart !== incident.incidentStart) {
      return 'gone';
    }
    const record = current.deliveries[key];
    if (record?.st === 'sent') {
      return 'done';
    }
    if (record?.st === 'failed') {
      return 'failed';
    }
    if (requires && current.status !== requires) {
      return 'closed';
    }
    // Held by a running invocation, or released since: either way, it is not ours to send now.
    return 'busy';
  }

  async markSent(incident: Incident, key: string, at: string): Promise<void> {
    await this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('deliveries', key)} = ${e.value({ st: 'sent', at })}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)}`,
    }));
  }

  /** Records a permanent failure: the delivery is not tried again for this incident. */
  async markFailed(incident: Incident, key: string, at: string, error: string): Promise<void> {
    await this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('deliveries', key)} = ${e.value({ st: 'failed', at, error })}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)}`,
    }));
  }

  /** Gives a claim back after a failed send, so that a retry can claim it at once. */
  async release(incident: Incident, key: string, by: string): Promise<void> {
    await this.update(incident.alarmName, (e) => ({
      update: `REMOVE ${e.path('deliveries', key)}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('deliveries', key, 'by')} = ${e.value(by)}`,
    }));
  }
}

