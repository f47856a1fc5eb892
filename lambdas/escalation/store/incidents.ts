/**
 * The escalation function's reads and writes of the incidents table (one item per alarm, see
 * `AlarmItem` in shared/incident.ts).
 *
 * Every write is one conditional request on the alarm's item, so it is atomic with respect to
 * every other write of that alarm: a write is conditional on the incident it concerns existing
 * where it was read (`<path>.incidentStart`), on the state it moves from, and (claims) on the
 * delivery record being exactly as read. Writes return the item as they left it (`ALL_NEW`), so
 * that the caller acts on what the table holds, not on what it guessed.
 *
 * An incident never moves inside the item: a newer ALARM adds a new one and marks the one it
 * replaces resolved in the same write, so claims, `sent` marks and releases of the older incident
 * stay valid whatever happened to the alarm meanwhile. Only resolved incidents whose notices are
 * all final are removed (`prune`).
 *
 * Only an item whose incidents are all resolved (or an OK marker) carries `expiresAt` (the
 * table's TTL): an open, acknowledged or exhausted incident must outlive any TTL, or its OK would
 * find nothing.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem, Plain } from '../../shared/dynamo-codec';
import {
  AlarmItem, alarmItemFrom, conditionally, DeliveryRecord, dynamodb, Expression, Incident, INCIDENT_TTL_SECONDS, incidentKey, IncidentStatus,
  LegacyReplacedIncident, markerToItem, OkMarker, Resolution, Severity,
} from '../../shared/incident';
import type { Step } from '../chain/steps';

/** TTL of an item resolved now: resolved + 30 days. */
export function expiresAt(nowMs: number): number {
  return Math.floor(nowMs / 1000) + INCIDENT_TTL_SECONDS;
}

/** A claim to take: `seen` is the record as read (none: never tried). */
export interface Claim {
  readonly incident: Incident;
  readonly key: string;
  /** The incident status the notice may be sent in (an alarm notice: `open`). */
  readonly requires?: IncidentStatus;
  readonly seen?: DeliveryRecord;
}

/** A record to write after a send: `sent`, `failed`, or `retry` (only over this invocation's own claim). */
export interface Mark {
  readonly incident: Incident;
  readonly key: string;
  readonly record: DeliveryRecord;
}

/** The fields of an incident written by the previous version at the top level of its item. */
const LEGACY_FIELDS = [
  'incidentStart', 'severity', 'status', 'level', 'cycle', 'notifiedUpTo', 'alarm', 'deliveries', 'ackedBy', 'ackedAt', 'ackLevel',
  'ackNonce', 'resolvedAt', 'resolution', 'exhaustedAt', 'replaced',
];

/** An incident as written when it opens (no `alarmName`: the item's; no `path`: where it is put). */
export type NewIncident = Omit<Incident, 'alarmName' | 'path'>;

function at(e: Expression, incident: Incident, ...fields: string[]): string {
  return e.path(...incident.path, ...fields);
}

/** `<path>.incidentStart = :start`: the incident is still there. */
function exists(e: Expression, incident: Incident): string {
  return `${at(e, incident, 'incidentStart')} = ${e.value(incident.incidentStart)}`;
}

/** The delivery record is exactly as read (absent, or with the same state, holder and count). */
function asSeen(e: Expression, incident: Incident, key: string, seen: DeliveryRecord | undefined): string {
  if (!seen) {
    return `attribute_not_exists(${at(e, incident, 'deliveries', key)})`;
  }
  const parts = [`${at(e, incident, 'deliveries', key, 'st')} = ${e.value(seen.st)}`];
  const fields: Array<keyof DeliveryRecord> = seen.st === 'sending' ? ['until', 'by', 'n'] : ['n'];
  for (const field of fields) {
    const path = at(e, incident, 'deliveries', key, field);
    const value = seen[field];
    parts.push(value === undefined ? `attribute_not_exists(${path})` : `${path} = ${e.value(value as Plain)}`);
  }
  return `(${parts.join(' AND ')})`;
}

