/**
 * Alarm descriptions: what an on-call engineer reads in the console, an e-mail or a page.
 * Each says which SLO, which tier, which burn rate over which window, and the runbook. Pure.
 * The escalation function reads the SLO, the tiers and the runbook back from the text: those
 * pieces are the handler contract's `PHRASES` (lambdas/shared/contract.ts).
 */
import { badEventsToFire, longWindowGuardEvents } from '../slo/burn-rate';
import { ResolvedTier, Severity } from '../slo/tiers';
import { sliceCount, slicesToAlarm } from '../slo/time-slices';
import { formatWindow } from '../slo/windows';
import { WindowKind } from '../slo/names';
import { formatDecimal } from '../private/format';
import { fillPhrase, PHRASES } from '../../lambdas/shared/contract';

/** CloudWatch's limit on AlarmDescription. */
export const MAX_DESCRIPTION_LENGTH = 1024;

/** What every description of one SLO repeats. */
export interface SloFacts {
  readonly serviceName: string;
  readonly sloName: string;
  /** Percent of good events. */
  readonly objective: number;
  readonly sloWindowSeconds: number;
  /** Fraction of events allowed to be bad. */
  readonly errorBudget: number;
  /** What the SLI counts. */
  readonly sliDescription: string;
  readonly runbookUrl?: string;
  /**
   * The SLO's `minimumEvents`: a long window with fewer events is judged as if it held
   * `max(minimumEvents, the tier's single-failure floor)` events. @default - the floor alone
   */
  readonly minimumEvents?: number;
  /**
   * For a time-slice SLI: the slice in seconds; the window alarms count bad slices instead of
   * judging a burn rate. @default - a counted-events SLI
   */
  readonly sliceSeconds?: number;
}

/** `0.001` -> `0.1%`. */
export function formatPercent(fraction: number): string {
  return `${formatDecimal(fraction * 100)}%`;
}

/** `SLO checkout/availability:`, which the escalation function reads. */
function sloReference(f: SloFacts): string {
  return fillPhrase(PHRASES.sloReference, { service: f.serviceName, slo: f.sloName });
}

function sloSummary(f: SloFacts): string {
  const objective = fillPhrase(PHRASES.sloObjective, { objective: f.objective, sloWindow: formatWindow(f.sloWindowSeconds), errorBudget: formatPercent(f.errorBudget) });
  return `${sloReference(f)} ${objective}; SLI: ${f.sliDescription}.`;
}

function runbook(f: SloFacts): string {
  return f.runbookUrl ? ` ${fillPhrase(PHRASES.runbook, { url: f.runbookUrl })}` : '';
}

/** Fits CloudWatch's limit by shortening the text before the runbook link (every text ends with it), which is kept whole. */
function clamp(text: string, f: SloFacts): string {
  if (text.length <= MAX_DESCRIPTION_LENGTH) {
    return text;
  }
  const tail = runbook(f);
  return `${cutAtCharacter(text, MAX_DESCRIPTION_LENGTH - tail.length - 1)}…${tail}`;
}

/** The first `length` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair (an emoji) in half. */
function cutAtCharacter(text: string, length: number): string {
  const head = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/** The description of one window alarm of one tier. */
export function windowAlarmDescription(f: SloFacts, tier: ResolvedTier, window: WindowKind, compositeName: string): string {
  const seconds = window === 'long' ? tier.longWindowSeconds : tier.shortWindowSeconds;
  const other = window === 'long' ? `short window ${formatWindow(tier.shortWindowSeconds)}` : `long window ${formatWindow(tier.longWindowSeconds)}`;
  const guard = f.sliceSeconds !== undefined ? ` ${slicesSentence(f.sliceSeconds, tier, seconds)}`
    : window === 'long' ? ` ${guardSentence(f, tier)}` : '';
  const windows = { longWindow: formatWindow(tier.longWindowSeconds), shortWindow: formatWindow(tier.shortWindowSeconds) };
  const rule = fillPhrase(PHRASES.windowTier, { severity: tier.severity, ...windows, window, lastWindow: formatWindow(seconds), burnRate: tier.burnRate });
  const budget = fillPhrase(PHRASES.windowTierBudget, { errorRatio: formatPercent(tier.errorRatioThreshold), budgetPercent: tier.budgetSpentPercent });
  return clamp(
    `${rule}${budget} in ${windows.longWindow}). Notifies only through ${compositeName}, together with the ${other}.${guard} ${sloSummary(f)}${runbook(f)}`,
    f,
  );
}

/** A time-slice window alarm's rule in words: `Time slices: ALARM when 9 of the last 60 1m slices are bad.` */
export function slicesSentence(sliceSeconds: number, tier: ResolvedTier, windowSeconds: number): string {
  const n = sliceCount(windowSeconds, sliceSeconds);
  return `Time slices: ALARM when ${slicesToAlarm(tier.errorRatioThreshold, n)} of the last ${n} ${formatWindow(sliceSeconds)} slices are bad.`;
}

/**
 * The low-traffic guard of a tier's long window, in words: `Low traffic: a window with fewer than
 * 70 events is judged as if it held 70, the rest good, so it takes 2 failed events, never one.`
 */
export function guardSentence(f: Pick<SloFacts, 'minimumEvents'>, tier: ResolvedTier): string {
  const n = longWindowGuardEvents(tier.errorRatioThreshold, f.minimumEvents);
  const k = badEventsToFire(tier.errorRatioThreshold, n);
  return `Low traffic: a window with fewer than ${n} events is judged as if it held ${n}, the rest good, `
    + `so it takes ${k} failed events, never one.`;
}

/**
 * The description of a severity's composite alarm. `alsoWhile` names the other conditions its rule
 * reads besides the tiers (the blind alarm), each completing "ALARM while …": they come right after
 * the tiers, so that clamping shortens the SLO summary, not the rule.
 */
export function compositeAlarmDescription(f: SloFacts, severity: Severity, tiers: ResolvedTier[], suppressedBy?: string, alsoWhile: readonly string[] = []): string {
  const title = `${severity === Severity.PAGE ? 'Page' : 'Ticket'} for ${sloReference(f)}`;
  if (tiers.length === 0) {
    return clamp(
      `${title} ALARM while ${alsoWhile.join(', or while ')}. No ${severity} tier of this SLO is configured or can fire. `
      + `SLO: ${f.objective}% good over ${formatWindow(f.sloWindowSeconds)}; SLI: ${f.sliDescription}.${runbook(f)}`,
      f,
    );
  }
  const rules = tiers
    .map((t) => `${fillPhrase(PHRASES.compositeTier, {
      burnRate: t.burnRate, longWindow: formatWindow(t.longWindowSeconds), shortWindow: formatWindow(t.shortWindowSeconds), budgetPercent: t.budgetSpentPercent,
    })} in ${formatWindow(t.longWindowSeconds)})`)
    .join(', or ');
  const also = alsoWhile.map((condition) => ` Also ALARM while ${condition}.`).join('');
  const suppression = suppressedBy
    ? ` Actions are suppressed while ${suppressedBy} is in ALARM; a ticket still burning when the page clears is raised then.` : '';
  return clamp(
    `${title} ALARM while the error budget burns at ${rules}.${also}${suppression} ${sloSummary(f)}${runbook(f)}`,
    f,
  );
}
