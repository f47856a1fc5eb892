/**
 * Suppressions of cdk-nag findings on this library's own resources, each with its reason.
 *
 * ("Suppression" is cdk-nag's word; in this library "acknowledge" means only an on-call person
 * acknowledging a page.) They are recorded with aws-cdk-lib's
 * `Validations.of(construct).acknowledge({ id, reason })`: the construct metadata
 * (`aws:cdk:acknowledged-rules`) that cdk-nag 3 reads. Users who run cdk-nag get the library's
 * reasons without this library depending on cdk-nag at run time.
 *
 * Rules for callers:
 * - suppress on the construct that holds the finding (a resource, or a policy holding only this
 *   library's statements), never on a stack or a user's construct: cdk-nag honours a suppression
 *   on the construct and everything under it;
 * - an `AwsSolutions-IAM5[Resource::*]` suppression goes only on a policy holding nothing but
 *   this library's statements that need `*`, so that a user's own `*` grant is still reported;
 * - every reason says why the finding is right for this resource, in words a security reviewer
 *   can check (the AWS limitation, or the compensating control).
 */
import * as cdk from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** One suppressed finding: the cdk-nag rule id (with its `[finding]` when the rule has several) and why. */
export interface NagSuppression {
  /** e.g. `AwsSolutions-S1`, `Serverless-LambdaDLQ`, `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** Why the finding is acceptable here. */
  readonly reason: string;
}

/** The metadata key aws-cdk-lib's `Validations.acknowledge()` records suppressions under (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`). */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** Reasons shorter than this are refused: "n/a" or "ok" tells a reviewer nothing. */
const MIN_REASON_LENGTH = 40;

/**
 * Suppresses findings on `scope` (and what it contains). A no-op on aws-cdk-lib releases without
 * `Validations` (before 2.25x): cdk-nag 3, the only reader, needs a newer one anyway.
 */
export function suppressNagFindings(scope: IConstruct, ...suppressions: NagSuppression[]): void {
  for (const s of suppressions) {
    if (typeof s.id !== 'string' || s.id === '' || typeof s.reason !== 'string' || s.reason.trim().length < MIN_REASON_LENGTH) {
      throw new Error(`${scope.node.path}: a cdk-nag suppression needs a rule id and a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(s)}`);
    }
  }
  const validations = (cdk as { Validations?: typeof cdk.Validations }).Validations;
  if (suppressions.length === 0 || typeof validations?.of !== 'function') {
    return;
  }
  validations.of(scope).acknowledge(...suppressions);
}

/**
 * cdk-nag's finding id for an IAM resource containing `*` (`AwsSolutions-IAM5[Resource::…]`), as
 * cdk-nag renders it: the resolved value with `Ref`/`Fn::GetAtt` written `<LogicalId>`/`<LogicalId.Attr>`
 * and `Fn::Join` joined. Resolved now: a reference to another stack (rendered as an import at
 * synth) or a logical id overridden later yields an id that matches nothing, so the finding
 * stays visible rather than being hidden by mistake.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

const WILDCARD_REASONS = new WeakMap<iam.PolicyStatement, string>();

/**
 * Records why `statement` needs a wildcard resource (e.g. "the Resource Groups Tagging API has no
 * resource-level permissions"), for `suppressWildcardFindings`. Returns the statement.
 */
export function withWildcardReason(statement: iam.PolicyStatement, why: string): iam.PolicyStatement {
  WILDCARD_REASONS.set(statement, why);
  return statement;
}

/**
 * Suppresses, on `scope`, the `AwsSolutions-IAM5` finding of every wildcard resource of the
 * given statements that carries a reason (`withWildcardReason`); the reason names the actions.
 * Wildcards without a reason are left to be reported.
 */
export function suppressWildcardFindings(scope: IConstruct, statements: iam.PolicyStatement[]): void {
  const reasons = new Map<string, string[]>();
  for (const statement of statements) {
    const why = WILDCARD_REASONS.get(statement);
    if (why === undefined) {
      continue;
    }
    for (const resource of statement.resources) {
      const id = wildcardResourceFinding(scope, resource);
      if (!id.includes('*')) {
        continue;
      }
      const text = `${statement.actions.join(', ')}: ${why}.`;
      const list = reasons.get(id) ?? [];
      if (!list.includes(text)) {
        list.push(text);
      }
      reasons.set(id, list);
    }
  }
  suppressNagFindings(scope, ...[...reasons].map(([id, list]) => ({ id, reason: list.join(' ') })));
}

/**
 * A resolved CloudFormation value as a flat string, the way cdk-nag writes finding ids
 * (cdk-nag's `flattenCfnReference`, Apache-2.0).
 */
export function flattenCfnReference(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (node['Fn::Sub']) {
    return flattenCfnReference(node['Fn::Sub']);
  }
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) {
    return flattenCfnReference(node['Fn::ImportValue']);
  }
  if (node.Ref) {
    return `<${flattenCfnReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
