/**
 * The CloudWatch dashboard of a service. Per SLO: the SLI against the objective, the burn rate over
 * every alert window with the tiers' thresholds drawn as lines, the error budget left over the SLO
 * window, what the SLO measures, and the status of its alarms. Then the health of the escalation
 * policy's pager, and the service's chaos experiments, when it has them. The escalation function
 * links it from every page (the `cdk-reliability:dashboard` tag on the composites).
 *
 * A service with many SLOs gets several dashboards, `<service>-reliability`,
 * `<service>-reliability-2`, ..., filled in the order the SLOs are declared, one SLO never split,
 * each within CloudWatch's limits (see `./limits`); each one's header links the others. The first
 * holds the escalation and experiment sections and is the one pages link to. Nothing depends on
 * time or randomness: the same app gives the same dashboard bodies.
 */
import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ChaosExperiment } from '../chaos/chaos-experiment';
import { EscalationPolicy, IEscalationPolicy } from '../escalation/escalation-policy';
import type { ServiceLevelObjective } from '../service/service-level-objective';
import { DeferredLayout } from './deferred-layout';
import { escalationWidgets, EscalationWidgets } from './escalation-widgets';
import { experimentWidgets } from './experiment-widgets';
import { DASHBOARD_LIMITS, DashboardBudget, DashboardUsage, PartUsage, placeSection, usageOf } from './limits';
import { dashboardConsoleUrl, escapeMarkdown } from './markdown';
import { sloWidgets } from './slo-widgets';
import { describeValue, readProperty } from '../private/describe';
import { formatProblems, Problem } from '../private/problems';

/**
 * The name of a service's dashboard (CloudWatch allows letters, digits, `-` and `_`):
 * `<service>-reliability`, and `<service>-reliability-<part>` for the second and later ones.
 */
export function dashboardNameFor(serviceName: string, part: number = 1): string {
  const base = `${serviceName.replace(/[^A-Za-z0-9_-]/g, '-')}-reliability`;
  return part === 1 ? base : `${base}-${part}`;
}

/** Widgets the first dashboard keeps free for the experiments section (text, stop conditions, logs). */
export const EXPERIMENT_WIDGETS_RESERVED = 4;

/** Props of `ServiceDashboard`. */
export interface ServiceDashboardProps {
  /** Name of the (first) dashboard; further ones get `-2`, `-3`, ... */
  readonly dashboardName: string;
  /** Title shown at the top. */
  readonly title: string;
  /**
   * The service's escalation policy: an `EscalationPolicy` adds the health of its pager.
   * @default - no escalation section
   */
  readonly escalation?: IEscalationPolicy;
}

/** CloudWatch's longest dashboard name. */
const MAX_DASHBOARD_NAME_LENGTH = 255;

/**
 * The props, checked: one error listing every problem, with the prop, the value and what is
 * allowed, rather than a TypeError when the dashboard body is rendered at synth.
 */
function validate(where: string, props: ServiceDashboardProps): ServiceDashboardProps {
  if (typeof props !== 'object' || props === null) {
    throw new Error(`${where}: props: must be { dashboardName, title, escalation? }, got ${describeValue(props)}`);
  }
  const problems: Problem[] = [];
  const read = (prop: keyof ServiceDashboardProps): unknown => {
    const r = readProperty(props, prop);
    if (!r.ok) {
      problems.push({ prop, message: r.problem });
      return undefined;
    }
    return r.value;
  };
  const dashboardName = read('dashboardName');
  if (typeof dashboardName !== 'string' || dashboardName === '') {
    problems.push({ prop: 'dashboardName', message: `is required: a name of letters, digits, - and _ (e.g. 'checkout-reliability'), got ${describeValue(dashboardName)}` });
  } else if (!Token.isUnresolved(dashboardName)
    && (!/^[A-Za-z0-9_-]+$/.test(dashboardName) || dashboardName.length > MAX_DASHBOARD_NAME_LENGTH)) {
    problems.push({ prop: 'dashboardName', message: `must be 1 to ${MAX_DASHBOARD_NAME_LENGTH} letters, digits, - and _ (CloudWatch dashboard names), got ${describeValue(dashboardName)}` });
  }
  const title = read('title');
  if (typeof title !== 'string' || title.trim() === '') {
    problems.push({ prop: 'title', message: `is required: the text shown at the top of the dashboard (e.g. 'checkout'), got ${describeValue(title)}` });
  }
  const escalation = read('escalation');
  if (escalation !== undefined && !safelyIsEscalationPolicy(escalation)) {
    problems.push({ prop: 'escalation', message: `must be an IEscalationPolicy (e.g. an EscalationPolicy), got ${describeValue(escalation)}` });
  }
  if (problems.length > 0) {
    throw new Error(formatProblems(where, problems));
  }
  return { dashboardName: dashboardName as string, title: title as string, escalation: escalation as IEscalationPolicy | undefined };
}

function safelyIsEscalationPolicy(x: unknown): boolean {
  try {
    return EscalationPolicy.isEscalationPolicy(x);
  } catch {
    return false;
  }
}

/** One of the service's dashboards and the SLOs on it. */
interface Part {
  readonly dashboard: cloudwatch.Dashboard;
  readonly name: string;
  readonly slos: { readonly name: string; readonly rows: cloudwatch.IWidget[][] }[];
  usage: PartUsage;
}

