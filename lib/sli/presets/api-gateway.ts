/**
 * SLI presets for Amazon API Gateway. Metrics are documented in the preset table of docs/slis.md.
 */
import { Duration } from 'aws-cdk-lib';
import { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli } from '../ratio';

/** Options of the API Gateway availability presets. */
export interface ApiAvailabilityOptions {
  /**
   * Count only one stage's requests.
   * @default - all stages of the API (the API-level metrics)
   */
  readonly stage?: string;
}

/** Options of the API Gateway latency presets. */
export interface ApiLatencyOptions extends ApiAvailabilityOptions {
  /** A request is good when API Gateway answered within this time. */
  readonly threshold: Duration;
}

function restApiMetric(api: IRestApi, metricName: string, stage?: string, statistic?: string): Metric {
  return new Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: stage ? { ApiName: api.restApiName, Stage: stage } : { ApiName: api.restApiName },
    statistic,
  });
}

/**
 * REST API availability: `5XXError` (`Sum`) over `Count` (`SampleCount`) (namespace
 * AWS/ApiGateway, dimension ApiName [+ Stage]), the statistics "Amazon API Gateway dimensions and
 * metrics" names for them (docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html:
 * for 5XXError "The Sum statistic represents this metric", for Count "The SampleCount statistic
 * represents this metric"). `Count` is the total number of API requests, 5XX responses
 * (integration failures 502, timeouts 504) included, so the total does not stop while errors go
 * on. 4XX responses are the client's errors and count as good, including 429 when API Gateway
 * throttles (account or stage limits): an SLO on throttling needs `4XXError` in the bad events
 * (`Sli.ratio`).
 */
export function restApiAvailability(api: IRestApi, given: ApiAvailabilityOptions = {}): RatioSli {
  const options = given ?? {};
  return new RatioSli({
    bad: restApiMetric(api, '5XXError', options.stage, Stats.SUM),
    total: restApiMetric(api, 'Count', options.stage, Stats.SAMPLE_COUNT),
    description: `5XXError over Count of REST API ${api.restApiName}${options.stage ? ` stage ${options.stage}` : ''}`,
  });
}

/** REST API latency: share of requests whose `Latency` (ms, end to end in API Gateway) is within the threshold. */
export function restApiLatency(api: IRestApi, options: ApiLatencyOptions): LatencySli {
  return new LatencySli({ metric: restApiMetric(api, 'Latency', options?.stage), threshold: options?.threshold, unit: LatencyUnit.MILLISECONDS });
}

function httpApiDimensions(api: IHttpApi, stage?: string): Record<string, string> {
  return stage ? { ApiId: api.apiId, Stage: stage } : { ApiId: api.apiId };
}

/**
 * HTTP API availability: `5xx` (`Sum`) over `Count` (`SampleCount`, as aws-cdk-lib's
 * `metricCount()` gives it) (namespace AWS/ApiGateway, dimension ApiId [+ Stage]), read like the
 * REST API's: `Count` includes the 5xx responses, and 4xx (429 throttling too) count as good.
 */
export function httpApiAvailability(api: IHttpApi, given: ApiAvailabilityOptions = {}): RatioSli {
  const options = given ?? {};
  const dimensionsMap = httpApiDimensions(api, options.stage);
  return new RatioSli({
    bad: api.metricServerError({ dimensionsMap }),
    total: api.metricCount({ dimensionsMap }),
    description: `5xx over Count of HTTP API ${api.node.id}${options.stage ? ` stage ${options.stage}` : ''}`,
  });
}

/** HTTP API latency: share of requests whose `Latency` (ms) is within the threshold. */
export function httpApiLatency(api: IHttpApi, options: ApiLatencyOptions): LatencySli {
  return new LatencySli({
    metric: api.metricLatency({ dimensionsMap: httpApiDimensions(api, options?.stage) }),
    threshold: options?.threshold,
    unit: LatencyUnit.MILLISECONDS,
  });
}
