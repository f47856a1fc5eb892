/**
 * The DynamoDB, AppSync and Application Signals presets: the metrics, statistics and dimensions
 * AWS documents for them (see their doc comments), the burn rate they give, and bad input.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ISli, ReliableService, Sli } from '../../lib';
import { burnRate, metricsOf } from './helpers';

const threshold = Duration.millis(50);
const newStack = () => new Stack(new App(), 'Shop');
const sloWith = (sli: ISli, stack = newStack()) => () => new ReliableService(stack, 'Checkout', {
  serviceName: 'checkout', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli }],
});
const table = (stack: Stack) => dynamodb.Table.fromTableName(stack, 'Orders', 'orders');
const graphqlApi = (stack: Stack) => appsync.GraphqlApi.fromGraphqlApiAttributes(stack, 'Api', { graphqlApiId: 'abcdefghijklmnopqrstuvwxyz' });

describe('DynamoDB presets', () => {
  test('availability: SystemErrors (Sum) over SuccessfulRequestLatency samples + SystemErrors, per operation, by TableName and Operation', () => {
    const b = Sli.tableAvailability(table(newStack()), { operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM] }).bind();
    // the system errors are read once, as part of the total
    expect(metricsOf(b)).toEqual({
      total0: 'AWS/DynamoDB SuccessfulRequestLatency SampleCount {Operation=GetItem,TableName=orders}',
      total1: 'AWS/DynamoDB SuccessfulRequestLatency SampleCount {Operation=PutItem,TableName=orders}',
      total2: 'AWS/DynamoDB SystemErrors Sum {Operation=GetItem,TableName=orders}',
      total3: 'AWS/DynamoDB SystemErrors Sum {Operation=PutItem,TableName=orders}',
    });
    expect(b.badEvents).toBe('(FILL(total2, 0) + FILL(total3, 0))');
    expect(b.totalEvents).toBe('(FILL(total0, 0) + FILL(total1, 0) + FILL(total2, 0) + FILL(total3, 0))');
    expect(b.metricCount).toBe(4);
  });

  test('availability: the system errors are part of the total, so 50 errors among 100 requests burn at 500, and errors alone at 1000', () => {
    const b = Sli.tableAvailability(table(newStack()), { operations: [dynamodb.Operation.QUERY] }).bind();
    expect(burnRate(b, { total1: 50, total0: 50 })).toBeCloseTo(500);
    expect(burnRate(b, { total1: 40 })).toBeCloseTo(1000);
    expect(burnRate(b, { total0: 1000 })).toBe(0);
  });

  test('latency: one operation\'s SuccessfulRequestLatency samples in milliseconds', () => {
    const b = Sli.tableLatency(table(newStack()), { operation: dynamodb.Operation.QUERY, threshold }).bind();
    expect(metricsOf(b)).toEqual({
      total0: 'AWS/DynamoDB SuccessfulRequestLatency SampleCount {Operation=Query,TableName=orders}',
      good0: 'AWS/DynamoDB SuccessfulRequestLatency TC(:50) {Operation=Query,TableName=orders}',
    });
  });

  test('a table of the stack is read by its reference in the alarms', () => {
    const stack = newStack();
    const orders = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    sloWith(Sli.tableAvailability(orders, { operations: [dynamodb.Operation.GET_ITEM] }), stack)();
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    const stats = alarms[0].Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    expect(stats).toContainEqual({
      Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors',
      Dimensions: [{ Name: 'Operation', Value: 'GetItem' }, { Name: 'TableName', Value: { Ref: expect.stringMatching(/^Table/) } }],
    });
  });

  test.each([
    [undefined, /Sli.tableAvailability: options must be \{ operations: dynamodb.Operation\[\] \}, got undefined/],
    [{}, /options.operations must list 1 to 5 dynamodb.Operation values .*at most 10; split the operations over several SLOs\), got undefined/],
    [{ operations: [] }, /options.operations must list 1 to 5 dynamodb.Operation values/],
    [{ operations: ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem', 'DeleteItem'] }, /options.operations must list 1 to 5 .*got \[/],
    [{ operations: ['GetItems'] }, /options.operations\[0\] must be a dynamodb.Operation \(GetItem, BatchGetItem, .*\), got "GetItems"/],
    [{ operations: ['GetItem', 'GetItem'] }, /options.operations lists "GetItem" more than once/],
  ])('availability options %j are refused with the SLO\'s path', (options, message) => {
    const stack = newStack();
    expect(sloWith(Sli.tableAvailability(table(stack), options as never), stack)).toThrow(message);
  });

  test.each([
    [{ threshold }, /Sli.tableLatency: options.operation must be a dynamodb.Operation .*got undefined/],
    [{ operation: dynamodb.Operation.QUERY }, /Sli.tableLatency: options.threshold must be a Duration/],
  ])('latency options %j are refused', (options, message) => {
    const stack = newStack();
    expect(sloWith(Sli.tableLatency(table(stack), options as never), stack)).toThrow(message);
  });

  test('a table name with a trailing space is refused, naming the prop', () => {
    const stack = newStack();
    const t = dynamodb.Table.fromTableName(stack, 'T', 'orders ');
    expect(sloWith(Sli.tableAvailability(t, { operations: [dynamodb.Operation.GET_ITEM] }), stack))
      .toThrow('sli: Sli.tableAvailability: table.tableName (dimension TableName) must not start or end with whitespace (CloudWatch matches dimension values exactly and DynamoDB never publishes');
  });
});

describe('AppSync presets', () => {
  test('availability: 5XXError (Sum) over Requests (Sum) by GraphQLAPIId; errors without requests read as 100 %', () => {
    const b = Sli.graphqlApiAvailability(graphqlApi(newStack())).bind();
    expect(metricsOf(b)).toEqual({
      bad0: 'AWS/AppSync 5XXError Sum {GraphQLAPIId=abcdefghijklmnopqrstuvwxyz}',
      total0: 'AWS/AppSync Requests Sum {GraphQLAPIId=abcdefghijklmnopqrstuvwxyz}',
    });
    expect(b.description).toBe('5XXError over Requests of GraphQL API Api');
    expect(burnRate(b, { bad0: 5 })).toBeCloseTo(1000);
  });

  test('latency: Latency samples in milliseconds by GraphQLAPIId', () => {
    expect(metricsOf(Sli.graphqlApiLatency(graphqlApi(newStack()), { threshold }).bind())).toEqual({
      total0: 'AWS/AppSync Latency SampleCount {GraphQLAPIId=abcdefghijklmnopqrstuvwxyz}',
      good0: 'AWS/AppSync Latency TC(:50) {GraphQLAPIId=abcdefghijklmnopqrstuvwxyz}',
    });
  });

  test('latency without a threshold is refused', () => {
    const stack = newStack();
    expect(sloWith(Sli.graphqlApiLatency(graphqlApi(stack), undefined as never), stack)).toThrow(/Sli.graphqlApiLatency: options must be \{ threshold: Duration \}, got undefined/);
  });
});

describe('Application Signals presets', () => {
  const operation = { service: 'checkout', operation: 'POST /orders', environment: 'ecs:shop' };

  test('availability: Fault (Sum) over Latency samples, namespace ApplicationSignals, by Environment, Operation and Service', () => {
    const b = Sli.serviceOperationAvailability(operation).bind();
    expect(metricsOf(b)).toEqual({
      bad0: 'ApplicationSignals Fault Sum {Environment=ecs:shop,Operation=POST /orders,Service=checkout}',
      total0: 'ApplicationSignals Latency SampleCount {Environment=ecs:shop,Operation=POST /orders,Service=checkout}',
    });
    expect(burnRate(b, { bad0: 1, total0: 1000 })).toBeCloseTo(1);
  });

  test('latency: Latency samples in milliseconds', () => {
    expect(metricsOf(Sli.serviceOperationLatency({ ...operation, threshold }).bind())).toEqual({
      total0: 'ApplicationSignals Latency SampleCount {Environment=ecs:shop,Operation=POST /orders,Service=checkout}',
      good0: 'ApplicationSignals Latency TC(:50) {Environment=ecs:shop,Operation=POST /orders,Service=checkout}',
    });
  });

  test.each([
    [undefined, /Sli.serviceOperationAvailability: options must be \{ service: string, operation: string, environment: string \} naming a service operation of Application Signals, got undefined/],
    [{ service: 'checkout', operation: 'POST /orders' }, /\(without environment\)/],
    [{ ...operation, environment: 'ecs:shop ' }, /Sli.serviceOperationAvailability: options.environment \(dimension Environment\) must not start or end with whitespace/],
  ])('bad options %j are refused with the SLO\'s path', (options, message) => {
    expect(sloWith(Sli.serviceOperationAvailability(options as never))).toThrow(message);
  });

  test('latency needs a threshold', () => {
    expect(sloWith(Sli.serviceOperationLatency(operation as never))).toThrow(/Sli.serviceOperationLatency: options.threshold must be a Duration/);
  });
});
