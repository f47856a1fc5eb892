import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { AlertPolicy, Fault, ReliableService, Sli, Targets } from '../../lib';
import { dashboardNameFor } from '../../lib/dashboards/service-dashboard';
import { newFunction, newStack as newChaosStack } from '../chaos/helpers';
import { availability, newStack } from '../service/helpers';
import { dashboards, markdown, metricCount, onlyDashboard } from './helpers';

describe('the service dashboard', () => {
  // GIVEN a service with two SLOs and no escalation policy
  const stack = newStack();
  const svc = new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout', owner: 'payments-team',
    slos: [availability(), availability({ name: 'latency', objective: 99, alerting: AlertPolicy.workbook({ tickets: false }) })],
  });
  // WHEN it is synthesized
  const template = Template.fromStack(stack);
  const body = onlyDashboard(template);

  test('is declared once per service, named <service>-reliability', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'checkout-reliability' });
    expect([svc.dashboard!.dashboardName, svc.dashboard!.dashboardNames]).toEqual(['checkout-reliability', ['checkout-reliability']]);
    expect(svc.dashboard!.dashboardNameOf('latency')).toBe('checkout-reliability');
  });

  test('opens with the title and how to read it, and shows 3 days by default', () => {
    expect(body.start).toBe('-P3D');
    expect(body.widgets[0]).toMatchObject({ type: 'text', x: 0, y: 0, width: 24 });
    expect(body.widgets[0].properties.markdown).toMatch(/^# checkout: service level objectives \(owner: payments-team\)\n\nPer SLO: the SLI against its objective, /);
    expect(body.widgets[0].properties.markdown).not.toContain('Dashboards of this service');
  });

  test('holds, per SLO in declaration order, the SLI, burn rate, budget left and alarms; nothing else without a policy or experiments', () => {
    expect(body.widgets.map((w) => w.properties.title).filter(Boolean)).toEqual([
      'availability: SLI, % good events per 5 min (objective 99.9%)',
      'availability: burn rate per alert window (99.9% over 30d, budget 0.1%)',
      'availability: error budget left over the last 30d',
      'availability: alarms',
      'latency: SLI, % good events per 5 min (objective 99%)',
      'latency: burn rate per alert window (99% over 30d, budget 1%)',
      'latency: error budget left over the last 30d',
      'latency: alarms',
    ]);
    expect(markdown(body)).not.toMatch(/Escalation policy|Chaos experiments/);
    // 2-metric SLI: SLI graph 2 + 2 expressions, burn rate 4 windows x 3 (1h/6h/1d/3d) and 2 x 3, budget 2 + 1
    expect(metricCount(body)).toBe(4 + 12 + 3 + 4 + 6 + 3);
  });

  test('renders the same body every time it is synthesized', () => {
    const again = onlyDashboard(Template.fromStack(stack));
    expect(again).toEqual(body);
  });

  test('is optional', () => {
    const other = newStack();
    const plain = new ReliableService(other, 'Checkout', { serviceName: 'checkout', dashboard: false, slos: [availability()] });
    expect(plain.dashboard).toBeUndefined();
    Template.fromStack(other).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('names use only characters CloudWatch dashboards allow', () => {
    expect([dashboardNameFor('svc.prod_1'), dashboardNameFor('svc.prod_1', 2)]).toEqual(['svc-prod_1-reliability', 'svc-prod_1-reliability-2']);
  });
});

describe('the same app synthesized twice', () => {
  test('gives the same dashboard body', () => {
    // GIVEN two independent apps built by the same code, with an SLO added after an experiment
    const build = (): string => {
      const stack = newChaosStack();
      const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability()] });
      svc.addExperiment('errors', { fault: Fault.lambdaInvocationError(Targets.functions([newFunction(stack)]), { invocationPercentage: 5 }), duration: Duration.minutes(5) });
      svc.addSlo(availability({ name: 'latency', objective: 99 }));
      return JSON.stringify(dashboardBodies(stack));
    };
    // THEN the bodies are identical
    expect(build()).toEqual(build());
  });
});

describe('a service whose SLOs exceed one dashboard\'s budget', () => {
  // GIVEN 40 SLOs whose SLIs read 6 metrics each (page tiers only): 29 metrics and 5 widgets per SLO
  const stack = newStack();
  const total = new Metric({ namespace: 'Shop', metricName: 'Requests' });
  const bad = Array.from({ length: 5 }, (_, i) => new Metric({ namespace: 'Shop', metricName: `Errors${i}` }));
  const names = Array.from({ length: 40 }, (_, i) => `slo-${i}`);
  const svc = new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout',
    slos: names.map((name) => ({ name, objective: 99.9, sli: Sli.ratio({ badMetrics: bad, total }), alerting: AlertPolicy.workbook({ tickets: false }) })),
  });
  // WHEN it is synthesized
  const bodies = dashboards(Template.fromStack(stack));
  const sloNamesOn = (b: (typeof bodies)[number]) => b.widgets.filter((w) => String(w.properties.title ?? '').endsWith(': alarms'))
    .map((w) => String(w.properties.title).replace(/: alarms$/, ''));

  test('splits into <service>-reliability, -2, -3, each within CloudWatch\'s limits', () => {
    expect(bodies.map((b) => b.name)).toEqual(['checkout-reliability', 'checkout-reliability-2', 'checkout-reliability-3']);
    expect(svc.dashboard!.dashboardNames).toEqual(bodies.map((b) => b.name));
    for (const b of bodies) {
      expect(metricCount(b)).toBeLessThanOrEqual(500);
      expect(b.widgets.length).toBeLessThanOrEqual(100);
    }
    expect(bodies.map(metricCount)).toEqual([17 * 29, 17 * 29, 6 * 29]);
  });

  test('fills them in declaration order, never splitting an SLO', () => {
    expect(bodies.flatMap(sloNamesOn)).toEqual(names);
    for (const b of bodies) {
      for (const name of sloNamesOn(b)) {
        expect(b.widgets.filter((w) => String(w.properties.title ?? '').startsWith(`${name}:`))).toHaveLength(4);
      }
    }
    expect(svc.dashboard!.dashboardNameOf('slo-17')).toBe('checkout-reliability-2');
  });

  test('links each dashboard to the others from its header', () => {
    const header = bodies[1].widgets[0].properties.markdown as string;
    expect(header).toContain(`[1: ${names.slice(0, 17).join(', ')}](https://<AWS::Region>.console.aws.amazon.com/cloudwatch/home?region=<AWS::Region>#dashboards/dashboard/checkout-reliability)`);
    expect(header).toContain(`**2: ${names.slice(17, 34).join(', ')}**`);
    expect(header).toContain('#dashboards/dashboard/checkout-reliability-3)');
  });

  test('keeps the first dashboard as the one pages link to', () => {
    expect(svc.dashboard!.dashboardName).toBe('checkout-reliability');
    expect(svc.dashboard!.dashboard).toBe(svc.dashboard!.dashboards[0]);
  });
});

/** The resolved dashboard bodies of a stack, by name. */
function dashboardBodies(stack: Stack): Record<string, unknown> {
  return Object.fromEntries(Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))
    .map((d) => [d.Properties.DashboardName, d.Properties.DashboardBody]));
}
