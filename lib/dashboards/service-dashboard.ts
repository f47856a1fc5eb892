/**
 * A CloudWatch dashboard per service: for each SLO, its burn rate over every alert window with the
 * tiers' thresholds drawn as lines, and the status of its alarms. The escalation function links it
 * from every page (the `cdk-reliability:dashboard` tag on the composites).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ServiceLevelObjective } from '../service/service-level-objective';
import { formatWindow } from '../slo/windows';

/** CloudWatch dashboard names: letters, digits, `-` and `_`. */
export function dashboardNameFor(serviceName: string): string {
  return `${serviceName.replace(/[^A-Za-z0-9_-]/g, '-')}-reliability`;
}

/** Props of `ServiceDashboard`. */
export interface ServiceDashboardProps {
  /** Name of the dashboard. */
  readonly dashboardName: string;
  /** Title shown at the top. */
  readonly title: string;
}

/** The dashboard of one service; SLOs are added as the service declares them. */
export class ServiceDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    this.dashboardName = props.dashboardName;
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(3),
    });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `# ${props.title}`, width: 24, height: 1 }));
  }

  /** Adds an SLO's row: burn rate per alert window against the tier thresholds, and alarm status. */
  public addSlo(slo: ServiceLevelObjective): void {
    const windows = [...new Set(slo.tiers.map((t) => t.longWindowSeconds))].sort((a, b) => a - b);
    const burnRate = new cloudwatch.GraphWidget({
      title: `${slo.name}: burn rate per alert window (${slo.objective}% over ${formatWindow(slo.window.toSeconds())}, budget ${+(slo.errorBudget * 100).toPrecision(12)}%)`,
      left: windows.map((seconds) => slo.burnRateMetric(Duration.seconds(seconds)).with({ label: `burn rate over ${formatWindow(seconds)}` })),
      leftAnnotations: slo.tiers.map((t) => ({
        value: t.burnRate,
        label: `${t.severity} ${formatWindow(t.longWindowSeconds)}/${formatWindow(t.shortWindowSeconds)}: ${t.burnRate}x`,
        color: t.severity === 'page' ? cloudwatch.Color.RED : cloudwatch.Color.ORANGE,
      })),
      leftYAxis: { min: 0, label: 'x budget', showUnits: false },
      width: 16,
      height: 6,
    });
    const composites = [slo.pageAlarm, slo.ticketAlarm].filter((a): a is cloudwatch.CompositeAlarm => a !== undefined);
    const status = new cloudwatch.AlarmStatusWidget({
      title: `${slo.name}: alarms`,
      alarms: [...composites, ...slo.windowAlarms.map((w) => w.alarm)],
      width: 8,
      height: 6,
    });
    this.dashboard.addWidgets(burnRate, status);
  }
}
