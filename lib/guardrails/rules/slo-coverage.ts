import { ReliabilityFacts, WorkloadFacts, WorkloadKind } from '../facts';
import { locationOf, IReliabilityRule, RuleFinding, RuleLevel } from '../rule';
import { sourceWithoutEventCounts } from '../../sli/presets/lambda';

/** The metric dimensions that identify a resource of each kind, and which preset of docs/slis.md covers it. */
export const COVERAGE_DIMENSIONS: Record<WorkloadKind, { readonly label: string; readonly dimensions: string[]; readonly preset: string }> = {
  [WorkloadKind.LAMBDA_FUNCTION]: { label: 'Lambda function', dimensions: ['FunctionName'], preset: 'Sli.lambdaAvailability(fn)' },
  [WorkloadKind.REST_API]: { label: 'REST API', dimensions: ['ApiName'], preset: 'Sli.restApiAvailability(api)' },
  [WorkloadKind.HTTP_API]: { label: 'HTTP API', dimensions: ['ApiId'], preset: 'Sli.httpApiAvailability(api)' },
  [WorkloadKind.LOAD_BALANCER]: { label: 'load balancer', dimensions: ['LoadBalancer'], preset: 'Sli.loadBalancerAvailability(alb)' },
  [WorkloadKind.TARGET_GROUP]: { label: 'target group', dimensions: ['TargetGroup'], preset: 'Sli.targetGroupAvailability(tg)' },
  [WorkloadKind.STATE_MACHINE]: { label: 'state machine', dimensions: ['StateMachineArn'], preset: 'Sli.stateMachineAvailability(sm)' },
  [WorkloadKind.TABLE]: { label: 'DynamoDB table', dimensions: ['TableName'], preset: 'Sli.tableAvailability(table, { operations })' },
  [WorkloadKind.GRAPHQL_API]: { label: 'GraphQL API', dimensions: ['GraphQLAPIId'], preset: 'Sli.graphqlApiAvailability(api)' },
  [WorkloadKind.DISTRIBUTION]: { label: 'CloudFront distribution', dimensions: ['DistributionId'], preset: 'Sli.distributionAvailability(distribution), in a us-east-1 stack' },
  [WorkloadKind.QUEUE]: { label: 'SQS queue', dimensions: ['QueueName'], preset: 'Sli.queueFreshness(queue)' },
  [WorkloadKind.DEAD_LETTER_QUEUE]: { label: 'SQS dead-letter queue', dimensions: ['QueueName'], preset: 'Sli.deadLetterQueueEmpty(deadLetterQueue)' },
  [WorkloadKind.STREAM]: { label: 'Kinesis stream', dimensions: ['StreamName'], preset: 'Sli.streamFreshness(stream)' },
  [WorkloadKind.ECS_SERVICE]: { label: 'ECS service', dimensions: ['ServiceName'], preset: 'Sli.ecsServiceRunningTasks(service), with Container Insights on its cluster' },
  [WorkloadKind.CANARY]: { label: 'Synthetics canary', dimensions: ['CanaryName'], preset: 'Sli.canarySuccess(canary)' },
  [WorkloadKind.EVENT_SOURCE_MAPPING]: {
    label: 'Lambda event source mapping',
    dimensions: ['EventSourceMappingUUID'],
    preset: 'Sli.eventSourceMappingAvailability(mapping), with metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] } on the mapping; '
      + 'for fn.addEventSource(source), mapping = EventSourceMapping.fromEventSourceMappingId(this, id, source.eventSourceMappingId)',
  },
};

/**
 * The preset the fix names for a workload: for a function invoked asynchronously, the
 * asynchronous-invocation preset too; for a mapping of an Amazon MQ or DocumentDB source (no event
 * source mapping metrics), its function's preset.
 */
function presetFor(workload: WorkloadFacts): string {
  const source = sourceWithoutEventCounts(workload.eventSourceArn);
  if (source) {
    return `Sli.lambdaAvailability(fn) on the mapping's function: it reads ${source}, for which Lambda publishes no event source mapping metrics`;
  }
  const preset = COVERAGE_DIMENSIONS[workload.kind].preset;
  const by = workload.invokedAsynchronouslyBy ?? [];
  return by.length === 0 ? preset
    : `${preset}, and Sli.lambdaAsyncAvailability(fn) for its asynchronous invocations (${by.join(', ')})`;
}

/**
 * RELIABILITY-008: every function, API, load balancer, target group, state machine, DynamoDB table,
 * AppSync GraphQL API, CloudFront distribution, SQS queue (dead-letter queues included), Kinesis
 * stream, ECS service, Synthetics canary and Lambda event source mapping of the app is covered by
 * an SLO: some SLI reads a metric whose identifying dimension (`FunctionName`, `ApiName`, `ApiId`,
 * `LoadBalancer`, `TargetGroup`, `StateMachineArn`, `TableName`, `GraphQLAPIId`, `DistributionId`,
 * `QueueName`, `StreamName`, `ServiceName`, `CanaryName`, `EventSourceMappingUUID`) refers to it.
 * An event source mapping is a workload of its own: the function's SLIs count its invocations,
 * not the batch items it reports failed, nor invocations that never reached it. The
 * library's own infrastructure, custom-resource providers and CDK's singleton functions are not
 * workloads (see `excludedBecause`).
 */
export const sloCoverage: IReliabilityRule = {
  id: 'RELIABILITY-008',
  name: 'slo-coverage',
  level: RuleLevel.WARNING,
  summary: 'every Lambda function, REST/HTTP/GraphQL API, load balancer, target group, state machine, DynamoDB table, CloudFront distribution, '
    + 'SQS queue, Kinesis stream, ECS service, Synthetics canary and Lambda event source mapping is read by some SLO\'s metrics',
  explanation: 'A resource no SLO reads can fail without any alarm firing. Coverage is decided from the SLIs\' metric '
    + 'dimensions only: a function behind a covered API or state machine is covered indirectly, which the rule cannot see '
    + 'and a reviewer should confirm with an acknowledgement.',
  fix: 'Add an SLO whose SLI reads the resource\'s metrics (a preset such as Sli.lambdaAvailability(fn)), or acknowledge '
    + 'RELIABILITY-008 on the resource with the reason it needs none (e.g. it is covered through the API that invokes it).',
  check(facts: ReliabilityFacts): RuleFinding[] {
    const dimensions = facts.services.flatMap((service) => service.slos.flatMap((slo) => slo.metricDimensions));
    const covered = (workload: WorkloadFacts) => {
      const names = COVERAGE_DIMENSIONS[workload.kind].dimensions;
      return dimensions.some((d) => names.includes(d.name)
        && (d.references.includes(workload.constructPath) || (d.literal !== undefined && workload.names.includes(d.literal))));
    };
    return facts.workloads
      .filter((workload) => workload.excludedBecause === undefined && !covered(workload))
      .map((workload) => {
        const { label, dimensions: names } = COVERAGE_DIMENSIONS[workload.kind];
        const preset = presetFor(workload);
        const path = workload.constructPath.replace(/\/Resource$/, '');
        return {
          subject: locationOf(workload),
          message: `${label} ${path} (${workload.logicalId}) is not covered by any SLO: no SLI reads a metric with its ${names.join(' or ')} `
            + `dimension. Add an SLO (e.g. ${preset}) or acknowledge why it needs none`,
        };
      });
  },
};
