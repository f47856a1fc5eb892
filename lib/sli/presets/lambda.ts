/**
 * SLI presets for AWS Lambda functions.
 */
import { CfnResource, Duration, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnEventSourceMapping, IEventSourceMapping, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli, RatioSliProps } from '../ratio';

/** Options of the Lambda latency preset. */
export interface LambdaLatencyOptions {
  /** An invocation is good when it ran within this time. */
  readonly threshold: Duration;
}

/**
 * Lambda availability: (`Errors` + `Throttles`) over (`Invocations` + `Throttles`) (namespace
 * AWS/Lambda, dimension FunctionName). "Invocations aren't recorded if the invocation request is
 * throttled or otherwise results in an invocation error" ("Types of metrics for Lambda
 * functions", docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), so throttles
 * are added to the total as well as to the bad events (the shared metric is read once), and a
 * window of throttles only reads as 100 % errors. Invocation errors other than throttling (the
 * function could not be started at all) are in neither metric: this SLI cannot see them, count
 * them at the caller. Errors are timestamped when the invocation started.
 */
export function lambdaAvailability(fn: IFunction): RatioSli {
  const throttles = fn.metricThrottles();
  return new RatioSli({
    badMetrics: [fn.metricErrors(), throttles],
    totalMetrics: [fn.metricInvocations(), throttles],
    description: `Errors + Throttles over Invocations + Throttles of function ${fn.node.id}`,
  });
}

/** Lambda latency: share of invocations whose `Duration` (ms) is within the threshold (a timed-out invocation's Duration is its timeout). */
export function lambdaLatency(fn: IFunction, options: LambdaLatencyOptions): LatencySli {
  return new LatencySli({ metric: fn.metricDuration(), threshold: options?.threshold, unit: LatencyUnit.MILLISECONDS });
}

/**
 * Lambda asynchronous invocations: `AsyncEventsDropped` over `AsyncEventsReceived` (both `Sum`,
 * namespace AWS/Lambda, dimension FunctionName). "Types of metrics for Lambda functions",
 * asynchronous invocation metrics (docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * `AsyncEventsReceived` counts the events Lambda queued for the function, `AsyncEventsDropped` the
 * events dropped without the function running successfully (retries and maximum event age
 * exhausted, zero reserved concurrency, …); an event sent to an on-failure destination or
 * dead-letter queue is dropped as well and counts as bad: it was not processed.
 *
 * `DestinationDeliveryFailures` and `DeadLetterErrors` are not added: they count failed attempts to
 * deliver an event that was already dropped (a second failure of the same event), and
 * `DestinationDeliveryFailures` also counts on-success destinations and stream event sources. Alarm
 * on them separately if losing the failed event's record matters.
 *
 * An event is dropped up to 6 hours (the maximum event age) after it was received, so a window's
 * drops may belong to events received in earlier windows: a window of drops without receipts reads
 * as 100 % bad (the alarms divide by the larger of the two). Events that Lambda refused to queue
 * (the caller got an error) are in neither metric. Event source mappings (SQS, Kinesis, DynamoDB
 * streams) are not asynchronous invocations and are not counted. Their partial batch failures
 * (`batchItemFailures`) are counted per mapping by the opt-in event source mapping metrics: use
 * `eventSourceMappingAvailability`.
 */
export function lambdaAsyncAvailability(fn: IFunction): RatioSli {
  return new RatioSli({
    bad: fn.metric('AsyncEventsDropped', { statistic: Stats.SUM }),
    total: fn.metric('AsyncEventsReceived', { statistic: Stats.SUM }),
    description: `AsyncEventsDropped over AsyncEventsReceived of function ${fn.node.id}`,
  });
}

/** The metric group of `MetricsConfig.Metrics` that publishes the event counts of an event source mapping. */
const EVENT_COUNT = 'EventCount';

