/**
 * One test per validation rule. Each error names the construct path, the prop, the value and
 * what is allowed; an invalid experiment throws from its constructor and leaves nothing behind.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiFaultService, ChaosExperiment, ConnectivityScope, ExperimentProps, Fault, GameDay, ReliableService, Selection, Targets, WeekDay } from '../../lib';
import { newFunction, newService, newStack } from './helpers';

const TEN_MINUTES = Duration.minutes(10);
const WHERE = 'Shop/Checkout/Experiment-x';

interface World {
  stack: Stack;
  checkout: ReliableService;
  handler: lambda.Function;
}

function world(): World {
  const stack = newStack();
  return { stack, checkout: newService(stack), handler: newFunction(stack) };
}

/** `() => addExperiment('x', props)` on a fresh service; `props` may use the world's resources. */
function experiment(props: (w: World) => Partial<ExperimentProps>) {
  return () => {
    const w = world();
    w.checkout.addExperiment('x', props(w) as ExperimentProps);
  };
}

/** The one-problem message: `<path>: <prop>: <message>`. */
function problem(prop: string, message: string): string {
  return `${WHERE}: ${prop}: ${message}`;
}

const delayOf = (fn: lambda.IFunction, options: Record<string, unknown> = {}) =>
  Fault.lambdaInvocationDelay(Targets.functions([fn]), { delay: Duration.millis(800), ...options });

/** ECS and EC2 resources, declared only (no synth). */
function compute(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small') });
  const webTask = new ecs.FargateTaskDefinition(stack, 'WebTask', {
    pidMode: ecs.PidMode.TASK, runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
  webTask.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), memoryLimitMiB: 512 });
  const web = new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: webTask });
  // A task definition that could run on either, used by an EC2 service: the launch type decides.
  const dualTask = new ecs.TaskDefinition(stack, 'DualTask', {
    compatibility: ecs.Compatibility.EC2_AND_FARGATE, networkMode: ecs.NetworkMode.AWS_VPC, cpu: '256', memoryMiB: '512',
  });
  dualTask.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), memoryLimitMiB: 256 });
  const dual = new ecs.Ec2Service(stack, 'Dual', { cluster, taskDefinition: dualTask });
  const fleet = new autoscaling.AutoScalingGroup(stack, 'Fleet', {
    vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  return { vpc, web, dual, fleet };
}

describe('durations', () => {
  test('a fault duration below 1 minute', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler, { duration: Duration.seconds(30) }) }))).toThrow(
      problem('fault (lambdaInvocationDelay).duration', 'must be a Duration between 1 min and 12 h, got 30 s'));
  });

  test('a fault duration above 12 hours', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler, { duration: Duration.hours(13) }) }))).toThrow(
      problem('fault (lambdaInvocationDelay).duration', 'must be a Duration between 1 min and 12 h, got 13 h'));
  });

  test('a fault duration with fractional seconds', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler, { duration: Duration.millis(90_500) }) }))).toThrow(
      problem('fault (lambdaInvocationDelay).duration', 'must be a whole number of seconds (a Duration between 1 min and 12 h), got 90.5 s'));
  });

  test('no duration from the fault nor the experiment', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler) }))).toThrow(
      problem('fault (lambdaInvocationDelay).duration', 'is required: give the fault a duration, or the experiment a duration (e.g. Duration.minutes(10))'));
  });

  test('no restartAfter for stopped instances nor an experiment duration', () => {
    expect(experiment((w) => ({ fault: Fault.ec2StopInstances(Targets.autoScalingGroup(compute(w.stack).fleet, Selection.count(1))) }))).toThrow(
      problem('fault (ec2StopInstances).restartAfter', 'is required: give the fault a restartAfter, or the experiment a duration (e.g. Duration.minutes(10))'));
  });

  test('an experiment duration below 1 minute', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: Duration.seconds(30) }))).toThrow(
      /^Shop\/Checkout\/Experiment-x: (.*\n\s+- )?duration: must be a Duration between 1 min and 12 h, got 30 s/);
  });

  test('a wait shorter than a second or longer than 12 hours', () => {
    expect(experiment(() => ({ fault: Fault.wait(Duration.millis(500)) }))).toThrow(
      problem('fault (wait).duration', 'must be a whole number of seconds (a Duration between 1 s and 12 h), got 0.5 s'));
    expect(experiment(() => ({ fault: Fault.wait(Duration.hours(13)) }))).toThrow(
      problem('fault (wait).duration', 'must be a Duration between 1 s and 12 h, got 13 h'));
  });
});

