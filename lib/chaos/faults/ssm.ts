/**
 * Systems Manager faults: run an SSM Command document on EC2 instances (`aws:ssm:send-command`),
 * the way to inject a fault FIS has no action for (the `AWSFIS-Run-*` documents, or your own).
 * Action, parameters and permissions: FIS actions reference, "Systems Manager actions"
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ssm-send-command), and
 * "Use Systems Manager SSM documents with AWS FIS" (https://docs.aws.amazon.com/fis/latest/userguide/actions-ssm-agent.html):
 * the instances need the SSM agent and an instance profile that lets Systems Manager manage them.
 * Automation runbooks (`aws:ssm:start-automation-execution`): the same reference
 * (#ssm-start-automation-execution): parameters documentArn, documentVersion, documentParameters,
 * maxDuration; permissions ssm:StartAutomationExecution, ssm:GetAutomationExecution,
 * ssm:StopAutomationExecution, and iam:PassRole when the runbook assumes a role.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describeValue, quote } from '../../private/describe';
import { FIS_ACTIONS } from '../catalog';
import { withWildcardReason } from '../../nag/suppressions';
import { formatDuration } from '../../private/format';
import { durationParameter, FaultContext, forDuration, OptionReader, ResolvedFault } from '../fault-action';
import { isoDuration } from '../fis-duration';
import { Targets } from '../targets';
import { ec2Target } from './ec2';

/** Options of `Fault.ssmSendCommand`. */
export interface SsmSendCommandOptions {
  /**
   * The SSM Command document to run: its name (`AWSFIS-Run-CPU-Stress`, a document of this
   * account, or `CfnDocument.ref`, taken as a name) or its ARN
   * (`arn:aws:ssm:<region>:<account>:document/<name>`, the account empty for documents owned by
   * Amazon).
   */
  readonly document: string;

  /**
   * The document's version (FIS's `documentVersion`).
   * @default - the document's default version
   */
  readonly documentVersion?: string;

  /**
   * The document's parameters, each value a string as Systems Manager takes them (e.g.
   * `{ DurationSeconds: '120' }`); written as the action's `documentParameters` JSON.
   * @default - none: the document's own defaults
   */
  readonly parameters?: { [name: string]: string };

  /**
   * How long the action runs, 1 minute to 12 hours: FIS cancels the command if it is still
   * running then. Give the document a duration of its own (`DurationSeconds` of the `AWSFIS-Run-*`
   * documents) no longer than this.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** `arn:<partition>:ssm:<region>:<account, empty for Amazon's>:document/<name>`; the parts may be tokens. */
const DOCUMENT_ARN = /^arn:[^:]+:ssm:[^:]*:[^:]*:document\/[^:]+$/;
/** A document name as Systems Manager allows it (CreateDocument `Name`). */
const DOCUMENT_NAME = /^[a-zA-Z0-9_.-]{3,128}$/;
/** Prefixes Systems Manager reserves for documents owned by Amazon (`AWS-`, `AWSFIS-`, `AmazonCloudWatch-`, ...). */
const AMAZON_OWNED = /^(aws|amazon|amzn)/i;

/** The document's ARN and a name for descriptions, or a problem recorded. */
function documentArn(reader: OptionReader, document: unknown, stack: Stack): { arn: string; name: string } | undefined {
  const allowed = 'an SSM document name (e.g. \'AWSFIS-Run-CPU-Stress\', 3-128 letters, digits, _ . -) or ARN (arn:aws:ssm:<region>:<account>:document/<name>)';
  if (typeof document !== 'string') {
    reader.problem('document', `is required: ${allowed}, got ${describeValue(document)}`);
    return undefined;
  }
  if (document.startsWith('arn:')) {
    if (!DOCUMENT_ARN.test(document)) {
      reader.problem('document', `must be ${allowed}, got ${quote(document)}`);
      return undefined;
    }
    const name = document.slice(document.indexOf(':document/') + ':document/'.length);
    return { arn: document, name: Token.isUnresolved(name) ? 'the document' : name };
  }
  if (Token.isUnresolved(document)) {
    // CfnDocument.ref: the name of a document of this stack's account
    return { arn: stack.formatArn({ service: 'ssm', resource: 'document', resourceName: document }), name: 'the document' };
  }
  if (!DOCUMENT_NAME.test(document)) {
    reader.problem('document', `must be ${allowed}, got ${quote(document)}`);
    return undefined;
  }
  const account = AMAZON_OWNED.test(document) ? '' : undefined;
  return { arn: stack.formatArn({ service: 'ssm', account, resource: 'document', resourceName: document }), name: document };
}

/** A document version: a number, or `$DEFAULT` / `$LATEST`. */
const DOCUMENT_VERSION = /^(?:[1-9]\d{0,8}|\$DEFAULT|\$LATEST)$/;

/** The `documentVersion` parameter when given, or a problem recorded. */
function documentVersion(reader: OptionReader, version: unknown): Record<string, string> {
  if (version === undefined) {
    return {};
  }
  if (typeof version !== 'string' || (!Token.isUnresolved(version) && !DOCUMENT_VERSION.test(version))) {
    reader.problem('documentVersion', `must be a version number (e.g. '3'), '$DEFAULT' or '$LATEST', got ${describeValue(version)}`);
    return {};
  }
  return { documentVersion: version };
}

/** The document's parameters as the JSON string FIS takes, or a problem recorded. */
function documentParameters(reader: OptionReader, parameters: unknown, stack: Stack): Record<string, string> {
  if (parameters === undefined) {
    return {};
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    reader.problem('parameters', `must be an object of string values (e.g. { DurationSeconds: '120' }), got ${describeValue(parameters)}`);
    return {};
  }
  const entries = Object.entries(parameters);
  const bad = entries.find(([, value]) => typeof value !== 'string');
  if (bad) {
    reader.problem(`parameters.${bad[0]}`, `must be a string (Systems Manager takes every parameter as text, e.g. '120'), got ${describeValue(bad[1])}`);
    return {};
  }
  return entries.length === 0 ? {} : { documentParameters: stack.toJsonString(parameters) };
}

/** `aws:ssm:send-command`. */
export function ssmSendCommand(target: Targets, options: SsmSendCommandOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const { targets, statement, what } = ec2Target(reader, FIS_ACTIONS.ssmSendCommand, target, context);
  const document = documentArn(reader, options?.document, stack);
  const version = documentVersion(reader, options?.documentVersion);
  const parameters = documentParameters(reader, options?.parameters, stack);
  const seconds = reader.duration(options?.duration, context);
  return reader.action(() => ({
    definition: FIS_ACTIONS.ssmSendCommand,
    description: `Runs SSM document ${document!.name} on ${what}${forDuration(seconds)}`,
    parameters: { documentArn: document!.arn, ...version, ...parameters, ...durationParameter(seconds) },
    target: targets,
    ownsTargetPermissions: true,
    durationSeconds: seconds,
    statements: [
      // ssm:SendCommand is authorized on the document and on each instance: the instances as the
      // EC2 faults scope them (ARNs, or the selecting tags), the document on its own ARN.
      statement!,
      new iam.PolicyStatement({ actions: ['ssm:SendCommand'], resources: [document!.arn] }),
    ],
  }));
}

/** Options of `Fault.ssmStartAutomation`. */
export interface SsmStartAutomationOptions {
  /**
   * The Automation runbook to run: its name (`AWS-RestartEC2Instance`, a runbook of this account,
   * or `CfnDocument.ref`, taken as a name) or its ARN (`arn:aws:ssm:<region>:<account>:document/<name>`).
   */
  readonly document: string;

