import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { namePartProblem } from '../slo/names';
import { runbookUrlProblem } from '../slo/validation';
import { claimPhysicalName, environmentOf } from './physical-names';
import { formatProblems, ServiceLevelObjective, SloProps } from './service-level-objective';

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
   * The team that owns the service, for descriptions and reports.
   * @default - not recorded
   */
  readonly owner?: string;
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
  public readonly serviceName: string;
  /** @default - no runbook */
  public readonly runbookUrl?: string;
  /** @default - no owner recorded */
  public readonly owner?: string;
  private readonly slosByName = new Map<string, ServiceLevelObjective>();

  constructor(scope: Construct, id: string, props: ReliableServiceProps) {
    super(scope, id);
    const problems: { prop: string; message: string }[] = [];
    const nameProblem = namePartProblem(props?.serviceName);
    if (nameProblem) {
      problems.push({ prop: 'serviceName', message: nameProblem });
    }
    if (props?.runbookUrl !== undefined && !Token.isUnresolved(props.runbookUrl)) {
      const p = runbookUrlProblem(props.runbookUrl);
      if (p) {
        problems.push({ prop: 'runbookUrl', message: p });
      }
    }
    if (props?.slos !== undefined && !Array.isArray(props.slos)) {
      problems.push({ prop: 'slos', message: `must be a list of SLOs, got ${typeof props.slos}` });
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(this.node.path, problems));
    }

    this.serviceName = props.serviceName;
    this.runbookUrl = props.runbookUrl;
    this.owner = props.owner;
    this.claimServiceName();

    (props.slos ?? []).forEach((slo, i) => this.createSlo(slo, `slos[${i}]`));

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

  private createSlo(props: SloProps, prop: string): ServiceLevelObjective {
    const where = `${this.node.path}: ${prop}`;
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
    return slo;
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
