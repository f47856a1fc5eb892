/**
 * What `budget` prints: a table per service (SLO, objective, window, SLI, budget left, burn rate
 * per alert window), notes on SLOs without data or with tiers over their thresholds, and the
 * verdict; or the same as JSON. Pure.
 */
import type { StackEntry } from '../../manifest/schema';
import { ExitCode } from '../exit-codes';
import { formatDuration, formatPercent, joinAnd } from '../../private/format';
import { formatWindow } from '../../slo/windows';
import { formatTime } from '../render';
import type { BudgetVerdict, BurnReading, SloBudget } from './model';
import type { QueryWindow } from './plan';
import { describeStack } from './region';

/** What the output describes besides the budgets. */
export interface BudgetContext {
  readonly stack: StackEntry;
  readonly region: string;
  readonly now: Date;
  readonly minRemainingPercent: number;
  readonly failOnMissingData: boolean;
  /** Per SLO, in the order of the budgets. */
  readonly sloWindows: ReadonlyArray<QueryWindow | undefined>;
  /** @default - no tier */
  readonly alertRange?: QueryWindow;
  /** Notes on the stack as a whole (e.g. none of its alarms exist in the region). */
  readonly notes: readonly string[];
}

function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * `99.983 %`: two more decimals than the objective has (at least two), rounded down so that an
 * SLI just under the objective never reads as meeting it.
 */
export function formatSli(sliPercent: number, objective: number): string {
  return formatPercent(sliPercent, { decimalsDown: Math.max(2, decimalsOf(objective) + 2) });
}

/** `83.3 %`, `-12.5 %`: rounded down, so that a budget just exhausted never reads as 0.0 % left. */
export function formatBudget(percent: number): string {
  return formatPercent(percent, { decimalsDown: 1 });
}

/** `0.4x`, `14.4x`, `1200x`. */
export function formatBurnRate(rate: number): string {
  return rate >= 1000 ? `${Math.round(rate)}x` : `${rate.toFixed(1)}x`;
}

/** A threshold as the manifest gives it: `14.4x`, `0.93x`. */
function formatThreshold(rate: number): string {
  return `${Number(rate.toFixed(2))}x`;
}

/** `25 %` for the gate. */
export function formatGate(percent: number): string {
  return formatPercent(percent);
}

function name(b: SloBudget): string {
  return `${b.service}/${b.slo}`;
}

/** `1h 0.4x · 5m 0.0x (no traffic) · 6h 15.2x (>6x)`. */
export function formatBurnRates(budget: SloBudget): string {
  if (budget.status === 'no-data') {
    return 'no data';
  }
  if (budget.burnRates.length === 0) {
    return 'no alert tiers';
  }
  if (budget.burnRates.every((b) => b.noTraffic)) {
    return `no traffic in any alert window (burn rates 0x)`;
  }
  return budget.burnRates.map((b: BurnReading) => {
    const marks = [b.noTraffic ? ' (no traffic)' : '', b.overThreshold ? ` (>${formatThreshold(b.threshold)})` : ''].join('');
    return `${b.window} ${formatBurnRate(b.burnRate)}${marks}`;
  }).join(' · ');
}

function sliCell(b: SloBudget): string {
  return b.sliPercent === null ? 'no data' : formatSli(b.sliPercent, b.objective);
}

function budgetCell(b: SloBudget): string {
  if (b.budgetRemainingPercent === null) {
    return 'no data';
  }
  const text = formatBudget(b.budgetRemainingPercent);
  return b.status === 'no-traffic' ? `${text} (unchanged)` : b.exhausted ? `${text} (exhausted)` : text;
}

/** Rows padded into columns (the last column is not padded). */
function table(rows: ReadonlyArray<readonly string[]>, indent = '  ', gap = 2): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => (indent + r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] + gap))).join('')).trimEnd());
}

/** The notes under an SLO's row. */
function sloNotes(b: SloBudget, failOnMissingData: boolean): string[] {
  const notes: string[] = [];
  if (b.status === 'no-data') {
    notes.push(`${b.slo}: ${b.reason ?? 'no data'}; ${failOnMissingData ? 'fails the gate (--fail-on-missing-data)' : 'not gated'}`);
  } else if (b.status === 'no-traffic') {
    notes.push(`${b.slo}: ${b.reason}`);
  }
  if (b.slices && b.status !== 'no-data') {
    const s = b.slices;
    const slice = formatWindow(s.sliceSeconds);
    const partial = s.countedSeconds < b.windowSeconds
      ? ` over the last ${formatDuration(s.countedSeconds)} of its ${b.window} window (CloudWatch keeps ${slice} datapoints no longer)` : ` over ${b.window}`;
    const missing = s.missing > 0 ? `; ${s.missing} without data, counted ${s.missingSlice}` : '';
    notes.push(`${b.slo}: ${b.badEvents} bad ${slice} slices of ${b.totalEvents}${partial}${missing}`);
  }
  for (const tier of b.tiers.filter((t) => t.firing)) {
    if (b.slices) {
      notes.push(`${b.slo}: tier ${tier.id} (${tier.severity}) is over its threshold: both its windows hold more bad slices than `
        + `${formatPercent(tier.threshold * b.errorBudget * 100)} (${tier.longWindow} ${formatBurnRate(tier.longBurnRate)}, ${tier.shortWindow} ${formatBurnRate(tier.shortBurnRate)})`);
      continue;
    }
    notes.push(`${b.slo}: tier ${tier.id} (${tier.severity}) is over its threshold: ${tier.longWindow} ${formatBurnRate(tier.longBurnRate)} and `
      + `${tier.shortWindow} ${formatBurnRate(tier.shortBurnRate)}, both above ${formatThreshold(tier.threshold)}`);
  }
  return notes;
}

