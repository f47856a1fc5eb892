import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  AlertPolicy, EcsFaultInjection, EmptyTargets, EscalationPolicy, Fault, Notify, ReliableService, Scenario, Selection, Sli, Targets,
} from '../lib';

/** The consumer: records each order event (stands for the team's own code). */
const CONSUMER = `exports.handler = async (event) => {
  console.log(JSON.stringify({ received: event.Records.length }));
  return { batchItemFailures: [] };
};`;

/**
 * The common architecture of issue 13, each part under its own service, with one small escalation
 * policy (the Shop's is not shared: a cross-stack reference would change the Shop's template):
 * - storefront: an ECS Fargate service behind an ALB (a public image, no Docker at synth);
 *   availability and latency from the load balancer; prepared for FIS's task faults
 *   (`EcsFaultInjection.enable`), with a CPU-stress experiment and an AZ power interruption
 * - orders: a DynamoDB table; availability of the reads and writes the storefront waits on, and
 *   GetItem latency
 * - order-events: an SQS queue with a Lambda consumer; freshness (a time-slice SLI on the age of
 *   the oldest message) and the consumer's availability
 */
export class OrdersStack extends Stack {
  public readonly onCall: EscalationPolicy;
  public readonly storefront: ReliableService;
  public readonly orders: ReliableService;
  public readonly orderEvents: ReliableService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.onCall = new EscalationPolicy(this, 'OrdersOnCall', {
      levels: [{ notify: [Notify.email('orders-oncall@example.com')] }],
      tickets: [Notify.email('orders-tickets@example.com')],
    });

