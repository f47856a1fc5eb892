/**
 * The input checks of the SLI presets (`Sli.restApiAvailability(api)`, …). A preset reads its
 * resource only when the SLO validates or binds it, never when it is called, so that a bad
 * argument (`undefined`, `null`, a number, a plain object, an unattached target group) is reported
 * by the SLO with its construct path — `Shop/Checkout/availability: sli: Sli.lambdaAvailability:
 * fn must be an IFunction …, got undefined` — instead of escaping as a TypeError from the call.
 *
 * Dimension values the preset takes from its inputs (stage, API name, function name, load
 * balancer name) are checked once the metrics are built: CloudWatch refuses control characters
 * and non-ASCII text, and matches values exactly, so `"prod "` makes the alarms watch a metric
 * that never exists (see `metric-checks.ts` for the sources).
 */
import { Duration, Token } from 'aws-cdk-lib';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import { IBaseService } from 'aws-cdk-lib/aws-ecs';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { isRecord } from '../slo/validation';
import { containerInsightsEnabled } from './presets/ecs';
import { EventSourceMappingSli } from './presets/lambda';
import { dimensionValueProblem, hasSurroundingWhitespace, leafMetricIdentities } from './metric-checks';
import { ISli, SliBinding } from './sli-definition';
import { describeValue, quote } from '../private/describe';
import { readDuration } from '../private/duration-input';

/** What a preset's resource must offer: the members the preset reads, and what they are. */
interface ResourceSpec {
  /** The parameter's name: `api`, `fn`. */
  readonly param: string;
  /** What to pass, for messages. */
  readonly what: string;
  readonly members: Readonly<Record<string, 'string' | 'function' | 'object'>>;
  /** Which prop each dimension value the preset builds comes from. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Who publishes the metrics, for messages. */
  readonly publisher: string;
}

const REST_API: ResourceSpec = {
  param: 'api',
  what: 'an IRestApi (a RestApi, LambdaRestApi or SpecRestApi, or RestApi.fromRestApiAttributes(...))',
  members: { restApiName: 'string' },
  dimensions: { ApiName: 'api.restApiName', Stage: 'options.stage' },
  publisher: 'API Gateway',
};

const HTTP_API: ResourceSpec = {
  param: 'api',
  what: 'an IHttpApi (an HttpApi, or HttpApi.fromHttpApiAttributes(...))',
  members: { apiId: 'string', metricServerError: 'function', metricCount: 'function', metricLatency: 'function', node: 'object' },
  dimensions: { ApiId: 'api.apiId', Stage: 'options.stage' },
  publisher: 'API Gateway',
};

const LOAD_BALANCER: ResourceSpec = {
  param: 'alb',
  what: 'an IApplicationLoadBalancer (an ApplicationLoadBalancer, or ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(...) with loadBalancerDnsName)',
  members: { metrics: 'object', node: 'object' },
  dimensions: { LoadBalancer: 'alb.loadBalancerFullName' },
  publisher: 'Elastic Load Balancing',
};

const TARGET_GROUP: ResourceSpec = {
  param: 'targetGroup',
  what: 'an IApplicationTargetGroup (an ApplicationTargetGroup added to a listener of a load balancer)',
  members: { metrics: 'object', node: 'object' },
  dimensions: { TargetGroup: 'targetGroup.targetGroupFullName', LoadBalancer: 'the full name of the load balancer targetGroup is attached to' },
  publisher: 'Elastic Load Balancing',
};

const LAMBDA_FUNCTION: ResourceSpec = {
  param: 'fn',
  what: 'an IFunction (a Function, or Function.fromFunctionName(...) / fromFunctionArn(...))',
  members: { metricErrors: 'function', metricThrottles: 'function', metricInvocations: 'function', metricDuration: 'function', node: 'object' },
  dimensions: { FunctionName: 'fn.functionName', Resource: 'fn.functionName' },
  publisher: 'Lambda',
};

const STATE_MACHINE: ResourceSpec = {
  param: 'stateMachine',
  what: 'an IStateMachine (a StateMachine, or StateMachine.fromStateMachineArn(...))',
  members: { metricFailed: 'function', metricTimedOut: 'function', metricAborted: 'function', metricStarted: 'function', node: 'object' },
  dimensions: { StateMachineArn: 'stateMachine.stateMachineArn' },
  publisher: 'Step Functions',
};

