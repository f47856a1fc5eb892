/**
 * Checking rules a user hands to `ReliabilityChecks`, and what their `check()` returns. A rule
 * may come from any jsii language, so nothing is assumed about its shape: every member is read
 * once, defensively (a getter may throw), and described in the error when it is wrong.
 *
 * Pure: no constructs.
 */
import { describeError, describeValue, quote, readList, readProperty } from '../private/describe';
import { Problem } from '../private/problems';
import { ReliabilityFacts } from './facts';
import { IReliabilityRule, RuleFinding, RuleLevel } from './rule';

/** The format of a custom rule's id: upper-case words of letters and digits joined by `-` (`TEAM-001`, `PAYMENTS-SLO-CAP`). */
export const RULE_ID_FORMAT = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;
/** Ids the library's own rules use; a custom rule's id may not start with it, so a future built-in rule never clashes with one. */
export const RESERVED_ID_PREFIX = 'RELIABILITY-';

const IS_A_RULE = 'an IReliabilityRule: an object with id, name, level, summary, explanation, fix and check(facts)';
const TEXT_MEMBERS = ['name', 'summary', 'explanation', 'fix'] as const;

/** What is wrong with the custom rules given as `rules`, each problem naming the rule by index and member. */
export function customRuleProblems(value: unknown): Problem[] {
  const list = readList(value);
  if (!list.ok) {
    return [{ prop: 'rules', message: list.problem }];
  }
  if (list.value === undefined) {
    return [{ prop: 'rules', message: `must be a list of rules (IReliabilityRule), got ${describeValue(value)}` }];
  }
  const problems: Problem[] = [];
  const firstIndexOf = new Map<string, number>();
  list.value.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (typeof rule !== 'object' || rule === null) {
      problems.push({ prop: at, message: `must be ${IS_A_RULE}, got ${describeValue(rule)}` });
      return;
    }
    const id = idProblem(readProperty(rule, 'id'));
    if (id.problem !== undefined) {
      problems.push({ prop: `${at}.id`, message: id.problem });
    } else if (firstIndexOf.has(id.value)) {
      problems.push({ prop: `${at}.id`, message: `${quote(id.value)} is also the id of rules[${firstIndexOf.get(id.value)}]; rule ids must be unique` });
    } else {
      firstIndexOf.set(id.value, index);
    }
    const level = readProperty(rule, 'level');
    if (!level.ok || (level.value !== RuleLevel.ERROR && level.value !== RuleLevel.WARNING)) {
      problems.push({ prop: `${at}.level`, message: level.ok ? `must be RuleLevel.ERROR or RuleLevel.WARNING, got ${describeValue(level.value)}` : level.problem });
    }
    for (const member of TEXT_MEMBERS) {
      const text = readProperty(rule, member);
      if (!text.ok || typeof text.value !== 'string' || text.value.trim() === '') {
        problems.push({ prop: `${at}.${member}`, message: text.ok ? `must be a non-empty string (it appears in every finding), got ${describeValue(text.value)}` : text.problem });
      }
    }
    const check = readProperty(rule, 'check');
    if (!check.ok || typeof check.value !== 'function') {
      problems.push({ prop: `${at}.check`, message: check.ok ? `must be a method check(facts) returning the rule's findings, got ${describeValue(check.value)}; a rule is ${IS_A_RULE}` : check.problem });
    }
  });
  return problems;
}

function idProblem(id: ReturnType<typeof readProperty>): { problem: string; value?: undefined } | { problem?: undefined; value: string } {
  if (!id.ok) {
    return { problem: id.problem };
  }
  if (typeof id.value !== 'string' || !RULE_ID_FORMAT.test(id.value)) {
    return { problem: `must be upper-case words of letters and digits joined by '-', such as 'TEAM-001', got ${describeValue(id.value)}` };
  }
  if (id.value.startsWith(RESERVED_ID_PREFIX)) {
    return { problem: `${quote(id.value)} starts with '${RESERVED_ID_PREFIX}', which is reserved for the built-in rules; use a prefix of your own, such as 'TEAM-001'` };
  }
  return { value: id.value };
}

/** The outcome of running one rule: its findings, or why it failed. */
export type RuleRun = { readonly findings: RuleFinding[]; readonly failure?: undefined } | { readonly findings?: undefined; readonly failure: string };

/**
 * Runs `rule.check()`: its findings when it returns a list of well-formed findings; otherwise
 * (it threw, or returned something else) what went wrong, in one sentence.
 */
export function runRule(rule: IReliabilityRule, facts: ReliabilityFacts): RuleRun {
  let returned: unknown;
  try {
    returned = rule.check(facts);
  } catch (e) {
    return { failure: `check() threw ${describeError(e)}` };
  }
  const list = readList(returned);
  if (!list.ok || list.value === undefined) {
    return { failure: `check() must return a list of findings (RuleFinding), but it returned ${list.ok ? describeValue(returned) : `a list that ${list.problem}`}` };
  }
  for (const [index, finding] of list.value.entries()) {
    const problem = findingProblem(finding);
    if (problem !== undefined) {
      return { failure: `check() returned a malformed finding: findings[${index}]${problem}` };
    }
  }
  return { findings: list.value as RuleFinding[] };
}

/** `.subject.stackPath: must be a string, got undefined`, or undefined for a well-formed finding. */
function findingProblem(finding: unknown): string | undefined {
  if (typeof finding !== 'object' || finding === null) {
    return `: must be a RuleFinding (subject and message), got ${describeValue(finding)}`;
  }
  const fields: [string, (v: unknown) => boolean, string][] = [
    ['message', (v) => typeof v === 'string' && v.trim() !== '', 'a non-empty string'],
    ['locations', (v) => v === undefined || (Array.isArray(v) && v.every((l) => typeof l === 'string')), 'a list of strings, or absent'],
    ['subject', (v) => typeof v === 'object' && v !== null, 'a FactLocation (the constructPath and stackPath of what the finding is about)'],
  ];
  for (const [field, valid, expected] of fields) {
    const value = readProperty(finding, field);
    if (!value.ok) {
      return `.${field}: ${value.problem}`;
    }
    if (!valid(value.value)) {
      return `.${field}: must be ${expected}, got ${describeValue(value.value)}`;
    }
  }
  const subject = (finding as RuleFinding).subject;
  for (const [field, required] of [['constructPath', true], ['stackPath', true], ['templatePath', false], ['logicalId', false]] as const) {
    const value = readProperty(subject, field);
    if (!value.ok) {
      return `.subject.${field}: ${value.problem}`;
    }
    if (typeof value.value !== 'string' && (required || value.value !== undefined)) {
      return `.subject.${field}: must be a string${required ? '' : ', or absent'}, got ${describeValue(value.value)}`;
    }
  }
  return undefined;
}
