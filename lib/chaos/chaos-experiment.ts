/**
 * One FIS experiment of a service: the template, its least-privilege role, its log group, the
 * steady-state and recovery checks around the faults, the service's page alarms as stop
 * conditions, and an optional game-day schedule. Usually created by `service.addExperiment()`.
 */
import { Annotations, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { logRetentionProblem } from '../escalation/validation';
import { suppressWildcardFindings, withWildcardReason } from '../nag/suppressions';
import { describeValue, hasLoneSurrogate, readList, readProperty, truncateText } from '../private/describe';
import { namePartProblem } from '../slo/names';
import { suppressReportBucketFindings, EXPERIMENT_ARN_REASON, onAllReason, REPORT_PREFIX_REASON, TAG_SELECTED_REASON } from './nag-suppressions';
import { ARN_SERVICES, FIS_ACTIONS, FIS_LIMITS, REAL_ASG_ARN } from './catalog';
import { Fault } from './fault';
import { registerEksExperiment } from './eks-readiness';
import { FaultActionSpec, FaultNode, ResolvedFault } from './fault-action';
import { FIS_MAX_DURATION, fisDurationProblem, isoDuration } from './fis-duration';
import { GameDay } from './game-day';
import { FisLambdaExtension } from './lambda-extension';
import { Layout, LayoutBuilder, treeActions, treeProblems } from './layout';
import { EXPERIMENT_TAGS } from './tags';
import { targetStatement } from './target-permissions';
import { formatProblems, Problem } from '../private/problems';
import { formatDuration } from '../private/format';

/** Settle time before the recovery check unless one is given. */
export const DEFAULT_SETTLE_TIME = Duration.minutes(5);
/** Experiment log retention unless one is given. */
export const DEFAULT_EXPERIMENT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** Report window before and after the experiment unless one is given. */
export const DEFAULT_REPORT_WINDOW = Duration.minutes(20);


/** An experiment report: FIS writes a PDF with the dashboard's graphs around the experiment to S3. */
export interface ExperimentReportOptions {
  /**
   * Whether the report is written. Set it to false to declare the options but write no report.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Bucket the report goes to.
   * @default - a bucket of the stack, created for reports (encrypted, TLS only, no public access)
   */
  readonly bucket?: s3.IBucket;
  /**
   * How much of the dashboard before the experiment the report shows.
   * @default Duration.minutes(20)
   */
  readonly before?: Duration;
  /**
   * How much after.
   * @default Duration.minutes(20)
   */
  readonly after?: Duration;
}

/** What an experiment does and how it is kept safe. */
export interface ExperimentProps {
  /** The fault to inject: one `Fault.*()`, or several in `Fault.sequence()` / `Fault.parallel()`. */
  readonly fault: Fault;

  /**
   * How long faults that run for a while (delays, errors, stress, network) are injected, unless a
   * fault gives its own duration.
   * @default - each such fault must give its own
   */
  readonly duration?: Duration;

  /**
   * What the experiment is for: the hypothesis, e.g. "checkout stays within its latency SLO when
   * a quarter of the handler's invocations are 800 ms slower".
   * @default - a summary of the faults
   */
  readonly description?: string;

  /**
   * Stop the experiment when one of the service's page alarms fires. Turning this off requires
   * `stopConditions`.
   * @default true
   */
  readonly stopOnPageAlarms?: boolean;

  /**
   * More alarms that stop the experiment (e.g. a dependency's health). With the page alarms at most
   * five: FIS's limit of stop conditions per template.
   * @default - the page alarms only
   */
  readonly stopConditions?: cloudwatch.IAlarm[];

  /**
   * Before the faults, check that the stop-condition alarms are OK (`aws:cloudwatch:assert-alarm-state`):
   * an experiment on a service that is already failing teaches nothing and hurts more.
   * @default true
   */
  readonly steadyStateCheck?: boolean;

  /**
   * After the faults, wait `settleTime` and check the stop-condition alarms are OK again: the
   * service recovered by itself.
   * @default true
   */
  readonly recoveryCheck?: boolean;

  /**
   * Wait between the end of the faults and the recovery check.
   * @default Duration.minutes(5) - a full outage reaches the 1-hour page tier's 14.4x burn within a minute, and its 5-minute window clears in five
   */
  readonly settleTime?: Duration;

  /**
   * Run the experiment on a schedule (EventBridge Scheduler, with a time zone).
   * @default - started by hand or by the game-day runner only
   */
  readonly gameDay?: GameDay;

  /**
   * Retention of the experiment's log group.
   * @default logs.RetentionDays.ONE_YEAR - findings are reviewed for months
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Write an experiment report (with the service's dashboard when it has one) to S3: `report: {}`
   * for the defaults.
   * @default - no report
   */
  readonly report?: ExperimentReportOptions;

  /**
   * What FIS does when a target selected by tags matches no resource: fail the experiment, or
   * skip the actions on that target.
   * @default EmptyTargets.FAIL
   */
  readonly emptyTargets?: EmptyTargets;
}

/** What FIS does when a target selected by tags matches no resource (`emptyTargetResolutionMode`). */
export enum EmptyTargets {
  /** Fail the experiment. */
  FAIL = 'fail',
  /** Skip the actions on that target. */
  SKIP = 'skip',
}

/** Where an experiment reads alarms when the app is synthesized (so that alarms added later count too). */
export interface IAlarmSource {
  /** The alarms, as of now. */
  alarms(): cloudwatch.IAlarm[];
}

/** Props of `ChaosExperiment`: `ExperimentProps` plus what it takes from its service. */
export interface ChaosExperimentProps extends ExperimentProps {
  /** The service's name (`serviceName`). */
  readonly serviceName: string;
  /** Name of the experiment, unique within the service: letters, digits, `-`, `_`, `.`. */
  readonly experimentName: string;
  /**
   * The service's page alarms, read at synth (SLOs added after the experiment count too).
   * @default - none
   */
  readonly pageAlarms?: IAlarmSource;
  /**
   * The service's dashboard, for reports.
   * @default - none
   */
  readonly dashboardName?: string;
}

/** Shortest settle time before the recovery check. */
export const MIN_SETTLE_TIME = Duration.minutes(1);

/** An AWS FIS experiment template with its role, log group, checks and optional schedule. */
export class ChaosExperiment extends Construct {
  /** The service's name. */
  public readonly serviceName: string;
  /** The experiment's name, unique within the service. */
  public readonly experimentName: string;
  /** The template. */
  public readonly template: fis.CfnExperimentTemplate;
  /** The role FIS assumes to run it. */
  public readonly role: iam.Role;
  /**
   * The role's statements that IAM cannot scope to a resource (granted on `*`: describe and list
   * calls, tag lookups, log delivery, targets chosen by tags), kept in a policy of their own so
   * that the cdk-nag suppression of `*` covers exactly these and nothing added to the role later.
   */
  public readonly wildcardPolicy: iam.Policy;
  /** Where FIS writes the experiment log. */
  public readonly logGroup: logs.LogGroup;
  /**
   * The game-day schedule.
   * @default - none
   */
  public readonly schedule?: scheduler.CfnSchedule;
  /**
   * The game day.
   * @default - none
   */
  public readonly gameDay?: GameDay;
  /** Seconds from start to end when nothing stops it (checks and settle time included). */
  public readonly expectedSeconds: number;
  /** @internal The template's actions and targets. */
  public readonly _layout: Layout;
  /** @internal The fault actions (without the checks). */
  public readonly _faultActions: FaultActionSpec[];
  private readonly props: ChaosExperimentProps;
  /** Statements on the role's default policy, and on the wildcard policy, for their cdk-nag suppressions. */
  private readonly scopedStatements: iam.PolicyStatement[] = [];
  private readonly wildcardStatements: iam.PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ChaosExperimentProps) {
    super(scope, id);
    const faults = this.validate(props);
    this.props = props;
    this.serviceName = props.serviceName;
    this.experimentName = props.experimentName;
    this.gameDay = props.gameDay;
    this._faultActions = treeActions(faults);
    this._layout = this.layOut(faults);
    this.expectedSeconds = this._layout.longestSeconds;
    this.checkLimits();

    this.role = this.createRole();
    this.logGroup = this.createLogGroup();
    this.wildcardPolicy = new iam.Policy(this, 'RoleWildcardPolicy', { roles: [this.role] });
    this.grantActions();
    this.template = this.createTemplate();
    // FIS checks the role's permissions when the template is created.
    this.template.node.addDependency(this.role, this.wildcardPolicy);
    suppressWildcardFindings(this.role, this.scopedStatements);
    suppressWildcardFindings(this.wildcardPolicy, this.wildcardStatements);
    this.warnAboutFaults();
    // EKS pod faults: the role maps to the Kubernetes user where EksFaultInjection.enable prepared the namespace
    registerEksExperiment(this, this.role, this._faultActions.flatMap((a) => a.kubernetes ? [a.kubernetes] : []));
    if (props.gameDay) {
      this.schedule = this.createSchedule(props.gameDay);
    }
    this.node.addValidation({ validate: () => this.stopConditionProblems() });
  }

  /** Checks every prop and resolves the fault; throws with all problems. Returns the fault tree. */
  private validate(props: ChaosExperimentProps): FaultNode {
    const problems: Problem[] = [...propProblems(props)];
    const resolved = this.resolveFault(props);
    problems.push(...resolved.problems);
    problems.push(...reportProblems(props?.report));
    if (problems.length > 0 || !resolved.node) {
      throw new Error(formatProblems(this.node.path, problems));
    }
    return resolved.node;
  }

  /** The fault laid out as a tree of actions, with the problems of the tree and of the functions it would wire. */
  private resolveFault(props: ChaosExperimentProps): ResolvedFault {
    if (!Fault._isFault(props?.fault)) {
      return { problems: [{ prop: 'fault', message: `is required: a Fault (Fault.lambdaInvocationDelay(...), Fault.sequence(...), ...), got ${describeValue(props?.fault)}` }] };
    }
    const resolved = props.fault._resolve({ scope: this, prop: 'fault', defaultDuration: props.duration });
    const node = resolved.node;
    if (!node) {
      return resolved;
    }
    const problems = [...resolved.problems, ...treeProblems(node, 'fault')];
    // Checked here, before anything is created, so that a refused function leaves nothing half-wired.
    for (const fn of new Set(treeActions(node).flatMap((a) => a.lambdaFunctions ?? []))) {
      const p = FisLambdaExtension.attachProblem(fn);
      if (p) {
        problems.push({ prop: 'fault', message: p });
      }
    }
    return { node, problems };
  }

  /** The template's actions: the steady-state check, the faults, the settle time and the recovery check. */
  private layOut(faults: FaultNode): Layout {
    const builder = new LayoutBuilder();
    const assertion = (description: string): FaultActionSpec => ({
      definition: FIS_ACTIONS.assertAlarmState,
      description,
      parameters: { alarmArns: Lazy.string({ produce: () => this.stopAlarms().map((a) => a.alarmArn).join(',') }), alarmStates: 'OK' },
    });
    const first = (this.props.steadyStateCheck ?? true)
      ? [builder.add(assertion('Steady state: the stop-condition alarms are OK before any fault'), [], 'steady-state')]
      : [];
    const last = builder.addTree(faults, first);
    if (this.props.recoveryCheck ?? true) {
      const settleSeconds = (this.props.settleTime ?? DEFAULT_SETTLE_TIME).toSeconds();
      const wait = builder.add({ definition: FIS_ACTIONS.wait, description: `Lets the service settle for ${formatDuration(settleSeconds, { exact: true })}`, parameters: { duration: isoDuration(settleSeconds) }, durationSeconds: settleSeconds }, last, 'settle');
      builder.add(assertion('Recovered: the stop-condition alarms are OK again after the faults'), [wait], 'recovered');
    }
    return builder.build();
  }

  /** The role FIS assumes, only for experiments of this account. */
  private createRole(): iam.Role {
    return new iam.Role(this, 'Role', {
      description: `Runs FIS experiment ${this.serviceName}/${this.experimentName}`,
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': Stack.of(this).formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
        },
      }),
    });
  }

  /**
   * Under /aws/vendedlogs/: FIS delivers logs through CloudWatch Logs' vended-log delivery, whose
   * account-wide resource policy (5 120 characters) then covers the prefix instead of growing by
   * one ARN per log group.
   */
  private createLogGroup(): logs.LogGroup {
    return new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/fis/${Stack.of(this).stackName}/${this.serviceName}/${this.experimentName}`,
      retention: this.props.logRetention ?? DEFAULT_EXPERIMENT_LOG_RETENTION,
    });
  }

  /** The experiment template: stop conditions, targets, actions, log, report and the tags the CLI finds it by. */
  private createTemplate(): fis.CfnExperimentTemplate {
    const layout = this._layout;
    return new fis.CfnExperimentTemplate(this, 'Template', {
      description: this.description(),
      roleArn: this.role.roleArn,
      stopConditions: Lazy.any({ produce: () => this.stopAlarms().map((a) => ({ source: 'aws:cloudwatch:alarm', value: a.alarmArn })) }),
      targets: Object.fromEntries(layout.targets.map((t) => [t.name, {
        resourceType: t.resourceType,
        selectionMode: t.targets._spec.selection.mode,
        resourceArns: t.targets._spec.arns,
        resourceTags: t.targets._spec.tags,
        parameters: t.targets._spec.parameters,
        filters: t.targets._spec.filters?.map((f) => ({ path: f.path, values: f.values })),
      }])),
      actions: Object.fromEntries(layout.actions.map((a) => [a.name, {
        actionId: a.spec.definition.actionId,
        description: a.spec.description,
        parameters: Object.keys(a.spec.parameters).length > 0 ? a.spec.parameters : undefined,
        startAfter: a.startAfter.length > 0 ? a.startAfter : undefined,
        targets: a.targetName ? { [a.spec.definition.targetKey!]: a.targetName } : undefined,
      }])),
      logConfiguration: {
        logSchemaVersion: 2,
        cloudWatchLogsConfiguration: { LogGroupArn: this.logGroup.logGroupArn },
      },
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: this.props.emptyTargets ?? EmptyTargets.FAIL },
      experimentReportConfiguration: this.reportConfiguration(),
      tags: {
        [EXPERIMENT_TAGS.name]: `${this.serviceName}-${this.experimentName}`,
        [EXPERIMENT_TAGS.stack]: Stack.of(this).stackName,
        [EXPERIMENT_TAGS.service]: this.serviceName,
        [EXPERIMENT_TAGS.experiment]: this.experimentName,
      },
    });
  }

  /** The faults' advice (a declared instance terminated, a task definition FIS cannot inject into) as construct warnings. */
  private warnAboutFaults(): void {
    for (const spec of this._faultActions) {
      for (const w of spec.warnings ?? []) {
        Annotations.of(this).addWarningV2(`cdk-reliability:chaos-${w.id}`, `${this.node.path}: ${w.message}`);
      }
    }
  }

  /** The template's ARN. */
  public get templateArn(): string {
    return Stack.of(this).formatArn({ service: 'fis', resource: 'experiment-template', resourceName: this.template.ref });
  }

  /** The alarms that stop the experiment (and that the checks assert): page alarms first, then the extra ones. */
  public stopAlarms(): cloudwatch.IAlarm[] {
    const page = (this.props.stopOnPageAlarms ?? true) ? (this.props.pageAlarms?.alarms() ?? []) : [];
    const all = [...page, ...(this.props.stopConditions ?? [])];
    const arns = all.map((alarm) => alarm.alarmArn);
    return all.filter((alarm, i) => arns.indexOf(alarm.alarmArn) === i);
  }

  private description(): string {
    const summary = this.props.description ?? this._faultActions.map((a) => a.description).join('; then ');
    const text = `${this.serviceName}/${this.experimentName}: ${summary}`;
    // cut on a character boundary: half a surrogate pair is not valid in the template
    return truncateText(text, FIS_LIMITS.descriptionLength);
  }

  /** FIS quotas the whole template must respect. */
  private checkLimits(): void {
    const problems: Problem[] = [];
    if (this._layout.actions.length > FIS_LIMITS.actionsPerTemplate) {
      problems.push({ prop: 'fault', message: `needs ${this._layout.actions.length} actions (checks included); FIS allows ${FIS_LIMITS.actionsPerTemplate} per template. Split the experiment` });
    }
    for (const t of this._layout.targets) {
      const arns = t.targets._spec.arns ?? [];
      if (arns.length > FIS_LIMITS.arnsPerTarget) {
        problems.push({ prop: 'fault', message: `target ${t.name} lists ${arns.length} resources; FIS allows ${FIS_LIMITS.arnsPerTarget} ARNs per target. Select them by tags with a count or percentage` });
      }
      // aws:lambda:function takes arn:…:lambda:… ARNs, aws:dynamodb:global-table arn:…:dynamodb:…, and so on;
      // ARC's managed resources are other services' resources (ARN_SERVICES)
      const services = ARN_SERVICES[t.resourceType] ?? [t.resourceType.split(':')[1]];
      const foreign = arns.filter((arn) => !Token.isUnresolved(arn) && !services.includes(arn.split(':')[2]));
      if (foreign.length > 0) {
        problems.push({ prop: 'fault', message: `target ${t.name} (${t.resourceType}) lists ARNs of another service than ${services.join(', ')}: ${foreign.join(', ')}` });
      }
      // an imported group's autoScalingGroupArn (AutoScalingGroup.fromAutoScalingGroupName) has '*' for the id: no resource's ARN
      const wildcardGroups = arns.filter((arn) => arn.includes(':autoScalingGroup:*:'));
      if (wildcardGroups.length > 0) {
        const names = wildcardGroups.map((a) => `'${a.split(':autoScalingGroupName/')[1] ?? a}'`).join(', ');
        problems.push({ prop: 'fault', message: `target ${t.name} lists the ARN of Auto Scaling group ${names} with '*' for the group's id (an imported group's autoScalingGroupArn), `
          + 'which names no resource; FIS takes resource ARNs only: '
          + `pass the group's real ARN (${REAL_ASG_ARN}) or select it with Targets.tagged(tags, selection)` });
      }
    }
    if (this._layout.longestSeconds > FIS_MAX_DURATION.toSeconds()) {
      problems.push({ prop: 'fault', message: `runs ${formatDuration(this._layout.longestSeconds, { exact: true })} (checks and settle time included); FIS stops experiments after 12 hours` });
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }
  }

  /** At synth: at least one stop condition, at most FIS's limit. */
  private stopConditionProblems(): string[] {
    const alarms = this.stopAlarms();
    if (alarms.length === 0) {
      return [`${this.node.path}: experiment '${this.experimentName}' has no stop condition: service '${this.serviceName}' has no page alarm `
        + '(its SLOs only ticket) and no stopConditions were given. An experiment that nothing halts is refused; pass stopConditions'];
    }
    if (alarms.length > FIS_LIMITS.stopConditionsPerTemplate) {
      return [`${this.node.path}: experiment '${this.experimentName}' has ${alarms.length} stop conditions (page alarms and stopConditions); FIS allows `
        + `${FIS_LIMITS.stopConditionsPerTemplate}. Pass fewer stopConditions, or combine alarms in a CompositeAlarm`];
    }
    return [];
  }

  /** The role: each action's permissions, scoped to its targets where AWS allows. */
  private grantActions(): void {
    const statements: iam.PolicyStatement[] = [];
    const targetsOf = new Map(this._layout.targets.map((t) => [t.name, t.targets]));
    for (const action of this._layout.actions) {
      const { definition } = action.spec;
      if (definition.onAll.length > 0) {
        statements.push(onAll(definition.onAll));
      }
      if (definition.onTargets.length > 0 && !action.spec.ownsTargetPermissions) {
        // Scoped to the target's ARNs, or, selected by tags, to the resources carrying those tags.
        const target = action.targetName ? targetsOf.get(action.targetName) : undefined;
        statements.push(target
          ? targetStatement(Stack.of(this), definition.resourceType, definition.onTargets, target)
          : withWildcardReason(new iam.PolicyStatement({ actions: [...definition.onTargets], resources: ['*'] }), TAG_SELECTED_REASON));
      }
      statements.push(...(action.spec.statements ?? []));
      if (action.spec.usesLambdaExtension) {
        this.scopedStatements.push(...this.wireLambdaExtension(action.spec.lambdaFunctions ?? []));
      }
    }
    if (this._layout.actions.some((a) => a.spec.definition.actionId === FIS_ACTIONS.assertAlarmState.actionId)) {
      // CloudWatch returns composite alarms to DescribeAlarms only when it is granted on '*'.
      statements.push(onAll(['cloudwatch:DescribeAlarms']));
    }
    // Log delivery to CloudWatch Logs (vended logs): these actions take no resource.
    statements.push(onAll(['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups']));
    for (const statement of mergeStatements(statements)) {
      this.grant(statement);
    }
  }

  /** Adds a statement to the role: to the wildcard policy when it is granted on `*`, else to the role's default policy. */
  private grant(statement: iam.PolicyStatement): void {
    if (statement.resources.includes('*')) {
      this.wildcardPolicy.addStatements(statement);
      this.wildcardStatements.push(statement);
    } else {
      this.role.addToPolicy(statement);
      this.scopedStatements.push(statement);
    }
  }

  /**
   * Attaches the FIS Lambda extension to typed functions (the configuration bucket of each
   * function's own stack, so no reference cycle arises across stacks) and lets the role write there.
   */
  private wireLambdaExtension(functions: lambda.IFunction[]): iam.PolicyStatement[] {
    if (functions.length === 0) {
      const extension = FisLambdaExtension.of(this);
      const statement = extension.grantWrite(this.role);
      Annotations.of(this).addWarningV2('cdk-reliability:chaos-lambda-extension', `${this.node.path}: the Lambda fault selects functions by ARN or tags, so this library cannot attach the FIS Lambda extension to them. `
        + 'Attach it where the functions are declared: FisLambdaExtension.of(this stack).attach(fn, ...), or the layer with AWS_FIS_CONFIGURATION_LOCATION set to this stack\'s configuration bucket');
      return [statement];
    }
    return functions.map((fn) => {
      const extension = FisLambdaExtension.of(fn);
      extension.attach(fn, `${this.node.path}: fault`);
      return extension.grantWrite(this.role);
    });
  }

  private reportConfiguration(): fis.CfnExperimentTemplate.ExperimentTemplateExperimentReportConfigurationProperty | undefined {
    const options = this.props.report;
    if (options === undefined || options.enabled === false) {
      return undefined;
    }
    const before = options.before ?? DEFAULT_REPORT_WINDOW; // validated by the constructor (reportProblems)
    const after = options.after ?? DEFAULT_REPORT_WINDOW;
    const bucket = options.bucket ?? reportBucket(this);
    const prefix = `experiment-reports/${this.serviceName}/${this.experimentName}/`;
    this.grant(withWildcardReason(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }), REPORT_PREFIX_REASON));
    const stack = Stack.of(this);
    const dashboardArn = this.props.dashboardName
      ? stack.formatArn({ service: 'cloudwatch', region: '', resource: 'dashboard', resourceName: this.props.dashboardName })
      : undefined;
    if (dashboardArn) {
      this.grant(new iam.PolicyStatement({ actions: ['cloudwatch:GetDashboard'], resources: [dashboardArn] }));
      this.grant(onAll(['cloudwatch:GetMetricWidgetImage']));
    }
    return {
      outputs: { experimentReportS3Configuration: { bucketName: bucket.bucketName, prefix } },
      dataSources: dashboardArn ? { cloudWatchDashboards: [{ dashboardIdentifier: dashboardArn }] } : undefined,
      preExperimentDuration: isoDuration(before.toSeconds()),
      postExperimentDuration: isoDuration(after.toSeconds()),
    };
  }

  /** EventBridge Scheduler's universal target for `fis:StartExperiment`, with a role for this template only. */
  private createSchedule(gameDay: GameDay): scheduler.CfnSchedule {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'GameDayRole', {
      description: `Starts FIS experiment ${this.serviceName}/${this.experimentName} on its game day`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    });
    const start = withWildcardReason(new iam.PolicyStatement({
      actions: ['fis:StartExperiment'],
      resources: [this.templateArn, stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' })],
    }), `StartExperiment is authorized on the template and on the experiment it creates: ${EXPERIMENT_ARN_REASON}; the template is this one only`);
    role.addToPolicy(start);
    suppressWildcardFindings(role, [start]);
    const schedule = new scheduler.CfnSchedule(this, 'GameDay', {
      description: `Game day of ${this.serviceName}/${this.experimentName}: ${gameDay.summary}`,
      scheduleExpression: gameDay.expression,
      scheduleExpressionTimezone: gameDay.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: gameDay.enabled ? 'ENABLED' : 'DISABLED',
      target: {
        arn: `arn:${stack.partition}:scheduler:::aws-sdk:fis:startExperiment`,
        roleArn: role.roleArn,
        // The client token is the template and the scheduled time, the same on every attempt: a
        // retry after a throttled or timed-out call cannot start a second experiment. Retries stop
        // 15 minutes after the scheduled time: a game day starts on time or not at all.
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 900 },
        input: stack.toJsonString({ ExperimentTemplateId: this.template.ref, ClientToken: `${this.template.ref}-<aws.scheduler.scheduled-time>` }),
      },
    });
    schedule.node.addDependency(role);
    return schedule;
  }
}