function plain(value: object): Plain {
  return JSON.parse(JSON.stringify(value)) as Plain;
}

/** An incident of the previous version's closing record, with the state of its closing notices in the item holding it. */
function fromLegacy(record: LegacyReplacedIncident, holder: Incident): { entry: Record<string, unknown>; keys: Map<string, DeliveryRecord | undefined> } {
  const ticket = record.severity === 'ticket';
  const deliveries: Record<string, DeliveryRecord> = {};
  const keys = new Map<string, DeliveryRecord | undefined>();
  for (const target of Array.isArray(record.targets) ? record.targets : []) {
    const dot = target.indexOf('.');
    const level = target.slice(0, dot);
    const id = target.slice(dot + 1);
    const lvl = ticket ? 't' : level;
    deliveries[ticket ? `a.t.${id}` : `a.${record.cycle ?? 0}.${level}.${id}`] = { st: 'sent', at: record.resolvedAt };
    const legacyKey = `${record.keyPrefix ?? 'p'}.${lvl}.${id}`;
    const state = holder.deliveries[legacyKey];
    keys.set(legacyKey, state);
    if (state) {
      deliveries[`r.${lvl}.${id}`] = state;
    }
  }
  return {
    entry: {
      incidentStart: record.incidentStart,
      severity: record.severity,
      status: 'resolved',
      level: 0,
      cycle: record.cycle ?? 0,
      notifiedUpTo: 0,
      alarm: record.alarm ?? { children: [] },
      resolution: record.resolution ?? 'replaced',
      resolvedAt: record.resolvedAt,
      ...(record.ackedBy ? { ackedBy: record.ackedBy } : {}),
      ...(record.ackedAt ? { ackedAt: record.ackedAt } : {}),
      deliveries,
    },
    keys,
  };
}

export class IncidentStore {
  constructor(private readonly tableName: string) {}

  private async get(alarmName: string): Promise<AlarmItem> {
    const out = await dynamodb.send(new GetItemCommand({
      TableName: this.tableName,
      Key: { alarmName: { S: alarmName } },
      ConsistentRead: true,
    }));
    return alarmItemFrom(alarmName, out.Item);
  }

  /**
   * The alarm's item. Items of the previous version are brought up to date on the way: an
   * unresolved incident loses the TTL that version gave it, and closing records (`replaced`)
   * become incidents of their own (resolved, owing the notices the record still owed).
   */
  async read(alarmName: string): Promise<AlarmItem> {
    let item = await this.get(alarmName);
    const legacy = item.incidents.find((i) => i.path.length === 0);
    if (item.legacyReplaced && legacy) {
      item = await this.convertLegacy(item, legacy, item.legacyReplaced) ?? await this.get(alarmName);
    }
    const current = item.current;
    if (item.expiresAt !== undefined && current && current.status !== 'resolved') {
      item = await this.update(alarmName, (e) => ({
        update: `REMOVE ${e.path('expiresAt')}`,
        condition: `${exists(e, current)} AND ${at(e, current, 'status')} <> ${e.value('resolved')}`,
      })) ?? await this.get(alarmName);
    }
    return item;
  }

