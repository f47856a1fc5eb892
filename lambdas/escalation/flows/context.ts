/**
 * What every flow needs: configuration, logger, store, this invocation's identity and deadline;
 * and the helpers that turn an incident into notices and delivery keys.
 */
import type { Incident, IncidentStatus } from '../../shared/incident';
import { errorFields, Logger } from '../../shared/log';
import { getSecret } from '../../shared/secrets';
import { newClaims, signToken } from '../../shared/token';
import { alarmFacts } from '../alarm/facts';
import { alarmTags } from '../alarm/cloudwatch';
import { ChainShape, delayBefore, isTerminal, nextStep, Step } from '../chain/steps';
import type { TimerTarget } from '../chain/timers';
import type { Config, TargetSet } from '../config/config';
import type { Notice, NoticeKind } from '../messages/notice';
import { dedupKey } from '../messages/pagerduty';
import type { IncidentStore } from '../store/incidents';

export interface FlowContext extends TimerTarget {
  readonly config: Config;
  readonly store: IncidentStore;
  readonly log: Logger;
  /** Who claims: unique per invocation (a Lambda retry keeps the request id, so the id alone is not). */
  readonly owner: string;
  /** Epoch ms after which this invocation cannot be running (Lambda stops it). */
  readonly deadline: number;
  /** Drain timers this invocation armed (or made sure of), per alarm: see flows/drain.ts. */
  readonly watchdogs: Map<string, Promise<void>>;
}

export function chainShape(config: Config): ChainShape {
  return { levelDelays: config.levels.map((l) => l.afterSeconds), repeat: config.repeat, repeatAfterSeconds: config.repeatAfterSeconds };
}

export function stepOf(incident: Incident): Step {
  return { level: incident.level, cycle: incident.cycle };
}

/** The targets notified for `level` of this incident: the level's, or the tickets'. */
export function targetSetOf(config: Config, incident: Pick<Incident, 'severity'>, level: number): TargetSet | undefined {
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
  const at = { alarm: now, exhausted: incident.exhaustedAt ?? now, recovered: incident.resolvedAt ?? now, acknowledged: incident.ackedAt ?? now }[kind];
  return {
    kind,
    policy: ctx.config.policyName,
    facts,
    incidentStart: incident.incidentStart,
    at,
    level: step.level,
    levelCount: incident.severity === 'page' ? ctx.config.levels.length : 1,
    cycle: step.cycle,
    repeat: incident.severity === 'page' ? ctx.config.repeat : 0,
    next,
    // Someone answering after the chain ran out may still take it (the acknowledge function accepts `exhausted`).
    ackUrl: kind === 'alarm' || kind === 'exhausted' ? await ackLink(ctx, incident, step.level) : undefined,
    resolution: kind === 'recovered' ? incident.resolution ?? 'ok' : undefined,
    ackedBy: incident.ackedBy,
    ackedAt: incident.ackedAt,
    dedupKey: dedupKey(ctx.config.policyName, incident.alarmName, incident.incidentStart),
  };
}

/** Delivery key letter of each notice kind. */
const KEY_LETTER: Record<NoticeKind, string> = { alarm: 'a', exhausted: 'x', acknowledged: 'k', recovered: 'r' };

/**
 * The order in which a target hears of an incident: alarm, then nobody answered, then
 * acknowledged, then recovered. A notice never goes out while another invocation is still
 * sending an earlier kind (see flows/owed.ts).
 */
export const KIND_ORDER: Record<string, number> = { a: 0, x: 1, k: 2, r: 3 };

/** The notice kind an incident's status owes every target it paged, if any. */
export function followUpKind(status: IncidentStatus): Exclude<NoticeKind, 'alarm'> | undefined {
  return { open: undefined, exhausted: 'exhausted' as const, acknowledged: 'acknowledged' as const, resolved: 'recovered' as const }[status];
}

/** The status a notice of `kind` may be claimed in. */
export function statusFor(kind: NoticeKind): IncidentStatus {
  return { alarm: 'open' as const, exhausted: 'exhausted' as const, acknowledged: 'acknowledged' as const, recovered: 'resolved' as const }[kind];
}

/** `t` for tickets, else the level number. */
function levelKey(incident: Pick<Incident, 'severity'>, level: number): string {
  return incident.severity === 'ticket' ? 't' : String(level);
}

/**
 * Delivery key prefix of a notice to one level: `a.<cycle>.<level>` (alarm), `x.<level>`,
 * `k.<level>`, `r.<level>`; tickets use `t` as the level and no cycle.
 */
export function keyPrefix(incident: Pick<Incident, 'severity'>, kind: NoticeKind, step: Step): string {
  const level = levelKey(incident, step.level);
  if (kind === 'alarm') {
    return incident.severity === 'ticket' ? 'a.t' : `a.${step.cycle}.${level}`;
  }
  return `${KEY_LETTER[kind]}.${level}`;
}

const ALARM_KEY = /^a\.(?:\d+\.(\d+)|t)\.([^.]+)$/;

/**
 * The targets an alarm notice of this incident reached, or may have reached, as level -> target
 * ids (tickets: level 0): sent, claimed (the claim's holder may have sent before it was stopped)
 * or tried and failed in a way worth retrying (a timeout may hide a delivery). A target whose
 * alarm notice was never claimed (it lost the race to a resolve or an acknowledgement), or was
 * refused for good, is not among them: it is told nothing.
 */
export function alarmedTargets(incident: Pick<Incident, 'deliveries' | 'severity'>): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const [key, record] of Object.entries(incident.deliveries)) {
    const m = ALARM_KEY.exec(key);
    if (!m || record.st === 'failed') {
      continue;
    }
    const level = m[1] === undefined ? 0 : Number(m[1]);
    if (!out.has(level)) {
      out.set(level, new Set());
    }
    out.get(level)!.add(m[2]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a - b));
}
