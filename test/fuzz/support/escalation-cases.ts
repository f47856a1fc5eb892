/**
 * Generated escalation policies, valid and invalid (levels, targets, repeat, link lifetime,
 * concurrency, log retention), optionally wired to a service, and how a case is built.
 */
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { AlertPolicy, EscalationPolicy, Notify, ReliableService, Sli } from '../../../lib';
import { fromWorld, labelled, Mix, oddNumber, oddString, optional, realize, wrongType } from './arbitraries';
import { call } from './factories';

/** Resources a case's targets may use, created on first use in the case's stack. */
export interface EscalationWorld {
  readonly stack: Stack;
  topic(): sns.ITopic;
  encryptedTopic(): sns.ITopic;
  importedTopic(): sns.ITopic;
  secret(): secretsmanager.ISecret;
  slack(): chatbot.ISlackChannelConfiguration;
  importedSlack(): chatbot.ISlackChannelConfiguration;
}

function world(stack: Stack): EscalationWorld {
  const once = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  return {
    stack,
    topic: once(() => new sns.Topic(stack, 'Managers')),
    encryptedTopic: once(() => new sns.Topic(stack, 'Directors', { masterKey: new kms.Key(stack, 'DirectorsKey') })),
    importedTopic: once(() => sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:imported')),
    secret: once(() => secretsmanager.Secret.fromSecretNameV2(stack, 'RoutingKey', 'pagerduty/routing-key')),
    slack: once(() => new chatbot.SlackChannelConfiguration(stack, 'Slack', {
      slackChannelConfigurationName: 'oncall', slackWorkspaceId: 'T0123', slackChannelId: 'C0123',
    })),
    importedSlack: once(() => chatbot.SlackChannelConfiguration.fromSlackChannelConfigurationArn(stack, 'ImportedSlack',
      'arn:aws:chatbot::111111111111:chat-configuration/slack-channel/oncall')),
  };
}

/** Objects that look like a resource but whose ARN is missing, empty or not a string. */
function fakeResource(arnProperty: string): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(undefined, '', 5n, null, 42).map((arn) => labelled({ [arnProperty]: arn }, `{ ${arnProperty}: ${fc.stringify(arn)} }`));
}

