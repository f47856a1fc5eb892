/**
 * What an alarm's item owes, computed from the item alone (pure). This is the whole of the
 * escalation function's bookkeeping: a notice is owed when the item says so, whoever wrote it and
 * whatever became of the invocation that did.
 *
 * For each incident of the item:
 * - **open**: the alarm notice of its current step to every target of that step's level (tickets:
 *   the ticket targets), and of earlier steps to every target tried there without success yet;
 * - **exhausted / acknowledged / resolved** (a replaced incident is resolved): "nobody answered" /
 *   "acknowledged" / "recovered" (or "closed") to every target its alarm notices reached or may
 *   have reached (see `alarmedTargets`) that takes that kind of notice.
 *
 * A notice already `sent` or `failed` is not owed. One claimed by a running invocation (its claim
 * has not lapsed) is that invocation's (`busy`). A follow-up waits (`deferred`) while another
 * invocation still sends an earlier kind of notice of the incident, so that every target hears
 * alarm, then nobody answered, then acknowledged, then recovered (never a PagerDuty `trigger`
 * after its `resolve`). A notice tried for an hour, at least three times, is given up (`expired`).
 */
import type { AlarmItem, DeliveryRecord, Incident, IncidentStatus } from '../../shared/incident';
import { nextStep, sameStep, Step } from '../chain/steps';
import type { Config } from '../config/config';
import { Target, targetsOf } from '../delivery/targets';
import type { NoticeKind } from '../messages/notice';
import { alarmedTargets, chainShape, followUpKind, KIND_ORDER, keyPrefix, statusFor, stepOf, targetSetOf } from './context';

/** A notice is retried for at least this long after its first try before it is given up... */
export const GIVE_UP_AFTER_MS = 60 * 60 * 1000;
/** ...and at least this many tries. */
export const MIN_TRIES = 3;

/** One notice the item owes one target. */
export interface OwedNotice {
  readonly incident: Incident;
  /** Its delivery key in the incident (`r.0.topic`). */
  readonly key: string;
  readonly kind: NoticeKind;
  /** The step it speaks of (alarm notices: the level paged; follow-ups: the level, in the incident's cycle). */
  readonly step: Step;
  readonly target: Target;
  /** The status the incident must still have when it is claimed. */
  readonly requires: IncidentStatus;
  /** The delivery record as read (none: never tried). */
  readonly seen?: DeliveryRecord;
}

export interface Owed {
  /** Owed and free: claim and send them. */
  readonly due: OwedNotice[];
  /** Tried long enough: give them up (recorded `failed`, reported). */
  readonly expired: OwedNotice[];
  /** Claimed by another invocation that is still running (it sends them, or its claim lapses). */
  readonly busy: OwedNotice[];
  /** Waiting until another invocation has sent earlier notices of the same incident. */
  readonly deferred: OwedNotice[];
  /** Owed, but this invocation already tried them and failed. */
  readonly skipped: OwedNotice[];
  /** Resolved incidents (not the current one) with nothing owed and nothing in flight: `final` are their last notices' keys. */
  readonly settled: Array<{ incident: Incident; final: string[] }>;
  /** The current incident, open and paging, whose current step has notices due: its next timer must be armed. */
  readonly stepDue?: { incident: Incident; step: Step };
  /** When the last claim that `busy` and `deferred` wait for lapses (epoch ms). */
  readonly blockedUntil?: number;
  /** The most tries any owed notice has had. */
  readonly maxTries: number;
}

type Slot = 'final' | 'free' | 'mine' | 'busy';

function slot(record: DeliveryRecord | undefined, owner: string, nowMs: number): Slot {
  if (!record || record.st === 'retry') {
    return 'free';
  }
  if (record.st === 'sent' || record.st === 'failed') {
    return 'final';
  }
  if ((record.until ?? 0) < nowMs) {
    return 'free';
  }
  return record.by === owner ? 'mine' : 'busy';
}

/** `<path>/<key>`: a notice's identity within the item. */
export function noticeRef(n: Pick<OwedNotice, 'incident' | 'key'>): string {
  return `${n.incident.path.join('.')}/${n.key}`;
}

/** Steps of the chain from the first to `current`, in order. */
function stepsUpTo(current: Step, config: Config): Step[] {
  const shape = chainShape(config);
  const steps: Step[] = [];
  for (let s: Step | undefined = { level: 0, cycle: 0 }; s && steps.length <= 10_000; s = nextStep(s, shape)) {
    steps.push(s);
    if (sameStep(s, current)) {
      return steps;
    }
  }
  return [current];
}

