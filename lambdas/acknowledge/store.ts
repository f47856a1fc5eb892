/**
 * The acknowledgement write: only while the incident the token names is open (or exhausted:
 * someone answering after the chain ran out may still take it).
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalItem } from '../shared/dynamo-codec';
import { conditionally, dynamodb, Expression } from '../shared/incident';

export interface Acknowledgement {
  readonly alarmName: string;
  readonly incidentStart: string;
  readonly by: string;
  readonly at: string;
  readonly level: number;
  readonly nonce: string;
}

/** True when recorded; false when the incident was not open (nothing changed). */
export async function acknowledge(tableName: string, ack: Acknowledgement): Promise<boolean> {
  const e = new Expression();
  const status = e.path('status');
  const out = await conditionally(() => dynamodb.send(new UpdateItemCommand({
    TableName: tableName,
    Key: marshalItem({ alarmName: ack.alarmName }),
    UpdateExpression: `SET ${status} = ${e.value('acknowledged')}, ${e.path('ackedBy')} = ${e.value(ack.by)}, `
      + `${e.path('ackedAt')} = ${e.value(ack.at)}, ${e.path('ackLevel')} = ${e.value(ack.level)}, ${e.path('ackNonce')} = ${e.value(ack.nonce)} `
      // An unresolved incident never expires (items of earlier versions had a TTL from their creation).
      + `REMOVE ${e.path('expiresAt')}`,
    ConditionExpression: `${e.path('incidentStart')} = ${e.value(ack.incidentStart)} AND ${status} IN (${e.value('open')}, ${e.value('exhausted')})`,
    ExpressionAttributeNames: e.names,
    ExpressionAttributeValues: e.values,
  })));
  return out !== undefined;
}
