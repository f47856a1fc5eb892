/**
 * The acknowledgement write: only while the incident the token names is open (or exhausted:
 * someone answering after the chain ran out may still take it), where the alarm's item keeps it
 * (`Incident.path`).
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem } from '../shared/dynamo-codec';
import { conditionally, dynamodb, Expression, Incident } from '../shared/incident';

export interface Acknowledgement {
  readonly incident: Pick<Incident, 'alarmName' | 'incidentStart' | 'path'>;
  readonly by: string;
  readonly at: string;
  readonly level: number;
  readonly nonce: string;
}

/** True when recorded; false when the incident was not open (nothing changed). */
export async function acknowledge(tableName: string, ack: Acknowledgement): Promise<boolean> {
  const e = new Expression();
  const at = (field: string) => e.path(...ack.incident.path, field);
  const status = at('status');
  const out = await conditionally(() => dynamodb.send(new UpdateItemCommand({
    TableName: tableName,
    Key: marshalItem({ alarmName: ack.incident.alarmName }),
    UpdateExpression: `SET ${status} = ${e.value('acknowledged')}, ${at('ackedBy')} = ${e.value(ack.by)}, `
      + `${at('ackedAt')} = ${e.value(ack.at)}, ${at('ackLevel')} = ${e.value(ack.level)}, ${at('ackNonce')} = ${e.value(ack.nonce)} `
      // An unresolved incident never expires (items of earlier versions had a TTL from their creation).
      + `REMOVE ${e.path('expiresAt')}`,
    ConditionExpression: `${at('incidentStart')} = ${e.value(ack.incident.incidentStart)} AND ${status} IN (${e.value('open')}, ${e.value('exhausted')})`,
    ExpressionAttributeNames: e.names,
    ExpressionAttributeValues: e.values,
  })));
  return out !== undefined;
}
