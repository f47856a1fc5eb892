import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EscalationPolicy, Notify } from '../../lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { environmentOf, issuePolicy, joinedText, logicalId, newStack, roleStatements, smallestPolicy } from './helpers';
import { BadKindTarget, QueueTarget } from './targets/queue-target';

describe('EscalationPolicy: the policy of the issue', () => {
  // GIVEN the issue's policy: email + SMS, PagerDuty after 15 min, a managers' topic after 30 min, repeat 2, a ticket webhook
  const stack = newStack();
  const { policy, routingKey, managers } = issuePolicy(stack);
  // WHEN it is synthesized
  const template = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [logicalId(stack, policy.key), 'Arn'] };
  const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: logicalId(stack, construct) });

  test('exposes its topics, functions, URL, key, queue and table', () => {
    expect(policy.policyName).toBe('PaymentsOnCall');
    expect(policy.levelTopics).toHaveLength(3);
    expect([policy.pageTopic, policy.ticketTopic, policy.ticketTargetsTopic, policy.escalationFunction, policy.acknowledgeFunction,
      policy.acknowledgeUrl, policy.key, policy.deadLetterQueue, policy.table].every((x) => x !== undefined)).toBe(true);
  });

  test('encrypts every topic it owns with its customer-managed key, and rotates the key', () => {
    // page, ticket, 3 levels, ticket targets (+ the user's managers topic, which is not ours)
    const ours = Object.values(template.findResources('AWS::SNS::Topic', { Properties: { KmsMasterKeyId: keyArn } }));
    expect(ours).toHaveLength(6);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('every topic it owns refuses non-TLS publishing', () => {
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(6);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([{
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: p.Properties.Topics[0],
      }]));
    }
  });

  const joined = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
  const alarmArn = (name: string) => joined('arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:alarm:${name}`);
  const account = { Ref: 'AWS::AccountId' };
  const escalationRoleArn = { 'Fn::GetAtt': [logicalId(stack, policy.escalationFunction.role! as never), 'Arn'] };
  const topicStatements = (topic: sns.ITopic) => {
    const found = Object.values(template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [ref(topic)] } }));
    expect(found).toHaveLength(1);
    return found[0].Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
  };
  const publishers = (topic: sns.ITopic) => topicStatements(topic).filter((s) => s.Sid !== 'AllowPublishThroughSSLOnly');

  test('the key policy lets CloudWatch alarms of this account use the key, for SNS topics of this account only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccountToUseTheKey',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': account },
              ArnLike: { 'aws:SourceArn': alarmArn('*') },
              StringLike: {
                'kms:EncryptionContext:aws:sns:topicArn': joined('arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', account, ':*'),
              },
            },
          },
          Match.objectLike({
            Principal: { Service: 'sns.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          }),
        ]),
      },
    });
    // no statement of the key gives a service principal the key without a condition
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as Array<Record<string, any>>;
    expect(statements.filter((st) => st.Principal?.Service !== undefined && st.Condition === undefined)).toEqual([]);
  });

  test.each([
    ['page', () => policy.pageTopic], ['ticket', () => policy.ticketTopic],
  ])('only CloudWatch alarms of this account may publish to the %s topic: allowed, and everyone else denied', (_, topic) => {
    expect(publishers(topic())).toEqual([
      // the topic policy replaces SNS's default one: CloudWatch's service principal is allowed explicitly
      {
        Sid: 'AllowCloudWatchAlarmsOfThisAccount', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref(topic()),
        Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': alarmArn('*') } },
      },
      // an IAM principal of the account allowed sns:Publish by IAM has no aws:SourceArn: denied
      {
        Sid: 'DenyPublishersOtherThanAlarmsOfThisAccount', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(topic()),
        Condition: { ArnNotLike: { 'aws:SourceArn': alarmArn('*') } },
      },
      {
        Sid: 'DenyPublishersOnBehalfOfOtherAccounts', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(topic()),
        Condition: { StringNotEquals: { 'aws:SourceAccount': account } },
      },
    ]);
  });

  test('the level-1 topic takes messages from the escalation function and the alarms on the pager only', () => {
    const pagerAlarms = ['dead-letters', 'errors', 'acknowledge-errors', 'delivery-failures', 'unverified-alarms'].map((s) => alarmArn(`PaymentsOnCall-pager-${s}`));
    expect(publishers(policy.levelTopics[0])).toEqual([
      {
        Sid: 'AllowTheAlarmsOnThePager', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref(policy.levelTopics[0]),
        Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': pagerAlarms } },
      },
      {
        Sid: 'DenyPublishersOtherThanTheEscalationFunctionAndThePagerAlarms', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(policy.levelTopics[0]),
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': escalationRoleArn }, ArnNotLike: { 'aws:SourceArn': pagerAlarms } },
      },
    ]);
    // every alarm named there exists, and notifies level 1
    for (const name of ['dead-letters', 'errors', 'acknowledge-errors', 'delivery-failures', 'unverified-alarms']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `PaymentsOnCall-pager-${name}`, AlarmActions: Match.arrayWith([ref(policy.levelTopics[0])]) });
    }
  });

  test('later levels and the ticket targets take messages from the escalation function only', () => {
    for (const topic of [policy.levelTopics[1], policy.levelTopics[2], policy.ticketTargetsTopic!]) {
      expect(publishers(topic)).toEqual([{
        Sid: 'DenyPublishersOtherThanTheEscalationFunction', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(topic),
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': escalationRoleArn } },
      }]);
    }
  });

  test('topic policies deny sns:Publish only: managing, subscribing and receiving stay with IAM', () => {
    const denied = Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
      .filter((st) => st.Effect === 'Deny');
    expect(new Set(denied.map((st) => JSON.stringify(st.Action)))).toEqual(new Set(['"sns:Publish"']));
  });

  test('no principal but the escalation and acknowledge functions may read the signing secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      SecretId: ref(policy.signingSecret),
      ResourcePolicy: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'OnlyTheEscalationAndAcknowledgeFunctionsReadIt', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*',
          Condition: {
            ArnNotEquals: {
              'aws:PrincipalArn': [escalationRoleArn, { 'Fn::GetAtt': [logicalId(stack, policy.acknowledgeFunction.role! as never), 'Arn'] }],
            },
          },
        }],
      },
    });
  });

  test('the template has no dependency cycle: resource policies point at roles and alarms by ARN, nothing points back', () => {
    // Template.fromStack refuses a template whose resources reference each other in a cycle
    // (CloudFormation would not deploy it), e.g. a key policy naming the topics the key encrypts.
    const fresh = newStack();
    issuePolicy(fresh);
    expect(() => Template.fromStack(fresh)).not.toThrow();
  });

  test('a message the function refused as unverified is counted, and the count alarms level 1 directly', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "unverified-alarm" }',
      LogGroupName: { Ref: Match.stringLikeRegexp('EscalationLogs') },
      MetricTransformations: [{ MetricNamespace: 'cdk-reliability', MetricName: 'PaymentsOnCall-UnverifiedAlarmMessages', MetricValue: '1' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'PaymentsOnCall-pager-unverified-alarms',
      Namespace: 'cdk-reliability', MetricName: 'PaymentsOnCall-UnverifiedAlarmMessages', Statistic: 'Sum', Period: 300,
      Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
      AlarmActions: [ref(policy.levelTopics[0])], OKActions: [ref(policy.levelTopics[0])],
    });
    expect(policy.unverifiedAlarmsAlarm).toBeDefined();
  });

  test('email and SMS targets are subscriptions of their level\'s topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2 + 2); // email, sms + the function on the page and ticket topics
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'primary@example.com', TopicArn: ref(policy.levelTopics[0]) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+15555550100', TopicArn: ref(policy.levelTopics[0]) });
  });

  test('the escalation function subscribes to the page and the ticket topic', () => {
    for (const topic of [policy.pageTopic, policy.ticketTopic]) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda', TopicArn: ref(topic), Endpoint: { 'Fn::GetAtt': [logicalId(stack, policy.escalationFunction), 'Arn'] },
      });
    }
  });

  test('LEVELS and TICKETS tell the function each level\'s delay, topic and run-time targets (lambdas/README.md)', () => {
    const env = environmentOf(template, 'notifies, escalates and resolves');
    const id = (c: { node: { defaultChild?: unknown } }) => `<${logicalId(stack, c)}>`;
    expect(JSON.parse(joinedText(env.LEVELS))).toEqual([
      { afterSeconds: 0, topicArn: id(policy.levelTopics[0]), publishTopicArns: [], webhooks: [], pagerDuty: [], kinds: ['email', 'sms'] },
      { afterSeconds: 900, topicArn: id(policy.levelTopics[1]), publishTopicArns: [], webhooks: [], pagerDuty: [{ secretArn: id(routingKey) }], kinds: ['pagerduty'] },
      { afterSeconds: 1800, topicArn: id(policy.levelTopics[2]), publishTopicArns: [id(managers)], webhooks: [], pagerDuty: [], kinds: ['topic'] },
    ]);
    expect(JSON.parse(joinedText(env.TICKETS))).toEqual({
      topicArn: id(policy.ticketTargetsTopic!), publishTopicArns: [], webhooks: [{ url: 'https://hooks.example.com/tickets' }], pagerDuty: [], kinds: ['webhook'],
    });
  });

  test('the escalation function\'s environment has every variable of the contract and no secret value', () => {
    const env = environmentOf(template, 'notifies, escalates and resolves');
    expect(Object.keys(env).sort()).toEqual(['ACK_URL', 'LEVELS', 'PAGE_TOPIC_ARN', 'POLICY_NAME', 'REPEAT', 'SCHEDULER_DLQ_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_GROUP',
      'SIGNING_SECRET_ARN', 'TABLE_NAME', 'TICKETS', 'TICKET_TOPIC_ARN', 'TOKEN_TTL_SECONDS']);
    expect(env).toMatchObject({
      POLICY_NAME: 'PaymentsOnCall',
      REPEAT: '2',
      TOKEN_TTL_SECONDS: '86400',
      SIGNING_SECRET_ARN: ref(policy.signingSecret),
      PAGE_TOPIC_ARN: ref(policy.pageTopic),
      TICKET_TOPIC_ARN: ref(policy.ticketTopic),
      TABLE_NAME: ref(policy.table),
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(stack, policy.schedulerRole), 'Arn'] },
      ACK_URL: { 'Fn::GetAtt': [logicalId(stack, policy.acknowledgeUrl), 'FunctionUrl'] },
    });
    expect(typeof env.SCHEDULE_GROUP).toBe('string');
    // secrets are referenced by ARN only: no dynamic reference or secret value anywhere in the environments
    const both = JSON.stringify([env, environmentOf(template, 'acknowledge links')]);
    expect(both).not.toMatch(/resolve:secretsmanager|SecretString|GenerateSecretString/);
  });

  test('the acknowledge function\'s environment names the policy, table, signing secret and escalation function', () => {
    const env = environmentOf(template, 'acknowledge links');
    expect(env).toEqual({
      POLICY_NAME: 'PaymentsOnCall',
      TABLE_NAME: ref(policy.table),
      SIGNING_SECRET_ARN: ref(policy.signingSecret),
      ESCALATION_FUNCTION_NAME: expect.stringMatching(/^ShopPaymentsOnCall[0-9A-F]{8}-escalation$/),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: env.ESCALATION_FUNCTION_NAME });
  });

  test('the signing secret is generated by Secrets Manager (64 characters) and encrypted with the key', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      KmsKeyId: keyArn,
      SecretString: Match.absent(),
    });
  });

  test('both functions run the prebuilt bundles on Node.js 24 (the latest runtime), arm64', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(2);
    for (const f of fns) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(f.Properties.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    }
  });

  test('reserves concurrency: 10 for the escalation function, 20 for the acknowledge function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.stringLikeRegexp('-escalation$'), ReservedConcurrentExecutions: 10 });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('acknowledge links'), ReservedConcurrentExecutions: 20 });
  });

  test('asynchronous invocations retry twice, then go to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(policy.escalationFunction),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack, policy.deadLetterQueue), 'Arn'] } } },
    });
  });

  test('the dead-letter queue is encrypted with the key and refuses non-TLS access', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1_209_600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the incidents table: key alarmName, TTL expiresAt, encrypted with the key, point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'alarmName', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  test('the alarms on the pager (dead letters, function errors, acknowledge errors) notify the level-1 topic directly, on ALARM and OK', () => {
    const level1 = [ref(policy.levelTopics[0])];
    // new arrivals, so that a dead letter nobody purged does not mute the next one
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'PaymentsOnCall-pager-dead-letters',
      Namespace: 'AWS/SQS', MetricName: 'NumberOfMessagesSent', Statistic: 'Sum', Period: 60,
      Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
      AlarmActions: level1, OKActions: level1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'PaymentsOnCall-pager-errors',
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300,
      Dimensions: [{ Name: 'FunctionName', Value: ref(policy.escalationFunction) }],
      Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: level1, OKActions: level1,
    });
    // the acknowledge function answers failures with a 500 page: its URL's 5xx count, not Errors
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'PaymentsOnCall-pager-acknowledge-errors',
      Namespace: 'AWS/Lambda', MetricName: 'Url5xxCount', Statistic: 'Sum', Period: 300,
      Dimensions: [{ Name: 'FunctionName', Value: ref(policy.acknowledgeFunction) }],
      AlarmActions: level1, OKActions: level1,
    });
    // a target that refused a notification for good is logged, not retried: a metric filter counts it
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.event = "delivery-failed") && ($.retryable IS FALSE) }',
      MetricTransformations: [{ MetricNamespace: 'cdk-reliability', MetricName: 'PaymentsOnCall-DeliveryFailures', MetricValue: '1' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'PaymentsOnCall-pager-delivery-failures',
      Namespace: 'cdk-reliability', MetricName: 'PaymentsOnCall-DeliveryFailures', Statistic: 'Sum', Period: 300,
      AlarmActions: level1, OKActions: level1,
    });
  });

  test('the acknowledge function has a public function URL (auth NONE); the escalation function has none', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack, policy.acknowledgeFunction), 'Arn'] },
    });
  });

  test('a schedule group for the timers, and a role only EventBridge Scheduler of this account and group can assume', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: Match.stringLikeRegexp('PaymentsOnCall') });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack, policy.scheduleGroup), 'Arn'] } },
          },
        }],
      },
    });
    const fnArn = { 'Fn::GetAtt': [logicalId(stack, policy.escalationFunction), 'Arn'] };
    expect(roleStatements(template, stack, policy.schedulerRole)).toEqual([
      // timers target the ARN the function was invoked as, which carries a qualifier through an alias
      { Sid: 'InvokeTheEscalationFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] },
      // a timer Scheduler cannot deliver goes to the dead-letter queue the pager alarm watches
      { Sid: 'DeadLetterUndeliverableTimers', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [logicalId(stack, policy.deadLetterQueue), 'Arn'] } },
      { Sid: 'EncryptDeadLetters', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn },
    ]);
  });

  test('the escalation function may do exactly what the contract lists, on its own resources', () => {
    const arn = (service: string, resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, resource]],
    });
    const group = stack.resolve(policy.scheduleGroup.scheduleGroupName);
    expect(roleStatements(template, stack, policy.escalationFunction.role! as never)).toEqual([
      { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [logicalId(stack, policy.deadLetterQueue), 'Arn'] } },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/EscalationLogs/), 'Arn'] }) },
      { Sid: 'Incidents', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [logicalId(stack, policy.table), 'Arn'] } },
      { Sid: 'Timers', Effect: 'Allow', Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'], Resource: arn('scheduler', `:schedule/${group}/*`) },
      {
        Sid: 'PassTheSchedulerRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [logicalId(stack, policy.schedulerRole), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
      { Sid: 'Notify', Effect: 'Allow', Action: 'sns:Publish', Resource: [...policy.levelTopics, policy.ticketTargetsTopic!, managers].map(ref) },
      { Sid: 'ReadSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [ref(policy.signingSecret), ref(routingKey)] },
      { Sid: 'UseTheKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: keyArn },
      // the one '*', in a policy of its own (DescribeAlarmsPolicy) so that cdk-nag's acknowledgement covers it alone:
      // CloudWatch returns composite alarms only to a DescribeAlarms permission scoped to '*'
      { Sid: 'ReadAlarmStateCompositeAlarmsNeedStar', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' },
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'cloudwatch:DescribeAlarms', Resource: '*' })] },
      Roles: [{ Ref: logicalId(stack, policy.escalationFunction.role! as never) }],
    });
  });

  test('the acknowledge function may read and update incidents, read the signing secret, decrypt and invoke the escalation function', () => {
    const role = policy.acknowledgeFunction.role!;
    const fnName = environmentOf(template, 'acknowledge links').ESCALATION_FUNCTION_NAME;
    expect(roleStatements(template, stack, role as never)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/AcknowledgeLogs/), 'Arn'] }) },
      { Sid: 'Incidents', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [logicalId(stack, policy.table), 'Arn'] } },
      { Sid: 'ReadTheSigningSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ref(policy.signingSecret) },
      {
        Sid: 'TellTheEscalationFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:function:${fnName}`]] },
      },
      { Sid: 'UseTheKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], Resource: keyArn },
    ]);
  });

  test('no managed policy is attached to any role (no AWSLambdaBasicExecutionRole on "*"): logs go to the function\'s own log group', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles.filter((r) => r.Properties.ManagedPolicyArns !== undefined)).toEqual([]);
  });

  test('synthesizes without warnings', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('EscalationPolicy options and targets', () => {
  test('reserved concurrency, link lifetime and log retention are configurable', () => {
    const stack = newStack();
    smallestPolicy(stack, { reservedConcurrency: 3, acknowledgeReservedConcurrency: 2, acknowledgeLinkTtl: Duration.hours(4), logRetention: 7 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.stringLikeRegexp('-escalation$'), ReservedConcurrentExecutions: 3 });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('acknowledge links'), ReservedConcurrentExecutions: 2 });
    expect(environmentOf(template, 'notifies, escalates and resolves').TOKEN_TTL_SECONDS).toBe('14400');
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('repeat defaults to 0: the chain runs once', () => {
    const stack = newStack();
    smallestPolicy(stack);
    expect(environmentOf(Template.fromStack(stack), 'notifies, escalates and resolves').REPEAT).toBe('0');
  });

  test('repeatAfter tells the function when a pass starts again (REPEAT_AFTER_SECONDS); left out, the function\'s default applies', () => {
    const stack = newStack();
    smallestPolicy(stack, { repeat: 2, repeatAfter: Duration.minutes(20) });
    expect(environmentOf(Template.fromStack(stack), 'notifies, escalates and resolves').REPEAT_AFTER_SECONDS).toBe('1200');
    const defaults = newStack();
    smallestPolicy(defaults, { repeat: 2 });
    expect(environmentOf(Template.fromStack(defaults), 'notifies, escalates and resolves').REPEAT_AFTER_SECONDS).toBeUndefined();
  });

  test('a target kind of one\'s own is one class implementing INotifyTarget: its subscription joins the level\'s topic, its kind the chain', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Bot');
    const policy = smallestPolicy(stack, {
      levels: [{ notify: [Notify.email('oncall@example.com')] }, { after: Duration.minutes(5), notify: [new QueueTarget(queue)] }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs', RawMessageDelivery: true, TopicArn: { Ref: logicalId(stack, policy.levelTopics[1]) },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, policy.deadLetterQueue), 'Arn'] } },
    });
    expect(policy.chain.levels.map((l) => l.targets)).toEqual([['email'], ['sqs']]);
    const levels = JSON.parse(joinedText(environmentOf(template, 'notifies, escalates and resolves').LEVELS));
    expect(levels[1]).toEqual({
      afterSeconds: 300, topicArn: `<${logicalId(stack, policy.levelTopics[1])}>`, publishTopicArns: [], webhooks: [], pagerDuty: [], kinds: ['sqs'],
    });
  });

  test.each([[''], ['Email'], ['a kind'], [undefined]])('a target whose bind() returns the kind %j is refused, naming the target', (kind) => {
    expect(() => smallestPolicy(newStack(), { tickets: [new BadKindTarget(kind)] })).toThrow(
      /^Shop\/OnCall: tickets\[0\]: bind\(\) must return a kind of lower-case letters, digits and '-' \(at most 32\), got /);
  });

  test('a Slack channel configuration of this app gets the level\'s topic as a notification topic', () => {
    const stack = newStack();
    const channel = new chatbot.SlackChannelConfiguration(stack, 'Slack', { slackChannelConfigurationName: 'oncall', slackWorkspaceId: 'T0', slackChannelId: 'C0' });
    const policy = smallestPolicy(stack, { levels: [{ notify: [Notify.slack(channel)] }] });
    Template.fromStack(stack).hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SnsTopicArns: [{ Ref: logicalId(stack, policy.levelTopics[0]) }],
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('slack-topic-not-subscribed'))).toEqual([]);
  });

  test('an imported Slack channel configuration warns that the topic must be added by hand', () => {
    const stack = newStack();
    const channel = chatbot.SlackChannelConfiguration.fromSlackChannelConfigurationArn(stack, 'Slack',
      'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/oncall');
    smallestPolicy(stack, { levels: [{ notify: [Notify.email('a@example.com')] }, { after: Duration.minutes(5), notify: [Notify.slack(channel)] }] });
    Annotations.fromStack(stack).hasWarning('/Shop/OnCall',
      Match.stringLikeRegexp('levels\\[1\\]\\.notify: the Slack channel configuration is imported.*Shop/OnCall/Level2Topic.*slack-topic-not-subscribed'));
  });

  test('webhooks from a secret and PagerDuty secrets are read at run time: granted, never in the template', () => {
    const stack = newStack();
    const hook = new secretsmanager.Secret(stack, 'SlackHook');
    const key = new kms.Key(stack, 'TeamKey');
    const pd = secretsmanager.Secret.fromSecretNameV2(stack, 'Pd', 'pagerduty/routing-key');
    const encrypted = new secretsmanager.Secret(stack, 'Encrypted', { encryptionKey: key });
    const policy = smallestPolicy(stack, {
      levels: [{ notify: [Notify.webhookFromSecret(hook), Notify.pagerDutyEventsV2(pd), Notify.webhookFromSecret(encrypted)] }],
    });
    const template = Template.fromStack(stack);
    const env = environmentOf(template, 'notifies, escalates and resolves');
    const levels = JSON.parse(joinedText(env.LEVELS));
    expect(levels[0].webhooks).toEqual([{ secretArn: `<${logicalId(stack, hook)}>` }, { secretArn: `<${logicalId(stack, encrypted)}>` }]);
    expect(levels[0].pagerDuty).toEqual([{ secretArn: expect.stringContaining(':secret:pagerduty/routing-key') }]);
    const statements = roleStatements(template, stack, policy.escalationFunction.role! as never);
    const read = statements.find((s) => s.Sid === 'ReadSecrets')!;
    expect(read.Resource).toEqual([
      { Ref: logicalId(stack, policy.signingSecret) }, { Ref: logicalId(stack, hook) },
      { 'Fn::Join': ['', expect.arrayContaining([':secret:pagerduty/routing-key-??????'])] },
      { Ref: logicalId(stack, encrypted) },
    ]);
    // the team's own key: decrypt through Secrets Manager only, granted on the role (the key policy is left alone)
    expect(statements).toEqual(expect.arrayContaining([{
      Sid: 'DecryptTargetSecrets', Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
    }]));
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::KMS::Key')[logicalId(stack, key)])).not.toContain('EscalationRole');
  });

  test('an existing topic encrypted with its own key: the function may publish and use that key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'TeamKey');
    const managers = new sns.Topic(stack, 'Managers', { masterKey: key });
    const policy = smallestPolicy(stack, { levels: [{ notify: [Notify.topic(managers)] }] });
    const template = Template.fromStack(stack);
    const statements = roleStatements(template, stack, policy.escalationFunction.role! as never);
    expect(statements.find((s) => s.Sid === 'Notify')!.Resource).toEqual(expect.arrayContaining([{ Ref: logicalId(stack, managers) }]));
    expect(statements).toEqual(expect.arrayContaining([
      { Sid: 'UseTheKeysOfTargetTopics', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] } },
    ]));
  });

  test('a topic target in level 1 also receives the alarms on the pager', () => {
    const stack = newStack();
    const managers = new sns.Topic(stack, 'Managers');
    const policy = smallestPolicy(stack, { levels: [{ notify: [Notify.email('a@example.com'), Notify.topic(managers)] }] });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'OnCall-pager-errors',
      AlarmActions: [{ Ref: logicalId(stack, policy.levelTopics[0]) }, { Ref: logicalId(stack, managers) }],
    });
  });

  test('level 1 with only webhooks and PagerDuty warns that the alarms on the pager reach nobody', () => {
    const stack = newStack();
    smallestPolicy(stack, { levels: [{ notify: [Notify.webhook('https://hooks.example.com/page')] }] });
    Annotations.fromStack(stack).hasWarning('/Shop/OnCall', Match.stringLikeRegexp('level 1 of escalation policy \'OnCall\' has no email, SMS, Slack or topic target.*pager-alarms-unrouted'));
  });

  test('a policy without tickets warns that ticket alarms notify nobody, and tells the function TICKETS=null', () => {
    const stack = newStack();
    const policy = smallestPolicy(stack, { tickets: undefined });
    expect(policy.ticketTargetsTopic).toBeUndefined();
    expect(environmentOf(Template.fromStack(stack), 'notifies, escalates and resolves').TICKETS).toBe('null');
    Annotations.fromStack(stack).hasWarning('/Shop/OnCall', Match.stringLikeRegexp('has no tickets: the ticket alarms of its services notify nobody.*no-ticket-targets'));
  });

  test('an inline Slack webhook URL warns to keep it in Secrets Manager', () => {
    const stack = newStack();
    smallestPolicy(stack, { tickets: [Notify.webhook('https://hooks.slack.com/services/T0/B0/secret')] });
    Annotations.fromStack(stack).hasWarning('/Shop/OnCall', Match.stringLikeRegexp('tickets: the webhook URL hooks.slack.com/… looks like it embeds a credential.*webhook-url-in-template'));
  });

  test('EscalationPolicy.isEscalationPolicy recognizes policies only', () => {
    const stack = newStack();
    expect(EscalationPolicy.isEscalationPolicy(smallestPolicy(stack))).toBe(true);
    expect(EscalationPolicy.isEscalationPolicy({ pageTopic: {} })).toBe(false);
    expect(EscalationPolicy.isEscalationPolicy(undefined)).toBe(false);
  });
});
