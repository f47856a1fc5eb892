/**
 * The acknowledge function, behind a Lambda function URL (auth NONE: the signed token is the
 * credential). GET shows the incident and a confirm button and changes nothing (mail scanners
 * prefetch links); POST acknowledges with a conditional update, then invokes the escalation
 * function asynchronously so that it stops the chain and tells the levels notified.
 *
 * Forged or malformed token: 403. Expired: 410. Already acknowledged, resolved or replaced: 409
 * with who and when. None of them writes anything.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { AcknowledgedEvent } from '../shared/contract';
import { Incident, readAlarm } from '../shared/incident';
import { createLogger, errorFields, Logger } from '../shared/log';
import { getSecret } from '../shared/secrets';
import { TokenClaims, verifyToken } from '../shared/token';
import {
  acknowledgedPage, confirmPage, conflictPage, errorPage, IncidentSummary, Page, renderPage,
} from './html';
import { AckConfig, loadAckConfig } from './config';
import { readRequest } from './request';
import { acknowledge } from './store';

const lambda = new LambdaClient({});

function respond(page: Page, extraHeaders: Record<string, string> = {}): LambdaFunctionURLResult {
  return {
    statusCode: page.statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The token is in the URL: never send it to another site.
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      ...extraHeaders,
    },
    body: renderPage(page),
  };
}

function summary(incident: Incident): IncidentSummary {
  return {
    alarmName: incident.alarmName,
    severity: incident.severity,
    incidentStart: incident.incidentStart,
    status: incident.status,
    level: incident.level,
    reason: incident.alarm.reason,
  };
}

/** The incident the token names, if the alarm's item still holds it. */
async function incidentOf(tableName: string, claims: TokenClaims): Promise<Incident | undefined> {
  return (await readAlarm(tableName, claims.a)).incidents.find((i) => i.incidentStart === claims.i);
}

/** 409 for an incident that cannot be acknowledged, or `undefined` when it can. */
function conflict(incident: Incident | undefined, claims: TokenClaims): Page | undefined {
  if (!incident || incident.incidentStart !== claims.i || incident.resolution === 'replaced') {
    return conflictPage(incident ? summary(incident) : undefined, { replaced: true });
  }
  if (incident.status === 'open' || incident.status === 'exhausted') {
    return undefined;
  }
  return conflictPage(summary(incident), {
    ackedBy: incident.ackedBy, ackedAt: incident.ackedAt, resolvedAt: incident.resolvedAt, yours: incident.ackNonce === claims.n,
  });
}

export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const base = createLogger({ fn: 'acknowledge', requestId: event.requestContext?.requestId });
  let config: AckConfig;
  try {
    config = loadAckConfig();
  } catch (err) {
    base.error('invalid configuration', errorFields(err));
    return respond(errorPage(500, 'Something went wrong', 'The acknowledge page is misconfigured. Acknowledge in your paging tool instead.'));
  }
  const log = base.child({ policy: config.policyName });
  try {
    return await handle(event, config, log);
  } catch (err) {
    log.error('request failed', errorFields(err));
    return respond(errorPage(500, 'Something went wrong', 'Nothing was acknowledged. Try again in a minute.'));
  }
}

async function handle(event: LambdaFunctionURLEvent, config: AckConfig, log: Logger): Promise<LambdaFunctionURLResult> {
  const request = readRequest(event);
  if (request.method !== 'GET' && request.method !== 'POST') {
    return respond(errorPage(405, 'Method not allowed', 'Open the link from your notification.'), { allow: 'GET, POST' });
  }
  const secret = await getSecret(config.signingSecretArn);
  const check = verifyToken(request.token, secret, Date.now());
  if (!check.ok) {
    log.warn('token refused', { method: request.method, reason: check.reason });
    return check.reason === 'expired'
      ? respond(errorPage(410, 'This link has expired', 'Acknowledge links expire. Use the link in the latest notification.'))
      : respond(errorPage(403, 'This link is not valid', 'Open the link exactly as it appears in your notification.'));
  }
  const claims = check.claims;
  const fields = { method: request.method, alarmName: claims.a, incidentStart: claims.i, escalationLevel: claims.l };
  const incident = await incidentOf(config.tableName, claims);
  if (request.method === 'POST' && incident && ownAcknowledgement(incident, claims)) {
    // This link's acknowledgement is recorded (a replay, or a retry after a 500: the levels may not
    // have been told): tell them again, as a 409 like any replay. The escalation function's
    // "acknowledged" flow sends only what is still owed, so a repeat tells nobody twice.
    if (!await tellLevels(config, claims, incident.ackedBy ?? '', fields, log)) {
      return respond(acknowledgedPage(summary(incident), incident.ackedBy ?? '', incident.ackedAt ?? '', false));
    }
    log.info('acknowledgement already recorded by this link: the levels were told again', { ...fields, status: incident.status });
    return respond(conflict(incident, claims) as Page);
  }
  const refused = conflict(incident, claims);
  if (refused) {
    log.info('nothing to acknowledge', { ...fields, status: incident?.status });
    return respond(refused);
  }
  if (request.method === 'GET') {
    log.info('confirmation page shown', fields);
    return respond(confirmPage(summary(incident as Incident), request.token as string, claims.l));
  }

  const by = request.by ?? `someone from level ${claims.l + 1}`;
  const at = new Date().toISOString();
  const recorded = await acknowledge(config.tableName, { incident: incident as Incident, by, at, level: claims.l, nonce: claims.n });
  if (!recorded) {
    const now = await incidentOf(config.tableName, claims);
    // The write failed its condition: someone else got there first, or this request's own write
    // was applied and its reply lost (the SDK's retry then fails the condition). This request's
    // own write (its nonce and its time) is recorded: go on as if the write had said so.
    if (!now || now.ackNonce !== claims.n || now.ackedAt !== at) {
      log.info('acknowledgement lost a race: nothing changed', { ...fields, status: now?.status });
      return respond(conflict(now, claims) ?? conflictPage(now ? summary(now) : undefined, {}));
    }
    log.info('acknowledgement found recorded after its write reported a conflict (a lost reply)', fields);
  }
  log.info('incident acknowledged', { ...fields, by, sourceIp: request.sourceIp });
  const told = await tellLevels(config, claims, by, fields, log);
  return respond(acknowledgedPage(summary(incident as Incident), by, at, told));
}

/** Whether the incident was acknowledged through this very link (its nonce). */
function ownAcknowledgement(incident: Incident, claims: TokenClaims): boolean {
  return incident.status === 'acknowledged' && incident.resolution !== 'replaced' && incident.ackNonce === claims.n;
}

/**
 * Invokes the escalation function to stop the chain and tell the levels; false when it could not
 * be invoked. Then the acknowledgement stands (no further level is paged) and the page is a 500:
 * submitting the same link again retries telling them (it finds this link's acknowledgement).
 */
async function tellLevels(config: AckConfig, claims: TokenClaims, by: string, fields: Record<string, unknown>, log: Logger): Promise<boolean> {
  const told: AcknowledgedEvent = { kind: 'acknowledged', alarmName: claims.a, incidentStart: claims.i, level: claims.l, by };
  try {
    await lambda.send(new InvokeCommand({
      FunctionName: config.escalationFunctionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(told)),
    }));
    return true;
  } catch (err) {
    log.error('acknowledged, but could not invoke the escalation function to notify the levels', { ...fields, ...errorFields(err) });
    return false;
  }
}
