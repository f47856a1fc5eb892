import { Annotations, ArnFormat, Duration, Lazy, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DigestTargetsJson, DigestWebhookJson, escapePlaceholders, MANIFEST_METADATA_KEY, REPORT_LOG_EVENTS, ReportEnvironment,
} from '../../lambdas/report/contract';
import { secretArnForPolicies, sendOnlyQueueDestination } from '../escalation/escalation-policy';
import { HANDLER_RUNTIME, handlerCode } from '../escalation/lambda-code';
import { INotifyTarget, NotifyTargetConfig } from '../escalation/notify-target';
import { logRetentionProblem, targetListProblems } from '../escalation/validation';
import { buildManifest } from '../manifest/build';
import { ManifestService, manifestServicesOf } from '../manifest/source';
import { describeValue } from '../private/describe';
import { readDuration } from '../private/duration-input';
import { formatProblems, Problem } from '../private/problems';
import type { ReliableService } from '../service/reliable-service';
import { suppressReportNagFindings } from './nag-suppressions';

/** The period reported on unless one is given. */
export const DEFAULT_REPORT_PERIOD = Duration.days(7);
/** How long archived reports are kept unless told otherwise: a quarter's review plus a year. */
export const DEFAULT_REPORT_RETENTION = Duration.days(400);
/** The longest period: what a weekly to quarterly review needs, well inside 1-hour metric retention. */
const MAX_PERIOD_DAYS = 90;
/** The longest archive retention accepted (ten years). */
const MAX_RETENTION_DAYS = 3650;
/** Retries of a failed asynchronous invocation before the dead-letter queue. */
const REPORT_RETRY_ATTEMPTS = 2;
const DAY_SECONDS = 86_400;
/** CloudWatch: at most 5 actions per alarm state. */
const MAX_ALARM_ACTIONS = 5;

/** Props of `ReliabilityReport`. */
export interface ReliabilityReportProps {
  /**
   * The period each report covers, ending at the scheduled time: whole days, 1 to 90.
   * @default Duration.days(7)
   */
  readonly period?: Duration;

  /**
   * When the report runs (EventBridge Scheduler), e.g.
   * `ScheduleExpression.cron({ weekDay: 'MON', hour: '7', minute: '0', timeZone: TimeZone.EUROPE_BERLIN })`.
   * Give the time zone inside the expression; `timeZone` is for the default schedule only.
   * @default - weekly, Monday 07:00 in `timeZone`
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * The time zone of the default weekly schedule (Monday 07:00). Leave it out when `schedule` is given.
   * @default TimeZone.ETC_UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * Who receives the summary: email, SMS and Slack (AWS Chatbot) targets subscribe to the report's
   * topic; `Notify.topic` targets are published to; webhooks (`Notify.webhook`,
   * `Notify.webhookFromSecret`) receive `{ text, summary, period, stacks, report }` as JSON. To reach
   * the people who get an escalation policy's tickets, pass the same targets as its `tickets`.
   * PagerDuty targets are refused: a digest is not an incident.
   * @default - the report is archived only (a warning is emitted)
   */
  readonly targets?: INotifyTarget[];

  /**
   * The services reported on, all in this construct's stack.
   * @default - every ReliableService of the stack, including those added after this construct
   */
  readonly services?: ReliableService[];

  /**
   * How long archived reports (and their older versions) are kept: whole days, at least the period,
   * at most 3650 days.
   * @default Duration.days(400)
   */
  readonly retention?: Duration;

