/**
 * Every fault factory, synthesized: the action's id and exact parameters, its target (key,
 * resource type, ARNs or tags or parameters, selection, filters) and the role's statements.
 * One stack per family of faults, synthesized once; each experiment is found by its tag.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ApiFaultService, ConnectivityScope, Fault, ReliableService, Selection, Targets } from '../../lib';
import {
  actionsOf, ecsTaskSendCommand, experimentStatements, flat, grantedActions, logicalId, newFunction, newService, newStack, onlyFault,
  sendCommandGrants, Statement, statementFor, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);

/** Every statement's resources, rendered. */
function resources(s: Statement): string[] {
  return (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flat);
}

function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
}

describe('Lambda faults', () => {
  let json: TemplateJson;
  let fnArn: string;
  let bucketId: string;

  beforeAll(() => {
    const stack = newStack();
    const checkout = newService(stack);
    const handler = newFunction(stack);
    checkout.addExperiment('delay', { fault: Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800), invocationPercentage: 25, duration: TEN_MINUTES }) });
    checkout.addExperiment('error', { fault: Fault.lambdaInvocationError(Targets.functions([handler]), { invocationPercentage: 5 }), duration: TEN_MINUTES });
    checkout.addExperiment('error-after-code', { fault: Fault.lambdaInvocationError(Targets.functions([handler]), { preventExecution: false }), duration: TEN_MINUTES });
    checkout.addExperiment('http', {
      fault: Fault.lambdaHttpResponse(Targets.functions([handler]), { statusCode: 503, contentType: 'text/plain', preventExecution: false, duration: Duration.minutes(15) }),
    });
    checkout.addExperiment('http-defaults', { fault: Fault.lambdaHttpResponse(Targets.functions([handler]), { statusCode: 500 }), duration: TEN_MINUTES });
    checkout.addExperiment('tagged', {
      fault: Fault.lambdaInvocationError(Targets.tagged({ team: 'payments' }, Selection.percent(50)), { duration: TEN_MINUTES }),
    });
    json = synth(stack);
    fnArn = `<${logicalId(stack, handler)}.Arn>`;
    bucketId = Object.keys(json.Resources).find((id) => id.startsWith('ReliabilityFisLambdaExtensionConfigBucket') && json.Resources[id].Type === 'AWS::S3::Bucket')!;
  });

  test('invocation delay: aws:lambda:invocation-add-delay with startupDelayMilliseconds, invocationPercentage and duration', () => {
    const { name, action, target } = onlyFault(json, 'delay');
    expect(name).toBe('invocation-add-delay');
    expect(action.ActionId).toBe('aws:lambda:invocation-add-delay');
    expect(action.Parameters).toEqual({ duration: 'PT10M', invocationPercentage: '25', startupDelayMilliseconds: '800' });
    expect(action.Targets).toEqual({ Functions: 'functions-1' });
    expect(action.StartAfter).toEqual(['steady-state']);
    expect(target.ResourceType).toBe('aws:lambda:function');
    expect(target.ResourceArns.map(flat)).toEqual([fnArn]);
    expect(target.SelectionMode).toBe('ALL');
    expect(target.ResourceTags).toBeUndefined();
  });

  test('invocation error: aws:lambda:invocation-error, preventExecution true by default', () => {
    const { action, target } = onlyFault(json, 'error');
    expect(action.ActionId).toBe('aws:lambda:invocation-error');
    expect(action.Parameters).toEqual({ duration: 'PT10M', invocationPercentage: '5', preventExecution: 'true' });
    expect(action.Targets).toEqual({ Functions: 'functions-1' });
    expect(target.ResourceArns.map(flat)).toEqual([fnArn]);
    expect(onlyFault(json, 'error-after-code').action.Parameters).toEqual({ duration: 'PT10M', invocationPercentage: '100', preventExecution: 'false' });
  });

  test('HTTP response: aws:lambda:invocation-http-integration-response with statusCode and contentTypeHeader', () => {
    const { action, target } = onlyFault(json, 'http');
    expect(action.ActionId).toBe('aws:lambda:invocation-http-integration-response');
    expect(action.Parameters).toEqual({
      duration: 'PT15M', invocationPercentage: '100', statusCode: '503', contentTypeHeader: 'text/plain', preventExecution: 'false',
    });
    expect(action.Targets).toEqual({ Functions: 'functions-1' });
    expect(target.ResourceType).toBe('aws:lambda:function');
    expect(onlyFault(json, 'http-defaults').action.Parameters).toEqual({
      duration: 'PT10M', invocationPercentage: '100', statusCode: '500', contentTypeHeader: 'application/json', preventExecution: 'true',
    });
  });

  test.each(['delay', 'error', 'http'])('%s: the role reads the function, tags on *, and writes fault configurations', (experiment) => {
    const statements = experimentStatements(json, experiment);
    expect(resources(statementFor(statements, ['lambda:GetFunction']))).toEqual([fnArn]);
    expect(resources(statementFor(statements, ['tag:GetResources']))).toEqual(['*']);
    expect(resources(statementFor(statements, ['s3:PutObject', 's3:DeleteObject']))).toEqual([`<${bucketId}.Arn>/FisConfigs/*`]);
    expect(grantedActions(statements)).toEqual([
      'cloudwatch:DescribeAlarms', 'lambda:GetFunction', 'logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies',
      'logs:PutResourcePolicy', 's3:DeleteObject', 's3:PutObject', 'tag:GetResources',
    ]);
  });

  test('functions chosen by tags: ResourceTags and the selection, lambda:GetFunction on the functions carrying the tags', () => {
    const { action, target } = onlyFault(json, 'tagged');
    expect(action.ActionId).toBe('aws:lambda:invocation-error');
    expect(action.Targets).toEqual({ Functions: 'functions-1' });
    expect(target).toEqual({ ResourceType: 'aws:lambda:function', ResourceTags: { team: 'payments' }, SelectionMode: 'PERCENT(50)' });
    const statement = statementFor(experimentStatements(json, 'tagged'), ['lambda:GetFunction']);
    expect(resources(statement)).toEqual(['arn:<Partition>:lambda:eu-west-1:111111111111:function:*']);
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/team': 'payments' } });
  });
});