const TABLE: ResourceSpec = {
  param: 'table',
  what: 'an ITable (a Table or TableV2, or Table.fromTableName(...) / fromTableArn(...))',
  members: { tableName: 'string', node: 'object' },
  dimensions: { TableName: 'table.tableName', Operation: 'options.operations' },
  publisher: 'DynamoDB',
};

const GRAPHQL_API: ResourceSpec = {
  param: 'api',
  what: 'an IGraphqlApi (a GraphqlApi, or GraphqlApi.fromGraphqlApiAttributes(...))',
  members: { apiId: 'string', node: 'object' },
  dimensions: { GraphQLAPIId: 'api.apiId' },
  publisher: 'AppSync',
};

const DISTRIBUTION: ResourceSpec = {
  param: 'distribution',
  what: 'an IDistribution (a Distribution, or Distribution.fromDistributionAttributes(...))',
  members: { distributionId: 'string', node: 'object' },
  dimensions: { DistributionId: 'distribution.distributionId' },
  publisher: 'CloudFront',
};

const QUEUE: ResourceSpec = {
  param: 'queue',
  what: 'an IQueue (a Queue, or Queue.fromQueueArn(...) / fromQueueAttributes(...))',
  members: { queueName: 'string', node: 'object' },
  dimensions: { QueueName: 'queue.queueName' },
  publisher: 'SQS',
};

const DEAD_LETTER_QUEUE: ResourceSpec = { ...QUEUE, param: 'deadLetterQueue', dimensions: { QueueName: 'deadLetterQueue.queueName' } };

const STREAM: ResourceSpec = {
  param: 'stream',
  what: 'an IStream (a Kinesis Stream, or Stream.fromStreamArn(...) / fromStreamAttributes(...))',
  members: { streamName: 'string', node: 'object' },
  dimensions: { StreamName: 'stream.streamName' },
  publisher: 'Kinesis',
};

const ECS_SERVICE: ResourceSpec = {
  param: 'service',
  what: 'an ECS IBaseService (a FargateService or Ec2Service, or FargateService.fromFargateServiceAttributes(...) with its cluster)',
  members: { serviceName: 'string', cluster: 'object', node: 'object' },
  dimensions: { ServiceName: 'service.serviceName', ClusterName: 'service.cluster.clusterName' },
  publisher: 'Container Insights',
};

const CANARY: ResourceSpec = {
  param: 'canary',
  what: 'an ICanary (a Synthetics Canary, or Canary.fromCanaryName(...) / fromCanaryArn(...))',
  members: { canaryName: 'string', node: 'object' },
  dimensions: { CanaryName: 'canary.canaryName' },
  publisher: 'CloudWatch Synthetics',
};

const EVENT_SOURCE_MAPPING: ResourceSpec = {
  param: 'mapping',
  what: 'an IEventSourceMapping (an EventSourceMapping, or for an event source added with fn.addEventSource(source), '
    + 'EventSourceMapping.fromEventSourceMappingId(scope, id, source.eventSourceMappingId))',
  members: { eventSourceMappingId: 'string', node: 'object' },
  dimensions: { EventSourceMappingUUID: 'mapping.eventSourceMappingId' },
  publisher: 'Lambda',
};

/** Application Signals presets take no resource: their options name the service operation. */
const SERVICE_OPERATION: ResourceSpec = {
  param: 'options',
  what: '{ service: string, operation: string, environment: string } naming a service operation of Application Signals',
  members: { service: 'string', operation: 'string', environment: 'string' },
  dimensions: { Service: 'options.service', Operation: 'options.operation', Environment: 'options.environment' },
  publisher: 'Application Signals',
};

/** Which options a preset takes. */
enum OptionsShape {
  NONE,
  /** `{ stage? }`, optional. */
  STAGE,
  /** `{ threshold, stage? }`, required. */
  THRESHOLD_AND_STAGE,
  /** `{ threshold }`, required. */
  THRESHOLD,
  /** `{ operations }`, one to five DynamoDB operations, required. */
  OPERATIONS,
  /** `{ operation, threshold }`, required. */
  OPERATION_AND_THRESHOLD,
  /** `{ maxAge? }`, optional. */
  MAX_AGE,
  /** `{ slice? }`, optional. */
  SLICE,
}

