/**
 * The safety model around the faults: stop conditions, steady-state and recovery checks, the
 * role, logs, tags, reports, the game-day schedule, the FIS Lambda extension and warnings.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AlertPolicy, EmptyTargets, Fault, GameDay, ReliableService, Selection, Severity, Sli, Targets, WeekDay } from '../../lib';
import { availability, counts } from '../service/helpers';
import {
  experimentStatements, experimentTemplate, flat, grantedActions, logicalId, newFunction, newService, newStack,
  resourcesOfType, roleIdOf, roleStatements, statementFor, synth, TemplateJson,
} from './helpers';

const TEN_MINUTES = Duration.minutes(10);

function alarm(stack: Stack, id: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, {
    metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: id }),
    threshold: 1,
    evaluationPeriods: 1,
  });
}

/** `<X.Arn>` of a construct's resource. */
function arnOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return `<${logicalId(stack, construct as never)}.Arn>`;
}

/** A composite alarm's ARN rendered, and the check that it is a composite. */
function compositeArn(stack: Stack, json: TemplateJson, service: ReliableService, slo: string): string {
  const id = logicalId(stack, service.slo(slo).pageAlarm!);
  expect(json.Resources[id].Type).toBe('AWS::CloudWatch::CompositeAlarm');
  return `<${id}.Arn>`;
}

function stopConditionArns(json: TemplateJson, experiment: string): string[] {
  const { props } = experimentTemplate(json, experiment);
  return (props.StopConditions as { Source: string; Value: unknown }[]).map((c) => {
    expect(c.Source).toBe('aws:cloudwatch:alarm');
    return flat(c.Value);
  });
}

/** The ticket-only alert policy: no page alarm. */
const TICKETS_ONLY = AlertPolicy.fromTiers([{ severity: Severity.TICKET, budgetSpentPercent: 10, longWindow: Duration.days(1), shortWindow: Duration.hours(2) }]);