describe('ECS faults', () => {
  let json: TemplateJson;
  let clusterRef: string;
  let fargateName: string;
  let ec2Name: string;

  beforeAll(() => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), desiredCapacity: 1 });
    const fargateTask = new ecs.FargateTaskDefinition(stack, 'WebTask', {
      pidMode: ecs.PidMode.TASK,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    fargateTask.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), memoryLimitMiB: 512 });
    const web = new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: fargateTask, desiredCount: 2 });
    const workerTask = new ecs.Ec2TaskDefinition(stack, 'WorkerTask');
    workerTask.addContainer('worker', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), memoryLimitMiB: 256 });
    const worker = new ecs.Ec2Service(stack, 'Worker', { cluster, taskDefinition: workerTask });

    const checkout = newService(stack);
    checkout.addExperiment('stop-tasks', { fault: Fault.ecsStopTasks(Targets.ecsService(web, Selection.count(1))) });
    checkout.addExperiment('cpu', { fault: Fault.ecsCpuStress(Targets.ecsService(web, Selection.percent(50)), { percent: 80, workers: 2, duration: Duration.minutes(5) }) });
    checkout.addExperiment('cpu-defaults', { fault: Fault.ecsCpuStress(Targets.ecsService(worker, Selection.all())), duration: TEN_MINUTES });
    checkout.addExperiment('latency-fargate', { fault: Fault.ecsNetworkLatency(Targets.ecsService(web, Selection.count(1)), { delay: Duration.millis(200) }), duration: TEN_MINUTES });
    checkout.addExperiment('latency-ec2', {
      fault: Fault.ecsNetworkLatency(Targets.ecsService(worker, Selection.all()), { delay: Duration.seconds(1), jitter: Duration.millis(50), sources: ['DYNAMODB', '10.0.0.0/16'] }),
      duration: TEN_MINUTES,
    });
    checkout.addExperiment('stop-tagged', { fault: Fault.ecsStopTasks(Targets.tagged({ app: 'web' }, Selection.count(2))) });
    checkout.addExperiment('latency-default', { fault: Fault.ecsNetworkLatency(Targets.ecsService(worker, Selection.count(1))), duration: TEN_MINUTES });
    checkout.addExperiment('latency-flows', { fault: Fault.ecsNetworkLatency(Targets.ecsService(worker, Selection.count(1)), { flowsPercent: 25 }), duration: TEN_MINUTES });
    json = synth(stack);
    clusterRef = `<Ref ${logicalId(stack, cluster)}>`;
    fargateName = `<${logicalId(stack, web)}.Name>`;
    ec2Name = `<${logicalId(stack, worker)}.Name>`;
  });

  const taskArn = () => `arn:<Partition>:ecs:eu-west-1:111111111111:task/${clusterRef}/*`;
  const ssmSendCommand = () => ecsTaskSendCommand(taskArn());

  /** Target parameters rendered: the cluster and service by name. */
  function targetParameters(target: Record<string, any>): Record<string, string> {
    return Object.fromEntries(Object.entries(target.Parameters as Record<string, unknown>).map(([k, v]) => [k, flat(v)]));
  }

  test('stop tasks: aws:ecs:stop-task on the service\'s tasks, chosen by cluster and service', () => {
    const { name, action, target } = onlyFault(json, 'stop-tasks');
    expect(name).toBe('stop-task');
    expect(action.ActionId).toBe('aws:ecs:stop-task');
    expect(action.Parameters).toBeUndefined();
    expect(action.Targets).toEqual({ Tasks: 'tasks-1' });
    expect(target.ResourceType).toBe('aws:ecs:task');
    expect(targetParameters(target)).toEqual({ cluster: clusterRef, service: fargateName });
    expect(target.SelectionMode).toBe('COUNT(1)');
    expect(target.ResourceArns).toBeUndefined();
    expect(target.ResourceTags).toBeUndefined();
  });

  test('stop tasks: the role may stop only tasks of the service\'s cluster', () => {
    const statements = experimentStatements(json, 'stop-tasks');
    expect(resources(statementFor(statements, ['ecs:StopTask', 'ecs:DescribeTasks']))).toEqual([taskArn()]);
    expect(resources(statementFor(statements, ['ecs:ListTasks', 'tag:GetResources']))).toEqual(['*']);
    expect(grantedActions(statements)).not.toContain('ssm:SendCommand');
  });

  test('CPU stress: aws:ecs:task-cpu-stress with duration, percent, workers and installDependencies', () => {
    const { action, target } = onlyFault(json, 'cpu');
    expect(action.ActionId).toBe('aws:ecs:task-cpu-stress');
    expect(action.Parameters).toEqual({ duration: 'PT5M', percent: '80', workers: '2', installDependencies: 'true' });
    expect(action.Targets).toEqual({ Tasks: 'tasks-1' });
    expect(targetParameters(target)).toEqual({ cluster: clusterRef, service: fargateName });
    expect(target.SelectionMode).toBe('PERCENT(50)');
    expect(onlyFault(json, 'cpu-defaults').action.Parameters).toEqual({ duration: 'PT10M', percent: '100', workers: '0', installDependencies: 'true' });
  });

  test('CPU stress: the role runs FIS\'s SSM documents on the tasks\' managed instances', () => {
    const statements = experimentStatements(json, 'cpu');
    expect(resources(statementFor(statements, ['ecs:DescribeTasks']))).toEqual([taskArn()]);
    expect(sendCommandGrants(statements)).toEqual(ssmSendCommand());
    expect(resources(statementFor(statements, ['ecs:ListTasks', 'ssm:ListCommands', 'ssm:CancelCommand', 'tag:GetResources']))).toEqual(['*']);
  });

  test('network latency on Fargate: aws:ecs:task-network-latency through the ECS fault injection endpoints', () => {
    const { action, target } = onlyFault(json, 'latency-fargate');
    expect(action.ActionId).toBe('aws:ecs:task-network-latency');
    expect(action.Parameters).toEqual({
      duration: 'PT10M', delayMilliseconds: '200', jitterMilliseconds: '10', sources: 'ALL', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'true',
    });
    expect(action.Targets).toEqual({ Tasks: 'tasks-1' });
    expect(targetParameters(target)).toEqual({ cluster: clusterRef, service: fargateName });
    expect(target.SelectionMode).toBe('COUNT(1)');
  });

  test('network latency on EC2: through the SSM agent, with jitter and sources', () => {
    const { action, target } = onlyFault(json, 'latency-ec2');
    expect(action.ActionId).toBe('aws:ecs:task-network-latency');
    expect(action.Parameters).toEqual({
      duration: 'PT10M', delayMilliseconds: '1000', jitterMilliseconds: '50', sources: 'DYNAMODB,10.0.0.0/16', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'false',
    });
    expect(targetParameters(target)).toEqual({ cluster: clusterRef, service: ec2Name });
    expect(target.SelectionMode).toBe('ALL');
  });

  test('network latency: FIS\'s default delay of 200 ms; flowsPercent written only when given', () => {
    expect(onlyFault(json, 'latency-default').action.Parameters).toEqual({
      duration: 'PT10M', delayMilliseconds: '200', jitterMilliseconds: '10', sources: 'ALL', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'false',
    });
    expect(onlyFault(json, 'latency-flows').action.Parameters).toEqual({
      duration: 'PT10M', delayMilliseconds: '200', jitterMilliseconds: '10', flowsPercent: '25', sources: 'ALL', installDependencies: 'true', useEcsFaultInjectionEndpoints: 'false',
    });
    expect(onlyFault(json, 'latency-flows').action.Description).toContain('25 % of the flows');
  });

  test('network latency: the role describes tasks of the cluster and the network around them', () => {
    const statements = experimentStatements(json, 'latency-ec2');
    expect(resources(statementFor(statements, ['ecs:DescribeTasks']))).toEqual([taskArn()]);
    expect(sendCommandGrants(statements)).toEqual(ssmSendCommand());
    expect(resources(statementFor(statements, [
      'ecs:ListTasks', 'ecs:DescribeContainerInstances', 'ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ssm:ListCommands', 'ssm:CancelCommand', 'tag:GetResources',
    ]))).toEqual(['*']);
  });

  test('tasks chosen by tags: ResourceTags and the target\'s selection, task actions on the tasks carrying the tags', () => {
    const { action, target } = onlyFault(json, 'stop-tagged');
    expect(action.Targets).toEqual({ Tasks: 'tasks-1' });
    expect(target).toEqual({ ResourceType: 'aws:ecs:task', ResourceTags: { app: 'web' }, SelectionMode: 'COUNT(2)' });
    const statement = statementFor(experimentStatements(json, 'stop-tagged'), ['ecs:StopTask', 'ecs:DescribeTasks']);
    expect(resources(statement)).toEqual(['arn:<Partition>:ecs:eu-west-1:111111111111:task/*']);
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/app': 'web' } });
  });
});