/** Every preset: its resource and options. */
const PRESETS = {
  restApiAvailability: { resource: REST_API, options: OptionsShape.STAGE, kind: 'ratio' },
  restApiLatency: { resource: REST_API, options: OptionsShape.THRESHOLD_AND_STAGE, kind: 'latency' },
  httpApiAvailability: { resource: HTTP_API, options: OptionsShape.STAGE, kind: 'ratio' },
  httpApiLatency: { resource: HTTP_API, options: OptionsShape.THRESHOLD_AND_STAGE, kind: 'latency' },
  loadBalancerAvailability: { resource: LOAD_BALANCER, options: OptionsShape.NONE, kind: 'ratio' },
  loadBalancerLatency: { resource: LOAD_BALANCER, options: OptionsShape.THRESHOLD, kind: 'latency' },
  targetGroupAvailability: { resource: TARGET_GROUP, options: OptionsShape.NONE, kind: 'ratio' },
  targetGroupLatency: { resource: TARGET_GROUP, options: OptionsShape.THRESHOLD, kind: 'latency' },
  lambdaAvailability: { resource: LAMBDA_FUNCTION, options: OptionsShape.NONE, kind: 'ratio' },
  lambdaLatency: { resource: LAMBDA_FUNCTION, options: OptionsShape.THRESHOLD, kind: 'latency' },
  stateMachineAvailability: { resource: STATE_MACHINE, options: OptionsShape.NONE, kind: 'ratio' },
  tableAvailability: { resource: TABLE, options: OptionsShape.OPERATIONS, kind: 'ratio' },
  tableLatency: { resource: TABLE, options: OptionsShape.OPERATION_AND_THRESHOLD, kind: 'latency' },
  graphqlApiAvailability: { resource: GRAPHQL_API, options: OptionsShape.NONE, kind: 'ratio' },
  graphqlApiLatency: { resource: GRAPHQL_API, options: OptionsShape.THRESHOLD, kind: 'latency' },
  serviceOperationAvailability: { resource: SERVICE_OPERATION, options: OptionsShape.NONE, kind: 'ratio' },
  serviceOperationLatency: { resource: SERVICE_OPERATION, options: OptionsShape.THRESHOLD, kind: 'latency' },
  distributionAvailability: { resource: DISTRIBUTION, options: OptionsShape.NONE, kind: 'ratio' },
  lambdaAsyncAvailability: { resource: LAMBDA_FUNCTION, options: OptionsShape.NONE, kind: 'ratio' },
  eventSourceMappingAvailability: { resource: EVENT_SOURCE_MAPPING, options: OptionsShape.NONE, kind: 'ratio' },
  queueFreshness: { resource: QUEUE, options: OptionsShape.MAX_AGE, kind: 'time-slice' },
  deadLetterQueueEmpty: { resource: DEAD_LETTER_QUEUE, options: OptionsShape.NONE, kind: 'time-slice' },
  streamFreshness: { resource: STREAM, options: OptionsShape.MAX_AGE, kind: 'time-slice' },
  ecsServiceRunningTasks: { resource: ECS_SERVICE, options: OptionsShape.NONE, kind: 'time-slice' },
  canarySuccess: { resource: CANARY, options: OptionsShape.SLICE, kind: 'time-slice' },
} as const;

/** The name of a preset factory of `Sli`. */
export type PresetName = keyof typeof PRESETS;

/**
 * A preset SLI whose inputs are checked before its metrics are built. `build` is the preset
 * itself (`() => apiGateway.restApiAvailability(api, options)`); it runs once the inputs are valid.
 */
export class PresetSli implements ISli {
  public readonly kind: string;
  private readonly label: string;
  private built?: { readonly sli?: ISli; readonly problems: string[] };

  constructor(private readonly preset: PresetName, private readonly resource: unknown, private readonly options: unknown, private readonly build: () => ISli) {
    this.kind = PRESETS[preset].kind;
    this.label = `Sli.${preset}`;
  }

  public validate(): string[] {
    return this.inner().problems;
  }

  public bind(): SliBinding {
    const { sli, problems } = this.inner();
    if (!sli || problems.length > 0) {
      throw new Error(problems.join('; '));
    }
    return sli.bind();
  }