  /**
   * Retention of the report function's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The props with their defaults applied, after validation. */
interface Settings {
  readonly periodDays: number;
  readonly retentionDays: number;
  readonly schedule: scheduler.ScheduleExpression;
  readonly logRetention: logs.RetentionDays;
}

/**
 * A scheduled reliability digest: on a schedule (weekly by default), a function runs the period
 * report of `cdk-reliability review` on the stack's services from live data, archives it as HTML,
 * JSON and Markdown in an encrypted bucket, and sends the plain-language summary to the targets.
 *
 * ```ts
 * new ReliabilityReport(stack, 'WeeklyDigest', {
 *   targets: [Notify.email('sre-leads@example.com')],
 * });
 * ```
 */
export class ReliabilityReport extends Construct {
  /** The customer-managed key (rotation on) encrypting the bucket, the topic and the dead-letter queue. */
  public readonly key: kms.Key;
  /** The archive: `reports/<stack>/<yyyy-mm-dd>/report.{html,json,md}`, SSE-KMS, versioned, TLS only. */
  public readonly bucket: s3.Bucket;
  /** The function that builds, archives and sends the report. */
  public readonly reportFunction: lambda.Function;
  /**
   * The topic holding the email, SMS and Slack subscriptions of the targets; add your own.
   * @default - undefined when there are no targets
   */
  public readonly topic?: sns.Topic;
  /** The schedule that invokes the function. */
  public readonly schedule: scheduler.Schedule;
  /**
   * What the digest could not run or deliver: invocations that failed after their retries, schedule
   * invocations Scheduler could not deliver, email and SMS notifications SNS gave up on.
   */
  public readonly deadLetterQueue: sqs.Queue;
  /** Alarm: the report function failed (the report is then neither archived nor sent). */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Alarm: a target was not reached (log event `digest-delivery-failed`); the report is archived all the same. */
  public readonly deliveryFailuresAlarm: cloudwatch.Alarm;
  /** Alarm: a new message in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Where this stack's reports go in the bucket: `reports/<stack>/`. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: ReliabilityReportProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const settings = this.settle(props);
    this.keyPrefix = `reports/${stack.stackName}/`;

    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `cdk-reliability report of ${stack.stackName}: archive bucket, topic, dead-letter queue`,
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      // SNS redrives undeliverable email/SMS notifications to the encrypted dead-letter queue
      sid: 'AllowSnsToUseTheKeyForThisAccount',
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true, retentionPeriod: Duration.days(14),
    });
    this.bucket = this.createBucket(settings);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: settings.logRetention });
    const role = new iam.Role(this, 'Role', {
      description: `cdk-reliability report of ${stack.stackName}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const bound = this.bindTargets(props.targets);
    this.topic = bound.topic;

    this.reportFunction = new lambda.Function(this, 'Function', {
      description: `cdk-reliability: the scheduled reliability report of ${stack.stackName}`,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('report'),
      role,
      logGroup,
      // reads a period of metrics, alarm history, Logs Insights and FIS: minutes for many services
      timeout: Duration.minutes(10),
      memorySize: 512,
      reservedConcurrentExecutions: 1,
      retryAttempts: REPORT_RETRY_ATTEMPTS,
      onFailure: sendOnlyQueueDestination(this.deadLetterQueue),
    });
    const cfnFunction = this.reportFunction.node.defaultChild as lambda.CfnFunction;
    const environment: ReportEnvironment = {
      STACK_NAME: stack.stackName,
      MANIFEST_RESOURCE: stack.getLogicalId(cfnFunction),
      PERIOD_DAYS: String(settings.periodDays),
      BUCKET_NAME: this.bucket.bucketName,
      KEY_PREFIX: this.keyPrefix,
      // ARNs are deploy-time values: CloudFormation joins them into the JSON
      TARGETS: stack.toJsonString(bound.json),
    };
    for (const [name, value] of Object.entries(environment)) {
      this.reportFunction.addEnvironment(name, value);
    }
    // The manifest, built at synth like <stack>.reliability.json, in the function's own Metadata
    // (placeholders escaped, see escapePlaceholders): the function reads it back with
    // cloudformation:GetTemplate (no environment size limit).
    cfnFunction.addMetadata(MANIFEST_METADATA_KEY, Lazy.any({ produce: () => escapePlaceholders(buildManifest(stack, this.reportedServices(props.services))) }));

    const grants = this.grant(role, logGroup, bound.configs, props.services);
    this.schedule = this.createSchedule(settings);

    const alarms = this.createAlarms(logGroup);
    this.errorsAlarm = alarms.errors;
    this.deliveryFailuresAlarm = alarms.deliveryFailures;
    this.deadLetterAlarm = alarms.deadLetters;
    this.routeAlarms(role, [alarms.errors, alarms.deliveryFailures, alarms.deadLetters], bound.configs);

    suppressReportNagFindings({
      bucket: this.bucket,
      deadLetterQueue: this.deadLetterQueue,
      reportFunction: this.reportFunction,
      readPolicy: grants.readPolicy,
      role,
      schedulerRole: this.schedulerRole!,
      retryAttempts: REPORT_RETRY_ATTEMPTS,
      objectsArn: grants.objectsArn,
      logGroupsArn: grants.logGroupsArn,
      experimentsArn: grants.experimentsArn,
    });
    if (props.targets === undefined) {
      Annotations.of(this).addWarningV2('cdk-reliability:report-without-targets',
        `${this.node.path}: the reliability report has no targets: it is archived in ${this.node.path}/Bucket and sent to nobody. `
        + 'Pass targets (e.g. [Notify.email(\'sre-leads@example.com\')]).');
    }
  }

  private schedulerRole?: iam.Role;

  /** Applies the defaults and validates every prop at once. */
  private settle(props: ReliabilityReportProps): Settings {
    const problems: Problem[] = [];
    const add = (prop: string, message: string | undefined) => {
      if (message) {
        problems.push({ prop, message });
      }
    };
    const periodDays = this.wholeDays('period', props.period ?? DEFAULT_REPORT_PERIOD, 1, MAX_PERIOD_DAYS, add);
    const retentionDays = this.wholeDays('retention', props.retention ?? DEFAULT_REPORT_RETENTION, Math.max(periodDays ?? 1, 1), MAX_RETENTION_DAYS, add);
    if (props.schedule !== undefined && props.timeZone !== undefined) {
      add('timeZone', `applies to the default schedule only, got ${describeValue(props.timeZone.timezoneName)} with a schedule: `
        + 'give the time zone in the expression (ScheduleExpression.cron({ ..., timeZone })) and leave timeZone out');
    }
    if (props.schedule !== undefined && typeof props.schedule?.expressionString !== 'string') {
      add('schedule', `must be a ScheduleExpression (e.g. ScheduleExpression.cron({ weekDay: 'MON', hour: '7', minute: '0' })), got ${describeValue(props.schedule)}`);
    }
    if (props.targets !== undefined) {
      problems.push(...targetListProblems('targets', props.targets,
        'must name at least one target, or be left out (the report is then archived only), got []'));
    }
    if (props.services !== undefined) {
      problems.push(...this.serviceProblems(props.services));
    }
    if (props.logRetention !== undefined) {
      add('logRetention', logRetentionProblem(props.logRetention));
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }
    return {
      periodDays: periodDays!,
      retentionDays: retentionDays!,
      schedule: props.schedule ?? scheduler.ScheduleExpression.cron({
        weekDay: 'MON', hour: '7', minute: '0', timeZone: props.timeZone ?? TimeZone.ETC_UTC,
      }),
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    };
  }