export function escalationCases(mix: Mix) {
  const email = mix.pick(
    fc.oneof(fc.constantFrom('oncall@example.com', 'ünï@例え.jp', `${'a'.repeat(60)}@example.com`), fc.emailAddress()),
    fc.constantFrom('oncall.example.com', 'a@b', 'a @b.co', `${'a'.repeat(250)}@example.com`, '@example.com'),
    fc.constant(fromWorld("Lazy.string('oncall@example.com')", () => Lazy.string({ produce: () => 'oncall@example.com' }))),
    oddString, wrongType,
  );
  const phone = mix.pick(
    fc.oneof(fc.constantFrom('+15555550100', '+491701234567'), fc.stringMatching(/^\+[1-9]\d{6,14}$/)),
    fc.constantFrom('555-0100', '+0123', '+1 555 0100', '+1234567890123456', '15555550100'),
    oddString, wrongType,
  );
  const webhook = mix.pick(
    fc.oneof(
      fc.constantFrom('https://hooks.example.com/tickets', 'https://hooks.slack.com/services/T000/B000/XXXX', 'https://例え.jp/hook?a=1'),
      fc.webUrl({ validSchemes: ['https'], withQueryParameters: true }),
    ),
    fc.constantFrom('http://hooks.example.com', 'hooks.example.com/x', 'https://', `https://example.com/${'p'.repeat(2100)}`),
    oddString, wrongType,
  );
  const w = <T>(label: string, make: (x: EscalationWorld) => T) => fc.constant(fromWorld(label, make));
  const target = mix.pick(
    fc.oneof(
      { arbitrary: call<EscalationWorld, unknown>('Notify.email', Notify.email, email), weight: 4 },
      { arbitrary: call<EscalationWorld, unknown>('Notify.sms', Notify.sms, phone), weight: 2 },
      { arbitrary: call<EscalationWorld, unknown>('Notify.webhook', Notify.webhook, webhook), weight: 2 },
      { arbitrary: w('Notify.webhookFromSecret(secret)', (x) => Notify.webhookFromSecret(x.secret())), weight: 1 },
      { arbitrary: w('Notify.pagerDutyEventsV2(secret)', (x) => Notify.pagerDutyEventsV2(x.secret())), weight: 1 },
      { arbitrary: fc.constantFrom(
        fromWorld('Notify.topic(topic)', (x: EscalationWorld) => Notify.topic(x.topic())),
        fromWorld('Notify.topic(encryptedTopic)', (x: EscalationWorld) => Notify.topic(x.encryptedTopic())),
        fromWorld('Notify.topic(importedTopic)', (x: EscalationWorld) => Notify.topic(x.importedTopic())),
      ), weight: 1 },
      { arbitrary: fc.constantFrom(
        fromWorld('Notify.slack(channel)', (x: EscalationWorld) => Notify.slack(x.slack())),
        fromWorld('Notify.slack(importedChannel)', (x: EscalationWorld) => Notify.slack(x.importedSlack())),
      ), weight: 1 },
    ),
    fc.constantFrom(
      fromWorld('Notify.topic(undefined)', () => Notify.topic(undefined as never)),
      fromWorld('Notify.pagerDutyEventsV2(undefined)', () => Notify.pagerDutyEventsV2(undefined as never)),
      fromWorld('Notify.webhookFromSecret(undefined)', () => Notify.webhookFromSecret(undefined as never)),
      fromWorld('Notify.slack(undefined)', () => Notify.slack(undefined as never)),
    ),
    // resources that are not what the factory needs: `{}` once gave IAM the resource "undefined-??????"
    fc.oneof(
      call<EscalationWorld, unknown>('Notify.webhookFromSecret', Notify.webhookFromSecret, mix.invalid(wrongType, fakeResource('secretArn'))),
      call<EscalationWorld, unknown>('Notify.pagerDutyEventsV2', Notify.pagerDutyEventsV2, mix.invalid(wrongType, fakeResource('secretArn'))),
      call<EscalationWorld, unknown>('Notify.topic', Notify.topic, mix.invalid(wrongType, fakeResource('topicArn'))),
      call<EscalationWorld, unknown>('Notify.slack', Notify.slack, mix.invalid(wrongType, fakeResource('slackChannelConfigurationArn'))),
    ),
    fc.constant(labelled({ kind: 'email', address: 'a@example.com' }, "{ kind: 'email', address: 'a@example.com' }")),
    wrongType,
  );
  const targets = mix.list(target, { maxLength: 3, hugeLength: 40 });
  const delay = mix.duration(fc.oneof(
    fc.constantFrom(Duration.minutes(15), Duration.minutes(1), Duration.hours(24), Duration.minutes(30)),
    fc.integer({ min: 1, max: 1440 }).map((n) => labelled(Duration.minutes(n), `Duration.minutes(${n})`)),
  ));
  const firstLevel = fc.record({
    after: mix.pick(fc.constant(undefined), fc.constantFrom(Duration.seconds(0), Duration.minutes(-0), Duration.minutes(5))),
    notify: targets,
  });
  const laterLevel = fc.record({ after: mix.pick(delay, fc.constant(undefined)), notify: targets });
  const levels = mix.pick(
    fc.tuple(firstLevel, fc.array(laterLevel, { maxLength: 3 })).map(([first, rest]) => [first, ...rest]),
    fc.constant([]),
    fc.sparseArray(laterLevel, { minNumElements: 1, maxLength: 3 }),
    fc.array(mix.pick(laterLevel, wrongType), { minLength: 12, maxLength: 12 }),
    wrongType,
  );

  return fc.record({
    props: fc.record({
      levels,
      repeat: optional(mix.number(fc.integer({ min: 0, max: 10 }))),
      tickets: optional(targets),
      policyName: optional(mix.name(fc.constantFrom('payments-oncall', 'p'.repeat(64)))),
      acknowledgeLinkTtl: optional(mix.duration(fc.oneof(
        fc.constantFrom(Duration.minutes(5), Duration.days(7), Duration.hours(1)),
        fc.integer({ min: 300, max: 604_800 }).map((n) => labelled(Duration.seconds(n), `Duration.seconds(${n})`)),
      ))),
      reservedConcurrency: optional(mix.number(fc.integer({ min: 1, max: 1000 }))),
      acknowledgeReservedConcurrency: optional(mix.number(fc.integer({ min: 1, max: 1000 }))),
      logRetention: optional(mix.pick(fc.constantFrom(logs.RetentionDays.ONE_WEEK, logs.RetentionDays.ONE_YEAR, logs.RetentionDays.INFINITE), oddNumber)),
    }),
    /** Whether a service uses the policy: none, one in its stack, or one in another region's stack. */
    service: fc.constantFrom<'none' | 'same-stack' | 'other-region'>('none', 'none', 'same-stack', 'other-region'),
    // not hostile: a construct id is checked by the constructs library, before the policy's code runs
    id: new Mix(mix.calm).pick(fc.constant('OnCall'), fc.constantFrom('On Call', 'x'.repeat(80))),
  });
}

export type EscalationCase = ReturnType<typeof escalationCases> extends fc.Arbitrary<infer C> ? C : never;

/** Builds the policy `<stack>/<id>` and, if the case says so, a service `Checkout` using it. */
export function buildEscalationCase(c: EscalationCase, stack: Stack, serviceStack: () => Stack): EscalationPolicy {
  const policy = new EscalationPolicy(stack, c.id, realize(c.props, world(stack)));
  if (c.service !== 'none') {
    const where = c.service === 'same-stack' ? stack : serviceStack();
    new ReliableService(where, 'Checkout', {
      serviceName: 'checkout',
      dashboard: false,
      escalation: policy,
      slos: [{
        name: 'availability',
        objective: 99.9,
        alerting: AlertPolicy.fromTiers([AlertPolicy.WORKBOOK_TIERS[0], AlertPolicy.WORKBOOK_TIERS[2]]),
        sli: Sli.ratio({ bad: new Metric({ namespace: 'Shop', metricName: 'Errors' }), total: new Metric({ namespace: 'Shop', metricName: 'Requests' }) }),
      }],
    });
  }
  return policy;
}