  /**
   * Advice on the inputs that is not an error, each with the id a user acknowledges it by.
   *
   * - REST API: aws-cdk-lib names an imported REST API after its construct id unless `restApiName`
   *   is given (`RestApi.fromRestApiId(this, 'Api', id)` has `restApiName` `Api`), while API Gateway
   *   publishes its metrics under the API's real name (dimension ApiName): the alarms would most
   *   likely watch a metric that never exists.
   * - ECS service: the task counts exist only with Container Insights on the cluster; a cluster of
   *   the app without it publishes none, and every minute reads bad.
   * @internal
   */
  public _warnings(): PresetWarning[] {
    if (this.inner().problems.length > 0) {
      return [];
    }
    const resource = PRESETS[this.preset].resource;
    if (resource === REST_API) {
      return this.importedRestApiWarnings();
    }
    if (resource === ECS_SERVICE && containerInsightsEnabled(this.resource as IBaseService) === false) {
      const service = this.resource as IBaseService;
      return [{
        id: 'cdk-reliability:container-insights',
        message: `${this.label}: the cluster ${service.cluster.node.path} of service ${service.node.path} does not turn on CloudWatch Container Insights, `
          + 'which publishes RunningTaskCount and DesiredTaskCount (namespace ECS/ContainerInsights): without it every minute reads bad. Give the Cluster '
          + 'containerInsightsV2: ContainerInsights.ENABLED (or ENHANCED), or acknowledge this warning if the account setting containerInsights turns it on',
      }];
    }
    return [];
  }

  private importedRestApiWarnings(): PresetWarning[] {
    const api = this.resource as { readonly restApiName: string; readonly node: { readonly id: string; readonly defaultChild?: unknown } };
    const imported = typeof api.node === 'object' && api.node !== null && api.node.defaultChild === undefined;
    if (!imported || Token.isUnresolved(api.restApiName) || api.restApiName !== api.node.id) {
      return [];
    }
    return [{
      id: 'cdk-reliability:imported-rest-api-name',
      message: `${this.label}: api is an imported REST API without restApiName, so aws-cdk-lib names it after its construct id ${quote(api.node.id)}; `
        + 'API Gateway publishes its metrics under the API\'s real name (dimension ApiName), so the alarms watch ApiName='
        + `${quote(api.restApiName)}. Import it with RestApi.fromRestApiAttributes(scope, id, { restApiId, rootResourceId, restApiName: '<its name>' }), `
        + 'or acknowledge this warning if the construct id is the API\'s name',
    }];
  }

  /**
   * What is wrong with the preset's resource as the complete app configures it (an event source
   * mapping without its event counts turned on). Run at synth, never while the app is built.
   * @internal
   */
  public _synthProblems(): string[] {
    const { sli, problems } = this.inner();
    return problems.length === 0 && sli instanceof EventSourceMappingSli ? sli.synthProblems().map((p) => `${this.label}: ${p}`) : [];
  }

  /** The Lambda function whose metrics a Lambda preset reads. @internal */
  public get _lambdaFunction(): IFunction | undefined {
    return PRESETS[this.preset].resource === LAMBDA_FUNCTION && this.inner().problems.length === 0 ? this.resource as IFunction : undefined;
  }

  private inner(): { readonly sli?: ISli; readonly problems: string[] } {
    if (!this.built) {
      this.built = this.check();
    }
    return this.built;
  }

  private check(): { readonly sli?: ISli; readonly problems: string[] } {
    const spec = PRESETS[this.preset];
    const inputs = [...resourceProblems(spec.resource, this.resource), ...optionsProblems(spec.options, this.options)];
    if (inputs.length > 0) {
      return { problems: inputs.map((p) => `${this.label}: ${p}`) };
    }
    let sli: ISli;
    let binding: SliBinding;
    try {
      sli = this.build();
      const own = sli.validate();
      if (own.length > 0) {
        return { sli, problems: own.map((p) => `${this.label}: ${p}`) };
      }
      binding = sli.bind();
    } catch (e) {
      return { problems: [`${this.label}: cannot read the metrics of ${spec.resource.param}: ${errorMessage(e)}`] };
    }
    const problems = new Set<string>();
    for (const metric of leafMetricIdentities(Object.values(binding.usingMetrics))) {
      for (const d of metric.dimensions) {
        const problem = presetValueProblem(d.value, spec.resource.publisher);
        if (problem) {
          const prop = spec.resource.dimensions[d.name] ?? `the ${d.name} dimension`;
          problems.add(`${this.label}: ${prop} (dimension ${d.name}) ${problem}`);
        }
      }
    }
    return { sli, problems: [...problems] };
  }
}