/** The verdict's message and exit code. */
export function verdictMessage(verdict: BudgetVerdict, budgets: readonly SloBudget[], context: Pick<BudgetContext, 'minRemainingPercent' | 'failOnMissingData'>): {
  message: string;
  exitCode: number;
} {
  const gate = formatGate(context.minRemainingPercent);
  const missing = budgets.filter((b) => b.status === 'no-data').map(name);
  if (verdict === 'exhausted') {
    const spent = budgets.filter((b) => b.exhausted)
      .map((b) => `${name(b)} has ${formatBudget(b.budgetRemainingPercent!)} of its error budget left`);
    return {
      message: `FAIL: budget exhausted: freeze feature deploys. ${joinAnd(spent)} (the gate needs more than ${gate}).`,
      exitCode: ExitCode.FINDING,
    };
  }
  if (verdict === 'missing-data') {
    return {
      message: `FAIL: no data for ${joinAnd(missing)} (--fail-on-missing-data): the gate cannot tell how much of the budget is left.`,
      exitCode: ExitCode.FINDING,
    };
  }
  const known = budgets.filter((b) => b.budgetRemainingPercent !== null);
  const skipped = missing.length > 0 ? ` Not gated, no data: ${joinAnd(missing)} (--fail-on-missing-data fails on them).` : '';
  if (known.length === 0) {
    return { message: `PASS: no SLO has data to gate on.${skipped}`, exitCode: ExitCode.OK };
  }
  const lowest = known.reduce((a, b) => (b.budgetRemainingPercent! < a.budgetRemainingPercent! ? b : a));
  const left = formatBudget(lowest.budgetRemainingPercent!);
  return {
    message: known.length === 1
      ? `PASS: the error budget of ${name(lowest)} is above ${gate} (${left} left).${skipped}`
      : `PASS: every error budget is above ${gate} (lowest: ${name(lowest)}, ${left} left).${skipped}`,
    exitCode: ExitCode.OK,
  };
}

/** The text report. */
export function formatBudgets(budgets: readonly SloBudget[], verdict: BudgetVerdict, context: BudgetContext): string[] {
  const lines = [`Error budgets of stack ${describeStack(context.stack)} in ${context.region}`];
  const ends = [...new Set(context.sloWindows.filter((w): w is QueryWindow => w !== undefined).map((w) => w.end.getTime()))];
  const span = [
    ends.length > 0 ? `budgets over each SLO window to ${ends.map((e) => formatTime(new Date(e))).join(', ')}` : undefined,
    context.alertRange ? `burn rates to ${formatTime(context.alertRange.end)}` : undefined,
  ].filter(Boolean).join('; ');
  if (span) {
    lines.push(`${span.charAt(0).toUpperCase()}${span.slice(1)}. A burn rate of 1x spends the budget in exactly the SLO window.`);
  }
  const services = [...new Set(budgets.map((b) => b.service))];
  for (const service of services) {
    const rows = budgets.filter((b) => b.service === service);
    lines.push('', service);
    lines.push(...table([
      ['SLO', 'objective', 'window', 'SLI', 'budget left', 'burn rate by alert window'],
      ...rows.map((b) => [b.slo, formatPercent(b.objective), b.window, sliCell(b), budgetCell(b), formatBurnRates(b)]),
    ]));
    const notes = rows.flatMap((b) => sloNotes(b, context.failOnMissingData));
    lines.push(...notes.map((n) => `    - ${n}`));
  }
  if (budgets.some((b) => b.burnRates.some((r) => r.overThreshold))) {
    lines.push('', '(>Nx): above the burn-rate threshold of a tier that uses the window (the lowest, where several do).');
  }
  if (context.notes.length > 0) {
    lines.push('', ...context.notes);
  }
  lines.push('', verdictMessage(verdict, budgets, context).message);
  return lines;
}

function iso(date: Date | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** The JSON report (`--json`). */
export function budgetsJson(budgets: readonly SloBudget[], verdict: BudgetVerdict, context: BudgetContext): unknown {
  const { message, exitCode } = verdictMessage(verdict, budgets, context);
  return {
    stack: context.stack,
    region: context.region,
    evaluatedAt: context.now.toISOString(),
    gate: { minRemainingPercent: context.minRemainingPercent, failOnMissingData: context.failOnMissingData },
    verdict,
    exitCode,
    message,
    alertWindowsEnd: iso(context.alertRange?.end),
    slos: budgets.map((b, i) => ({
      ...b,
      windowStart: iso(context.sloWindows[i]?.start),
      windowEnd: iso(context.sloWindows[i]?.end),
    })),
    notes: context.notes,
  };
}