describe('percentages', () => {
  test.each([0, 101, 2.5])('invocationPercentage %p', (invocationPercentage) => {
    expect(experiment((w) => ({ fault: Fault.lambdaInvocationError(Targets.functions([w.handler]), { invocationPercentage }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).invocationPercentage', `must be a whole number from 1 to 100 (percent of invocations), got ${invocationPercentage}`));
  });

  test.each([0, 101, 2.5])('API error percentage %p', (percentage) => {
    expect(experiment(() => ({
      fault: Fault.apiThrottleError(Targets.roles([new iam.Role(newStack(), 'R', { assumedBy: new iam.AccountRootPrincipal() })]), { service: ApiFaultService.EC2, operations: ['DescribeInstances'], percentage }),
      duration: TEN_MINUTES,
    }))).toThrow(problem('fault (apiThrottleError).percentage', `must be a whole number from 1 to 100 (percent of calls), got ${percentage}`));
  });

  test('ECS CPU load above 100 %', () => {
    expect(experiment((w) => ({ fault: Fault.ecsCpuStress(Targets.ecsService(compute(w.stack).web, Selection.count(1)), { percent: 101 }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ecsCpuStress).percent', 'must be a whole number from 0 to 100 (percent CPU load), got 101'));
  });

  test('a selection percentage of 0, reported under the target\'s selection', () => {
    expect(experiment((w) => ({ fault: Fault.ecsStopTasks(Targets.ecsService(compute(w.stack).web, Selection.percent(0))) }))).toThrow(
      problem('fault (ecsStopTasks).target.selection', 'Selection.percent() takes a whole percentage from 1 to 100, got 0'));
    expect(experiment((w) => ({ fault: Fault.lambdaInvocationError(Targets.functions([w.handler], Selection.percent(2.5))), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).target.selection', 'Selection.percent() takes a whole percentage from 1 to 100, got 2.5'));
  });
});

describe('milliseconds', () => {
  test('a Lambda delay above 15 minutes', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler, { delay: Duration.millis(900_001) }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationDelay).delay', 'must be a whole number of milliseconds from 0 to 900000 (15 minutes, Lambda\'s timeout limit), got 900001 ms'));
  });

  test('a negative Lambda delay cannot even be expressed: Duration refuses it', () => {
    expect(() => Duration.millis(-1)).toThrow(/negative/);
  });

  test('a Lambda delay of 0 ms and of exactly 15 minutes are allowed', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler, { delay: Duration.millis(0) }), duration: TEN_MINUTES }))).not.toThrow();
    expect(experiment((w) => ({ fault: delayOf(w.handler, { delay: Duration.minutes(15) }), duration: TEN_MINUTES }))).not.toThrow();
  });

  test('a missing Lambda delay', () => {
    expect(experiment((w) => ({ fault: Fault.lambdaInvocationDelay(Targets.functions([w.handler]), {} as never), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationDelay).delay', 'is required: a Duration from 0 ms to 15 minutes (e.g. Duration.millis(800)), got undefined'));
  });

  test.each([0, 60_001])('an ECS network delay of %p ms', (ms) => {
    expect(experiment((w) => ({ fault: Fault.ecsNetworkLatency(Targets.ecsService(compute(w.stack).web, Selection.count(1)), { delay: Duration.millis(ms) }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ecsNetworkLatency).delay', `must be a whole number of milliseconds from 1 to 60000, got ${ms} ms`));
  });

  test.each([0, 101, 2.5])('an ECS network latency on %p %% of the flows', (flows) => {
    expect(experiment((w) => ({ fault: Fault.ecsNetworkLatency(Targets.ecsService(compute(w.stack).web, Selection.count(1)), { flowsPercent: flows }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (ecsNetworkLatency).flowsPercent', `must be a whole number from 1 to 100 (percent of network flows), got ${flows}`));
  });

  test('an ECS network jitter above 1 minute', () => {
    expect(experiment((w) => ({
      fault: Fault.ecsNetworkLatency(Targets.ecsService(compute(w.stack).web, Selection.count(1)), { delay: Duration.millis(100), jitter: Duration.millis(60_001) }), duration: TEN_MINUTES,
    }))).toThrow(problem('fault (ecsNetworkLatency).jitter', 'must be a whole number of milliseconds from 0 to 60000, got 60001 ms'));
  });

  test('ECS network sources with commas or spaces', () => {
    expect(experiment((w) => ({
      fault: Fault.ecsNetworkLatency(Targets.ecsService(compute(w.stack).web, Selection.count(1)), { delay: Duration.millis(100), sources: ['S3, DYNAMODB'] }), duration: TEN_MINUTES,
    }))).toThrow(problem('fault (ecsNetworkLatency).sources',
      'must be a non-empty list of IPv4 addresses, CIDR blocks, domain names, \'DYNAMODB\', \'S3\' or \'ALL\' without spaces, commas or control characters, got ["S3, DYNAMODB"]'));
  });
});

describe('HTTP responses', () => {
  test.each([99, 600])('status code %p', (statusCode) => {
    expect(experiment((w) => ({ fault: Fault.lambdaHttpResponse(Targets.functions([w.handler]), { statusCode }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaHttpResponse).statusCode', `must be a whole number from 100 to 599 (an HTTP status code), got ${statusCode}`));
  });

  test('a content type that is not a media type', () => {
    expect(experiment((w) => ({ fault: Fault.lambdaHttpResponse(Targets.functions([w.handler]), { statusCode: 503, contentType: 'json' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaHttpResponse).contentType', 'must be a media type such as \'application/json\', got "json"'));
  });
});

describe('API errors', () => {
  const role = (w: World) => new iam.Role(w.stack, 'App', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

  test('a service FIS cannot fail (s3)', () => {
    expect(experiment((w) => ({ fault: Fault.apiInternalError(Targets.roles([role(w)]), { service: 's3' as never, operations: ['GetObject'] }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (apiInternalError).service', 'must be one of \'ec2\', \'kinesis\': FIS injects API errors only into these services\' calls, got "s3"'));
  });

  test('no operations', () => {
    expect(experiment((w) => ({ fault: Fault.apiUnavailableError(Targets.roles([role(w)]), { service: ApiFaultService.KINESIS, operations: [] }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (apiUnavailableError).operations', 'must be a non-empty list of API operation names such as \'DescribeInstances\', got []'));
  });

  test('an operation that is not an API name', () => {
    expect(experiment((w) => ({ fault: Fault.apiThrottleError(Targets.roles([role(w)]), { service: ApiFaultService.EC2, operations: ['ec2:DescribeInstances'] }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (apiThrottleError).operations', 'must be a non-empty list of API operation names such as \'DescribeInstances\', got ["ec2:DescribeInstances"]'));
  });
});

describe('network disruption', () => {
  const subnet = (w: World) => new ec2.Vpc(w.stack, 'Vpc', { natGateways: 0, maxAzs: 1 }).isolatedSubnets[0];

  test('scope prefix-list without a prefix list', () => {
    expect(experiment((w) => ({ fault: Fault.disruptConnectivity(Targets.subnets([subnet(w)]), { scope: ConnectivityScope.PREFIX_LIST }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (disruptConnectivity).prefixList', 'is required for scope \'prefix-list\': the managed prefix list\'s name, id or ARN'));
  });

  test('a prefix list with another scope', () => {
    expect(experiment((w) => ({ fault: Fault.disruptConnectivity(Targets.subnets([subnet(w)]), { prefixList: 'pl-0123456789abcdef0' }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (disruptConnectivity).prefixList', 'applies only to scope \'prefix-list\', not \'all\''));
  });

  test('an unknown scope', () => {
    expect(experiment((w) => ({ fault: Fault.disruptConnectivity(Targets.subnets([subnet(w)]), { scope: 'internet' as never }), duration: TEN_MINUTES }))).toThrow(
      problem('fault (disruptConnectivity).scope', 'must be one of \'all\', \'availability-zone\', \'dynamodb\', \'prefix-list\', \'s3\', \'s3express\', \'vpc\', got "internet"'));
  });
});

describe('ECS and EC2 targets', () => {
  test('an ECS fault without a selection', () => {
    expect(experiment((w) => ({ fault: Fault.ecsStopTasks(Targets.ecsService(compute(w.stack).web, undefined as never)) }))).toThrow(
      problem('fault (ecsStopTasks).target.selection', 'is required for an ECS service: Selection.count(1), Selection.percent(25) or, deliberately, Selection.all()'));
  });

  test('an ECS fault on something that is not a service', () => {
    expect(experiment((w) => ({ fault: Fault.ecsStopTasks(Targets.ecsService(w.handler as never, Selection.count(1))) }))).toThrow(
      /^Shop\/Checkout\/Experiment-x: fault \(ecsStopTasks\).target: must be an ECS service \(FargateService, Ec2Service\) or Targets.arns\(\)\/Targets.tagged\(\), got /);
  });

  test('an Auto Scaling group without a selection', () => {
    expect(experiment((w) => ({ fault: Fault.ec2TerminateInstances(Targets.autoScalingGroup(compute(w.stack).fleet, undefined as never)) }))).toThrow(
      problem('fault (ec2TerminateInstances).target.selection', 'is required for an Auto Scaling group: Selection.count(1), Selection.percent(50) or, deliberately, Selection.all()'));
  });

  test('network latency on Fargate without the ECS fault injection endpoints', () => {
    expect(experiment((w) => ({
      fault: Fault.ecsNetworkLatency(Targets.ecsService(compute(w.stack).web, Selection.count(1)), { delay: Duration.millis(100), useEcsFaultInjectionEndpoints: false }), duration: TEN_MINUTES,
    }))).toThrow(problem('fault (ecsNetworkLatency).useEcsFaultInjectionEndpoints',
      'must be true for a Fargate service: FIS injects network faults into Fargate tasks only through ECS fault injection endpoints'));
  });

  test('an EC2 service may skip the endpoints even with a task definition that is also Fargate-compatible', () => {
    const w = world();
    const { dual } = compute(w.stack);
    const x = w.checkout.addExperiment('x', {
      fault: Fault.ecsNetworkLatency(Targets.ecsService(dual, Selection.count(1)), { delay: Duration.millis(100) }), duration: TEN_MINUTES,
    });
    expect(x._faultActions[0].parameters.useEcsFaultInjectionEndpoints).toBe('false');
  });

  test('two ECS network faults in parallel', () => {
    expect(experiment((w) => {
      const { web } = compute(w.stack);
      const latency = Fault.ecsNetworkLatency(Targets.ecsService(web, Selection.count(1)), { delay: Duration.millis(100) });
      return { fault: Fault.parallel(latency, latency), duration: TEN_MINUTES };
    })).toThrow(problem('fault', 'runs ECS network faults in parallel; FIS cannot inject two network faults into tasks at the same time. Put them in a Fault.sequence()'));
  });
});

describe('targets', () => {
  test('an empty list of functions', () => {
    expect(experiment(() => ({ fault: Fault.lambdaInvocationError(Targets.functions([])), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).target', 'is an empty list: an experiment must name what it hits (pass a Lambda function, or Targets.tagged(tags, selection))'));
  });

  test('the same function twice', () => {
    expect(experiment((w) => ({ fault: Fault.lambdaInvocationError(Targets.functions([w.handler, w.handler])), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).target', 'names a resource twice'));
  });

  test('a count larger than the functions given', () => {
    expect(experiment((w) => ({ fault: Fault.lambdaInvocationError(Targets.functions([w.handler], Selection.count(2))), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).target.selection', 'selects 2 of 1 resource(s)'));
  });

  test('empty tags', () => {
    expect(experiment(() => ({ fault: Fault.lambdaInvocationError(Targets.tagged({}, Selection.count(1))), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).target', 'selects by tags but names none: that would match nothing or, worse, everything; pass at least one tag'));
  });

  test('more than 5 ARNs in one target', () => {
    expect(experiment((w) => ({
      fault: Fault.lambdaInvocationError(Targets.functions([1, 2, 3, 4, 5, 6].map((i) => newFunction(w.stack, `Fn${i}`)))), duration: TEN_MINUTES,
    }))).toThrow(problem('fault', 'target functions-1 lists 6 resources; FIS allows 5 ARNs per target. Select them by tags with a count or percentage'));
  });
});

describe('template limits', () => {
  const waits = (n: number) => Fault.sequence(...Array.from({ length: n }, () => Fault.wait(Duration.minutes(1))));

  test('more than 20 actions, checks included', () => {
    expect(experiment(() => ({ fault: waits(18) }))).toThrow(problem('fault', 'needs 21 actions (checks included); FIS allows 20 per template. Split the experiment'));
  });

  test('20 actions, checks included, are allowed', () => {
    expect(experiment(() => ({ fault: waits(17) }))).not.toThrow();
  });

  test('more than 10 actions at the same time', () => {
    expect(experiment(() => ({ fault: Fault.parallel(...Array.from({ length: 11 }, () => Fault.wait(Duration.minutes(1)))) }))).toThrow(
      problem('fault', 'runs 11 actions at the same time; FIS runs at most 10 in parallel. Put some in a Fault.sequence()'));
  });

  test('an experiment longer than 12 hours: two 7-hour faults in sequence', () => {
    expect(experiment((w) => ({
      fault: Fault.sequence(delayOf(w.handler, { duration: Duration.hours(7) }), Fault.lambdaInvocationError(Targets.functions([w.handler]), { duration: Duration.hours(7) })),
    }))).toThrow(problem('fault', 'runs 14 h 5 min (checks and settle time included); FIS stops experiments after 12 hours'));
  });
});

describe('experiment props', () => {
  test.each([
    ['30 s', Duration.seconds(30)],
    ['2 h', Duration.hours(2)],
  ])('a settleTime of %s', (got, settleTime) => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, settleTime }))).toThrow(
      problem('settleTime', `must be a Duration between 1 min and 1 h, got ${got}`));
  });

  test('settleTime without the recovery check', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, recoveryCheck: false, settleTime: Duration.minutes(2) }))).toThrow(
      problem('settleTime', 'is set but recoveryCheck is false: the settle time only precedes the recovery check'));
  });

  test('a description over 400 characters', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, description: 'x'.repeat(401) }))).toThrow(
      problem('description', 'must be a string of at most 400 characters (FIS allows 512 with the service prefix), got 401 characters'));
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, description: 'x'.repeat(400) }))).not.toThrow();
  });

  test('an emptyTargets mode FIS does not know', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, emptyTargets: 'ignore' as never }))).toThrow(
      problem('emptyTargets', 'must be EmptyTargets.FAIL (\'fail\') or EmptyTargets.SKIP (\'skip\'), got "ignore"'));
  });

  test('a check flag that is not a boolean', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, steadyStateCheck: 'yes' as never }))).toThrow(
      problem('steadyStateCheck', 'must be true or false, got "yes"'));
  });

  test('stop conditions that are not alarms', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, stopConditions: ['arn:aws:cloudwatch:eu-west-1:111111111111:alarm:x'] as never }))).toThrow(
      problem('stopConditions[0]', 'must be a CloudWatch alarm (IAlarm), got "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:x"'));
    expect(experiment((w) => ({
      fault: delayOf(w.handler),
      duration: TEN_MINUTES,
      stopConditions: [new cloudwatch.Alarm(w.stack, 'Down', { metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Down' }), threshold: 1, evaluationPeriods: 1 })],
    }))).not.toThrow();
  });

  test('a game day in an unknown time zone', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, gameDay: GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'Mars/Olympus_Mons' }) }))).toThrow(
      problem('gameDay.timeZone', 'must be an IANA time zone such as \'Europe/Berlin\' or \'UTC\', got "Mars/Olympus_Mons"'));
  });

  test('a game day that is not a GameDay', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, gameDay: 'cron(0 10 ? * TUE *)' as never }))).toThrow(
      problem('gameDay', 'must be GameDay.weekly(), GameDay.cron() or GameDay.once()'));
  });

  test('a report window over an hour', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, report: { before: Duration.hours(2) } }))).toThrow(
      problem('report.before', 'must be a Duration between 1 min and 1 h, got 2 h'));
  });

  test('several problems are listed together, one per line', () => {
    expect(experiment((w) => ({ fault: delayOf(w.handler, { invocationPercentage: 0 }), settleTime: Duration.seconds(30) }))).toThrow(
      `${WHERE}: 3 problems:\n`
      + '  - settleTime: must be a Duration between 1 min and 1 h, got 30 s\n'
      + '  - fault (lambdaInvocationDelay).invocationPercentage: must be a whole number from 1 to 100 (percent of invocations), got 0\n'
      + '  - fault (lambdaInvocationDelay).duration: is required: give the fault a duration, or the experiment a duration (e.g. Duration.minutes(10))');
  });
});

describe('faults', () => {
  test('something that is not a Fault', () => {
    expect(experiment(() => ({ fault: 'delay' as never }))).toThrow(
      problem('fault', 'is required: a Fault (Fault.lambdaInvocationDelay(...), Fault.sequence(...), ...), got "delay"'));
  });

  test('something that is not a Fault inside a sequence names its position', () => {
    expect(experiment(() => ({ fault: Fault.sequence(Fault.wait(Duration.minutes(1)), 'wait' as never) }))).toThrow(
      problem('fault.sequence[1]', 'must be a Fault (Fault.lambdaInvocationDelay(...), Fault.wait(...), ...), got "wait"'));
  });

  test('a problem inside a nested fault names its path', () => {
    expect(experiment(() => ({ fault: Fault.sequence(Fault.wait(Duration.minutes(1)), Fault.parallel(Fault.wait(Duration.hours(13)))) }))).toThrow(
      problem('fault.sequence[1].parallel[0] (wait).duration', 'must be a Duration between 1 s and 12 h, got 13 h'));
  });

  test.each(['sequence', 'parallel'] as const)('an empty Fault.%s()', (kind) => {
    expect(experiment(() => ({ fault: Fault[kind]() }))).toThrow(problem('fault', `Fault.${kind}() needs at least one fault`));
  });
});

describe('experiment names', () => {
  test('a name with a space, through addExperiment', () => {
    const checkout = newService(newStack());
    expect(() => checkout.addExperiment('slow handler', { fault: Fault.wait(Duration.minutes(1)) })).toThrow(
      'Shop/Checkout: addExperiment(): name must use only letters, digits, \'-\', \'_\' and \'.\', starting with a letter or digit (it becomes part of alarm names), got "slow handler"');
  });

  test('an empty name, on the construct itself', () => {
    const stack = newStack();
    expect(() => new ChaosExperiment(stack, 'Experiment', { serviceName: 'checkout', experimentName: '', fault: Fault.wait(Duration.minutes(1)), stopConditions: [] })).toThrow(
      'Shop/Experiment: name: must be a non-empty string, got ""');
  });
});

describe('nothing is synthesized when an experiment is invalid', () => {
  function expectNothingOf(stack: Stack, checkout: ReliableService) {
    expect(checkout.experiments).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::FIS::ExperimentTemplate', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    const fisRoles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'fis.amazonaws.com' } }] } } });
    expect(Object.keys(fisRoles)).toEqual([]);
  }

  test('a prop problem: the constructor throws before creating anything', () => {
    const w = world();
    expect(() => w.checkout.addExperiment('x', { fault: delayOf(w.handler), settleTime: Duration.seconds(1), gameDay: GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'UTC' }) })).toThrow(/settleTime: must be a Duration between 1 min and 1 h/);
    expectNothingOf(w.stack, w.checkout);
    const fn = Template.fromStack(w.stack).findResources('AWS::Lambda::Function');
    expect(Object.values(fn)[0].Properties.Layers).toBeUndefined();
  });

  test('a template limit: too long', () => {
    const w = world();
    expect(() => w.checkout.addExperiment('x', { fault: delayOf(w.handler, { duration: Duration.hours(12) }) })).toThrow(/FIS stops experiments after 12 hours/);
    expectNothingOf(w.stack, w.checkout);
  });

  test('a report window out of range', () => {
    const w = world();
    expect(() => w.checkout.addExperiment('x', { fault: Fault.wait(Duration.minutes(1)), report: { after: Duration.seconds(10) } })).toThrow(/report.after/);
    expectNothingOf(w.stack, w.checkout);
  });

  test('a function the extension cannot be attached to, next to one it can', () => {
    const w = world();
    const imported = lambda.Function.fromFunctionName(w.stack, 'Legacy', 'legacy');
    expect(() => w.checkout.addExperiment('x', { fault: Fault.lambdaInvocationError(Targets.functions([w.handler, imported])), duration: TEN_MINUTES })).toThrow(/is an imported function/);
    expectNothingOf(w.stack, w.checkout);
    const fn = Template.fromStack(w.stack).findResources('AWS::Lambda::Function');
    expect(Object.values(fn)[0].Properties.Environment).toBeUndefined();
  });
});