  /**
   * The runbook's version (FIS's `documentVersion`).
   * @default - the runbook's default version
   */
  readonly documentVersion?: string;

  /**
   * The runbook's parameters, each value a string (e.g. `{ InstanceId: 'i-0123456789abcdef0' }`);
   * written as the action's `documentParameters` JSON.
   * @default - none: the runbook's own defaults
   */
  readonly parameters?: { [name: string]: string };

  /**
   * The role the runbook assumes (its `AutomationAssumeRole` parameter): the experiment role may
   * pass it to Systems Manager, and only to Systems Manager.
   * @default - none: the runbook runs with the experiment role's permissions, which this library does not widen
   */
  readonly automationAssumeRole?: iam.IRole;

  /**
   * The longest the execution may run, 1 minute to 12 hours (FIS's `maxDuration`): FIS stops it then.
   * @default - the experiment's duration
   */
  readonly maxDuration?: Duration;
}


/** `aws:ssm:start-automation-execution`: no target; the runbook, its executions and the role it assumes. */
export function ssmStartAutomation(options: SsmStartAutomationOptions, context: FaultContext): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const stack = Stack.of(context.scope);
  const document = documentArn(reader, options?.document, stack);
  const version = documentVersion(reader, options?.documentVersion);
  const given = options?.automationAssumeRole;
  const role = given === undefined || typeof (given as iam.IRole)?.roleArn === 'string' ? given : undefined;
  if (given !== undefined && role === undefined) {
    reader.problem('automationAssumeRole', `must be an IAM role (iam.Role, iam.Role.fromRoleArn(...)), got ${describeValue(given)}`);
  }
  // the role goes in as the runbook's AutomationAssumeRole, unless the parameters name one (or are not an object, reported as such)
  const own: unknown = options?.parameters;
  const plain = own === undefined || (typeof own === 'object' && own !== null && !Array.isArray(own));
  const parameters = documentParameters(reader, role === undefined || !plain || (own as Record<string, string> | undefined)?.AutomationAssumeRole !== undefined
    ? own
    : { ...(own as Record<string, string> | undefined), AutomationAssumeRole: role.roleArn }, stack);
  const seconds = reader.duration(options?.maxDuration, context, 'maxDuration');
  return reader.action(() => {
    const name = document!.arn.slice(document!.arn.indexOf(':document/') + ':document/'.length);
    return {
      definition: FIS_ACTIONS.ssmStartAutomation,
      description: `Runs Automation runbook ${document!.name}${seconds === undefined ? '' : `, stopped after ${formatDuration(seconds, { exact: true })} at the latest`}`,
      parameters: {
        documentArn: document!.arn,
        ...version,
        ...parameters,
        maxDuration: isoDuration(seconds!),
      },
      durationSeconds: seconds,
      statements: [
        // Systems Manager authorizes StartAutomationExecution on the runbook's automation definition
        // (any version) and on the document.
        withWildcardReason(new iam.PolicyStatement({
          actions: ['ssm:StartAutomationExecution'],
          resources: [document!.arn, stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${name}:*` })],
        }), 'the runbook\'s automation definition, in any of its versions'),
        withWildcardReason(new iam.PolicyStatement({
          actions: ['ssm:GetAutomationExecution', 'ssm:StopAutomationExecution'],
          resources: [stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' })],
        }), 'the execution FIS starts has an id only when it runs; executions of this account and region'),
        ...(role === undefined ? [] : [new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        })]),
      ],
    };
  });
}
