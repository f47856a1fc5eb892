/**
 * Generated chaos experiments, valid and invalid: every fault factory with odd options, typed
 * resources (declared, imported, unsupported) or `Targets` with odd ARNs, tags, filters and
 * selections, nested `Fault.sequence`/`parallel`, game days, stop conditions, checks, reports.
 * Also the pure generators of game days and targets for the cheap value-object properties.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { AlertPolicy, Fault, GameDay, ReliableService, Selection, Severity, Sli, Targets } from '../../../lib';
import { fromWorld, FromWorld, labelled, Mix, oddNumber, oddString, optional, realize, wrongType } from './arbitraries';
import { call, callSpread } from './factories';

/** Where chaos cases deploy: FIS ARNs need a concrete account and region. */
export const CHAOS_ENV = { account: '111111111111', region: 'eu-west-1' } as const;

/** The resources a case's faults may hit, created on first use in the case's stack. */
export interface ChaosWorld {
  readonly stack: Stack;
  fn(): lambda.IFunction;
  otherFn(): lambda.IFunction;
  importedFn(): lambda.IFunction;
  osOnlyFn(): lambda.IFunction;
  wrappedFn(): lambda.IFunction;
  fargate(): ecs.BaseService;
  instance(): ec2.IInstance;
  group(): autoscaling.IAutoScalingGroup;
  cluster(): rds.IDatabaseCluster;
  dbInstance(): rds.IDatabaseInstance;
  table(): dynamodb.ITable;
  subnet(): ec2.ISubnet;
  role(): iam.IRole;
  alarm(n: number): cloudwatch.IAlarm;
  bucket(): s3.IBucket;
}

function chaosWorld(stack: Stack): ChaosWorld {
  const made = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T) => () => {
    if (!made.has(key)) {
      made.set(key, make());
    }
    return made.get(key) as T;
  };
  const vpc = once('vpc', () => ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'],
  }));
  const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');
  const fn = (id: string, props: Partial<lambda.FunctionProps> = {}) => once(id, () => new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, ...props,
  }));
  return {
    stack,
    fn: fn('Handler'),
    otherFn: fn('Other', { architecture: lambda.Architecture.ARM_64 }),
    importedFn: once('Imported', () => lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:111111111111:function:imported')),
    osOnlyFn: once('OsOnly', () => new lambda.Function(stack, 'OsOnly', {
      runtime: lambda.Runtime.PROVIDED_AL2023, handler: 'bootstrap', code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Code', 'code'), 'bootstrap.zip'),
    })),
    wrappedFn: fn('Wrapped', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' } }),
    fargate: once('Web', () => {
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: vpc() });
      const task = new ecs.FargateTaskDefinition(stack, 'WebTask');
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), memoryLimitMiB: 512 });
      return new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: task });
    }),
    instance: once('Instance', () => new ec2.Instance(stack, 'Instance', {
      vpc: vpc(), instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    })),
    group: once('Group', () => new autoscaling.AutoScalingGroup(stack, 'Group', {
      vpc: vpc(), instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    })),
    cluster: once('Db', () => rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', { clusterIdentifier: 'orders' })),
    dbInstance: once('DbInstance', () => rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'DbInstance', {
      instanceIdentifier: 'orders-1', instanceEndpointAddress: 'orders-1.example.com', port: 5432, securityGroups: [],
    })),
    table: once('Table', () => dynamodb.Table.fromTableName(stack, 'Table', 'orders')),
    subnet: once('Subnet', () => ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0fedcba9876543210')),
    role: once('AppRole', () => iam.Role.fromRoleName(stack, 'AppRole', 'app')),
    alarm: (n: number) => once(`Alarm${n}`, () => cloudwatch.Alarm.fromAlarmArn(stack, `Alarm${n}`, `arn:aws:cloudwatch:eu-west-1:111111111111:alarm:dependency-${n}`))(),
    bucket: once('Reports', () => s3.Bucket.fromBucketName(stack, 'Reports', 'reports')),
  };
}

const w = <T>(label: string, make: (x: ChaosWorld) => T): fc.Arbitrary<FromWorld<ChaosWorld, T>> => fc.constant(fromWorld(label, make));

// ---- game days (also fuzzed on their own, without synthesis) --------------------------------

