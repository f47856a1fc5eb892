/**
 * Sending what an alarm's item owes (see flows/owed.ts): every invocation for the alarm ends here,
 * whatever its event was (an ALARM, an OK, a timer, an acknowledgement, a stale or duplicate
 * event), and so do drain timers. Nothing is owned by the invocation that made it owed: whoever
 * reads the item next sends it.
 *
 * One round: compute what is owed; claim it (one conditional write: each notice only if its
 * record is as read and its incident still has the status it needs; the claim lasts until this
 * invocation's deadline); send; record each outcome (`sent`, `failed` for good, `retry`) in one
 * write that returns the item; and go round again on what the item now says: a status that moved
 * on meanwhile (an OK while a level was paged) is followed up at once ("last one out").
 *
 * Nothing waits for the alarm's next event:
 * - before its first claim or status change, an invocation makes sure a **drain timer** fires
 *   after its deadline (a watchdog: if Lambda stops it mid-way, the timer finishes the job);
 * - an invocation that leaves anything owed (a failed send, notices another invocation holds)
 *   arms a drain timer for when that can be done;
 * - retryable failures also fail the invocation, so Lambda retries it (then the dead-letter queue).
 * A notice tried for an hour (at least three times) is given up: recorded `failed` and logged at
 * ERROR (`delivery-failed`), which alarms.
 */
import { LOG_EVENTS } from '../../shared/contract';
import type { AlarmItem, DeliveryRecord, Incident } from '../../shared/incident';
import { errorFields } from '../../shared/log';
import { delayBefore, nextStep, sameStep, Step } from '../chain/steps';
import { armDrain, armTimer, cancelTimer } from '../chain/timers';
import { attemptSend, DeliveryFailed, failureText, noticeId, SendOutcome } from '../delivery/deliver';
import type { Notice } from '../messages/notice';
import type { Claim, Mark } from '../store/incidents';
import { buildNotice, chainShape, FlowContext, stepOf } from './context';
import { noticeRef, Owed, OwedNotice, owedNotices } from './owed';

