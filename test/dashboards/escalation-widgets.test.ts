import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IEscalationPolicy, ReliableService } from '../../lib';
import { escalationWidgets } from '../../lib/dashboards/escalation-widgets';
import { newStack, smallestPolicy } from '../escalation/helpers';
import { availability } from '../service/helpers';
import { dashboards, markdown, widget } from './helpers';
import { PAGER_ALARMS } from '../../lambdas/shared/contract';

describe('a service with an escalation policy', () => {
  // GIVEN two services sharing one policy
  const stack = newStack();
  const policy = smallestPolicy(stack);
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', escalation: policy, slos: [availability()] });
  new ReliableService(stack, 'Search', { serviceName: 'search', escalation: policy, slos: [availability()] });
  // WHEN they are synthesized
  const [checkout, search] = dashboards(Template.fromStack(stack));
  const fn = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as never);

  test('shows the escalation and acknowledge functions\' errors and throttles', () => {
    const graph = widget(checkout, 'OnCall: errors and throttles');
    expect(graph.properties.metrics).toEqual([
      ['AWS/Lambda', 'Errors', 'FunctionName', `<${fn(policy.escalationFunction)}>`, { label: 'escalation errors', stat: 'Sum' }],
      ['AWS/Lambda', 'Throttles', 'FunctionName', `<${fn(policy.escalationFunction)}>`, { label: 'escalation throttles', stat: 'Sum' }],
      ['AWS/Lambda', 'Url5xxCount', 'FunctionName', `<${fn(policy.acknowledgeFunction)}>`, { label: 'acknowledge 5xx answers', stat: 'Sum' }],
      ['AWS/Lambda', 'Throttles', 'FunctionName', `<${fn(policy.acknowledgeFunction)}>`, { label: 'acknowledge throttles', stat: 'Sum' }],
    ]);
  });

  test('shows both functions\' p99 duration against the escalation function\'s timeout', () => {
    const graph = widget(checkout, 'OnCall: duration p99');
    expect(graph.properties.metrics.map((m: any[]) => [m[1], m[3], m[4].stat])).toEqual([
      ['Duration', `<${fn(policy.escalationFunction)}>`, 'p99'],
      ['Duration', `<${fn(policy.acknowledgeFunction)}>`, 'p99'],
    ]);
    expect(graph.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 60_000, label: 'escalation timeout 60 s' })]);
  });

  test('shows the dead-letter queue\'s depth and arrivals', () => {
    const graph = widget(checkout, 'OnCall: dead-letter queue');
    expect(graph.properties.metrics.map((m: any[]) => [m[0], m[1], m[4].stat])).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum'],
      ['AWS/SQS', 'NumberOfMessagesSent', 'Sum'],
    ]);
  });

  test('shows the status of every alarm on the pager (the contract lists five)', () => {
    const alarms = [policy.errorsAlarm, policy.deadLetterAlarm, policy.acknowledgeErrorsAlarm, policy.deliveryFailuresAlarm, policy.unverifiedAlarmsAlarm];
    expect(alarms).toHaveLength(Object.keys(PAGER_ALARMS).length);
    expect(widget(checkout, 'OnCall: alarms on the pager').properties.alarms).toEqual(alarms.map((a) => `<${fn(a)}.Arn>`));
  });

  test('appears, the same, on the dashboard of every service the policy serves, after the SLOs', () => {
    const section = (body: typeof checkout) => body.widgets.filter((w) => String(w.properties.title ?? '').startsWith('OnCall:'));
    expect(section(search).map((w) => w.properties)).toEqual(section(checkout).map((w) => w.properties));
    expect(markdown(search)).toContain('## Escalation policy OnCall');
    const lastSlo = widget(checkout, 'availability: alarms');
    expect(section(checkout).every((w) => w.y > lastSlo.y)).toBe(true);
  });
});

describe('a policy that is only an IEscalationPolicy', () => {
  test('has no pager health to show', () => {
    // GIVEN a policy that exposes its topics only
    const stack = newStack();
    const bare = Object.assign(new Construct(stack, 'Bare'), {
      policyName: 'bare',
      pageTopic: new sns.Topic(stack, 'Page'),
      ticketTopic: new sns.Topic(stack, 'Ticket'),
      registerAlarm: () => undefined,
    }) as IEscalationPolicy;
    // THEN there is no section for it, nor for no policy
    expect([escalationWidgets(bare), escalationWidgets(undefined)]).toEqual([undefined, undefined]);
  });
});
