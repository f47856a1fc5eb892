import { Duration, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Fault, ReliabilityFacts, ReliableService, ServiceFacts, Sli, Targets } from '../../lib';
import { collectFacts, sloCategory } from '../../lib/guardrails/collect-facts';
import { counts, newApp, newFunction, onCall, pagingService, synthFacts } from './helpers';

const ENV = { account: '111111111111', region: 'eu-west-1' };

describe('facts of an app with a service over real resources', () => {
  let facts: ReliabilityFacts;
  let checkout: ServiceFacts;

  beforeAll(() => {
    const app = newApp();
    const stack = new Stack(app, 'Shop', { env: ENV });
    const handler = newFunction(stack, 'Handler');
    const restApi = new apigateway.LambdaRestApi(stack, 'CheckoutApi', { handler, restApiName: 'checkout', deployOptions: { stageName: 'prod' } });
    const httpApi = new apigwv2.HttpApi(stack, 'SearchApi', { defaultIntegration: new HttpLambdaIntegration('Search', handler) });
    const workflow = new sfn.StateMachine(stack, 'Workflow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    const service = new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      critical: true,
      dashboard: false,
      escalation: onCall(stack),
      slos: [
        { name: 'availability', objective: 99.9, sli: Sli.lambdaAvailability(handler) },
        { name: 'latency', objective: 99, sli: Sli.restApiLatency(restApi, { stage: 'prod', threshold: Duration.millis(300) }) },
        { name: 'search', objective: 99, sli: Sli.httpApiAvailability(httpApi) },
        { name: 'workflow-latency', objective: 99, sli: Sli.stateMachineAvailability(workflow) },
      ],
    });
    service.addExperiment('slow', { fault: Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800) }), duration: Duration.minutes(10) });
    // An alarm of the user's that notifies nobody, and one that a composite with an action reads.
    const metric = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'QueueDepth' });
    new cloudwatch.Alarm(stack, 'Lonely', { alarmName: 'queue-depth', metric, threshold: 10, evaluationPeriods: 1 });
    const part = new cloudwatch.Alarm(stack, 'Part', { alarmName: 'queue-age', metric, threshold: 100, evaluationPeriods: 1 });
    new cloudwatch.CompositeAlarm(stack, 'Whole', { alarmRule: cloudwatch.AlarmRule.fromAlarm(part, cloudwatch.AlarmState.ALARM) })
      .addAlarmAction(new SnsAction(new sns.Topic(stack, 'Topic')));
    // An experiment template declared with the L1, halted by nothing.
    new fis.CfnExperimentTemplate(stack, 'RawExperiment', {
      description: 'raw', roleArn: 'arn:aws:iam::111111111111:role/fis', tags: {},
      stopConditions: [{ source: 'none' }], targets: {}, actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
    });
    facts = synthFacts(app, { criticalServices: [] });
    checkout = facts.services[0];
  });

  test('the service: critical from its prop, its escalation chain and experiment, with locations', () => {
    expect({ ...checkout, slos: checkout.slos.map((s) => s.name) }).toEqual({
      name: 'checkout',
      constructPath: 'Shop/Checkout',
      stackPath: 'Shop',
      templatePath: expect.stringMatching(/Shop\.template\.json$/),
      critical: true,
      slos: ['availability', 'latency', 'search', 'workflow-latency'],
      escalation: { name: 'OnCall', constructPath: 'Shop/OnCall', levels: 2, repeat: 1 },
      experiments: [{ name: 'slow', constructPath: 'Shop/Checkout/Experiment-slow', stackPath: 'Shop', templatePath: checkout.templatePath, logicalId: expect.stringMatching(/^CheckoutExperimentslowTemplate/) }],
    });
  });

  test('SLO objectives, and categories from the SLI kind and the SLO name for counted events', () => {
    expect(checkout.slos.map((s) => [s.name, s.objective, s.sliKind, s.category])).toEqual([
      ['availability', 99.9, 'ratio', 'availability'],
      ['latency', 99, 'latency', 'latency'],
      ['search', 99, 'ratio', 'availability'],
      ['workflow-latency', 99, 'ratio', 'latency'],
    ]);
    expect(sloCategory('freshness', 'freshness')).toBe('other');
  });

  test('page alarms with the actions the escalation policy wired', () => {
    expect(checkout.slos[0].pageAlarm).toEqual({
      alarmName: 'checkout-availability-page',
      constructPath: 'Shop/Checkout/availability/page/Resource',
      stackPath: 'Shop',
      logicalId: expect.stringMatching(/^Checkoutavailabilitypage/),
      templatePath: checkout.templatePath,
      alarmActions: 1,
    });
  });

  test('metric dimensions name the resources they refer to, or their literal value', () => {
    const dims = Object.fromEntries(checkout.slos.map((s) => [s.name, s.metricDimensions]));
    expect(dims.availability).toContainEqual({ name: 'FunctionName', references: ['Shop/Handler/Resource'] });
    expect(dims.latency).toEqual(expect.arrayContaining([{ name: 'ApiName', literal: 'checkout', references: [] }, { name: 'Stage', literal: 'prod', references: [] }]));
    expect(dims.search).toContainEqual({ name: 'ApiId', references: ['Shop/SearchApi/Resource'] });
    expect(dims['workflow-latency']).toContainEqual({ name: 'StateMachineArn', references: ['Shop/Workflow/Resource'] });
  });

  test('workloads: the app\'s function, APIs and state machine; the escalation policy\'s functions, table and dead-letter queue are excluded', () => {
    expect(facts.workloads.map((w) => [w.kind, w.constructPath, w.names, w.excludedBecause])).toEqual([
      ['lambda-function', 'Shop/Handler/Resource', [], undefined],
      ['rest-api', 'Shop/CheckoutApi/Resource', ['checkout'], undefined],
      ['http-api', 'Shop/SearchApi/Resource', ['SearchApi'], undefined],
      ['state-machine', 'Shop/Workflow/Resource', [], undefined],
      ['queue', 'Shop/OnCall/DeadLetterQueue/Resource', [], 'part of escalation policy \'OnCall\' (Shop/OnCall), which its own alarms watch'],
      ['table', 'Shop/OnCall/Incidents/Resource', [], 'part of escalation policy \'OnCall\' (Shop/OnCall), which its own alarms watch'],
      ['lambda-function', 'Shop/OnCall/AcknowledgeFunction/Resource', [], 'part of escalation policy \'OnCall\' (Shop/OnCall), which its own alarms watch'],
      ['lambda-function', 'Shop/OnCall/EscalationFunction/Resource', [expect.stringMatching(/-escalation$/)], 'part of escalation policy \'OnCall\' (Shop/OnCall), which its own alarms watch'],
    ]);
  });

  test('alarms: what reads each one\'s state, and its actions', () => {
    const byName = Object.fromEntries(facts.alarms.map((a) => [a.alarmName ?? a.logicalId, a]));
    expect(byName['checkout-availability-page-1h-5m-long'].consumers).toEqual([expect.stringMatching(/^AlarmRule of composite alarm Checkoutavailabilitypage/)]);
    expect(byName['checkout-availability-page'].consumers).toEqual([expect.stringMatching(/^StopConditions of FIS experiment template CheckoutExperimentslowTemplate/)]);
    expect(byName['queue-age'].consumers).toEqual([expect.stringMatching(/^AlarmRule of composite alarm Whole/)]);
    expect([byName['queue-depth'].alarmActions, byName['queue-depth'].consumers]).toEqual([0, []]);
    expect(byName['checkout-availability-ticket'].alarmActions).toBe(1);
  });

  test('experiment templates with their alarm stop conditions; a `none` source does not count', () => {
    expect(facts.experimentTemplates.map((t) => [t.constructPath, t.alarmStopConditions])).toEqual([
      ['Shop/Checkout/Experiment-slow/Template', 4],
      ['Shop/RawExperiment', 0],
    ]);
  });
});