/** The props' own problems (the fault's are checked when it is resolved and the report's on their own), in the order they are reported. */
function propProblems(props: ChaosExperimentProps): Problem[] {
  return [...identityProblems(props), ...safetyProblems(props), ...templateProblems(props)];
}

/** The names and what the service gives: page alarms and dashboard. */
function identityProblems(props: ChaosExperimentProps): Problem[] {
  const problems: Problem[] = [];
  const nameProblem = namePartProblem(props?.experimentName);
  if (nameProblem) {
    problems.push({ prop: 'name', message: nameProblem });
  }
  // set by ReliableService.addExperiment(); checked for experiments declared on their own
  const serviceProblem = namePartProblem(props?.serviceName);
  if (serviceProblem) {
    problems.push({ prop: 'serviceName', message: serviceProblem });
  }
  const alarms = readProperty(props?.pageAlarms, 'alarms');
  if (props?.pageAlarms !== undefined && (!alarms.ok || typeof alarms.value !== 'function')) {
    problems.push({ prop: 'pageAlarms', message: `must be an IAlarmSource (an object whose alarms() returns the service's page alarms), got ${describeValue(props.pageAlarms)}` });
  }
  if (props?.dashboardName !== undefined && (typeof props.dashboardName !== 'string' || props.dashboardName === '')) {
    problems.push({ prop: 'dashboardName', message: `must be the name of a CloudWatch dashboard, got ${describeValue(props.dashboardName)}` });
  }
  return problems;
}