describe('an experiment of a service (defaults and options, one stack)', () => {
  let stack: Stack;
  let checkout: ReliableService;
  let json: TemplateJson;
  let handler: lambda.Function;
  let worker: lambda.Function;
  let dependency: cloudwatch.Alarm;
  let ownBucket: s3.Bucket;

  beforeAll(() => {
    stack = newStack();
    checkout = newService(stack);
    handler = newFunction(stack);
    worker = newFunction(stack, 'Worker', { architecture: lambda.Architecture.ARM_64 });
    dependency = alarm(stack, 'PaymentsDown');
    ownBucket = new s3.Bucket(stack, 'Findings');
    checkout.addExperiment('slow', {
      fault: Fault.lambdaInvocationDelay(Targets.functions([handler]), { delay: Duration.millis(800), invocationPercentage: 25 }),
      duration: TEN_MINUTES,
      report: {},
      gameDay: GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'Europe/Berlin' }),
    });
    checkout.addExperiment('errors', {
      fault: Fault.lambdaInvocationError(Targets.functions([handler]), { invocationPercentage: 5 }), duration: TEN_MINUTES, steadyStateCheck: false, recoveryCheck: false,
    });
    checkout.addExperiment('worker-errors', {
      fault: Fault.lambdaInvocationError(Targets.functions([worker])), duration: TEN_MINUTES, steadyStateCheck: false, settleTime: Duration.minutes(2),
    });
    checkout.addExperiment('extra-stops', {
      fault: Fault.wait(Duration.minutes(5)),
      stopConditions: [dependency],
      gameDay: GameDay.once({ at: '2026-12-01T10:00', timeZone: 'UTC', enabled: false }),
    });
    checkout.addExperiment('extras-only', { fault: Fault.wait(Duration.minutes(5)), stopOnPageAlarms: false, stopConditions: [dependency] });
    checkout.addExperiment('own-report', {
      fault: Fault.wait(Duration.minutes(5)),
      report: { bucket: ownBucket, before: TEN_MINUTES, after: Duration.minutes(5) },
      emptyTargets: EmptyTargets.SKIP,
      logRetention: logs.RetentionDays.ONE_MONTH,
      description: 'checkout stays within its SLO while we wait',
    });
    json = synth(stack);
  });

  describe('stop conditions', () => {
    test('default to the service\'s page alarm (a composite alarm ARN)', () => {
      expect(stopConditionArns(json, 'slow')).toEqual([compositeArn(stack, json, checkout, 'availability')]);
    });

    test('extra stopConditions are appended after the page alarms', () => {
      expect(stopConditionArns(json, 'extra-stops')).toEqual([compositeArn(stack, json, checkout, 'availability'), arnOf(stack, dependency)]);
    });

    test('with stopOnPageAlarms: false, only the given stopConditions', () => {
      expect(stopConditionArns(json, 'extras-only')).toEqual([arnOf(stack, dependency)]);
    });

    test('the experiment lists its stop alarms', () => {
      expect(checkout.experiment('extra-stops').stopAlarms()).toEqual([checkout.slo('availability').pageAlarm, dependency]);
    });
  });

  describe('steady-state and recovery checks', () => {
    test('steady-state → faults → settle (aws:fis:wait PT5M) → recovered', () => {
      const { props } = experimentTemplate(json, 'slow');
      const page = compositeArn(stack, json, checkout, 'availability');
      expect(Object.keys(props.Actions)).toEqual(['steady-state', 'invocation-add-delay', 'settle', 'recovered']);
      const a = props.Actions;
      expect(a['steady-state'].ActionId).toBe('aws:cloudwatch:assert-alarm-state');
      expect(a['steady-state'].StartAfter).toBeUndefined();
      expect(flat(a['steady-state'].Parameters.alarmArns)).toBe(page);
      expect(a['steady-state'].Parameters.alarmStates).toBe('OK');
      expect(a['invocation-add-delay'].StartAfter).toEqual(['steady-state']);
      expect(a.settle).toEqual({ ActionId: 'aws:fis:wait', Description: 'Lets the service settle for 5 min', Parameters: { duration: 'PT5M' }, StartAfter: ['invocation-add-delay'] });
      expect(a.recovered.ActionId).toBe('aws:cloudwatch:assert-alarm-state');
      expect(flat(a.recovered.Parameters.alarmArns)).toBe(page);
      expect(a.recovered.StartAfter).toEqual(['settle']);
    });

    test('the checks assert every stop alarm, comma-separated', () => {
      const { props } = experimentTemplate(json, 'extra-stops');
      expect(flat(props.Actions['steady-state'].Parameters.alarmArns)).toBe(`${compositeArn(stack, json, checkout, 'availability')},${arnOf(stack, dependency)}`);
    });

    test('the checks need cloudwatch:DescribeAlarms on * (composite alarms are listed only then)', () => {
      expect(statementFor(experimentStatements(json, 'slow'), ['cloudwatch:DescribeAlarms']).Resource).toBe('*');
    });

    test('both turned off: the fault alone, starting with the experiment, and no DescribeAlarms', () => {
      const { props } = experimentTemplate(json, 'errors');
      expect(Object.keys(props.Actions)).toEqual(['invocation-error']);
      expect(props.Actions['invocation-error'].StartAfter).toBeUndefined();
      expect(grantedActions(experimentStatements(json, 'errors'))).not.toContain('cloudwatch:DescribeAlarms');
    });

    test('a custom settle time, without the steady-state check', () => {
      const { props } = experimentTemplate(json, 'worker-errors');
      expect(Object.keys(props.Actions)).toEqual(['invocation-error', 'settle', 'recovered']);
      expect(props.Actions.settle.Parameters).toEqual({ duration: 'PT2M' });
      expect(props.Actions['invocation-error'].StartAfter).toBeUndefined();
    });

    test('the expected length counts the checks and the settle time', () => {
      expect(checkout.experiment('slow').expectedSeconds).toBe(15 * 60);
      expect(checkout.experiment('errors').expectedSeconds).toBe(10 * 60);
      expect(checkout.experiment('worker-errors').expectedSeconds).toBe(12 * 60);
    });
  });

  describe('role, logs and tags', () => {
    test('the role is assumed by fis.amazonaws.com, for this account\'s experiments only', () => {
      const role = json.Resources[roleIdOf(experimentTemplate(json, 'slow').props)];
      expect(role.Type).toBe('AWS::IAM::Role');
      const statements = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0].Principal).toEqual({ Service: 'fis.amazonaws.com' });
      expect(statements[0].Action).toBe('sts:AssumeRole');
      expect(statements[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111111111111' });
      expect(flat(statements[0].Condition.ArnLike['aws:SourceArn'])).toBe('arn:<Partition>:fis:eu-west-1:111111111111:experiment/*');
    });

    test('the template is created after the role and its policy (FIS checks the permissions)', () => {
      const { id, props } = experimentTemplate(json, 'slow');
      const roleId = roleIdOf(props);
      const policyId = Object.entries(resourcesOfType(json, 'AWS::IAM::Policy'))
        .find(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))![0];
      expect(json.Resources[id].DependsOn).toEqual(expect.arrayContaining([roleId, policyId]));
    });

    test('the role may deliver logs (vended logs take no resource)', () => {
      expect(statementFor(experimentStatements(json, 'slow'), [
        'logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
      ]).Resource).toBe('*');
    });

    test('logs go to a log group kept one year, log schema version 2', () => {
      const { props } = experimentTemplate(json, 'slow');
      expect(props.LogConfiguration.LogSchemaVersion).toBe(2);
      const logGroupId = props.LogConfiguration.CloudWatchLogsConfiguration.LogGroupArn['Fn::GetAtt'][0];
      expect(json.Resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
      expect(json.Resources[logGroupId].Properties.RetentionInDays).toBe(365);
    });

    test('log retention can be changed', () => {
      const { props } = experimentTemplate(json, 'own-report');
      const logGroupId = props.LogConfiguration.CloudWatchLogsConfiguration.LogGroupArn['Fn::GetAtt'][0];
      expect(json.Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    });

    test('tags: Name and cdk-reliability:stack/service/experiment', () => {
      expect(experimentTemplate(json, 'slow').props.Tags).toEqual({
        'Name': 'checkout-slow',
        'cdk-reliability:stack': 'Shop',
        'cdk-reliability:service': 'checkout',
        'cdk-reliability:experiment': 'slow',
      });
    });

    test('the description says service/experiment, then the hypothesis or a summary of the faults', () => {
      expect(experimentTemplate(json, 'slow').props.Description).toBe('checkout/slow: Adds 800 ms before the function\'s code runs on 25 % of invocations for 10 min');
      expect(experimentTemplate(json, 'own-report').props.Description).toBe('checkout/own-report: checkout stays within its SLO while we wait');
    });

    test('empty targets fail the experiment by default, or are skipped when asked', () => {
      expect(experimentTemplate(json, 'slow').props.ExperimentOptions).toEqual({ AccountTargeting: 'single-account', EmptyTargetResolutionMode: 'fail' });
      expect(experimentTemplate(json, 'own-report').props.ExperimentOptions).toEqual({ AccountTargeting: 'single-account', EmptyTargetResolutionMode: 'skip' });
    });
  });

  describe('reports', () => {
    test('report: {} writes to the stack\'s report bucket under the experiment\'s prefix, with the dashboard, 20 minutes around', () => {
      const config = experimentTemplate(json, 'slow').props.ExperimentReportConfiguration;
      const bucketId = Object.keys(resourcesOfType(json, 'AWS::S3::Bucket')).find((id) => id.startsWith('ReliabilityExperimentReports'))!;
      expect(config.Outputs).toEqual({ ExperimentReportS3Configuration: { BucketName: { Ref: bucketId }, Prefix: 'experiment-reports/checkout/slow/' } });
      expect(config.DataSources.CloudWatchDashboards.map((d: { DashboardIdentifier: unknown }) => flat(d.DashboardIdentifier)))
        .toEqual(['arn:<Partition>:cloudwatch::111111111111:dashboard/checkout-reliability']);
      expect(config.PreExperimentDuration).toBe('PT20M');
      expect(config.PostExperimentDuration).toBe('PT20M');
      const statements = experimentStatements(json, 'slow');
      expect(flat(statementFor(statements, ['s3:PutObject', 's3:GetObject']).Resource)).toBe(`<${bucketId}.Arn>/experiment-reports/checkout/slow/*`);
      expect(flat(statementFor(statements, ['cloudwatch:GetDashboard']).Resource)).toBe('arn:<Partition>:cloudwatch::111111111111:dashboard/checkout-reliability');
      expect(statementFor(statements, ['cloudwatch:GetMetricWidgetImage']).Resource).toBe('*');
    });

    test('a report to your own bucket with its own windows', () => {
      const config = experimentTemplate(json, 'own-report').props.ExperimentReportConfiguration;
      expect(config.Outputs.ExperimentReportS3Configuration).toEqual({ BucketName: { Ref: logicalId(stack, ownBucket) }, Prefix: 'experiment-reports/checkout/own-report/' });
      expect(config.PreExperimentDuration).toBe('PT10M');
      expect(config.PostExperimentDuration).toBe('PT5M');
    });

    test('no report by default: no configuration and no report permissions', () => {
      expect(experimentTemplate(json, 'errors').props.ExperimentReportConfiguration).toBeUndefined();
      expect(grantedActions(experimentStatements(json, 'errors'))).not.toContain('cloudwatch:GetDashboard');
    });
  });

  describe('game day', () => {
    function scheduleOf(experiment: string) {
      const { id } = experimentTemplate(json, experiment);
      const schedules = Object.values(resourcesOfType(json, 'AWS::Scheduler::Schedule'))
        .filter((s) => flat(s.Properties.Target.Input).includes(`<Ref ${id}>`));
      expect(schedules).toHaveLength(1);
      return { templateId: id, schedule: schedules[0].Properties };
    }

    test('a weekly game day is a Scheduler schedule in its time zone, enabled', () => {
      const { schedule } = scheduleOf('slow');
      expect(schedule.ScheduleExpression).toBe('cron(0 10 ? * TUE *)');
      expect(schedule.ScheduleExpressionTimezone).toBe('Europe/Berlin');
      expect(schedule.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(schedule.State).toBe('ENABLED');
      expect(schedule.Description).toBe('Game day of checkout/slow: every TUE at 10:00 Europe/Berlin');
    });

    test('it starts this template through the universal target with a client token retries share, retrying for 15 minutes at most', () => {
      const { templateId, schedule } = scheduleOf('slow');
      expect(flat(schedule.Target.Arn)).toBe('arn:<Partition>:scheduler:::aws-sdk:fis:startExperiment');
      expect(JSON.parse(flat(schedule.Target.Input))).toEqual({
        ExperimentTemplateId: `<Ref ${templateId}>`, ClientToken: `<Ref ${templateId}>-<aws.scheduler.scheduled-time>`,
      });
      expect(schedule.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 });
    });

    test('its role may only start this template (and the experiment it creates)', () => {
      const { templateId, schedule } = scheduleOf('slow');
      const roleId = schedule.Target.RoleArn['Fn::GetAtt'][0];
      const trust = json.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
      expect(trust).toEqual([expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })]);
      const statements = roleStatements(json, roleId);
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe('fis:StartExperiment');
      expect((statements[0].Resource as unknown[]).map(flat)).toEqual([
        `arn:<Partition>:fis:eu-west-1:111111111111:experiment-template/<Ref ${templateId}>`,
        'arn:<Partition>:fis:eu-west-1:111111111111:experiment/*',
      ]);
    });

    test('a game day declared disabled is a DISABLED schedule; once is an at() expression', () => {
      const { schedule } = scheduleOf('extra-stops');
      expect(schedule.State).toBe('DISABLED');
      expect(schedule.ScheduleExpression).toBe('at(2026-12-01T10:00:00)');
      expect(schedule.ScheduleExpressionTimezone).toBe('UTC');
    });

    test('no schedule without a game day', () => {
      expect(Object.keys(resourcesOfType(json, 'AWS::Scheduler::Schedule'))).toHaveLength(2);
      expect(checkout.experiment('errors').schedule).toBeUndefined();
    });
  });

  describe('the FIS Lambda extension', () => {
    function layerParameterDefault(fn: lambda.Function): string[] {
      const props = json.Resources[logicalId(stack, fn)].Properties;
      return (props.Layers as { Ref: string }[]).map((l) => json.Parameters![l.Ref].Default!);
    }

    test('each function gets the layer for its architecture, read from FIS\'s SSM parameter', () => {
      expect(layerParameterDefault(handler)).toEqual(['/aws/service/fis/lambda-extension/AWS-FIS-extension-x86_64/1.x.x']);
      expect(layerParameterDefault(worker)).toEqual(['/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x']);
      const ref = json.Resources[logicalId(stack, worker)].Properties.Layers[0].Ref;
      expect(json.Parameters![ref].Type).toBe('AWS::SSM::Parameter::Value<String>');
    });

    test('the function reads its configuration location and runs through the extension\'s wrapper', () => {
      const bucketId = Object.keys(resourcesOfType(json, 'AWS::S3::Bucket')).find((id) => id.startsWith('ReliabilityFisLambdaExtensionConfigBucket'))!;
      const env = json.Resources[logicalId(stack, handler)].Properties.Environment.Variables;
      expect(Object.keys(env).sort()).toEqual(['AWS_FIS_CONFIGURATION_LOCATION', 'AWS_LAMBDA_EXEC_WRAPPER']);
      expect(flat(env.AWS_FIS_CONFIGURATION_LOCATION)).toBe(`<${bucketId}.Arn>/FisConfigs/`);
      expect(env.AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/aws-fis/bootstrap');
    });

    test('the function\'s role may list and read the configuration prefix only', () => {
      const bucketId = Object.keys(resourcesOfType(json, 'AWS::S3::Bucket')).find((id) => id.startsWith('ReliabilityFisLambdaExtensionConfigBucket'))!;
      const roleId = json.Resources[logicalId(stack, handler)].Properties.Role['Fn::GetAtt'][0];
      const statements = roleStatements(json, roleId);
      const list = statementFor(statements, ['s3:ListBucket']);
      expect(flat(list.Resource)).toBe(`<${bucketId}.Arn>`);
      expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['FisConfigs/*'] } });
      expect(flat(statementFor(statements, ['s3:GetObject']).Resource)).toBe(`<${bucketId}.Arn>/FisConfigs/*`);
    });

    test('the experiment role may write and delete configurations under FisConfigs/', () => {
      const bucketId = Object.keys(resourcesOfType(json, 'AWS::S3::Bucket')).find((id) => id.startsWith('ReliabilityFisLambdaExtensionConfigBucket'))!;
      for (const experiment of ['slow', 'errors', 'worker-errors']) {
        expect(flat(statementFor(experimentStatements(json, experiment), ['s3:PutObject', 's3:DeleteObject']).Resource)).toBe(`<${bucketId}.Arn>/FisConfigs/*`);
      }
    });

    test('wired once although two experiments hit the same function: one bucket, one layer, one grant each', () => {
      expect(Object.keys(resourcesOfType(json, 'AWS::S3::Bucket')).filter((id) => id.startsWith('ReliabilityFisLambdaExtensionConfigBucket'))).toHaveLength(1);
      expect(json.Resources[logicalId(stack, handler)].Properties.Layers).toHaveLength(1);
      const roleId = json.Resources[logicalId(stack, handler)].Properties.Role['Fn::GetAtt'][0];
      expect(grantedActions(roleStatements(json, roleId))).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(roleStatements(json, roleId)).toHaveLength(2);
    });

    test('experiments without a Lambda fault create no extension wiring', () => {
      expect(grantedActions(experimentStatements(json, 'extra-stops'))).not.toContain('s3:PutObject');
    });
  });
});

