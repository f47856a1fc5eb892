import { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { IGraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { IApplicationLoadBalancer, IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { LatencySliProps, LatencySli } from './latency';
import * as apiGateway from './presets/api-gateway';
import * as applicationSignals from './presets/application-signals';
import * as appSync from './presets/appsync';
import * as cloudFront from './presets/cloudfront';
import * as dynamoDb from './presets/dynamodb';
import * as lambda from './presets/lambda';
import * as loadBalancer from './presets/load-balancer';
import * as stepFunctions from './presets/step-functions';
import { PresetSli } from './preset-sli';
import { RatioSli, RatioSliProps } from './ratio';
import { ISli } from './sli-definition';
import { TimeSliceSli, TimeSliceSliProps } from './time-slice';

/**
 * Factories for service level indicators.
 *
 * `ratio` and `latency` take any metrics; the presets take a resource and pick its metrics and
 * dimensions (docs/slis.md lists which metrics each reads).
 */
export class Sli {
  /**
   * Counted events: bad / total, or (total - good) / total. Each metric counts with `Sum` or
   * `SampleCount` as it says (`Average`, the CDK default, is read as `Sum`; other statistics are refused).
   */
  public static ratio(props: RatioSliProps): ISli {
    return new RatioSli(props);
  }

  /**
   * The share of requests at or under a latency threshold: `TC(:threshold)` / `SampleCount`, for a
   * metric with raw samples given without a statistic. Windows without a trimmed count are not judged.
   */
  public static latency(props: LatencySliProps): ISli {
    return new LatencySli(props);
  }

  /** API Gateway REST API: `5XXError` (`Sum`) / `Count` (`SampleCount`). */
  public static restApiAvailability(api: IRestApi, options?: apiGateway.ApiAvailabilityOptions): ISli {
    return new PresetSli('restApiAvailability', api, options, () => apiGateway.restApiAvailability(api, options));
  }

  /** API Gateway REST API: `Latency` (ms) at or under the threshold. */
  public static restApiLatency(api: IRestApi, options: apiGateway.ApiLatencyOptions): ISli {
    return new PresetSli('restApiLatency', api, options, () => apiGateway.restApiLatency(api, options));
  }

  /** API Gateway HTTP API: `5xx` (`Sum`) / `Count` (`SampleCount`). */
  public static httpApiAvailability(api: IHttpApi, options?: apiGateway.ApiAvailabilityOptions): ISli {
    return new PresetSli('httpApiAvailability', api, options, () => apiGateway.httpApiAvailability(api, options));
  }

  /** API Gateway HTTP API: `Latency` (ms) at or under the threshold. */
  public static httpApiLatency(api: IHttpApi, options: apiGateway.ApiLatencyOptions): ISli {
    return new PresetSli('httpApiLatency', api, options, () => apiGateway.httpApiLatency(api, options));
  }

  /**
   * Application Load Balancer: ELB and target 5XX / `RequestCount`; requests refused without a
   * target (ELB 503, not in `RequestCount`) count as errors.
   */
  public static loadBalancerAvailability(alb: IApplicationLoadBalancer): ISli {
    return new PresetSli('loadBalancerAvailability', alb, undefined, () => loadBalancer.loadBalancerAvailability(alb));
  }

  /** Application Load Balancer: `TargetResponseTime` (s) at or under the threshold. */
  public static loadBalancerLatency(alb: IApplicationLoadBalancer, options: loadBalancer.LoadBalancerLatencyOptions): ISli {
    return new PresetSli('loadBalancerLatency', alb, options, () => loadBalancer.loadBalancerLatency(alb, options));
  }

  /**
   * ALB target group: (target 5XX + `TargetConnectionErrorCount`) / `RequestCount`. Cannot see the
   * load balancer's 504s, other 502s and 503s (published per load balancer only).
   */
  public static targetGroupAvailability(targetGroup: IApplicationTargetGroup): ISli {
    return new PresetSli('targetGroupAvailability', targetGroup, undefined, () => loadBalancer.targetGroupAvailability(targetGroup));
  }

  /** ALB target group: `TargetResponseTime` (s) at or under the threshold. */
  public static targetGroupLatency(targetGroup: IApplicationTargetGroup, options: loadBalancer.LoadBalancerLatencyOptions): ISli {
    return new PresetSli('targetGroupLatency', targetGroup, options, () => loadBalancer.targetGroupLatency(targetGroup, options));
  }

  /** Lambda function: (`Errors` + `Throttles`) / (`Invocations` + `Throttles`). */
  public static lambdaAvailability(fn: IFunction): ISli {
    return new PresetSli('lambdaAvailability', fn, undefined, () => lambda.lambdaAvailability(fn));
  }

  /** Lambda function: `Duration` (ms) at or under the threshold. */
  public static lambdaLatency(fn: IFunction, options: lambda.LambdaLatencyOptions): ISli {
    return new PresetSli('lambdaLatency', fn, options, () => lambda.lambdaLatency(fn, options));
  }

  /** Step Functions state machine: failed + timed out + aborted / started executions. */
  public static stateMachineAvailability(stateMachine: IStateMachine): ISli {
    return new PresetSli('stateMachineAvailability', stateMachine, undefined, () => stepFunctions.stateMachineAvailability(stateMachine));
  }

  /**
   * DynamoDB table: `SystemErrors` (`Sum`) / (`SuccessfulRequestLatency` `SampleCount` +
   * `SystemErrors`), summed over 1 to 5 operations (dimensions TableName, Operation). Client
   * errors and throttles count neither way.
   */
  public static tableAvailability(table: ITable, options: dynamoDb.TableAvailabilityOptions): ISli {
    return new PresetSli('tableAvailability', table, options, () => dynamoDb.tableAvailability(table, options));
  }

  /** DynamoDB table: one operation's `SuccessfulRequestLatency` (ms) at or under the threshold. */
  public static tableLatency(table: ITable, options: dynamoDb.TableLatencyOptions): ISli {
    return new PresetSli('tableLatency', table, options, () => dynamoDb.tableLatency(table, options));
  }

  /** AppSync GraphQL API: `5XXError` (`Sum`) / `Requests` (`Sum`) (dimension GraphQLAPIId). */
  public static graphqlApiAvailability(api: IGraphqlApi): ISli {
    return new PresetSli('graphqlApiAvailability', api, undefined, () => appSync.graphqlApiAvailability(api));
  }

  /** AppSync GraphQL API: `Latency` (ms) at or under the threshold. */
  public static graphqlApiLatency(api: IGraphqlApi, options: appSync.GraphqlApiLatencyOptions): ISli {
    return new PresetSli('graphqlApiLatency', api, options, () => appSync.graphqlApiLatency(api, options));
  }

  /**
   * Application Signals service operation: `Fault` (`Sum`) / `Latency` `SampleCount` (namespace
   * `ApplicationSignals`, dimensions Environment, Service, Operation), as its Availability.
   */
  public static serviceOperationAvailability(options: applicationSignals.ServiceOperationOptions): ISli {
    return new PresetSli('serviceOperationAvailability', options, undefined, () => applicationSignals.serviceOperationAvailability(options));
  }

  /** Application Signals service operation: `Latency` (ms) at or under the threshold. */
  public static serviceOperationLatency(options: applicationSignals.ServiceOperationLatencyOptions): ISli {
    return new PresetSli('serviceOperationLatency', options, options, () => applicationSignals.serviceOperationLatency(options));
  }

  /**
   * CloudFront distribution: `5xxErrorRate` (`Average`, percent) × `Requests` (`Sum`) / 100 over
   * `Requests` (dimensions DistributionId, Region=Global). CloudFront publishes these metrics in
   * us-east-1 only: declare the SLO in a stack whose env is us-east-1. Exact while errors or
   * traffic are even within an alert window (the window's average rate times its requests).
   */
  public static distributionAvailability(distribution: IDistribution): ISli {
    return new PresetSli('distributionAvailability', distribution, undefined, () => cloudFront.distributionAvailability(distribution));
  }

  /**
   * Good slices ("good minutes"): a slice is good when `metric`, aggregated over the slice with its
   * statistic, meets the condition (`ApproximateAgeOfOldestMessage` `Maximum` < 300); the objective
   * is the share of good slices. Each window alarm counts bad slices: M out of N datapoints with the
   * slice as the period. Windows over one day cannot be evaluated at slices under an hour (CloudWatch's
   * limit): such tiers are left out with a warning.
   */
  public static timeSlice(props: TimeSliceSliProps): ISli {
    return new TimeSliceSli(props);
  }

  private constructor() {}
}