  /** A Duration prop in whole days from `min` to `max`; adds a problem and returns undefined otherwise. */
  private wholeDays(prop: string, value: unknown, min: number, max: number, add: (prop: string, message: string | undefined) => void): number | undefined {
    const read = readDuration(value, { example: `Duration.days(${Math.max(min, 7)})`, concreteBecause: 'the schedule and the bucket\'s lifecycle are set at synth' });
    if (!read.ok) {
      add(prop, read.problem);
      return undefined;
    }
    const days = read.seconds / DAY_SECONDS;
    if (!Number.isInteger(days) || days < min || days > max) {
      add(prop, `must be a whole number of days from ${min} to ${max}${prop === 'retention' ? ' (at least the period)' : ''}, `
        + `got ${Number.isInteger(days) ? `${days} days` : `${read.seconds} seconds`}`);
      return undefined;
    }
    return days;
  }

  /** The `services` prop: ReliableServices of this construct's stack, each once. */
  private serviceProblems(services: unknown): Problem[] {
    if (!Array.isArray(services) || services.length === 0) {
      return [{ prop: 'services', message: `must list at least one ReliableService of this stack, or be left out (every service is reported), got ${describeValue(services)}` }];
    }
    const stack = Stack.of(this);
    return services.flatMap((service: unknown, i): Problem[] => {
      const s = service as Partial<ManifestService> | undefined;
      if (typeof s?.serviceName !== 'string' || s.node === undefined) {
        return [{ prop: `services[${i}]`, message: `must be a ReliableService, got ${describeValue(service)}` }];
      }
      if (Stack.of(s as ManifestService) !== stack) {
        return [{ prop: `services[${i}]`, message: `must be in the report's stack ${stack.node.path}, got ${s.node.path}: a report reads one stack's manifest; add a ReliabilityReport to that stack` }];
      }
      return services.indexOf(service) !== i ? [{ prop: `services[${i}]`, message: `lists ${s.serviceName} twice` }] : [];
    });
  }