/** The duration, the settle time, the checks and the stop conditions. */
function safetyProblems(props: ChaosExperimentProps): Problem[] {
  const problems: Problem[] = [];
  if (props?.duration !== undefined) {
    const p = fisDurationProblem(props.duration, Duration.minutes(1));
    if (p) {
      problems.push({ prop: 'duration', message: p });
    }
  }
  const settle = props?.settleTime ?? DEFAULT_SETTLE_TIME;
  const settleProblem = fisDurationProblem(settle, MIN_SETTLE_TIME, Duration.hours(1));
  if (settleProblem) {
    problems.push({ prop: 'settleTime', message: settleProblem });
  }
  for (const flag of ['stopOnPageAlarms', 'steadyStateCheck', 'recoveryCheck'] as const) {
    if (props?.[flag] !== undefined && typeof props[flag] !== 'boolean') {
      problems.push({ prop: flag, message: `must be true or false, got ${describeValue(props[flag])}` });
    }
  }
  if (props?.recoveryCheck === false && props.settleTime !== undefined) {
    problems.push({ prop: 'settleTime', message: 'is set but recoveryCheck is false: the settle time only precedes the recovery check' });
  }
  problems.push(...stopConditionListProblems(props?.stopConditions));
  const stopConditions = readList(props?.stopConditions);
  if (props?.stopOnPageAlarms === false && stopConditions.ok && !stopConditions.value?.length) {
    problems.push({ prop: 'stopConditions', message: 'is empty and stopOnPageAlarms is false: an experiment without a stop condition is refused; pass the alarms that mean customers are hurt' });
  }
  return problems;
}

