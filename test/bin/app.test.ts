import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { shopApp } from '../../bin/app';
import { OrdersStack } from '../../bin/orders-stack';
import { ShopStack } from '../../bin/shop-stack';
import { run } from '../../lib/cli';
import { burnRateExpression } from '../../lib/alarms/expression';
import { assetHashSerializer } from '../../lib/testing/snapshot-serializer';

expect.addSnapshotSerializer(assetHashSerializer);

describe('the sample app', () => {
  let outdir: string;
  let stack: ShopStack;
  let orders: OrdersStack;
  let app: App;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-'));
    delete process.env.CDK_VALIDATION; // validate the sample's templates, as `cdk synth` does
    ({ app, shop: stack, orders } = shopApp({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }));
  });

  afterAll(() => {
    process.env.CDK_VALIDATION = 'false';
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  /** The plugin reports of validation-report.json. */
  function pluginReports(): any[] {
    const assembly = app.synth();
    return JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')).pluginReports;
  }

  test('passes aws-cdk-lib\'s built-in CloudFormation validation and the reliability checks, with errors enforced', () => {
    // aws-cdk-lib leaves out the reports of plugins that found nothing; the reliability checks are
    // there for the findings they record as acknowledged
    expect(pluginReports().map((r) => [r.pluginName, r.conclusion, r.violations])).toEqual([['cdk-reliability', 'success', []]]);
  });

  test('the reliability checks pass with checkout critical, recording the four acknowledged coverage findings and their reasons', () => {
    const checks = pluginReports().find((r) => r.pluginName === 'cdk-reliability');
    // the checks read the whole app: Shop's 3 services, 5 SLOs, 53 alarms (3 of them the weekly report's), 2 experiments and 6 workloads, and the Orders stack's
    // 3 services, 8 SLOs, 70 alarms, 2 experiments and 8 workloads (ALB, target group, ECS service, table, function, its event source mapping, queue, dead-letter queue)
    expect(checks.metadata).toEqual({ checked: '6 services, 13 SLOs, 123 alarms, 4 experiment templates, 14 workloads', findings: '4 (4 acknowledged)' });
    expect(checks.suppressedViolations.map((v: any) => [v.ruleName, v.violatingConstructs.map((c: any) => c.constructPath), v.acknowledgedAt, v.reason])).toEqual([
      ['Annotation::RELIABILITY-008', ['Shop/CheckoutHandler/Resource'], 'Shop/CheckoutHandler', expect.stringMatching(/^Invoked only by the checkout REST API: /)],
      ['Annotation::RELIABILITY-008', ['Shop/ReserveStock/Resource'], 'Shop/ReserveStock', expect.stringMatching(/^Invoked only by the fulfilment workflow: /)],
      ['Annotation::RELIABILITY-008', ['Orders/StorefrontAlb/Http/StorefrontGroup/Resource'], 'Orders/StorefrontAlb/Http/StorefrontGroup', expect.stringMatching(/^The load balancer's only target group: /)],
      ['Annotation::RELIABILITY-008', [expect.stringMatching(/^Orders\/OrderEventsConsumer\/SqsEventSource:OrdersOrderEvents\w+\/Resource$/)], expect.stringMatching(/^Orders\/OrderEventsConsumer\/SqsEventSource:OrdersOrderEvents\w+$/), expect.stringMatching(/^Watched through the queue and the function: /)],
    ]);
  });

  test('holds three services built from real resources, five SLOs between them', () => {
    expect([stack.checkout, stack.search, stack.fulfilment].map((s) => [s.serviceName, s.slos.map((o) => o.name)])).toEqual([
      ['checkout', ['availability', 'latency']],
      ['search', ['availability', 'latency']],
      ['fulfilment', ['availability']],
    ]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    // 4 SLOs with the full policy (8 + 2), search availability pages only (4 + 1), the 5 alarms on the pager and the weekly report's 3
    template.resourceCountIs('AWS::CloudWatch::Alarm', 36 + 5 + 3);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 9);
  });

  test('one escalation policy serves all three services: every composite notifies its page or ticket topic', () => {
    expect([stack.checkout, stack.search, stack.fulfilment].map((s) => s.escalation)).toEqual([stack.onCall, stack.onCall, stack.onCall]);
    const template = Template.fromStack(stack);
    // page, ticket, 3 levels, ticket targets, the managers' topic the sample stands in for, and the weekly report's topic
    template.resourceCountIs('AWS::SNS::Topic', 8);
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const pageTopic = stack.resolve(stack.onCall.pageTopic.topicArn);
    const ticketTopic = stack.resolve(stack.onCall.ticketTopic.topicArn);
    const composites = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    for (const c of composites) {
      const topic = String(c.Properties.AlarmName).endsWith('-page') ? pageTopic : ticketTopic;
      expect([c.Properties.AlarmName, c.Properties.AlarmActions, c.Properties.OKActions]).toEqual([c.Properties.AlarmName, [topic], [topic]]);
    }
    expect(stack.onCall.alarmNames).toHaveLength(9);
  });

  test('uses the presets\' metrics: checkout latency counts API Gateway Latency samples under 300 ms', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'checkout-latency-page-1h-5m-long',
      Threshold: 14.4,
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: burnRateExpression({
            // a preset's metric always has raw samples: a missing trimmed count means no fast request (fail loud)
            badEvents: 'FILL(total0, 0) - FILL(good0, 0)',
            totalEvents: 'FILL(total0, 0)',
          }, 0.01, 7), // 99 %: 1h tier at 14.4 %, one failure in 7 events stays under it
        }),
        Match.objectLike({ Id: 'good0', MetricStat: Match.objectLike({ Stat: 'TC(:300)', Metric: Match.objectLike({ MetricName: 'Latency' }) }) }),
      ]),
    });
  });

  test('fulfilment\'s 28-day window yields 13.44x on the 1h tier', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'fulfilment-availability-page-1h-5m-long', Threshold: 13.44 });
  });

  test('runs two experiments, each halted by its service\'s page alarms and checked before and after', () => {
    const template = Template.fromStack(stack);
    const experiments = Object.values(template.findResources('AWS::FIS::ExperimentTemplate'));
    const summary = experiments.map((e) => ({
      experiment: e.Properties.Tags['cdk-reliability:experiment'],
      actions: Object.entries(e.Properties.Actions).map(([name, a]: [string, any]) => `${name}=${a.ActionId}`),
      stopConditions: e.Properties.StopConditions.length,
    }));
    expect(summary).toEqual([
      {
        experiment: 'slow-handler',
        actions: ['steady-state=aws:cloudwatch:assert-alarm-state', 'invocation-add-delay=aws:lambda:invocation-add-delay', 'settle=aws:fis:wait', 'recovered=aws:cloudwatch:assert-alarm-state'],
        stopConditions: 2,
      },
      {
        experiment: 'handler-errors',
        actions: ['steady-state=aws:cloudwatch:assert-alarm-state', 'invocation-error=aws:lambda:invocation-error', 'wait=aws:fis:wait',
          'invocation-http-integration-response=aws:lambda:invocation-http-integration-response', 'settle=aws:fis:wait', 'recovered=aws:cloudwatch:assert-alarm-state'],
        stopConditions: 2,
      },
    ]);
    // Checkout's game day runs; search's is declared disabled.
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter((s) => String(s.Properties.Description).startsWith('Game day'));
    expect(schedules.map((s) => [s.Properties.ScheduleExpression, s.Properties.ScheduleExpressionTimezone, s.Properties.State])).toEqual([
      ['cron(0 10 ? * TUE *)', 'Europe/Berlin', 'ENABLED'],
      ['cron(30 14 ? * THU#1 *)', 'Europe/London', 'DISABLED'],
    ]);
  });

  /** Runs the command offline and returns its output; it must exit 0. */
  async function runCli(argv: string[]): Promise<string> {
    let out = '';
    const io = {
      stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { out += t; } }, env: {},
      sleep: async () => {}, now: () => new Date(), clients: { fis: () => { throw new Error('offline'); }, cloudWatch: () => { throw new Error('offline'); },
        logs: () => { throw new Error('offline'); } },
    };
    expect([await run(argv, io as never), out]).toEqual([0, out]);
    return out.split(outdir).join('cdk.out').trimEnd();
  }

  test('the README shows the game-day runner\'s real offline plan of checkout\'s experiment', async () => {
    app.synth();
    const out = await runCli(['gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'slow-handler', '--dry-run', '--assembly', outdir]);
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8');
    const shown = /<!-- gameday-plan:start -->\n```\n([\s\S]*?)\n```\n<!-- gameday-plan:end -->/.exec(readme)?.[1];
    expect(out).toEqual(shown);
  });

  test('the README shows the sample\'s real report and simulate output', async () => {
    app.synth();
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'reviewing.md'), 'utf8');
    const shown = (name: string) => new RegExp(`<!-- ${name}:start -->\\n\`\`\`\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- ${name}:end -->`).exec(readme)?.[1];
    const simulated = await runCli(['simulate', outdir, '--service', 'checkout', '--slo', 'availability', '--error-rate', '2%', '--for', '2h']);
    const timing = /in \d+ ms,/;
    expect(simulated.replace(timing, 'in N ms,')).toEqual(shown('simulate-example')?.replace(timing, 'in N ms,'));
    const report = await runCli(['report', outdir, '--service', 'checkout']);
    const table = /\| tier \| severity[^\n]*\n\|---[^\n]*\n(\|[^\n]*\n){4}/.exec(report)?.[0].trimEnd();
    expect(readme).toContain(table);
  });

  test('a weekly reliability report of the three services adds 21 resources of its own (177 in all), its manifest holding all three', () => {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Metadata?: Record<string, any> }>;
    const own = Object.keys(resources).filter((id) => id.startsWith('WeeklyReport'));
    expect([Object.keys(resources).length, own.length]).toEqual([177, 21]);
    const manifest = resources[own.find((id) => resources[id].Type === 'AWS::Lambda::Function')!].Metadata!['cdk-reliability:manifest'];
    expect(manifest.services.map((s: { name: string }) => s.name)).toEqual(['checkout', 'search', 'fulfilment']);
  });

  test('synthesizes without warnings', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('checkout\'s alarms match the snapshot', () => {
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm');
    const checkout = Object.fromEntries(Object.entries(alarms).filter(([id]) => id.startsWith('Checkoutavailability')));
    expect(checkout).toMatchSnapshot();
  });

  describe('its second stack, Orders: an ECS service behind an ALB, a table, a queue with a consumer', () => {
    test('holds three services built from real resources, eight SLOs between them, of the request-based and time-slice kinds', () => {
      expect([orders.storefront, orders.orders, orders.orderEvents].map((s) => [s.serviceName, s.slos.map((o) => `${o.name}:${o.sli.kind}`)])).toEqual([
        ['storefront', ['availability:ratio', 'latency:latency', 'tasks:time-slice']],
        ['orders', ['availability:ratio', 'latency:latency']],
        ['order-events', ['freshness:time-slice', 'consumer:ratio', 'dead-letters:time-slice']],
      ]);
      const template = Template.fromStack(orders);
      template.resourceCountIs('AWS::ECS::Service', 1);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      // the order events, their dead letters, and the escalation function's dead-letter queue
      template.resourceCountIs('AWS::SQS::Queue', 3);
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      // 5 SLOs with the full policy (8 each), tasks, freshness and dead letters page only (4 each), and the 5 alarms on the pager
      template.resourceCountIs('AWS::CloudWatch::Alarm', 5 * 8 + 3 * 4 + 5);
      // a page composite per SLO, a ticket composite per full-policy SLO
      template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 8 + 5);
    });

    test('the storefront runs a public image (no Docker at synth) with the SSM agent sidecar, pidMode task and fault injection enabled', () => {
      const template = Template.fromStack(orders);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        PidMode: 'task', EnableFaultInjection: true,
        ContainerDefinitions: [Match.objectLike({ Name: 'web', Image: 'public.ecr.aws/nginx/nginx:1.27' }), Match.objectLike({ Name: 'amazon-ssm-agent', Essential: false })],
      });
      expect(Object.keys(template.toJSON().Parameters ?? {}).filter((p) => /AssetParameters|ContainerAsset/.test(p))).toEqual([]);
    });

    test('runs a CPU stress on one task and an AZ power interruption of the first zone, each halted by the storefront\'s page alarms', () => {
      const experiments = Object.values(Template.fromStack(orders).findResources('AWS::FIS::ExperimentTemplate'));
      expect(experiments.map((e) => ({
        experiment: e.Properties.Tags['cdk-reliability:experiment'],
        actions: Object.entries(e.Properties.Actions).map(([name, a]: [string, any]) => `${name}=${a.ActionId}`),
        stopConditions: e.Properties.StopConditions.length,
      }))).toEqual([
        {
          experiment: 'cpu-stress',
          actions: ['steady-state=aws:cloudwatch:assert-alarm-state', 'task-cpu-stress=aws:ecs:task-cpu-stress', 'settle=aws:fis:wait', 'recovered=aws:cloudwatch:assert-alarm-state'],
          stopConditions: 3,
        },
        {
          experiment: 'az-power',
          actions: ['steady-state=aws:cloudwatch:assert-alarm-state', 'disrupt-connectivity=aws:network:disrupt-connectivity', 'settle=aws:fis:wait', 'recovered=aws:cloudwatch:assert-alarm-state'],
          stopConditions: 3,
        },
      ]);
      const az = experiments[1].Properties;
      expect(Object.values<any>(az.Targets)[0].Filters).toEqual([{ Path: 'AvailabilityZone', Values: [{ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }] }]);
    });

    test('the queue\'s freshness is a time-slice SLO: a minute is bad when the oldest message is 5 minutes old or more', () => {
      Template.fromStack(orders).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'order-events-freshness-page-1h-5m-long',
        Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Stat: 'Maximum', Metric: Match.objectLike({ MetricName: 'ApproximateAgeOfOldestMessage' }) }) })]),
      });
    });

    test('synthesizes without warnings', () => {
      expect(Annotations.fromStack(orders).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test('the freshness alarms match the snapshot', () => {
      const alarms = Template.fromStack(orders).findResources('AWS::CloudWatch::CompositeAlarm');
      expect(Object.fromEntries(Object.entries(alarms).filter(([, a]) => String(a.Properties.AlarmName).startsWith('order-events-freshness')))).toMatchSnapshot();
    });
  });
});
