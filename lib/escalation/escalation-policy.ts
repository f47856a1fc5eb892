import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { claimPhysicalName, environmentOf } from '../service/physical-names';
import { namePartProblem } from '../slo/names';
import { Problem } from '../slo/tiers';
import { formatProblems } from '../slo/validation';
import { suppressEscalationNagFindings } from './acknowledgements';
import { HANDLER_RUNTIME, handlerCode } from './lambda-code';
import { Notify, NotifyKind } from './notify';
import {
  estimatedEnvironmentBytes, LAMBDA_ENVIRONMENT_LIMIT_BYTES, levelProblems, logRetentionProblem, repeatProblem, reservedConcurrencyProblem,
  targetListProblems, tokenTtlProblem,
} from './validation';

/** Attempts of an asynchronous invocation after the first one fails, before the event goes to the dead-letter queue. */
export const ESCALATION_RETRY_ATTEMPTS = 2;
/** The acknowledge-link lifetime unless one is given. */
export const DEFAULT_ACKNOWLEDGE_LINK_TTL = Duration.days(1);
/** Reserved concurrency of the escalation function unless one is given. */
export const DEFAULT_RESERVED_CONCURRENCY = 10;
/** Reserved concurrency of the acknowledge function unless one is given. */
export const DEFAULT_ACKNOWLEDGE_RESERVED_CONCURRENCY = 20;
/** CloudWatch: at most 5 actions per alarm state. */
const MAX_ALARM_ACTIONS = 5;
/**
 * The alarms on the pager, `<policyName>-pager-<suffix>`: the only CloudWatch alarms allowed to
 * publish to the level-1 topic.
 */
const PAGER_ALARMS = {
  deadLetters: 'dead-letters',
  errors: 'errors',
  acknowledgeErrors: 'acknowledge-errors',
  deliveryFailures: 'delivery-failures',
  unverifiedAlarms: 'unverified-alarms',
} as const;

/** One level of an escalation chain. */
export interface EscalationLevel {
  /**
   * How long after the previous level was notified this level is notified, if nobody has
   * acknowledged and the alarm is still in ALARM: a whole number of minutes, 1 minute to 24 hours.
   * @default - level 1: at once (leave it out); required for every later level
   */
  readonly after?: Duration;

  /** Who this level notifies; at least one target, e.g. `[Notify.email('oncall@example.com')]`. */
  readonly notify: Notify[];
}

/** Props of `EscalationPolicy`. */
export interface EscalationPolicyProps {
  /**
   * The escalation chain: level 1 is notified when a page alarm fires; each later level `after`
   * the previous one, until someone acknowledges or the alarm recovers.
   */
  readonly levels: EscalationLevel[];

  /**
   * How many more times the whole chain runs after the first pass when nobody acknowledges
   * (PagerDuty's `num_loops`), 0 to 10. Each pass starts again at level 1, a delay after the last
   * level was notified (the escalation function's choice: the last level's delay).
   * @default 0 - the chain runs once
   */
  readonly repeat?: number;

  /**
   * Where ticket alarms go: notified once when a ticket alarm fires and once when it recovers,
   * never escalated.
   * @default - ticket alarms notify nobody (a warning is emitted)
   */
  readonly tickets?: Notify[];

  /**
   * Name of the policy: letters, digits, `-`, `_`, `.`, at most 64 characters. It starts the names
   * of the alarms on the pager itself (`<policyName>-pager-errors`) and appears in every message.
   * @default - the construct id
   */
  readonly policyName?: string;

  /**
   * How long an acknowledge link stays valid, 5 minutes to 7 days.
   * @default Duration.days(1)
   */
  readonly acknowledgeLinkTtl?: Duration;

  /**
   * Reserved concurrency of the escalation function: guarantees it can run while other functions
   * of the account exhaust the regional quota, and caps a storm of alarms.
   * @default 10
   */
  readonly reservedConcurrency?: number;

  /**
   * Reserved concurrency of the acknowledge function. Its URL is public (the token is the
   * credential): this caps what a flood of requests can cost, and a flood above it throttles real
   * acknowledgements too (escalation then simply continues). 20 serves ~200 requests a second.
   * @default 20
   */
  readonly acknowledgeReservedConcurrency?: number;