/** The description, the log retention, the empty-target mode and the game day. */
function templateProblems(props: ChaosExperimentProps): Problem[] {
  const problems: Problem[] = [];
  if (props?.description !== undefined && (typeof props.description !== 'string' || props.description.length > 400)) {
    problems.push({ prop: 'description', message: `must be a string of at most 400 characters (FIS allows ${FIS_LIMITS.descriptionLength} with the service prefix), got ${typeof props.description === 'string' ? `${props.description.length} characters` : describeValue(props.description)}` });
  } else if (typeof props?.description === 'string' && (CONTROL_CHARACTERS.test(props.description) || hasLoneSurrogate(props.description))) {
    problems.push({ prop: 'description', message: `must be text without control characters or halves of surrogate pairs (not valid in a template), got ${describeValue(props.description)}` });
  }
  if (props?.logRetention !== undefined) {
    const p = logRetentionProblem(props.logRetention);
    if (p) {
      problems.push({ prop: 'logRetention', message: p });
    }
  }
  if (props?.emptyTargets !== undefined && !(Object.values(EmptyTargets) as string[]).includes(props.emptyTargets)) {
    problems.push({ prop: 'emptyTargets', message: `must be EmptyTargets.FAIL ('fail') or EmptyTargets.SKIP ('skip'), got ${describeValue(props.emptyTargets)}` });
  }
  if (props?.gameDay !== undefined) {
    if (!(props.gameDay instanceof GameDay)) {
      problems.push({ prop: 'gameDay', message: 'must be GameDay.weekly(), GameDay.cron() or GameDay.once()' });
    } else {
      problems.push(...props.gameDay._problems());
    }
  }
  return problems;
}

