import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ReliableService, ReliableServiceProps } from '../../lib';
import { availability } from '../service/helpers';

/** Where every chaos test deploys: FIS ARNs and the DynamoDB replica need a concrete account and region. */
export const ENV = { account: '111111111111', region: 'eu-west-1' } as const;

/** A fresh app (no bundling) and a stack with an explicit environment. */
export function newStack(id = 'Shop'): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), id, { env: ENV });
}

/** A service with one availability SLO (so one page alarm, `checkout-availability-page`). */
export function newService(scope: Construct, overrides: Partial<ReliableServiceProps> = {}): ReliableService {
  return new ReliableService(scope, 'Checkout', { serviceName: 'checkout', slos: [availability()], ...overrides });
}

/** A small Node.js function with inline code. */
export function newFunction(scope: Construct, id = 'Handler', props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...props,
  });
}

/** A synthesized template, as JSON. */
export type TemplateJson = { Resources: Record<string, CfnResource>; Parameters?: Record<string, { Type: string; Default?: string }> };
export type CfnResource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

/** Synthesizes a stack once. */
export function synth(stack: Stack): TemplateJson {
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

/** Resources of one type, by logical id. */
export function resourcesOfType(json: TemplateJson, type: string): Record<string, CfnResource> {
  return Object.fromEntries(Object.entries(json.Resources).filter(([, r]) => r.Type === type));
}

/** The logical id and properties of the experiment template tagged `cdk-reliability:experiment: <name>`. */
export function experimentTemplate(json: TemplateJson, name: string): { id: string; props: Record<string, any> } {
  const found = Object.entries(resourcesOfType(json, 'AWS::FIS::ExperimentTemplate'))
    .filter(([, r]) => r.Properties.Tags?.['cdk-reliability:experiment'] === name);
  if (found.length !== 1) {
    throw new Error(`expected one experiment template tagged '${name}', found ${found.length}`);
  }
  return { id: found[0][0], props: found[0][1].Properties };
}

/** The logical id of the role an experiment template runs with. */
export function roleIdOf(props: Record<string, any>): string {
  return props.RoleArn['Fn::GetAtt'][0];
}

/** The statements of every inline policy attached to a role. */
export function roleStatements(json: TemplateJson, roleId: string): Statement[] {
  return Object.values(resourcesOfType(json, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The role policy statements of the experiment named `name`. */
export function experimentStatements(json: TemplateJson, name: string): Statement[] {
  return roleStatements(json, roleIdOf(experimentTemplate(json, name).props));
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** Statement actions as a list. */
export function actionsOf(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/** The statement granting exactly these actions (in any order); fails when there is not exactly one. */
export function statementFor(statements: Statement[], actions: string[]): Statement {
  const key = [...actions].sort().join(',');
  const found = statements.filter((s) => [...actionsOf(s)].sort().join(',') === key);
  if (found.length !== 1) {
    throw new Error(`expected one statement granting ${key}, found ${found.length} among:\n${JSON.stringify(statements, null, 1)}`);
  }
  return found[0];
}

/** Every action granted by the statements. */
export function grantedActions(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap(actionsOf))].sort();
}

/** The single fault action of a template (checks and settle wait excluded). */
export function faultActions(props: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(props.Actions as Record<string, any>)
    .filter(([name]) => !['steady-state', 'settle', 'recovered'].includes(name)));
}

/** `{ 'Fn::Join': ['', [...]] }` → the parts, with tokens rendered as `<Ref X>` / `<X.Arn>` / `<Partition>`, joined. */
export function flat(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const v = value as Record<string, any>;
  if (v?.['Fn::Join']) {
    return (v['Fn::Join'][1] as unknown[]).map(flat).join(v['Fn::Join'][0]);
  }
  if (v?.Ref) {
    return v.Ref === 'AWS::Partition' ? '<Partition>' : `<Ref ${v.Ref}>`;
  }
  if (v?.['Fn::GetAtt']) {
    return `<${v['Fn::GetAtt'].join('.')}>`;
  }
  return JSON.stringify(value);
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: Construct): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** The experiment's only fault action, and the template's target it names. */
export function onlyFault(json: TemplateJson, experiment: string) {
  const { props } = experimentTemplate(json, experiment);
  const actions = Object.entries(faultActions(props));
  expect(actions).toHaveLength(1);
  const [name, action] = actions[0];
  const key: string | undefined = Object.keys(action.Targets ?? {})[0];
  return { name, action, key, target: key ? props.Targets[action.Targets[key]] : undefined, targets: props.Targets };
}

/** A statement's resources, tokens rendered by `flat`. */
export function statementResources(s: Statement): string[] {
  return (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flat);
}

/** A condition with its values' tokens rendered by `flat`. */
export function flatCondition(condition: Record<string, unknown> | undefined): Record<string, Record<string, string>> | undefined {
  return condition === undefined ? undefined : Object.fromEntries(Object.entries(condition).map(([operator, keys]) =>
    [operator, Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([key, value]) => [key, flat(value)]))]));
}

/** Every statement granting `ssm:SendCommand`, as its resources and condition (tokens rendered). */
export function sendCommandGrants(statements: Statement[]): Array<{ resources: string[]; condition?: Record<string, Record<string, string>> }> {
  return statements.filter((s) => actionsOf(s).includes('ssm:SendCommand'))
    .map((s) => ({ resources: statementResources(s), condition: flatCondition(s.Condition) }));
}

/**
 * What an ECS task fault grants `ssm:SendCommand` on: FIS's AWSFIS-* documents, and the managed
 * instances whose `ECS_TASK_ARN` tag names one of `tasks` (the SSM agent sidecars of the target tasks).
 */
export function ecsTaskSendCommand(tasks: string) {
  return [
    { resources: ['arn:<Partition>:ssm:eu-west-1::document/AWSFIS-*'], condition: undefined },
    { resources: ['arn:<Partition>:ssm:eu-west-1:111111111111:managed-instance/*'], condition: { StringLike: { 'aws:ResourceTag/ECS_TASK_ARN': tasks } } },
  ];
}