/** Rounds of claim-send-record per invocation (each one sends, or finds the item changed). */
const MAX_ROUNDS = 6;
/** Notices claimed in one write (DynamoDB expressions are limited to 4 KB). */
const CLAIM_BATCH = 10;
/** A drain timer fires this long after the claims it waits for lapse. */
const DRAIN_MARGIN_MS = 30_000;
/** Drain timers for failed notices back off from 1 minute to 10. */
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Makes sure a drain timer of the alarm fires after this invocation's deadline, once per alarm and
 * invocation, before anything owed is created or claimed. A timer that cannot be armed is logged;
 * the invocation goes on (Lambda's retries remain).
 */
export function ensureWatchdog(ctx: FlowContext, alarmName: string): Promise<void> {
  let armed = ctx.watchdogs.get(alarmName);
  if (!armed) {
    armed = armDrain(ctx, alarmName, ctx.deadline + DRAIN_MARGIN_MS).then(() => undefined, (err) => {
      ctx.log.warn('could not arm the drain timer that finishes this invocation\'s work if it is stopped; Lambda\'s retries still apply', {
        alarmName, ...errorFields(err),
      });
    });
    ctx.watchdogs.set(alarmName, armed);
  }
  return armed;
}

interface Armed {
  readonly incident: Incident;
  readonly step: Step;
  readonly name: string;
  readonly created: boolean;
}

/** Arms the timer after `step` of an open incident (before its notices go out: a stopped invocation still escalates). */
async function armNext(ctx: FlowContext, incident: Incident, step: Step): Promise<Armed | undefined> {
  const shape = chainShape(ctx.config);
  const next = nextStep(step, shape);
  if (!next) {
    return undefined;
  }
  const fireAt = new Date(Date.now() + delayBefore(next, shape) * 1000);
  const timer = await armTimer(ctx, incident.alarmName, incident.incidentStart, next, fireAt);
  ctx.log.info(timer.created ? 'timer armed' : 'timer already armed', {
    alarmName: incident.alarmName, schedule: timer.name, escalationLevel: next.level, cycle: next.cycle, at: fireAt.toISOString(),
  });
  return { incident, step, name: timer.name, created: timer.created };
}

function toClaim(n: OwedNotice): Claim {
  return { incident: n.incident, key: n.key, requires: n.requires, seen: n.seen };
}

/** The record of notice `n` in `item` (its incident found by its place in the item). */
function recordIn(item: AlarmItem, n: OwedNotice): DeliveryRecord | undefined {
  const path = n.incident.path.join('.');
  return item.incidents.find((i) => i.path.join('.') === path)?.deliveries[n.key];
}

/** Whether `record` is the one `claim()` writes for `n` on behalf of `owner` until `until`. */
function isOwnClaim(record: DeliveryRecord | undefined, n: OwedNotice, owner: string, until: number): boolean {
  return record?.st === 'sending' && record.by === owner && record.until === until && record.n === (n.seen?.n ?? 0) + 1;
}

/** Builds each notice once per incident, kind and step, and sends them all at once. */
async function sendAll(ctx: FlowContext, batch: OwedNotice[]): Promise<SendOutcome[]> {
  const notices = new Map<string, Promise<Notice>>();
  return Promise.all(batch.map(async (n) => {
    const group = `${n.incident.incidentStart}|${n.kind}|${n.step.level}|${n.step.cycle}`;
    if (!notices.has(group)) {
      notices.set(group, buildNotice(ctx, n.incident, n.kind, n.step));
    }
    const notice = await notices.get(group)!;
    return attemptSend(() => n.target.send(notice, noticeId(notice.dedupKey, n.key)));
  }));
}

function fields(n: OwedNotice): Record<string, unknown> {
  return { alarmName: n.incident.alarmName, incidentStart: n.incident.incidentStart, delivery: n.key, target: n.target.kind };
}

/** Records given-up notices (each once: conditional on its record as read) and reports them. */
async function giveUp(ctx: FlowContext, item: AlarmItem, expired: OwedNotice[]): Promise<AlarmItem> {
  const now = Date.now();
  const given = expired.map((n) => {
    const minutes = Math.round((now - (n.seen?.first ?? now)) / 60_000);
    const record: DeliveryRecord = {
      st: 'failed', at: new Date(now).toISOString(), n: n.seen?.n, first: n.seen?.first,
      error: `gave up after ${n.seen?.n ?? 0} tries over ${minutes} min${n.seen?.error ? `; last: ${n.seen.error}` : ''}`.slice(0, 300),
    };
    return { claim: toClaim(n), record, notice: n };
  });
  let out = await ctx.store.giveUp(item.alarmName, given);
  let ours = given;
  if (!out) {
    // The write failed its condition: another invocation got there first, or this one's own write
    // was applied and its reply lost (the SDK's retry then fails the condition). A record that now
    // holds exactly what this invocation wrote (its `at` and `error`) is this invocation's to report.
    out = await ctx.store.read(item.alarmName);
    const now = out;
    ours = given.filter(({ record, notice }) => {
      const found = recordIn(now, notice);
      return found?.st === 'failed' && found.at === record.at && found.error === record.error;
    });
  }
  for (const { record, notice } of ours) {
    // `retryable: false`: it is not retried any more (the pager's delivery-failures alarm counts these).
    ctx.log.error('notification given up: it kept failing; not retried any more', {
      event: LOG_EVENTS.deliveryFailed, retryable: false, gaveUp: true, tries: notice.seen?.n, error: record.error, ...fields(notice),
    });
  }
  return out;
}

/**
 * Sends what the alarm's item owes (`from`: the item as the caller last saw it). Throws
 * `DeliveryFailed` when a send failed in a way worth retrying (after recording it and arming a
 * drain timer), so that Lambda retries the invocation.
 */
export async function drain(ctx: FlowContext, alarmName: string, from?: AlarmItem, opts: { armStep?: boolean } = {}): Promise<void> {
  let item = from ?? await ctx.store.read(alarmName);
  const tried = new Set<string>();
  const failures: Array<{ key: string; error: unknown }> = [];
  const armed: Armed[] = [];
  /** Whether `item` was read (or written) after the last timer this invocation created. */
  let readSinceArmed = true;
  /** Arms the timer after `step` (once per invocation), before the step's notices go out. */
  const armStep = async (incident: Incident, step: Step) => {
    if (armed.some((a) => a.incident.incidentStart === incident.incidentStart && sameStep(a.step, step))) {
      return;
    }
    try {
      const timer = await armNext(ctx, incident, step);
      if (timer) {
        armed.push(timer);
        readSinceArmed &&= !timer.created;
      }
    } catch (error) {
      // The page goes out anyway; the invocation fails afterwards, so that Lambda's retry arms it.
      ctx.log.error('could not arm the next escalation timer; the invocation fails so that Lambda retries it', {
        alarmName, incidentStart: incident.incidentStart, ...errorFields(error),
      });
      failures.push({ key: 'timer', error });
      armed.push({ incident, step, name: '', created: false });
    }
  };
  const current = item.current;
  if (opts.armStep && current && current.status === 'open' && current.severity === 'page') {
    // The invocation that notifies a step (or retries it, or finishes it after it was stopped) makes
    // sure the next one is armed, even when every notice of the step went out already.
    await armStep(current, stepOf(current));
  }
  const tally = { sent: 0, failed: 0, retry: 0 };
  let owed: Owed = owedNotices(item, ctx.config, ctx.owner, Date.now(), tried);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (owed.expired.length > 0) {
      item = await giveUp(ctx, item, owed.expired);
      owed = owedNotices(item, ctx.config, ctx.owner, Date.now(), tried);
    }
    if (owed.due.length === 0) {
      break;
    }
    await ensureWatchdog(ctx, alarmName);
    if (owed.stepDue) {
      await armStep(owed.stepDue.incident, owed.stepDue.step);
    }
    const batch = owed.due.slice(0, CLAIM_BATCH);
    const claimedAt = Date.now();
    const claimed = await ctx.store.claim(alarmName, batch.map(toClaim), ctx.owner, ctx.deadline, claimedAt);
    readSinceArmed = true;
    if (!claimed) {
      // Another invocation changed one of them (claimed, sent, resolved…), or this invocation's
      // own claim was applied and its reply lost (the SDK's retry then fails the condition): look
      // again. Only this claim can have left every notice of the batch `sending`, by this
      // invocation, until its deadline, tried once more (each was free when read; a
      // record of this invocation's left over from an earlier round is `busy`, never in a batch).
      item = await ctx.store.read(alarmName);
      if (!batch.every((n) => isOwnClaim(recordIn(item, n), n, ctx.owner, ctx.deadline))) {
        owed = owedNotices(item, ctx.config, ctx.owner, Date.now(), tried);
        continue;
      }
      ctx.log.info('claim found applied after its write reported a conflict (a lost reply): sending', { alarmName, notices: batch.length });
    }
    const outcomes = await sendAll(ctx, batch);
    const at = new Date().toISOString();
    const marks: Mark[] = batch.map((n, i) => {
      const outcome = outcomes[i];
      if (outcome.sent) {
        tally.sent++;
        ctx.log.info('notification sent', fields(n));
        return { incident: n.incident, key: n.key, record: { st: 'sent', at } };
      }
      tried.add(noticeRef(n));
      if (!outcome.retryable) {
        tally.failed++;
        ctx.log.error('notification failed permanently: not retried', { event: LOG_EVENTS.deliveryFailed, retryable: false, ...fields(n), ...errorFields(outcome.error) });
        return { incident: n.incident, key: n.key, record: { st: 'failed', at, error: failureText(outcome.error) } };
      }
      tally.retry++;
      failures.push({ key: n.key, error: outcome.error });
      ctx.log.error('notification failed; retried later (this invocation fails, Lambda retries it, and a drain timer is armed)', {
        event: LOG_EVENTS.deliveryFailed, retryable: true, ...fields(n), ...errorFields(outcome.error),
      });
      const tries = (n.seen?.n ?? 0) + 1;
      return { incident: n.incident, key: n.key, record: { st: 'retry', at, n: tries, first: n.seen?.first ?? claimedAt, error: failureText(outcome.error) } };
    });
    item = await ctx.store.mark(alarmName, marks, ctx.owner);
    owed = owedNotices(item, ctx.config, ctx.owner, Date.now(), tried);
  }
  if (tally.sent + tally.failed + tally.retry > 0) {
    ctx.log.info('deliveries done', { alarmName, ...tally, busy: owed.busy.length, deferred: owed.deferred.length });
  }
  if (!readSinceArmed) {
    // A timer created after the item was last read: look again, or a status change made meanwhile
    // (and the timer deletion that goes with it, done before this creation) would leave it behind.
    item = await ctx.store.read(alarmName);
    owed = owedNotices(item, ctx.config, ctx.owner, Date.now(), tried);
  }
  await finishTimers(ctx, item, armed);
  await pruneSettled(ctx, item, owed);
  await armForWhatIsLeft(ctx, alarmName, owed);
  if (failures.length > 0) {
    throw new DeliveryFailed(failures);
  }
}

