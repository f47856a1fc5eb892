import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AlertPolicy, ReliableService } from '../../lib';
import { availability } from '../service/helpers';
import { logicalId, newStack, roleStatements, smallestPolicy } from './helpers';

describe('ReliableService wired to an escalation policy', () => {
  // GIVEN a policy and a service with one SLO that pages and tickets
  const stack = newStack();
  const policy = smallestPolicy(stack);
  // WHEN the service names the policy
  const checkout = new ReliableService(stack, 'Checkout', {
    serviceName: 'checkout', runbookUrl: 'https://runbooks.example.com/checkout', slos: [availability()], escalation: policy,
  });
  const template = Template.fromStack(stack);
  const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: logicalId(stack, c) });

  test('the page composite notifies the page topic on ALARM and OK', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'checkout-availability-page', AlarmActions: [ref(policy.pageTopic)], OKActions: [ref(policy.pageTopic)],
    });
  });

  test('the ticket composite notifies the ticket topic on ALARM and OK', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'checkout-availability-ticket', AlarmActions: [ref(policy.ticketTopic)], OKActions: [ref(policy.ticketTopic)],
    });
  });

  test('the window alarms stay without actions: they are building blocks', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      if (String(alarm.Properties.AlarmName).startsWith('checkout-')) {
        expect(alarm.Properties.AlarmActions).toBeUndefined();
      }
    }
  });

  test('the composites carry the tags the escalation function reads', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'checkout-availability-page',
      Tags: [
        // pages link the service's dashboard
        { Key: 'cdk-reliability:dashboard', Value: 'checkout-reliability' },
        { Key: 'cdk-reliability:objective', Value: '99.9' },
        { Key: 'cdk-reliability:runbook', Value: 'https://runbooks.example.com/checkout' },
        { Key: 'cdk-reliability:service', Value: 'checkout' },
        { Key: 'cdk-reliability:severity', Value: 'page' },
        { Key: 'cdk-reliability:slo', Value: 'availability' },
        { Key: 'cdk-reliability:window', Value: '30d' },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'checkout-availability-ticket', Tags: Match.arrayWith([{ Key: 'cdk-reliability:severity', Value: 'ticket' }]),
    });
  });

  test('the escalation function may read the tags of exactly these composites', () => {
    const alarmArn = (name: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:alarm:${name}`]],
    });
    const statements = roleStatements(template, stack, policy.escalationFunction.role! as never);
    expect(statements.find((s) => s.Sid === 'ReadTheTagsOfItsAlarms')).toEqual({
      Sid: 'ReadTheTagsOfItsAlarms', Effect: 'Allow', Action: 'cloudwatch:ListTagsForResource',
      Resource: [alarmArn('checkout-availability-page'), alarmArn('checkout-availability-ticket')],
    });
    expect(policy.alarmNames).toEqual(['checkout-availability-page', 'checkout-availability-ticket']);
  });

  test('exposes the policy and emits no warning', () => {
    expect(checkout.escalation).toBe(policy);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('ReliableService escalation wiring, other cases', () => {
  test('an SLO added later with addSlo() is wired too', () => {
    const stack = newStack();
    const policy = smallestPolicy(stack);
    const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', escalation: policy });
    svc.addSlo(availability());
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'checkout-availability-page', AlarmActions: [{ Ref: logicalId(stack, policy.pageTopic) }],
    });
  });

  test('an SLO without tickets wires only its page composite', () => {
    const stack = newStack();
    const policy = smallestPolicy(stack);
    new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout', slos: [availability({ alerting: AlertPolicy.workbook({ tickets: false }) })], escalation: policy,
    });
    expect(policy.alarmNames).toEqual(['checkout-availability-page']);
  });

  test('a runbook URL that is not a valid tag value is left out of the tags (the description still links it)', () => {
    const stack = newStack();
    const policy = smallestPolicy(stack);
    new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout', runbookUrl: 'https://wiki.example.com/page?id=42#checkout', slos: [availability()], escalation: policy,
    });
    const page = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: 'checkout-availability-page' } }))[0];
    expect(page.Properties.Tags.map((t: { Key: string }) => t.Key)).not.toContain('cdk-reliability:runbook');
  });

  test('many services share one policy', () => {
    const stack = newStack();
    const policy = smallestPolicy(stack);
    for (const name of ['checkout', 'search']) {
      new ReliableService(stack, name, { serviceName: name, slos: [availability()], escalation: policy });
    }
    expect(policy.alarmNames).toEqual(['checkout-availability-page', 'checkout-availability-ticket', 'search-availability-page', 'search-availability-ticket']);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('a policy in another stack of the same environment works without a reference cycle', () => {
    // GIVEN the policy in a shared stack and the service in its own
    const app = new App();
    const env = { account: '123456789012', region: 'eu-west-1' };
    const shared = new Stack(app, 'OnCall', { env });
    const policy = smallestPolicy(shared);
    const service = new Stack(app, 'Checkout', { env });
    new ReliableService(service, 'Checkout', { serviceName: 'checkout', slos: [availability()], escalation: policy });
    // WHEN the app synthesizes THEN it does, and only the service stack depends on the policy stack
    expect(() => app.synth()).not.toThrow();
    expect(service.dependencies.map((s) => s.stackName)).toEqual(['OnCall']);
    expect(shared.dependencies).toEqual([]);
  });

  test('throws when the policy is in another region: alarm actions notify topics of their own region', () => {
    const app = new App();
    const policy = smallestPolicy(new Stack(app, 'OnCall', { env: { account: '123456789012', region: 'us-east-1' } }));
    const service = new Stack(app, 'Checkout', { env: { account: '123456789012', region: 'eu-west-1' } });
    expect(() => new ReliableService(service, 'Checkout', { serviceName: 'checkout', slos: [availability()], escalation: policy }))
      .toThrow('Checkout/Checkout: escalation: policy \'OnCall\' (OnCall/OnCall) is in 123456789012/us-east-1, the service in 123456789012/eu-west-1: '
        + 'alarm actions notify topics of their own region, and the policy reads the alarms of its own account. Create one policy per account and region');
  });

  test('throws when escalation is not an escalation policy', () => {
    const stack = newStack();
    expect(() => new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability()], escalation: {} as never }))
      .toThrow('Shop/Checkout: escalation: must be an IEscalationPolicy: an EscalationPolicy (new EscalationPolicy(scope, id, { levels })) '
        + 'or a construct with a string policyName, pageTopic and ticketTopic (ITopic) and a registerAlarm(alarmName) method; got {}');
  });

  test('a service without a policy still synthesizes, with the no-escalation warning', () => {
    const stack = newStack();
    new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    Annotations.fromStack(stack).hasWarning('/Shop/Checkout',
      Match.stringLikeRegexp('service \'checkout\' has no escalation policy, so its page and ticket alarms notify nobody.*cdk-reliability:no-escalation'));
    const composites = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composites.map((c) => [c.Properties.AlarmActions, c.Properties.Tags])).toEqual([[undefined, undefined], [undefined, undefined]]);
  });
});