/**
 * Lambda event source mapping: `FailedInvokeEventCount` over `InvokedEventCount` (both `Sum`,
 * namespace AWS/Lambda, dimension EventSourceMappingUUID), the opt-in "Event source mapping
 * metrics" of "Types of metrics for Lambda functions"
 * (docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics):
 * published only for a mapping whose `MetricsConfig.Metrics` holds `EventCount`, for SQS, Kinesis,
 * DynamoDB streams, Amazon MSK and self-managed Kafka; not while the mapping is disabled. The
 * dimension is named in "Viewing metrics for Lambda functions" (monitoring-metrics-view.html: "By
 * Event Source Mapping UUID (`EventSourceMappingUUID`)").
 *
 * - `InvokedEventCount`: the events that invoked the function; an event whose invocation ends in a
 *   function error or a throttle "may count multiple times for the same polled event due to
 *   automatic retries".
 * - `FailedInvokeEventCount`: the events Lambda "tried to invoke your function with, but failed"
 *   (network configuration, permissions, a deleted function, version or alias) and, with partial
 *   batch responses (`ReportBatchItemFailures`), events of a response with a non-empty
 *   `BatchItemFailures`; timestamped at the end of the invocation.
 *
 * Both count attempts, so a retried event counts again on each side. An invocation that never
 * reached the function is in `FailedInvokeEventCount` only: the alarms divide by the larger of the
 * two, and a window of such failures alone reads as 100 % bad. Filtered-out events
 * (`FilteredOutEventCount`) are in neither.
 *
 * Not to be used alone for a stream or queue consumer without `reportBatchItemFailures`: AWS's
 * description of `FailedInvokeEventCount` does not name function errors (an exception, a timeout)
 * or throttles, so a consumer that throws on every batch may add only to `InvokedEventCount`, its
 * retries pushing the ratio towards good. Pair it with `lambdaAvailability(fn)` on the mapping's
 * function (`Errors`, `Throttles`), and `streamFreshness` for a stream. No warning is raised when
 * the function has no SLO: RELIABILITY-008 reports a function that no SLI reads by `FunctionName`.
 *
 * Not verified against AWS's documentation, which does not say whether a response with batch item
 * failures counts its failed items or the whole batch ("any event with a non-empty
 * `BatchItemFailures` in the response"): with 10-message batches and 1 % of the items failing, the
 * whole-batch reading counts 9.6 % of the events as bad. Why not `DroppedEventCount` over
 * `PolledEventCount`: it exists for streams and Kafka only (not SQS, whose failed messages go to the
 * queue's redrive policy), leaves out events sent to an on-failure destination, and counts an event
 * only after its retries or maximum age ran out, hours after it first failed.
 *
 * The mapping's `MetricsConfig` is checked at synth, when the app is complete: a mapping of the app
 * without `EventCount` is refused then, and so is one whose `EventSourceArn` is visibly an Amazon MQ
 * broker or a DocumentDB cluster (no event source mapping metrics; use `lambdaAvailability`).
 */
export function eventSourceMappingAvailability(mapping: IEventSourceMapping): RatioSli {
  const metric = (metricName: string) => new Metric({
    namespace: 'AWS/Lambda', metricName, dimensionsMap: { EventSourceMappingUUID: mapping.eventSourceMappingId }, statistic: Stats.SUM,
  });
  return new EventSourceMappingSli(mapping, {
    bad: metric('FailedInvokeEventCount'),
    total: metric('InvokedEventCount'),
    description: `FailedInvokeEventCount over InvokedEventCount of event source mapping ${mapping.node.id}`,
  });
}

/**
 * A ratio SLI whose SLO also refuses, at synth, a mapping of the app that publishes no event
 * counts. The check waits for synth: a mapping's configuration may still change after the SLO is
 * built (`cfn.metricsConfig = ...`, `addPropertyOverride('MetricsConfig.Metrics', ...)`).
 */
export class EventSourceMappingSli extends RatioSli {
  constructor(private readonly mapping: IEventSourceMapping, props: RatioSliProps) {
    super(props);
  }

  /** What is wrong with the mapping as the complete app configures it. */
  public synthProblems(): string[] {
    const resource = mappingResource(this.mapping);
    const source = resource ? sourceWithoutEventCounts(configuredProperty(resource, 'EventSourceArn', 'eventSourceArn')) : undefined;
    if (resource && source) {
      return [`the event source mapping ${resource.node.path} reads ${source}, for which Lambda publishes no event source mapping metrics `
        + '(only for SQS, Kinesis, DynamoDB streams, Amazon MSK and self-managed Kafka) and its alarms could never fire. '
        + 'Use Sli.lambdaAvailability(fn) on the mapping\'s function instead'];
    }
    const problem = eventCountProblem(this.mapping);
    return problem ? [problem] : [];
  }
}

/**
 * The source, when `arn` is visibly one for which Lambda publishes no event source mapping
 * metrics: Amazon MQ (`arn:<partition>:mq:`) or Amazon DocumentDB (`arn:<partition>:rds:`).
 * "Types of metrics for Lambda functions" (docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics)
 * names SQS, Kinesis, DynamoDB streams, Amazon MSK and self-managed Kafka only.
 */
export function sourceWithoutEventCounts(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || Token.isUnresolved(arn)) {
    return undefined;
  }
  const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
  return service === 'mq' ? `the Amazon MQ broker ${arn}` : service === 'rds' ? `the Amazon DocumentDB cluster ${arn}` : undefined;
}

/**
 * Why the mapping publishes none of the event source mapping metrics, when it is a mapping of the
 * app (an `EventSourceMapping`, the one `fn.addEventSource(source)` creates, or one imported by the
 * id such a mapping has) whose `MetricsConfig.Metrics`, overrides included, lacks `EventCount`.
 * A mapping known only by a literal UUID, or a configuration that is a token, is not checked.
 */
