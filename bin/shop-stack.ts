import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AlertPolicy, ReliableService, Sli } from '../lib';

const HANDLER = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, path: event.rawPath ?? event.path }),
});`;

/** A function with its own log group and a retention, as a production function would have. */
function sampleFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(HANDLER),
    timeout: Duration.seconds(10),
    memorySize: 256,
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
  });
}

/**
 * Three services, each with the preset that fits its front door:
 * - checkout: API Gateway REST API + Lambda; availability (99.9 %) and latency (99 % under 300 ms)
 * - search: HTTP API + Lambda; availability from the function, latency from the API, pages only
 * - fulfilment: a Step Functions workflow over a 28-day window, with a low-traffic guard
 */
export class ShopStack extends Stack {
  public readonly checkout: ReliableService;
  public readonly search: ReliableService;
  public readonly fulfilment: ReliableService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const checkoutHandler = sampleFunction(this, 'CheckoutHandler');
    const checkoutApi = new apigateway.LambdaRestApi(this, 'CheckoutApi', {
      handler: checkoutHandler,
      restApiName: 'checkout',
      deployOptions: { stageName: 'prod' },
    });
    this.checkout = new ReliableService(this, 'Checkout', {
      serviceName: 'checkout',
      owner: 'payments-team',
      runbookUrl: 'https://runbooks.example.com/checkout',
      slos: [
        { name: 'availability', objective: 99.9, sli: Sli.restApiAvailability(checkoutApi, { stage: 'prod' }) },
        { name: 'latency', objective: 99, sli: Sli.restApiLatency(checkoutApi, { stage: 'prod', threshold: Duration.millis(300) }) },
      ],
    });

    const searchHandler = sampleFunction(this, 'SearchHandler');
    const searchApi = new apigwv2.HttpApi(this, 'SearchApi', {
      defaultIntegration: new HttpLambdaIntegration('Search', searchHandler),
    });
    this.search = new ReliableService(this, 'Search', {
      serviceName: 'search',
      owner: 'discovery-team',
      slos: [
        { name: 'availability', objective: 99.5, sli: Sli.lambdaAvailability(searchHandler), alerting: AlertPolicy.workbook({ tickets: false }) },
        { name: 'latency', objective: 95, sli: Sli.httpApiLatency(searchApi, { threshold: Duration.millis(500) }) },
      ],
    });

    const reserve = sampleFunction(this, 'ReserveStock');
    const workflow = new sfn.StateMachine(this, 'FulfilmentWorkflow', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        new tasks.LambdaInvoke(this, 'Reserve', { lambdaFunction: reserve, outputPath: '$.Payload' })
          .next(new sfn.Succeed(this, 'Reserved')),
      ),
      timeout: Duration.minutes(5),
      tracingEnabled: true,
    });
    this.fulfilment = new ReliableService(this, 'Fulfilment', {
      serviceName: 'fulfilment',
      owner: 'logistics-team',
      runbookUrl: 'https://runbooks.example.com/fulfilment',
      slos: [
        { name: 'availability', objective: 99.5, window: Duration.days(28), minimumEvents: 20, sli: Sli.stateMachineAvailability(workflow) },
      ],
    });
  }
}