const WEEK_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Well-formed EventBridge Scheduler cron expressions, at most hourly. */
const validCron = fc.record({
  minute: fc.integer({ min: 0, max: 59 }).map(String),
  hour: fc.oneof(fc.integer({ min: 0, max: 23 }).map(String), fc.constantFrom('9-17', '10,14')),
  month: fc.oneof(fc.constant('*'), fc.integer({ min: 1, max: 12 }).map(String), fc.constantFrom(...MONTHS)),
  day: fc.oneof(
    fc.record({ dom: fc.constant('?'), dow: fc.oneof(fc.constantFrom(...WEEK_DAYS, 'MON-FRI', '2', '6L'), fc.constantFrom(...WEEK_DAYS).map((d) => `${d}#${1 + (d.length % 4)}`)) }),
    fc.record({ dom: fc.oneof(fc.integer({ min: 1, max: 28 }).map(String), fc.constantFrom('L', '15W', '1,15')), dow: fc.constant('?') }),
  ),
  year: fc.constantFrom('*', '2026', '2026-2030'),
}).map((c) => `cron(${c.minute} ${c.hour} ${c.day.dom} ${c.month} ${c.day.dow} ${c.year})`);

/** Cron expressions Scheduler refuses, or that start more than hourly. */
const oddCron = fc.oneof(
  fc.constantFrom('cron(0 10 * * * *)', 'cron(0 10 ? * ? *)', 'cron(60 10 ? * MON *)', 'cron(0 25 ? * MON *)', 'cron(0  10 ? * MON *)',
    ' cron(0 10 ? * MON *) ', 'cron( 0 10 ? * MON * )', 'cron(0\t10 ? * MON *)', 'cron(0 10 ? * MON)', 'rate(1 hour)', 'cron(0/15 10 ? * MON *)',
    'cron(* 10 ? * MON *)', 'cron(0 * ? * MON *)', 'cron(a b ? c d e)', 'cron(0 10 ? * TUE#6 *)', 'cron(0 10 ? * FUN *)', 'cron(0 10 32 * ? *)',
    'cron(0 10 ? * MON 1969)', 'cron(0 10 ? 13 MON *)', 'cron(0 10 ?? * MON *)', 'cron(0 10 ? * MON-FRI-SAT *)', 'cron(0 10 ? * MON *', 'CRON(0 10 ? * MON *)',
    `cron(${Array.from({ length: 60 }, (_, i) => i).join(',')} 10 ? * MON *)`, `cron(0 10 ? * MON ${Array.from({ length: 60 }, (_, i) => 2026 + i).join(',')})`),
  fc.tuple(fc.array(fc.oneof(oddString, fc.constantFrom('?', '*', 'L', '#', '/', '-', ',')), { minLength: 6, maxLength: 6 }))
    .map(([fields]) => `cron(${fields.join(' ')})`),
  oddString,
);

const validAt = fc.record({
  date: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }),
  seconds: fc.boolean(),
}).map(({ date, seconds }) => date.toISOString().slice(0, seconds ? 19 : 16));

const oddAt = fc.oneof(
  fc.constantFrom('2026-02-31T10:00', '2026-12-01T24:00', '2026-12-01T10:00:60', '2026-12-01T10:60', '2026-12-01 10:00', '2026-12-01T10:00Z',
    '2026-13-01T00:00', '0000-01-01T00:00', '2026-12-01', '2026-12-01T10:00:00.000', '2026-02-29T10:00', '+02026-12-01T10:00', '2026-12-1T10:00'),
  oddString,
);

export function timeZones(mix: Mix): fc.Arbitrary<unknown> {
  return mix.pick(
    fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'Pacific/Chatham'),
    fc.constantFrom('europe/berlin', 'Europe/Berlin ', 'CET', 'GMT', 'Mars/Olympus', 'utc', 'EST5EDT', 'US/Pacific', '+02:00', 'Europe/', '/'),
    oddString, wrongType,
  );
}

/** `GameDay.weekly/cron/once(...)` calls with odd options, or not a game day. */
export function gameDays<W>(mix: Mix): fc.Arbitrary<unknown> {
  const common = { timeZone: timeZones(mix), enabled: optional(mix.pick(fc.boolean(), wrongType)) };
  return mix.pick(
    fc.oneof(
      call<W, GameDay>('GameDay.weekly', GameDay.weekly, mix.pick(fc.record({
        weekDay: mix.pick(fc.constantFrom(...WEEK_DAYS), fc.constantFrom('tue', 'Tuesday', 'TUE ', 'MON-FRI', '1')),
        hour: mix.number(fc.integer({ min: 0, max: 23 })),
        minute: optional(mix.number(fc.integer({ min: 0, max: 59 }))),
        ...common,
      }), wrongType)),
      call<W, GameDay>('GameDay.cron', GameDay.cron, mix.pick(fc.record({ expression: mix.pick(validCron, oddCron), ...common }), wrongType)),
      call<W, GameDay>('GameDay.once', GameDay.once, mix.pick(fc.record({ at: mix.pick(validAt, oddAt), ...common }), wrongType)),
    ),
    wrongType,
    fc.constant(labelled({ expression: 'cron(0 10 ? * MON *)', timeZone: 'UTC' }, "{ expression: 'cron(0 10 ? * MON *)', timeZone: 'UTC' }")),
  );
}

