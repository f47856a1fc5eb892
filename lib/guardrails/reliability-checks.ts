import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { describeValue, quote } from '../private/describe';
import { packageRoot } from '../private/package-root';
import { formatProblems, Problem } from '../private/problems';
import {
  SUPPRESSION_RULE_ID, isAncestorOrSelf, isBareIdSuppression, MIN_REASON_LENGTH, PLUGIN_NAME, readSuppressions,
} from './suppressions';
import { collectFacts } from './collect-facts';
import { EvaluatedFinding, evaluate, Evaluation } from './evaluate';
import { ReliabilityFacts } from './facts';
import { IReliabilityRule, RuleLevel } from './rule';
import { customRuleProblems, RULE_ID_FORMAT } from './rule-definitions';
import { RELIABILITY_RULES } from './rules';

/** Props of `ReliabilityChecks`. */
export interface ReliabilityChecksProps {
  /**
   * Names (`serviceName`) of services held to the critical policy, besides those declared with
   * `critical: true`: an availability and a latency SLO, an experiment, an escalation chain of
   * more than one level that repeats. A name that is no service of the app fails the check.
   * @default - only services declared `critical: true`
   */
  readonly criticalServices?: string[];

  /**
   * Levels that replace the rules' own, by rule id, e.g. `{ 'RELIABILITY-008': RuleLevel.ERROR }`
   * to fail synth on uncovered resources.
   * @default - each rule's own level (see the rule table of docs/guardrails.md)
   */
  readonly levels?: { [ruleId: string]: RuleLevel };

  /**
   * Rules of your own, run besides the built-in ones: classes implementing `IReliabilityRule`, in
   * any jsii language. Their findings are reported, leveled (`levels`) and acknowledged
   * (`Validations.of(x).acknowledge({ id, reason })`, with a reason) exactly as the built-in
   * rules' are. An id is upper-case words of letters and digits joined by `-` (`TEAM-001`),
   * unique, and does not start with `RELIABILITY-`, which the built-in rules use. A rule whose
   * `check()` throws or returns something other than findings fails synth, naming the rule.
   * @default - only the built-in rules
   */
  readonly rules?: IReliabilityRule[];
}

/**
 * The reliability policy checked at synth, as an aws-cdk-lib policy-validation plugin:
 *
 * ```ts
 * Validations.of(app).addPlugins(new ReliabilityChecks({ criticalServices: ['checkout'] }));
 * // a finding that does not apply, acknowledged on the construct (or an ancestor) with a reason:
 * Validations.of(reserveStock).acknowledge({ id: 'RELIABILITY-008', reason: 'Invoked only by the fulfilment workflow, whose SLO counts its failures' });
 * ```
 *
 * Findings of error level fail `cdk synth`, warnings are printed. Acknowledged findings are listed
 * in `cdk.out/validation-report.json` under `suppressedViolations`, with their reason.
 */
export class ReliabilityChecks implements IPolicyValidationPlugin {
  /** `cdk-reliability`: the plugin's name in the validation report, and the namespace of its rule ids. */
  public readonly name: string = PLUGIN_NAME;
  /**
   * This package's version, for the report.
   * @default - unknown when the package root cannot be found
   */
  public readonly version?: string;
  /** The ids of every rule the plugin reports: `RELIABILITY-000` (suppressions need a reason) and the rules'. */
  public readonly ruleIds?: string[];
  /** The rules run: the built-in ones in id order, then the custom ones (`props.rules`) in the order given. */
  public readonly rules: IReliabilityRule[];
  private readonly criticalServices: string[];
  private readonly levels: { [ruleId: string]: RuleLevel };
  private readonly customRuleIds: string[];

  constructor(props: ReliabilityChecksProps = {}) {
    const problems: Problem[] = [];
    const critical = props?.criticalServices ?? [];
    if (!Array.isArray(critical) || critical.some((n) => typeof n !== 'string' || n.length === 0)) {
      problems.push({ prop: 'criticalServices', message: `must be a list of service names, got ${describeValue(props.criticalServices)}` });
    }
    const custom = props?.rules ?? [];
    const customProblems = customRuleProblems(custom);
    problems.push(...customProblems);
    this.rules = [...RELIABILITY_RULES, ...(customProblems.length === 0 ? custom : [])];
    const levels = props?.levels ?? {};
    for (const [id, level] of Object.entries(levels)) {
      // while the custom rules are refused, a level for an id of their format may name one of them: not reported twice
      if (!this.rules.some((r) => r.id === id) && (customProblems.length === 0 || !RULE_ID_FORMAT.test(id))) {
        problems.push({ prop: 'levels', message: `${quote(id)} is no rule; rules: ${this.rules.map((r) => r.id).join(', ')}` });
      }
      if (level !== RuleLevel.ERROR && level !== RuleLevel.WARNING) {
        problems.push({ prop: `levels[${quote(id)}]`, message: `must be RuleLevel.ERROR or RuleLevel.WARNING, got ${describeValue(level)}` });
      }
    }
    if (problems.length > 0) {
      throw new Error(formatProblems('ReliabilityChecks', problems));
    }
    this.criticalServices = [...critical];
    this.levels = { ...levels };
    this.customRuleIds = custom.map((r) => r.id);
    this.ruleIds = [SUPPRESSION_RULE_ID, ...this.rules.map((r) => r.id)];
    this.version = packageVersion();
  }