/**
 * A timer this invocation created for an incident that is no longer open at that step (resolved,
 * acknowledged or replaced meanwhile, whoever did it and whenever they deleted its timer) is
 * deleted: no timer is left behind.
 */
async function finishTimers(ctx: FlowContext, item: AlarmItem, armed: Armed[]): Promise<void> {
  for (const a of armed.filter((t) => t.created)) {
    const now = item.incidents.find((i) => i.incidentStart === a.incident.incidentStart);
    if (now && now.status === 'open' && sameStep(stepOf(now), a.step)) {
      continue;
    }
    await cancelPendingTimer(ctx, a.incident, a.step);
  }
}

/** Deletes the escalation timer after `step` of the incident (none pending: nothing to do). */
export async function cancelPendingTimer(ctx: FlowContext, incident: Incident, step: Step = stepOf(incident)): Promise<void> {
  if (incident.severity !== 'page') {
    return;
  }
  const next = nextStep(step, chainShape(ctx.config));
  if (!next) {
    return;
  }
  try {
    const result = await cancelTimer(ctx.config, incident.alarmName, incident.incidentStart, next);
    ctx.log.info(result.deleted ? 'pending timer deleted' : 'no pending timer', { alarmName: incident.alarmName, schedule: result.name });
  } catch (err) {
    // It fires, finds the incident over and does nothing.
    ctx.log.warn('could not delete the pending timer; it will find the incident over and do nothing', { alarmName: incident.alarmName, ...errorFields(err) });
  }
}