  /**
   * Retention of both functions' logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** An escalation chain as declared: what reports show, without addresses or secrets. */
export interface EscalationChain {
  /** Levels in order: seconds after the previous level (0 for level 1) and the kinds of their targets. */
  readonly levels: { readonly afterSeconds: number; readonly targets: NotifyKind[] }[];
  /** More passes of the chain after the first. */
  readonly repeat: number;
  /** Kinds of the ticket targets. */
  readonly tickets: NotifyKind[];
  /** Lifetime of acknowledge links, seconds. */
  readonly acknowledgeLinkTtlSeconds: number;
}

/** What `ReliableService` needs from an escalation policy. */
export interface IEscalationPolicy extends IConstruct {
  /** Name of the policy. */
  readonly policyName: string;
  /** The topic page composites notify (ALARM and OK actions). */
  readonly pageTopic: sns.ITopic;
  /** The topic ticket composites notify (ALARM and OK actions). */
  readonly ticketTopic: sns.ITopic;
  /**
   * Registers a composite alarm wired to this policy, by name, so that the escalation function may
   * read its tags. Names, not ARNs: a service in another stack then adds no reference back to it.
   */
  registerAlarm(alarmName: string): void;
}

/**
 * An escalation policy that many services share: levels of targets notified one after the other
 * until someone acknowledges, optional repeats, and ticket targets.
 *
 * ```ts
 * const onCall = new EscalationPolicy(stack, 'PaymentsOnCall', {
 *   levels: [
 *     { notify: [Notify.email('primary@example.com'), Notify.sms('+15555550100')] },
 *     { after: Duration.minutes(15), notify: [Notify.pagerDutyEventsV2(routingKeySecret)] },
 *   ],
 *   repeat: 1,
 *   tickets: [Notify.webhook('https://hooks.example.com/tickets')],
 * });
 * new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos, escalation: onCall });
 * ```
 */
export class EscalationPolicy extends Construct implements IEscalationPolicy {
  /** Whether `x` is an escalation policy (duck-typed, so that it works across copies of this library). */
  public static isEscalationPolicy(x: unknown): x is IEscalationPolicy {
    const candidate = x as Partial<IEscalationPolicy> | undefined;
    return typeof candidate === 'object' && candidate !== null && typeof candidate.registerAlarm === 'function'
      && typeof candidate.policyName === 'string' && candidate.pageTopic !== undefined && candidate.ticketTopic !== undefined;
  }

  public readonly policyName: string;
  /** The customer-managed key (rotation on) encrypting the topics, the queue, the table and the signing secret. */
  public readonly key: kms.Key;
  /** The topic page composites notify; the escalation function subscribes to it. */
  public readonly pageTopic: sns.Topic;
  /** The topic ticket composites notify; the escalation function subscribes to it. */
  public readonly ticketTopic: sns.Topic;
  /**
   * One topic per level, holding its email, SMS and Slack subscriptions; add your own
   * subscriptions to them as well. `levelTopics[0]` also receives the alarms on the pager itself.
   */
  public readonly levelTopics: sns.Topic[];
  /**
   * The topic holding the email, SMS and Slack subscriptions of the ticket targets.
   * @default - undefined when the policy has no ticket targets
   */
  public readonly ticketTargetsTopic?: sns.Topic;
  /** Incidents: one item per alarm, key `alarmName`, TTL attribute `expiresAt`. */
  public readonly table: dynamodb.Table;
  /**
   * What the pager could not handle or deliver: asynchronous invocations the escalation function
   * failed after its retries, timers EventBridge Scheduler could not deliver, page or ticket alarms
   * SNS could not hand to the function, and email or SMS notifications of levels after the first and
   * of the tickets that SNS gave up on. Each new message raises `deadLetterAlarm`.
   */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function that notifies, escalates and resolves. */
  public readonly escalationFunction: lambda.Function;
  /** The function behind the acknowledge links. */
  public readonly acknowledgeFunction: lambda.Function;
  /** The public URL of the acknowledge function (auth NONE: the signed token is the credential). */
  public readonly acknowledgeUrl: lambda.FunctionUrl;
  /** The HMAC key of acknowledge tokens, generated by Secrets Manager. */
  public readonly signingSecret: secretsmanager.Secret;
  /** The schedule group holding the one-time escalation timers. */
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke the escalation function. */
  public readonly schedulerRole: iam.Role;
  /** Alarm on the pager: events in the dead-letter queue. Notifies level 1 directly. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Alarm on the pager: errors of the escalation function. Notifies level 1 directly. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Alarm on the acknowledge URL's server errors (`<policyName>-pager-acknowledge-errors`), notifying level 1 directly. */
  public readonly acknowledgeErrorsAlarm: cloudwatch.Alarm;
  /** Alarm on notifications a target refused for good (`<policyName>-pager-delivery-failures`), notifying level 1 directly. */
  public readonly deliveryFailuresAlarm: cloudwatch.Alarm;
  /**
   * Alarm on alarm messages the escalation function refused because they do not come from a
   * composite alarm wired to this policy (`<policyName>-pager-unverified-alarms`), notifying level 1 directly.
   */
  public readonly unverifiedAlarmsAlarm: cloudwatch.Alarm;

  /** The chain as declared, for reports and the manifest: levels with their delays and target kinds. */
  public readonly chain: EscalationChain;

