import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { AlertPolicy, ReliableService, Severity, Sli, SliceComparison } from '../../lib';
import { burnRateExpression, errorRatioExpression } from '../../lib/alarms/expression';
import { DASHBOARD_LIMITS, metricsIn } from '../../lib/dashboards/limits';
import { sloWidgets } from '../../lib/dashboards/slo-widgets';
import { availability, newStack } from '../service/helpers';
import { expressions, onlyDashboard, widget } from './helpers';

const COUNTS = { badEvents: 'FILL(bad0, 0)', totalEvents: 'FILL(total0, 0)' };

describe('the widgets of each SLO', () => {
  // GIVEN a service with a full-policy SLO over 30 days and a page-only SLO over 28 days
  const stack = newStack();
  new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout',
    runbookUrl: 'https://runbooks.example.com/checkout',
    slos: [
      availability(),
      availability({ name: 'latency', objective: 99, window: Duration.days(28), alerting: AlertPolicy.workbook({ tickets: false }) }),
    ],
  });
  // WHEN it is synthesized
  const template = Template.fromStack(stack);
  const body = onlyDashboard(template);

  test('graph the SLI in % good events per 5 minutes, with the objective as a line and the events on the right axis', () => {
    const sli = widget(body, 'availability: SLI, % good events per 5 min (objective 99.9%)');
    // read as the alarms read a window: bad / max(total, bad), events max(total, bad) (refused requests count)
    expect(expressions(sli)).toEqual([`100 * (1 - ${errorRatioExpression(COUNTS)})`, 'IF(FILL(total0, 0) > FILL(bad0, 0), FILL(total0, 0), FILL(bad0, 0))']);
    expect(sli.properties.period).toBe(300);
    expect(sli.properties.annotations.horizontal).toEqual([{ value: 99.9, label: 'objective 99.9%', color: '#d62728', yAxis: 'left' }]);
    expect(sli.properties.metrics[3]).toEqual([expect.objectContaining({ expression: expressions(sli)[1], yAxis: 'right', label: 'events per 5 min' })]);
    expect(sli.properties.metrics.slice(1, 3)).toEqual([
      ['Shop', 'Requests', 'Service', 'checkout', { id: 'total0', visible: false, stat: 'Sum' }],
      ['Shop', 'Errors', 'Service', 'checkout', { id: 'bad0', visible: false, stat: 'Sum' }],
    ]);
    expect(widget(body, 'latency: SLI, % good events per 5 min (objective 99%)').properties.annotations.horizontal[0].value).toBe(99);
  });

  test('graph the burn rate over every alert window, with each tier\'s threshold as a line', () => {
    const graph = widget(body, 'availability: burn rate per alert window (99.9% over 30d, budget 0.1%)');
    // the floor N = floor(1/r) + 1 of each tier (r = burn rate x budget): 70/167/334/1001 at 99.9 %
    expect(graph.properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => [m[0].label, m[0].period])).toEqual([
      ['burn rate over 1h (low-traffic guard: 70 events)', 3600], ['burn rate over 6h (low-traffic guard: 167 events)', 21600],
      ['burn rate over 1d (low-traffic guard: 334 events)', 86400], ['burn rate over 3d (low-traffic guard: 1001 events)', 259200],
    ]);
    expect(expressions(graph)[0]).toBe(burnRateExpression({ badEvents: 'FILL(bad0_1h, 0)', totalEvents: 'FILL(total0_1h, 0)' }, 0.001, 70));
    expect(graph.properties.annotations.horizontal.map((a: { value: number; label: string; color: string }) => [a.value, a.label, a.color])).toEqual([
      [14.4, 'page 1h/5m: 14.4x', '#d62728'], [6, 'page 6h/30m: 6x', '#d62728'], [3, 'ticket 1d/2h: 3x', '#ff7f0e'], [1, 'ticket 3d/6h: 1x', '#ff7f0e'],
    ]);
    const latency = widget(body, 'latency: burn rate per alert window (99% over 28d, budget 1%)');
    expect(latency.properties.annotations.horizontal.map((a: { value: number }) => a.value)).toEqual([13.44, 5.6]);
  });

  test('show the error budget left over the whole SLO window as one number', () => {
    const budget = widget(body, 'availability: error budget left over the last 30d');
    expect(budget.properties).toMatchObject({ view: 'singleValue', setPeriodToTimeRange: true, start: '-P30D' });
    expect(budget.properties.sparkline).toBeUndefined();
    expect(budget.properties.metrics).toEqual([
      [{ label: '% of the error budget left', expression: `100 * (1 - ${errorRatioExpression(COUNTS)} / 0.001)`, period: 2_592_000 }],
      ['Shop', 'Requests', 'Service', 'checkout', { id: 'total0', visible: false, period: 2_592_000, stat: 'Sum' }],
      ['Shop', 'Errors', 'Service', 'checkout', { id: 'bad0', visible: false, period: 2_592_000, stat: 'Sum' }],
    ]);
    const latency = widget(body, 'latency: error budget left over the last 28d');
    expect([latency.properties.start, latency.properties.metrics[0][0].period, expressions(latency)[0]])
      .toEqual(['-P28D', 2_419_200, `100 * (1 - ${errorRatioExpression(COUNTS)} / 0.01)`]);
  });

  test('say what the SLO promises and measures, with its runbook', () => {
    const facts = body.widgets.filter((w) => w.type === 'text' && w.properties.markdown.startsWith('**availability**'));
    expect(facts.map((w) => w.properties.markdown)).toEqual([
      '**availability**: 99.9% good over 30d, error budget 0.1%\n\nSLI: bad events Errors over total Requests\n\n[Runbook](https://runbooks.example.com/checkout)',
    ]);
  });

  test('show the status of the composites, then every window alarm', () => {
    expect(widget(body, 'availability: alarms').properties.alarms.slice(0, 3))
      .toEqual(['<CheckoutavailabilitypageFF39C443.Arn>', '<Checkoutavailabilityticket56515D9A.Arn>', '<Checkoutavailabilitypage1h5mlongEB462DF3.Arn>']);
    expect(['availability: alarms', 'latency: alarms'].map((t) => widget(body, t).properties.alarms.length)).toEqual([10, 5]);
  });

  test('lay out one SLO per band: SLI, burn rate, budget over facts, then the alarms', () => {
    const band = ['availability: SLI, % good events per 5 min (objective 99.9%)', 'availability: burn rate per alert window (99.9% over 30d, budget 0.1%)',
      'availability: error budget left over the last 30d', 'availability: alarms'].map((t) => widget(body, t));
    expect(band.map((w) => [w.x, w.y, w.width, w.height])).toEqual([[0, 2, 9, 6], [9, 2, 9, 6], [18, 2, 6, 3], [0, 8, 24, 3]]);
    expect(body.widgets.every((w) => w.x + w.width <= 24)).toBe(true);
  });

  test('add no warnings (the one there is says the service has no escalation policy)', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.id)).toEqual(['/Shop/Checkout']);
  });
});

