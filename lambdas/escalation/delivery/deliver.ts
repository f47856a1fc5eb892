/**
 * Sends a set of notifications at most once each per incident, even when SNS delivers an event
 * twice (possibly concurrently) or Lambda retries an invocation that failed half-way:
 *
 * 1. claim the delivery in the incident item (conditional write; the claim lapses at this
 *    invocation's deadline, so a crashed invocation cannot block its retry);
 * 2. send;
 * 3. mark it `sent`, or release the claim when sending failed.
 *
 * A delivery already `sent` is skipped; one another invocation is sending is looked at again a
 * few times, then reported as failed so that this event is retried later. The only window for a
 * duplicate is a crash between a successful send and step 3: at-least-once wins over at-most-once
 * for a pager.
 */
import type { Incident } from '../../shared/incident';
import { errorFields, Logger } from '../../shared/log';
import type { IncidentStore } from '../store/incidents';
import { retryPolicy, sleep } from './retry';

export interface DeliveryJob {
  /** Unique within the incident: `a.<cycle>.<level>.<target>`, `r.<level>.<target>`, `k.<level>.<target>`. */
  readonly key: string;
  readonly send: () => Promise<void>;
}

export interface DeliveryReport {
  readonly sent: string[];
  readonly skipped: string[];
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

type Outcome = 'sent' | 'skipped' | 'busy' | { error: unknown };

async function attempt(ctx: DeliveryContext, incident: Incident, job: DeliveryJob): Promise<Outcome> {
  const claim = await ctx.store.claim(incident, job.key, ctx.deadline, ctx.owner, Date.now());
  if (claim === 'done' || claim === 'gone') {
    ctx.log.info('notification skipped', { delivery: job.key, because: claim === 'done' ? 'already sent' : 'the incident was replaced' });
    return 'skipped';
  }
  if (claim === 'busy') {
    return 'busy';
  }
  try {
    await job.send();
  } catch (error) {
    ctx.log.error('notification failed', { delivery: job.key, ...errorFields(error) });
    await ctx.store.release(incident, job.key, ctx.owner).catch((err) =>
      ctx.log.warn('could not release the delivery claim; it lapses at the invocation deadline', { delivery: job.key, ...errorFields(err) }));
    return { error };
  }
  ctx.log.info('notification sent', { delivery: job.key });
  try {
    await ctx.store.markSent(incident, job.key, new Date().toISOString());
  } catch (err) {
    // Sent but not recorded: the claim lapses at the deadline and a retry may send it again.
    ctx.log.warn('notification sent but not recorded', { delivery: job.key, ...errorFields(err) });
  }
  return 'sent';
}

export async function deliver(ctx: DeliveryContext, incident: Incident, jobs: DeliveryJob[]): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: [], skipped: [], failed: [] };
  let pending = jobs;
  for (let round = 0; pending.length > 0; round++) {
    const outcomes = await Promise.all(pending.map((job) => attempt(ctx, incident, job).catch((error): Outcome => ({ error }))));
    const busy: DeliveryJob[] = [];
    outcomes.forEach((outcome, i) => {
      const key = pending[i].key;
      if (outcome === 'sent') {
        report.sent.push(key);
      } else if (outcome === 'skipped') {
        report.skipped.push(key);
      } else if (outcome === 'busy') {
        busy.push(pending[i]);
      } else {
        report.failed.push({ key, error: outcome.error });
      }
    });
    if (busy.length > 0 && round >= retryPolicy.busyRounds) {
      for (const job of busy) {
        ctx.log.warn('notification still being sent by another invocation; this event will be retried', { delivery: job.key });
        report.failed.push({ key: job.key, error: new Error('being sent by another invocation') });
      }
      break;
    }
    if (busy.length > 0) {
      await sleep(retryPolicy.busyWaitMs);
    }
    pending = busy;
  }
  return report;
}
