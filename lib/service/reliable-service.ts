import { Annotations, Stack, Tags, Token } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { ChaosExperiment, ExperimentProps } from '../chaos/chaos-experiment';
import { includeInManifest } from '../manifest/writer';
import { ServiceDashboard, dashboardNameFor } from '../dashboards/service-dashboard';
import { escalationAlarmTags } from '../escalation/alarm-tags';
import { EscalationPolicy, IEscalationPolicy } from '../escalation/escalation-policy';
import { describeValue, quote, readList, readProperty, unreadable } from '../private/describe';
import { compositeAlarmName, namePartProblem } from '../slo/names';
import { Severity } from '../slo/tiers';
import { claimPhysicalName, environmentOf } from './physical-names';
import { runbookUrlProblem, textProblem } from '../slo/validation';
import { ServiceLevelObjective, SloProps } from './service-level-objective';
import { formatProblems, Problem } from '../private/problems';

/** The longest `owner`: a team's name, shown in the dashboard title, the manifest and the report. */
const MAX_OWNER_LENGTH = 128;

/** Props of `ReliableService`. */
export interface ReliableServiceProps {
  /**
   * Name of the service: letters, digits, `-`, `_`, `.`, at most 64 characters. It starts every
   * alarm name, and alarm names are unique per account and region, so it must be unique among the
   * services deployed to one account and region.
   */
  readonly serviceName: string;

  /**
   * The service's SLOs. More can be added with `addSlo()`; a service needs at least one.
   * @default - none yet; add them with `addSlo()`
   */
  readonly slos?: SloProps[];

  /**
   * Runbook linked from every alarm of the service, unless an SLO gives its own.
   * @default - no runbook link
   */
  readonly runbookUrl?: string;

  /**
   * The team that owns the service, for the dashboard title, the manifest and reports: one line
   * of at most 128 characters, without control characters.
   * @default - not recorded
   */
  readonly owner?: string;

  /**
   * The escalation policy the service's alarms notify: page composites notify its page topic and
   * ticket composites its ticket topic (ALARM and OK actions), and both are tagged for it. One
   * policy is usually shared by the services of a team. It must be in the service's account and
   * region (alarm actions notify topics of their own region).
   * @default - no escalation; alarms notify nobody (a warning is emitted)
   */
  readonly escalation?: IEscalationPolicy;

  /**
   * Whether to declare a CloudWatch dashboard for the service (`<serviceName>-reliability`, split
   * into `-2`, `-3`, … beyond 500 metrics): per SLO the SLI against the objective, the burn rate
   * over each alert window against the tier thresholds, the error budget left and its alarms'
   * status; the escalation policy's health and the experiments where present. Pages link to it.
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Whether the service is critical to the business. Nothing is created for it; the reliability
   * checks (`ReliabilityChecks`) hold critical services to a stricter policy: an availability and
   * a latency SLO, at least one chaos experiment, and an escalation chain of more than one level
   * that repeats. `ReliabilityChecks({ criticalServices: [...] })` marks services critical too.
   * @default false
   */
  readonly critical?: boolean;
}

/**
 * A service and its reliability policy: SLOs with multiwindow, multi-burn-rate alarms.
 *
 * ```ts
 * const checkout = new ReliableService(stack, 'Checkout', {
 *   serviceName: 'checkout',
 *   slos: [{ name: 'availability', objective: 99.9, sli: Sli.restApiAvailability(api) }],
 * });
 * checkout.slo('availability').pageAlarm; // composite alarm 'checkout-availability-page'
 * ```
 */
export class ReliableService extends Construct {
  /** Name of the service: the first part of every alarm name. */
  public readonly serviceName: string;
  /**
   * Runbook linked from the service's alarms (an SLO may give its own).
   * @default - no runbook
   */
  public readonly runbookUrl?: string;
  /**
   * The team that owns the service.
   * @default - no owner recorded
   */
  public readonly owner?: string;
  /**
   * The service's dashboard.
   * @default - undefined when `dashboard: false`
   */
  public readonly dashboard?: ServiceDashboard;
  /**
   * The escalation policy the service's page and ticket composites notify.
   * @default - no escalation policy; the alarms notify nobody
   */
  public readonly escalation?: IEscalationPolicy;
  /** Whether the service was declared critical (`critical: true`); read by the reliability checks. */
  public readonly critical: boolean;
  private readonly slosByName = new Map<string, ServiceLevelObjective>();
  private readonly experimentsByName = new Map<string, ChaosExperiment>();

