import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
import {
  AcknowledgeEnvironment, EscalationEnvironment, LOG_EVENTS, levelsVariable, PAGER_ALARMS, pagerAlarmName, PagerAlarmSpec, TargetSetJson,
  ticketsVariable, variablesOf, WebhookJson,
} from '../../lambdas/shared/contract';
import { describeValue } from '../private/describe';
import { claimPhysicalName, environmentOf } from '../service/physical-names';
import { namePartProblem } from '../slo/names';
import { suppressEscalationNagFindings } from './nag-suppressions';
import { HANDLER_RUNTIME, handlerCode } from './lambda-code';
import { INotifyTarget, NotifyTargetConfig } from './notify-target';
import {
  estimatedEnvironmentBytes, LAMBDA_ENVIRONMENT_LIMIT_BYTES, levelProblems, logRetentionProblem, repeatAfterProblem, repeatProblem,
  reservedConcurrencyProblem, targetListProblems, tokenTtlProblem,
} from './validation';
import { formatProblems, Problem } from '../private/problems';

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
/** What `bind` may return as a target's kind: it reaches the manifest, the reports and the function's environment. */
const TARGET_KIND = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** One level of an escalation chain. */
export interface EscalationLevel {
  /**
   * How long after the previous level was notified this level is notified, if nobody has
   * acknowledged and the alarm is still in ALARM: a whole number of minutes, 1 minute to 24 hours.
   * @default - level 1: at once (leave it out); required for every later level
   */
  readonly after?: Duration;