describe('stop conditions read at synth', () => {
  test('page alarms of SLOs added after the experiment are included', () => {
    const stack = newStack();
    const checkout = newService(stack, { dashboard: false });
    checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)) });
    const latency = checkout.addSlo({
      name: 'latency', objective: 99, sli: Sli.ratio({ bad: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Slow' }), total: counts().requests }),
    });
    const json = synth(stack);
    const arns = stopConditionArns(json, 'slow');
    expect(arns).toEqual([compositeArn(stack, json, checkout, 'availability'), compositeArn(stack, json, checkout, 'latency')]);
    expect(latency.pageAlarm).toBeDefined();
    expect(flat(experimentTemplate(json, 'slow').props.Actions['steady-state'].Parameters.alarmArns)).toBe(arns.join(','));
  });

  test('a report of a service without a dashboard has no dashboard data source', () => {
    const stack = newStack();
    const checkout = newService(stack, { dashboard: false });
    checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)), report: {} });
    const json = synth(stack);
    const config = experimentTemplate(json, 'slow').props.ExperimentReportConfiguration;
    expect(config.DataSources).toBeUndefined();
    expect(grantedActions(experimentStatements(json, 'slow'))).not.toContain('cloudwatch:GetDashboard');
  });

  test('a tickets-only service without stopConditions is refused at synth', () => {
    const stack = newStack();
    const checkout = newService(stack, { slos: [availability({ alerting: TICKETS_ONLY })] });
    checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)) });
    expect(() => synth(stack)).toThrow(
      'Shop/Checkout/Experiment-slow: experiment \'slow\' has no stop condition: service \'checkout\' has no page alarm (its SLOs only ticket) and no stopConditions were given. '
      + 'An experiment that nothing halts is refused; pass stopConditions');
  });

  test('a tickets-only service with stopConditions is accepted', () => {
    const stack = newStack();
    const checkout = newService(stack, { slos: [availability({ alerting: TICKETS_ONLY })], dashboard: false });
    const dependency = alarm(stack, 'PaymentsDown');
    checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)), stopConditions: [dependency] });
    expect(stopConditionArns(synth(stack), 'slow')).toEqual([arnOf(stack, dependency)]);
  });

  test('stopOnPageAlarms: false without stopConditions is refused at construction', () => {
    const stack = newStack();
    const checkout = newService(stack);
    expect(() => checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)), stopOnPageAlarms: false })).toThrow(
      'Shop/Checkout/Experiment-slow: stopConditions: is empty and stopOnPageAlarms is false: an experiment without a stop condition is refused; pass the alarms that mean customers are hurt');
  });

  test('more than 5 stop conditions (page alarms included) are refused at synth', () => {
    const stack = newStack();
    const checkout = newService(stack);
    const extra = [1, 2, 3, 4, 5].map((i) => alarm(stack, `Dependency${i}`));
    checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)), stopConditions: extra });
    expect(() => synth(stack)).toThrow(
      'Shop/Checkout/Experiment-slow: experiment \'slow\' has 6 stop conditions (page alarms and stopConditions); FIS allows 5. Pass fewer stopConditions, or combine alarms in a CompositeAlarm');
  });

  test('an alarm given as a page alarm and a stop condition counts once', () => {
    const stack = newStack();
    const checkout = newService(stack);
    const page = checkout.slo('availability').pageAlarm!;
    const experiment = checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)), stopConditions: [page] });
    expect(experiment.stopAlarms()).toEqual([page]);
  });
});

