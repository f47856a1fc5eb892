/**
 * Runs rules over facts and applies suppressions: pure, no constructs.
 */
import { Suppression, refusedSuppressions, applicableSuppression } from './suppressions';
import { ReliabilityFacts } from './facts';
import { IReliabilityRule, RuleFinding, RuleLevel } from './rule';
import { runRule } from './rule-definitions';

/** A finding with its rule, the level it is reported at, and the suppression that applies, if any. */
export interface EvaluatedFinding extends RuleFinding {
  readonly rule: IReliabilityRule;
  readonly level: RuleLevel;
  /** @default - not suppressed */
  readonly suppression?: Suppression;
}

/** What the checks found. */
export interface Evaluation {
  /** Findings of the rules, suppressed or not, in rule order. */
  readonly findings: EvaluatedFinding[];
  /** Refused suppressions (RELIABILITY-000): no reason, or an unknown rule. They fail synth and cannot be suppressed. */
  readonly refusedSuppressions: { readonly record: Suppression; readonly message: string }[];
  /** Rules that threw or returned something other than findings: their findings are unknown, so they fail synth and cannot be suppressed. */
  readonly failedRules: { readonly rule: IReliabilityRule; readonly message: string }[];
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  readonly rules: readonly IReliabilityRule[];
  /**
   * Levels that replace the rules' own, by rule id.
   * @default - each rule's level
   */
  readonly levels?: Readonly<Record<string, RuleLevel>>;
}

/**
 * Runs every rule over the facts; a finding is suppressed by the closest suppression with a reason
 * on its construct or an ancestor. A rule that fails is recorded and the others still run, so one
 * broken rule does not hide the findings of the rest.
 */
export function evaluate(facts: ReliabilityFacts, suppressions: readonly Suppression[], options: EvaluateOptions): Evaluation {
  const findings: EvaluatedFinding[] = [];
  const failedRules: Evaluation['failedRules'] = [];
  for (const rule of options.rules) {
    const run = runRule(rule, facts);
    if (run.failure !== undefined) {
      failedRules.push({ rule, message: run.failure });
      continue;
    }
    findings.push(...run.findings.map((finding): EvaluatedFinding => {
      const suppression = applicableSuppression(suppressions, rule.id, finding.subject.constructPath);
      return { ...finding, rule, level: options.levels?.[rule.id] ?? rule.level, ...(suppression ? { suppression } : {}) };
    }));
  }
  return { findings, refusedSuppressions: refusedSuppressions(suppressions, options.rules.map((r) => r.id)), failedRules };
}