// ---- targets and selections (also fuzzed on their own) --------------------------------------

export function selections<W>(mix: Mix): fc.Arbitrary<unknown> {
  return mix.pick(
    fc.oneof(
      fc.constant(labelled(Selection.all(), 'Selection.all()')),
      call<W, Selection>('Selection.count', Selection.count, mix.number(fc.integer({ min: 1, max: 3 }))),
      call<W, Selection>('Selection.percent', Selection.percent, mix.number(fc.integer({ min: 1, max: 100 }))),
    ),
    call<W, Selection>('Selection.count', Selection.count, fc.constantFrom(1e21, 2 ** 53, 0)),
    wrongType,
  );
}

/** ARNs by service, as the resource types of FIS targets expect them. */
const ARNS: Record<string, string[]> = {
  lambda: ['arn:aws:lambda:eu-west-1:111111111111:function:checkout', 'arn:aws:lambda:eu-west-1:111111111111:function:search'],
  ec2: ['arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0', 'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0123456789abcdef0'],
  ecs: ['arn:aws:ecs:eu-west-1:111111111111:task/web/0123456789abcdef0123456789abcdef'],
  rds: ['arn:aws:rds:eu-west-1:111111111111:cluster:orders', 'arn:aws:rds:eu-west-1:111111111111:db:orders-1'],
  dynamodb: ['arn:aws:dynamodb:eu-west-1:111111111111:table/orders'],
  iam: ['arn:aws:iam::111111111111:role/app'],
};

/** `Targets.arns/tagged(...)` calls with odd ARNs (of `service`, or of another), tags, filters and selections. */
export function targetsOf<W>(mix: Mix, service?: keyof typeof ARNS): fc.Arbitrary<unknown> {
  const all = Object.values(ARNS).flat();
  const arn = mix.pick(fc.constantFrom(...(service ? ARNS[service] : all)), fc.constantFrom(...all),
    fc.constantFrom('not-an-arn', '', 'arn:', 'arn:aws', ' arn:aws:lambda:eu-west-1:1:function:x', `arn:aws:s3:::${'b'.repeat(2100)}`), oddString, wrongType);
  const filters = optional(mix.list(
    mix.pick(fc.record({ path: fc.constantFrom('State.Name', 'Placement.AvailabilityZone'), values: mix.list(fc.constantFrom('running', 'eu-west-1a'), { maxLength: 2 }) }),
      fc.record({ path: fc.constantFrom('', 'State.Name'), values: fc.constant([]) }), wrongType),
    { maxLength: 2 }));
  const tags = mix.pick(
    fc.dictionary(fc.constantFrom('team', 'app', 'aws:autoscaling:groupName', 'ünï'), fc.constantFrom('checkout', 'web', 'ü'), { minKeys: 1, maxKeys: 3 }),
    fc.constant({}),
    fc.dictionary(fc.constantFrom('', ' ', 'k'.repeat(200), 'team', 'te\uD83Dam', 'a\u0000b'), mix.invalid(oddString, wrongType), { minKeys: 1, maxKeys: 2 }),
    wrongType,
  );
  return fc.oneof(
    call<W, Targets>('Targets.arns', Targets.arns, mix.list(arn, { maxLength: 3, hugeLength: 7 }), optional(selections<W>(mix)), optional(mix.pick(fc.record({ filters }), wrongType))),
    call<W, Targets>('Targets.tagged', Targets.tagged, tags, selections<W>(mix), optional(mix.pick(fc.record({ filters }), wrongType))),
  );
}

// ---- faults ---------------------------------------------------------------------------------