describe('facts across stacks and stages', () => {
  test('an SLO in another stack covers a function through its reference; criticalServices marks a service', () => {
    const app = newApp();
    const api = new Stack(app, 'Api', { env: ENV });
    const fn = newFunction(api, 'Handler');
    const monitoring = new Stack(app, 'Monitoring', { env: ENV });
    pagingService(monitoring, 'Search', { fn });
    const facts = synthFacts(app, { criticalServices: ['search'] });
    expect(facts.services.map((s) => [s.name, s.stackPath, s.critical])).toEqual([['search', 'Monitoring', true]]);
    expect(facts.services[0].slos[0].metricDimensions).toContainEqual({ name: 'FunctionName', references: ['Api/Handler/Resource'] });
  });

  test('only the given stacks\' templates are read; services of other stacks are still collected, without a template', () => {
    const app = newApp();
    const top = new Stack(app, 'Top');
    newFunction(top, 'TopHandler');
    const inner = new Stack(new Stage(app, 'Prod'), 'Inner');
    pagingService(inner, 'Checkout', { fn: newFunction(inner, 'Handler') });
    const assembly = app.synth();
    const topTemplate = assembly.stacks.find((s) => s.hierarchicalId === 'Top')!.templateFullPath;
    const facts = collectFacts(app, { stacks: [{ stackConstructPath: 'Top', templatePath: topTemplate }] });
    expect(facts.workloads.map((w) => w.constructPath)).toEqual(['Top/TopHandler/Resource']);
    expect(facts.services.map((s) => [s.constructPath, s.templatePath, s.slos[0].pageAlarm?.alarmActions])).toEqual([['Prod/Inner/Checkout', undefined, undefined]]);
  });

  test('a load balancer and its target group: the target group SLI covers the target group', () => {
    const app = newApp();
    const stack = new Stack(app, 'Web', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    const tg = new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc, port: 80 });
    alb.addListener('Http', { port: 80, defaultTargetGroups: [tg] });
    new ReliableService(stack, 'Web', { serviceName: 'web', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli: Sli.targetGroupAvailability(tg) }] });
    new ReliableService(stack, 'Edge', { serviceName: 'edge', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli: Sli.loadBalancerAvailability(alb) }] });
    const facts = synthFacts(app);
    const dims = facts.services.flatMap((s) => s.slos[0].metricDimensions).filter((d) => d.name === 'TargetGroup' || d.name === 'LoadBalancer');
    expect(dims).toEqual(expect.arrayContaining([
      { name: 'TargetGroup', references: ['Web/Targets/Resource'] },
      { name: 'LoadBalancer', references: ['Web/Alb/Resource'] },
    ]));
    expect(facts.workloads.map((w) => [w.kind, w.constructPath])).toEqual([['load-balancer', 'Web/Alb/Resource'], ['target-group', 'Web/Targets/Resource']]);
  });

  test('a literal dimension value is kept as written', () => {
    const app = newApp();
    const stack = new Stack(app, 'Shop');
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio(counts()) }] });
    const facts = synthFacts(app);
    expect(facts.services[0].slos[0].metricDimensions).toEqual([
      { name: 'Service', literal: 'checkout', references: [] },
      { name: 'Service', literal: 'checkout', references: [] },
    ]);
  });
});