async function pruneSettled(ctx: FlowContext, item: AlarmItem, owed: Owed): Promise<void> {
  if (owed.settled.length === 0) {
    return;
  }
  const pruned = await ctx.store.prune(item.alarmName, owed.settled).catch((err) => {
    ctx.log.warn('could not remove incidents whose notices are all sent', { alarmName: item.alarmName, ...errorFields(err) });
    return false;
  });
  if (pruned) {
    ctx.log.info('incidents over and fully notified removed', { alarmName: item.alarmName, incidents: owed.settled.map((s) => s.incident.incidentStart) });
  }
}

/** Anything still owed gets a drain timer: after the claims it waits for lapse, or after a back-off when sends failed. */
async function armForWhatIsLeft(ctx: FlowContext, alarmName: string, owed: Owed): Promise<void> {
  const left = owed.due.length + owed.busy.length + owed.deferred.length + owed.skipped.length + owed.expired.length;
  if (left === 0) {
    return;
  }
  const backoff = Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** Math.max(0, owed.maxTries - 1));
  const at = Math.max(Date.now() + backoff, (owed.blockedUntil ?? 0) + DRAIN_MARGIN_MS);
  try {
    const timer = await armDrain(ctx, alarmName, at);
    ctx.log.info('notices still owed: a drain timer sends them', {
      alarmName, schedule: timer.name, at: timer.fireAt.toISOString(), due: owed.due.length, busy: owed.busy.length,
      deferred: owed.deferred.length, failed: owed.skipped.length,
    });
  } catch (err) {
    ctx.log.error('notices still owed and no drain timer could be armed: the next invocation for this alarm, or Lambda\'s retry, sends them', {
      alarmName, ...errorFields(err),
    });
  }
}