/**
 * What is wrong with a dimension value a preset builds: the hard rules of CloudWatch, and
 * surrounding whitespace, which AWS services never publish (stage, API, function and load
 * balancer names cannot hold it).
 */
function presetValueProblem(value: unknown, publisher: string): string | undefined {
  return dimensionValueProblem(value) ?? (typeof value === 'string' && hasSurroundingWhitespace(value)
    ? `must not start or end with whitespace (CloudWatch matches dimension values exactly and ${publisher} never publishes such a `
      + `name: the alarms would watch a metric that never exists), got ${quote(value)}`
    : undefined);
}

/** A stage name, checked before the metrics are built (aws-cdk-lib refuses some values with a message of its own). */
function stageValueProblem(stage: string): string | undefined {
  return presetValueProblem(stage, 'API Gateway');
}

/** The Lambda function a Lambda preset reads, or `undefined` for any other SLI. */
export function lambdaFunctionOf(sli: unknown): IFunction | undefined {
  return sli instanceof PresetSli ? sli._lambdaFunction : undefined;
}

/** A preset's advice on one of its inputs, and the id a user acknowledges it by. */
export interface PresetWarning {
  /** `cdk-reliability:imported-rest-api-name` */
  readonly id: string;
  readonly message: string;
}

/** What is wrong with a preset's resource as the complete app configures it, checked at synth (empty for any other SLI). */
export function presetSynthProblems(sli: unknown): string[] {
  return sli instanceof PresetSli ? sli._synthProblems() : [];
}

/** A preset's advice on its inputs (empty for any other SLI). */
export function presetWarnings(sli: unknown): PresetWarning[] {
  return sli instanceof PresetSli ? sli._warnings() : [];
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : describeValue(e);
}

