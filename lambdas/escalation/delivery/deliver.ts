/**
 * Sends a set of notifications at most once each per incident, even when SNS delivers an event
 * twice (possibly concurrently) or Lambda retries an invocation that failed half-way:
 *
 * 1. claim the delivery in the incident item (conditional write, also on the incident's status
 *    when the job says so: an alarm notice only while the incident is open, a recovery only once
 *    it is resolved…; the claim lapses at this invocation's deadline, so a crashed invocation
 *    cannot block its retry);
 * 2. send;
 * 3. mark it `sent`; after a retryable failure release the claim (the invocation then throws and
 *    Lambda retries it); after a permanent failure mark it `failed` (logged at ERROR, never
 *    retried: it would fail the same way).
 *
 * A delivery already `sent` or `failed` is skipped. One another invocation is sending right now
 * is left to it (see `attempt`). The only window for a duplicate is a crash between a successful
 * send and step 3: at-least-once wins over at-most-once for a pager.
 */
import type { Incident, IncidentStatus } from '../../shared/incident';
import { errorFields, Logger, redact } from '../../shared/log';
import type { IncidentStore } from '../store/incidents';
import { isRetryable } from './retry';
import type { TargetKind } from './targets';

export interface DeliveryJob {
  /** Unique within the incident item, see `Incident.deliveries`. */
  readonly key: string;
  readonly target: TargetKind;
  /** The incident status the claim requires (none: any). */
  readonly requires?: IncidentStatus;
  readonly send: () => Promise<void>;
}

export interface DeliveryReport {
  readonly sent: string[];
  readonly skipped: string[];
  /** Being sent by another invocation, which owns them. */
  readonly busy: string[];
  /** Failed for good: recorded on the incident, not retried. */
  readonly permanent: Array<{ key: string; error: unknown }>;
  /** Failed, worth retrying: the invocation throws `DeliveryFailed` for them. */
  readonly failed: Array<{ key: string; error: unknown }>;
}

export interface DeliveryContext {
  readonly store: IncidentStore;
  readonly log: Logger;
  /** Who claims: the request id. */
  readonly owner: string;
  /** Epoch ms after which this invocation cannot be running. */
  readonly deadline: number;
}

export class DeliveryFailed extends Error {
  constructor(readonly failures: Array<{ key: string; error: unknown }>) {
    super(`${failures.length} notification(s) could not be delivered: ${failures.map((f) => f.key).join(', ')}`);
    this.name = 'DeliveryFailed';
  }
}

type Outcome = 'sent' | 'skipped' | 'busy' | { permanent: unknown } | { error: unknown };

/** What a failure record says: the error's name, status and redacted message (never a URL or key). */
function failureText(err: unknown): string {
  const f = errorFields(err);
  return redact(`${f.errorName}${f.httpStatus !== undefined ? ` (HTTP ${f.httpStatus})` : ''}: ${f.errorMessage}`).slice(0, 300);
}

async function attempt(ctx: DeliveryContext, incident: Incident, job: DeliveryJob): Promise<Outcome> {
  const known = incident.deliveries[job.key]?.st;
  if (known === 'sent' || known === 'failed') {
    // Final states: no need to claim to know it.
    return 'skipped';
  }
  const claim = await ctx.store.claim(incident, job.key, job.requires, ctx.deadline, ctx.owner, Date.now());
  if (claim === 'busy') {
    // Another invocation (a duplicate delivery of the same event, or a concurrent retry) holds the
    // claim. It owns the delivery: if its send fails it releases the claim and throws, so Lambda
    // retries it; if it crashes, its claim lapses at its deadline and its retry (or the next timer)
    // sends. Throwing here as well would only set off the pager-errors alarm for nothing.
    ctx.log.info('notification skipped', { delivery: job.key, target: job.target, because: 'another invocation is sending it' });
    return 'busy';
  }
  if (claim !== 'claimed') {
    const because = {
      done: 'already sent', failed: 'it failed permanently before', gone: 'the incident was replaced', closed: `the incident is no longer ${job.requires}`,
    }[claim];
    ctx.log.info('notification skipped', { delivery: job.key, target: job.target, because });
    return 'skipped';
  }
  try {
    await job.send();
  } catch (error) {
    if (!isRetryable(error)) {
      ctx.log.error('notification failed permanently: not retried', {
        event: 'delivery-failed', delivery: job.key, target: job.target, retryable: false, ...errorFields(error),
      });
      await ctx.store.markFailed(incident, job.key, new Date().toISOString(), failureText(error)).catch((err) =>
        ctx.log.warn('could not record the failure; the claim lapses at the invocation deadline', { delivery: job.key, ...errorFields(err) }));
      return { permanent: error };
    }
    ctx.log.error('notification failed; the invocation fails so that Lambda retries it', {
      event: 'delivery-failed', delivery: job.key, target: job.target, retryable: true, ...errorFields(error),
    });
    await ctx.store.release(incident, job.key, ctx.owner).catch((err) =>
      ctx.log.warn('could not release the delivery claim; it lapses at the invocation deadline', { delivery: job.key, ...errorFields(err) }));
    return { error };
  }
  ctx.log.info('notification sent', { delivery: job.key, target: job.target });
  try {
    await ctx.store.markSent(incident, job.key, new Date().toISOString());
  } catch (err) {
    // Sent but not recorded: the claim lapses at the deadline and a retry may send it again.
    ctx.log.warn('notification sent but not recorded', { delivery: job.key, ...errorFields(err) });
  }
  return 'sent';
}

export async function deliver(ctx: DeliveryContext, incident: Incident, jobs: DeliveryJob[]): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: [], skipped: [], busy: [], permanent: [], failed: [] };
  const outcomes = await Promise.all(jobs.map((job) => attempt(ctx, incident, job).catch((error): Outcome => ({ error }))));
  outcomes.forEach((outcome, i) => {
    const key = jobs[i].key;
    if (outcome === 'sent' || outcome === 'skipped' || outcome === 'busy') {
      report[outcome].push(key);
    } else if ('permanent' in outcome) {
      report.permanent.push({ key, error: outcome.permanent });
    } else {
      report.failed.push({ key, error: outcome.error });
    }
  });
  return report;
}