  private convertLegacy(item: AlarmItem, holder: Incident, records: LegacyReplacedIncident[]): Promise<AlarmItem | undefined> {
    return this.update(item.alarmName, (e) => {
      const sets: string[] = [];
      const removes = new Set([e.path('replaced')]);
      const conditions = new Set([`attribute_exists(${e.path('replaced')})`, exists(e, holder)]);
      const entries: Record<string, Plain> = {};
      for (const record of records) {
        if (typeof record?.incidentStart !== 'string' || Number.isNaN(Date.parse(record.incidentStart))) {
          continue;
        }
        const { entry, keys } = fromLegacy(record, holder);
        for (const [legacyKey, state] of keys) {
          // Unchanged since read (a previous-version invocation may still be finishing during a deployment).
          if (state) {
            conditions.add(`${at(e, holder, 'deliveries', legacyKey, 'st')} = ${e.value(state.st)}`);
            removes.add(at(e, holder, 'deliveries', legacyKey));
          } else {
            conditions.add(`attribute_not_exists(${at(e, holder, 'deliveries', legacyKey)})`);
          }
        }
        const key = incidentKey(record.incidentStart);
        if (!item.incidents.some((i) => i.path[1] === key)) {
          entries[key] = plain(entry);
        }
      }
      if (item.hasMap) {
        for (const [key, entry] of Object.entries(entries)) {
          sets.push(`${e.path('incidents', key)} = ${e.value(entry)}`);
        }
      } else if (Object.keys(entries).length > 0) {
        sets.push(`${e.path('incidents')} = ${e.value(entries)}`);
      }
      return {
        update: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE ${[...removes].join(', ')}`,
        condition: [...conditions].join(' AND '),
      };
    });
  }

  /** Runs a conditional update; the item as it left it, or `undefined` when the condition failed. */
  private async update(alarmName: string, build: (e: Expression) => { update: string; condition: string }): Promise<AlarmItem | undefined> {
    const e = new Expression();
    const { update, condition } = build(e);
    const out = await conditionally(() => dynamodb.send(new UpdateItemCommand({
      TableName: this.tableName,
      Key: marshalItem({ alarmName }),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: Object.keys(e.values).length > 0 ? e.values : undefined,
      ReturnValues: 'ALL_NEW',
    })));
    return out ? alarmItemFrom(alarmName, out.Attributes) : undefined;
  }

  /**
   * Opens the incident of an ALARM transition on the item as it was read (`seen`): adds it, makes
   * it the current one, records the transition as the latest, and marks the incident it replaces
   * resolved (`replaced`) if that one was not. Fails (`undefined`: read again) when anything of
   * that changed meanwhile.
   */
  async open(seen: AlarmItem, incident: NewIncident): Promise<AlarmItem | undefined> {
    const key = incidentKey(incident.incidentStart);
    const entry = plain(incident);
    if (seen.incidents.length === 0) {
      const e = new Expression();
      const condition = !seen.exists
        ? `attribute_not_exists(${e.path('alarmName')})`
        : `${seen.lastChange !== undefined ? `${e.path('lastChange')} = ${e.value(seen.lastChange)}` : `attribute_not_exists(${e.path('lastChange')})`} `
          + `AND attribute_not_exists(${e.path('incidentStart')}) AND attribute_not_exists(${e.path('incidents')})`;
      const item = { alarmName: seen.alarmName, lastChange: incident.incidentStart, current: key, incidents: { [key]: entry } };
      const out = await conditionally(() => dynamodb.send(new PutItemCommand({
        TableName: this.tableName,
        Item: marshalItem(item),
        ConditionExpression: condition,
        ExpressionAttributeNames: e.names,
        ExpressionAttributeValues: Object.keys(e.values).length > 0 ? e.values : undefined,
      })));
      return out ? alarmItemFrom(seen.alarmName, marshalItem(item)) : undefined;
    }
    const previous = seen.current;
    return this.update(seen.alarmName, (e) => {
      const sets = [
        `${e.path('lastChange')} = ${e.value(incident.incidentStart)}`,
        `${e.path('current')} = ${e.value(key)}`,
        seen.hasMap ? `${e.path('incidents', key)} = ${e.value(entry)}` : `${e.path('incidents')} = ${e.value({ [key]: entry })}`,
      ];
      const conditions = [
        seen.lastChange !== undefined ? `${e.path('lastChange')} = ${e.value(seen.lastChange)}` : `attribute_not_exists(${e.path('lastChange')})`,
        seen.hasMap ? `attribute_not_exists(${e.path('incidents', key)})` : `attribute_not_exists(${e.path('incidents')})`,
      ];
      if (previous) {
        conditions.push(exists(e, previous), `${at(e, previous, 'status')} = ${e.value(previous.status)}`);
        if (previous.status !== 'resolved') {
          sets.push(
            `${at(e, previous, 'status')} = ${e.value('resolved')}`,
            `${at(e, previous, 'resolution')} = ${e.value('replaced')}`,
            `${at(e, previous, 'resolvedAt')} = ${e.value(incident.incidentStart)}`,
          );
        }
      }
      return { update: `SET ${sets.join(', ')} REMOVE ${e.path('expiresAt')}`, condition: conditions.join(' AND ') };
    });
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
      Item: markerToItem(marker),
      ConditionExpression: `attribute_not_exists(${e.path('alarmName')}) OR (attribute_not_exists(${e.path('incidentStart')}) `
        + `AND attribute_not_exists(${e.path('incidents')}) AND ${e.path('lastChange')} < ${e.value(changeTime)})`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    })));
    return out !== undefined;
  }

  /** Moves an open incident from step `from` to step `to`. */
  advance(incident: Incident, from: Step, to: Step): Promise<AlarmItem | undefined> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${at(e, incident, 'level')} = ${e.value(to.level)}, ${at(e, incident, 'cycle')} = ${e.value(to.cycle)}, `
        + `${at(e, incident, 'notifiedUpTo')} = ${e.value(Math.max(incident.notifiedUpTo, to.level))}`,
      condition: `${exists(e, incident)} AND ${at(e, incident, 'status')} = ${e.value('open')} `
        + `AND ${at(e, incident, 'level')} = ${e.value(from.level)} AND ${at(e, incident, 'cycle')} = ${e.value(from.cycle)}`,
    }));
  }