describe('the FIS Lambda extension refuses functions it cannot wire', () => {
  test('an imported function', () => {
    const stack = newStack();
    const checkout = newService(stack);
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:111111111111:function:legacy');
    expect(() => checkout.addExperiment('slow', { fault: Fault.lambdaInvocationError(Targets.functions([imported])), duration: TEN_MINUTES })).toThrow(
      'Shop/Checkout/Experiment-slow: fault: Shop/Imported is an imported function; the FIS Lambda extension can only be attached to functions this app declares. '
      + 'Attach it in the app that owns the function (layer, AWS_FIS_CONFIGURATION_LOCATION, AWS_LAMBDA_EXEC_WRAPPER) and target it with Targets.arns([...])');
  });

  test('an OS-only runtime (provided.al2023) has no runtime wrapper', () => {
    const stack = newStack();
    const checkout = newService(stack);
    const rust = newFunction(stack, 'Rust', {
      runtime: lambda.Runtime.PROVIDED_AL2023, handler: 'bootstrap', code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifacts'), 'rust.zip'),
    });
    expect(() => checkout.addExperiment('slow', { fault: Fault.lambdaInvocationError(Targets.functions([rust])), duration: TEN_MINUTES })).toThrow(
      'Shop/Checkout/Experiment-slow: fault: Shop/Rust uses runtime provided.al2023, which has no runtime wrapper (AWS_LAMBDA_EXEC_WRAPPER): '
      + 'the FIS Lambda extension cannot be attached by this library. Build the extension into the image or use a managed runtime');
  });
});

