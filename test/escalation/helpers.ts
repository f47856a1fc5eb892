import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EscalationPolicy, EscalationPolicyProps, Notify } from '../../lib';

/** A fresh app and stack per test. */
export function newStack(id = 'Shop', props?: StackProps): Stack {
  return new Stack(new App(), id, props);
}

/** The policy of the issue: email + SMS, PagerDuty after 15 min, a managers' topic after 30 min; repeat 2; a ticket webhook. */
export function issuePolicy(stack: Stack, overrides: Partial<EscalationPolicyProps> = {}) {
  const routingKey = new secretsmanager.Secret(stack, 'RoutingKey');
  const managers = new sns.Topic(stack, 'Managers');
  const policy = new EscalationPolicy(stack, 'PaymentsOnCall', {
    levels: [
      { notify: [Notify.email('primary@example.com'), Notify.sms('+15555550100')] },
      { after: Duration.minutes(15), notify: [Notify.pagerDutyEventsV2(routingKey)] },
      { after: Duration.minutes(30), notify: [Notify.topic(managers)] },
    ],
    repeat: 2,
    tickets: [Notify.webhook('https://hooks.example.com/tickets')],
    ...overrides,
  });
  return { policy, routingKey, managers };
}

/** The smallest valid policy: one level, one email. */
export function smallestPolicy(stack: Stack, overrides: Partial<EscalationPolicyProps> = {}): EscalationPolicy {
  return new EscalationPolicy(stack, 'OnCall', {
    levels: [{ notify: [Notify.email('oncall@example.com')] }],
    tickets: [Notify.email('tickets@example.com')],
    ...overrides,
  });
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/**
 * A resolved `Fn::Join` (or plain string) as text, references written `<LogicalId>`, so that
 * JSON environment variables can be parsed and compared.
 */
export function joinedText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(joinedText).join(separator);
  }
  if (typeof v.Ref === 'string') {
    return `<${v.Ref}>`;
  }
  if (Array.isArray(v['Fn::GetAtt'])) {
    return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  }
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** The environment variables of the function whose description contains `marker`. */
export function environmentOf(template: Template, marker: 'notifies, escalates and resolves' | 'acknowledge links'): Record<string, unknown> {
  const fns = Object.values(template.findResources('AWS::Lambda::Function'))
    .filter((f) => String(f.Properties.Description ?? '').includes(marker));
  if (fns.length !== 1) {
    throw new Error(`expected one function described '${marker}', found ${fns.length}`);
  }
  return fns[0].Properties.Environment.Variables;
}

/** The statements of the default policy of a role. */
export function roleStatements(template: Template, stack: Stack, role: { node: { defaultChild?: unknown } }): Record<string, unknown>[] {
  const roleId = logicalId(stack, role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}