export function eventCountProblem(mapping: IEventSourceMapping): string | undefined {
  const resource = mappingResource(mapping);
  if (!resource) {
    return undefined;
  }
  const metrics = configuredMetrics(resource);
  if (metrics === 'unknown' || metrics?.includes(EVENT_COUNT)) {
    return undefined;
  }
  const has = metrics === undefined ? 'no MetricsConfig' : `MetricsConfig.Metrics ${JSON.stringify(metrics)}, without ${EVENT_COUNT}`;
  return `the event source mapping ${resource.node.path} has ${has}, so Lambda publishes none of the metrics this SLI reads `
    + '(FailedInvokeEventCount, InvokedEventCount) and its alarms could never fire. Turn them on with '
    + 'metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] } in the props of the event source (SqsEventSource, KinesisEventSource, '
    + 'DynamoEventSource, ManagedKafkaEventSource, SelfManagedKafkaEventSource) or of the EventSourceMapping';
}

/** The `AWS::Lambda::EventSourceMapping` of the app the mapping is, or whose id it was imported by. */
function mappingResource(mapping: IEventSourceMapping): CfnResource | undefined {
  const isMapping = (c: unknown): c is CfnResource => CfnResource.isCfnResource(c as never) && (c as CfnResource).cfnResourceType === 'AWS::Lambda::EventSourceMapping';
  const own = mapping.node.defaultChild;
  if (isMapping(own)) {
    return own;
  }
  const id = mapping.eventSourceMappingId;
  if (!Token.isUnresolved(id)) {
    return undefined;
  }
  return Tokenization.reverseString(id).tokens.map((t) => (t instanceof Reference ? t.target : undefined)).find(isMapping);
}

/**
 * `MetricsConfig.Metrics` as the resource will render it, property overrides included: `undefined`
 * without MetricsConfig, `unknown` when a token. Only MetricsConfig is read and resolved: resolving
 * the whole resource would resolve (and so freeze, as Lazy values cache their first resolution)
 * every other property, e.g. filter criteria still being built.
 */
function configuredMetrics(resource: CfnResource): string[] | 'unknown' | undefined {
  let config: unknown;
  try {
    config = Stack.of(resource).resolve(withOverrides(ownMetricsConfig(resource), propertyOverrides(resource)));
  } catch {
    return 'unknown';
  }
  if (config === undefined) {
    return undefined;
  }
  const metrics = isPlainObject(config) && Object.keys(config).every((k) => k === 'Metrics') ? config.Metrics ?? [] : 'unknown';
  return Array.isArray(metrics) && metrics.every((m) => typeof m === 'string') ? metrics : 'unknown';
}

/** A property as the resource will render it, overrides included, resolved alone; `undefined` when it cannot be read. */
function configuredProperty(resource: CfnResource, cfnName: string, l1Name: string): unknown {
  const own = resource instanceof CfnEventSourceMapping ? (resource as unknown as Record<string, unknown>)[l1Name]
    : (resource as unknown as { readonly _cfnProperties?: Record<string, unknown> })._cfnProperties?.[cfnName];
  const overrides = propertyOverrides(resource);
  const value = isPlainObject(overrides) && cfnName in overrides ? overrides[cfnName] : own;
  try {
    return Stack.of(resource).resolve(value);
  } catch {
    return undefined;
  }
}

/** The MetricsConfig the resource's own properties give, in CloudFormation's casing (`{ Metrics }`). */
function ownMetricsConfig(resource: CfnResource): unknown {
  if (resource instanceof CfnEventSourceMapping) {
    const config = resource.metricsConfig;
    // a token stands for the rendered (CloudFormation-cased) value; a struct has the L1 casing
    return config === undefined || Token.isUnresolved(config) ? config : { Metrics: (config as CfnEventSourceMapping.MetricsConfigProperty).metrics };
  }
  // a plain CfnResource of this type keeps its properties as given, in CloudFormation's casing
  const properties = (resource as unknown as { readonly _cfnProperties?: unknown })._cfnProperties;
  return isPlainObject(properties) ? properties.MetricsConfig : undefined;
}

/** The resource's raw overrides of its properties (`addPropertyOverride`, `addOverride('Properties...')`). */
function propertyOverrides(resource: CfnResource): unknown {
  const overrides = (resource as unknown as { readonly rawOverrides?: unknown }).rawOverrides;
  return isPlainObject(overrides) ? overrides.Properties : undefined;
}

/** MetricsConfig once the overrides are merged into it, as `CfnResource` merges them (an `undefined` value deletes). */
function withOverrides(config: unknown, overrides: unknown): unknown {
  if (!isPlainObject(overrides) || !('MetricsConfig' in overrides)) {
    return config;
  }
  return deepMerge({ MetricsConfig: config }, { MetricsConfig: overrides.MetricsConfig }).MetricsConfig;
}

/** aws-cdk-lib's merge of raw overrides (core/lib/cfn-resource.ts), on copies. */
function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (isPlainObject(value)) {
      const inner = deepMerge(isPlainObject(merged[key]) ? merged[key] as Record<string, unknown> : {}, value);
      if (Object.keys(inner).length === 0) {
        delete merged[key];
      } else {
        merged[key] = inner;
      }
    } else if (value === undefined) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Token.isUnresolved(value);
}