  /**
   * Checks the app: called by aws-cdk-lib at synth, after the templates are written.
   * @param context the app and its stacks' templates
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const facts = collectFacts(context.appConstruct, { stacks: context.stackTemplates, criticalServices: this.criticalServices });
    this.checkCriticalServices(facts);
    const suppressions = readSuppressions(context.appConstruct, this.customRuleIds);
    const evaluation = evaluate(facts, suppressions, { rules: this.rules, levels: this.levels });
    const scope = context.stackTemplates.map((s) => s.stackConstructPath);
    return toReport(facts, evaluation, scope, context.appConstruct.node.path);
  }

  private checkCriticalServices(facts: ReliabilityFacts): void {
    const known = facts.services.map((s) => s.name);
    const unknown = this.criticalServices.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new Error(`criticalServices: ${unknown.map((n) => `'${n}'`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} no service of the app; `
        + `its services are ${known.map((n) => `'${n}'`).join(', ') || 'none'}`);
    }
  }
}

/**
 * The plugin report: findings not suppressed as violations; suppressed ones too, under the rule
 * name aws-cdk-lib matches to the suppression's metadata key, so that aws-cdk-lib lists them as
 * suppressed with their reason; refused suppressions as `fatal` (never suppressed).
 */
export function toReport(facts: ReliabilityFacts, evaluation: Evaluation, scopeStacks: readonly string[], appPath = ''): PolicyValidationPluginReport {
  const inScope = (stackPath: string) => scopeStacks.includes(stackPath);
  const findings = evaluation.findings.filter((f) => inScope(f.subject.stackPath));
  const violations: PolicyViolation[] = findings.map(toViolation);
  for (const { record, message } of evaluation.refusedSuppressions) {
    if (!scopeStacks.some((s) => isAncestorOrSelf(record.constructPath, s) || isAncestorOrSelf(s, record.constructPath))) {
      continue;
    }
    violations.push({
      ruleName: SUPPRESSION_RULE_ID,
      description: `[acknowledgement-reason] ${message}`,
      fix: `Acknowledge with a written reason of at least ${MIN_REASON_LENGTH} characters: Validations.of(construct).acknowledge({ id: '${record.ruleId}', reason: '…' }).`,
      severity: 'fatal',
      ruleMetadata: {
        rule: 'acknowledgement-reason',
        explanation: 'An acknowledgement is a decision someone reviews later; without a reason it is a silenced alarm. Refused acknowledgements fail synth and cannot themselves be acknowledged.',
      },
      violatingResources: [{ constructPath: record.constructPath, locations: [] }],
    });
  }
  for (const { rule, message } of evaluation.failedRules) {
    violations.push({
      ruleName: rule.id,
      description: `[${rule.name}] rule ${rule.id} failed, so whether the app complies with it is unknown: ${message}`,
      fix: `Fix the rule's check(facts): it returns a list of findings (none when the app complies) and does not throw.`,
      severity: 'fatal',
      ruleMetadata: {
        rule: rule.name,
        explanation: 'A rule that fails checks nothing; passing synth anyway would report a compliance nobody checked. A failed rule cannot be acknowledged: fix it, or remove it from rules.',
      },
      violatingResources: [{ constructPath: appPath, locations: [] }],
    });
  }
  const suppressed = findings.filter((f) => f.suppression !== undefined).length;
  const services = facts.services.filter((s) => inScope(s.stackPath));
  const workloads = facts.workloads.filter((w) => w.excludedBecause === undefined).length;
  return {
    success: !violations.some((v) => v.severity === RuleLevel.ERROR || v.severity === 'fatal'),
    violations,
    metadata: {
      checked: `${services.length} services, ${services.reduce((n, s) => n + s.slos.length, 0)} SLOs, ${facts.alarms.length} alarms, `
        + `${facts.experimentTemplates.length} experiment templates, ${workloads} workloads`,
      findings: `${findings.length} (${suppressed} acknowledged)`,
    },
  };
}

function toViolation(finding: EvaluatedFinding): PolicyViolation {
  const { rule, subject, suppression } = finding;
  // aws-cdk-lib suppresses a violation whose rule name, in the plugin's namespace, equals an
  // suppression's key on its construct or an ancestor. A bare-id suppression is recorded as
  // `Annotation::<id>`, so a suppressed finding carries that key as its rule name.
  const ruleName = suppression !== undefined && isBareIdSuppression(suppression) ? suppression.key : rule.id;
  return {
    ruleName,
    description: `[${rule.name}] ${finding.message}`,
    fix: rule.fix,
    severity: finding.level,
    ruleMetadata: { rule: rule.name, explanation: rule.explanation },
    violatingResources: [{
      constructPath: subject.constructPath,
      ...(subject.logicalId !== undefined ? { resourceLogicalId: subject.logicalId } : {}),
      ...(subject.templatePath !== undefined ? { templatePath: subject.templatePath } : {}),
      locations: finding.locations ?? [],
    }],
  };
}

/** This package's version, for the report; undefined when the package root cannot be found. */
function packageVersion(): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot(__dirname), 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