describe('warnings', () => {
  let annotations: Annotations;

  beforeAll(() => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small') });
    const plainTask = new ecs.Ec2TaskDefinition(stack, 'PlainTask');
    plainTask.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), memoryLimitMiB: 256 });
    const plain = new ecs.Ec2Service(stack, 'Plain', { cluster, taskDefinition: plainTask });
    const readyTask = new ecs.Ec2TaskDefinition(stack, 'ReadyTask', { pidMode: ecs.PidMode.TASK });
    readyTask.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), memoryLimitMiB: 256 });
    readyTask.addContainer('ssm-agent', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent:latest'), memoryLimitMiB: 128, essential: false,
    });
    const ready = new ecs.Ec2Service(stack, 'Ready', { cluster, taskDefinition: readyTask });
    const instance = new ec2.Instance(stack, 'Bastion', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const checkout = newService(stack, { dashboard: false });
    checkout.addExperiment('plain-latency', { fault: Fault.ecsNetworkLatency(Targets.ecsService(plain, Selection.count(1)), { delay: Duration.millis(100) }), duration: TEN_MINUTES });
    checkout.addExperiment('plain-cpu', { fault: Fault.ecsCpuStress(Targets.ecsService(plain, Selection.count(1))), duration: TEN_MINUTES });
    checkout.addExperiment('ready-latency', { fault: Fault.ecsNetworkLatency(Targets.ecsService(ready, Selection.count(1)), { delay: Duration.millis(100) }), duration: TEN_MINUTES });
    checkout.addExperiment('terminate-bastion', { fault: Fault.ec2TerminateInstances(Targets.instances([instance])) });
    const fargateCluster = new ecs.Cluster(stack, 'FargateCluster', { vpc });
    for (const [id, enableFaultInjection] of [['Plainweb', undefined], ['Readyweb', true]] as const) {
      const task = new ecs.FargateTaskDefinition(stack, `${id}Task`, {
        pidMode: ecs.PidMode.TASK, enableFaultInjection, runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
      });
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
      const web = new ecs.FargateService(stack, id, { cluster: fargateCluster, taskDefinition: task });
      checkout.addExperiment(`${id.toLowerCase()}-latency`, { fault: Fault.ecsNetworkLatency(Targets.ecsService(web, Selection.count(1)), { delay: Duration.millis(100) }), duration: TEN_MINUTES });
    }
    checkout.addExperiment('tagged-lambda', { fault: Fault.lambdaInvocationError(Targets.tagged({ team: 'payments' }, Selection.count(1))), duration: TEN_MINUTES });
    annotations = Annotations.fromStack(stack);
  });

  function warningsOf(experiment: string): string[] {
    return annotations.findWarning(`/Shop/Checkout/Experiment-${experiment}`, Match.anyValue()).map((w) => String(w.entry.data));
  }

  test('ECS network latency without pidMode task or SSM agent sidecar warns about both', () => {
    annotations.hasWarning('/Shop/Checkout/Experiment-plain-latency', Match.stringLikeRegexp(
      'aws:ecs:task-network-latency needs the task definition\'s pidMode to be \'task\' \\(service Shop/Plain has none\\); FIS will fail the action.*ack: cdk-reliability:chaos-ecs-pid-mode'));
    annotations.hasWarning('/Shop/Checkout/Experiment-plain-latency', Match.stringLikeRegexp(
      'aws:ecs:task-network-latency runs through an SSM agent sidecar .* and service Shop/Plain has none.*ack: cdk-reliability:chaos-ecs-ssm-agent'));
    expect(warningsOf('plain-latency')).toHaveLength(2);
  });

  test('ECS CPU stress needs the SSM agent but not pidMode task', () => {
    const warnings = warningsOf('plain-cpu');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/aws:ecs:task-cpu-stress runs through an SSM agent sidecar/);
  });

  test('no warning for a task with pidMode task and the SSM agent sidecar', () => {
    expect(warningsOf('ready-latency')).toEqual([]);
  });

  test('Fargate network latency goes through ECS fault injection endpoints: warns when the task definition does not enable them', () => {
    expect(warningsOf('plainweb-latency')).toContainEqual(expect.stringMatching(
      /aws:ecs:task-network-latency goes through ECS fault injection endpoints, and the task definition of service Shop\/Plainweb does not set enableFaultInjection: true; FIS will fail the action.*ack: cdk-reliability:chaos-ecs-fault-injection/));
    expect(warningsOf('readyweb-latency').filter((w) => w.includes('enableFaultInjection'))).toEqual([]);
  });

  test('Fargate tasks need the SSM agent sidecar too', () => {
    expect(warningsOf('readyweb-latency')).toEqual([expect.stringMatching(/runs through an SSM agent sidecar .* service Shop\/Readyweb has none/)]);
  });

  test('terminating an instance the app declares warns that the stack drifts', () => {
    annotations.hasWarning('/Shop/Checkout/Experiment-terminate-bastion', Match.stringLikeRegexp(
      'terminates Shop/Bastion, an instance this app declares: CloudFormation will not recreate it.*ack: cdk-reliability:chaos-ec2-terminate-declared-instance'));
  });

  test('a Lambda fault on functions chosen by tags warns that the extension is not attached', () => {
    annotations.hasWarning('/Shop/Checkout/Experiment-tagged-lambda', Match.stringLikeRegexp(
      'the Lambda fault selects functions by ARN or tags, so this library cannot attach the FIS Lambda extension to them.*ack: cdk-reliability:chaos-lambda-extension'));
  });
});

