/**
 * The low-traffic guard of a tier's long window as a manifest records it, read tolerantly. Pure.
 *
 * A long window holding fewer than N events is judged as if it held N, the rest good (see
 * `longWindowGuardEvents` in `lib/slo/burn-rate.ts`): N = max(minimumEvents, floor(1/r) + 1), r the
 * tier's error-ratio threshold. Manifests record N per tier (`TierEntry.guardEvents`). Manifests
 * written before the per-tier floor existed have no `guardEvents`: their alarms were guarded by the
 * SLO's `minimumEvents` alone, or not at all, and they are read so.
 */
import type { SloEntry, TierEntry } from './schema';

/** The events a tier's long window is judged against when it holds fewer (1: no guard). */
export function recordedGuardEvents(slo: Pick<SloEntry, 'minimumEvents'>, tier: Pick<TierEntry, 'guardEvents'>): number {
  const recorded = tier.guardEvents;
  if (typeof recorded === 'number' && Number.isFinite(recorded) && recorded >= 1) {
    return recorded;
  }
  const minimum = slo.minimumEvents;
  return typeof minimum === 'number' && Number.isFinite(minimum) && minimum >= 1 ? minimum : 1;
}

/** Every tier's guard, in tier order: `70/167/334/1001 events`; `none` when no tier is guarded; `no tiers`. */
export function describeGuards(slo: Pick<SloEntry, 'minimumEvents' | 'tiers'>): string {
  if (slo.tiers.length === 0) {
    return 'no tiers';
  }
  const guards = slo.tiers.map((t) => recordedGuardEvents(slo, t));
  return guards.every((n) => n <= 1) ? 'none' : `${guards.join('/')} events`;
}