  private readonly escalationRole: iam.Role;
  /** Level 1's email and SMS subscriptions (no redrive policy, see subscribeTargets). */
  private readonly levelOneSubscriptions: sns.Subscription[] = [];
  private readonly registeredAlarms = new Set<string>();
  private alarmTagsStatement?: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: EscalationPolicyProps) {
    super(scope, id);
    const policyName = props?.policyName ?? id;
    const repeat = props?.repeat ?? 0;
    const tokenTtl = props?.acknowledgeLinkTtl ?? DEFAULT_ACKNOWLEDGE_LINK_TTL;
    const reservedConcurrency = props?.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY;
    const ackReservedConcurrency = props?.acknowledgeReservedConcurrency ?? DEFAULT_ACKNOWLEDGE_RESERVED_CONCURRENCY;
    validate(this.node.path, props, { policyName, repeat, tokenTtl, reservedConcurrency, ackReservedConcurrency });

    const holder = claimPhysicalName(this, 'escalation-policy', policyName);
    if (holder !== undefined) {
      throw new Error(`${this.node.path}: policyName '${policyName}' is already used by ${holder} in the same account and region `
        + `(${environmentOf(this)}); the names of the alarms on the pager would collide. Give each policy a unique policyName`);
    }
    this.policyName = policyName;
    this.chain = {
      levels: props.levels.map((level) => ({ afterSeconds: level.after?.toSeconds() ?? 0, targets: level.notify.map((n) => n.kind) })),
      repeat,
      tickets: (props.tickets ?? []).map((n) => n.kind),
      acknowledgeLinkTtlSeconds: tokenTtl.toSeconds(),
    };
    const stack = Stack.of(this);
    const levels = props.levels;
    const tickets = props.tickets;

    // --- encryption -------------------------------------------------------------------------
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `cdk-reliability escalation policy ${policyName}: topics, dead-letter queue, incidents table, signing secret`,
    });
    // CloudWatch publishes alarm notifications to the encrypted topics (page, ticket, level 1): the
    // service principal needs GenerateDataKey* and Decrypt in the key policy (SNS Developer Guide,
    // "Enable compatibility between event sources from AWS services and encrypted topics"). It is
    // narrowed as AWS's own examples narrow service publishers to encrypted topics: the publishing
    // resource (aws:SourceArn, an alarm of this account and region; aws:SourceAccount) and the SNS
    // encryption context (kms:EncryptionContext:aws:sns:topicArn, topics of this account and
    // region: the topics themselves cannot be named, the key policy is part of the key they use).
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccountToUseTheKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': alarmArnPattern(stack, '*') },
        StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({ service: 'sns', resource: '*' }) },
      },
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowSnsToUseTheKeyForThisAccount',
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));

    // --- dead letters: whatever the pager could not handle or deliver ------------------------
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // --- topics -----------------------------------------------------------------------------
    this.pageTopic = this.encryptedTopic('PageTopic', `${policyName} page alarms`);
    this.ticketTopic = this.encryptedTopic('TicketTopic', `${policyName} ticket alarms`);
    this.levelTopics = levels.map((level, i) => {
      const topic = this.encryptedTopic(`Level${i + 1}Topic`, `${policyName} level ${i + 1}`);
      this.subscribeTargets(topic, level.notify, `levels[${i}].notify`, i === 0 ? undefined : this.deadLetterQueue);
      return topic;
    });
    if (tickets !== undefined) {
      this.ticketTargetsTopic = this.encryptedTopic('TicketTargetsTopic', `${policyName} tickets`);
      this.subscribeTargets(this.ticketTargetsTopic, tickets, 'tickets', this.deadLetterQueue);
    }
    // Only CloudWatch alarms of this account publish to the page and ticket topics.
    for (const topic of [this.pageTopic, this.ticketTopic]) {
      onlyCloudWatchAlarmsPublish(topic);
    }

    // --- state, timers, secrets -------------------------------------------------------------
    this.table = new dynamodb.Table(this, 'Incidents', {
      partitionKey: { name: 'alarmName', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
      description: `cdk-reliability escalation policy ${policyName}: HMAC key of acknowledge links`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Timers', {
      // Timers are worthless without the stack; a retained group would also block a redeploy under the same name.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler invokes the escalation function of ${policyName}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
        },
      }),
    });

    // --- functions --------------------------------------------------------------------------
    // The escalation function gets a known name so that the acknowledge function can refer to it
    // without a reference: escalation -> ACK_URL -> acknowledge -> escalation would be a cycle.
    const escalationFunctionName = `${Names.uniqueResourceName(this, { maxLength: 64 - '-escalation'.length })}-escalation`;
    const escalationFunctionArn = stack.formatArn({
      service: 'lambda', resource: 'function', resourceName: escalationFunctionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    const ackRole = new iam.Role(this, 'AcknowledgeRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const ackLogs = new logs.LogGroup(this, 'AcknowledgeLogs', { retention: logRetention });
    this.acknowledgeFunction = new lambda.Function(this, 'AcknowledgeFunction', {
      description: `cdk-reliability escalation policy ${policyName}: acknowledge links`,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('acknowledge'),
      role: ackRole,
      logGroup: ackLogs,
      timeout: Duration.seconds(10),
      memorySize: 256,
      reservedConcurrentExecutions: ackReservedConcurrency,
      environment: {
        POLICY_NAME: policyName,
        TABLE_NAME: this.table.tableName,
        SIGNING_SECRET_ARN: this.signingSecret.secretArn,
        ESCALATION_FUNCTION_NAME: escalationFunctionName,
      },
    });
    this.acknowledgeUrl = this.acknowledgeFunction.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    const environment: Record<string, string> = {
      POLICY_NAME: policyName,
      TABLE_NAME: this.table.tableName,
      SCHEDULE_GROUP: this.scheduleGroup.scheduleGroupName,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      // a timer Scheduler cannot deliver lands in the same dead-letter queue, watched by the pager alarm
      SCHEDULER_DLQ_ARN: this.deadLetterQueue.queueArn,
      SIGNING_SECRET_ARN: this.signingSecret.secretArn,
      ACK_URL: this.acknowledgeUrl.url,
      REPEAT: String(repeat),
      TOKEN_TTL_SECONDS: String(tokenTtl.toSeconds()),
      PAGE_TOPIC_ARN: this.pageTopic.topicArn,
      TICKET_TOPIC_ARN: this.ticketTopic.topicArn,
      LEVELS: JSON.stringify(levels.map((level, i) => targetSet(level.notify, this.levelTopics[i], i === 0 ? 0 : level.after!.toSeconds()))),
      TICKETS: tickets !== undefined ? JSON.stringify(targetSet(tickets, this.ticketTargetsTopic)) : 'null',
    };
    const envBytes = estimatedEnvironmentBytes(stack.resolve(environment));
    if (envBytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      throw new Error(`${this.node.path}: levels: escalation policy '${policyName}' has too many targets for its function's environment: `
        + `about ${envBytes} bytes (estimated, with deploy-time ARNs counted at their typical length), over Lambda's limit of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes. `
        + 'Use fewer levels or targets (e.g. one topic with many subscribers instead of many targets), or split the policy');
    }

    this.escalationRole = new iam.Role(this, 'EscalationRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const escalationLogs = new logs.LogGroup(this, 'EscalationLogs', { retention: logRetention });
    this.escalationFunction = new lambda.Function(this, 'EscalationFunction', {
      functionName: escalationFunctionName,
      description: `cdk-reliability escalation policy ${policyName}: notifies, escalates and resolves`,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('escalation'),
      role: this.escalationRole,
      logGroup: escalationLogs,
      timeout: Duration.seconds(60),
      memorySize: 256,
      reservedConcurrentExecutions: reservedConcurrency,
      retryAttempts: ESCALATION_RETRY_ATTEMPTS,
      onFailure: sendOnlyQueueDestination(this.deadLetterQueue),
      environment,
    });
    // An alarm SNS cannot hand to the function (deleted, permission or key trouble) lands in the
    // dead-letter queue, whose alarm notifies level 1 over the level topic, not through this path.
    this.pageTopic.addSubscription(new subscriptions.LambdaSubscription(this.escalationFunction, { deadLetterQueue: this.deadLetterQueue }));
    this.ticketTopic.addSubscription(new subscriptions.LambdaSubscription(this.escalationFunction, { deadLetterQueue: this.deadLetterQueue }));

    // --- least privilege --------------------------------------------------------------------
    const describeAlarmsPolicy = this.grantEscalation(escalationLogs, levels, tickets);
    grantAcknowledge(ackRole, ackLogs, this.table, this.signingSecret, this.key, escalationFunctionArn);
    // The level and ticket-target topics take messages from the escalation function only, and
    // level 1 also from the alarms on the pager.
    const pagerAlarmArns = Object.values(PAGER_ALARMS).map((suffix) => alarmArnPattern(stack, `${policyName}-pager-${suffix}`));
    this.levelTopics.forEach((topic, i) => onlyThesePublish(topic, this.escalationRole, i === 0 ? pagerAlarmArns : []));
    if (this.ticketTargetsTopic) {
      onlyThesePublish(this.ticketTargetsTopic, this.escalationRole, []);
    }
    // The HMAC key of acknowledge links: no principal but the two functions may read it, whatever
    // its IAM policies grant (an explicit deny in the secret's resource policy wins). Deploying,
    // changing or deleting the secret and its policy stay with IAM.
    this.signingSecret.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheEscalationAndAcknowledgeFunctionsReadIt',
      effect: iam.Effect.DENY,
      principals: [new iam.StarPrincipal()],
      actions: ['secretsmanager:GetSecretValue'],
      resources: ['*'],
      // aws:PrincipalArn of a role session is the role's ARN (IAM global condition keys); an ARN
      // condition, unlike a role in Principal, survives the role being replaced.
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': [this.escalationRole.roleArn, ackRole.roleArn] } },
    }));
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'InvokeTheEscalationFunction',
      actions: ['lambda:InvokeFunction'],
      // timers target the ARN the function was invoked as, which carries a qualifier through an alias
      resources: [this.escalationFunction.functionArn, `${this.escalationFunction.functionArn}:*`],
    }));
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DeadLetterUndeliverableTimers',
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
    }));
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'EncryptDeadLetters',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [this.key.keyArn],
    }));

    // --- alarms on the pager: they notify level 1 over SNS, never through the pager itself -----
    const levelOneTopics: sns.ITopic[] = [this.levelTopics[0],
      ...levels[0].notify.filter((t) => t.kind === NotifyKind.TOPIC).map((t) => t.topic!)].slice(0, MAX_ALARM_ACTIONS);
    // New arrivals, not the queue's depth: an alarm on depth would stay in ALARM until someone
    // purges the queue, and every later dead letter would then notify nobody.
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${policyName}-pager-${PAGER_ALARMS.deadLetters}`,
      alarmDescription: `Escalation policy ${policyName}: an event reached the escalation dead-letter queue: the function gave up on it after `
        + `${ESCALATION_RETRY_ATTEMPTS} retries, EventBridge Scheduler could not deliver a timer, SNS could not hand an alarm to the function, or SNS gave up `
        + 'on an email or SMS of a later level or of the tickets. A page, escalation step, recovery or '
        + 'acknowledgement may not have been delivered. Check the open incidents by hand, read the function\'s logs and the queued event '
        + '(kept 14 days), then delete it.',
      metric: this.deadLetterQueue.metricNumberOfMessagesSent({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // 5-minute periods: a function that keeps failing stays in ALARM instead of sending level 1 a
    // burst of ALARM/OK notices.
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmName: `${policyName}-pager-${PAGER_ALARMS.errors}`,
      alarmDescription: `Escalation policy ${policyName}: the escalation function failed. Failed events are retried ${ESCALATION_RETRY_ATTEMPTS} times, `
        + 'then land in the dead-letter queue; pages may be late or missing until this clears. Read the function\'s logs.',
      metric: this.escalationFunction.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // The acknowledge function answers every failure with a 500 page, so its Errors metric stays at
    // 0: watch the URL's 5xx responses instead.
    this.acknowledgeErrorsAlarm = new cloudwatch.Alarm(this, 'AcknowledgeErrorsAlarm', {
      alarmName: `${policyName}-pager-${PAGER_ALARMS.acknowledgeErrors}`,
      alarmDescription: `Escalation policy ${policyName}: the acknowledge links answered with server errors, so people may be unable to acknowledge `
        + 'and escalation continues. Read the acknowledge function\'s logs.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Url5xxCount',
        dimensionsMap: { FunctionName: this.acknowledgeFunction.functionName },
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // A target that refuses a notification for good (a webhook's 4xx, a wrong PagerDuty routing
    // key) is not retried and does not fail the invocation; the function logs it, and this alarm
    // tells level 1 that someone was not reached.
    const deliveryFailures = new logs.MetricFilter(this, 'DeliveryFailures', {
      logGroup: escalationLogs,
      filterPattern: logs.FilterPattern.literal('{ ($.event = "delivery-failed") && ($.retryable IS FALSE) }'),
      metricNamespace: 'cdk-reliability',
      metricName: `${policyName}-DeliveryFailures`,
      metricValue: '1',
    });
    this.deliveryFailuresAlarm = new cloudwatch.Alarm(this, 'DeliveryFailuresAlarm', {
      alarmName: `${policyName}-pager-${PAGER_ALARMS.deliveryFailures}`,
      alarmDescription: `Escalation policy ${policyName}: a target refused a notification for good (e.g. a webhook answered 4xx, a PagerDuty `
        + 'routing key is wrong or still the placeholder), so someone was not reached. The function\'s logs say which target kind '
        + '(event "delivery-failed").',
      metric: deliveryFailures.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // An SNS alarm message the escalation function refused (alarm/verify.ts): someone or something
    // published to the page or ticket topic for an alarm that does not exist or is not wired to
    // this policy. Nobody was paged for it; level 1 is told that it happened.
    const unverified = new logs.MetricFilter(this, 'UnverifiedAlarmMessages', {
      logGroup: escalationLogs,
      filterPattern: logs.FilterPattern.literal('{ $.event = "unverified-alarm" }'),
      metricNamespace: 'cdk-reliability',
      metricName: `${policyName}-UnverifiedAlarmMessages`,
      metricValue: '1',
    });
    this.unverifiedAlarmsAlarm = new cloudwatch.Alarm(this, 'UnverifiedAlarmsAlarm', {
      alarmName: `${policyName}-pager-${PAGER_ALARMS.unverifiedAlarms}`,
      alarmDescription: `Escalation policy ${policyName}: the escalation function refused an alarm message on its page or ticket topic: the alarm it `
        + 'names does not exist, is not a composite alarm, or is not wired to this policy (a forged or misrouted message). Nobody was notified '
        + 'for it. The function\'s logs (event "unverified-alarm") say which alarm and why; CloudTrail says who published.',
      metric: unverified.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.deadLetterAlarm, this.errorsAlarm, this.acknowledgeErrorsAlarm, this.deliveryFailuresAlarm, this.unverifiedAlarmsAlarm]) {
      for (const topic of levelOneTopics) {
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
      }
    }
    if (!levels[0].notify.some((t) => SUBSCRIBED_KINDS.has(t.kind) || t.kind === NotifyKind.TOPIC)) {
      Annotations.of(this).addWarningV2('cdk-reliability:pager-alarms-unrouted',
        `${this.node.path}: level 1 of escalation policy '${policyName}' has no email, SMS, Slack or topic target, so the alarms on the pager itself `
        + `(${Object.values(PAGER_ALARMS).map((suffix) => `${policyName}-pager-${suffix}`).join(', ')}) reach nobody: they notify over SNS directly, not through the escalation function `
        + 'that calls webhooks and PagerDuty. Add such a target to level 1, or subscribe levelTopics[0] yourself.');
    }
    suppressEscalationNagFindings({
      policyName,
      deadLetterQueue: this.deadLetterQueue,
      signingSecret: this.signingSecret,
      escalationFunction: this.escalationFunction,
      acknowledgeFunction: this.acknowledgeFunction,
      escalationRole: this.escalationRole,
      timersArn: this.timersArn(),
      describeAlarmsPolicy,
      schedulerRole: this.schedulerRole,
      levelOneSubscriptions: this.levelOneSubscriptions,
      retryAttempts: ESCALATION_RETRY_ATTEMPTS,
    });
    if (tickets === undefined) {
      Annotations.of(this).addWarningV2('cdk-reliability:no-ticket-targets',
        `${this.node.path}: escalation policy '${policyName}' has no tickets: the ticket alarms of its services notify nobody. `
        + 'Pass tickets (e.g. [Notify.webhook(\'https://…\')]), or turn tickets off in the services\' alert policies.');
    }
  }

  public registerAlarm(alarmName: string): void {
    if (this.registeredAlarms.has(alarmName)) {
      return;
    }
    this.registeredAlarms.add(alarmName);
    const arn = Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    if (!this.alarmTagsStatement) {
      // ListTagsForResource supports resource-level permissions (resource type `alarm`): exactly the composites wired here.
      this.alarmTagsStatement = new iam.PolicyStatement({ sid: 'ReadTheTagsOfItsAlarms', actions: ['cloudwatch:ListTagsForResource'], resources: [arn] });
      this.escalationRole.addToPrincipalPolicy(this.alarmTagsStatement);
    } else {
      this.alarmTagsStatement.addResources(arn);
    }
  }

  /** The names of the composite alarms wired to this policy. */
  public get alarmNames(): string[] {
    return [...this.registeredAlarms];
  }

  private encryptedTopic(id: string, displayName: string): sns.Topic {
    return new sns.Topic(this, id, { masterKey: this.key, enforceSSL: true, displayName: displayName.slice(0, 100) });
  }

  /**
   * Email, SMS and Slack targets subscribe to the topic; the others are called by the escalation
   * function. Email and SMS deliveries SNS gives up on go to `deadLetterQueue` (levels after the
   * first, tickets), whose alarm tells level 1 that someone was not reached. Level 1 has none: that
   * alarm notifies level 1 through these very subscriptions, so a dead address would loop.
   */
  private subscribeTargets(topic: sns.Topic, targets: Notify[], prop: string, deadLetterQueue?: sqs.IQueue): void {
    const subscribe = (subscription: sns.ITopicSubscription) => {
      const added = topic.addSubscription(subscription);
      if (!deadLetterQueue) {
        this.levelOneSubscriptions.push(added);
      }
    };
    for (const target of targets) {
      switch (target.kind) {
        case NotifyKind.EMAIL:
          subscribe(new subscriptions.EmailSubscription(target.address!, { deadLetterQueue }));
          break;
        case NotifyKind.SMS:
          subscribe(new subscriptions.SmsSubscription(target.address!, { deadLetterQueue }));
          break;
        case NotifyKind.SLACK:
          if (target.slackChannel instanceof SlackChannelConfiguration) {
            target.slackChannel.addNotificationTopic(topic);
          } else {
            Annotations.of(this).addWarningV2('cdk-reliability:slack-topic-not-subscribed',
              `${this.node.path}: ${prop}: the Slack channel configuration is imported, so its notification topics cannot be changed from here: `
              + `add this policy's topic (${topic.node.path}) to the configuration's SNS topics yourself, or the channel gets nothing.`);
          }
          break;
        case NotifyKind.WEBHOOK:
          if (target.url !== undefined && !Token.isUnresolved(target.url) && looksLikeItEmbedsACredential(target.url)) {
            Annotations.of(this).addWarningV2('cdk-reliability:webhook-url-in-template',
              `${this.node.path}: ${prop}: the webhook URL ${new URL(target.url).host}/… looks like it embeds a credential (a Slack webhook or a query string); `
              + 'inline URLs are stored in the template and the function\'s environment. Keep it in Secrets Manager and use Notify.webhookFromSecret(secret).');
          }
          break;
        default:
          break;
      }
    }
  }

  /** The schedules of this policy's timers: `schedule/<group>/*`. */
  private timersArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler', resource: 'schedule', resourceName: `${this.scheduleGroup.scheduleGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** The escalation function's permissions; returns the policy holding the one statement on `*`. */
  private grantEscalation(logGroup: logs.LogGroup, levels: EscalationLevel[], tickets: Notify[] | undefined): iam.Policy {
    const role = this.escalationRole;
    const stack = Stack.of(this);
    const targets = [...levels.flatMap((l) => l.notify), ...(tickets ?? [])];
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'Incidents',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [this.table.tableArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'Timers',
      actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
      resources: [this.timersArn()],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PassTheSchedulerRole',
      actions: ['iam:PassRole'],
      resources: [this.schedulerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }));
    // DescribeAlarms on composite alarms needs Resource "*": CloudWatch returns composite alarms only
    // to callers whose cloudwatch:DescribeAlarms permission is scoped to * (CloudWatch permissions
    // reference and DescribeAlarms API reference). It is read-only and returns alarm configuration
    // and state, no data. It is a policy of its own, so that cdk-nag's acknowledgement of `*`
    // covers this statement only, never one added to the role later.
    const describeAlarmsPolicy = new iam.Policy(this, 'DescribeAlarmsPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({
        sid: 'ReadAlarmStateCompositeAlarmsNeedStar',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: ['*'],
      })],
    });
    // The function's first event may come before the policy exists otherwise.
    this.escalationFunction.node.defaultChild!.node.addDependency(describeAlarmsPolicy);
    const userTopics = targets.filter((t) => t.kind === NotifyKind.TOPIC).map((t) => t.topic!);
    const publishTopics: sns.ITopic[] = [...this.levelTopics, ...(this.ticketTargetsTopic ? [this.ticketTargetsTopic] : []), ...userTopics];
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'Notify',
      actions: ['sns:Publish'],
      resources: unique(publishTopics.map((t) => t.topicArn)),
    }));
    const secrets = [this.signingSecret, ...targets.filter((t) => t.secret !== undefined).map((t) => t.secret!)];
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: unique(secrets.map(secretArnForPolicies)),
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'UseTheKey',
      // topics and the dead-letter queue (GenerateDataKey, Decrypt), the table (DescribeKey, Decrypt)
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [this.key.keyArn],
    }));
    // Keys of the user's own topics and secrets, when they have one: identity statements, so that
    // the user's key policies are left alone (keys delegating to IAM, as CDK's do, honour them).
    const topicKeys = unique(userTopics.filter((t) => t.masterKey && t.masterKey !== this.key).map((t) => t.masterKey!.keyArn));
    if (topicKeys.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'UseTheKeysOfTargetTopics', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: topicKeys,
      }));
    }
    const secretKeys = unique(secrets.filter((s) => s.encryptionKey && s.encryptionKey !== this.key).map((s) => s.encryptionKey!.keyArn));
    if (secretKeys.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'DecryptTargetSecrets',
        actions: ['kms:Decrypt'],
        resources: secretKeys,
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }));
    }
    return describeAlarmsPolicy;
  }
}