/** A statement granting `actions` on `*`, with the reason its cdk-nag suppression gives (when every action has one). */
function onAll(actions: readonly string[]): iam.PolicyStatement {
  const statement = new iam.PolicyStatement({ actions: [...actions], resources: ['*'] });
  const why = onAllReason(actions);
  return why ? withWildcardReason(statement, why) : statement;
}

/** Control characters other than tab and line breaks: FIS descriptions are shown in consoles and logs. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** `stopConditions`: a list of alarms, each read once (a hole is a missing alarm, not nothing). */
function stopConditionListProblems(stopConditions: unknown): Problem[] {
  if (stopConditions === undefined) {
    return [];
  }
  const list = readList(stopConditions);
  if (!list.ok) {
    return [{ prop: 'stopConditions', message: list.problem }];
  }
  if (list.value === undefined) {
    return [{ prop: 'stopConditions', message: `must be a list of CloudWatch alarms (IAlarm), got ${describeValue(stopConditions)}` }];
  }
  const problems: Problem[] = [];
  list.value.forEach((alarm, i) => {
    const arn = readProperty(alarm, 'alarmArn');
    if (!arn.ok) {
      problems.push({ prop: `stopConditions[${i}]`, message: arn.problem });
    } else if (typeof arn.value !== 'string') {
      problems.push({ prop: `stopConditions[${i}]`, message: `must be a CloudWatch alarm (IAlarm), got ${describeValue(alarm)}` });
    }
  });
  return problems;
}