  /** The services reported on, at synth: the ones given, else every service of the stack. */
  private reportedServices(services: ReliableService[] | undefined): ManifestService[] {
    const all = manifestServicesOf(Stack.of(this));
    return services === undefined ? all : all.filter((s) => services.includes(s as unknown as ReliableService));
  }

  /** The archive bucket: SSE-KMS with the key (S3 Bucket Key on), versioned, private, TLS only, expiring. */
  private createBucket(settings: Settings): s3.Bucket {
    return new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{
        id: 'ExpireReports',
        expiration: Duration.days(settings.retentionDays),
        noncurrentVersionExpiration: Duration.days(settings.retentionDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
  }

  /** Binds the targets to the report's topic: subscriptions, topics to publish to, webhooks. */
  private bindTargets(targets: INotifyTarget[] | undefined): {
    topic?: sns.Topic; configs: NotifyTargetConfig[]; json: DigestTargetsJson;
  } {
    if (targets === undefined) {
      return { configs: [], json: { publishTopicArns: [], webhooks: [] } };
    }
    const topic = new sns.Topic(this, 'Topic', {
      masterKey: this.key, enforceSSL: true, displayName: `${Stack.of(this).stackName} reliability report`.slice(0, 100),
    });
    const configs = targets.map((target, i) => {
      const config = target.bind(this, { topic, deadLetterQueue: this.deadLetterQueue, prop: 'targets' });
      const problem = typeof config?.kind !== 'string' ? `bind() must return a kind, got ${describeValue(config?.kind)}`
        : config.pagerDutyRoutingKeySecret !== undefined ? 'PagerDuty opens incidents: a digest is not one; use email, a topic, Slack or a webhook'
          : undefined;
      if (problem) {
        throw new Error(`${this.node.path}: targets[${i}]: ${problem}`);
      }
      if (config.subscription) {
        topic.addSubscription(config.subscription);
      }
      return config;
    });
    const subscribed = configs.some((c) => c.subscription !== undefined || c.receivesLevelTopic === true);
    const json: DigestTargetsJson = {
      ...(subscribed ? { topicArn: topic.topicArn } : {}),
      publishTopicArns: configs.flatMap((c) => (c.publishTopic ? [c.publishTopic.topicArn] : [])),
      webhooks: configs.flatMap((c): DigestWebhookJson[] => [
        ...(c.webhookUrl !== undefined ? [{ url: c.webhookUrl }] : []),
        ...(c.webhookUrlSecret ? [{ secretArn: c.webhookUrlSecret.secretArn }] : []),
      ]),
    };
    return { topic, configs, json };
  }

  /**
   * The function's permissions, least privilege: what the report engine reads (CloudWatch, Logs
   * Insights on the escalation log groups, FIS), its own template, the archive prefix, the key, and
   * the targets. Statements that need `*` sit in one policy of their own (`ReadPolicy`).
   */
  private grant(role: iam.Role, logGroup: logs.LogGroup, targets: NotifyTargetConfig[], services: ReliableService[] | undefined): {
    readPolicy: iam.Policy; objectsArn: string; logGroupsArn: string; experimentsArn: string;
  } {
    const stack = Stack.of(this);
    logGroup.grantWrite(role);
    const logGroupsArn = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const experimentsArn = stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' });
    const readPolicy = new iam.Policy(this, 'ReadPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadMetricsAndAlarmsNeedStar',
          // GetMetricData has no resource-level permissions; DescribeAlarms returns composite alarms
          // only when scoped to *; DescribeAlarmHistory is one paged scan of the account's composites
          actions: ['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ListExperimentsAndQueryResultsNeedStar',
          // list actions and GetQueryResults have no resource-level permissions
          actions: ['fis:ListExperiments', 'fis:ListExperimentTemplates', 'logs:GetQueryResults'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'FindTheEscalationLogGroups',
          // the engine finds a policy's log group by its metric filter, then reads its retention
          actions: ['logs:DescribeMetricFilters', 'logs:DescribeLogGroups'],
          resources: [logGroupsArn],
        }),
        new iam.PolicyStatement({ sid: 'ReadExperiments', actions: ['fis:GetExperiment'], resources: [experimentsArn] }),
      ],
    });
    // Logs Insights on exactly the escalation log groups of the reported services (known at synth,
    // when every service exists); the function's own group stands in when no service escalates,
    // as a statement needs a resource (the engine then starts no query).
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'QueryTheEscalationLogs',
      actions: ['logs:StartQuery'],
      resources: Lazy.list({ produce: () => this.escalationLogGroupArns(services, logGroup) }),
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadItsOwnTemplate',
      actions: ['cloudformation:GetTemplate'],
      // the stack's own id (AWS::StackId): this deployment of the stack, no other
      resources: [stack.stackId],
    }));
    const objectsArn = this.bucket.arnForObjects(`${this.keyPrefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ArchiveReports', actions: ['s3:PutObject'], resources: [objectsArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      // SSE-KMS objects (GenerateDataKey), and the encrypted topic (GenerateDataKey, Decrypt)
      sid: 'UseTheKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn],
    }));
    const publishTopics = [...(this.topic ? [this.topic] : []), ...targets.flatMap((t) => (t.publishTopic ? [t.publishTopic] : []))];
    if (publishTopics.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SendTheSummary', actions: ['sns:Publish'], resources: unique(publishTopics.map((t) => t.topicArn)) }));
    }
    const topicKeys = unique(publishTopics.filter((t) => t.masterKey && t.masterKey !== this.key).map((t) => t.masterKey!.keyArn));
    if (topicKeys.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'UseTheKeysOfTargetTopics', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: topicKeys }));
    }
    const secrets = targets.flatMap((t) => (t.webhookUrlSecret ? [t.webhookUrlSecret] : []));
    if (secrets.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadWebhookSecrets', actions: ['secretsmanager:GetSecretValue'], resources: unique(secrets.map(secretArnForPolicies)),
      }));
      const secretKeys = unique(secrets.filter((s) => s.encryptionKey).map((s) => s.encryptionKey!.keyArn));
      if (secretKeys.length > 0) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({
          sid: 'DecryptWebhookSecrets', actions: ['kms:Decrypt'], resources: secretKeys,
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
        }));
      }
    }
    // the first scheduled run may come before the policies exist otherwise
    this.reportFunction.node.defaultChild!.node.addDependency(readPolicy);
    return { readPolicy, objectsArn, logGroupsArn, experimentsArn };
  }

  /** The escalation functions' log groups of the reported services (duck-typed: `escalationFunction.logGroup`). */
  private escalationLogGroupArns(services: ReliableService[] | undefined, own: logs.ILogGroup): string[] {
    const groups = unique(this.reportedServices(services).flatMap((service) => {
      const policy = service.escalation as unknown as { escalationFunction?: { logGroup?: logs.ILogGroup } } | undefined;
      const group = policy?.escalationFunction?.logGroup;
      return group ? [group] : [];
    }));
    return (groups.length > 0 ? groups : [own]).map((g) => g.logGroupArn);
  }

  /** The weekly (or given) schedule, invoking the function with the scheduled time; failures to the dead-letter queue. */
  private createSchedule(settings: Settings): scheduler.Schedule {
    const stack = Stack.of(this);
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler invokes the reliability report of ${stack.stackName}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    });
    // Scheduler writes undeliverable invocations to the encrypted dead-letter queue as this role
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DeadLettersUseTheKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn],
    }));
    return new scheduler.Schedule(this, 'Schedule', {
      description: `cdk-reliability: the reliability report of ${stack.stackName}`,
      schedule: settings.schedule,
      target: new schedulerTargets.LambdaInvoke(this.reportFunction, {
        role: this.schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
  }

  /**
   * The digest's alarms notify its own topic (the targets' email, SMS and Slack subscriptions) and
   * the targets' topics directly over SNS, as the pager's alarms notify level 1: a digest that stops
   * arriving tells the people who expect it. Only the report function and these alarms publish to
   * the report's topic.
   */
  private routeAlarms(role: iam.IRole, alarms: cloudwatch.Alarm[], targets: NotifyTargetConfig[]): void {
    const topics: sns.ITopic[] = [...(this.topic ? [this.topic] : []), ...targets.flatMap((t) => (t.publishTopic ? [t.publishTopic] : []))];
    for (const alarm of alarms) {
      for (const topic of unique(topics).slice(0, MAX_ALARM_ACTIONS)) {
        alarm.addAlarmAction(new SnsAction(topic));
      }
    }
    if (!this.topic) {
      return;
    }
    const stack = Stack.of(this);
    const alarmArns = alarms.map((a) => a.alarmArn);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      // CloudWatch publishes the alarms to the encrypted topic (SNS Developer Guide, "Enable
      // compatibility between event sources from AWS services and encrypted topics")
      sid: 'AllowCloudWatchAlarmsOfThisAccountToUseTheKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheReportAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnEquals: { 'aws:SourceArn': alarmArns } },
    }));
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyPublishersOtherThanTheReportFunctionAndItsAlarms',
      effect: iam.Effect.DENY,
      principals: [new iam.StarPrincipal()],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn, 'aws:SourceArn': alarmArns } },
    }));
  }

  private createAlarms(logGroup: logs.LogGroup): { errors: cloudwatch.Alarm; deliveryFailures: cloudwatch.Alarm; deadLetters: cloudwatch.Alarm } {
    const stack = Stack.of(this).stackName;
    const alarm = (id: string, alarmDescription: string, metric: cloudwatch.IMetric) => new cloudwatch.Alarm(this, id, {
      alarmDescription,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const filter = new logs.MetricFilter(this, 'DeliveryFailures', {
      logGroup,
      filterPattern: logs.FilterPattern.literal(`{ $.event = "${REPORT_LOG_EVENTS.deliveryFailed}" }`),
      metricNamespace: 'cdk-reliability',
      metricName: `${stack}-${this.node.addr.slice(0, 8)}-ReportDeliveryFailures`,
      metricValue: '1',
    });
    return {
      errors: alarm('ErrorsAlarm',
        `Reliability report of ${stack}: the report function failed (it is retried ${REPORT_RETRY_ATTEMPTS} times, then the invocation lands in `
        + 'the dead-letter queue): this period\'s report may be neither archived nor sent. Read the function\'s logs.',
        this.reportFunction.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM })),
      deliveryFailures: alarm('DeliveryFailuresAlarm',
        `Reliability report of ${stack}: a target did not receive the summary (log event "${REPORT_LOG_EVENTS.deliveryFailed}" names which); `
        + 'the report is archived in the bucket all the same.',
        filter.metric({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM })),
      deadLetters: alarm('DeadLetterAlarm',
        `Reliability report of ${stack}: a message reached the dead-letter queue (a failed run after its retries, a schedule invocation `
        + 'Scheduler could not deliver, or an email/SMS SNS gave up on). Read the queued message (kept 14 days), then delete it.',
        this.deadLetterQueue.metricNumberOfMessagesSent({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM })),
    };
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
