import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Fault, GameDay, Targets, WeekDay } from '../../lib';
import { EXPERIMENT_LOG_QUERY } from '../../lib/dashboards/experiment-widgets';
import { availability } from '../service/helpers';
import { newFunction, newService, newStack } from '../chaos/helpers';
import { markdown, onlyDashboard, titled, widget } from './helpers';

describe('a service with chaos experiments', () => {
  // GIVEN a service with a scheduled experiment and one started by hand, stopped by an extra alarm too
  const stack = newStack();
  const handler = newFunction(stack);
  const dependency = new cloudwatch.Alarm(stack, 'Dependency', {
    alarmName: 'payments-down', metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'PaymentsDown' }), threshold: 1, evaluationPeriods: 1,
  });
  const checkout = newService(stack);
  checkout.addExperiment('slow-handler', {
    description: 'checkout pages nobody when 5 % of invocations are 800 ms slower',
    fault: Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800), invocationPercentage: 5 }),
    duration: Duration.minutes(10),
    gameDay: GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'Europe/Berlin' }),
  });
  checkout.addExperiment('errors', {
    fault: Fault.lambdaInvocationError(Targets.functions([handler]), { invocationPercentage: 5 }),
    duration: Duration.minutes(5),
    stopConditions: [dependency],
  });
  // an SLO declared after the experiments still comes before them on the page
  checkout.addSlo(availability({ name: 'latency', objective: 99 }));
  // WHEN it is synthesized
  const body = onlyDashboard(Template.fromStack(stack));
  const text = markdown(body);
  const ref = (construct: { node: { defaultChild?: unknown } }) => `<${stack.getLogicalId(construct.node.defaultChild as never)}>`;

  test('lists each experiment: what it tests, its game day, what stops it, how long it runs, how to run it', () => {
    expect(text).toContain([
      '### slow-handler',
      'checkout pages nobody when 5 % of invocations are 800 ms slower',
      '- Game day: every TUE at 10:00 Europe/Berlin',
      `- Stopped when in ALARM: ${ref(checkout.slo('availability').pageAlarm!)}, ${ref(checkout.slo('latency').pageAlarm!)}`,
      '- Runs 15 min when nothing stops it (checks and settle time included)',
      '- Run it: `npx cdk-reliability gameday --stack Shop --service checkout --experiment slow-handler`',
    ].join('\n'));
    expect(text).toContain('### errors\n');
    expect(text).toContain('- Game day: none, started by hand or by the game-day runner');
    expect(text).toContain(`- Stopped when in ALARM: ${ref(checkout.slo('availability').pageAlarm!)}, ${ref(checkout.slo('latency').pageAlarm!)}, ${ref(dependency)}\n`);
  });

  test('reads each experiment\'s runs from its FIS experiment log', () => {
    const logs = body.widgets.filter((w) => w.type === 'log');
    expect(logs.map((w) => w.properties.title)).toEqual(['slow-handler: runs (FIS experiment log)', 'errors: runs (FIS experiment log)']);
    expect(logs[0].properties.query).toBe(`SOURCE '${ref(checkout.experiment('slow-handler').logGroup)}' | ${EXPERIMENT_LOG_QUERY.join('\n| ')}`);
    expect(logs[0].properties.view).toBe('table');
  });

  test('shows the status of every stop condition, once', () => {
    expect(widget(body, 'experiments: stop conditions').properties.alarms).toEqual([
      `${ref(checkout.slo('availability').pageAlarm!).slice(0, -1)}.Arn>`,
      `${ref(checkout.slo('latency').pageAlarm!).slice(0, -1)}.Arn>`,
      `${ref(dependency).slice(0, -1)}.Arn>`,
    ]);
  });

  test('come after every SLO', () => {
    const lastSlo = widget(body, 'latency: alarms');
    expect(body.widgets.filter((w) => w.type === 'log').every((w) => w.y > lastSlo.y)).toBe(true);
    expect(titled(body, 'latency:')).toHaveLength(4);
  });
});

describe('a service without experiments', () => {
  test('has no experiment widgets', () => {
    const stack = newStack();
    newService(stack);
    const body = onlyDashboard(Template.fromStack(stack));
    expect(body.widgets.filter((w) => w.type === 'log')).toEqual([]);
    expect(markdown(body)).not.toContain('Chaos experiments');
  });
});
