import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Notify, ReliabilityReport } from '../../lib';
import { ENV } from '../chaos/helpers';
import { isAtOrUnder, nagApp, readable, runPacks } from '../nag/support';
import { unescapePlaceholders } from '../../lambdas/report/contract';
import { addService, fullReport, reportWorld } from './helpers';

const FUNCTION = 'AWS::Lambda::Function';

function reportFunction(template: Template): { id: string; resource: { Properties: Record<string, any>; Metadata: Record<string, any> } } {
  const [id, resource] = Object.entries(template.findResources(FUNCTION, { Properties: { Description: Match.stringLikeRegexp('scheduled reliability report') } }))[0];
  return { id, resource: resource as never };
}

/** The statements of the report function's role, across its policies. */
function statementsOf(template: Template): Array<Record<string, any>> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('WeeklyDigestRole'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function statement(template: Template, sid: string): Record<string, any> {
  const found = statementsOf(template).find((s) => s.Sid === sid);
  expect(found).toBeDefined();
  return found!;
}

describe('ReliabilityReport', () => {
  test('archives in a versioned, private, TLS-only bucket encrypted with its rotating key, expiring after 400 days', () => {
    const world = reportWorld();
    fullReport(world);
    const template = Template.fromStack(world.stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('cdk-reliability report of Shop') });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WeeklyDigestKey'), 'Arn'] } },
        }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 400 }, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the function reads its own stack\'s template, writes only under reports/<stack>/ and queries only the escalation log group', () => {
    const world = reportWorld();
    fullReport(world);
    const template = Template.fromStack(world.stack);
    expect(statement(template, 'ReadItsOwnTemplate')).toEqual(expect.objectContaining({ Action: 'cloudformation:GetTemplate', Resource: { Ref: 'AWS::StackId' } }));
    expect(statement(template, 'ArchiveReports')).toEqual(expect.objectContaining({
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^WeeklyDigestBucket/), 'Arn'] }, '/reports/Shop/*']] },
    }));
    const escalationLogs = world.stack.getLogicalId(world.policy.escalationFunction.logGroup.node.defaultChild as never);
    expect(statement(template, 'QueryTheEscalationLogs')).toEqual(expect.objectContaining({
      Action: 'logs:StartQuery', Resource: [{ 'Fn::GetAtt': [escalationLogs, 'Arn'] }],
    }));
    expect(statement(template, 'ReadMetricsAndAlarmsNeedStar')).toEqual(expect.objectContaining({
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], Resource: '*',
    }));
    expect(statement(template, 'ReadExperiments')).toEqual(expect.objectContaining({
      Action: 'fis:GetExperiment', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':fis:eu-west-1:111111111111:experiment/*']] },
    }));
    expect(statement(template, 'UseTheKey')).toEqual(expect.objectContaining({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WeeklyDigestKey/), 'Arn'] },
    }));
  });

  test('the function may send to the report topic, the user\'s topic and read the webhook\'s secret; nothing else publishes to its topic', () => {
    const world = reportWorld();
    fullReport(world);
    const template = Template.fromStack(world.stack);
    expect(statement(template, 'SendTheSummary').Resource).toEqual([
      { Ref: expect.stringMatching(/^WeeklyDigestTopic/) }, { Ref: expect.stringMatching(/^Managers/) },
    ]);
    expect(statement(template, 'ReadWebhookSecrets')).toEqual(expect.objectContaining({
      Action: 'secretsmanager:GetSecretValue', Resource: { Ref: expect.stringMatching(/^DigestWebhook/) },
    }));
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'sre-leads@example.com', RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyPublishersOtherThanTheReportFunctionAndItsAlarms', Effect: 'Deny', Action: 'sns:Publish',
          Condition: {
            ArnNotEquals: {
              'aws:PrincipalArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^WeeklyDigestRole'), 'Arn'] },
              'aws:SourceArn': [0, 1, 2].map(() => ({ 'Fn::GetAtt': [Match.stringLikeRegexp('^WeeklyDigest.*Alarm'), 'Arn'] })),
            },
          },
        })]),
      },
    });
  });

  test('runs weekly on Monday 07:00 UTC by default, passing the scheduled time, with retries and a dead-letter queue', () => {
    const world = reportWorld();
    fullReport(world);
    Template.fromStack(world.stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 ? * MON *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WeeklyDigestDeadLetterQueue'), 'Arn'] } },
      }),
    });
    Template.fromStack(world.stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
  });

  test('the default schedule runs in the time zone given; a schedule of one\'s own is used as given', () => {
    const berlin = reportWorld();
    fullReport(berlin, { timeZone: TimeZone.EUROPE_BERLIN });
    Template.fromStack(berlin.stack).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 7 ? * MON *)', ScheduleExpressionTimezone: 'Europe/Berlin' });
    const own = reportWorld();
    fullReport(own, { schedule: ScheduleExpression.cron({ day: '1', hour: '6', minute: '30' }), period: Duration.days(30) });
    Template.fromStack(own.stack).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 6 1 * ? *)' });
  });

  test('the function\'s Metadata holds the stack\'s reliability manifest, equal to the one written to the cloud assembly', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), context: { 'aws:cdk:bundling-stacks': [] } });
    const world = reportWorld(app);
    const report = fullReport(world);
    addService(world.stack, 'AddedLater', 'added-later');
    const assembly = app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Shop.template.json'), 'utf8'));
    const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Shop.reliability.json'), 'utf8'));
    const id = world.stack.getLogicalId(report.reportFunction.node.defaultChild as never);
    expect(unescapePlaceholders(template.Resources[id].Metadata['cdk-reliability:manifest'])).toEqual(written);
    expect(written.services.map((s: { name: string }) => s.name)).toEqual(['checkout', 'added-later']);
    expect(template.Resources[id].Properties.Environment.Variables).toEqual(expect.objectContaining({
      STACK_NAME: 'Shop', MANIFEST_RESOURCE: id, PERIOD_DAYS: '7', KEY_PREFIX: 'reports/Shop/',
    }));
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  });

  test('services narrows the manifest to the services given', () => {
    const world = reportWorld();
    const other = addService(world.stack, 'Search', 'search');
    fullReport(world, { services: [other] });
    const manifest = reportFunction(Template.fromStack(world.stack)).resource.Metadata['cdk-reliability:manifest'];
    expect(manifest.services.map((s: { name: string }) => s.name)).toEqual(['search']);
  });

  test('the targets say what the function sends to: the report topic, the user\'s topic and the webhook\'s secret, never a URL in a secret', () => {
    const world = reportWorld();
    fullReport(world);
    const env = reportFunction(Template.fromStack(world.stack)).resource.Properties.Environment.Variables;
    // as CloudFormation joins it, with each reference written ${LogicalId}
    const joined = (env.TARGETS['Fn::Join'][1] as Array<string | { Ref: string }>).map((p) => (typeof p === 'string' ? p : `\${${p.Ref}}`)).join('');
    expect(JSON.parse(joined)).toEqual({
      topicArn: expect.stringMatching(/^\$\{WeeklyDigestTopic\w+\}$/),
      publishTopicArns: [expect.stringMatching(/^\$\{Managers\w+\}$/)],
      webhooks: [{ secretArn: expect.stringMatching(/^\$\{DigestWebhook\w+\}$/) }],
    });
  });

  test('three alarms watch the digest, notifying the report\'s topic and the targets\' topics: function errors, delivery failures (its log event) and dead letters', () => {
    const world = reportWorld();
    const report = fullReport(world);
    const template = Template.fromStack(world.stack);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.event = "digest-delivery-failed" }' });
    for (const alarm of [report.errorsAlarm, report.deliveryFailuresAlarm, report.deadLetterAlarm]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('^Reliability report of Shop'),
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^WeeklyDigestTopic') }, { Ref: Match.stringLikeRegexp('^Managers') }],
      });
      expect(alarm.node.scope).toBe(report);
    }
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmDescription: Match.stringLikeRegexp('^Reliability report of Shop') }, 3);
  });

  test('without targets the report is archived only, with a warning', () => {
    const world = reportWorld();
    const report = new ReliabilityReport(world.stack, 'WeeklyDigest');
    expect(report.topic).toBeUndefined();
    Annotations.fromStack(world.stack).hasWarning('/Shop/WeeklyDigest', Match.stringLikeRegexp('has no targets: it is archived'));
    expect(statementsOf(Template.fromStack(world.stack)).some((s) => s.Sid === 'SendTheSummary')).toBe(false);
  });

  describe('refuses bad props, naming the path, the prop, the value and what is allowed', () => {
    const cases: Array<[string, (w: ReturnType<typeof reportWorld>) => object, RegExp]> = [
      ['a period of hours', () => ({ period: Duration.hours(36) }), /^Shop\/WeeklyDigest: period: must be a whole number of days from 1 to 90, got 129600 seconds$/],
      ['a period over 90 days', () => ({ period: Duration.days(91) }), /period: must be a whole number of days from 1 to 90, got 91 days/],
      ['a period that is a number', () => ({ period: 7 }), /period: .*7 \(a number\)/],
      ['a retention shorter than the period', () => ({ period: Duration.days(30), retention: Duration.days(14) }),
        /retention: must be a whole number of days from 30 to 3650 \(at least the period\), got 14 days/],
      ['a time zone beside a schedule', () => ({ schedule: ScheduleExpression.cron({ hour: '6', minute: '0' }), timeZone: TimeZone.EUROPE_BERLIN }),
        /timeZone: applies to the default schedule only, got "Europe\/Berlin" with a schedule/],
      ['no targets in a list', () => ({ targets: [] }), /targets: must name at least one target, or be left out/],
      ['an empty services list', () => ({ services: [] }), /services: must list at least one ReliableService of this stack/],
      ['a service of another stack', (w) => {
        const other = new Stack(w.stack.node.root as App, 'Other', { env: ENV });
        return { services: [addService(other, 'Checkout', 'elsewhere')] };
      }, /services\[0\]: must be in the report's stack Shop, got Other\/Checkout/],
      ['a log retention that is not RetentionDays', () => ({ logRetention: 12 as logs.RetentionDays }), /logRetention: must be a logs.RetentionDays value/],
    ];
    test.each(cases)('%s', (_name, props, message) => {
      const world = reportWorld();
      expect(() => new ReliabilityReport(world.stack, 'WeeklyDigest', props(world))).toThrow(message);
    });

    test('several problems at once', () => {
      const world = reportWorld();
      expect(() => new ReliabilityReport(world.stack, 'WeeklyDigest', { period: Duration.days(0), targets: [] }))
        .toThrow(/^Shop\/WeeklyDigest: 2 problems:\n {2}- period: .*\n {2}- targets: /);
    });

    test('a PagerDuty target: a digest is not an incident', () => {
      const world = reportWorld();
      const key = new secretsmanager.Secret(world.stack, 'RoutingKey');
      expect(() => new ReliabilityReport(world.stack, 'WeeklyDigest', { targets: [Notify.pagerDutyEventsV2(key)] }))
        .toThrow(/^Shop\/WeeklyDigest: targets\[0\]: PagerDuty opens incidents: a digest is not one/);
    });
  });

  test('cdk-nag\'s AwsSolutions and Serverless packs find nothing unacknowledged on it', () => {
    const app = nagApp();
    const world = reportWorld(app);
    fullReport(world);
    const findings = runPacks(app).filter((f) => isAtOrUnder(f.path, 'Shop/WeeklyDigest'));
    expect(readable(findings)).toEqual([]);
  });
});