describe('the burn-rate graph reads each long window as its alarm does', () => {
  test('the same expression as the long-window alarm, metric ids suffixed with the window, minimumEvents where it is larger', () => {
    // GIVEN 99.5 % over 28 days with minimumEvents 20: guards 20/36/72/215
    const stack = newStack();
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability({ objective: 99.5, window: Duration.days(28), minimumEvents: 20 })] });
    const template = Template.fromStack(stack);
    const graph = widget(onlyDashboard(template), 'availability: burn rate per alert window (99.5% over 28d, budget 0.5%)');
    // WHEN each line is compared with the long-window alarm of its window
    const alarmExpression = (name: string) => {
      const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }));
      return found[0].Properties.Metrics.find((m: { Expression?: string }) => m.Expression).Expression as string;
    };
    const lines = graph.properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0]);
    // THEN each reads what that alarm reads, its ids carrying the window
    expect(lines.map((l: { label: string }) => l.label)).toEqual([
      'burn rate over 1h (low-traffic guard: 20 events)', 'burn rate over 6h (low-traffic guard: 36 events)',
      'burn rate over 1d (low-traffic guard: 72 events)', 'burn rate over 3d (low-traffic guard: 215 events)',
    ]);
    expect(lines[0].expression).toBe(alarmExpression('checkout-availability-page-1h-5m-long').replace(/\b(bad0|total0)\b/g, '$1_1h'));
    expect(lines[3].expression).toBe(alarmExpression('checkout-availability-ticket-3d-6h-long').replace(/\b(bad0|total0)\b/g, '$1_3d'));
  });

  test('tiers sharing a long window with different guards get a line each, with ids unique on the graph', () => {
    // GIVEN a page and a ticket tier over the same 1h long window (burn rates 14.4x and 6x: guards 70 and 167)
    const stack = newStack();
    new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      slos: [availability({
        alerting: AlertPolicy.fromTiers([
          { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1) },
          { severity: Severity.TICKET, budgetSpentPercent: 0.8333333333333334, longWindow: Duration.hours(1), shortWindow: Duration.minutes(10) },
        ]),
      })],
    });
    // WHEN the dashboard is synthesized
    const graph = widget(onlyDashboard(Template.fromStack(stack)), 'availability: burn rate per alert window (99.9% over 30d, budget 0.1%)');
    const ids = graph.properties.metrics.filter((m: any[]) => !m[0].expression).map((m: any[]) => m[m.length - 1].id);
    // THEN two lines, one per guard, and no metric id repeated
    expect(graph.properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0].label)).toEqual([
      'burn rate over 1h (low-traffic guard: 70 events)', 'burn rate over 1h (low-traffic guard: 167 events)',
    ]);
    expect(ids).toEqual(['total0_1h', 'bad0_1h', 'total0_1h_167', 'bad0_1h_167']);
  });
});

