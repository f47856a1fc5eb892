/**
 * Destructive FIS permissions on targets selected by tags: every target action is granted on the
 * resources of the target's type that carry the experiment's tags (aws:ResourceTag conditions),
 * never on `*` unconditioned; explicit ARNs are granted on those ARNs.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Fault, Selection, Targets } from '../../lib';
import { FIS_ACTIONS } from '../../lib/chaos/catalog';
import { everyResourceOf, resourceTagConditions, TAG_CONDITIONED_RESOURCE_TYPES, targetStatement } from '../../lib/chaos/target-permissions';
import { ACKNOWLEDGED_RULES_METADATA_KEY } from '../../lib/nag/suppressions';
import { actionsOf, ecsTaskSendCommand, experimentStatements, experimentTemplate, flat, newService, newStack, roleIdOf, sendCommandGrants, Statement, statementFor, synth, TemplateJson } from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const TAGS = { team: 'payments', env: 'prod' };
const CONDITION = { StringEquals: { 'aws:ResourceTag/team': 'payments', 'aws:ResourceTag/env': 'prod' } };
const ARN_PREFIX = 'arn:<Partition>:';

function resources(s: Statement): string[] {
  return (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flat);
}

describe('faults on targets selected by tags', () => {
  let json: TemplateJson;
  let stack: Stack;
  const tagged = () => Targets.tagged(TAGS, Selection.count(1));

  beforeAll(() => {
    stack = newStack();
    const checkout = newService(stack);
    checkout.addExperiment('ec2-stop', { fault: Fault.ec2StopInstances(tagged(), { restartAfter: TEN_MINUTES }) });
    checkout.addExperiment('ec2-terminate', { fault: Fault.ec2TerminateInstances(tagged()) });
    checkout.addExperiment('rds-failover', { fault: Fault.rdsFailoverCluster(tagged()) });
    checkout.addExperiment('rds-reboot', { fault: Fault.rdsRebootInstances(tagged()) });
    checkout.addExperiment('dynamodb-pause', { fault: Fault.dynamoDbPauseReplication(tagged()), duration: TEN_MINUTES });
    checkout.addExperiment('ecs-stop', { fault: Fault.ecsStopTasks(tagged()) });
    checkout.addExperiment('ecs-cpu', { fault: Fault.ecsCpuStress(tagged(), {}), duration: TEN_MINUTES });
    checkout.addExperiment('lambda-error', { fault: Fault.lambdaInvocationError(tagged()), duration: TEN_MINUTES });
    checkout.addExperiment('network', { fault: Fault.disruptConnectivity(tagged()), duration: TEN_MINUTES });
    checkout.addExperiment('ssm-command', { fault: Fault.ssmSendCommand(tagged(), { document: 'AWSFIS-Run-CPU-Stress' }), duration: TEN_MINUTES });
    json = synth(stack);
  });

  test.each([
    ['ec2-stop', ['ec2:StopInstances', 'ec2:StartInstances'], 'ec2:eu-west-1:111111111111:instance/*'],
    ['ec2-terminate', ['ec2:TerminateInstances'], 'ec2:eu-west-1:111111111111:instance/*'],
    ['rds-failover', ['rds:FailoverDBCluster'], 'rds:eu-west-1:111111111111:cluster:*'],
    ['rds-reboot', ['rds:RebootDBInstance'], 'rds:eu-west-1:111111111111:db:*'],
    ['dynamodb-pause', ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:GetResourcePolicy', 'dynamodb:DescribeTable'],
      'dynamodb:eu-west-1:111111111111:table/*'],
    ['ecs-stop', ['ecs:StopTask', 'ecs:DescribeTasks'], 'ecs:eu-west-1:111111111111:task/*'],
    ['ecs-cpu', ['ecs:DescribeTasks'], 'ecs:eu-west-1:111111111111:task/*'],
    ['lambda-error', ['lambda:GetFunction'], 'lambda:eu-west-1:111111111111:function:*'],
  ])('%s: %j only on resources carrying the experiment\'s tags', (experiment, actions, arn) => {
    const statement = statementFor(experimentStatements(json, experiment), actions);
    expect(resources(statement)).toEqual([`${ARN_PREFIX}${arn}`]);
    expect(statement.Condition).toEqual(CONDITION);
    // FIS selects with the same tags
    expect(Object.values(experimentTemplate(json, experiment).props.Targets as Record<string, { ResourceTags?: unknown }>)[0].ResourceTags).toEqual(TAGS);
  });

  test('network disruption: the subnets carrying the tags; network ACLs (FIS\'s own and the original) by type', () => {
    const swaps = experimentStatements(json, 'network').filter((s) => actionsOf(s).includes('ec2:ReplaceNetworkAclAssociation'));
    expect(swaps.map((s) => ({ resources: resources(s), condition: s.Condition }))).toEqual([
      { resources: [`${ARN_PREFIX}ec2:eu-west-1:111111111111:network-acl/*`], condition: undefined },
      { resources: [`${ARN_PREFIX}ec2:eu-west-1:111111111111:subnet/*`], condition: CONDITION },
    ]);
  });

  test('no experiment role grants a target action on * or without a condition', () => {
    const targetActions = new Set<string>(Object.values(FIS_ACTIONS).flatMap((a) => [...a.onTargets]));
    // ssm:SendCommand is also authorized on the SSM document it runs, which is no target; the
    // managed instances it runs on (the ECS tasks' SSM agent sidecars) are, and must be conditioned
    const onDocumentsOnly = (s: Statement) => resources(s).every((r) => /:ssm:[^:]*:[^:]*:document\//.test(r));
    for (const experiment of ['ec2-stop', 'ec2-terminate', 'rds-failover', 'rds-reboot', 'dynamodb-pause', 'ecs-stop', 'ecs-cpu', 'lambda-error', 'network', 'ssm-command']) {
      const open = experimentStatements(json, experiment)
        .filter((s) => actionsOf(s).some((a) => targetActions.has(a) || a === 'ec2:ReplaceNetworkAclAssociation'))
        .filter((s) => !onDocumentsOnly(s))
        .filter((s) => resources(s).includes('*') || (s.Condition === undefined && !resources(s).every((r) => r.includes('network-acl/*'))));
      expect({ experiment, open }).toEqual({ experiment, open: [] });
    }
  });

  test('ECS task faults send commands only to the managed instances of tasks, by their ECS_TASK_ARN tag', () => {
    expect(sendCommandGrants(experimentStatements(json, 'ecs-cpu'))).toEqual(ecsTaskSendCommand(`${ARN_PREFIX}ecs:eu-west-1:111111111111:task/*`));
  });

  test('cdk-nag\'s wildcard finding on these statements is acknowledged with the tag condition as the reason', () => {
    const roleId = roleIdOf(experimentTemplate(json, 'ec2-terminate').props);
    const role = stack.node.findAll().find((c) => c.node.defaultChild !== undefined && stack.getLogicalId(c.node.defaultChild as never) === roleId)!;
    const acknowledged: Record<string, string> = Object.assign({}, ...role.node.metadata
      .filter((m) => m.type === ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => m.data as Array<Record<string, string>>));
    expect(acknowledged['Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:eu-west-1:111111111111:instance/*]'])
      .toContain('ec2:TerminateInstances: the fault selects its targets by tags, which FIS resolves when the experiment runs, so no ARN is known at deploy time; '
        + 'the statement is conditioned on the same tags (aws:ResourceTag/team, aws:ResourceTag/env), so only resources carrying them can be acted on');
  });
});

describe('faults on targets given by ARN', () => {
  test('EC2 and ECS targets from Targets.arns are granted on those ARNs, not on *', () => {
    const stack = newStack();
    const checkout = newService(stack);
    const instance = 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0';
    const task = 'arn:aws:ecs:eu-west-1:111111111111:task/web/0123456789abcdef';
    checkout.addExperiment('ec2', { fault: Fault.ec2TerminateInstances(Targets.arns([instance])) });
    checkout.addExperiment('ecs', { fault: Fault.ecsStopTasks(Targets.arns([task])) });
    const json = synth(stack);
    expect(resources(statementFor(experimentStatements(json, 'ec2'), ['ec2:TerminateInstances']))).toEqual([instance]);
    expect(resources(statementFor(experimentStatements(json, 'ecs'), ['ecs:StopTask', 'ecs:DescribeTasks']))).toEqual([task]);
  });
});

describe('targetStatement (pure helpers)', () => {
  test('every catalog resource type with target actions can be tag-conditioned', () => {
    const types = Object.values(FIS_ACTIONS)
      .filter((a): a is typeof a & { resourceType: string } => 'resourceType' in a && (a.onTargets.length > 0 || a.resourceType === 'aws:ec2:subnet'))
      .map((a) => a.resourceType);
    expect(types.filter((t) => !TAG_CONDITIONED_RESOURCE_TYPES.includes(t))).toEqual([]);
  });

  test('a resource type IAM cannot condition here, or a tag key that is a token, falls back to * with its reason', () => {
    const stack = newStack();
    expect(everyResourceOf(stack, 'aws:iam:role')).toBeUndefined();
    expect(targetStatement(stack, 'aws:iam:role', ['x:Y'], Targets.tagged({ a: 'b' }, Selection.all())).resources).toEqual(['*']);
    expect(resourceTagConditions({ [Aws.STACK_NAME]: 'x' })).toBeUndefined();
    expect(resourceTagConditions({ a: Aws.STACK_NAME })).toEqual({ StringEquals: { 'aws:ResourceTag/a': Aws.STACK_NAME } });
  });
});
