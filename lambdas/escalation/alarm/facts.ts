/**
 * What a message says about an alarm: service, SLO, objective, error budget, the tier that fired
 * (burn rate and windows), runbook and console links. Derived from the alarm's tags (set by
 * `ReliableService`), its triggering children's names (`checkout-availability-page-1h-5m-long`)
 * and its description; every field is optional and messages fall back to the alarm name. Pure.
 */
import { ALARM_TAGS, PHRASES, phrasePattern } from '../../shared/contract';
import type { AlarmSnapshot, Severity } from '../../shared/incident';

/** A burn-rate tier: both windows must burn faster than `burnRate`. */
export interface TierFacts {
  readonly severity: string;
  readonly longWindow: string;
  readonly shortWindow: string;
  readonly burnRate?: number;
  /** Percent of the error budget the tier allows to spend within its long window. */
  readonly budgetPercent?: number;
}

export interface AlarmFacts {
  readonly alarmName: string;
  readonly severity: Severity;
  readonly service?: string;
  readonly slo?: string;
  /** Percent, as text: `99.9`. */
  readonly objective?: string;
  /** SLO window: `30d`. */
  readonly window?: string;
  /** `0.1%`. */
  readonly errorBudget?: string;
  readonly runbook?: string;
  readonly dashboard?: string;
  /** Tiers whose alarms triggered this notification (from the triggering children). */
  readonly firedTiers: TierFacts[];
  /** Every tier of this severity (from the description), shown when the fired one is unknown. */
  readonly tiers: TierFacts[];
  readonly description?: string;
  readonly reason?: string;
  readonly alarmUrl?: string;
  readonly dashboardUrl?: string;
}

// The grammar of names and descriptions is the contract's (lambdas/shared/contract.ts): one phrase each.
const CHILD_NAME = new RegExp(`${phrasePattern(PHRASES.windowAlarmSuffix)}$`);
const COMPOSITE_RULE = new RegExp(phrasePattern(PHRASES.compositeTier), 'g');
const WINDOW_RULE = new RegExp(`${phrasePattern(PHRASES.windowTier)}(?:${phrasePattern(PHRASES.windowTierBudget)})?`);
const SLO_NAME = new RegExp(`\\b${phrasePattern(PHRASES.sloReference)}`);
/** The objective follows the SLO reference's colon. */
const OBJECTIVE = new RegExp(`: ${phrasePattern(PHRASES.sloObjective)}`);
const RUNBOOK = new RegExp(`${phrasePattern(PHRASES.runbook)}\\s*$`);

function safeUrl(value: string | undefined): string | undefined {
  return value && /^https?:\/\/[^\s<>"']+$/.test(value) ? value : undefined;
}

/** `99.9` -> `0.1%` (no floating-point noise). */
export function errorBudgetOf(objective: string): string | undefined {
  const o = Number(objective);
  if (!Number.isFinite(o) || o <= 0 || o >= 100) {
    return undefined;
  }
  return `${Number((100 - o).toPrecision(10))}%`;
}

/** Tiers described by an alarm description (composite or window alarm). */
export function tiersFromDescription(description: string | undefined, severity: string): TierFacts[] {
  if (!description) {
    return [];
  }
  const tiers: TierFacts[] = [];
  for (const { groups: m = {} } of description.matchAll(COMPOSITE_RULE)) {
    tiers.push({ severity, longWindow: m.longWindow, shortWindow: m.shortWindow, burnRate: Number(m.burnRate), budgetPercent: Number(m.budgetPercent) });
  }
  const w = WINDOW_RULE.exec(description)?.groups;
  if (w) {
    tiers.push({
      severity: w.severity, longWindow: w.longWindow, shortWindow: w.shortWindow, burnRate: Number(w.burnRate),
      ...(w.budgetPercent ? { budgetPercent: Number(w.budgetPercent) } : {}),
    });
  }
  return tiers;
}

/** The tier of a window alarm, from its name, or `undefined`. */
export function tierFromAlarmName(name: string): TierFacts | undefined {
  const m = CHILD_NAME.exec(name)?.groups;
  return m ? { severity: m.severity, longWindow: m.longWindow, shortWindow: m.shortWindow } : undefined;
}

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) {
    return `${region}.console.amazonaws.cn`;
  }
  if (region.startsWith('us-gov-')) {
    return `${region}.console.amazonaws-us-gov.com`;
  }
  return `${region}.console.aws.amazon.com`;
}

export function alarmConsoleUrl(region: string, alarmName: string): string {
  return `https://${consoleHost(region)}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}

export function dashboardConsoleUrl(region: string, dashboard: string): string {
  return `https://${consoleHost(region)}/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboard)}`;
}

export function alarmFacts(
  alarmName: string,
  severity: Severity,
  snapshot: AlarmSnapshot,
  tags: Record<string, string>,
  defaultRegion?: string,
): AlarmFacts {
  const description = snapshot.description;
  const sloName = description ? SLO_NAME.exec(description)?.groups : undefined;
  const objectiveMatch = description ? OBJECTIVE.exec(description)?.groups : undefined;
  const objective = tags[ALARM_TAGS.objective] ?? objectiveMatch?.objective;
  const tiers = tiersFromDescription(description, severity);
  const burnRates = new Map(tiers.map((t) => [`${t.longWindow}/${t.shortWindow}`, t]));

  const fired: TierFacts[] = [];
  for (const name of [...snapshot.children, alarmName]) {
    const tier = tierFromAlarmName(name);
    if (tier && !fired.some((f) => f.longWindow === tier.longWindow && f.shortWindow === tier.shortWindow)) {
      const known = burnRates.get(`${tier.longWindow}/${tier.shortWindow}`);
      fired.push(known ? { ...known, severity: tier.severity } : tier);
    }
  }

  const region = snapshot.region ?? defaultRegion;
  const dashboard = tags[ALARM_TAGS.dashboard];
  return {
    alarmName,
    severity,
    service: tags[ALARM_TAGS.service] ?? sloName?.service,
    slo: tags[ALARM_TAGS.slo] ?? sloName?.slo,
    objective,
    window: tags[ALARM_TAGS.window] ?? objectiveMatch?.sloWindow,
    errorBudget: (objective ? errorBudgetOf(objective) : undefined) ?? objectiveMatch?.errorBudget,
    runbook: safeUrl(tags[ALARM_TAGS.runbook]) ?? safeUrl(description ? RUNBOOK.exec(description)?.groups?.url : undefined),
    dashboard,
    firedTiers: fired,
    tiers,
    description,
    reason: snapshot.reason,
    alarmUrl: region ? alarmConsoleUrl(region, alarmName) : undefined,
    dashboardUrl: region && dashboard ? dashboardConsoleUrl(region, dashboard) : undefined,
  };
}
