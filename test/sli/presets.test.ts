import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Sli } from '../../lib';
import { burnRateExpression } from '../../lib/alarms/expression';
import { evaluateMetricMath, parseMetricMath } from '../../lib/simulation/metric-math';
import { metricsOf } from './helpers';

function fn(stack: Stack) {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
}

describe('API Gateway presets', () => {
  test('REST API availability reads 5XXError (Sum) over Count (SampleCount, the statistic API Gateway documents for it) by ApiName', () => {
    const stack = new Stack();
    const rest = new apigateway.RestApi(stack, 'Rest', { restApiName: 'shop' });
    rest.root.addMethod('GET');
    const b = Sli.restApiAvailability(rest).bind();
    expect(metricsOf(b)).toEqual({ bad0: 'AWS/ApiGateway 5XXError Sum {ApiName=shop}', total0: 'AWS/ApiGateway Count SampleCount {ApiName=shop}' });
    expect(b.description).toBe('5XXError over Count of REST API shop');
  });

  test('REST API presets narrow to a stage when asked', () => {
    const stack = new Stack();
    const rest = new apigateway.RestApi(stack, 'Rest', { restApiName: 'shop' });
    rest.root.addMethod('GET');
    expect(metricsOf(Sli.restApiAvailability(rest, { stage: 'prod' }).bind()).total0).toBe('AWS/ApiGateway Count SampleCount {ApiName=shop,Stage=prod}');
    expect(metricsOf(Sli.restApiLatency(rest, { stage: 'prod', threshold: Duration.millis(300) }).bind())).toEqual({
      total0: 'AWS/ApiGateway Latency SampleCount {ApiName=shop,Stage=prod}',
      good0: 'AWS/ApiGateway Latency TC(:300) {ApiName=shop,Stage=prod}',
    });
  });

  test('HTTP API presets read 5xx (Sum), Count (SampleCount, as aws-cdk-lib gives it) and Latency by ApiId', () => {
    const stack = new Stack();
    const api = new apigwv2.HttpApi(stack, 'Http');
    const availability = Sli.httpApiAvailability(api).bind();
    expect(Object.values(metricsOf(availability))).toEqual([
      expect.stringMatching(/^AWS\/ApiGateway Count SampleCount \{ApiId=/),
      expect.stringMatching(/^AWS\/ApiGateway 5xx Sum \{ApiId=/),
    ]);
    const latency = Sli.httpApiLatency(api, { threshold: Duration.millis(200), stage: '$default' }).bind();
    expect(Object.values(metricsOf(latency))).toEqual([
      expect.stringMatching(/^AWS\/ApiGateway Latency SampleCount \{ApiId=.*,Stage=\$default\}$/),
      expect.stringMatching(/^AWS\/ApiGateway Latency TC\(:200\) \{ApiId=.*,Stage=\$default\}$/),
    ]);
  });
});

describe('load balancer presets', () => {
  function alb() {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
    const listener = lb.addListener('Http', { port: 80 });
    const tg = listener.addTargets('App', { port: 80 });
    return { lb, tg };
  }

  test('ALB availability adds ELB and target 5XX counts over RequestCount', () => {
    const b = Sli.loadBalancerAvailability(alb().lb).bind();
    expect(Object.values(metricsOf(b)).map((d) => d.split(' {')[0])).toEqual([
      'AWS/ApplicationELB RequestCount Sum',
      'AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum',
      'AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum',
    ]);
    expect(b.badEvents).toBe('(FILL(bad0, 0) + FILL(bad1, 0))');
  });

  test('ALB latency counts TargetResponseTime samples in seconds', () => {
    const b = Sli.loadBalancerLatency(alb().lb, { threshold: Duration.millis(500) }).bind();
    expect(Object.values(metricsOf(b)).map((d) => d.split(' {')[0])).toEqual([
      'AWS/ApplicationELB TargetResponseTime SampleCount',
      'AWS/ApplicationELB TargetResponseTime TC(:0.5)',
    ]);
  });

  test('ALB availability counts refused requests (ELB 503s, not in RequestCount) as errors: bad over the larger of total and bad', () => {
    const b = Sli.loadBalancerAvailability(alb().lb).bind();
    expect(b.totalEvents).toBe('FILL(total0, 0)');
    // RequestCount stopped (no healthy target), ELB 5XX goes on: 100 % errors, burning 1000x at 99.9 %
    const expression = parseMetricMath(burnRateExpression(b, 0.001));
    expect(evaluateMetricMath(expression, (id) => ({ bad0: 600 } as Record<string, number>)[id])).toBe(1000);
  });

  test('target group availability counts target 5XX and connection errors (the load balancer\'s 502s) by TargetGroup and LoadBalancer', () => {
    const { tg } = alb();
    const availability = Sli.targetGroupAvailability(tg).bind();
    expect(Object.values(metricsOf(availability)).map((d) => d.split(' {')[0])).toEqual([
      'AWS/ApplicationELB RequestCount Sum',
      'AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum',
      'AWS/ApplicationELB TargetConnectionErrorCount Sum',
    ]);
    expect(availability.badEvents).toBe('(FILL(bad0, 0) + FILL(bad1, 0))');
    for (const m of Object.values(availability.usingMetrics)) {
      expect(m.toMetricConfig().metricStat!.dimensions!.map((d) => d.name).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
    }
    expect(Object.values(metricsOf(Sli.targetGroupLatency(tg, { threshold: Duration.seconds(1) }).bind()))[1]).toMatch(/TargetResponseTime TC\(:1\)/);
  });
});

describe('Lambda presets', () => {
  test('availability is (Errors + Throttles) over (Invocations + Throttles), Throttles read once', () => {
    const b = Sli.lambdaAvailability(fn(new Stack())).bind();
    expect(Object.values(metricsOf(b)).map((d) => d.split(' {')[0])).toEqual([
      'AWS/Lambda Invocations Sum', 'AWS/Lambda Throttles Sum', 'AWS/Lambda Errors Sum',
    ]);
    expect(b.totalEvents).toBe('(FILL(total0, 0) + FILL(total1, 0))');
    expect(b.badEvents).toBe('(FILL(bad0, 0) + FILL(total1, 0))');
    expect(b.metricCount).toBe(3);
  });

  test('a window of throttles only (no invocation recorded) reads as 100 % errors', () => {
    const b = Sli.lambdaAvailability(fn(new Stack())).bind();
    const throttles = Object.entries(b.usingMetrics).find(([, m]) => m.toMetricConfig().metricStat!.metricName === 'Throttles')![0];
    expect(evaluateMetricMath(parseMetricMath(burnRateExpression(b, 0.001)), (id) => (id === throttles ? 50 : undefined))).toBe(1000);
  });

  test('latency counts Duration samples in milliseconds', () => {
    const b = Sli.lambdaLatency(fn(new Stack()), { threshold: Duration.seconds(1) }).bind();
    expect(Object.values(metricsOf(b)).map((d) => d.split(' {')[0])).toEqual(['AWS/Lambda Duration SampleCount', 'AWS/Lambda Duration TC(:1000)']);
  });
});

describe('Step Functions preset', () => {
  test('availability is failed + timed out + aborted over started executions', () => {
    const stack = new Stack();
    const sm = new sfn.StateMachine(stack, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    const b = Sli.stateMachineAvailability(sm).bind();
    expect(Object.values(metricsOf(b)).map((d) => d.split(' {')[0])).toEqual([
      'AWS/States ExecutionsStarted Sum', 'AWS/States ExecutionsFailed Sum', 'AWS/States ExecutionsTimedOut Sum', 'AWS/States ExecutionsAborted Sum',
    ]);
    expect(b.badEvents).toBe('(FILL(bad0, 0) + FILL(bad1, 0) + FILL(bad2, 0))');
    // long executions failing in a window in which none started: errors, not "no traffic"
    expect(evaluateMetricMath(parseMetricMath(burnRateExpression(b, 0.001)), (id) => (id === 'bad0' ? 3 : undefined))).toBe(1000);
  });
});
