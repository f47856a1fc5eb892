/**
 * SLI presets for AWS AppSync GraphQL APIs.
 */
import { Duration } from 'aws-cdk-lib';
import { IGraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli } from '../ratio';

/** Options of `Sli.graphqlApiLatency`. */
export interface GraphqlApiLatencyOptions {
  /** A request is good when AppSync answered within this time. */
  readonly threshold: Duration;
}

function graphqlMetric(api: IGraphqlApi, metricName: string, statistic?: string): Metric {
  return new Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: api.apiId }, statistic });
}

/**
 * GraphQL API availability: `5XXError` (`Sum`) over `Requests` (`Sum`) (namespace AWS/AppSync,
 * dimension GraphQLAPIId). "Using CloudWatch to monitor and log GraphQL API data"
 * (docs.aws.amazon.com/appsync/latest/devguide/monitoring.html): `5XXError` counts "errors
 * encountered during the execution of a GraphQL query" (use Sum), `Requests` "the number of
 * requests (queries + mutations)" — AWS describes it for the account and Region; the preset reads
 * the API's own series (dimension GraphQLAPIId), which the console shows per API: check it has
 * data. 4XX (invalid requests, authorization failures, throttling) count as good. Real-time
 * subscriptions (WebSocket connections and messages) are not requests and are not seen. When
 * `Requests` lags the errors the alarms divide by the larger of the two, so an outage reads 100 %.
 */
export function graphqlApiAvailability(api: IGraphqlApi): RatioSli {
  return new RatioSli({
    bad: graphqlMetric(api, '5XXError', Stats.SUM),
    total: graphqlMetric(api, 'Requests', Stats.SUM),
    description: `5XXError over Requests of GraphQL API ${api.node.id}`,
  });
}

/**
 * GraphQL API latency: share of requests whose `Latency` ("the time between when AWS AppSync
 * receives a request from a client and when it returns a response", milliseconds, no network time
 * to the client) is within the threshold (namespace AWS/AppSync, dimension GraphQLAPIId).
 */
export function graphqlApiLatency(api: IGraphqlApi, options: GraphqlApiLatencyOptions): LatencySli {
  return new LatencySli({ metric: graphqlMetric(api, 'Latency'), threshold: options?.threshold, unit: LatencyUnit.MILLISECONDS });
}
