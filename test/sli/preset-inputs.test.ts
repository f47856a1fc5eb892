/**
 * Bad input to the SLI presets is refused by the SLO with its construct path, the preset, the
 * prop and the value: never a TypeError from the call, never an alarm on a dimension value that
 * CloudWatch refuses or that no AWS service publishes.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ISli, ReliableService, Sli } from '../../lib';

function newStack(): Stack {
  return new Stack(new App(), 'Shop');
}

function sloWith(sli: ISli, stack = newStack()) {
  return () => new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [{ name: 'availability', objective: 99.9, sli }] });
}

const ms300 = { threshold: Duration.millis(300) };
const HOSTILE: [string, unknown][] = [['undefined', undefined], ['null', null], ['a number', 42], ['a plain object', { name: 'shop' }], ['a string', 'shop']];

/** Every preset, called with `resource` in place of its resource (and valid options). */
const PRESETS: [string, string, (resource: any) => ISli][] = [
  ['restApiAvailability', 'api', (r) => Sli.restApiAvailability(r)],
  ['restApiLatency', 'api', (r) => Sli.restApiLatency(r, ms300)],
  ['httpApiAvailability', 'api', (r) => Sli.httpApiAvailability(r)],
  ['httpApiLatency', 'api', (r) => Sli.httpApiLatency(r, ms300)],
  ['loadBalancerAvailability', 'alb', (r) => Sli.loadBalancerAvailability(r)],
  ['loadBalancerLatency', 'alb', (r) => Sli.loadBalancerLatency(r, ms300)],
  ['targetGroupAvailability', 'targetGroup', (r) => Sli.targetGroupAvailability(r)],
  ['targetGroupLatency', 'targetGroup', (r) => Sli.targetGroupLatency(r, ms300)],
  ['lambdaAvailability', 'fn', (r) => Sli.lambdaAvailability(r)],
  ['lambdaLatency', 'fn', (r) => Sli.lambdaLatency(r, ms300)],
  ['stateMachineAvailability', 'stateMachine', (r) => Sli.stateMachineAvailability(r)],
  ['tableAvailability', 'table', (r) => Sli.tableAvailability(r, { operations: [Operation.GET_ITEM] })],
  ['tableLatency', 'table', (r) => Sli.tableLatency(r, { operation: Operation.GET_ITEM, ...ms300 })],
  ['graphqlApiAvailability', 'api', (r) => Sli.graphqlApiAvailability(r)],
  ['graphqlApiLatency', 'api', (r) => Sli.graphqlApiLatency(r, ms300)],
  ['eventSourceMappingAvailability', 'mapping', (r) => Sli.eventSourceMappingAvailability(r)],
];

describe('a preset given something that is not its resource', () => {
  const cases = PRESETS.flatMap(([preset, param, make]) => HOSTILE.map(([what, value]) => [preset, what, param, make, value] as const));

  test.each(cases)('Sli.%s(%s) is refused by the SLO, naming the preset and the parameter', (preset, _what, param, make, value) => {
    let sli: ISli | undefined;
    expect(() => { sli = make(value); }).not.toThrow(); // the call itself reads nothing
    expect(sloWith(sli!)).toThrow(new RegExp(`^Shop/Checkout/availability: sli: Sli\\.${preset}: ${param} must be an I\\w+ \\(`));
  });

  test('the message shows the value received and the members that are missing', () => {
    expect(sloWith(Sli.lambdaAvailability({ metricErrors: () => undefined } as never)))
      .toThrow('sli: Sli.lambdaAvailability: fn must be an IFunction (a Function, or Function.fromFunctionName(...) / fromFunctionArn(...)), '
        + 'got {"metricErrors":a function} (without metricThrottles, metricInvocations, metricDuration, node)');
  });

  test('a resource whose getter throws is reported, not thrown', () => {
    const hostile = { get restApiName(): string { throw new TypeError('boom'); } };
    expect(sloWith(Sli.restApiAvailability(hostile as never))).toThrow('Shop/Checkout/availability: sli: Sli.restApiAvailability: api.restApiName cannot be read: boom.');
  });

  test('bind() outside an SLO throws a clear Error, not a TypeError', () => {
    expect(() => Sli.lambdaAvailability(undefined as never).bind()).toThrow(/^Sli.lambdaAvailability: fn must be an IFunction/);
    expect(Sli.lambdaAvailability(undefined as never).validate()).toEqual([expect.stringMatching(/^Sli.lambdaAvailability: fn must be/)]);
  });

  test('a target group that is not attached to a load balancer', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc, port: 80 });
    expect(sloWith(Sli.targetGroupAvailability(targetGroup), stack)).toThrow(/^Shop\/Checkout\/availability: sli: Sli.targetGroupAvailability: targetGroup.metrics cannot be read: .*attached/i);
  });
});