/** Kinds that are subscriptions of a level's topic. */
const SUBSCRIBED_KINDS = new Set<NotifyKind>([NotifyKind.EMAIL, NotifyKind.SMS, NotifyKind.SLACK]);

/** Validates every prop at once; throws one error listing all problems. */
function validate(path: string, props: EscalationPolicyProps, resolved: {
  policyName: unknown; repeat: unknown; tokenTtl: unknown; reservedConcurrency: unknown; ackReservedConcurrency: unknown;
}): void {
  const problems: Problem[] = [];
  const add = (prop: string, message: string | undefined) => {
    if (message) {
      problems.push({ prop, message });
    }
  };
  const nameProblem = namePartProblem(resolved.policyName);
  add('policyName', nameProblem && props?.policyName === undefined ? `${nameProblem} (it defaults to the construct id; pass policyName)` : nameProblem);
  problems.push(...levelProblems(props?.levels));
  add('repeat', repeatProblem(resolved.repeat));
  if (props?.tickets !== undefined) {
    problems.push(...targetListProblems('tickets', props.tickets, 'must name at least one target, or be left out (ticket alarms then notify nobody), got []'));
  }
  add('acknowledgeLinkTtl', tokenTtlProblem(resolved.tokenTtl));
  add('reservedConcurrency', reservedConcurrencyProblem(resolved.reservedConcurrency));
  add('acknowledgeReservedConcurrency', reservedConcurrencyProblem(resolved.ackReservedConcurrency));
  if (props?.logRetention !== undefined) {
    add('logRetention', logRetentionProblem(props.logRetention));
  }
  if (problems.length > 0) {
    throw new Error(formatProblems(path, problems));
  }
}

