/**
 * Suppressions of reliability findings, each with a written reason. Users record them with
 * aws-cdk-lib's `Validations.of(scope).acknowledge({ id, reason })`, so the messages of the
 * report quote that call ("the acknowledgement of RELIABILITY-008 ..."); inside this library a
 * suppression is what it is called ("acknowledge" means an on-call person acknowledging a page).
 *
 * aws-cdk-lib records each one as construct metadata (`aws:cdk:acknowledged-rules`,
 * `{ '<namespace>::<rule>': reason }`). A bare id (`RELIABILITY-008`) gets the namespace
 * `Annotation`; `cdk-reliability::RELIABILITY-008` names this plugin. aws-cdk-lib itself only
 * matches the plugin's namespace against plugin violations, and accepts any reason, even an empty
 * one. So the checks read the metadata themselves: both forms count, only with a written reason.
 */
import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The plugin's name, and the namespace of its rule ids in suppressions (`cdk-reliability::RELIABILITY-008`). */
export const PLUGIN_NAME = 'cdk-reliability';
/** The namespace aws-cdk-lib gives a suppressed rule id recorded without one (a bare id). */
export const BARE_ID_NAMESPACE = 'Annotation';
/** A suppression's reason must have at least this many characters (not counting surrounding spaces). */
export const MIN_REASON_LENGTH = 10;
/** The id of the check on suppressions themselves; its findings cannot be suppressed. */
export const SUPPRESSION_RULE_ID = 'RELIABILITY-000';

/** The built-in rules' ids; a bare id of this form that names no rule is refused (a typo), other bare ids may be other plugins'. */
const BUILT_IN_RULE_ID = /^RELIABILITY-\d+$/;

/** One suppression of a reliability rule, as recorded on a construct. */
export interface Suppression {
  /** `RELIABILITY-008`. */
  readonly ruleId: string;
  /** The metadata key as aws-cdk-lib recorded it: `Annotation::RELIABILITY-008` or `cdk-reliability::RELIABILITY-008`. */
  readonly key: string;
  readonly reason: string;
  /** Where it was recorded; it applies to this construct and everything under it. */
  readonly constructPath: string;
}

/**
 * Every suppression of a rule of the checks under `root` (the last one wins per construct and key):
 * in the plugin's namespace any id, as a bare id a `RELIABILITY-*` id or the id of a custom rule.
 * @param customRuleIds the ids of the custom rules the checks run
 */
export function readSuppressions(root: IConstruct, customRuleIds: readonly string[] = []): Suppression[] {
  const records: Suppression[] = [];
  for (const construct of root.node.findAll()) {
    const latest = new Map<string, Suppression>();
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) {
        continue;
      }
      for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        const ruleId = reliabilityRuleId(key, customRuleIds);
        if (ruleId !== undefined) {
          latest.set(key, { ruleId, key, reason: typeof reason === 'string' ? reason : '', constructPath: construct.node.path });
        }
      }
    }
    records.push(...latest.values());
  }
  return records;
}

/**
 * `RELIABILITY-008` for the keys `Annotation::RELIABILITY-008` (a bare id) and
 * `cdk-reliability::RELIABILITY-008`, `TEAM-001` for `Annotation::TEAM-001` when a custom rule has
 * that id, any id in the plugin's namespace; undefined for other plugins' rules and namespaces.
 */
export function reliabilityRuleId(key: string, customRuleIds: readonly string[] = []): string | undefined {
  const separator = key.indexOf('::');
  if (separator === -1) {
    return undefined; // aws-cdk-lib always records a namespace
  }
  const namespace = key.slice(0, separator);
  const ruleId = key.slice(separator + 2);
  // aws-cdk-lib before 2.262.1 wrote `annotation::`, later releases `Annotation::`
  if (namespace === PLUGIN_NAME) {
    return ruleId;
  }
  const bare = namespace.toLowerCase() === BARE_ID_NAMESPACE.toLowerCase();
  return bare && (BUILT_IN_RULE_ID.test(ruleId) || customRuleIds.includes(ruleId)) ? ruleId : undefined;
}

/** Why a reason is not accepted, or undefined when it is. */
export function reasonProblem(reason: string): string | undefined {
  const text = reason.trim();
  if (text.length === 0) {
    return 'has no reason';
  }
  if (text.length < MIN_REASON_LENGTH) {
    return `has a reason of ${text.length} characters ('${text}'); write at least ${MIN_REASON_LENGTH}: why the finding does not apply, or why it is accepted`;
  }
  return undefined;
}

/** Whether the suppression was recorded with a bare id (`Annotation::<id>`), not in the plugin's namespace. */
export function isBareIdSuppression(record: Suppression): boolean {
  return record.key.toLowerCase().startsWith(`${BARE_ID_NAMESPACE.toLowerCase()}::`);
}

/** Whether `ancestor` is `path` or one of its ancestors (`''` is the app). */
export function isAncestorOrSelf(ancestor: string, path: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}/`);
}

/**
 * The suppression that applies to a finding of `ruleId` on `constructPath`: the one recorded
 * closest to it (on the construct or its nearest ancestor), among those with an accepted reason.
 */
export function applicableSuppression(records: readonly Suppression[], ruleId: string, constructPath: string): Suppression | undefined {
  return records
    .filter((r) => r.ruleId === ruleId && isAncestorOrSelf(r.constructPath, constructPath) && reasonProblem(r.reason) === undefined)
    .sort((a, b) => b.constructPath.length - a.constructPath.length)[0];
}

/** A suppression that is refused, and why. */
export interface RefusedSuppression {
  readonly record: Suppression;
  readonly message: string;
}

/** Suppressions without an accepted reason, and of rules that do not exist. */
export function refusedSuppressions(records: readonly Suppression[], knownRuleIds: readonly string[]): RefusedSuppression[] {
  const problems: RefusedSuppression[] = [];
  for (const record of records) {
    const where = record.constructPath === '' ? 'the app' : record.constructPath;
    if (record.ruleId === SUPPRESSION_RULE_ID) {
      problems.push({ record, message: `the acknowledgement '${record.key}' on ${where} is refused: ${SUPPRESSION_RULE_ID} (acknowledgements need a reason) cannot be acknowledged` });
      continue;
    }
    if (!knownRuleIds.includes(record.ruleId)) {
      problems.push({ record, message: `the acknowledgement '${record.key}' on ${where} names no rule of ${PLUGIN_NAME} (known: ${knownRuleIds.join(', ')}), so it acknowledges nothing` });
      continue;
    }
    const problem = reasonProblem(record.reason);
    if (problem !== undefined) {
      problems.push({ record, message: `the acknowledgement of ${record.ruleId} on ${where} ${problem}; it is refused` });
    }
  }
  return problems;
}