  constructor(scope: Construct, id: string, props: ReliableServiceProps) {
    super(scope, id);
    const { problems, slos } = checkProps(this, props);
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }

    this.serviceName = props.serviceName;
    this.runbookUrl = props.runbookUrl;
    this.owner = props.owner;
    this.escalation = props.escalation;
    this.critical = props.critical ?? false;
    this.claimServiceName();
    includeInManifest(this);
    if (props.dashboard ?? true) {
      this.dashboard = this.createDashboard();
    }
    if (!this.escalation) {
      this.warnWithoutEscalation();
    }

    (slos ?? []).forEach((slo, i) => this.createSlo(slo as SloProps, `slos[${i}]`));

    this.node.addValidation({
      validate: () => this.slosByName.size === 0
        ? [`${this.node.path}: a ReliableService needs at least one SLO; pass slos or call addSlo()`]
        : [],
    });
  }

  /** Adds an SLO to the service. */
  public addSlo(props: SloProps): ServiceLevelObjective {
    return this.createSlo(props, 'addSlo()');
  }

  /** The SLO with this name; throws, listing the known names, when there is none. */
  public slo(name: string): ServiceLevelObjective {
    const found = this.slosByName.get(name);
    if (!found) {
      const known = [...this.slosByName.keys()].map((n) => `'${n}'`).join(', ') || 'none';
      throw new Error(`${this.node.path}: service '${this.serviceName}' has no SLO named '${name}'; it has: ${known}`);
    }
    return found;
  }

  /** All SLOs, in the order they were declared. */
  public get slos(): ServiceLevelObjective[] {
    return [...this.slosByName.values()];
  }

  /**
   * Adds an AWS FIS experiment: the fault, halted by the service's page alarms, with a
   * steady-state check before and a recovery check after.
   *
   * ```ts
   * checkout.addExperiment('slow-handler', {
   *   fault: Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800), invocationPercentage: 25 }),
   *   duration: Duration.minutes(10),
   *   gameDay: GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'Europe/Berlin' }),
   * });
   * ```
   */
  public addExperiment(name: string, props: ExperimentProps): ChaosExperiment {
    const nameProblem = namePartProblem(name);
    if (nameProblem) {
      throw new Error(`${this.node.path}: addExperiment(): name ${nameProblem}`);
    }
    if (this.experimentsByName.has(name)) {
      throw new Error(`${this.node.path}: addExperiment(): name '${name}' is already used by another experiment of service '${this.serviceName}'; experiment names must be unique within a service (the game-day runner finds experiments by them)`);
    }
    const experiment = new ChaosExperiment(this, `Experiment-${name}`, {
      ...props,
      serviceName: this.serviceName,
      experimentName: name,
      pageAlarms: { alarms: () => this.slos.flatMap((slo) => slo.pageAlarm ? [slo.pageAlarm] : []) },
      dashboardName: this.dashboard?.dashboardName,
    });
    this.experimentsByName.set(name, experiment);
    this.dashboard?.addExperiment(experiment);
    return experiment;
  }

  /** The experiment with this name; throws, listing the known names, when there is none. */
  public experiment(name: string): ChaosExperiment {
    const found = this.experimentsByName.get(name);
    if (!found) {
      const known = [...this.experimentsByName.keys()].map((n) => `'${n}'`).join(', ') || 'none';
      throw new Error(`${this.node.path}: service '${this.serviceName}' has no experiment named '${name}'; it has: ${known}`);
    }
    return found;
  }

  /** All experiments, in the order they were added. */
  public get experiments(): ChaosExperiment[] {
    return [...this.experimentsByName.values()];
  }

  private createSlo(given: SloProps, prop: string): ServiceLevelObjective {
    const where = `${this.node.path}: ${prop}`;
    const props = readSloProps(where, given);
    const nameProblem = namePartProblem(props?.name);
    if (nameProblem) {
      throw new Error(`${where}: name ${nameProblem}`);
    }
    if (this.slosByName.has(props.name)) {
      throw new Error(`${where}: name '${props.name}' is already used by another SLO of service '${this.serviceName}'; SLO names must be unique within a service (they are part of alarm names)`);
    }
    const slo = new ServiceLevelObjective(this, props.name, {
      ...props,
      runbookUrl: props.runbookUrl ?? this.runbookUrl,
      serviceName: this.serviceName,
    });
    this.slosByName.set(props.name, slo);
    this.dashboard?.addSlo(slo);
    if (this.escalation) {
      this.wireEscalation(slo, this.escalation);
    }
    return slo;
  }

  /** Page composite -> page topic, ticket composite -> ticket topic (ALARM and OK), tagged for the escalation function. */
  private wireEscalation(slo: ServiceLevelObjective, escalation: IEscalationPolicy): void {
    const wiring = [
      { severity: Severity.PAGE, alarm: slo.pageAlarm, topic: escalation.pageTopic },
      { severity: Severity.TICKET, alarm: slo.ticketAlarm, topic: escalation.ticketTopic },
    ];
    for (const { severity, alarm, topic } of wiring) {
      if (!alarm) {
        continue;
      }
      const action = new SnsAction(topic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      const tags = escalationAlarmTags({
        serviceName: this.serviceName,
        sloName: slo.name,
        severity,
        objective: slo.objective,
        windowSeconds: slo.window.toSeconds(),
        runbookUrl: slo.runbookUrl,
        dashboardName: this.dashboard?.dashboardName,
      });
      for (const [key, value] of Object.entries(tags)) {
        Tags.of(alarm).add(key, value);
      }
      escalation.registerAlarm(compositeAlarmName(this.serviceName, slo.name, severity));
    }
  }

  /** The service's dashboard, named after the service; refuses a name another service's dashboard already has. */
  private createDashboard(): ServiceDashboard {
    // Dashboard names keep only letters, digits, - and _: 'a.b' and 'a-b' would share one.
    const dashboardName = dashboardNameFor(this.serviceName);
    const holder = claimPhysicalName(this, 'dashboard', dashboardName);
    if (holder !== undefined) {
      throw new Error(`${this.node.path}: serviceName '${this.serviceName}' gives dashboard name '${dashboardName}', already used by ${holder} `
        + `(dashboard names replace characters other than letters, digits, - and _ with -). Rename one service, or pass dashboard: false`);
    }
    return new ServiceDashboard(this, 'Dashboard', {
      dashboardName,
      title: `${this.serviceName}: service level objectives${this.owner ? ` (owner: ${this.owner})` : ''}`,
      escalation: this.escalation,
    });
  }

  /** A service without an escalation policy has alarms that notify nobody: say so, acknowledgeably. */
  private warnWithoutEscalation(): void {
    Annotations.of(this).addWarningV2('cdk-reliability:no-escalation',
      `${this.node.path}: service '${this.serviceName}' has no escalation policy, so its page and ticket alarms notify nobody. `
      + 'Pass escalation (an EscalationPolicy), or wire the alarms yourself (service.slo(name).pageAlarm.addAlarmAction(...)) and acknowledge this warning');
  }

  /** Refuses a second service with this name in the same app and environment: alarm names would collide. */
  private claimServiceName(): void {
    const holder = claimPhysicalName(this, 'service', this.serviceName);
    if (holder !== undefined) {
      throw new Error(`${this.node.path}: serviceName '${this.serviceName}' is already used by ${holder} in the same account and region `
        + `(${environmentOf(this)}); alarm names would collide at deploy time. Give each service a unique serviceName (e.g. add a stage suffix)`);
    }
  }
}