export function faults(mix: Mix, maxDepth = 2) {
  const faultDuration = mix.duration(fc.oneof(
    fc.constantFrom(Duration.minutes(1), Duration.minutes(10), Duration.hours(1), Duration.hours(12), Duration.seconds(90)),
    fc.integer({ min: 60, max: 3600 }).map((n) => labelled(Duration.seconds(n), `Duration.seconds(${n})`)),
  ));
  const ownDuration = fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: faultDuration, weight: 1 });
  const percentage = optional(mix.number(fc.integer({ min: 1, max: 100 })));
  const selection = optional(selections<ChaosWorld>(mix));
  const bool = optional(mix.pick(fc.boolean(), wrongType));
  /** Typed resources (`typed`: `Targets.<kind>(...)` calls) or `Targets` of `service`; or `Targets` of any service, `odd` values, wrong types. */
  const target = (service: keyof typeof ARNS, typed: fc.Arbitrary<unknown>, ...odd: fc.Arbitrary<unknown>[]) =>
    mix.pick(fc.oneof({ arbitrary: typed, weight: 2 }, { arbitrary: targetsOf<ChaosWorld>(mix, service), weight: 1 }), targetsOf<ChaosWorld>(mix), ...odd, wrongType);
  /** `Targets.<factory>(resources, selection?)` of the world's resources, the selection as often absent as odd. */
  const typed = (factory: 'functions' | 'instances' | 'dbInstances', resources: fc.Arbitrary<unknown>) =>
    call<ChaosWorld, Targets>(`Targets.${factory}`, Targets[factory] as (...args: any[]) => Targets, resources, selection);
  const required = (factory: 'ecsService' | 'autoScalingGroup', resource: fc.Arbitrary<unknown>) =>
    call<ChaosWorld, Targets>(`Targets.${factory}`, Targets[factory] as (...args: any[]) => Targets, resource, selection);
  const plain = (factory: 'dbClusters' | 'tables' | 'subnets' | 'roles', resources: fc.Arbitrary<unknown>) =>
    call<ChaosWorld, Targets>(`Targets.${factory}`, Targets[factory] as (...args: any[]) => Targets, resources);

  const lambdaTarget = target('lambda', typed('functions', fc.oneof(w('[fn]', (x) => [x.fn()]), w('[fn, otherFn]', (x) => [x.fn(), x.otherFn()]))),
    typed('functions', fc.oneof(w('[importedFn]', (x) => [x.importedFn()]), w('[osOnlyFn]', (x) => [x.osOnlyFn()]), w('[wrappedFn]', (x) => [x.wrappedFn()]),
      w('[fn, fn]', (x) => [x.fn(), x.fn()]), fc.constant([]))),
    w('fn', (x) => x.fn()),
  );
  const ecsTarget = target('ecs', required('ecsService', w('fargateService', (x) => x.fargate())));
  const ec2Target = target('ec2', fc.oneof(typed('instances', w('[instance]', (x) => [x.instance()])), required('autoScalingGroup', w('autoScalingGroup', (x) => x.group()))),
    typed('instances', w('[instance, instance]', (x) => [x.instance(), x.instance()])));
  const clusterTarget = target('rds', plain('dbClusters', w('[dbCluster]', (x) => [x.cluster()])), plain('dbClusters', w('[dbInstance]', (x) => [x.dbInstance()])));
  const dbInstanceTarget = target('rds', typed('dbInstances', w('[dbInstance]', (x) => [x.dbInstance()])));
  const tableTarget = target('dynamodb', plain('tables', w('[table]', (x) => [x.table()])));
  const subnetTarget = target('ec2', plain('subnets', w('[subnet]', (x) => [x.subnet()])));
  const roleTarget = target('iam', plain('roles', w('[role]', (x) => [x.role()])));

  const apiOptions = mix.pick(fc.record({
    service: mix.pick(fc.constantFrom('ec2', 'kinesis'), fc.constantFrom('s3', 'EC2', '')),
    operations: mix.list(mix.pick(fc.constantFrom('DescribeInstances', 'PutRecord', 'RunInstances'), fc.constantFrom('describeInstances', 'Describe Instances', '')), { maxLength: 3 }),
    percentage,
    duration: ownDuration,
  }), wrongType);

  const leaves: fc.Arbitrary<unknown>[] = [
    call<ChaosWorld, Fault>('Fault.lambdaInvocationDelay', Fault.lambdaInvocationDelay, lambdaTarget, mix.pick(fc.record({
      delay: mix.duration(fc.oneof(fc.constantFrom(Duration.millis(0), Duration.millis(800), Duration.minutes(15)),
        fc.integer({ min: 0, max: 900_000 }).map((n) => labelled(Duration.millis(n), `Duration.millis(${n})`)))),
      invocationPercentage: percentage, duration: ownDuration,
    }), wrongType)),
    call<ChaosWorld, Fault>('Fault.lambdaInvocationError', Fault.lambdaInvocationError, lambdaTarget,
      optional(mix.pick(fc.record({ preventExecution: bool, invocationPercentage: percentage, duration: ownDuration }), wrongType))),
    call<ChaosWorld, Fault>('Fault.lambdaHttpResponse', Fault.lambdaHttpResponse, lambdaTarget, mix.pick(fc.record({
      statusCode: mix.number(fc.integer({ min: 100, max: 599 })),
      contentType: optional(mix.pick(fc.constantFrom('application/json', 'text/plain', 'application/problem+json'), fc.constantFrom('json', '', 'text/'))),
      preventExecution: bool, invocationPercentage: percentage, duration: ownDuration,
    }), wrongType)),
    call<ChaosWorld, Fault>('Fault.ecsStopTasks', Fault.ecsStopTasks, ecsTarget),
    call<ChaosWorld, Fault>('Fault.ecsCpuStress', Fault.ecsCpuStress, ecsTarget, optional(mix.pick(fc.record({
      percent: optional(mix.number(fc.integer({ min: 0, max: 100 }))), workers: optional(mix.number(fc.integer({ min: 0, max: 1024 }))), duration: ownDuration,
    }), wrongType))),
    call<ChaosWorld, Fault>('Fault.ecsNetworkLatency', Fault.ecsNetworkLatency, ecsTarget, mix.pick(fc.record({
      delay: mix.duration(fc.integer({ min: 1, max: 60_000 }).map((n) => labelled(Duration.millis(n), `Duration.millis(${n})`))),
      jitter: optional(mix.duration(fc.constantFrom(Duration.millis(0), Duration.millis(50)))),
      sources: optional(mix.list(mix.pick(fc.constantFrom('ALL', 'DYNAMODB', 'S3', '10.0.0.0/16', 'example.com'), fc.constantFrom('a b', 'a,b', '')), { maxLength: 3 })),
      useEcsFaultInjectionEndpoints: bool,
      duration: ownDuration,
    }), wrongType)),
    call<ChaosWorld, Fault>('Fault.ec2StopInstances', Fault.ec2StopInstances, ec2Target, optional(mix.pick(fc.record({ restartAfter: ownDuration }), wrongType))),
    call<ChaosWorld, Fault>('Fault.ec2TerminateInstances', Fault.ec2TerminateInstances, ec2Target),
    call<ChaosWorld, Fault>('Fault.rdsFailoverCluster', Fault.rdsFailoverCluster, clusterTarget),
    call<ChaosWorld, Fault>('Fault.rdsRebootInstances', Fault.rdsRebootInstances, dbInstanceTarget, optional(mix.pick(fc.record({ forceFailover: bool }), wrongType))),
    call<ChaosWorld, Fault>('Fault.dynamoDbPauseReplication', Fault.dynamoDbPauseReplication, tableTarget, optional(mix.pick(fc.record({ duration: ownDuration }), wrongType))),
    call<ChaosWorld, Fault>('Fault.disruptConnectivity', Fault.disruptConnectivity, subnetTarget, optional(mix.pick(fc.record({
      scope: optional(mix.pick(fc.constantFrom('all', 'availability-zone', 'dynamodb', 's3', 'vpc', 's3express'), fc.constantFrom('prefix-list', 'everything', 'ALL'))),
      prefixList: optional(mix.pick(fc.constant('pl-0123'), fc.constantFrom('', 'pl-0123\n', 'pl 0123'))),
      duration: ownDuration,
    }), wrongType))),
    call<ChaosWorld, Fault>('Fault.apiInternalError', Fault.apiInternalError, roleTarget, apiOptions),
    call<ChaosWorld, Fault>('Fault.apiThrottleError', Fault.apiThrottleError, roleTarget, apiOptions),
    call<ChaosWorld, Fault>('Fault.apiUnavailableError', Fault.apiUnavailableError, roleTarget, apiOptions),
    call<ChaosWorld, Fault>('Fault.wait', Fault.wait, mix.duration(fc.oneof(
      fc.constantFrom(Duration.minutes(2), Duration.seconds(1), Duration.hours(12)),
      fc.integer({ min: 1, max: 7200 }).map((n) => labelled(Duration.seconds(n), `Duration.seconds(${n})`)),
    ))),
  ];
  const leaf = fc.oneof(...leaves);
  const tree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth },
      { arbitrary: leaf, weight: 6 },
      { arbitrary: callSpread<ChaosWorld, Fault>('Fault.sequence', Fault.sequence, fc.array(tie('node'), { maxLength: 4 })), weight: 1 },
      { arbitrary: callSpread<ChaosWorld, Fault>('Fault.parallel', Fault.parallel, fc.array(tie('node'), { maxLength: 4 })), weight: 1 },
    ),
  })).node;
  return { tree, faultDuration };
}

