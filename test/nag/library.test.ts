/**
 * The library's resources in configurations the sample app does not use (every fault family, tag-
 * selected targets, a report to the stack's bucket, an escalation policy with every kind of target):
 * the AwsSolutions and Serverless packs leave nothing unacknowledged on them. Findings on the
 * stand-in resources the faults point at (a VPC, a cluster, a database…) are the user's, not checked.
 */
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EcsFaultInjection, EksFaultInjection, EscalationPolicy, Notify } from '../../lib';
import { ApiFaultService, ConnectivityScope, EksPodSelectorType, Fault, Scenario, Selection, Targets, TrafficType } from '../../lib';
import { ENV, newFunction, newService } from '../chaos/helpers';
import { Finding, isAtOrUnder, nagApp, readable, runPacks } from './support';

const TEN_MINUTES = Duration.minutes(10);
/** The constructs the library creates in the stack below. */
const LIBRARY_ROOTS = ['Shop/Checkout', 'Shop/OnCall', 'Shop/ReliabilityFisLambdaExtension', 'Shop/ReliabilityExperimentReports', 'Shop/WebTask/FisFaultInjection',
  'Shop/K8sReady/FisFaultInjection-shop', 'Shop/K8sReady/manifest-FisFaultInjection-shop'];

describe('the library\'s resources under cdk-nag, in every configuration', () => {
  let app: App;
  let findings: Finding[];

  beforeAll(() => {
    app = nagApp();
    const stack = new Stack(app, 'Shop', { env: ENV });

    const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
    const pagerDuty = new secretsmanager.Secret(stack, 'PagerDutyKey');
    const webhook = new secretsmanager.Secret(stack, 'WebhookUrl');
    const slack = new chatbot.SlackChannelConfiguration(stack, 'Slack', { slackChannelConfigurationName: 'oncall', slackWorkspaceId: 'T0', slackChannelId: 'C0' });
    const onCall = new EscalationPolicy(stack, 'OnCall', {
      levels: [
        { notify: [Notify.email('oncall@example.com'), Notify.sms('+15555550100'), Notify.slack(slack)] },
        { after: Duration.minutes(10), notify: [Notify.pagerDutyEventsV2(pagerDuty), Notify.webhookFromSecret(webhook)] },
        { after: Duration.minutes(20), notify: [Notify.topic(new sns.Topic(stack, 'Managers', { masterKey: key, enforceSSL: true }))] },
      ],
      tickets: [Notify.webhook('https://tickets.example.com/hook'), Notify.email('tickets@example.com')],
    });

    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'WebTask', {
      pidMode: ecs.PidMode.TASK,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), memoryLimitMiB: 512 });
    const web = new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: task });
    // the readiness helper: the SSM agent sidecar, its managed-instance role, the task role's registration policy
    EcsFaultInjection.enable(task);
    const fleet = new autoscaling.AutoScalingGroup(stack, 'Fleet', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(), minCapacity: 2,
    });
    const instance = new ec2.Instance(stack, 'Bastion', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const orders = new rds.DatabaseCluster(stack, 'Orders', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('writer'), readers: [rds.ClusterInstance.provisioned('reader')], vpc, vpcSubnets: isolated,
    });
    const ledger = new rds.DatabaseInstance(stack, 'Ledger', { engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }), vpc, vpcSubnets: isolated });
    const carts = new dynamodb.TableV2(stack, 'Carts', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, replicas: [{ region: 'eu-central-1' }] });
    const appRole = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const handler = newFunction(stack);

    const checkout = newService(stack, { escalation: onCall });
    const add = (name: string, fault: Fault, extra: Record<string, unknown> = {}) => checkout.addExperiment(name, { fault, duration: TEN_MINUTES, ...extra });
    add('lambda', Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800) }), { report: {} });
    add('lambda-tagged', Fault.lambdaInvocationError(Targets.tagged({ team: 'payments' }, Selection.percent(50))));
    add('ecs-stop', Fault.ecsStopTasks(Targets.ecsService(web, Selection.count(1))));
    add('ecs-cpu', Fault.ecsCpuStress(Targets.ecsService(web, Selection.all())));
    // the container faults of issue 13: ECS task faults, container-instance draining, EKS pods and node groups
    add('ecs-io', Fault.ecsIoStress(Targets.ecsService(web, Selection.count(1))));
    add('ecs-kill', Fault.ecsKillProcess(Targets.ecsService(web, Selection.count(1)), { processName: 'nginx' }));
    add('ecs-packet-loss', Fault.ecsNetworkPacketLoss(Targets.ecsService(web, Selection.count(1))));
    add('ecs-blackhole', Fault.ecsNetworkBlackholePort(Targets.ecsService(web, Selection.count(1)), { port: 443, trafficType: TrafficType.EGRESS }));
    add('ecs-drain', Fault.ecsDrainContainerInstances(Targets.ecsClusters([cluster]), { drainagePercentage: 50 }));
    add('ecs-drain-tagged', Fault.ecsDrainContainerInstances(Targets.tagged({ app: 'web' }, Selection.all()), { drainagePercentage: 50 }));
    const k8s = eks.Cluster.fromClusterAttributes(stack, 'K8s', { clusterName: 'shop', vpc });
    const nodes = new eks.Nodegroup(stack, 'Nodes', {
      cluster: k8s as eks.ICluster as eks.Cluster,
      subnets: { subnets: vpc.isolatedSubnets },
      nodeRole: new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
    });
    const pods = Targets.eksPods(k8s, { kubernetesNamespace: 'shop', selectorType: EksPodSelectorType.DEPLOYMENT_NAME, selectorValue: 'checkout' }, Selection.percent(50));
    add('eks-pod-cpu', Fault.eksPodCpuStress(pods, { kubernetesServiceAccount: 'fis-experiments' }));
    add('eks-pod-delete', Fault.eksPodDelete(pods, { kubernetesServiceAccount: 'fis-experiments' }));
    add('eks-nodes', Fault.eksTerminateNodegroupInstances(Targets.eksNodegroups([nodes]), { instanceTerminationPercentage: 34 }));
    // the EKS readiness helper: the RBAC manifest on a cluster that can apply one, the experiment role's access entry
    const ready = eks.Cluster.fromClusterAttributes(stack, 'K8sReady', {
      clusterName: 'ready', kubectlRoleArn: 'arn:aws:iam::111111111111:role/kubectl',
      kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', 'arn:aws:lambda:eu-west-1:111111111111:layer:kubectl:1'),
    });
    EksFaultInjection.enable(ready, { kubernetesNamespace: 'shop' });
    add('eks-pod-ready', Fault.eksPodMemoryStress(Targets.eksPods(ready, { kubernetesNamespace: 'shop', selectorType: EksPodSelectorType.LABEL_SELECTOR, selectorValue: 'app=checkout' }, Selection.count(1)), {}));
    add('ecs-latency-tagged', Fault.ecsNetworkLatency(Targets.tagged({ app: 'web' }, Selection.count(1)), { delay: Duration.millis(200) }));
    add('ec2-fleet', Fault.ec2StopInstances(Targets.autoScalingGroup(fleet, Selection.count(1))));
    add('ec2-instance', Fault.ec2TerminateInstances(Targets.instances([instance])));
    add('ec2-tagged', Fault.ec2StopInstances(Targets.tagged({ app: 'batch' }, Selection.count(1)), { restartAfter: TEN_MINUTES }));
    add('ec2-reboot', Fault.ec2RebootInstances(Targets.instances([instance])));
    add('ec2-spot', Fault.ec2SpotInterruption(Targets.autoScalingGroup(fleet, Selection.count(1))));
    // insufficient capacity in a zone: the groups' launches (by CloudFormation's tags) and a role's RunInstances calls
    const launchTemplate = new ec2.LaunchTemplate(stack, 'WorkersTemplate', { instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    const workers = new autoscaling.AutoScalingGroup(stack, 'Workers', { vpc, launchTemplate, minCapacity: 2 });
    add('ec2-asg-ice', Fault.ec2AsgInsufficientCapacityError(Targets.autoScalingGroups([workers]), { availabilityZones: ['eu-west-1a'] }));
    add('ec2-asg-ice-tagged', Fault.ec2AsgInsufficientCapacityError(Targets.tagged({ app: 'batch' }, Selection.all()), { availabilityZones: ['euw1-az1'] }));
    add('ec2-api-ice', Fault.ec2ApiInsufficientCapacityError(Targets.roles([appRole]), { availabilityZones: ['eu-west-1a'], percentage: 50 }));
    add('ssm-command', Fault.ssmSendCommand(Targets.autoScalingGroup(fleet, Selection.count(1)), { document: 'AWSFIS-Run-CPU-Stress', parameters: { DurationSeconds: '60' } }));
    add('ssm-command-tagged', Fault.ssmSendCommand(Targets.tagged({ app: 'batch' }, Selection.count(1)), { document: 'AWSFIS-Run-Memory-Stress' }));
    add('ec2-spot-tagged', Fault.ec2SpotInterruption(Targets.tagged({ app: 'batch' }, Selection.count(1))));
    const volume = new ec2.Volume(stack, 'Data', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(10), encrypted: true });
    add('ebs', Fault.ebsPauseVolumeIo(Targets.volumes([volume])));
    add('ebs-tagged', Fault.ebsPauseVolumeIo(Targets.tagged({ tier: 'db' }, Selection.count(1))));
    const sessions = new elasticache.CfnReplicationGroup(stack, 'Sessions', {
      replicationGroupDescription: 'sessions', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2, multiAzEnabled: true, automaticFailoverEnabled: true,
    });
    add('elasticache', Fault.elastiCacheAzPowerInterruption(Targets.replicationGroups([sessions]), { availabilityZone: 'eu-west-1a' }));
    add('elasticache-tagged', Fault.elastiCacheAzPowerInterruption(Targets.tagged({ tier: 'cache' }, Selection.all()), { availabilityZone: 'euw1-az1' }));
    add('rds-failover', Fault.rdsFailoverCluster(Targets.dbClusters([orders])));
    add('rds-reboot', Fault.rdsRebootInstances(Targets.dbInstances([ledger])));
    add('dynamodb', Fault.dynamoDbPauseReplication(Targets.tables([carts])));
    // targets chosen by tags: their statements name every resource of the type, conditioned on the tags
    add('rds-failover-tagged', Fault.rdsFailoverCluster(Targets.tagged({ team: 'payments' }, Selection.count(1))));
    add('rds-reboot-tagged', Fault.rdsRebootInstances(Targets.tagged({ team: 'payments' }, Selection.count(1))));
    add('dynamodb-tagged', Fault.dynamoDbPauseReplication(Targets.tagged({ team: 'payments' }, Selection.all())));
    add('ec2-terminate-tagged', Fault.ec2TerminateInstances(Targets.tagged({ app: 'batch' }, Selection.count(1))));
    add('ecs-stop-tagged', Fault.ecsStopTasks(Targets.tagged({ app: 'web' }, Selection.count(1))));
    add('network', Fault.disruptConnectivity(Targets.subnets(vpc.isolatedSubnets), { scope: ConnectivityScope.AVAILABILITY_ZONE }));
    add('network-tagged', Fault.disruptConnectivity(Targets.tagged({ tier: 'db' }, Selection.all())));
    add('api', Fault.apiThrottleError(Targets.roles([appRole]), { service: ApiFaultService.EC2, operations: ['DescribeInstances'] }));
    // a scenario: the faults above composed, each target narrowed to the zone
    add('az-power', Scenario.azPowerInterruption({
      availabilityZone: 'eu-west-1a', instances: [Targets.autoScalingGroup(fleet, Selection.all())], subnets: Targets.subnets(vpc.isolatedSubnets),
      volumes: Targets.volumes([volume]), dbClusters: Targets.dbClusters([orders]), replicationGroups: Targets.replicationGroups([sessions]),
      autoScalingGroups: Targets.autoScalingGroups([workers]), launchingRoles: Targets.roles([appRole]),
    }));
    add('ebs-latency', Fault.ebsVolumeIoLatency(Targets.volumes([volume]), { writeIoLatency: Duration.millis(500) }));
    add('ebs-latency-tagged', Fault.ebsVolumeIoLatency(Targets.tagged({ tier: 'db' }, Selection.count(1))));
    add('arc-autoshift', Fault.arcStartZonalAutoshift(Targets.arns(['arn:aws:autoscaling:eu-west-1:111111111111:autoScalingGroup:0a1b2c3d-0000-1111-2222-333344445555:autoScalingGroupName/web']), { availabilityZone: 'eu-west-1a' }));
    add('arc-autoshift-tagged', Fault.arcStartZonalAutoshift(Targets.tagged({ tier: 'web' }, Selection.all()), { availabilityZone: 'euw1-az1' }));
    add('s3-replication', Fault.s3PauseReplication(Targets.tagged({ tier: 'dr' }, Selection.all()), { destinationRegion: 'eu-central-1' }));
    add('ssm-automation', Fault.ssmStartAutomation({ document: 'AWS-RestartEC2Instance', automationAssumeRole: appRole }));
    add('cross-region-routes', Fault.routeTableDisruptCrossRegion(Targets.subnets(vpc.isolatedSubnets), { region: 'us-east-1' }));
    add('cross-region-routes-tagged', Fault.routeTableDisruptCrossRegion(Targets.tagged({ tier: 'db' }, Selection.all()), { region: 'us-east-1' }));
    add('cross-region-tgw', Fault.transitGatewayDisruptCrossRegion(Targets.tagged({ tier: 'hub' }, Selection.all()), { region: 'us-east-1' }));
    add('vpc-endpoint', Fault.disruptVpcEndpoint(Targets.vpcEndpoints([vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS })])));
    add('vpc-endpoint-tagged', Fault.disruptVpcEndpoint(Targets.tagged({ tier: 'db' }, Selection.all())));
    findings = runPacks(app);
  });

  test('nothing is left unacknowledged on the library\'s resources', () => {
    const ours = findings.filter((f) => LIBRARY_ROOTS.some((root) => isAtOrUnder(f.path, root)));
    expect(readable(ours)).toEqual([]);
  });

  test('the user\'s resources are reported as usual (the library hides nothing of theirs)', () => {
    const theirs = findings.filter((f) => !LIBRARY_ROOTS.some((root) => isAtOrUnder(f.path, root)));
    expect(theirs.map((f) => f.path)).toEqual(expect.arrayContaining(['Shop/Vpc/Resource', 'Shop/Handler/ServiceRole/Resource']));
  });
});
