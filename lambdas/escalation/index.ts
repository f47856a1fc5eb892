/**
 * The escalation function (contract: lambdas/README.md). It handles
 *
 * - SNS records from the page and ticket topics (CloudWatch alarm transitions);
 * - `{ kind: 'escalate' }` and `{ kind: 'drain' }` timers from EventBridge Scheduler;
 * - `{ kind: 'acknowledged' }` from the acknowledge function.
 *
 * Malformed or unexpected input is logged with its reason and dropped (never a crash loop).
 * Every invocation for an alarm ends by sending what the alarm's item owes (flows/drain.ts).
 * Retryable downstream failures are retried briefly, recorded, then thrown, so that Lambda's
 * asynchronous retries and the dead-letter queue apply (a drain timer retries them too); what was
 * already delivered is not delivered again. Permanent ones (a webhook 4xx, a bad routing key) are
 * logged at ERROR and recorded on the incident, and the invocation succeeds (see delivery/retry.ts).
 */
import { randomBytes } from 'crypto';
import type { Context } from 'aws-lambda';
import { createLogger, errorFields, Logger } from '../shared/log';
import { verifiedTransition } from './alarm/verify';
import { Config, loadConfig } from './config/config';
import { ParsedRecord, parseEvent } from './events/parse';
import { onAcknowledged } from './flows/acknowledged';
import type { FlowContext } from './flows/context';
import { onDrain, onTimer } from './flows/timer';
import { onAlarm, onOk } from './flows/transitions';
import { IncidentStore } from './store/incidents';

function loadOrLog(log: Logger): Config {
  try {
    return loadConfig();
  } catch (err) {
    log.error('invalid configuration: the event is kept for retry and the dead-letter queue', errorFields(err));
    throw err;
  }
}

export async function handler(event: unknown, context: Context): Promise<void> {
  const base = createLogger({ fn: 'escalation', requestId: context.awsRequestId });
  const config = loadOrLog(base);
  const log = base.child({ policy: config.policyName });
  const ctx: FlowContext = {
    config,
    log,
    store: new IncidentStore(config.tableName),
    // Lambda retries an event with the same request id: claims need an owner unique to this run.
    owner: `${context.awsRequestId}/${randomBytes(6).toString('base64url')}`,
    deadline: Date.now() + context.getRemainingTimeInMillis(),
    functionArn: context.invokedFunctionArn,
    watchdogs: new Map(),
  };
  const parsed = parseEvent(event, config);
  try {
    switch (parsed.type) {
      case 'invalid':
        log.warn('event ignored', { reason: parsed.reason });
        return;
      case 'timer':
        return await onTimer(ctx, parsed.event);
      case 'drain':
        return await onDrain(ctx, parsed.event);
      case 'acknowledged':
        return await onAcknowledged(ctx, parsed.event);
      case 'sns':
        return await onRecords(ctx, parsed.records);
    }
  } catch (err) {
    log.error('invocation failed; Lambda retries it (then the dead-letter queue)', { event: parsed.type, ...errorFields(err) });
    throw err;
  }
}

/** SNS delivers one record per invocation, but every record is handled; failures are thrown after all were tried. */
async function onRecords(ctx: FlowContext, records: ParsedRecord[]): Promise<void> {
  const errors: unknown[] = [];
  for (const record of records) {
    if (!record.ok) {
      ctx.log.warn('SNS message ignored', { reason: record.reason, messageId: record.messageId });
      continue;
    }
    try {
      // Only a composite alarm of this account wired to this policy is handled (alarm/verify.ts).
      const t = await verifiedTransition(record.transition, ctx);
      if (!t) {
        continue;
      }
      if (t.newState === 'ALARM') {
        await onAlarm(ctx, t);
      } else if (t.newState === 'OK') {
        await onOk(ctx, t);
      } else {
        ctx.log.info('SNS message ignored', { reason: `state ${t.newState} is neither ALARM nor OK`, alarmName: t.alarmName, messageId: t.messageId });
      }
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) {
    throw errors[0];
  }
  if (errors.length > 1) {
    throw new AggregateError(errors, `${errors.length} records failed`);
  }
}
