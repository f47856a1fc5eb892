import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ReliabilityFacts } from '../../lib';
import { workloadExclusion, WORKLOAD_EXCLUSIONS } from '../../lib/guardrails/exclusions';
import { newApp, newFunction, onCall, synthFacts } from './helpers';

/** What each workload of the app is excluded as (the start of the reason), by construct path. */
function exclusions(facts: ReliabilityFacts): Record<string, string | undefined> {
  return Object.fromEntries(facts.workloads.map((w) => [w.constructPath, w.excludedBecause]));
}

describe('resources that are not workloads', () => {
  let excluded: Record<string, string | undefined>;

  beforeAll(() => {
    process.env.JSII_DEPRECATED = 'quiet'; // logRetention is deprecated, and still what creates the singleton
    const app = newApp();
    const stack = new Stack(app, 'Shop', { env: { account: '111111111111', region: 'eu-west-1' } });
    // the app's own workloads
    newFunction(stack, 'Handler');
    new lambda.SingletonFunction(stack, 'Worker', {
      uuid: '6f1a1b5e-7a54-4f1e-9d1a-2f0c0b0f1a01', runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
    });
    // cdk-reliability's pager
    onCall(stack);
    // aws-cdk-lib's singletons and providers
    newFunction(stack, 'WithRetention', { logRetention: logs.RetentionDays.ONE_WEEK });
    new s3.Bucket(stack, 'Scratch', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new cr.AwsCustomResource(stack, 'Lookup', {
      onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: '/x' }, physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    // a provider framework with a waiter, and the user's handlers behind it
    const onEvent = newFunction(stack, 'OnEvent');
    const isComplete = newFunction(stack, 'IsComplete');
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent, isCompleteHandler: isComplete, totalTimeout: Duration.minutes(5) });
    new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken });
    // a function used directly as a custom-resource handler
    const direct = newFunction(stack, 'DirectHandler');
    new CustomResource(stack, 'DirectThing', { serviceToken: direct.functionArn });
    excluded = exclusions(synthFacts(app));
  });

  afterAll(() => {
    delete process.env.JSII_DEPRECATED;
  });

  test('every exclusion is named and explained', () => {
    expect(WORKLOAD_EXCLUSIONS.map((e) => e.id)).toEqual(['cdk-reliability-infrastructure', 'custom-resource-provider-framework', 'custom-resource-handler', 'cdk-singleton']);
    for (const e of WORKLOAD_EXCLUSIONS) {
      expect(e.description.length).toBeGreaterThan(40);
    }
  });

  test('the app\'s functions are workloads, a SingletonFunction of its own included', () => {
    expect(excluded['Shop/Handler/Resource']).toBeUndefined();
    expect(excluded['Shop/SingletonLambda6f1a1b5e7a544f1e9d1a2f0c0b0f1a01/Resource']).toBeUndefined();
    expect(excluded['Shop/WithRetention/Resource']).toBeUndefined();
  });

  test('cdk-reliability\'s escalation and acknowledge functions', () => {
    expect(excluded['Shop/OnCall/EscalationFunction/Resource']).toBe('part of escalation policy \'OnCall\' (Shop/OnCall), which its own alarms watch');
    expect(excluded['Shop/OnCall/AcknowledgeFunction/Resource']).toMatch(/^part of escalation policy 'OnCall'/);
  });

  test('the log-retention function, the S3 auto-delete provider and the AwsCustomResource function', () => {
    expect(excluded['Shop/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a/Resource']).toMatch(/^the handler of custom resource WithRetentionLogRetention\w+ \(Custom::LogRetention\)/);
    expect(excluded['Shop/Custom::S3AutoDeleteObjectsCustomResourceProvider/Handler'])
      .toBe('part of custom-resource provider Shop/Custom::S3AutoDeleteObjectsCustomResourceProvider, which runs only during deployments');
    expect(excluded['Shop/AWS679f53fac002430cb0da5b7982bd2287/Resource']).toMatch(/^the handler of custom resource Lookup\w+ \(Custom::AWS\)/);
  });

  test('a provider framework\'s functions and waiter state machine; the handlers it calls are the user\'s to acknowledge', () => {
    const framework = Object.entries(excluded).filter(([p]) => p.startsWith('Shop/Provider/'));
    expect(framework.map(([p]) => p).sort()).toEqual([
      'Shop/Provider/framework-isComplete/Resource',
      'Shop/Provider/framework-onEvent/Resource',
      'Shop/Provider/framework-onTimeout/Resource',
      'Shop/Provider/waiter-state-machine/Resource',
    ]);
    for (const [, why] of framework) {
      expect(why).toBe('part of custom-resource provider Shop/Provider, which runs only during deployments');
    }
    expect(excluded['Shop/OnEvent/Resource']).toBeUndefined();
  });

  test('a function that is the ServiceToken of a custom resource', () => {
    expect(excluded['Shop/DirectHandler/Resource']).toMatch(/^the handler of custom resource DirectThing\w* \(AWS::CloudFormation::CustomResource\), which runs only during deployments$/);
  });

  test('aws-cdk-lib\'s singleton functions by their construct id, also where no custom resource of the template names them', () => {
    const stack = new Stack(newApp(), 'Shop');
    newFunction(stack, 'WithRetention', { logRetention: logs.RetentionDays.ONE_WEEK });
    const singleton = stack.node.findChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a').node.findChild('Resource');
    expect(workloadExclusion({ construct: singleton, logicalId: 'X', template: {} })).toBe('the log-retention function (logRetention props), created by aws-cdk-lib');
    expect(workloadExclusion({ construct: stack.node.findChild('WithRetention').node.findChild('Resource'), logicalId: 'Y', template: {} })).toBeUndefined();
  });
});
