import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { dashboardNameFor } from '../../lib/dashboards/service-dashboard';
import { ReliableService } from '../../lib/service/reliable-service';
import { AlertPolicy } from '../../lib/slo/alert-policy';
import { availability, newStack } from '../service/helpers';

/** The dashboard body with tokens replaced by a placeholder, parsed. */
function dashboardBody(template: Template): { widgets: { type: string; properties: Record<string, any> }[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

describe('the service dashboard', () => {
  const stack = newStack();
  const svc = new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout', slos: [availability(), availability({ name: 'latency', objective: 99, alerting: AlertPolicy.workbook({ tickets: false }) })],
  });
  const template = Template.fromStack(stack);
  const body = dashboardBody(template);

  test('is declared once per service, named <service>-reliability', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'checkout-reliability' });
    expect(svc.dashboard!.dashboardName).toBe('checkout-reliability');
  });

  test('graphs each SLO\'s burn rate over every alert window, with the tier thresholds as lines', () => {
    const graphs = body.widgets.filter((w) => w.type === 'metric');
    expect(graphs.map((g) => g.properties.title)).toEqual([
      'availability: burn rate per alert window (99.9% over 30d, budget 0.1%)',
      'latency: burn rate per alert window (99% over 30d, budget 1%)',
    ]);
    const labels = graphs[0].properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0].label);
    expect(labels).toEqual(['burn rate over 1h', 'burn rate over 6h', 'burn rate over 1d', 'burn rate over 3d']);
    expect(graphs[0].properties.annotations.horizontal.map((a: { value: number; label: string }) => [a.value, a.label])).toEqual([
      [14.4, 'page 1h/5m: 14.4x'], [6, 'page 6h/30m: 6x'], [3, 'ticket 1d/2h: 3x'], [1, 'ticket 3d/6h: 1x'],
    ]);
    expect(graphs[1].properties.annotations.horizontal).toHaveLength(2);
  });

  test('shows the status of every alarm of each SLO', () => {
    const status = body.widgets.filter((w) => w.type === 'alarm');
    expect(status.map((w) => w.properties.alarms.length)).toEqual([10, 5]);
  });

  test('is optional', () => {
    const other = newStack();
    const plain = new ReliableService(other, 'Checkout', { serviceName: 'checkout', dashboard: false, slos: [availability()] });
    expect(plain.dashboard).toBeUndefined();
    Template.fromStack(other).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('names use only characters CloudWatch dashboards allow', () => {
    expect(dashboardNameFor('svc.prod_1')).toBe('svc-prod_1-reliability');
  });

  test('burn-rate metrics of several windows share a graph without id clashes', () => {
    const m1 = svc.slo('availability').burnRateMetric(Duration.hours(1)).toMetricConfig().mathExpression!;
    const m6 = svc.slo('availability').burnRateMetric(Duration.hours(6)).toMetricConfig().mathExpression!;
    expect(Object.keys(m1.usingMetrics)).not.toEqual(Object.keys(m6.usingMetrics));
  });
});