/** The dashboards of one service; SLOs and experiments are added as the service declares them. */
export class ServiceDashboard extends Construct {
  /** The first dashboard: the one pages link to. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Name of the first dashboard. */
  public readonly dashboardName: string;
  private readonly title: string;
  private readonly escalation?: EscalationWidgets;
  private readonly parts: Part[] = [];
  private readonly experimentList: ChaosExperiment[] = [];

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const valid = validate(this.node.path, props);
    this.dashboardName = valid.dashboardName;
    this.title = valid.title;
    this.escalation = escalationWidgets(valid.escalation);
    const first = this.addPart();
    this.dashboard = first.dashboard;
    if (this.escalation) {
      warnAbout(first.dashboard, this.escalation.widgets);
    }
  }

  /** Every dashboard of the service, the first one first. */
  public get dashboards(): cloudwatch.Dashboard[] {
    return this.parts.map((p) => p.dashboard);
  }

  /** The names of every dashboard of the service, the first one first. */
  public get dashboardNames(): string[] {
    return this.parts.map((p) => p.name);
  }

  /** The name of the dashboard showing an SLO, or `undefined` when it is not on any. */
  public dashboardNameOf(sloName: string): string | undefined {
    return this.parts.find((p) => p.slos.some((s) => s.name === sloName))?.name;
  }

  /**
   * Adds an SLO's widgets: on the last dashboard when they fit within its budget, else on a new
   * dashboard.
   */
  public addSlo(slo: ServiceLevelObjective): void {
    const section = sloWidgets(slo);
    const usage = usageOf(section.widgets);
    if (usage.metrics > DASHBOARD_LIMITS.metricsPerDashboard) {
      throw new Error(`${this.node.path}: SLO '${slo.name}' needs ${usage.metrics} metrics and expressions on its dashboard, more than the `
        + `${DASHBOARD_LIMITS.metricsPerDashboard} one dashboard may read. Use fewer alert windows or an SLI with fewer metrics, `
        + 'or turn the dashboard off (dashboard: false) and build your own');
    }
    const index = placeSection(this.parts.map((p) => p.usage), usage, BUDGET);
    const part = index < this.parts.length ? this.parts[index] : this.addPart();
    part.slos.push({ name: slo.name, rows: section.rows });
    part.usage = {
      metrics: part.usage.metrics + usage.metrics,
      widgets: part.usage.widgets + usage.widgets,
      sections: part.usage.sections + 1,
    };
    warnAbout(part.dashboard, section.widgets);
  }

  /** Adds a chaos experiment to the first dashboard's experiment section. */
  public addExperiment(experiment: ChaosExperiment): void {
    this.experimentList.push(experiment);
  }

  /** Creates the next dashboard, with what it holds before any SLO. */
  private addPart(): Part {
    const number = this.parts.length + 1;
    const name = number === 1 ? this.dashboardName : `${this.dashboardName}-${number}`;
    const dashboard = new cloudwatch.Dashboard(this, number === 1 ? 'Resource' : `Part${number}`, {
      dashboardName: name,
      defaultInterval: Duration.days(3),
    });
    const header: DashboardUsage = { metrics: 0, widgets: 1 };
    const extra: DashboardUsage = number === 1 && this.escalation ? usageOf(this.escalation.widgets) : { metrics: 0, widgets: 0 };
    const part: Part = {
      dashboard,
      name,
      slos: [],
      usage: {
        metrics: header.metrics + extra.metrics,
        widgets: header.widgets + extra.widgets + (number === 1 ? EXPERIMENT_WIDGETS_RESERVED : 0),
        sections: 0,
      },
    };
    this.parts.push(part);
    dashboard.addWidgets(new DeferredLayout(() => this.rowsOf(number - 1)));
    return part;
  }

  /** The rows of a dashboard, top to bottom, as they are when the body is rendered. */
  private rowsOf(index: number): cloudwatch.IWidget[][] {
    const part = this.parts[index];
    const rows: cloudwatch.IWidget[][] = [[this.header(index)], ...part.slos.flatMap((s) => s.rows)];
    if (index === 0) {
      rows.push(...(this.escalation?.rows ?? []), ...experimentWidgets(this.experimentList));
    }
    return rows;
  }

  /** The title, how to read the page, and, when the service has several dashboards, links to the others. */
  private header(index: number): cloudwatch.TextWidget {
    const lines = [
      `# ${escapeMarkdown(this.title)}`,
      'Per SLO: the SLI against its objective, the burn rate over each alert window with the tiers\' thresholds '
        + '(red: page, orange: ticket), the error budget left over the SLO window, and the status of its alarms.',
    ];
    if (this.parts.length > 1) {
      const region = Stack.of(this).region;
      const links = this.parts.map((p, i) => {
        const label = `${i + 1}: ${p.slos.map((s) => escapeMarkdown(s.name)).join(', ')}`;
        return i === index ? `**${label}**` : `[${label}](${dashboardConsoleUrl(region, p.name)})`;
      });
      lines.push(`Dashboards of this service: ${links.join(' · ')}`);
    }
    return new cloudwatch.TextWidget({ markdown: lines.join('\n\n'), width: 24, height: this.parts.length > 1 ? 3 : 2 });
  }
}

const BUDGET: DashboardBudget = {
  metrics: DASHBOARD_LIMITS.metricsPerDashboard,
  widgets: DASHBOARD_LIMITS.widgetsPerDashboard,
};

/** Passes the widgets' metric warnings on, as `Dashboard.addWidgets` does. */
function warnAbout(dashboard: cloudwatch.Dashboard, widgets: cloudwatch.IWidget[]): void {
  for (const widget of widgets) {
    for (const [id, message] of Object.entries(widget.warningsV2 ?? {})) {
      Annotations.of(dashboard).addWarningV2(id, message);
    }
  }
}