    // Two zones, private subnets for the tasks (through one NAT gateway to pull the image), flow logs.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogsGroup', { retention: logs.RetentionDays.ONE_MONTH })),
    });

    const table = new dynamodb.TableV2(this, 'OrdersTable', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The storefront: nginx from a public registry stands for the team's image.
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const task = new ecs.FargateTaskDefinition(this, 'StorefrontTask', {
      cpu: 512,
      memoryLimitMiB: 1024,
      // pidMode 'task' (set by EcsFaultInjection) needs the operating system family
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.ARM64 },
    });
    task.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      portMappings: [{ containerPort: 80 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'storefront', logGroup: new logs.LogGroup(this, 'StorefrontLogs', { retention: logs.RetentionDays.ONE_MONTH }) }),
    });
    table.grantReadWriteData(task.taskRole);
    // What FIS's task faults need on the task definition, in one call.
    EcsFaultInjection.enable(task);
    const service = new ecs.FargateService(this, 'Storefront', {
      cluster, taskDefinition: task, desiredCount: 2, minHealthyPercent: 100, circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    const alb = new elbv2.ApplicationLoadBalancer(this, 'StorefrontAlb', { vpc, internetFacing: true, dropInvalidHeaderFields: true });
    const targets = alb.addListener('Http', { port: 80, open: true }).addTargets('Storefront', { port: 80, targets: [service], healthCheck: { path: '/' } });
    Validations.of(targets).acknowledge({
      id: 'RELIABILITY-008',
      reason: 'The load balancer\'s only target group: the storefront SLOs read the load balancer\'s target 5XX and TargetResponseTime, which are this group\'s',
    });
    Validations.of(alb).acknowledge(
      { id: 'AwsSolutions-ELB2', reason: 'Sample load balancer: access logs need a bucket (and its own access logs); the SLOs read its CloudWatch metrics.' },
      { id: 'AwsSolutions-EC23', reason: 'A public storefront: the load balancer accepts HTTP from anywhere; the tasks accept traffic from the load balancer only.' },
    );

    this.storefront = new ReliableService(this, 'StorefrontService', {
      serviceName: 'storefront',
      owner: 'web-team',
      runbookUrl: 'https://runbooks.example.com/storefront',
      escalation: this.onCall,
      slos: [
        { name: 'availability', objective: 99.9, sli: Sli.loadBalancerAvailability(alb) },
        { name: 'latency', objective: 99, sli: Sli.loadBalancerLatency(alb, { threshold: Duration.millis(500) }) },
        // the tasks ECS keeps running: Container Insights (enabled on the cluster) publishes running and desired counts
        { name: 'tasks', objective: 99.5, sli: Sli.ecsServiceRunningTasks(service), alerting: AlertPolicy.workbook({ tickets: false }) },
      ],
    });
    // Hypothesis: with one task's CPU saturated for 5 minutes, the other task and the load balancer
    // keep latency within the SLO (99 % under 500 ms): nobody is paged.
    this.storefront.addExperiment('cpu-stress', {
      description: 'storefront pages nobody when one task\'s CPU is saturated for 5 minutes',
      fault: Fault.ecsCpuStress(Targets.ecsService(service, Selection.count(1))),
      duration: Duration.minutes(5),
    });
    // Hypothesis: losing the first zone for 10 minutes (its private subnets cut off: the tasks there
    // fail their health checks) burns less than the page tiers: the load balancer routes to the other zone.
    this.storefront.addExperiment('az-power', {
      description: 'storefront rides out a 10-minute power interruption of one zone',
      fault: Scenario.azPowerInterruption({
        availabilityZone: vpc.availabilityZones[0],
        duration: Duration.minutes(10),
        // the whole interruption, not FIS's 2-minute cut: the tasks are the zone's only compute here
        networkDuration: Duration.minutes(10),
        subnets: Targets.subnets(vpc.privateSubnets),
      }),
      emptyTargets: EmptyTargets.SKIP,
    });

    this.orders = new ReliableService(this, 'OrdersService', {
      serviceName: 'orders',
      owner: 'web-team',
      escalation: this.onCall,
      slos: [
        { name: 'availability', objective: 99.95, sli: Sli.tableAvailability(table, { operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.QUERY] }) },
        { name: 'latency', objective: 99, sli: Sli.tableLatency(table, { operation: dynamodb.Operation.GET_ITEM, threshold: Duration.millis(20) }) },
      ],
    });

    // The order events: a queue (its dead-letter queue keeps what the consumer fails four times) and a consumer.
    const deadLetters = new sqs.Queue(this, 'OrderEventsDlq', { retentionPeriod: Duration.days(14), enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    const queue = new sqs.Queue(this, 'OrderEvents', {
      visibilityTimeout: Duration.seconds(60), enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 4 },
    });
    const consumerLogs = new logs.LogGroup(this, 'ConsumerLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const consumerRole = new iam.Role(this, 'ConsumerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    consumerLogs.grantWrite(consumerRole);
    const consumer = new lambda.Function(this, 'OrderEventsConsumer', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(CONSUMER),
      timeout: Duration.seconds(10),
      memorySize: 256,
      role: consumerRole,
      logGroup: consumerLogs,
      tracing: lambda.Tracing.ACTIVE,
    });
    consumer.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    // the event source mapping that addEventSource created, a child of the function
    Validations.of(consumer.node.children.find((c) => c instanceof lambda.EventSourceMapping)!).acknowledge({
      id: 'RELIABILITY-008',
      reason: 'Watched through the queue and the function: freshness pages on a backlog of failed batches, dead-letters on messages failed four times, '
        + 'consumer on its errors. Its own FailedInvokeEventCount (Sli.eventSourceMappingAvailability) needs metricsConfig EventCount.',
    });
    Validations.of(consumer).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason: 'Invoked by an SQS event source mapping: a failed message returns to the queue, whose redrive policy moves it to OrderEventsDlq.',
      },
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: 'An SQS event source mapping takes no on-failure destination (streams and Kafka do): the queue\'s redrive policy to OrderEventsDlq is its failure destination.',
      },
    );
    Validations.of(deadLetters).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'It is the dead-letter queue of OrderEvents: its messages are inspected and redriven to the source queue by hand, not passed on to a third queue.',
    });
    Validations.of(consumerRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords only (active tracing): X-Ray has no resource-level permissions.',
    });

    this.orderEvents = new ReliableService(this, 'OrderEventsService', {
      serviceName: 'order-events',
      owner: 'fulfilment-team',
      escalation: this.onCall,
      slos: [
        // pages only: a ticket tier's 3-day window is longer than CloudWatch evaluates one-minute slices
        { name: 'freshness', objective: 99.5, sli: Sli.queueFreshness(queue), alerting: AlertPolicy.workbook({ tickets: false }) },
        { name: 'consumer', objective: 99.5, sli: Sli.lambdaAvailability(consumer) },
        // dead letters waiting to be handled: a minute with one is a bad minute
        { name: 'dead-letters', objective: 99.5, sli: Sli.deadLetterQueueEmpty(deadLetters), alerting: AlertPolicy.workbook({ tickets: false }) },
      ],
    });
  }
}