describe('a burn-rate graph that would read more than 100 metrics', () => {
  test('is split across graphs, every window kept once', () => {
    // GIVEN an SLO whose SLI reads 10 metrics, with 10 alert windows (11 entries per window on a graph)
    const stack = newStack();
    const metrics = Array.from({ length: 9 }, (_, i) => new Metric({ namespace: 'Shop', metricName: `Errors${i}` }));
    const service = new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      slos: [{
        name: 'availability', objective: 99.9, sli: Sli.ratio({ badMetrics: metrics, total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) }),
        alerting: AlertPolicy.fromTiers(Array.from({ length: 10 }, (_, i) => ({ severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.hours(12 + i * 12) }))),
      }],
    });
    // WHEN its widgets are built
    const { widgets } = sloWidgets(service.slo('availability'));
    const graphs = widgets.filter((w) => JSON.stringify(w.toJson()).includes('burn rate per alert window'));
    // THEN no graph reads more than 100 metrics, and together they show the 10 windows
    expect(graphs.map((g) => metricsIn([g]) <= DASHBOARD_LIMITS.metricsPerWidget)).toEqual([true, true]);
    const labels = graphs.flatMap((g) => stack.resolve(g.toJson())[0].properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0].label));
    expect(labels).toHaveLength(10);
    expect(graphs.map((g) => g.toJson()[0].properties.title)).toEqual([
      'availability: burn rate per alert window (99.9% over 30d, budget 0.1%) 1/2',
      'availability: burn rate per alert window (99.9% over 30d, budget 0.1%) 2/2',
    ]);
  });
});

describe('an SLI whose metrics carry their own period', () => {
  test('the dashboard adds no warning about periods being overridden: every widget reads them at its own period', () => {
    // GIVEN count metrics published and declared per minute
    const stack = newStack();
    const perMinute = (metricName: string) => new Metric({ namespace: 'Shop', metricName, period: Duration.minutes(1) });
    // WHEN a service graphs them
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: perMinute('Errors'), total: perMinute('Requests') }) }] });
    // THEN the dashboard adds no warning (the window alarms' own warnings are theirs)
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.id).filter((id) => id.includes('/Dashboard'))).toEqual([]);
  });
});

describe('the widgets of a time-slice SLO', () => {
  // GIVEN a freshness SLO: a minute is good when the oldest message is under 5 minutes old
  const stack = newStack();
  const metric = new Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensionsMap: { QueueName: 'orders' }, statistic: 'Maximum' });
  const service = new ReliableService(stack, 'Orders', {
    serviceName: 'orders',
    slos: [{ name: 'freshness', objective: 99.5, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300 }) }],
  });
  const body = onlyDashboard(Template.fromStack(stack));

  test('graph what the window alarms count, the bad-slice indicator per minute, instead of a burn rate no expression can compute', () => {
    const graph = body.widgets.find((w) => String(w.properties.title ?? '').startsWith('freshness: bad slices'))!;
    expect(graph).toBeDefined();
    expect(graph.properties.period).toBe(60);
    expect(expressions(graph)).toEqual([service.slo('freshness').sliBinding.timeSlice!.badSlice]);
    expect(graph.properties.title).toContain('page 1h: 7.2% of slices');
    expect(body.widgets.some((w) => String(w.properties.title ?? '').includes('burn rate per alert window'))).toBe(false);
  });

  test('graph the SLI as the condition\'s metric per 1-minute slice against its threshold, the resolution the alarms judge, not 5-minute periods', () => {
    const graph = body.widgets.find((w) => String(w.properties.title ?? '').startsWith('freshness: SLI'))!;
    expect(graph.properties.title).toBe('freshness: SLI, the condition per 1m slice (good when < 300; objective 99.5% of slices)');
    expect(graph.properties.period).toBe(60);
    expect(graph.properties.metrics).toEqual([
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'orders', { label: 'value per 1m slice', stat: 'Maximum', period: 60 }],
    ]);
    expect(graph.properties.annotations.horizontal).toEqual([{ value: 300, label: 'good when < 300', color: '#d62728', yAxis: 'left' }]);
  });

  test('say how many bad slices the budget allows and where to read how many were spent, instead of an expression that cannot count them', () => {
    const note = body.widgets.find((w) => w.type === 'text' && String(w.properties.markdown).startsWith('**freshness: error budget**'))!;
    expect(note.properties.markdown).toBe('**freshness: error budget** 216 bad 1m slices over 30d\n\n'
      + 'Bad slices spent: `cdk-reliability budget --service orders --slo freshness` (a dashboard expression cannot add slices up over the window)');
    expect(body.widgets.some((w) => String(w.properties.title ?? '').includes('error budget left'))).toBe(false);
  });

  test('refuse burnRateMetric(window), naming the SLO and what to graph instead', () => {
    expect(() => service.slo('freshness').burnRateMetric(Duration.hours(1)))
      .toThrow(/Orders\/freshness: burnRateMetric\(window\): a time-slice SLI has no burn-rate metric/);
  });
});