/** The JSON the escalation function reads for one level or for the tickets (see lambdas/README.md). */
function targetSet(targets: Notify[], topic: sns.ITopic | undefined, afterSeconds?: number): Record<string, unknown> {
  const kinds: string[] = [];
  for (const t of targets) {
    if (!kinds.includes(t.kind)) {
      kinds.push(t.kind);
    }
  }
  return {
    ...(afterSeconds !== undefined ? { afterSeconds } : {}),
    ...(topic ? { topicArn: topic.topicArn } : {}),
    publishTopicArns: targets.filter((t) => t.kind === NotifyKind.TOPIC).map((t) => t.topic!.topicArn),
    webhooks: targets.filter((t) => t.kind === NotifyKind.WEBHOOK).map((t) => (t.url !== undefined ? { url: t.url } : { secretArn: t.secret!.secretArn })),
    pagerDuty: targets.filter((t) => t.kind === NotifyKind.PAGERDUTY).map((t) => ({ secretArn: t.secret!.secretArn })),
    kinds,
  };
}

/** `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>` (a name or a `*` pattern). */
function alarmArnPattern(stack: Stack, name: string): string {
  return stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * The page and ticket topics: only CloudWatch alarms of this account and region publish. A topic
 * policy replaces SNS's default one, so CloudWatch's service principal is allowed explicitly; and
 * since a principal of the account allowed sns:Publish by IAM needs no topic policy at all, every
 * other publisher is denied explicitly. A request is denied unless its aws:SourceArn is an alarm of
 * this account and region and its aws:SourceAccount this account: both keys are set only when an
 * AWS service calls on behalf of its own resource (IAM global condition keys), here CloudWatch for
 * the alarm whose action runs. An IAM user or role has neither key, and a negated condition on a
 * missing key matches (IAM condition operators), so it is denied. Only sns:Publish is denied:
 * managing the topic stays with IAM.
 */
function onlyCloudWatchAlarmsPublish(topic: sns.Topic): void {
  const stack = Stack.of(topic);
  const anyAlarm = alarmArnPattern(stack, '*');
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccount',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': anyAlarm },
    },
  }));
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyPublishersOtherThanAlarmsOfThisAccount',
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnNotLike: { 'aws:SourceArn': anyAlarm } },
  }));
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyPublishersOnBehalfOfOtherAccounts',
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringNotEquals: { 'aws:SourceAccount': stack.account } },
  }));
}

