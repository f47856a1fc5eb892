import { FactLocation, ReliabilityFacts } from './facts';

/** How a finding of a rule is reported at synth. */
export enum RuleLevel {
  /** Fails `cdk synth` unless suppressed with `Validations.of(construct).acknowledge({ id, reason })`. */
  ERROR = 'error',
  /** Printed by `cdk synth`, which still succeeds. */
  WARNING = 'warning',
}

/** One thing a rule found wrong, about one construct or resource. */
export interface RuleFinding {
  /** What the finding is about; suppressions on its construct or an ancestor apply. */
  readonly subject: FactLocation;
  /** What is wrong, naming the service, SLO or resource: one or two sentences. */
  readonly message: string;
  /**
   * Where in the template (`Properties/AlarmActions`).
   * @default - the resource as a whole
   */
  readonly locations?: string[];
}

/**
 * A reliability rule: a pure check over the facts of an app. No finding means compliant (or not
 * applicable); each finding is one non-compliant construct or resource. Implement it to add a
 * rule of your own (`ReliabilityChecksProps.rules`).
 */
export interface IReliabilityRule {
  /**
   * What acknowledgements and `levels` name: `RELIABILITY-001` for the built-in rules; for your
   * own, upper-case words of letters and digits joined by `-` (`TEAM-001`), not starting with
   * `RELIABILITY-`.
   */
  readonly id: string;
  /** A readable name: `service-has-slo`. */
  readonly name: string;
  /** How its findings are reported, unless `ReliabilityChecksProps.levels` says otherwise. */
  readonly level: RuleLevel;
  /** What the rule requires, in one line: `every service has at least one SLO`. */
  readonly summary: string;
  /** Why the rule exists: what goes wrong in production without it. */
  readonly explanation: string;
  /** How to comply. */
  readonly fix: string;
  /**
   * The rule's findings over the facts of an app: none when every construct complies. A rule
   * that throws fails synth with a finding that names it and its error.
   * @param facts what the app declares and what its templates contain
   */
  check(facts: ReliabilityFacts): RuleFinding[];
}

/** `'checkout', 'search'`. */
export function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/** Only the location fields of a fact, for a finding's subject. */
export function locationOf(fact: FactLocation): FactLocation {
  return {
    constructPath: fact.constructPath,
    stackPath: fact.stackPath,
    ...(fact.templatePath !== undefined ? { templatePath: fact.templatePath } : {}),
    ...(fact.logicalId !== undefined ? { logicalId: fact.logicalId } : {}),
  };
}
