/**
 * Alarm names are physical names, unique per account and region: two constructs claiming one
 * name in the same app and environment would collide at deploy time. This registry refuses that
 * at synth. Environment-agnostic stacks count as one environment per CDK Stage (stages are how
 * apps deploy one definition to several accounts).
 */
import { Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

const CLAIMS = new WeakMap<IConstruct, Map<string, string>>();

/** A readable key of the environment `scope` deploys to. */
export function environmentOf(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const agnostic = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region);
  const account = Token.isUnresolved(stack.account) ? '(default account)' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '(default region)' : stack.region;
  const stage = Stage.of(scope);
  const stagePath = agnostic && stage && stage.node.path ? ` in stage ${stage.node.path}` : '';
  return `${account}/${region}${stagePath}`;
}

/**
 * Claims `name` of `kind` for `scope` in its environment; returns the path of the construct that
 * already holds it, or `undefined` when the claim succeeded.
 */
export function claimPhysicalName(scope: IConstruct, kind: string, name: string): string | undefined {
  let claims = CLAIMS.get(scope.node.root);
  if (!claims) {
    claims = new Map();
    CLAIMS.set(scope.node.root, claims);
  }
  const key = `${kind}:${environmentOf(scope)}:${name}`;
  const holder = claims.get(key);
  if (holder !== undefined) {
    return holder;
  }
  claims.set(key, scope.node.path);
  return undefined;
}