/** Reads `object[key]` without letting a throwing getter escape. */
function read(object: object, key: string): { readonly value?: unknown; readonly error?: string } {
  try {
    return { value: (object as Record<string, unknown>)[key] };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

function resourceProblems(spec: ResourceSpec, resource: unknown): string[] {
  if (typeof resource !== 'object' || resource === null) {
    return [`${spec.param} must be ${spec.what}, got ${describeValue(resource)}`];
  }
  const missing: string[] = [];
  for (const [member, type] of Object.entries(spec.members)) {
    const { value, error } = read(resource, member);
    if (error !== undefined) {
      return [`${spec.param}.${member} cannot be read: ${error}. ${spec.param} must be ${spec.what}`];
    }
    if (typeof value !== type || value === null) {
      missing.push(member);
    }
  }
  return missing.length === 0 ? [] : [`${spec.param} must be ${spec.what}, got ${describeValue(resource)} (without ${missing.join(', ')})`];
}

/** The options each shape takes, for messages. */
const WANTED: Record<Exclude<OptionsShape, OptionsShape.NONE>, string> = {
  [OptionsShape.STAGE]: '{ stage?: string }',
  [OptionsShape.THRESHOLD]: '{ threshold: Duration }',
  [OptionsShape.THRESHOLD_AND_STAGE]: '{ threshold: Duration, stage?: string }',
  [OptionsShape.OPERATIONS]: '{ operations: dynamodb.Operation[] }',
  [OptionsShape.OPERATION_AND_THRESHOLD]: '{ operation: dynamodb.Operation, threshold: Duration }',
  [OptionsShape.MAX_AGE]: '{ maxAge?: Duration }',
  [OptionsShape.SLICE]: '{ slice?: Duration }',
};

/** The optional Duration prop of a MAX_AGE or SLICE shape: its problem, if any. */
function optionalDurationProblem(options: object, prop: 'maxAge' | 'slice'): string[] {
  const value = read(options, prop);
  if (value.error !== undefined) {
    return [`options.${prop} cannot be read: ${value.error}`];
  }
  if (value.value === undefined) {
    return [];
  }
  const example = 'Duration.minutes(5)';
  const duration = readDuration(value.value, { example, concreteBecause: 'the alarms\' threshold and period are fixed at synth time' });
  if (!duration.ok) {
    return [`options.${prop} ${duration.problem}`];
  }
  return duration.seconds > 0 ? [] : [`options.${prop} must be longer than 0, got ${duration.seconds} s`];
}

/** A DynamoDB availability SLI reads two metrics per operation; a metric-math alarm reads at most 10. */
const MAX_TABLE_OPERATIONS = 5;
const TABLE_OPERATIONS: readonly string[] = Object.values(Operation);

function operationProblem(prop: string, value: unknown): string | undefined {
  return typeof value === 'string' && TABLE_OPERATIONS.includes(value) ? undefined
    : `${prop} must be a dynamodb.Operation (${TABLE_OPERATIONS.join(', ')}), got ${describeValue(value)}`;
}

function operationsProblems(options: object): string[] {
  const operations = read(options, 'operations');
  if (operations.error !== undefined) {
    return [`options.operations cannot be read: ${operations.error}`];
  }
  const list = operations.value;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_TABLE_OPERATIONS) {
    return [`options.operations must list 1 to ${MAX_TABLE_OPERATIONS} dynamodb.Operation values (DynamoDB publishes its request and error `
      + `metrics per operation only, each operation reads 2 metrics and a CloudWatch metric-math alarm reads at most 10; split the `
      + `operations over several SLOs), got ${describeValue(list)}`];
  }
  const problems = list.flatMap((op, i) => operationProblem(`options.operations[${i}]`, op) ?? []);
  const repeated = list.filter((op, i) => list.indexOf(op) !== i);
  if (repeated.length > 0) {
    problems.push(`options.operations lists ${[...new Set(repeated)].map((op) => quote(String(op))).join(', ')} more than once: each operation counts once`);
  }
  return problems;
}

/** Shapes whose options may be left out. */
const OPTIONAL_SHAPES: readonly OptionsShape[] = [OptionsShape.STAGE, OptionsShape.MAX_AGE, OptionsShape.SLICE];

function optionsProblems(shape: OptionsShape, options: unknown): string[] {
  if (shape === OptionsShape.NONE) {
    return [];
  }
  const wanted = WANTED[shape];
  if (options === undefined || options === null) {
    return OPTIONAL_SHAPES.includes(shape) ? [] : [`options must be ${wanted}, got ${describeValue(options)}`];
  }
  if (!isRecord(options)) {
    return [`options must be ${wanted}, got ${describeValue(options)}`];
  }
  if (shape === OptionsShape.OPERATIONS) {
    return operationsProblems(options);
  }
  if (shape === OptionsShape.MAX_AGE || shape === OptionsShape.SLICE) {
    return optionalDurationProblem(options, shape === OptionsShape.MAX_AGE ? 'maxAge' : 'slice');
  }
  const problems: string[] = [];
  if (shape === OptionsShape.OPERATION_AND_THRESHOLD) {
    const operation = read(options, 'operation');
    const problem = operation.error !== undefined ? `options.operation cannot be read: ${operation.error}` : operationProblem('options.operation', operation.value);
    if (problem) {
      problems.push(problem);
    }
  }
  const stage = read(options, 'stage');
  const threshold = read(options, 'threshold');
  if (stage.error !== undefined || threshold.error !== undefined) {
    return [`options cannot be read: ${stage.error ?? threshold.error}`];
  }
  if ((shape === OptionsShape.STAGE || shape === OptionsShape.THRESHOLD_AND_STAGE) && stage.value !== undefined) {
    if (typeof stage.value !== 'string' || stage.value === '') {
      problems.push(`options.stage must be the name of a stage (a non-empty string), or left out for all stages; got ${describeValue(stage.value)}`);
    } else {
      const problem = stageValueProblem(stage.value);
      if (problem) {
        problems.push(`options.stage (dimension Stage) ${problem}`);
      }
    }
  }
  if (shape !== OptionsShape.STAGE) {
    const t = threshold.value as Duration | undefined;
    if (!t || typeof t.toMilliseconds !== 'function' || typeof t.isUnresolved !== 'function') {
      problems.push(`options.threshold must be a Duration such as Duration.millis(300), got ${describeValue(t)}`);
    } else if (t.isUnresolved()) {
      problems.push('options.threshold must be a concrete Duration, not a token: the trimmed-count statistic is fixed at synth time');
    } else if (!(t.toMilliseconds({ integral: false }) > 0)) {
      problems.push(`options.threshold must be longer than 0, got ${t.toMilliseconds({ integral: false })} ms`);
    }
  }
  return problems;
}