describe('EC2 faults', () => {
  let json: TemplateJson;
  let instanceArn: string;
  let asgRef: string;

  beforeAll(() => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    const instance = new ec2.Instance(stack, 'Bastion', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const asg = new autoscaling.AutoScalingGroup(stack, 'WebFleet', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(), minCapacity: 2, maxCapacity: 4,
    });
    const checkout = newService(stack);
    checkout.addExperiment('stop-instance', { fault: Fault.ec2StopInstances(Targets.instances([instance]), { restartAfter: TEN_MINUTES }) });
    checkout.addExperiment('stop-fleet', { fault: Fault.ec2StopInstances(Targets.autoScalingGroup(asg, Selection.count(1))), duration: Duration.minutes(20) });
    checkout.addExperiment('terminate-fleet', { fault: Fault.ec2TerminateInstances(Targets.autoScalingGroup(asg, Selection.percent(50))) });
    checkout.addExperiment('terminate-instance', { fault: Fault.ec2TerminateInstances(Targets.instances([instance])) });
    json = synth(stack);
    instanceArn = `arn:<Partition>:ec2:eu-west-1:111111111111:instance/<Ref ${logicalId(stack, instance)}>`;
    asgRef = `<Ref ${logicalId(stack, asg)}>`;
  });

  const kmsGrant = {
    StringLike: { 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com' },
    Bool: { 'kms:GrantIsForAWSResource': 'true' },
  };

  test('stop an instance: aws:ec2:stop-instances, started again after startInstancesAfterDuration', () => {
    const { name, action, target } = onlyFault(json, 'stop-instance');
    expect(name).toBe('stop-instances');
    expect(action.ActionId).toBe('aws:ec2:stop-instances');
    expect(action.Parameters).toEqual({ startInstancesAfterDuration: 'PT10M', completeIfInstancesTerminated: 'true' });
    expect(action.Targets).toEqual({ Instances: 'instances-1' });
    expect(target.ResourceType).toBe('aws:ec2:instance');
    expect(target.ResourceArns.map(flat)).toEqual([instanceArn]);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('stop an instance: the role stops and starts that instance only, and may grant EC2 its volume keys', () => {
    const statements = experimentStatements(json, 'stop-instance');
    expect(resources(statementFor(statements, ['ec2:StopInstances', 'ec2:StartInstances']))).toEqual([instanceArn]);
    expect(resources(statementFor(statements, ['ec2:DescribeInstances']))).toEqual(['*']);
    const kms = statementFor(statements, ['kms:CreateGrant']);
    expect(resources(kms)).toEqual(['arn:<Partition>:kms:eu-west-1:111111111111:key/*']);
    expect(kms.Condition).toEqual(kmsGrant);
  });

  test('stop instances of an Auto Scaling group: by its group-name tag, running ones only, restart after the experiment duration', () => {
    const { action, target } = onlyFault(json, 'stop-fleet');
    expect(action.Parameters).toEqual({ startInstancesAfterDuration: 'PT20M', completeIfInstancesTerminated: 'true' });
    expect(action.Targets).toEqual({ Instances: 'instances-1' });
    expect(target.ResourceType).toBe('aws:ec2:instance');
    expect(target.ResourceArns).toBeUndefined();
    expect(Object.fromEntries(Object.entries(target.ResourceTags).map(([k, v]) => [k, flat(v)]))).toEqual({ 'aws:autoscaling:groupName': asgRef });
    expect(target.Filters).toEqual([{ Path: 'State.Name', Values: ['running'] }]);
    expect(target.SelectionMode).toBe('COUNT(1)');
  });

  test('stop instances of an Auto Scaling group: the role acts only on instances carrying the group\'s tag', () => {
    const s = statementFor(experimentStatements(json, 'stop-fleet'), ['ec2:StopInstances', 'ec2:StartInstances']);
    expect(resources(s)).toEqual(['arn:<Partition>:ec2:eu-west-1:111111111111:instance/*']);
    expect(Object.keys(s.Condition!)).toEqual(['StringEquals']);
    const equals = (s.Condition as any).StringEquals;
    expect(Object.keys(equals)).toEqual(['aws:ResourceTag/aws:autoscaling:groupName']);
    expect(flat(equals['aws:ResourceTag/aws:autoscaling:groupName'])).toBe(asgRef);
  });

  test('terminate instances of an Auto Scaling group: aws:ec2:terminate-instances, no parameters', () => {
    const { name, action, target } = onlyFault(json, 'terminate-fleet');
    expect(name).toBe('terminate-instances');
    expect(action.ActionId).toBe('aws:ec2:terminate-instances');
    expect(action.Parameters).toBeUndefined();
    expect(action.Targets).toEqual({ Instances: 'instances-1' });
    expect(target.SelectionMode).toBe('PERCENT(50)');
    expect(target.Filters).toEqual([{ Path: 'State.Name', Values: ['running'] }]);
    const statements = experimentStatements(json, 'terminate-fleet');
    const s = statementFor(statements, ['ec2:TerminateInstances']);
    expect(resources(s)).toEqual(['arn:<Partition>:ec2:eu-west-1:111111111111:instance/*']);
    expect(flat((s.Condition as any).StringEquals['aws:ResourceTag/aws:autoscaling:groupName'])).toBe(asgRef);
    expect(resources(statementFor(statements, ['ec2:DescribeInstances']))).toEqual(['*']);
    expect(grantedActions(statements)).not.toContain('kms:CreateGrant');
  });

  test('terminate a declared instance: scoped to its ARN', () => {
    const { target } = onlyFault(json, 'terminate-instance');
    expect(target.ResourceArns.map(flat)).toEqual([instanceArn]);
    expect(resources(statementFor(experimentStatements(json, 'terminate-instance'), ['ec2:TerminateInstances']))).toEqual([instanceArn]);
  });
});

describe('database faults', () => {
  let json: TemplateJson;
  let clusterArn: string;
  let instanceArn: string;
  let tableArn: string;

  beforeAll(() => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const cluster = new rds.DatabaseCluster(stack, 'Orders', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('writer'),
      readers: [rds.ClusterInstance.provisioned('reader')],
      vpc,
      vpcSubnets: isolated,
    });
    const instance = new rds.DatabaseInstance(stack, 'Ledger', {
      engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
      vpc,
      vpcSubnets: isolated,
      multiAz: true,
    });
    const table = new dynamodb.TableV2(stack, 'Carts', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      replicas: [{ region: 'eu-central-1' }],
    });
    const checkout = newService(stack);
    checkout.addExperiment('failover', { fault: Fault.rdsFailoverCluster(Targets.dbClusters([cluster])) });
    checkout.addExperiment('reboot', { fault: Fault.rdsRebootInstances(Targets.dbInstances([instance]), { forceFailover: true }) });
    checkout.addExperiment('reboot-plain', { fault: Fault.rdsRebootInstances(Targets.dbInstances([instance])) });
    checkout.addExperiment('pause-replication', { fault: Fault.dynamoDbPauseReplication(Targets.tables([table]), { duration: Duration.minutes(30) }) });
    json = synth(stack);
    clusterArn = flat(stack.resolve(cluster.clusterArn));
    instanceArn = flat(stack.resolve(instance.instanceArn));
    tableArn = `<${logicalId(stack, table)}.Arn>`;
  });

  test('cluster failover: aws:rds:failover-db-cluster on the cluster, no parameters', () => {
    const { name, action, target } = onlyFault(json, 'failover');
    expect(name).toBe('failover-db-cluster');
    expect(action.ActionId).toBe('aws:rds:failover-db-cluster');
    expect(action.Parameters).toBeUndefined();
    expect(action.Targets).toEqual({ Clusters: 'clusters-1' });
    expect(target.ResourceType).toBe('aws:rds:cluster');
    expect(target.ResourceArns.map(flat)).toEqual([clusterArn]);
    expect(clusterArn).toMatch(/^arn:<Partition>:rds:eu-west-1:111111111111:cluster:<Ref Orders\w+>$/);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('cluster failover: the role fails over that cluster only', () => {
    const statements = experimentStatements(json, 'failover');
    expect(resources(statementFor(statements, ['rds:FailoverDBCluster']))).toEqual([clusterArn]);
    expect(resources(statementFor(statements, ['rds:DescribeDBClusters', 'tag:GetResources']))).toEqual(['*']);
  });

  test('instance reboot: aws:rds:reboot-db-instances with forceFailover', () => {
    const { name, action, target } = onlyFault(json, 'reboot');
    expect(name).toBe('reboot-db-instances');
    expect(action.ActionId).toBe('aws:rds:reboot-db-instances');
    expect(action.Parameters).toEqual({ forceFailover: 'true' });
    expect(action.Targets).toEqual({ DBInstances: 'dbinstances-1' });
    expect(target.ResourceType).toBe('aws:rds:db');
    expect(target.ResourceArns.map(flat)).toEqual([instanceArn]);
    expect(instanceArn).toMatch(/^arn:<Partition>:rds:eu-west-1:111111111111:db:<Ref Ledger\w+>$/);
    expect(target.SelectionMode).toBe('ALL');
    expect(onlyFault(json, 'reboot-plain').action.Parameters).toEqual({ forceFailover: 'false' });
  });

  test('instance reboot: the role reboots that instance only', () => {
    const statements = experimentStatements(json, 'reboot');
    expect(resources(statementFor(statements, ['rds:RebootDBInstance']))).toEqual([instanceArn]);
    expect(resources(statementFor(statements, ['rds:DescribeDBInstances', 'tag:GetResources']))).toEqual(['*']);
  });

  test('global table: aws:dynamodb:global-table-pause-replication with a duration', () => {
    const { name, action, target } = onlyFault(json, 'pause-replication');
    expect(name).toBe('global-table-pause-replication');
    expect(action.ActionId).toBe('aws:dynamodb:global-table-pause-replication');
    expect(action.Parameters).toEqual({ duration: 'PT30M' });
    expect(action.Targets).toEqual({ Tables: 'tables-1' });
    expect(target.ResourceType).toBe('aws:dynamodb:global-table');
    expect(target.ResourceArns.map(flat)).toEqual([tableArn]);
    expect(target.SelectionMode).toBe('ALL');
  });

  test('global table: the role edits that table\'s resource policy only', () => {
    const statements = experimentStatements(json, 'pause-replication');
    expect(resources(statementFor(statements, [
      'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:GetResourcePolicy', 'dynamodb:DescribeTable',
    ]))).toEqual([tableArn]);
    expect(resources(statementFor(statements, ['tag:GetResources']))).toEqual(['*']);
  });
});

describe('network, API and wait faults', () => {
  let json: TemplateJson;
  let subnetArns: string[];
  let roleArn: string;

  beforeAll(() => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    const appRole = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const checkout: ReliableService = newService(stack);
    checkout.addExperiment('az-outage', { fault: Fault.disruptConnectivity(Targets.subnets(vpc.isolatedSubnets), { scope: ConnectivityScope.AVAILABILITY_ZONE }), duration: TEN_MINUTES });
    checkout.addExperiment('no-network', { fault: Fault.disruptConnectivity(Targets.subnets([vpc.isolatedSubnets[0]]), { duration: Duration.minutes(5) }) });
    checkout.addExperiment('no-prefix-list', {
      fault: Fault.disruptConnectivity(Targets.subnets([vpc.isolatedSubnets[0]]), { scope: ConnectivityScope.PREFIX_LIST, prefixList: 'pl-0123456789abcdef0' }), duration: TEN_MINUTES,
    });
    checkout.addExperiment('api-internal', {
      fault: Fault.apiInternalError(Targets.roles([appRole]), { service: ApiFaultService.EC2, operations: ['DescribeInstances', 'RunInstances'], percentage: 50 }), duration: TEN_MINUTES,
    });
    checkout.addExperiment('api-throttle', { fault: Fault.apiThrottleError(Targets.roles([appRole]), { service: ApiFaultService.KINESIS, operations: ['PutRecords'], duration: Duration.minutes(5) }) });
    checkout.addExperiment('api-unavailable', { fault: Fault.apiUnavailableError(Targets.roles([appRole]), { service: ApiFaultService.EC2, operations: ['DescribeInstances'] }), duration: TEN_MINUTES });
    checkout.addExperiment('wait', { fault: Fault.wait(Duration.minutes(3)) });
    json = synth(stack);
    subnetArns = vpc.isolatedSubnets.map((s) => `arn:<Partition>:ec2:eu-west-1:111111111111:subnet/<Ref ${logicalId(stack, s)}>`);
    roleArn = `<${logicalId(stack, appRole)}.Arn>`;
  });

  const networkAcls = 'arn:<Partition>:ec2:eu-west-1:111111111111:network-acl/*';

  test('disrupt connectivity: aws:network:disrupt-connectivity on the subnets, with duration and scope', () => {
    const { name, action, target } = onlyFault(json, 'az-outage');
    expect(name).toBe('disrupt-connectivity');
    expect(action.ActionId).toBe('aws:network:disrupt-connectivity');
    expect(action.Parameters).toEqual({ duration: 'PT10M', scope: 'availability-zone' });
    expect(action.Targets).toEqual({ Subnets: 'subnets-1' });
    expect(target.ResourceType).toBe('aws:ec2:subnet');
    expect(target.ResourceArns.map(flat)).toEqual(subnetArns);
    expect(subnetArns).toHaveLength(2);
    expect(target.SelectionMode).toBe('ALL');
    expect(onlyFault(json, 'no-network').action.Parameters).toEqual({ duration: 'PT5M', scope: 'all' });
  });

  test('disrupt connectivity to a prefix list: prefixListIdentifier', () => {
    expect(onlyFault(json, 'no-prefix-list').action.Parameters).toEqual({ duration: 'PT10M', scope: 'prefix-list', prefixListIdentifier: 'pl-0123456789abcdef0' });
  });

  test('disrupt connectivity: the role manages only network ACLs FIS tagged, and swaps them on these subnets', () => {
    const statements = experimentStatements(json, 'az-outage');
    // EC2 authorizes CreateNetworkAcl against the new ACL (tagged managedByFIS) and the VPC.
    const creates = statements.filter((s) => [...actionsOf(s)].join(',') === 'ec2:CreateNetworkAcl');
    expect(creates.map((s) => [resources(s), s.Condition])).toEqual([
      [[networkAcls], { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } }],
      [['arn:<Partition>:ec2:eu-west-1:111111111111:vpc/*'], undefined],
    ]);
    const tag = statementFor(statements, ['ec2:CreateTags']);
    expect(resources(tag)).toEqual([networkAcls]);
    expect(tag.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl' } });
    const change = statementFor(statements, ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl']);
    expect(resources(change)).toEqual([networkAcls]);
    expect(change.Condition).toEqual({ StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } });
    expect(resources(statementFor(statements, ['ec2:ReplaceNetworkAclAssociation']))).toEqual([...subnetArns, networkAcls]);
    expect(resources(statementFor(statements, [
      'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:GetManagedPrefixListEntries', 'tag:GetResources',
    ]))).toEqual(['*']);
  });

  test.each([
    ['api-internal', 'aws:fis:inject-api-internal-error', 'fis:InjectApiInternalError', { duration: 'PT10M', service: 'ec2', operations: 'DescribeInstances,RunInstances', percentage: '50' }],
    ['api-throttle', 'aws:fis:inject-api-throttle-error', 'fis:InjectApiThrottleError', { duration: 'PT5M', service: 'kinesis', operations: 'PutRecords', percentage: '100' }],
    ['api-unavailable', 'aws:fis:inject-api-unavailable-error', 'fis:InjectApiUnavailableError', { duration: 'PT10M', service: 'ec2', operations: 'DescribeInstances', percentage: '100' }],
  ])('%s: %s on the role, the FIS role holds only %s on experiments', (experiment, actionId, permission, parameters) => {
    const { name, action, target } = onlyFault(json, experiment);
    expect(name).toBe(actionId.split(':').pop());
    expect(action.ActionId).toBe(actionId);
    expect(action.Parameters).toEqual(parameters);
    expect(action.Targets).toEqual({ Roles: 'roles-1' });
    expect(target.ResourceType).toBe('aws:iam:role');
    expect(target.ResourceArns.map(flat)).toEqual([roleArn]);
    expect(target.SelectionMode).toBe('ALL');
    const statements = experimentStatements(json, experiment);
    expect(resources(statementFor(statements, [permission]))).toEqual(['arn:<Partition>:fis:eu-west-1:111111111111:experiment/*']);
    expect(grantedActions(statements)).toEqual([
      'cloudwatch:DescribeAlarms', permission, 'logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy',
    ].sort());
  });

  test('wait: aws:fis:wait with a duration and no target', () => {
    const { name, action, targets } = onlyFault(json, 'wait');
    expect(name).toBe('wait');
    expect(action).toEqual({ ActionId: 'aws:fis:wait', Description: 'Waits 3 min', Parameters: { duration: 'PT3M' }, StartAfter: ['steady-state'] });
    expect(targets).toEqual({});
  });
});