describe('preset options', () => {
  const rest = (stack: Stack) => {
    const api = new apigateway.RestApi(stack, 'Rest', { restApiName: 'shop' });
    api.root.addMethod('GET');
    return api;
  };

  test.each([
    [5, /options must be \{ stage\?: string \}, got 5/],
    ['prod', /options must be \{ stage\?: string \}, got "prod"/],
    [{ stage: 7 }, /options.stage must be the name of a stage \(a non-empty string\), or left out for all stages; got 7/],
    [{ stage: '' }, /options.stage must be the name of a stage .*got ""/],
  ])('availability options %p', (options, message) => {
    const stack = newStack();
    expect(sloWith(Sli.restApiAvailability(rest(stack), options as never), stack)).toThrow(message);
  });

  test.each([
    [undefined, /Sli.restApiLatency: options must be \{ threshold: Duration, stage\?: string \}, got undefined/],
    [{}, /Sli.restApiLatency: options.threshold must be a Duration such as Duration.millis\(300\), got undefined/],
    [{ threshold: 300 }, /options.threshold must be a Duration such as Duration.millis\(300\), got 300/],
    [{ threshold: Duration.millis(0) }, /options.threshold must be longer than 0, got 0 ms/],
  ])('latency options %p', (options, message) => {
    const stack = newStack();
    expect(sloWith(Sli.restApiLatency(rest(stack), options as never), stack)).toThrow(message);
  });

  test('the load balancer and Lambda latency presets need a threshold too', () => {
    const stack = newStack();
    const fn = lambda.Function.fromFunctionName(stack, 'Fn', 'orders');
    expect(sloWith(Sli.lambdaLatency(fn, undefined as never), stack)).toThrow(/Sli.lambdaLatency: options must be \{ threshold: Duration \}, got undefined/);
  });
});