// ---- experiments ----------------------------------------------------------------------------

export function chaosCases(mix: Mix) {
  const { tree, faultDuration } = faults(mix);
  const alarms = mix.list(fc.integer({ min: 1, max: 6 }).map((n) => fromWorld(`alarm${n}`, (x: ChaosWorld) => x.alarm(n))), { maxLength: 3, hugeLength: 6 });
  const windowDuration = mix.duration(fc.oneof(fc.constantFrom(Duration.minutes(1), Duration.hours(1)), fc.integer({ min: 1, max: 60 }).map((n) => labelled(Duration.minutes(n), `Duration.minutes(${n})`))));
  return fc.record({
    serviceName: fc.constantFrom('checkout', 's'.repeat(64)),
    name: mix.name(fc.constantFrom('slow-handler', 'e'.repeat(64))),
    props: fc.record({
      fault: mix.pick(tree, wrongType),
      duration: mix.pick(faultDuration, fc.constant(undefined)),
      description: optional(mix.pick(
        fc.oneof(fc.constantFrom('checkout pages nobody', '🚀'.repeat(200), 'd'.repeat(400), `${'d'.repeat(399)}🚀`), fc.string({ unit: 'grapheme', maxLength: 400 })),
        fc.constant('d'.repeat(401)), wrongType)),
      stopOnPageAlarms: optional(mix.pick(fc.boolean(), wrongType)),
      stopConditions: optional(alarms),
      steadyStateCheck: optional(mix.pick(fc.boolean(), wrongType)),
      recoveryCheck: optional(mix.pick(fc.boolean(), wrongType)),
      settleTime: optional(windowDuration),
      gameDay: optional(gameDays<ChaosWorld>(mix)),
      logRetention: optional(mix.pick(fc.constantFrom(logs.RetentionDays.ONE_YEAR, logs.RetentionDays.INFINITE, logs.RetentionDays.ONE_DAY), oddNumber)),
      report: optional(mix.pick(fc.oneof(
        fc.record({ enabled: optional(fc.boolean()) }),
        fc.record({ enabled: optional(fc.boolean()), before: optional(windowDuration), after: optional(windowDuration), bucket: optional(w('reportBucket', (x) => x.bucket())) }),
      ), wrongType, fc.constant(labelled({ bucket: 'reports' }, "{ bucket: 'reports' }")))),
      emptyTargets: optional(mix.pick(fc.constantFrom('fail', 'skip'), fc.constantFrom('FAIL', ''))),
    }),
    /** A second experiment on the service, by name (the same name is refused). */
    second: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('slow-handler', 'other'), weight: 1 }),
    /** Whether the service pages (otherwise it only tickets: the experiment needs stop conditions of its own). */
    pages: mix.pick(fc.constant(true), fc.constant(false)),
    dashboard: fc.boolean(),
  });
}

export type ChaosCase = ReturnType<typeof chaosCases> extends fc.Arbitrary<infer C> ? C : never;

/** Builds the service `<stack>/Checkout` (one SLO) and the case's experiment(s) on it. */
export function buildChaosCase(c: ChaosCase, stack: Stack): ReliableService {
  const x = chaosWorld(stack);
  const tier = c.pages ? AlertPolicy.WORKBOOK_TIERS[0] : { ...AlertPolicy.WORKBOOK_TIERS[2], severity: Severity.TICKET };
  const service = new ReliableService(stack, 'Checkout', {
    serviceName: c.serviceName,
    dashboard: c.dashboard,
    slos: [{ name: 'availability', objective: 99.9, alerting: AlertPolicy.fromTiers([tier]), sli: Sli.lambdaAvailability(lambda.Function.fromFunctionName(stack, 'Api', 'api')) }],
  });
  service.addExperiment(realize(c.name, x), realize(c.props, x));
  if (c.second !== undefined) {
    service.addExperiment(c.second, { fault: Fault.wait(Duration.minutes(1)) });
  }
  return service;
}