function candidates(incident: Incident, config: Config): Array<Omit<OwedNotice, 'seen'> & { onlyIfTried: boolean }> {
  const out: Array<Omit<OwedNotice, 'seen'> & { onlyIfTried: boolean }> = [];
  if (incident.status === 'open') {
    const current = stepOf(incident);
    const steps = incident.severity === 'ticket' ? [{ level: 0, cycle: 0 }] : stepsUpTo(current, config);
    for (const step of steps) {
      const set = targetSetOf(config, incident, step.level);
      for (const target of set ? targetsOf(set) : []) {
        out.push({
          incident, kind: 'alarm', step, target, requires: 'open', key: `${keyPrefix(incident, 'alarm', step)}.${target.id}`,
          // An earlier step's notice is owed only if it was tried (a target added to the level since is not paged for the past).
          onlyIfTried: incident.severity === 'page' && !sameStep(step, current),
        });
      }
    }
    return out;
  }
  const kind = followUpKind(incident.status)!;
  for (const [level, ids] of alarmedTargets(incident)) {
    const set = targetSetOf(config, incident, level);
    const step = { level, cycle: incident.cycle };
    for (const target of set ? targetsOf(set) : []) {
      if (ids.has(target.id) && target.handles(kind)) {
        out.push({ incident, kind, step, target, requires: statusFor(kind), key: `${keyPrefix(incident, kind, step)}.${target.id}`, onlyIfTried: false });
      }
    }
  }
  return out;
}

/**
 * What `item` owes, for invocation `owner` at `nowMs`. `tried`: notices (see `noticeRef`) this
 * invocation tried and failed, not to be tried again by it.
 */
export function owedNotices(item: AlarmItem, config: Config, owner: string, nowMs: number, tried: ReadonlySet<string> = new Set()): Owed {
  const due: OwedNotice[] = [];
  const expired: OwedNotice[] = [];
  const busy: OwedNotice[] = [];
  const deferred: OwedNotice[] = [];
  const skipped: OwedNotice[] = [];
  const settled: Owed['settled'] = [];
  let stepDue: Owed['stepDue'];
  let blockedUntil: number | undefined;
  let maxTries = 0;
  const block = (until: number | undefined) => {
    blockedUntil = Math.max(blockedUntil ?? 0, until ?? 0);
  };
  for (const incident of item.incidents) {
    const live = Object.entries(incident.deliveries).filter(([, d]) => d.st === 'sending' && (d.until ?? 0) >= nowMs);
    const kindRank = incident.status === 'open' ? 0 : KIND_ORDER[keyPrefix(incident, followUpKind(incident.status)!, { level: 0, cycle: 0 })[0]];
    const blocking = live.filter(([key, d]) => d.by !== owner && (KIND_ORDER[key[0]] ?? Infinity) < kindRank);
    let owes = false;
    for (const c of candidates(incident, config)) {
      const seen = incident.deliveries[c.key];
      const s = slot(seen, owner, nowMs);
      if (s === 'final' || (c.onlyIfTried && !seen)) {
        continue;
      }
      owes = true;
      const notice: OwedNotice = { ...c, seen };
      maxTries = Math.max(maxTries, seen?.n ?? 0);
      if (s === 'busy' || s === 'mine') {
        busy.push(notice);
        block(seen?.until);
      } else if (tried.has(noticeRef(notice))) {
        skipped.push(notice);
      } else if (blocking.length > 0) {
        deferred.push(notice);
        blocking.forEach(([, d]) => block(d.until));
      } else if (seen?.first !== undefined && nowMs - seen.first >= GIVE_UP_AFTER_MS && (seen.n ?? 1) >= MIN_TRIES) {
        expired.push(notice);
      } else {
        due.push(notice);
        if (c.kind === 'alarm' && incident === item.current && incident.severity === 'page' && sameStep(c.step, stepOf(incident))) {
          stepDue = { incident, step: c.step };
        }
      }
    }
    if (!owes && live.length === 0 && incident.status === 'resolved' && incident !== item.current) {
      const final = candidates(incident, config).map((c) => c.key).filter((key) => incident.deliveries[key] !== undefined);
      settled.push({ incident, final });
    }
  }
  return { due, expired, busy, deferred, skipped, settled, stepDue, blockedUntil, maxTries };
}
