/**
 * `Fault.ssmSendCommand`, synthesized: the action id and exact parameters (documentArn,
 * documentParameters as JSON, duration), its target (instances by ARN, an Auto Scaling group's
 * running instances by its name tag, instances chosen by tags) and the role's statements (the
 * command may be sent with that document only, to those instances only); then one test per
 * validation rule, each error naming path, prop, value and what is allowed. Action, parameters and
 * permissions as the FIS actions reference documents them
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#ssm-send-command).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ExperimentProps, Fault, Selection, Targets } from '../../lib';
import {
  actionsOf, experimentStatements, flat, grantedActions, logicalId, newService, newStack, onlyFault, Statement, statementResources as resources, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';
const PREFIX = 'arn:<Partition>:';
const TAGS = { team: 'payments' };
const CPU_STRESS = `${PREFIX}ssm:eu-west-1::document/AWSFIS-Run-CPU-Stress`;

/** The statements granting ssm:SendCommand: [on the instances, on the document]. */
function sendCommandStatements(json: TemplateJson, experiment: string): Statement[] {
  const found = experimentStatements(json, experiment).filter((s) => actionsOf(s).includes('ssm:SendCommand'));
  expect(found.every((s) => actionsOf(s).length === 1)).toBe(true);
  return found;
}

function fleetOf(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const machine = { instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
  const instance = new ec2.Instance(stack, 'Bastion', { vpc, ...machine });
  const fleet = new autoscaling.AutoScalingGroup(stack, 'Fleet', { vpc, ...machine, minCapacity: 2 });
  return { instance, fleet };
}

describe('SSM send-command', () => {
  let json: TemplateJson;
  let instanceArn: string;
  let fleetRef: string;
  let documentRef: string;

  beforeAll(() => {
    const stack = newStack();
    const { instance, fleet } = fleetOf(stack);
    const own = new ssm.CfnDocument(stack, 'FillDisk', { documentType: 'Command', content: { schemaVersion: '2.2', mainSteps: [] } });
    const checkout = newService(stack);
    checkout.addExperiment('cpu', {
      fault: Fault.ssmSendCommand(Targets.instances([instance]), { document: 'AWSFIS-Run-CPU-Stress', parameters: { DurationSeconds: '120', CPU: '0' }, duration: Duration.minutes(3) }),
    });
    checkout.addExperiment('fleet', {
      fault: Fault.ssmSendCommand(Targets.autoScalingGroup(fleet, Selection.percent(50)), { document: 'AWSFIS-Run-Memory-Stress' }), duration: TEN_MINUTES,
    });
    checkout.addExperiment('tagged', { fault: Fault.ssmSendCommand(Targets.tagged(TAGS, Selection.count(1)), { document: own.ref }), duration: TEN_MINUTES });
    checkout.addExperiment('arn', {
      fault: Fault.ssmSendCommand(Targets.instances([instance]), { document: 'arn:aws:ssm:eu-west-1:222222222222:document/SharedChaos', duration: TEN_MINUTES }),
    });
    checkout.addExperiment('account', { fault: Fault.ssmSendCommand(Targets.instances([instance]), { document: 'Checkout-FillDisk', duration: TEN_MINUTES }) });
    checkout.addExperiment('version', { fault: Fault.ssmSendCommand(Targets.instances([instance]), { document: 'Checkout-FillDisk', documentVersion: '3', duration: TEN_MINUTES }) });
    json = synth(stack);
    instanceArn = `${PREFIX}ec2:eu-west-1:111111111111:instance/<Ref ${logicalId(stack, instance)}>`;
    fleetRef = `<Ref ${logicalId(stack, fleet)}>`;
    documentRef = `<Ref ${stack.getLogicalId(own)}>`;
  });

  test('an AWSFIS document on an instance: aws:ssm:send-command with the document\'s ARN (no account: Amazon\'s), its parameters as JSON and the duration', () => {
    const { name, action, target } = onlyFault(json, 'cpu');
    expect(name).toBe('send-command');
    expect(action.ActionId).toBe('aws:ssm:send-command');
    expect(Object.keys(action.Parameters).sort()).toEqual(['documentArn', 'documentParameters', 'duration']);
    expect(flat(action.Parameters.documentArn)).toBe(CPU_STRESS);
    expect(JSON.parse(flat(action.Parameters.documentParameters))).toEqual({ DurationSeconds: '120', CPU: '0' });
    expect(action.Parameters.duration).toBe('PT3M');
    expect(action.Targets).toEqual({ Instances: 'instances-1' });
    expect(target.ResourceType).toBe('aws:ec2:instance');
    expect(target.ResourceArns.map(flat)).toEqual([instanceArn]);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('the role sends commands with that document only, to that instance only; lists and cancels commands on *', () => {
    const [onInstances, onDocument] = sendCommandStatements(json, 'cpu');
    expect(resources(onInstances)).toEqual([instanceArn]);
    expect(resources(onDocument)).toEqual([CPU_STRESS]);
    expect(onDocument.Condition).toBeUndefined();
    expect(grantedActions(experimentStatements(json, 'cpu'))).toEqual(expect.arrayContaining(['ssm:ListCommands', 'ssm:CancelCommand', 'ec2:DescribeInstances']));
    const list = experimentStatements(json, 'cpu').find((s) => actionsOf(s).includes('ssm:ListCommands'))!;
    expect(resources(list)).toEqual(['*']);
  });

  test('no parameters: no documentParameters; the experiment\'s duration', () => {
    const { action } = onlyFault(json, 'fleet');
    expect(action.Parameters).toEqual({ documentArn: expect.anything(), duration: 'PT10M' });
    expect(flat(action.Parameters.documentArn)).toBe(`${PREFIX}ssm:eu-west-1::document/AWSFIS-Run-Memory-Stress`);
  });

  test('a document version: written as documentVersion, only when given', () => {
    expect(onlyFault(json, 'version').action.Parameters).toEqual({ documentArn: expect.anything(), documentVersion: '3', duration: 'PT10M' });
  });

  test('an Auto Scaling group: its running instances by name tag, and only those may receive the command', () => {
    const { target } = onlyFault(json, 'fleet');
    expect(Object.fromEntries(Object.entries(target.ResourceTags).map(([k, v]) => [k, flat(v)]))).toEqual({ 'aws:autoscaling:groupName': fleetRef });
    expect(target.Filters).toEqual([{ Path: 'State.Name', Values: ['running'] }]);
    expect(target.SelectionMode).toBe('PERCENT(50)');
    const [onInstances] = sendCommandStatements(json, 'fleet');
    expect(resources(onInstances)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:instance/*`]);
    expect(flat((onInstances.Condition as any).StringEquals['aws:ResourceTag/aws:autoscaling:groupName'])).toBe(fleetRef);
  });

  test('instances chosen by tags and a CfnDocument of the stack: the document in this account, only tagged instances', () => {
    const { action, target } = onlyFault(json, 'tagged');
    expect(flat(action.Parameters.documentArn)).toBe(`${PREFIX}ssm:eu-west-1:111111111111:document/${documentRef}`);
    expect(target.ResourceTags).toEqual(TAGS);
    expect(target.SelectionMode).toBe('COUNT(1)');
    const [onInstances, onDocument] = sendCommandStatements(json, 'tagged');
    expect(resources(onInstances)).toEqual([`${PREFIX}ec2:eu-west-1:111111111111:instance/*`]);
    expect(onInstances.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/team': 'payments' } });
    expect(resources(onDocument)).toEqual([`${PREFIX}ssm:eu-west-1:111111111111:document/${documentRef}`]);
  });

  test('a document ARN is used as given (a document shared by another account); a name of this account gets its ARN', () => {
    const arn = 'arn:aws:ssm:eu-west-1:222222222222:document/SharedChaos';
    expect(onlyFault(json, 'arn').action.Parameters.documentArn).toBe(arn);
    expect(resources(sendCommandStatements(json, 'arn')[1])).toEqual([arn]);
    expect(flat(onlyFault(json, 'account').action.Parameters.documentArn)).toBe(`${PREFIX}ssm:eu-west-1:111111111111:document/Checkout-FillDisk`);
  });

  test('the action says what it runs where', () => {
    expect(onlyFault(json, 'cpu').action.Description).toBe('Runs SSM document AWSFIS-Run-CPU-Stress on ALL of 1 instance(s) for 3 min');
  });
});

describe('validation of the SSM faults', () => {
  /** `() => addExperiment('x', ...)` on a fresh stack with an instance and a fleet. */
  function experiment(props: (w: ReturnType<typeof fleetOf>) => Partial<ExperimentProps>) {
    return () => {
      const stack = newStack();
      const w = fleetOf(stack);
      newService(stack).addExperiment('x', props(w) as ExperimentProps);
    };
  }
  const problem = (prop: string, message: string) => `${WHERE}: ${prop}: ${message}`;
  const ALLOWED = 'an SSM document name (e.g. \'AWSFIS-Run-CPU-Stress\', 3-128 letters, digits, _ . -) or ARN (arn:aws:ssm:<region>:<account>:document/<name>)';

  test('no document', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.instances([w.instance]), {} as never), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ssmSendCommand).document', `is required: ${ALLOWED}, got undefined`));
  });

  test('an ARN that is not an SSM document\'s', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'arn:aws:s3:::bucket/doc' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ssmSendCommand).document', `must be ${ALLOWED}, got "arn:aws:s3:::bucket/doc"`));
  });

  test('a document version that is neither a number nor $DEFAULT/$LATEST', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'AWSFIS-Run-CPU-Stress', documentVersion: 'v2' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ssmSendCommand).documentVersion', 'must be a version number (e.g. \'3\'), \'$DEFAULT\' or \'$LATEST\', got "v2"'));
  });

  test('a name Systems Manager does not allow', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'run stress' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ssmSendCommand).document', `must be ${ALLOWED}, got "run stress"`));
  });

  test('a parameter value that is not a string', () => {
    expect(experiment((w) => ({
      fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'AWSFIS-Run-CPU-Stress', parameters: { DurationSeconds: 120 as never } }), duration: TEN_MINUTES,
    }))).toThrow(problem('fault (ssmSendCommand).parameters.DurationSeconds', 'must be a string (Systems Manager takes every parameter as text, e.g. \'120\'), got 120'));
  });

  test('parameters that are not an object', () => {
    expect(experiment((w) => ({
      fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'AWSFIS-Run-CPU-Stress', parameters: ['120'] as never }), duration: TEN_MINUTES,
    }))).toThrow(/fault \(ssmSendCommand\)\.parameters: must be an object of string values \(e\.g\. \{ DurationSeconds: '120' \}\), got /);
  });

  test('a duration beyond 12 hours', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'AWSFIS-Run-CPU-Stress', duration: Duration.hours(13) }) }))).toThrow(
      problem('fault (ssmSendCommand).duration', 'must be a Duration between 1 min and 12 h, got 13 h'));
  });

  test('no duration from the fault nor the experiment', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.instances([w.instance]), { document: 'AWSFIS-Run-CPU-Stress' }) }))).toThrow(
      problem('fault (ssmSendCommand).duration', 'is required: give the fault a duration, or the experiment a duration (e.g. Duration.minutes(10))'));
  });

  test('a target of another kind names the builders it takes', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.roles([w.instance.role]), { document: 'AWSFIS-Run-CPU-Stress' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ssmSendCommand).target',
        'must be Targets.instances([...]), Targets.autoScalingGroup(group, selection), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.roles([...])'));
  });

  test('an Auto Scaling group without a selection', () => {
    expect(experiment((w) => ({ fault: Fault.ssmSendCommand(Targets.autoScalingGroup(w.fleet, undefined as never), { document: 'AWSFIS-Run-CPU-Stress' }), duration: TEN_MINUTES }))).toThrow(
      /fault \(ssmSendCommand\)\.target\.selection: is required for an Auto Scaling group/);
  });
});