/**
 * What is wrong with a service's props, each with its prop name, and its list of SLOs read once
 * (each SLO is checked when it is created). The escalation policy is checked against the
 * service's environment.
 */
function checkProps(service: Construct, props: ReliableServiceProps): { readonly problems: Problem[]; readonly slos?: unknown[] } {
  const problems: Problem[] = [];
  const add = (prop: string, message: string | undefined) => {
    if (message) {
      problems.push({ prop, message });
    }
  };
  add('serviceName', namePartProblem(props?.serviceName));
  // only a string can be a token: asking whether anything else is one reads it (a Proxy's traps may throw)
  if (props?.runbookUrl !== undefined && !(typeof props.runbookUrl === 'string' && Token.isUnresolved(props.runbookUrl))) {
    add('runbookUrl', runbookUrlProblem(props.runbookUrl));
  }
  const slos = readList(props?.slos);
  if (!slos.ok) {
    add('slos', slos.problem);
  } else if (props?.slos !== undefined && slos.value === undefined) {
    add('slos', `must be a list of SLOs, got ${describeValue(props.slos)}`);
  }
  if (props?.critical !== undefined && typeof props.critical !== 'boolean') {
    add('critical', `must be true or false, got ${describeValue(props.critical)}`);
  }
  if (props?.dashboard !== undefined && typeof props.dashboard !== 'boolean') {
    add('dashboard', `must be true or false (whether to declare the service's CloudWatch dashboard), got ${describeValue(props.dashboard)}`);
  }
  if (props?.owner !== undefined) {
    const p = textProblem(props.owner, MAX_OWNER_LENGTH, (text) => Token.isUnresolved(text));
    add('owner', p && `${p} (the team that owns the service, e.g. "payments-team", up to ${MAX_OWNER_LENGTH} characters on one line: `
      + 'it is shown in the dashboard title, the manifest and the report)');
  }
  if (props?.escalation !== undefined) {
    add('escalation', escalationProblem(service, props.escalation));
  }
  return { problems, slos: slos.ok ? slos.value : undefined };
}

