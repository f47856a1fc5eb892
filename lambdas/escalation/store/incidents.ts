/**
 * The escalation function's writes to the incidents table. Every write is conditional on the
 * incident it concerns (`incidentStart`), so a late event can never change a newer incident, and
 * on the state it moves from, so that a duplicate event does nothing.
 */
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem, Plain } from '../../shared/dynamo-codec';
import {
  dynamodb, Expression, getIncident, Incident, INCIDENT_TTL_SECONDS, incidentFromItem, incidentToItem, isConditionFailed,
} from '../../shared/incident';
import type { Step } from '../chain/steps';

export type ClaimResult =
  /** This invocation may send. */
  | 'claimed'
  /** Already sent. */
  | 'done'
  /** Another invocation, still running, is sending it. */
  | 'busy'
  /** The incident was replaced or removed: do not send. */
  | 'gone';

export function expiresAt(nowMs: number): number {
  return Math.floor(nowMs / 1000) + INCIDENT_TTL_SECONDS;
}

export class IncidentStore {
  constructor(private readonly tableName: string) {}

  get(alarmName: string): Promise<Incident | undefined> {
    return getIncident(this.tableName, alarmName);
  }

  /**
   * Creates the incident of an ALARM transition, unless this transition (or a later one) of the
   * alarm was already handled. Returns the incident it replaced, if any.
   */
  async create(incident: Incident): Promise<{ created: true; previous?: Incident } | { created: false }> {
    const e = new Expression();
    try {
      const out = await dynamodb.send(new PutItemCommand({
        TableName: this.tableName,
        Item: incidentToItem(incident),
        ConditionExpression: `attribute_not_exists(${e.path('alarmName')}) OR ${e.path('lastChange')} < ${e.value(incident.lastChange)}`,
        ExpressionAttributeNames: e.names,
        ExpressionAttributeValues: e.values,
        ReturnValues: 'ALL_OLD',
      }));
      return { created: true, previous: incidentFromItem(out.Attributes) };
    } catch (err) {
      if (isConditionFailed(err)) {
        return { created: false };
      }
      throw err;
    }
  }

  /** Runs a conditional update; false when the condition failed. */
  private async update(alarmName: string, build: (e: Expression) => { update: string; condition: string }): Promise<boolean> {
    const e = new Expression();
    const { update, condition } = build(e);
    try {
      await dynamodb.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshalItem({ alarmName }),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: e.names,
        ExpressionAttributeValues: Object.keys(e.values).length > 0 ? e.values : undefined,
      }));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) {
        return false;
      }
      throw err;
    }
  }

  /** Moves an open incident from step `from` to step `to`. */
  advance(incident: Incident, from: Step, to: Step): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('level')} = ${e.value(to.level)}, ${e.path('cycle')} = ${e.value(to.cycle)}, `
        + `${e.path('notifiedUpTo')} = ${e.value(Math.max(incident.notifiedUpTo, to.level))}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('status')} = ${e.value('open')} `
        + `AND ${e.path('level')} = ${e.value(from.level)} AND ${e.path('cycle')} = ${e.value(from.cycle)}`,
    }));
  }

  /** Marks an open incident whose last step was `from` as exhausted: nobody answered. */
  exhaust(incident: Incident, from: Step, at: string): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('status')} = ${e.value('exhausted')}, ${e.path('exhaustedAt')} = ${e.value(at)}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('status')} = ${e.value('open')} `
        + `AND ${e.path('level')} = ${e.value(from.level)} AND ${e.path('cycle')} = ${e.value(from.cycle)}`,
    }));
  }

  /** Resolves the incident on an OK transition newer than anything handled so far. */
  resolve(incident: Incident, changeTime: string, nowMs: number): Promise<boolean> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('status')} = ${e.value('resolved')}, ${e.path('resolvedAt')} = ${e.value(changeTime)}, `
        + `${e.path('lastChange')} = ${e.value(changeTime)}, ${e.path('expiresAt')} = ${e.value(expiresAt(nowMs))}`,
      condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND ${e.path('lastChange')} < ${e.value(changeTime)}`,
    }));
  }

  /**
   * Claims one delivery before sending it. The claim lasts until `until` (the claiming
   * invocation's deadline), so a crashed invocation's claim lapses and its retry can send.
   */
  async claim(incident: Incident, key: string, until: number, by: string, nowMs: number): Promise<ClaimResult> {
    const claimed = await this.update(incident.alarmName, (e) => {
      const d = e.path('deliveries', key);
      const claim: Plain = { st: 'sending', until, by };
      return {
        update: `SET ${d} = ${e.value(claim)}`,
        condition: `${e.path('incidentStart')} = ${e.value(incident.incidentStart)} AND (attribute_not_exists(${d}) `
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
    // Held by a running invocation, or released since: either way, look again later.
    return 'busy';
  }

  async markSent(incident: Incident, key: string, at: string): Promise<void> {
    await this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('deliveries', key)} = ${e.value({ st: 'sent', at })}`,
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