  /** Marks an open incident whose last step was `from` as exhausted: nobody answered. */
  exhaust(incident: Incident, from: Step, when: string): Promise<AlarmItem | undefined> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${at(e, incident, 'status')} = ${e.value('exhausted')}, ${at(e, incident, 'exhaustedAt')} = ${e.value(when)}`,
      condition: `${exists(e, incident)} AND ${at(e, incident, 'status')} = ${e.value('open')} `
        + `AND ${at(e, incident, 'level')} = ${e.value(from.level)} AND ${at(e, incident, 'cycle')} = ${e.value(from.cycle)}`,
    }));
  }

  /**
   * Resolves the incident: on an OK transition newer than anything handled so far (`changeTime`
   * is its StateChangeTime), or when a timer finds the alarm OK or deleted.
   */
  resolve(incident: Incident, changeTime: string, nowMs: number, resolution: Resolution): Promise<AlarmItem | undefined> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${at(e, incident, 'status')} = ${e.value('resolved')}, ${at(e, incident, 'resolvedAt')} = ${e.value(changeTime)}, `
        + `${at(e, incident, 'resolution')} = ${e.value(resolution)}, `
        + `${e.path('lastChange')} = ${e.value(changeTime)}, ${e.path('expiresAt')} = ${e.value(expiresAt(nowMs))}`,
      condition: `${exists(e, incident)} AND ${e.path('lastChange')} < ${e.value(changeTime)} `
        + `AND ${at(e, incident, 'status')} <> ${e.value('resolved')}`,
    }));
  }

  /**
   * Records a later OK on an incident already resolved (its OK was older, or a timer resolved it):
   * an ALARM older than this OK, delivered later, is then ignored.
   */
  noteOk(incident: Incident, changeTime: string, nowMs: number): Promise<AlarmItem | undefined> {
    return this.update(incident.alarmName, (e) => ({
      update: `SET ${e.path('lastChange')} = ${e.value(changeTime)}, ${e.path('expiresAt')} = ${e.value(expiresAt(nowMs))}`,
      condition: `${exists(e, incident)} AND ${at(e, incident, 'status')} = ${e.value('resolved')} `
        + `AND ${e.path('lastChange')} < ${e.value(changeTime)}`,
    }));
  }

  /**
   * Claims notices before sending them, all or none: each only if its incident is still there
   * (and in the status the notice requires) and its record is exactly as read. The claim lasts
   * until `until` (the claiming invocation's deadline), so a killed invocation's claim lapses.
   * `undefined` when any of them changed: read again.
   */
  claim(alarmName: string, claims: Claim[], owner: string, until: number, nowMs: number): Promise<AlarmItem | undefined> {
    return this.update(alarmName, (e) => {
      const sets: string[] = [];
      const conditions = new Set<string>();
      for (const c of claims) {
        const record: DeliveryRecord = { st: 'sending', until, by: owner, n: (c.seen?.n ?? 0) + 1, first: c.seen?.first ?? nowMs };
        sets.push(`${at(e, c.incident, 'deliveries', c.key)} = ${e.value(plain(record))}`);
        conditions.add(exists(e, c.incident));
        if (c.requires) {
          conditions.add(`${at(e, c.incident, 'status')} = ${e.value(c.requires)}`);
        }
        conditions.add(asSeen(e, c.incident, c.key, c.seen));
      }
      return { update: `SET ${sets.join(', ')}`, condition: [...conditions].join(' AND ') };
    });
  }

  /**
   * Gives notices up for good (their retries ran out), each only if its record is still as read,
   * so that one invocation records (and reports) it. `undefined` when any of them changed.
   */
  giveUp(alarmName: string, given: Array<{ claim: Claim; record: DeliveryRecord }>): Promise<AlarmItem | undefined> {
    return this.update(alarmName, (e) => {
      const sets: string[] = [];
      const conditions = new Set<string>();
      for (const { claim: c, record } of given) {
        sets.push(`${at(e, c.incident, 'deliveries', c.key)} = ${e.value(plain(record))}`);
        conditions.add(exists(e, c.incident));
        conditions.add(asSeen(e, c.incident, c.key, c.seen));
      }
      return { update: `SET ${sets.join(', ')}`, condition: [...conditions].join(' AND ') };
    });
  }

  /**
   * Records what became of sends: `sent` and `failed` over whatever is there, `retry` only over
   * this invocation's own claim (a claim that lapsed and was taken by another is the other's).
   * All in one write when it can; else one by one.
   */
  async mark(alarmName: string, marks: Mark[], owner: string): Promise<AlarmItem> {
    const build = (list: Mark[]) => (e: Expression) => {
      const conditions = new Set<string>();
      const sets = list.map((m) => {
        conditions.add(exists(e, m.incident));
        if (m.record.st === 'retry') {
          conditions.add(`${at(e, m.incident, 'deliveries', m.key, 'by')} = ${e.value(owner)}`);
          conditions.add(`${at(e, m.incident, 'deliveries', m.key, 'st')} = ${e.value('sending')}`);
        }
        return `${at(e, m.incident, 'deliveries', m.key)} = ${e.value(plain(m.record))}`;
      });
      return { update: `SET ${sets.join(', ')}`, condition: [...conditions].join(' AND ') };
    };
    const all = await this.update(alarmName, build(marks));
    if (all) {
      return all;
    }
    for (const m of marks) {
      await this.update(alarmName, build([m]));
    }
    return this.get(alarmName);
  }

  /**
   * Removes resolved incidents whose notices are all final (`final`: the keys of the notices each
   * owed, checked again in the write). Nothing can be claimed on such an incident any more.
   */
  async prune(alarmName: string, done: Array<{ incident: Incident; final: string[] }>): Promise<boolean> {
    const out = await this.update(alarmName, (e) => {
      const removes: string[] = [];
      const conditions: string[] = [];
      for (const { incident, final } of done) {
        conditions.push(exists(e, incident), `${at(e, incident, 'status')} = ${e.value('resolved')}`);
        for (const key of final) {
          conditions.push(`${at(e, incident, 'deliveries', key, 'st')} IN (${e.value('sent')}, ${e.value('failed')})`);
        }
        if (incident.path.length === 0) {
          removes.push(...LEGACY_FIELDS.map((f) => e.path(f)));
          conditions.push(`attribute_exists(${e.path('current')})`);
        } else {
          removes.push(e.path(...incident.path));
          conditions.push(`(attribute_not_exists(${e.path('current')}) OR ${e.path('current')} <> ${e.value(incident.path[1])})`);
        }
      }
      return { update: `REMOVE ${removes.join(', ')}`, condition: conditions.join(' AND ') };
    });
    return out !== undefined;
  }
}
