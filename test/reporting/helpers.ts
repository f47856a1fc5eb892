/** A stack with a service escalating to a policy, and a report on it. */
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EscalationPolicy, Notify, ReliabilityReport, ReliabilityReportProps, ReliableService } from '../../lib';
import { Construct } from 'constructs';
import { ENV } from '../chaos/helpers';
import { availability } from '../service/helpers';

export interface ReportWorld {
  readonly stack: Stack;
  readonly service: ReliableService;
  readonly policy: EscalationPolicy;
  readonly webhookSecret: secretsmanager.Secret;
  readonly managers: sns.Topic;
}

/** A stack `Shop` (fixed environment) with one service (`checkout`) escalating to `OnCall`. */
export function reportWorld(app: App = new App({ context: { 'aws:cdk:bundling-stacks': [] } })): ReportWorld {
  const stack = new Stack(app, 'Shop', { env: ENV });
  const policy = new EscalationPolicy(stack, 'OnCall', {
    levels: [{ notify: [Notify.email('oncall@example.com')] }],
    tickets: [Notify.email('tickets@example.com')],
  });
  const service = addService(stack, 'Checkout', 'checkout', policy);
  const webhookSecret = new secretsmanager.Secret(stack, 'DigestWebhook');
  const managers = new sns.Topic(stack, 'Managers', { enforceSSL: true });
  return { stack, service, policy, webhookSecret, managers };
}

/** A report with every kind of target the digest takes. */
export function fullReport(world: ReportWorld, overrides: Partial<ReliabilityReportProps> = {}): ReliabilityReport {
  return new ReliabilityReport(world.stack, 'WeeklyDigest', {
    targets: [Notify.email('sre-leads@example.com'), Notify.topic(world.managers), Notify.webhookFromSecret(world.webhookSecret)],
    ...overrides,
  });
}

/** A service with one availability SLO. */
export function addService(scope: Construct, id: string, serviceName: string, escalation?: EscalationPolicy): ReliableService {
  return new ReliableService(scope, id, { serviceName, slos: [availability()], ...(escalation ? { escalation } : {}) });
}
