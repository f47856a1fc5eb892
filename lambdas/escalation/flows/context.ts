/**
 * What every flow needs: configuration, logger, store, this invocation's identity and deadline;
 * and the helpers that turn an incident into notices and delivery jobs.
 */
import type { Incident } from '../../shared/incident';
import { errorFields } from '../../shared/log';
import { getSecret } from '../../shared/secrets';
import { newClaims, signToken } from '../../shared/token';
import { alarmFacts } from '../alarm/facts';
import { alarmTags } from '../alarm/cloudwatch';
import { ChainShape, delayBefore, isTerminal, nextStep, Step } from '../chain/steps';
import type { TimerTarget } from '../chain/timers';
import type { Config, TargetSet } from '../config/config';
import type { DeliveryContext, DeliveryJob } from '../delivery/deliver';
import { targetsOf } from '../delivery/targets';
import type { Notice, NoticeKind } from '../messages/notice';
import { dedupKey } from '../messages/pagerduty';

export interface FlowContext extends DeliveryContext, TimerTarget {
  readonly config: Config;
}

export function chainShape(config: Config): ChainShape {
  return { levelDelays: config.levels.map((l) => l.afterSeconds), repeat: config.repeat, repeatAfterSeconds: config.repeatAfterSeconds };
}

export function stepOf(incident: Incident): Step {
  return { level: incident.level, cycle: incident.cycle };
}

/** The targets notified for `level` of this incident: the level's, or the tickets'. */
export function targetSetOf(config: Config, incident: Incident, level: number): TargetSet | undefined {
  return incident.severity === 'ticket' ? config.tickets ?? undefined : config.levels[level];
}

/** The acknowledge link for one level, or `undefined` (logged) when the signing secret cannot be read: the page still goes out. */
async function ackLink(ctx: FlowContext, incident: Incident, level: number): Promise<string | undefined> {
  try {
    const secret = await getSecret(ctx.config.signingSecretArn);
    const claims = newClaims(incident.alarmName, incident.incidentStart, level, ctx.config.tokenTtlSeconds, Date.now());
    return `${ctx.config.ackUrl}?t=${signToken(claims, secret)}`;
  } catch (err) {
    ctx.log.error('could not sign an acknowledge link; notifying without it', errorFields(err));
    return undefined;
  }
}

export async function buildNotice(ctx: FlowContext, incident: Incident, kind: NoticeKind, step: Step): Promise<Notice> {
  const tags = await alarmTags(incident.alarm.arn, ctx.log);
  const facts = alarmFacts(incident.alarmName, incident.severity, incident.alarm, tags, process.env.AWS_REGION);
  const shape = chainShape(ctx.config);
  let next: Notice['next'];
  if (kind === 'alarm' && incident.severity === 'page') {
    const after = nextStep(step, shape);
    if (after) {
      next = isTerminal(after, shape)
        ? { type: 'exhausted', inSeconds: delayBefore(after, shape) }
        : { type: 'level', level: after.level, cycle: after.cycle, inSeconds: delayBefore(after, shape) };
    }
  }
  const now = new Date().toISOString();
  return {
    kind,
    policy: ctx.config.policyName,
    facts,
    incidentStart: incident.incidentStart,
    at: kind === 'recovered' ? incident.resolvedAt ?? now : kind === 'acknowledged' ? incident.ackedAt ?? now : now,
    level: step.level,
    levelCount: incident.severity === 'page' ? ctx.config.levels.length : 1,
    cycle: step.cycle,
    repeat: incident.severity === 'page' ? ctx.config.repeat : 0,
    next,
    ackUrl: kind === 'alarm' ? await ackLink(ctx, incident, step.level) : undefined,
    ackedBy: incident.ackedBy,
    ackedAt: incident.ackedAt,
    dedupKey: dedupKey(ctx.config.policyName, incident.alarmName, incident.incidentStart),
  };
}

/** One job per target of `set`, keyed `<prefix>.<target id>`. */
export function jobsFor(set: TargetSet, prefix: string, notice: Notice): DeliveryJob[] {
  return targetsOf(set).map((t) => ({ key: `${prefix}.${t.id}`, send: () => t.send(notice) }));
}

/** Delivery key prefix of a notice to one level: `a.<cycle>.<level>` (alarm), `r.<level>` (recovered), `k.<level>` (acknowledged); tickets use `t` as the level. */
export function keyPrefix(incident: Incident, kind: NoticeKind, step: Step): string {
  const level = incident.severity === 'ticket' ? 't' : String(step.level);
  switch (kind) {
    case 'alarm':
      return incident.severity === 'ticket' ? 'a.t' : `a.${step.cycle}.${level}`;
    case 'recovered':
      return `r.${level}`;
    case 'acknowledged':
      return `k.${level}`;
  }
}

/** The levels told about recovery or acknowledgement: every level notified so far (tickets: the ticket targets). */
export function notifiedLevels(incident: Incident): number[] {
  const top = incident.severity === 'ticket' ? 0 : incident.notifiedUpTo;
  return Array.from({ length: top + 1 }, (_, i) => i);
}