/**
 * The props of one SLO as a plain object, each read once: a list entry or `addSlo()` argument
 * that is not an object, or whose reading throws (a getter, a Proxy), is refused with `where`.
 */
function readSloProps(where: string, given: unknown): SloProps {
  if (given === undefined || given === null || typeof given !== 'object') {
    throw new Error(`${where}: must be an SLO's props ({ name, objective, sli }), got ${describeValue(given)}`);
  }
  let keys: string[];
  try {
    keys = Object.keys(given);
  } catch (e) {
    throw new Error(`${where} ${unreadable(e)}`);
  }
  const props: Record<string, unknown> = {};
  for (const key of keys) {
    const value = readProperty(given, key);
    if (!value.ok) {
      throw new Error(`${where}: ${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)} ${value.problem}`);
    }
    props[key] = value.value;
  }
  return props as unknown as SloProps;
}

/** An escalation policy must be one, and live in the service's account and region. */
function escalationProblem(service: Construct, given: unknown): string | undefined {
  let isPolicy: boolean;
  try {
    isPolicy = EscalationPolicy.isEscalationPolicy(given);
  } catch (e) {
    return unreadable(e);
  }
  if (!isPolicy) {
    return 'must be an IEscalationPolicy: an EscalationPolicy (new EscalationPolicy(scope, id, { levels })) or a construct with a string policyName, '
      + `pageTopic and ticketTopic (ITopic) and a registerAlarm(alarmName) method; got ${describeValue(given)}`;
  }
  const escalation = given as EscalationPolicy;
  const here = Stack.of(service);
  const there = Stack.of(escalation);
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  if (differs(here.region, there.region) || differs(here.account, there.account)) {
    return `policy '${escalation.policyName}' (${escalation.node.path}) is in ${there.account}/${there.region}, the service in ${here.account}/${here.region}: `
      + 'alarm actions notify topics of their own region, and the policy reads the alarms of its own account. Create one policy per account and region';
  }
  return undefined;
}
