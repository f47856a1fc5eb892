/**
 * What a message says about an alarm: service, SLO, objective, error budget, the tier that fired
 * (burn rate and windows), runbook and console links. Derived from the alarm's tags (set by
 * `ReliableService`), its triggering children's names (`checkout-availability-page-1h-5m-long`)
 * and its description; every field is optional and messages fall back to the alarm name. Pure.
 */
import type { AlarmSnapshot, Severity } from '../../shared/incident';

export const TAG = {
  service: 'cdk-reliability:service',
  slo: 'cdk-reliability:slo',
  severity: 'cdk-reliability:severity',
  objective: 'cdk-reliability:objective',
  window: 'cdk-reliability:window',
  runbook: 'cdk-reliability:runbook',
  dashboard: 'cdk-reliability:dashboard',
} as const;

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

const WINDOW = '\\d+[smhd]';
const CHILD_NAME = new RegExp(`-(page|ticket)-(${WINDOW})-(${WINDOW})-(long|short)$`);
const COMPOSITE_RULE = new RegExp(`([\\d.]+)x over (${WINDOW}) and (${WINDOW}) \\(([\\d.]+)% of the budget`, 'g');
const WINDOW_RULE = new RegExp(`(page|ticket) tier (${WINDOW})/(${WINDOW}), (?:long|short) window: ALARM when the burn rate over the last ${WINDOW} exceeds ([\\d.]+)x(?: \\(error ratio above [\\d.]+%; ([\\d.]+)% of the budget)?`);
const SLO_NAME = /\bSLO ([^\s/]+)\/([^\s:]+):/;
const OBJECTIVE = new RegExp(`: ([\\d.]+)% good over (${WINDOW}) \\(error budget ([\\d.]+%)\\)`);
const RUNBOOK = /Runbook: (https?:\/\/\S+)\s*$/;

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
  for (const m of description.matchAll(COMPOSITE_RULE)) {
    tiers.push({ severity, longWindow: m[2], shortWindow: m[3], burnRate: Number(m[1]), budgetPercent: Number(m[4]) });
  }
  const w = WINDOW_RULE.exec(description);
  if (w) {
    tiers.push({ severity: w[1], longWindow: w[2], shortWindow: w[3], burnRate: Number(w[4]), ...(w[5] ? { budgetPercent: Number(w[5]) } : {}) });
  }
  return tiers;
}

/** The tier of a window alarm, from its name, or `undefined`. */
export function tierFromAlarmName(name: string): TierFacts | undefined {
  const m = CHILD_NAME.exec(name);
  return m ? { severity: m[1], longWindow: m[2], shortWindow: m[3] } : undefined;
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
  const sloName = description ? SLO_NAME.exec(description) : null;
  const objectiveMatch = description ? OBJECTIVE.exec(description) : null;
  const objective = tags[TAG.objective] ?? objectiveMatch?.[1];
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
  const dashboard = tags[TAG.dashboard];
  return {
    alarmName,
    severity,
    service: tags[TAG.service] ?? sloName?.[1],
    slo: tags[TAG.slo] ?? sloName?.[2],
    objective,
    window: tags[TAG.window] ?? objectiveMatch?.[2],
    errorBudget: (objective ? errorBudgetOf(objective) : undefined) ?? objectiveMatch?.[3],
    runbook: safeUrl(tags[TAG.runbook]) ?? safeUrl(description ? RUNBOOK.exec(description)?.[1] : undefined),
    dashboard,
    firedTiers: fired,
    tiers,
    description,
    reason: snapshot.reason,
    alarmUrl: region ? alarmConsoleUrl(region, alarmName) : undefined,
    dashboardUrl: region && dashboard ? dashboardConsoleUrl(region, dashboard) : undefined,
  };
}