describe('experiment names', () => {
  test('a second experiment with the same name is refused', () => {
    const stack = newStack();
    const checkout = newService(stack);
    checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)) });
    expect(() => checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(1)) })).toThrow(
      'Shop/Checkout: addExperiment(): name \'slow\' is already used by another experiment of service \'checkout\'; experiment names must be unique within a service');
  });

  test('looking up an unknown experiment lists the known names', () => {
    const stack = newStack();
    const checkout = newService(stack);
    const slow = checkout.addExperiment('slow', { fault: Fault.wait(Duration.minutes(5)) });
    checkout.addExperiment('failover', { fault: Fault.wait(Duration.minutes(5)) });
    expect(checkout.experiment('slow')).toBe(slow);
    expect(checkout.experiments.map((e) => e.experimentName)).toEqual(['slow', 'failover']);
    expect(() => checkout.experiment('fast')).toThrow('Shop/Checkout: service \'checkout\' has no experiment named \'fast\'; it has: \'slow\', \'failover\'');
  });

  test('looking up an experiment of a service without any says none', () => {
    const checkout = newService(newStack());
    expect(() => checkout.experiment('slow')).toThrow('Shop/Checkout: service \'checkout\' has no experiment named \'slow\'; it has: none');
  });

  test('the fault actions are exposed without the checks', () => {
    const checkout = newService(newStack());
    const experiment = checkout.addExperiment('slow', { fault: Fault.sequence(Fault.wait(Duration.minutes(1)), Fault.wait(Duration.minutes(2))) });
    expect(experiment._faultActions.map((a) => a.definition.actionId)).toEqual(['aws:fis:wait', 'aws:fis:wait']);
    expect(experiment._layout.actions.map((a) => a.name)).toEqual(['steady-state', 'wait', 'wait-2', 'settle', 'recovered']);
  });
});