describe('dimension values a preset takes from its inputs', () => {
  test.each([
    ['prod ', 'must not start or end with whitespace (CloudWatch matches dimension values exactly and API Gateway never publishes such a name: the alarms would watch a metric that never exists), got "prod "'],
    [' prod', 'must not start or end with whitespace'],
    ['prod\n', 'must not hold control characters such as line breaks or tabs (CloudWatch refuses them in dimension values), got "prod\\n"'],
    ['pr\u0007od', 'must not hold control characters'],
    ['prød', 'must hold ASCII characters only (CloudWatch dimension values), got "prød"'],
    ['   ', 'must hold at least one non-whitespace character (CloudWatch), got "   "'],
    ['p'.repeat(256), 'must be at most 255 characters (CloudFormation, AWS::CloudWatch::Alarm Dimension), got 256'],
  ])('an API Gateway stage %j is refused, naming the preset, the prop and the value', (stage, message) => {
    const stack = newStack();
    const api = new apigateway.RestApi(stack, 'Rest', { restApiName: 'shop' });
    api.root.addMethod('GET');
    const expected = `Shop/Checkout/availability: sli: Sli.restApiAvailability: options.stage (dimension Stage) ${message}`;
    expect(sloWith(Sli.restApiAvailability(api, { stage }), stack)).toThrow(expected);
  });

  test('on an HTTP API and in latency presets too', () => {
    const stack = newStack();
    const api = new apigwv2.HttpApi(stack, 'Http');
    expect(sloWith(Sli.httpApiLatency(api, { threshold: Duration.millis(200), stage: '$default\t' }), stack))
      .toThrow('sli: Sli.httpApiLatency: options.stage (dimension Stage) must not hold control characters such as line breaks or tabs (CloudWatch refuses them in dimension values), got "$default\\t"');
  });

  test('an API name with a trailing space', () => {
    const stack = newStack();
    const api = new apigateway.RestApi(stack, 'Rest', { restApiName: 'shop ' });
    api.root.addMethod('GET');
    expect(sloWith(Sli.restApiAvailability(api), stack)).toThrow('sli: Sli.restApiAvailability: api.restApiName (dimension ApiName) must not start or end with whitespace');
  });

  test('an imported HTTP API id with a trailing space', () => {
    const stack = newStack();
    const api = apigwv2.HttpApi.fromHttpApiAttributes(stack, 'Http', { httpApiId: 'a1b2c3 ' });
    expect(sloWith(Sli.httpApiAvailability(api), stack)).toThrow('Shop/Checkout/availability: sli: Sli.httpApiAvailability: api.apiId (dimension ApiId) must not start or end with whitespace');
  });

  test('an imported load balancer whose ARN ends in a line break', () => {
    const stack = newStack();
    const alb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/shop/50dc6c495c0c9188\n',
      securityGroupId: 'sg-12345678',
    });
    expect(sloWith(Sli.loadBalancerAvailability(alb), stack)).toThrow(
      'sli: Sli.loadBalancerAvailability: alb.loadBalancerFullName (dimension LoadBalancer) must not hold control characters such as line breaks or tabs '
      + '(CloudWatch refuses them in dimension values), got "app/shop/50dc6c495c0c9188\\n"');
  });

  test('an imported REST API without restApiName is named after its construct id by aws-cdk-lib: a warning says so', () => {
    const stack = newStack();
    sloWith(Sli.restApiAvailability(apigateway.RestApi.fromRestApiId(stack, 'ShopApi', 'a1b2c3')), stack)();
    Annotations.fromStack(stack).hasWarning('/Shop/Checkout/availability', Match.stringLikeRegexp(
      'sli: Sli.restApiAvailability: api is an imported REST API without restApiName, so aws-cdk-lib names it after its construct id "ShopApi".*'
      + 'RestApi.fromRestApiAttributes\\(scope, id, \\{ restApiId, rootResourceId, restApiName: .*\\[ack: cdk-reliability:imported-rest-api-name\\]'));
    const named = newStack();
    sloWith(Sli.restApiAvailability(apigateway.RestApi.fromRestApiAttributes(named, 'ShopApi', { restApiId: 'a1b2c3', rootResourceId: 'r', restApiName: 'shop' })), named)();
    Annotations.fromStack(named).hasNoWarning('*', Match.stringLikeRegexp('imported REST API'));
  });

  test('Lambda function names are tokens (Ref, or parsed from an ARN with the partition): left to CloudFormation and Lambda', () => {
    const stack = newStack();
    expect(sloWith(Sli.lambdaAvailability(lambda.Function.fromFunctionName(stack, 'Fn', 'orders')), stack)).not.toThrow();
  });

  test('values known only at deploy time (tokens) are left to CloudFormation', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    const sm = new sfn.StateMachine(stack, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    expect(sloWith(Sli.lambdaAvailability(fn), stack)).not.toThrow();
    expect(() => new ReliableService(stack, 'Orders', { serviceName: 'orders', slos: [{ name: 'availability', objective: 99.9, sli: Sli.stateMachineAvailability(sm) }] })).not.toThrow();
  });

  test('the user\'s own metrics: what CloudWatch refuses is an error, surrounding whitespace a warning', () => {
    const errors = new Metric({ namespace: 'Shop', metricName: 'Errors', dimensionsMap: { Service: 'checkout' } });
    const stack = newStack();
    const bad = new Metric({ namespace: 'Shop', metricName: 'Requests', dimensionsMap: { Service: 'check\nout' } });
    expect(sloWith(Sli.ratio({ bad: errors, total: bad }), stack)).toThrow(
      'Shop/Checkout/availability: sli: metric Shop Requests: dimension Service must not hold control characters such as line breaks or tabs (CloudWatch refuses them in dimension values), got "check\\nout"');
    const spaced = newStack();
    new ReliableService(spaced, 'Checkout', { serviceName: 'checkout', slos: [{ name: 'availability', objective: 99.9,
      sli: Sli.ratio({ bad: errors, total: new Metric({ namespace: 'Shop', metricName: 'Requests', dimensionsMap: { Service: 'checkout ' } }) }) }] });
    Annotations.fromStack(spaced).hasWarning('/Shop/Checkout/availability', Match.stringLikeRegexp(
      'sli: metric Shop Requests: dimension Service starts or ends with whitespace: "checkout " \\(CloudWatch matches dimension values exactly\\)\\. AWS services never publish such values.*\\[ack: cdk-reliability:dimension-whitespace\\]'));
  });
});
