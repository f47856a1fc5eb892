/**
 * Runs rules over facts and applies acknowledgements: pure, no constructs.
 */
import { AcknowledgementRecord, acknowledgementProblems, applicableAcknowledgement } from './acknowledgements';
import { ReliabilityFacts } from './facts';
import { ReliabilityRule, RuleFinding, RuleLevel } from './rule';

/** A finding with its rule, the level it is reported at, and the acknowledgement that applies, if any. */
export interface EvaluatedFinding extends RuleFinding {
  readonly rule: ReliabilityRule;
  readonly level: RuleLevel;
  /** @default - not acknowledged */
  readonly acknowledgement?: AcknowledgementRecord;
}

/** What the checks found. */
export interface Evaluation {
  /** Findings of the rules, acknowledged or not, in rule order. */
  readonly findings: EvaluatedFinding[];
  /** Refused acknowledgements (RELIABILITY-000): no reason, or an unknown rule. They fail synth and cannot be acknowledged. */
  readonly refusedAcknowledgements: { readonly record: AcknowledgementRecord; readonly message: string }[];
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  readonly rules: readonly ReliabilityRule[];
  /**
   * Levels that replace the rules' own, by rule id.
   * @default - each rule's level
   */
  readonly levels?: Readonly<Record<string, RuleLevel>>;
}

/** Runs every rule over the facts; a finding is acknowledged by the closest acknowledgement with a reason on its construct or an ancestor. */
export function evaluate(facts: ReliabilityFacts, acknowledgements: readonly AcknowledgementRecord[], options: EvaluateOptions): Evaluation {
  const findings = options.rules.flatMap((rule) => rule.check(facts).map((finding): EvaluatedFinding => {
    const acknowledgement = applicableAcknowledgement(acknowledgements, rule.id, finding.subject.constructPath);
    return { ...finding, rule, level: options.levels?.[rule.id] ?? rule.level, ...(acknowledgement ? { acknowledgement } : {}) };
  }));
  return { findings, refusedAcknowledgements: acknowledgementProblems(acknowledgements, options.rules.map((r) => r.id)) };
}
