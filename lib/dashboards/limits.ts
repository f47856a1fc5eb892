/**
 * CloudWatch dashboard limits, and how a service's dashboard is split to respect them. Pure (no
 * construct scope).
 *
 * What CloudWatch documents (CloudWatch service quotas, "Dashboards"; "Using math expressions with
 * CloudWatch metrics"; "Dashboard body structure and syntax"):
 * - up to 500 widgets per dashboard;
 * - up to 500 metrics per widget and 2,500 per dashboard. These count every metric retrieved for
 *   metric math, displayed or not, and a graph's 500 include its math expressions. Older quota
 *   tables (and many third-party copies) give 100 per widget and 500 per dashboard: we budget with
 *   those stricter figures, so that a dashboard is within either, and stays quick to load;
 * - an alarm status widget lists 1 to 100 alarms.
 * The dashboard body itself is a CloudFormation property: a dashboard within these budgets renders
 * to well under 100 KB (about 70 KB at 500 metrics of 10-metric SLIs), far from the 1 MB a
 * CloudFormation template may hold.
 */
import { IWidget } from 'aws-cdk-lib/aws-cloudwatch';

/** The budgets a dashboard is packed against. */
export interface DashboardBudget {
  /** Metrics and math expressions, hidden ones included, across all widgets. */
  readonly metrics: number;
  /** Widgets (a row counts each widget in it). */
  readonly widgets: number;
}

/** The limits this library builds dashboards within. */
export const DASHBOARD_LIMITS = {
  /** Metrics and expressions per dashboard: the stricter historical quota (CloudWatch now allows 2,500). */
  metricsPerDashboard: 500,
  /** Metrics and expressions per graph: the stricter historical quota (CloudWatch now allows 500). */
  metricsPerWidget: 100,
  /** Widgets per dashboard: a readable page (CloudWatch allows 500); a dashboard holding one SLO may exceed it. */
  widgetsPerDashboard: 100,
  /** Alarms per alarm status widget (CloudWatch: 1 to 100). */
  alarmsPerStatusWidget: 100,
} as const;

/** How much of a dashboard's budget something uses. */
export interface DashboardUsage {
  readonly metrics: number;
  readonly widgets: number;
}

/** What a dashboard holds so far. */
export interface PartUsage extends DashboardUsage {
  /** Sections (SLOs) placed on it. */
  readonly sections: number;
}

/** The rendered widgets of `widgets` (rows and columns count each widget in them). */
function rendered(widgets: IWidget[]): { properties?: { metrics?: unknown[] } }[] {
  return widgets.flatMap((w) => w.toJson());
}

/** Metrics and math expressions `widgets` retrieve, hidden ones included: what CloudWatch counts. */
export function metricsIn(widgets: IWidget[]): number {
  return rendered(widgets).reduce((sum, w) => sum + (w.properties?.metrics?.length ?? 0), 0);
}

/** The usage of a group of widgets. */
export function usageOf(widgets: IWidget[]): DashboardUsage {
  return { metrics: metricsIn(widgets), widgets: rendered(widgets).length };
}

/**
 * Which dashboard a section goes to, given what each dashboard so far holds: the last one when the
 * section fits within the budget there (or when the last one holds no section yet), else a new one
 * (index `parts.length`). Sections are never split and never placed before the last dashboard, so
 * the order on the page is the order of declaration, and the result depends only on it.
 */
export function placeSection(parts: PartUsage[], section: DashboardUsage, budget: DashboardBudget): number {
  if (parts.length === 0) {
    return 0;
  }
  const last = parts[parts.length - 1];
  const fits = last.metrics + section.metrics <= budget.metrics && last.widgets + section.widgets <= budget.widgets;
  return fits || last.sections === 0 ? parts.length - 1 : parts.length;
}

/** Splits `items` into chunks of at most `size` (at least one chunk, possibly empty). */
export function chunk<T>(items: T[], size: number): T[][] {
  if (items.length === 0) {
    return [[]];
  }
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}
