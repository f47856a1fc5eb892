/**
 * The escalation policy's resource policies, evaluated against the requests that matter (a model
 * of IAM evaluation, see policy-simulation.ts): who can publish to each topic, who can read the
 * signing secret, and for what CloudWatch may use the key. The template assertions in
 * escalation-policy.test.ts say what is written; these say what it does.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT, arnOf, decide, REGION, Request, resolver } from './policy-simulation';
import { issuePolicy, logicalId, newStack } from './helpers';

const stack = newStack();
const { policy } = issuePolicy(stack);
const template = Template.fromStack(stack);
const resolve = resolver(template);
const idOf = (c: { node: { defaultChild?: unknown } }) => logicalId(stack, c);
const roleArn = (c: { node: { defaultChild?: unknown } }) => arnOf(idOf(c), 'AWS::IAM::Role');

const ESCALATION_ROLE = roleArn(policy.escalationFunction.role! as never);
const ACK_ROLE = roleArn(policy.acknowledgeFunction.role! as never);
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const alarm = (name: string, account = ACCOUNT, region = REGION) => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;

function topicStatements(topic: sns.ITopic) {
  const found = Object.values(template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: idOf(topic as never) }] } }));
  return resolve(found[0].Properties.PolicyDocument.Statement) as never;
}

const role = (arn: string, identityAllows = true): Request['principal'] => ({ roleArn: arn, identityAllows });
const cloudWatchAlarm = (arn: string, account = ACCOUNT): Request => ({
  action: 'sns:Publish', principal: { service: 'cloudwatch.amazonaws.com' }, context: { 'aws:SourceArn': arn, 'aws:SourceAccount': account },
});
const publishAs = (arn: string): Request => ({ action: 'sns:Publish', principal: role(arn) });

describe('who can publish to the page and ticket topics', () => {
  test.each([['page', () => policy.pageTopic], ['ticket', () => policy.ticketTopic]])('%s: CloudWatch alarms of this account and region only', (_, topic) => {
    const statements = topicStatements(topic());
    expect({
      composite: decide(statements, cloudWatchAlarm(alarm('checkout-availability-page'))),
      adminWithPublishOnStar: decide(statements, publishAs(ADMIN)),
      escalationFunction: decide(statements, publishAs(ESCALATION_ROLE)),
      alarmOfAnotherAccount: decide(statements, cloudWatchAlarm(alarm('x', '999999999999'), '999999999999')),
      alarmOfAnotherRegion: decide(statements, cloudWatchAlarm(alarm('x', ACCOUNT, 'us-east-1'))),
      eventBridgeRuleOfThisAccount: decide(statements, {
        action: 'sns:Publish', principal: { service: 'events.amazonaws.com' },
        context: { 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/forge`, 'aws:SourceAccount': ACCOUNT },
      }),
    }).toEqual({
      composite: 'allowed',
      adminWithPublishOnStar: 'denied',
      escalationFunction: 'denied',
      alarmOfAnotherAccount: 'denied',
      alarmOfAnotherRegion: 'denied',
      eventBridgeRuleOfThisAccount: 'denied',
    });
  });

  test('managing the topic stays with IAM: only sns:Publish is denied', () => {
    const statements = topicStatements(policy.pageTopic);
    expect(decide(statements, { action: 'sns:SetTopicAttributes', principal: role(ADMIN) })).toBe('allowed');
    expect(decide(statements, { action: 'sns:Subscribe', principal: role(ADMIN) })).toBe('allowed');
  });
});

describe('who can publish to the level and ticket-target topics', () => {
  test('level 1: the escalation function and the alarms on the pager', () => {
    const statements = topicStatements(policy.levelTopics[0]);
    expect({
      escalationFunction: decide(statements, publishAs(ESCALATION_ROLE)),
      deadLetterAlarm: decide(statements, cloudWatchAlarm(alarm('PaymentsOnCall-pager-dead-letters'))),
      unverifiedAlarm: decide(statements, cloudWatchAlarm(alarm('PaymentsOnCall-pager-unverified-alarms'))),
      aServiceComposite: decide(statements, cloudWatchAlarm(alarm('checkout-availability-page'))),
      anotherPolicysPagerAlarm: decide(statements, cloudWatchAlarm(alarm('Other-pager-errors'))),
      acknowledgeFunction: decide(statements, publishAs(ACK_ROLE)),
      admin: decide(statements, publishAs(ADMIN)),
    }).toEqual({
      escalationFunction: 'allowed',
      deadLetterAlarm: 'allowed',
      unverifiedAlarm: 'allowed',
      aServiceComposite: 'denied',
      anotherPolicysPagerAlarm: 'denied',
      acknowledgeFunction: 'denied',
      admin: 'denied',
    });
  });

  test('later levels and the ticket targets: the escalation function only', () => {
    for (const topic of [policy.levelTopics[1], policy.levelTopics[2], policy.ticketTargetsTopic!]) {
      const statements = topicStatements(topic);
      expect({
        escalationFunction: decide(statements, publishAs(ESCALATION_ROLE)),
        pagerAlarm: decide(statements, cloudWatchAlarm(alarm('PaymentsOnCall-pager-errors'))),
        admin: decide(statements, publishAs(ADMIN)),
      }).toEqual({ escalationFunction: 'allowed', pagerAlarm: 'denied', admin: 'denied' });
    }
  });
});

describe('who can read the signing secret', () => {
  const statements = resolve(Object.values(template.findResources('AWS::SecretsManager::ResourcePolicy'))[0].Properties.ResourcePolicy.Statement) as never;

  test('the two functions read it; an administrator allowed secretsmanager:* by IAM does not', () => {
    expect({
      escalationFunction: decide(statements, { action: 'secretsmanager:GetSecretValue', principal: role(ESCALATION_ROLE) }),
      acknowledgeFunction: decide(statements, { action: 'secretsmanager:GetSecretValue', principal: role(ACK_ROLE) }),
      admin: decide(statements, { action: 'secretsmanager:GetSecretValue', principal: role(ADMIN) }),
    }).toEqual({ escalationFunction: 'allowed', acknowledgeFunction: 'allowed', admin: 'denied' });
  });

  test('deployment and administration are not locked out: managing, rotating by hand, changing the policy', () => {
    for (const action of ['secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy', 'secretsmanager:DescribeSecret']) {
      expect({ action, decision: decide(statements, { action, principal: role(ADMIN) }) }).toEqual({ action, decision: 'allowed' });
    }
  });
});

describe('for what CloudWatch may use the key', () => {
  const statements = resolve(Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement) as never;
  const cloudWatch = (context: Record<string, string>): Request => ({ action: 'kms:GenerateDataKey', principal: { service: 'cloudwatch.amazonaws.com' }, context });
  const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:PaymentsOnCallPageTopic`;

  test('an alarm of this account encrypting a message for a topic of this account: yes; anything else: no', () => {
    expect({
      ours: decide(statements, cloudWatch({ 'aws:SourceArn': alarm('checkout-availability-page'), 'aws:SourceAccount': ACCOUNT, 'kms:EncryptionContext:aws:sns:topicArn': topic })),
      anotherAccountsAlarm: decide(statements, cloudWatch({
        'aws:SourceArn': alarm('x', '999999999999'), 'aws:SourceAccount': '999999999999', 'kms:EncryptionContext:aws:sns:topicArn': topic,
      })),
      anotherAccountsTopic: decide(statements, cloudWatch({
        'aws:SourceArn': alarm('x'), 'aws:SourceAccount': ACCOUNT, 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:${REGION}:999999999999:t`,
      })),
      notForSns: decide(statements, cloudWatch({ 'aws:SourceArn': alarm('x'), 'aws:SourceAccount': ACCOUNT })),
    }).toEqual({ ours: 'allowed', anotherAccountsAlarm: 'not-allowed', anotherAccountsTopic: 'not-allowed', notForSns: 'not-allowed' });
  });
});