  /** Who this level notifies; at least one target, e.g. `[Notify.email('oncall@example.com')]`. */
  readonly notify: INotifyTarget[];
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
   * (PagerDuty's `num_loops`), 0 to 10. Each pass starts again at level 1, `repeatAfter` after the
   * last level was notified.
   * @default 0 - the chain runs once
   */
  readonly repeat?: number;

  /**
   * How long after the last level was notified the next pass starts again at level 1; after the
   * last pass, how long before the incident is declared exhausted (and every target reached is
   * told that nobody answered). A whole number of minutes, 1 minute to 24 hours.
   * @default - the last level's `after`; 15 minutes when the chain has one level
   */
  readonly repeatAfter?: Duration;

  /**
   * Where ticket alarms go: notified once when a ticket alarm fires and once when it recovers,
   * never escalated.
   * @default - ticket alarms notify nobody (a warning is emitted)
   */
  readonly tickets?: INotifyTarget[];

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

/** One level of an escalation chain as declared, without addresses or secrets. */
export interface EscalationChainLevel {
  /** Seconds after the previous level was notified (0 for level 1). */
  readonly afterSeconds: number;
  /** The kinds of its targets, one per target in the order declared (`email`, `sms`, `slack`, `topic`, `webhook`, `pagerduty`, …). */
  readonly targets: string[];
}

/** An escalation chain as declared: what reports show, without addresses or secrets. */
export interface EscalationChain {
  /** Levels in order. */
  readonly levels: EscalationChainLevel[];
  /** More passes of the chain after the first. */
  readonly repeat: number;
  /** Kinds of the ticket targets, one per target. */
  readonly tickets: string[];
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

/** The props with their defaults applied, after validation. */
interface Settings {
  readonly policyName: string;
  readonly repeat: number;
  readonly repeatAfter?: Duration;
  readonly tokenTtl: Duration;
  readonly reservedConcurrency: number;
  readonly ackReservedConcurrency: number;
  readonly logRetention: logs.RetentionDays;
}

/** The topics of a policy and the targets bound to them. */
interface PolicyTopics {
  readonly page: sns.Topic;
  readonly ticket: sns.Topic;
  readonly levels: sns.Topic[];
  /** What each level's targets need, level by level. */
  readonly levelTargets: NotifyTargetConfig[][];
  readonly ticketTargets?: { readonly topic: sns.Topic; readonly targets: NotifyTargetConfig[] };
}

/** The two functions and what their permissions are granted on. */
interface PolicyFunctions {
  readonly acknowledgeFunction: lambda.Function;
  readonly acknowledgeUrl: lambda.FunctionUrl;
  readonly acknowledgeRole: iam.Role;
  readonly acknowledgeLogs: logs.LogGroup;
  /** Its name is known at synth: the acknowledge function refers to it without a reference. */
  readonly escalationFunctionArn: string;
  readonly escalationFunction: lambda.Function;
  readonly escalationRole: iam.Role;
  readonly escalationLogs: logs.LogGroup;
}

/** The alarms on the pager. */
interface PagerAlarms {
  readonly deadLetters: cloudwatch.Alarm;
  readonly errors: cloudwatch.Alarm;
  readonly acknowledgeErrors: cloudwatch.Alarm;
  readonly deliveryFailures: cloudwatch.Alarm;
  readonly unverifiedAlarms: cloudwatch.Alarm;
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

  /** Name of the policy: it starts the names of the alarms on the pager and appears in every message. */
  public readonly policyName: string;
  /** The customer-managed key (rotation on) encrypting the topics, the queue, the table and the signing secret. */
  public readonly key: kms.Key;
  /** The topic page composites notify; the escalation function subscribes to it. */
  public readonly pageTopic: sns.ITopic;
  /** The topic ticket composites notify; the escalation function subscribes to it. */
  public readonly ticketTopic: sns.ITopic;
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
  /** Level 1's subscriptions (no redrive policy, see bindTargets). */
  private readonly levelOneSubscriptions: sns.Subscription[] = [];
  private readonly registeredAlarms = new Set<string>();
  private alarmTagsStatement?: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: EscalationPolicyProps) {
    super(scope, id);
    const settings = this.settle(id, props);
    this.policyName = settings.policyName;
    this.key = this.createKey();
    this.deadLetterQueue = this.createDeadLetterQueue();

    const topics = this.createTopics(props);
    this.pageTopic = topics.page;
    this.ticketTopic = topics.ticket;
    this.levelTopics = topics.levels;
    this.ticketTargetsTopic = topics.ticketTargets?.topic;
    this.chain = {
      levels: props.levels.map((level, i) => ({ afterSeconds: level.after?.toSeconds() ?? 0, targets: topics.levelTargets[i].map((t) => t.kind) })),
      repeat: settings.repeat,
      tickets: (topics.ticketTargets?.targets ?? []).map((t) => t.kind),
      acknowledgeLinkTtlSeconds: settings.tokenTtl.toSeconds(),
    };

    this.table = this.createTable();
    this.signingSecret = this.createSigningSecret();
    this.scheduleGroup = this.createScheduleGroup();
    this.schedulerRole = this.createSchedulerRole();

    const functions = this.createFunctions(settings, props, topics);
    this.acknowledgeFunction = functions.acknowledgeFunction;
    this.acknowledgeUrl = functions.acknowledgeUrl;
    this.escalationRole = functions.escalationRole;
    this.escalationFunction = functions.escalationFunction;
    this.subscribeToAlarmTopics();

    const describeAlarmsPolicy = this.grantEscalation(functions.escalationLogs, topics);
    grantAcknowledge(functions.acknowledgeRole, functions.acknowledgeLogs, this.table, this.signingSecret, this.key, functions.escalationFunctionArn);
    this.restrictPublishers(topics);
    this.restrictSigningSecret(functions.acknowledgeRole);
    this.grantScheduler();

    const alarms = this.createPagerAlarms(functions.escalationLogs, topics);
    this.deadLetterAlarm = alarms.deadLetters;
    this.errorsAlarm = alarms.errors;
    this.acknowledgeErrorsAlarm = alarms.acknowledgeErrors;
    this.deliveryFailuresAlarm = alarms.deliveryFailures;
    this.unverifiedAlarmsAlarm = alarms.unverifiedAlarms;

    this.warnAboutUnroutedPagerAlarms(topics);
    suppressEscalationNagFindings({
      policyName: this.policyName,
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
    if (props.tickets === undefined) {
      Annotations.of(this).addWarningV2('cdk-reliability:no-ticket-targets',
        `${this.node.path}: escalation policy '${this.policyName}' has no tickets: the ticket alarms of its services notify nobody. `
        + 'Pass tickets (e.g. [Notify.webhook(\'https://…\')]), or turn tickets off in the services\' alert policies.');
    }
  }

  /**
   * Registers a composite alarm wired to this policy, by name: the escalation function may then
   * read its tags (`cloudwatch:ListTagsForResource` on exactly the alarms registered).
   */
  public registerAlarm(alarmName: string): void {
    if (this.registeredAlarms.has(alarmName)) {
      return;
    }
    this.registeredAlarms.add(alarmName);
    const arn = alarmArnPattern(Stack.of(this), alarmName);
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

  /** Applies the defaults, validates every prop at once and claims the policy name in its account and region. */
  private settle(id: string, props: EscalationPolicyProps): Settings {
    const settings: Settings = {
      policyName: props?.policyName ?? id,
      repeat: props?.repeat ?? 0,
      repeatAfter: props?.repeatAfter,
      tokenTtl: props?.acknowledgeLinkTtl ?? DEFAULT_ACKNOWLEDGE_LINK_TTL,
      reservedConcurrency: props?.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY,
      ackReservedConcurrency: props?.acknowledgeReservedConcurrency ?? DEFAULT_ACKNOWLEDGE_RESERVED_CONCURRENCY,
      logRetention: props?.logRetention ?? logs.RetentionDays.ONE_MONTH,
    };
    validate(this.node.path, props, settings);
    const holder = claimPhysicalName(this, 'escalation-policy', settings.policyName);
    if (holder !== undefined) {
      throw new Error(`${this.node.path}: policyName '${settings.policyName}' is already used by ${holder} in the same account and region `
        + `(${environmentOf(this)}); the names of the alarms on the pager would collide. Give each policy a unique policyName`);
    }
    return settings;
  }

  /** The customer-managed key of the topics, the queue, the table and the secret. */
  private createKey(): kms.Key {
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `cdk-reliability escalation policy ${this.policyName}: topics, dead-letter queue, incidents table, signing secret`,
    });
    // CloudWatch publishes alarm notifications to the encrypted topics (page, ticket, level 1): the
    // service principal needs GenerateDataKey* and Decrypt in the key policy (SNS Developer Guide,
    // "Enable compatibility between event sources from AWS services and encrypted topics"). It is
    // narrowed as AWS's own examples narrow service publishers to encrypted topics: the publishing
    // resource (aws:SourceArn, an alarm of this account and region; aws:SourceAccount) and the SNS
    // encryption context (kms:EncryptionContext:aws:sns:topicArn, topics of this account and
    // region: the topics themselves cannot be named, the key policy is part of the key they use).
    key.addToResourcePolicy(new iam.PolicyStatement({
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
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowSnsToUseTheKeyForThisAccount',
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    return key;
  }

  /** Dead letters: whatever the pager could not handle or deliver. */
  private createDeadLetterQueue(): sqs.Queue {
    return new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /**
   * The page and ticket topics (only CloudWatch alarms of this account publish), one topic per
   * level and one for the ticket targets, each with its targets bound to it.
   */
  private createTopics(props: EscalationPolicyProps): PolicyTopics {
    const name = this.policyName;
    const page = this.encryptedTopic('PageTopic', `${name} page alarms`);
    const ticket = this.encryptedTopic('TicketTopic', `${name} ticket alarms`);
    const levels: sns.Topic[] = [];
    const levelTargets = props.levels.map((level, i) => {
      const topic = this.encryptedTopic(`Level${i + 1}Topic`, `${name} level ${i + 1}`);
      levels.push(topic);
      return this.bindTargets(topic, level.notify, `levels[${i}].notify`, i === 0 ? undefined : this.deadLetterQueue);
    });
    let ticketTargets: PolicyTopics['ticketTargets'];
    if (props.tickets !== undefined) {
      const topic = this.encryptedTopic('TicketTargetsTopic', `${name} tickets`);
      ticketTargets = { topic, targets: this.bindTargets(topic, props.tickets, 'tickets', this.deadLetterQueue) };
    }
    for (const topic of [page, ticket]) {
      onlyCloudWatchAlarmsPublish(topic);
    }
    return { page, ticket, levels, levelTargets, ticketTargets };
  }

  private encryptedTopic(id: string, displayName: string): sns.Topic {
    return new sns.Topic(this, id, { masterKey: this.key, enforceSSL: true, displayName: displayName.slice(0, 100) });
  }

  /**
   * Binds each target to its level's topic and adds the subscriptions it asks for. Deliveries SNS
   * gives up on go to `deadLetterQueue` (levels after the first, tickets), whose alarm tells
   * level 1 that someone was not reached. Level 1 has none: that alarm notifies level 1 through
   * these very subscriptions, so a dead address would loop.
   */
  private bindTargets(topic: sns.Topic, targets: INotifyTarget[], prop: string, deadLetterQueue?: sqs.IQueue): NotifyTargetConfig[] {
    return targets.map((target, i) => {
      const config = target.bind(this, { topic, deadLetterQueue, prop });
      if (typeof config?.kind !== 'string' || !TARGET_KIND.test(config.kind)) {
        throw new Error(`${this.node.path}: ${prop}[${i}]: bind() must return a kind of lower-case letters, digits and '-' (at most 32), `
          + `got ${describeValue(config?.kind)}`);
      }
      if (config.subscription) {
        const added = topic.addSubscription(config.subscription);
        if (!deadLetterQueue) {
          this.levelOneSubscriptions.push(added);
        }
      }
      return config;
    });
  }

  /** Incidents: one item per alarm. */
  private createTable(): dynamodb.Table {
    return new dynamodb.Table(this, 'Incidents', {
      partitionKey: { name: 'alarmName', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  }

  /** The HMAC key of acknowledge links. */
  private createSigningSecret(): secretsmanager.Secret {
    return new secretsmanager.Secret(this, 'SigningSecret', {
      description: `cdk-reliability escalation policy ${this.policyName}: HMAC key of acknowledge links`,
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
  }

  /** The group of the one-time timers. */
  private createScheduleGroup(): scheduler.ScheduleGroup {
    return new scheduler.ScheduleGroup(this, 'Timers', {
      // Timers are worthless without the stack; a retained group would also block a redeploy under the same name.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** The role EventBridge Scheduler assumes, for schedules of this policy's group only. */
  private createSchedulerRole(): iam.Role {
    return new iam.Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler invokes the escalation function of ${this.policyName}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
        },
      }),
    });
  }

  /** The acknowledge function (with its URL), then the escalation function, whose environment is the contract's. */
  private createFunctions(settings: Settings, props: EscalationPolicyProps, topics: PolicyTopics): PolicyFunctions {
    const stack = Stack.of(this);
    const policyName = this.policyName;
    // The escalation function gets a known name so that the acknowledge function can refer to it
    // without a reference: escalation -> ACK_URL -> acknowledge -> escalation would be a cycle.
    const escalationFunctionName = `${Names.uniqueResourceName(this, { maxLength: 64 - '-escalation'.length })}-escalation`;
    const escalationFunctionArn = stack.formatArn({
      service: 'lambda', resource: 'function', resourceName: escalationFunctionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const acknowledgeRole = new iam.Role(this, 'AcknowledgeRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const acknowledgeLogs = new logs.LogGroup(this, 'AcknowledgeLogs', { retention: settings.logRetention });
    const acknowledgeEnvironment: AcknowledgeEnvironment = {
      POLICY_NAME: policyName,
      TABLE_NAME: this.table.tableName,
      SIGNING_SECRET_ARN: this.signingSecret.secretArn,
      ESCALATION_FUNCTION_NAME: escalationFunctionName,
    };
    const acknowledgeFunction = new lambda.Function(this, 'AcknowledgeFunction', {
      description: `cdk-reliability escalation policy ${policyName}: acknowledge links`,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('acknowledge'),
      role: acknowledgeRole,
      logGroup: acknowledgeLogs,
      timeout: Duration.seconds(10),
      memorySize: 256,
      reservedConcurrentExecutions: settings.ackReservedConcurrency,
      environment: variablesOf(acknowledgeEnvironment),
    });
    const acknowledgeUrl = acknowledgeFunction.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    const environment: EscalationEnvironment = {
      POLICY_NAME: policyName,
      TABLE_NAME: this.table.tableName,
      SCHEDULE_GROUP: this.scheduleGroup.scheduleGroupName,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      // a timer Scheduler cannot deliver lands in the same dead-letter queue, watched by the pager alarm
      SCHEDULER_DLQ_ARN: this.deadLetterQueue.queueArn,
      SIGNING_SECRET_ARN: this.signingSecret.secretArn,
      ACK_URL: acknowledgeUrl.url,
      REPEAT: String(settings.repeat),
      TOKEN_TTL_SECONDS: String(settings.tokenTtl.toSeconds()),
      PAGE_TOPIC_ARN: topics.page.topicArn,
      TICKET_TOPIC_ARN: topics.ticket.topicArn,
      LEVELS: levelsVariable(props.levels.map((level, i) => targetSet(topics.levelTargets[i], topics.levels[i], i === 0 ? 0 : level.after!.toSeconds()))),
      TICKETS: ticketsVariable(topics.ticketTargets && targetSet(topics.ticketTargets.targets, topics.ticketTargets.topic)),
      REPEAT_AFTER_SECONDS: settings.repeatAfter !== undefined ? String(settings.repeatAfter.toSeconds()) : undefined,
    };
    const variables = variablesOf(environment);
    const envBytes = estimatedEnvironmentBytes(stack.resolve(variables));
    if (envBytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      throw new Error(`${this.node.path}: levels: escalation policy '${policyName}' has too many targets for its function's environment: `
        + `about ${envBytes} bytes (estimated, with deploy-time ARNs counted at their typical length), over Lambda's limit of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes. `
        + 'Use fewer levels or targets (e.g. one topic with many subscribers instead of many targets), or split the policy');
    }

    const escalationRole = new iam.Role(this, 'EscalationRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const escalationLogs = new logs.LogGroup(this, 'EscalationLogs', { retention: settings.logRetention });
    const escalationFunction = new lambda.Function(this, 'EscalationFunction', {
      functionName: escalationFunctionName,
      description: `cdk-reliability escalation policy ${policyName}: notifies, escalates and resolves`,
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('escalation'),
      role: escalationRole,
      logGroup: escalationLogs,
      timeout: Duration.seconds(60),
      memorySize: 256,
      reservedConcurrentExecutions: settings.reservedConcurrency,
      retryAttempts: ESCALATION_RETRY_ATTEMPTS,
      onFailure: sendOnlyQueueDestination(this.deadLetterQueue),
      environment: variables,
    });
    return {
      acknowledgeFunction, acknowledgeUrl, acknowledgeRole, acknowledgeLogs, escalationFunctionArn, escalationFunction, escalationRole, escalationLogs,
    };
  }

  /**
   * The escalation function subscribes to the page and ticket topics. An alarm SNS cannot hand to
   * the function (deleted, permission or key trouble) lands in the dead-letter queue, whose alarm
   * notifies level 1 over the level topic, not through this path.
   */
  private subscribeToAlarmTopics(): void {
    for (const topic of [this.pageTopic, this.ticketTopic]) {
      topic.addSubscription(new subscriptions.LambdaSubscription(this.escalationFunction, { deadLetterQueue: this.deadLetterQueue }));
    }
  }

  /** The schedules of this policy's timers: `schedule/<group>/*`. */
  private timersArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler', resource: 'schedule', resourceName: `${this.scheduleGroup.scheduleGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** The escalation function's permissions; returns the policy holding the one statement on `*`. */
  private grantEscalation(logGroup: logs.LogGroup, topics: PolicyTopics): iam.Policy {
    const role = this.escalationRole;
    const stack = Stack.of(this);
    const targets = [...topics.levelTargets.flat(), ...(topics.ticketTargets?.targets ?? [])];
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
    const userTopics = publishTopicsOf(targets);
    const publishTopics: sns.ITopic[] = [...this.levelTopics, ...(this.ticketTargetsTopic ? [this.ticketTargetsTopic] : []), ...userTopics];
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'Notify',
      actions: ['sns:Publish'],
      resources: unique(publishTopics.map((t) => t.topicArn)),
    }));
    const secrets = [this.signingSecret, ...targets.flatMap(secretsOf)];
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

  /** The level and ticket-target topics take messages from the escalation function only, and level 1 also from the alarms on the pager. */
  private restrictPublishers(topics: PolicyTopics): void {
    const stack = Stack.of(this);
    const pagerAlarmArns = Object.values(PAGER_ALARMS).map((alarm) => alarmArnPattern(stack, pagerAlarmName(this.policyName, alarm)));
    topics.levels.forEach((topic, i) => onlyThesePublish(topic, this.escalationRole, i === 0 ? pagerAlarmArns : []));
    if (topics.ticketTargets) {
      onlyThesePublish(topics.ticketTargets.topic, this.escalationRole, []);
    }
  }

  /**
   * The HMAC key of acknowledge links: no principal but the two functions may read it, whatever
   * its IAM policies grant (an explicit deny in the secret's resource policy wins). Deploying,
   * changing or deleting the secret and its policy stay with IAM.
   */
  private restrictSigningSecret(acknowledgeRole: iam.Role): void {
    this.signingSecret.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheEscalationAndAcknowledgeFunctionsReadIt',
      effect: iam.Effect.DENY,
      principals: [new iam.StarPrincipal()],
      actions: ['secretsmanager:GetSecretValue'],
      resources: ['*'],
      // aws:PrincipalArn of a role session is the role's ARN (IAM global condition keys); an ARN
      // condition, unlike a role in Principal, survives the role being replaced.
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': [this.escalationRole.roleArn, acknowledgeRole.roleArn] } },
    }));
  }

  /** EventBridge Scheduler invokes the escalation function and dead-letters the timers it cannot deliver. */
  private grantScheduler(): void {
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
  }

  /** The alarms on the pager: they notify level 1 over SNS, never through the pager itself. */
  private createPagerAlarms(escalationLogs: logs.LogGroup, topics: PolicyTopics): PagerAlarms {
    const name = this.policyName;
    // New arrivals, not the queue's depth: an alarm on depth would stay in ALARM until someone
    // purges the queue, and every later dead letter would then notify nobody.
    const deadLetters = this.pagerAlarm('DeadLetterAlarm', PAGER_ALARMS.deadLetters,
      `Escalation policy ${name}: an event reached the escalation dead-letter queue: the function gave up on it after `
      + `${ESCALATION_RETRY_ATTEMPTS} retries, EventBridge Scheduler could not deliver a timer, SNS could not hand an alarm to the function, or SNS gave up `
      + 'on an email or SMS of a later level or of the tickets. A page, escalation step, recovery or '
      + 'acknowledgement may not have been delivered. Check the open incidents by hand, read the function\'s logs and the queued event '
      + '(kept 14 days), then delete it.',
      this.deadLetterQueue.metricNumberOfMessagesSent({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }));
    // 5-minute periods: a function that keeps failing stays in ALARM instead of sending level 1 a
    // burst of ALARM/OK notices.
    const errors = this.pagerAlarm('ErrorsAlarm', PAGER_ALARMS.errors,
      `Escalation policy ${name}: the escalation function failed. Failed events are retried ${ESCALATION_RETRY_ATTEMPTS} times, `
      + 'then land in the dead-letter queue; pages may be late or missing until this clears. Read the function\'s logs.',
      this.escalationFunction.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }));
    // The acknowledge function answers every failure with a 500 page, so its Errors metric stays at
    // 0: watch the URL's 5xx responses instead.
    const acknowledgeErrors = this.pagerAlarm('AcknowledgeErrorsAlarm', PAGER_ALARMS.acknowledgeErrors,
      `Escalation policy ${name}: the acknowledge links answered with server errors, so people may be unable to acknowledge `
      + 'and escalation continues. Read the acknowledge function\'s logs.',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Url5xxCount',
        dimensionsMap: { FunctionName: this.acknowledgeFunction.functionName },
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }));
    // A target that refuses a notification for good (a webhook's 4xx, a wrong PagerDuty routing
    // key) is not retried and does not fail the invocation; the function logs it, and this alarm
    // tells level 1 that someone was not reached.
    const deliveryFailures = this.pagerAlarm('DeliveryFailuresAlarm', PAGER_ALARMS.deliveryFailures,
      `Escalation policy ${name}: a target refused a notification for good (e.g. a webhook answered 4xx, a PagerDuty `
      + 'routing key is wrong or still the placeholder), so someone was not reached. The function\'s logs say which target kind '
      + `(event "${LOG_EVENTS.deliveryFailed}").`,
      this.logEventCount(escalationLogs, 'DeliveryFailures', `{ ($.event = "${LOG_EVENTS.deliveryFailed}") && ($.retryable IS FALSE) }`));
    // An SNS alarm message the escalation function refused (alarm/verify.ts): someone or something
    // published to the page or ticket topic for an alarm that does not exist or is not wired to
    // this policy. Nobody was paged for it; level 1 is told that it happened.
    const unverifiedAlarms = this.pagerAlarm('UnverifiedAlarmsAlarm', PAGER_ALARMS.unverifiedAlarms,
      `Escalation policy ${name}: the escalation function refused an alarm message on its page or ticket topic: the alarm it `
      + 'names does not exist, is not a composite alarm, or is not wired to this policy (a forged or misrouted message). Nobody was notified '
      + `for it. The function's logs (event "${LOG_EVENTS.unverifiedAlarm}") say which alarm and why; CloudTrail says who published.`,
      this.logEventCount(escalationLogs, 'UnverifiedAlarmMessages', `{ $.event = "${LOG_EVENTS.unverifiedAlarm}" }`));

    const levelOneTopics: sns.ITopic[] = [topics.levels[0], ...publishTopicsOf(topics.levelTargets[0])].slice(0, MAX_ALARM_ACTIONS);
    const alarms = { deadLetters, errors, acknowledgeErrors, deliveryFailures, unverifiedAlarms };
    for (const alarm of Object.values(alarms)) {
      for (const topic of levelOneTopics) {
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
      }
    }
    return alarms;
  }

  /** An alarm on the pager: any datapoint above 0 in one period; no data is fine. */
  private pagerAlarm(id: string, spec: PagerAlarmSpec, alarmDescription: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmName: pagerAlarmName(this.policyName, spec),
      alarmDescription,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The 5-minute count of the escalation function's log lines matching `pattern`, as a metric of its own (`<policyName>-<id>`). */
  private logEventCount(logGroup: logs.LogGroup, id: string, pattern: string): cloudwatch.IMetric {
    const filter = new logs.MetricFilter(this, id, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(pattern),
      metricNamespace: 'cdk-reliability',
      metricName: `${this.policyName}-${id}`,
      metricValue: '1',
    });
    return filter.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
  }

  /** The alarms on the pager notify over SNS: level 1 needs a target that hears its topic, or a topic of its own. */
  private warnAboutUnroutedPagerAlarms(topics: PolicyTopics): void {
    if (!topics.levelTargets[0].some((t) => t.subscription !== undefined || t.receivesLevelTopic === true || t.publishTopic !== undefined)) {
      Annotations.of(this).addWarningV2('cdk-reliability:pager-alarms-unrouted',
        `${this.node.path}: level 1 of escalation policy '${this.policyName}' has no email, SMS, Slack or topic target, so the alarms on the pager itself `
        + `(${Object.values(PAGER_ALARMS).map((alarm) => pagerAlarmName(this.policyName, alarm)).join(', ')}) reach nobody: they notify over SNS directly, not through the escalation function `
        + 'that calls webhooks and PagerDuty. Add such a target to level 1, or subscribe levelTopics[0] yourself.');
    }
  }
}

/** Validates every prop at once; throws one error listing all problems. */
function validate(path: string, props: EscalationPolicyProps, settings: Settings): void {
  const problems: Problem[] = [];
  const add = (prop: string, message: string | undefined) => {
    if (message) {
      problems.push({ prop, message });
    }
  };
  const nameProblem = namePartProblem(settings.policyName);
  add('policyName', nameProblem && props?.policyName === undefined ? `${nameProblem} (it defaults to the construct id; pass policyName)` : nameProblem);
  problems.push(...levelProblems(props?.levels));
  add('repeat', repeatProblem(settings.repeat));
  if (settings.repeatAfter !== undefined) {
    add('repeatAfter', repeatAfterProblem(settings.repeatAfter));
  }
  if (props?.tickets !== undefined) {
    problems.push(...targetListProblems('tickets', props.tickets, 'must name at least one target, or be left out (ticket alarms then notify nobody), got []'));
  }
  add('acknowledgeLinkTtl', tokenTtlProblem(settings.tokenTtl));
  add('reservedConcurrency', reservedConcurrencyProblem(settings.reservedConcurrency));
  add('acknowledgeReservedConcurrency', reservedConcurrencyProblem(settings.ackReservedConcurrency));
  if (props?.logRetention !== undefined) {
    add('logRetention', logRetentionProblem(props.logRetention));
  }
  if (problems.length > 0) {
    throw new Error(formatProblems(path, problems));
  }
}

/** What the escalation function reads for one level or for the tickets (lambdas/shared/contract.ts). */
function targetSet(targets: NotifyTargetConfig[], topic: sns.ITopic, afterSeconds?: number): TargetSetJson {
  return {
    ...(afterSeconds !== undefined ? { afterSeconds } : {}),
    topicArn: topic.topicArn,
    publishTopicArns: publishTopicsOf(targets).map((t) => t.topicArn),
    webhooks: targets.flatMap((t): WebhookJson[] => [
      ...(t.webhookUrl !== undefined ? [{ url: t.webhookUrl }] : []),
      ...(t.webhookUrlSecret ? [{ secretArn: t.webhookUrlSecret.secretArn }] : []),
    ]),
    pagerDuty: targets.flatMap((t) => (t.pagerDutyRoutingKeySecret ? [{ secretArn: t.pagerDutyRoutingKeySecret.secretArn }] : [])),
    kinds: unique(targets.map((t) => t.kind)),
  };
}

/** The existing topics the escalation function publishes to. */
function publishTopicsOf(targets: NotifyTargetConfig[]): sns.ITopic[] {
  return targets.flatMap((t) => (t.publishTopic ? [t.publishTopic] : []));
}

/** The secrets the escalation function reads for a target. */
function secretsOf(target: NotifyTargetConfig): secretsmanager.ISecret[] {
  return [target.webhookUrlSecret, target.pagerDutyRoutingKeySecret].filter((s): s is secretsmanager.ISecret => s !== undefined);
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
export function sendOnlyQueueDestination(queue: sqs.IQueue): lambda.IDestination {
  return {
    bind: (_scope: Construct, fn: lambda.IFunction) => {
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      return { destination: queue.queueArn };
    },
  };
}

/** The ARN to grant on: the full ARN when known, else the partial ARN with Secrets Manager's 6-character suffix. */
export function secretArnForPolicies(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

