/**
 * EcsFaultInjection.enable: one call prepares a task definition for FIS's task faults (the SSM
 * agent sidecar with its managed-instance role, the task role's registration permissions,
 * pidMode task, enableFaultInjection), as https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html
 * lists them; calling it twice adds nothing; the experiment's warnings about the task definition
 * disappear; task definitions it cannot prepare are refused with the reason.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsFaultInjection, Fault, Selection, Targets } from '../../lib';
import { newService, newStack } from './helpers';

const LINUX = { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.ARM64 };

/** A Fargate service with one web container. */
function fargate(stack: Stack, props: Partial<ecs.FargateTaskDefinitionProps> = { runtimePlatform: LINUX }) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'WebTask', props);
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), memoryLimitMiB: 512 });
  const web = new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: task });
  return { cluster, task, web };
}

describe('EcsFaultInjection.enable on a Fargate task definition', () => {
  let template: Template;
  let readiness: EcsFaultInjection;
  let stack: Stack;

  beforeAll(() => {
    stack = newStack();
    const { task } = fargate(stack);
    readiness = EcsFaultInjection.enable(task);
    template = Template.fromStack(stack);
  });

  test('sets pidMode task and enableFaultInjection on the task definition', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { PidMode: 'task', EnableFaultInjection: true, RuntimePlatform: { OperatingSystemFamily: 'LINUX' } });
  });

  test('adds the SSM agent sidecar FIS documents: the public image, not essential, its registration script with the managed-instance role\'s name, its own logs', () => {
    const containers = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions as any[];
    expect(containers.map((c) => c.Name)).toEqual(['web', 'amazon-ssm-agent']);
    const sidecar = containers[1];
    expect(sidecar).toMatchObject({ Image: 'public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent:latest', Essential: false, MemoryReservation: 64 });
    expect(sidecar.Environment).toBeUndefined();
    expect(sidecar.Command[0]).toBe('/bin/bash');
    expect(sidecar.Command[1]).toBe('-c');
    const roleId = stack.getLogicalId(readiness.managedInstanceRole.node.defaultChild as never);
    expect(sidecar.Command[2]).toEqual({ 'Fn::Join': ['', ['MANAGED_INSTANCE_ROLE_NAME=', { Ref: roleId }, expect.stringContaining('aws ssm create-activation')]] });
    const script: string = sidecar.Command[2]['Fn::Join'][1][2];
    expect(script).toContain('Key=ECS_TASK_ARN,Value="$TASK_ARN"');
    expect(script).toContain('--registration-limit 1');
    expect(script).toContain('trap cleanup TERM INT');
    expect(script).toContain('aws ssm deregister-managed-instance');
    expect(sidecar.LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: { 'awslogs-stream-prefix': 'fis-ssm-agent' } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('creates the managed-instance role: assumed by Systems Manager, AmazonSSMManagedInstanceCore, allowed to delete its activation and deregister itself', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ssm.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
    const roleId = stack.getLogicalId(readiness.managedInstanceRole.node.defaultChild as never);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: [
        Match.objectLike({ Action: 'ssm:DeleteActivation', Resource: '*' }),
        Match.objectLike({ Action: 'ssm:DeregisterManagedInstance', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:111111111111:managed-instance/*']] } }),
      ] },
    });
  });

  test('lets the task role create the activation and pass the managed-instance role to Systems Manager only, and the task waits for that policy', () => {
    const roleId = stack.getLogicalId(readiness.managedInstanceRole.node.defaultChild as never);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'iam:PassRole' })]) } },
    });
    const [[policyId, policy]] = Object.entries(policies);
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^WebTaskTaskRole/) }]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: ['ssm:CreateActivation', 'ssm:AddTagsToResource'], Effect: 'Allow', Resource: '*' },
      { Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } } },
    ]);
    const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(task.DependsOn).toContain(policyId);
  });

  test('a second call returns the first result and adds nothing', () => {
    const again = EcsFaultInjection.enable(readiness.node.scope as ecs.TaskDefinition);
    expect(again).toBe(readiness);
    expect((readiness.node.scope as ecs.TaskDefinition).node.findAll().filter((c) => c instanceof ecs.ContainerDefinition)).toHaveLength(2);
  });
});

describe('EcsFaultInjection.enable silences the experiment\'s warnings about the task definition', () => {
  function warnings(prepare: boolean): string[] {
    const stack = newStack();
    const { task, web } = fargate(stack);
    if (prepare) {
      EcsFaultInjection.enable(task);
    }
    newService(stack).addExperiment('kill', { fault: Fault.ecsKillProcess(Targets.ecsService(web, Selection.count(1)), { processName: 'nginx' }) });
    return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data)).filter((w) => w.includes('cdk-reliability:chaos-'));
  }

  test('without it: the pidMode and sidecar warnings, each naming the call that fixes it', () => {
    const found = warnings(false);
    expect(found).toEqual([
      expect.stringMatching(/pidMode to be 'task'.*EcsFaultInjection\.enable\(taskDefinition\) prepares Shop\/WebTask for FIS's task faults/),
      expect.stringMatching(/runs through an SSM agent sidecar.*EcsFaultInjection\.enable\(taskDefinition\) prepares Shop\/WebTask/),
    ]);
  });

  test('with it: no warning', () => {
    expect(warnings(true)).toEqual([]);
  });

  test('the network faults through the ECS endpoints stop warning about enableFaultInjection too', () => {
    const found = (prepare: boolean) => {
      const stack = newStack();
      const { task, web } = fargate(stack);
      if (prepare) {
        EcsFaultInjection.enable(task);
      }
      newService(stack).addExperiment('loss', { fault: Fault.ecsNetworkPacketLoss(Targets.ecsService(web, Selection.count(1))), duration: Duration.minutes(5) });
      return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data)).filter((w) => w.includes('cdk-reliability:chaos-'));
    };
    expect(found(false)).toEqual(expect.arrayContaining([expect.stringMatching(/does not set enableFaultInjection: true; FIS will fail the action; EcsFaultInjection\.enable\(taskDefinition\)/)]));
    expect(found(true)).toEqual([]);
  });
});

describe('EcsFaultInjection.enable refuses', () => {
  test('a Fargate task definition without an operating system family, naming the fix', () => {
    const stack = newStack();
    const { task } = fargate(stack, {});
    expect(() => EcsFaultInjection.enable(task)).toThrow(
      'Shop/WebTask: EcsFaultInjection.enable(): a Fargate task definition needs runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } for pidMode \'task\'');
  });

  test('a Windows task definition', () => {
    const stack = newStack();
    const { task } = fargate(stack, { runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE }, cpu: 1024, memoryLimitMiB: 2048 });
    expect(() => EcsFaultInjection.enable(task)).toThrow(/Shop\/WebTask: EcsFaultInjection\.enable\(\): the task definition runs WINDOWS_SERVER_2022_CORE; FIS's task faults and pidMode 'task' are Linux only/);
  });

  test('an EC2 task definition with pidMode host', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Batch', { pidMode: ecs.PidMode.HOST });
    expect(() => EcsFaultInjection.enable(task)).toThrow(/Shop\/Batch: EcsFaultInjection\.enable\(\): pidMode is 'host'; FIS's task faults need 'task'/);
  });

  test('a task definition that has a container named amazon-ssm-agent already', () => {
    const stack = newStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Batch');
    task.addContainer('amazon-ssm-agent', { image: ecs.ContainerImage.fromRegistry('example/agent'), memoryReservationMiB: 64 });
    expect(() => EcsFaultInjection.enable(task)).toThrow(/it already has a container 'amazon-ssm-agent'/);
  });

  test('something that is not a task definition', () => {
    expect(() => EcsFaultInjection.enable('web' as never)).toThrow('EcsFaultInjection.enable(taskDefinition): taskDefinition must be a task definition this app declares (FargateTaskDefinition, Ec2TaskDefinition), got "web"');
  });
});

test('an EC2 task definition gets the sidecar and pidMode task, with its own memory reservation', () => {
  const stack = newStack();
  const task = new ecs.Ec2TaskDefinition(stack, 'Batch', { networkMode: ecs.NetworkMode.AWS_VPC });
  task.addContainer('worker', { image: ecs.ContainerImage.fromRegistry('example/worker'), memoryLimitMiB: 256 });
  EcsFaultInjection.enable(task);
  Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
    PidMode: 'task', EnableFaultInjection: true,
    ContainerDefinitions: [Match.objectLike({ Name: 'worker' }), Match.objectLike({ Name: 'amazon-ssm-agent', MemoryReservation: 64, Essential: false })],
  });
});
