/**
 * A small model of IAM policy evaluation within one account, enough to ask "would this request be
 * allowed?" of the resource policies a template synthesizes: explicit deny wins; otherwise an allow
 * of the resource policy, or (for an IAM principal of the same account) of its identity policy.
 * Condition operators as the IAM User Guide defines them ("IAM JSON policy elements: Condition
 * operators"): a key missing from the request makes a condition false, except for negated
 * operators (`StringNotEquals`, `ArnNotLike`, …), for which it is true; several values of one key
 * are ORed, and NORed for negated operators ("Creating a condition with multiple keys or values").
 * Test-only: it models the operators the library uses and throws on any other.
 */
import { Template } from 'aws-cdk-lib/assertions';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

/** The ARN a resource of the template would get: roles by logical id, everything else a made-up ARN of its service. */
export function arnOf(logicalId: string, type: string): string {
  if (type === 'AWS::IAM::Role') {
    return `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
  }
  const service = type.split('::')[1].toLowerCase();
  return `arn:aws:${service}:${REGION}:${ACCOUNT}:${logicalId}`;
}

/** Resolves `Fn::Join`, pseudo parameters, `Ref` and `Fn::GetAtt …Arn` of a template to strings. */
export function resolver(template: Template): (value: unknown) => unknown {
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
      return String(value);
    }
    if (Array.isArray(value)) {
      return value.map(resolve);
    }
    const v = value as Record<string, unknown>;
    if (v['Fn::Join']) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolve(p) as string).join(sep);
    }
    if (typeof v.Ref === 'string') {
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
      if (pseudo[v.Ref] !== undefined) {
        return pseudo[v.Ref];
      }
      return arnOf(v.Ref, resources[v.Ref].Type);
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [id] = v['Fn::GetAtt'] as [string, string];
      return arnOf(id, resources[id].Type);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  return resolve;
}

/** Who asks, for what, and the global condition keys of the request context. */
export interface Request {
  readonly action: string;
  /** An IAM role of the account (its ARN), or an AWS service principal acting for one of its resources. */
  readonly principal: { readonly roleArn: string; readonly identityAllows: boolean } | { readonly service: string };
  /** Request context keys (`aws:SourceArn`, `kms:EncryptionContext:…`); `aws:PrincipalArn` is added for roles, `aws:SecureTransport` is `true`. */
  readonly context?: Record<string, string>;
}

type Statement = { Effect: 'Allow' | 'Deny'; Principal: unknown; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };

function like(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

const OPERATORS: Record<string, { negated: boolean; test: (policyValue: string, requestValue: string) => boolean }> = {
  StringEquals: { negated: false, test: (p, r) => p === r },
  StringNotEquals: { negated: true, test: (p, r) => p === r },
  StringLike: { negated: false, test: like },
  StringNotLike: { negated: true, test: like },
  ArnEquals: { negated: false, test: (p, r) => p === r },
  ArnNotEquals: { negated: true, test: (p, r) => p === r },
  ArnLike: { negated: false, test: like },
  ArnNotLike: { negated: true, test: like },
  Bool: { negated: false, test: (p, r) => p === r },
};

function conditionHolds(condition: Statement['Condition'], context: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const op = OPERATORS[operator];
    if (!op) {
      throw new Error(`policy-simulation: condition operator ${operator} is not modelled`);
    }
    return Object.entries(keys).every(([key, policyValues]) => {
      const value = context[key];
      const values = [policyValues].flat() as string[];
      if (value === undefined) {
        return op.negated;
      }
      const anyMatch = values.some((p) => op.test(p, value));
      return op.negated ? !anyMatch : anyMatch;
    });
  });
}

function principalMatches(principal: unknown, request: Request): boolean {
  if (principal === '*') {
    return true;
  }
  const p = principal as { AWS?: unknown; Service?: unknown };
  if ('service' in request.principal) {
    return [p.Service].flat().includes(request.principal.service);
  }
  const aws = [p.AWS].flat();
  return aws.includes('*') || aws.includes(request.principal.roleArn) || aws.includes(`arn:aws:iam::${ACCOUNT}:root`);
}

function actionMatches(action: string | string[], wanted: string): boolean {
  return [action].flat().some((a) => like(a.toLowerCase(), wanted.toLowerCase()));
}

/**
 * `allowed`, `denied` (an explicit deny applies) or `not-allowed` (nothing allows it), for a
 * request to a resource whose resource policy is `statements`.
 */
export function decide(statements: Statement[], request: Request): 'allowed' | 'denied' | 'not-allowed' {
  const context: Record<string, string> = {
    'aws:SecureTransport': 'true',
    ...('roleArn' in request.principal ? { 'aws:PrincipalArn': request.principal.roleArn } : {}),
    ...request.context,
  };
  const applying = statements.filter((s) => actionMatches(s.Action, request.action) && principalMatches(s.Principal, request) && conditionHolds(s.Condition, context));
  if (applying.some((s) => s.Effect === 'Deny')) {
    return 'denied';
  }
  const identity = 'roleArn' in request.principal && request.principal.identityAllows;
  return identity || applying.some((s) => s.Effect === 'Allow') ? 'allowed' : 'not-allowed';
}