/** The report options: an object, `enabled` a boolean, a real bucket, windows of 1 minute to 1 hour each. */
function reportProblems(report: ExperimentReportOptions | undefined): Problem[] {
  if (report === undefined) {
    return [];
  }
  if (typeof report !== 'object' || report === null) {
    return [{ prop: 'report', message: `must be { enabled?, bucket?, before?, after? } ({} for the defaults), got ${describeValue(report)}` }];
  }
  const problems: Problem[] = [];
  const enabled = readProperty(report, 'enabled');
  if (!enabled.ok) {
    problems.push({ prop: 'report.enabled', message: enabled.problem });
  } else if (enabled.value !== undefined && typeof enabled.value !== 'boolean') {
    problems.push({ prop: 'report.enabled', message: `must be true or false, got ${describeValue(enabled.value)}` });
  }
  const bucket = readProperty(report, 'bucket');
  if (!bucket.ok) {
    problems.push({ prop: 'report.bucket', message: bucket.problem });
  } else if (bucket.value !== undefined && !isBucket(bucket.value)) {
    problems.push({ prop: 'report.bucket', message: `must be an S3 bucket (IBucket, e.g. s3.Bucket.fromBucketName(...)), got ${describeValue(bucket.value)}` });
  }
  for (const key of ['before', 'after'] as const) {
    const value = readProperty(report, key);
    const p = !value.ok ? value.problem : value.value === undefined ? undefined : fisDurationProblem(value.value, Duration.minutes(1), Duration.hours(1));
    if (p) {
      problems.push({ prop: `report.${key}`, message: p });
    }
  }
  return problems;
}

function isBucket(value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && typeof (value as s3.IBucket).arnForObjects === 'function'
      && typeof (value as s3.IBucket).bucketName === 'string';
  } catch {
    return false;
  }
}

const REPORT_BUCKET_ID = 'ReliabilityExperimentReports';

/** The stack's report bucket, created on first use. */
function reportBucket(scope: Construct): s3.IBucket {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(REPORT_BUCKET_ID) as s3.Bucket | undefined;
  if (existing) {
    return existing;
  }
  const bucket = new s3.Bucket(stack, REPORT_BUCKET_ID, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
  });
  suppressReportBucketFindings(bucket);
  return bucket;
}

/** Folds statements with the same actions, resources and conditions (several faults on one target). */
function mergeStatements(statements: iam.PolicyStatement[]): iam.PolicyStatement[] {
  const seen = new Map<string, iam.PolicyStatement>();
  for (const s of statements) {
    const key = JSON.stringify(s.toStatementJson());
    if (!seen.has(key)) {
      seen.set(key, s);
    }
  }
  return [...seen.values()];
}