describe('review findings: input that used to synthesize or crash', () => {
  test('a function that already has another runtime wrapper is refused instead of losing it', () => {
    const w = world();
    w.handler.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/otel-instrument');
    expect(() => w.checkout.addExperiment('x', { fault: delayOf(w.handler), duration: Duration.minutes(5) })).toThrow(
      /already has AWS_LAMBDA_EXEC_WRAPPER=\/opt\/otel-instrument \(another layer's wrapper, e\.g\. OpenTelemetry\)/);
  });

  test('report must be options with a real bucket', () => {
    const w = world();
    expect(() => w.checkout.addExperiment('x', { fault: delayOf(w.handler), duration: Duration.minutes(5), report: 'yes' as never })).toThrow(
      'Shop/Checkout/Experiment-x: report: must be { enabled?, bucket?, before?, after? } ({} for the defaults), got "yes"');
    expect(() => w.checkout.addExperiment('y', { fault: delayOf(w.handler), duration: Duration.minutes(5), report: { bucket: 'name' as never } })).toThrow(
      'Shop/Checkout/Experiment-y: report.bucket: must be an S3 bucket (IBucket, e.g. s3.Bucket.fromBucketName(...)), got "name"');
  });

  test('report.enabled must be a boolean; report: { enabled: false } writes no report', () => {
    const w = world();
    expect(() => w.checkout.addExperiment('x', { fault: delayOf(w.handler), duration: Duration.minutes(5), report: { enabled: 'yes' as never } })).toThrow(
      'Shop/Checkout/Experiment-x: report.enabled: must be true or false, got "yes"');
    w.checkout.addExperiment('y', { fault: delayOf(w.handler), duration: Duration.minutes(5), report: { enabled: false } });
    expect(Template.fromStack(w.stack).findResources('AWS::FIS::ExperimentTemplate', { Properties: { ExperimentReportConfiguration: {} } })).toEqual({});
  });

  test('a fault given typed resources of another kind names the factories it takes', () => {
    expect(experiment((w) => ({ fault: Fault.lambdaInvocationError(Targets.roles([new iam.Role(w.stack, 'App', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') })])), duration: TEN_MINUTES }))).toThrow(
      problem('fault (lambdaInvocationError).target', 'must be Targets.functions([...]), Targets.arns([...]) or Targets.tagged(tags, selection), got Targets.roles([...])'));
    expect(experiment((w) => ({ fault: Fault.ec2StopInstances(w.handler as never), duration: TEN_MINUTES }))).toThrow(
      /fault \(ec2StopInstances\)\.target: must be Targets\.instances\(\[\.\.\.\]\), Targets\.autoScalingGroup\(group, selection\), Targets\.arns\(\[\.\.\.\]\) or Targets\.tagged\(tags, selection\), got /);
  });

  test('target filters must be a list', () => {
    expect(Targets.arns(['arn:aws:lambda:eu-west-1:111111111111:function:x'], Selection.all(), { filters: 'x' as never })._problems('t'))
      .toEqual([{ prop: 't.filters', message: 'must be a list of { path, values }, got "x"' }]);
  });

  test('a one-off game day on a date that does not exist is refused', () => {
    expect(GameDay.once({ at: '2026-02-31T10:00', timeZone: 'UTC' })._problems()).toEqual([
      { prop: 'gameDay.at', message: 'must be a local date and time YYYY-MM-DDThh:mm[:ss], e.g. \'2026-12-01T10:00\', got "2026-02-31T10:00"' },
    ]);
  });
});

describe('hostile values: refused with a clear message, never a TypeError or an invalid template', () => {
  const ARN = 'arn:aws:lambda:eu-west-1:111111111111:function:x';
  /** The plain Error an experiment throws, its message. */
  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect((e as Error).name).toBe('Error');
      return (e as Error).message;
    }
    throw new Error('did not throw');
  };
  const throwingGetter = (key: string) => Object.defineProperty({}, key, { enumerable: true, get: () => { throw new Error(`no ${key}`); } });

  test('a description cut to FIS\'s 512 characters never splits a surrogate pair (it made the template invalid JSON)', () => {
    // '<64 s>/<64 x>: ' is 131 characters, the description 399 UTF-16 units: 530 in all, cut at 511, inside a rocket
    const stack = newStack();
    const service = newService(stack, { serviceName: 's'.repeat(64) });
    service.addExperiment('x'.repeat(64), { fault: delayOf(newFunction(stack)), duration: TEN_MINUTES, description: `a${'🚀'.repeat(199)}` });
    const fisDescription = Object.values(Template.fromStack(stack).findResources('AWS::FIS::ExperimentTemplate'))[0].Properties.Description as string;
    expect(fisDescription.length).toBeLessThanOrEqual(512);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(fisDescription)).toBe(false);
    expect(fisDescription.endsWith('🚀…')).toBe(true);
  });

  test('a description holding half a surrogate pair or control characters is refused', () => {
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, description: 'slow \uD83D' })))).toBe(
      problem('description', 'must be text without control characters or halves of surrogate pairs (not valid in a template), got "slow \uFFFD"'));
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, description: 'a\u0000b' })))).toBe(
      problem('description', 'must be text without control characters or halves of surrogate pairs (not valid in a template), got "a\\u0000b"'));
  });

  test.each<[string, unknown, string]>([
    ['a BigInt', 1n, 'must be true or false, got 1n'],
    ['a Symbol', Symbol('yes'), 'must be true or false, got Symbol("yes")'],
  ])('a flag that is %s is described, not serialised', (_, value, message) => {
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, steadyStateCheck: value as never })))).toBe(problem('steadyStateCheck', message));
  });

  test('emptyTargets and report given BigInt or circular values are described', () => {
    const self: Record<string, unknown> = {};
    self.self = self;
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, emptyTargets: 1n as never })))).toBe(
      problem('emptyTargets', 'must be EmptyTargets.FAIL (\'fail\') or EmptyTargets.SKIP (\'skip\'), got 1n'));
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, report: 7n as never })))).toBe(
      problem('report', 'must be { enabled?, bucket?, before?, after? } ({} for the defaults), got 7n'));
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, report: { bucket: self as never } })))).toBe(
      problem('report.bucket', 'must be an S3 bucket (IBucket, e.g. s3.Bucket.fromBucketName(...)), got {"self":[circular]}'));
  });

  test('stop conditions and report options whose reading throws are refused as unreadable', () => {
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, stopConditions: [throwingGetter('alarmArn')] as never })))).toBe(
      problem('stopConditions[0]', 'could not be read: reading it threw Error: no alarmArn'));
    expect(refusal(experiment((w) => ({ fault: delayOf(w.handler), duration: TEN_MINUTES, report: throwingGetter('before') as never })))).toBe(
      problem('report.before', 'could not be read: reading it threw Error: no before'));
  });

  test('fault options whose reading throws are refused, naming the fault', () => {
    expect(refusal(experiment((w) => ({ fault: Fault.lambdaInvocationDelay(Targets.functions([w.handler]), throwingGetter('delay') as never), duration: TEN_MINUTES })))).toBe(
      problem('fault (lambdaInvocationDelay)', 'could not be read: reading it threw Error: no delay'));
  });

  test.each<[string, (w: World) => Fault, string, string]>([
    ['content type with a BigInt', (w) => Fault.lambdaHttpResponse(Targets.functions([w.handler]), { statusCode: 503, contentType: 5n as never }), 'fault (lambdaHttpResponse).contentType', 'must be a media type such as \'application/json\', got 5n'],
    ['content type with a line break', (w) => Fault.lambdaHttpResponse(Targets.functions([w.handler]), { statusCode: 503, contentType: 'text/plain\nX-Evil: 1' }), 'fault (lambdaHttpResponse).contentType', 'must be a media type such as \'application/json\', got "text/plain\\nX-Evil: 1"'],
    ['API service as a BigInt', () => Fault.apiThrottleError(Targets.arns(['arn:aws:iam::111111111111:role/app']), { service: 1n as never, operations: ['DescribeInstances'] }), 'fault (apiThrottleError).service', 'must be one of \'ec2\', \'kinesis\': FIS injects API errors only into these services\' calls, got 1n'],
    ['API operations with a BigInt', () => Fault.apiThrottleError(Targets.arns(['arn:aws:iam::111111111111:role/app']), { service: ApiFaultService.EC2, operations: [1n] as never }), 'fault (apiThrottleError).operations', 'must be a non-empty list of API operation names such as \'DescribeInstances\', got [1n]'],
    ['a scope that is a Symbol', (w) => Fault.disruptConnectivity(Targets.subnets([ec2.Subnet.fromSubnetId(w.stack, 'S', 'subnet-1')]), { scope: Symbol('az') as never }), 'fault (disruptConnectivity).scope', 'must be one of \'all\', \'availability-zone\', \'dynamodb\', \'prefix-list\', \'s3\', \'s3express\', \'vpc\', got Symbol("az")'],
    ['a prefix list with a line break', (w) => Fault.disruptConnectivity(Targets.subnets([ec2.Subnet.fromSubnetId(w.stack, 'S', 'subnet-1')]), { scope: ConnectivityScope.PREFIX_LIST, prefixList: 'pl-1\n' }), 'fault (disruptConnectivity).prefixList', 'must be the managed prefix list\'s name, id or ARN, without spaces or control characters, got "pl-1\\n"'],
  ])('%s', (_, fault, prop, message) => {
    expect(refusal(experiment((w) => ({ fault: fault(w), duration: TEN_MINUTES })))).toBe(problem(prop, message));
  });

  test('an Auto Scaling group with a null selection is refused, not a TypeError (found by the fuzz suite)', () => {
    expect(refusal(experiment((w) => ({ fault: Fault.ec2TerminateInstances(Targets.autoScalingGroup(compute(w.stack).fleet, null as never)) })))).toBe(
      problem('fault (ec2TerminateInstances).target.selection', 'must be Selection.all(), Selection.count(n) or Selection.percent(p), got null'));
  });

  test('a scope with a bidirectional override is quoted escaped, everywhere it is named', () => {
    const message = refusal(experiment((w) => ({
      fault: Fault.disruptConnectivity(Targets.subnets([ec2.Subnet.fromSubnetId(w.stack, 'S', 'subnet-1')]), { scope: '\u202Eevil' as never, prefixList: 'pl-1' }), duration: TEN_MINUTES,
    })));
    expect(message).not.toContain('\u202E');
    expect(message).toContain('not "\\u202eevil"');
  });

  test('a Selection of a Symbol or a BigInt says so (its mode used to throw a TypeError)', () => {
    expect(Selection.count(Symbol('n') as never)._problem()).toBe('Selection.count() takes a whole number of resources >= 1, got Symbol("n")');
    expect(Selection.count(Symbol('n') as never).mode).toBe('COUNT(Symbol("n"))');
    expect(Selection.percent(5n as never)._problem()).toBe('Selection.percent() takes a whole percentage from 1 to 100, got 5n');
    expect(refusal(experiment(() => ({ fault: Fault.ec2StopInstances(Targets.tagged({ team: 'x' }, Selection.count(Symbol('n') as never))), duration: TEN_MINUTES })))).toBe(
      problem('fault (ec2StopInstances).target.selection', 'Selection.count() takes a whole number of resources >= 1, got Symbol("n")'));
  });

  test('targets: ARNs, tags and filters with BigInt, control characters or halves of surrogate pairs are refused', () => {
    expect(Targets.arns([1n as never])._problems('t')).toEqual([{ prop: 't.arns[0]', message: 'must be an ARN (arn:...), got 1n' }]);
    expect(Targets.arns([`${ARN}\u0000`])._problems('t')).toEqual([{ prop: 't.arns[0]', message: `must be an ARN (arn:...) without control characters, got "${ARN}\\u0000"` }]);
    expect(Targets.tagged({ team: 5n as never }, Selection.all())._problems('t')).toEqual([
      { prop: 't.tags', message: 'tag "team" must have a non-empty key and a string value, got 5n' }]);
    expect(Targets.tagged({ 'te\uD83Dam': 'x' }, Selection.all())._problems('t')).toEqual([
      { prop: 't.tags', message: 'tag "te\uFFFDam" must have a key and value without control characters or halves of surrogate pairs' }]);
    expect(Targets.tagged({ ['k'.repeat(200)]: 'v' }, Selection.all())._problems('t')).toEqual([
      { prop: 't.tags', message: `tag ${JSON.stringify('k'.repeat(39))}… must have a key of at most 128 characters and a value of at most 256 (AWS tag limits), got 200 and 1` }]);
    expect(Targets.arns([ARN], Selection.all(), { filters: [{ path: 'State.Name', values: [1n as never] }] })._problems('t')).toEqual([
      { prop: 't.filters[0]', message: 'needs a path and at least one value, all strings, got {"path":"State.Name","values":[1n]}' }]);
  });

  test('targets whose lists or options cannot be read are refused, not thrown', () => {
    const proxy = new Proxy([], { get: () => { throw new Error('trap'); } });
    expect(Targets.arns(proxy as never)._problems('t')).toEqual([{ prop: 't', message: 'could not be read: reading it threw Error: trap' }]);
    const keys = new Proxy({}, { ownKeys: () => { throw new Error('keys'); } });
    expect(Targets.tagged(keys as never, Selection.all())._problems('t')).toEqual([{ prop: 't.tags', message: 'could not be read: reading it threw Error: keys' }]);
    expect(Targets.arns([ARN], Selection.all(), throwingGetter('filters') as never)._problems('t')).toEqual([
      { prop: 't.options', message: 'could not be read: reading it threw Error: no filters' }]);
  });

  test('game days given Symbols, BigInts or unreadable options report problems instead of throwing', () => {
    expect(GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: Symbol('h') as never, timeZone: 'UTC' })._problems()).toEqual([
      { prop: 'gameDay.hour', message: 'must be a whole hour from 0 to 23, got Symbol("h")' }]);
    expect(GameDay.weekly({ weekDay: Symbol('d') as never, hour: 10, timeZone: Symbol('z') as never })._problems()).toEqual([
      { prop: 'gameDay.weekDay', message: 'must be one of MON, TUE, WED, THU, FRI, SAT, SUN, got Symbol("d")' },
      { prop: 'gameDay.timeZone', message: 'must be an IANA time zone such as \'Europe/Berlin\' or \'UTC\', got Symbol("z")' }]);
    expect(GameDay.cron({ expression: 10n as never, timeZone: 10n as never })._problems()).toEqual([
      { prop: 'gameDay.expression', message: 'must be cron(minutes hours day-of-month month day-of-week year), six fields, e.g. \'cron(0 10 ? * TUE#1 *)\', got 10n' },
      { prop: 'gameDay.timeZone', message: 'must be an IANA time zone such as \'Europe/Berlin\' or \'UTC\', got 10n' }]);
    expect(GameDay.once({ at: Symbol('t') as never, timeZone: 'UTC', enabled: 1n as never })._problems()).toEqual([
      { prop: 'gameDay.at', message: 'must be a local date and time YYYY-MM-DDThh:mm[:ss], e.g. \'2026-12-01T10:00\', got Symbol("t")' },
      { prop: 'gameDay.enabled', message: 'must be true or false, got 1n' }]);
    expect(GameDay.weekly(throwingGetter('hour') as never)._problems()).toEqual([
      { prop: 'gameDay', message: 'could not be read: reading it threw Error: no hour' }]);
  });
});

describe('an experiment declared on its own checks what its service would have given it', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['a service name that is a Symbol', { serviceName: Symbol('s') }, 'serviceName: must be a non-empty string, got Symbol("s")'],
    ['a service name with a space', { serviceName: 'check out' }, 'serviceName: must use only letters, digits'],
    ['page alarms that are not an IAlarmSource', { pageAlarms: [] }, 'pageAlarms: must be an IAlarmSource (an object whose alarms() returns the service\'s page alarms), got []'],
    ['a dashboard name that is not a string', { dashboardName: 5n }, 'dashboardName: must be the name of a CloudWatch dashboard, got 5n'],
  ])('%s', (_, props, message) => {
    const stack = newStack();
    let thrown: Error | undefined;
    try {
      new ChaosExperiment(stack, 'Experiment', { serviceName: 'checkout', experimentName: 'x', fault: Fault.wait(Duration.minutes(1)), ...props } as never);
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.name).toBe('Error');
    expect(thrown?.message).toContain(`Shop/Experiment: ${message}`);
  });
});