/**
 * A level or ticket-target topic: only the escalation function's role publishes, and the given
 * CloudWatch alarms (the alarms on the pager, for level 1). Denied: every request whose
 * aws:PrincipalArn (for a role session, the role's ARN) is not the role and whose aws:SourceArn is
 * not one of the alarms. Subscriptions added by the user still receive; a user who publishes to a
 * level topic by hand must add a statement of their own (deny wins, so remove this one).
 */
function onlyThesePublish(topic: sns.Topic, role: iam.IRole, alarmArns: string[]): void {
  if (alarmArns.length > 0) {
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheAlarmsOnThePager',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(topic).account },
        ArnLike: { 'aws:SourceArn': alarmArns },
      },
    }));
  }
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: alarmArns.length > 0 ? 'DenyPublishersOtherThanTheEscalationFunctionAndThePagerAlarms' : 'DenyPublishersOtherThanTheEscalationFunction',
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      ArnNotEquals: { 'aws:PrincipalArn': role.roleArn },
      ...(alarmArns.length > 0 ? { ArnNotLike: { 'aws:SourceArn': alarmArns } } : {}),
    },
  }));
}

/** The acknowledge function's permissions: the contract's list and its own logs. */
function grantAcknowledge(role: iam.Role, logGroup: logs.LogGroup, table: dynamodb.Table, signingSecret: secretsmanager.Secret,
  key: kms.Key, escalationFunctionArn: string): void {
  logGroup.grantWrite(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'Incidents', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [table.tableArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadTheSigningSecret', actions: ['secretsmanager:GetSecretValue'], resources: [secretArnForPolicies(signingSecret)],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'TellTheEscalationFunction', actions: ['lambda:InvokeFunction'], resources: [escalationFunctionArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    // reading and updating items of a table encrypted with a customer-managed key
    sid: 'UseTheKey', actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], resources: [key.keyArn],
  }));
}

/**
 * The on-failure destination of asynchronous invocations: the queue, with `sqs:SendMessage` only
 * (`SqsDestination` would also grant GetQueueAttributes, GetQueueUrl and kms:Encrypt/ReEncrypt).
 * The key is covered by the function's kms:GenerateDataKey/Decrypt.
 */
function sendOnlyQueueDestination(queue: sqs.IQueue): lambda.IDestination {
  return {
    bind: (_scope: Construct, fn: lambda.IFunction) => {
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      return { destination: queue.queueArn };
    },
  };
}

/** The ARN to grant on: the full ARN when known, else the partial ARN with Secrets Manager's 6-character suffix. */
function secretArnForPolicies(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Slack incoming webhooks and URLs with a query string usually carry a token. */
function looksLikeItEmbedsACredential(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.hostname === 'hooks.slack.com' || parsed.search !== '' || parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
