/**
 * Builds the facts the rules read from a synthesized app: services, SLOs, escalation and
 * experiments from the construct tree; alarms, experiment templates and workloads from the
 * templates, each mapped back to its construct through its logical id.
 */
import * as fs from 'fs';
import { CfnElement, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CompositeAlarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { IEscalationPolicy } from '../escalation/escalation-policy';
import { ReliableService } from '../service/reliable-service';
import { ServiceLevelObjective } from '../service/service-level-objective';
import { compositeAlarmName } from '../slo/names';
import { Severity } from '../slo/tiers';
import { workloadExclusion } from './exclusions';
import {
  AlarmFacts, AlarmResourceType, AlarmWiringFacts, EscalationFacts, ExperimentTemplateFacts, MetricDimensionFacts, ReliabilityFacts, ServiceFacts,
  SloCategory, ServiceSloFacts, WorkloadFacts, WorkloadKind,
} from './facts';
import { alarmNamesInRule, referencedLogicalIds, stringsIn, TemplateJson, TemplateResource } from './template-values';

/** A stack to check and its synthesized template (as in the policy-validation context). */
export interface CheckedStack {
  /** The stack's construct path. */
  readonly stackConstructPath: string;
  /** The template file. */
  readonly templatePath: string;
}

/** Options of `collectFacts`. */
export interface CollectFactsOptions {
  /** The stacks whose templates are read; services of other stacks are still collected (their SLOs may cover these stacks' resources). */
  readonly stacks: readonly CheckedStack[];
  /**
   * Service names to treat as critical, besides those declared `critical: true`.
   * @default - only those declared critical
   */
  readonly criticalServices?: readonly string[];
}

/** The resource types SLOs should cover. */
export const WORKLOAD_TYPES: Record<string, WorkloadKind> = {
  'AWS::Lambda::Function': WorkloadKind.LAMBDA_FUNCTION,
  'AWS::ApiGateway::RestApi': WorkloadKind.REST_API,
  'AWS::ApiGatewayV2::Api': WorkloadKind.HTTP_API,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': WorkloadKind.LOAD_BALANCER,
  'AWS::ElasticLoadBalancingV2::TargetGroup': WorkloadKind.TARGET_GROUP,
  'AWS::StepFunctions::StateMachine': WorkloadKind.STATE_MACHINE,
  'AWS::DynamoDB::Table': WorkloadKind.TABLE,
  'AWS::DynamoDB::GlobalTable': WorkloadKind.TABLE,
  'AWS::AppSync::GraphQLApi': WorkloadKind.GRAPHQL_API,
  'AWS::CloudFront::Distribution': WorkloadKind.DISTRIBUTION,
  'AWS::SQS::Queue': WorkloadKind.QUEUE,
  'AWS::Kinesis::Stream': WorkloadKind.STREAM,
  'AWS::ECS::Service': WorkloadKind.ECS_SERVICE,
  'AWS::Synthetics::Canary': WorkloadKind.CANARY,
  'AWS::Lambda::EventSourceMapping': WorkloadKind.EVENT_SOURCE_MAPPING,
};

/**
 * Service principals whose `AWS::Lambda::Permission` means the function is invoked asynchronously
 * ("Invoking a Lambda function asynchronously": S3, SNS, EventBridge, CloudWatch Logs, SES invoke
 * asynchronously; docs.aws.amazon.com/lambda/latest/dg/invocation-async.html).
 */
const ASYNC_INVOKERS = ['s3.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com', 'logs.amazonaws.com', 'ses.amazonaws.com'];

/** Logical ids of the queues that a queue of the template names as its dead-letter queue. */
function deadLetterQueues(resources: [string, Record<string, any>][]): Set<string> {
  const out = new Set<string>();
  for (const [, r] of resources) {
    if (r.Type === 'AWS::SQS::Queue') {
      referencedLogicalIds(r.Properties?.RedrivePolicy?.deadLetterTargetArn, out);
    }
  }
  return out;
}

/** What invokes each function of the template asynchronously, by the function's logical id. */
function asyncInvokers(resources: [string, Record<string, any>][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (functionName: unknown, by: string) => {
    for (const id of referencedLogicalIds(functionName)) {
      out.set(id, [...new Set([...(out.get(id) ?? []), by])]);
    }
  };
  for (const [, r] of resources) {
    if (r.Type === 'AWS::Lambda::EventInvokeConfig') {
      add(r.Properties?.FunctionName, 'EventInvokeConfig');
    } else if (r.Type === 'AWS::Lambda::Permission' && ASYNC_INVOKERS.includes(r.Properties?.Principal)) {
      add(r.Properties?.FunctionName, r.Properties.Principal);
    }
  }
  return out;
}

/** Properties holding a workload's physical name. */
const NAME_PROPERTIES = ['FunctionName', 'Name', 'StateMachineName', 'TableName', 'QueueName', 'ServiceName'];

/** What reads an alarm's state and acts on it, so that the alarm needs no actions of its own. */
const ALARM_CONSUMERS: readonly { readonly type: string; readonly what: string; readonly value: (p: Record<string, any>) => unknown; readonly rule?: boolean }[] = [
  { type: 'AWS::CloudWatch::CompositeAlarm', what: 'AlarmRule of composite alarm', value: (p) => p.AlarmRule, rule: true },
  { type: 'AWS::FIS::ExperimentTemplate', what: 'StopConditions of FIS experiment template', value: (p) => p.StopConditions },
  { type: 'AWS::CodeDeploy::DeploymentGroup', what: 'AlarmConfiguration of CodeDeploy deployment group', value: (p) => p.AlarmConfiguration },
  { type: 'AWS::ECS::Service', what: 'deployment alarms of ECS service', value: (p) => p.DeploymentConfiguration?.Alarms },
  { type: 'AWS::Route53::HealthCheck', what: 'AlarmIdentifier of Route 53 health check', value: (p) => p.HealthCheckConfig?.AlarmIdentifier },
  { type: 'AWS::AppConfig::Environment', what: 'Monitors of AppConfig environment', value: (p) => p.Monitors },
];

/** The facts of the app under `root`. */
export function collectFacts(root: IConstruct, options: CollectFactsOptions): ReliabilityFacts {
  const collector = new Collector(root, options);
  return collector.facts();
}

class Collector {
  private readonly all: IConstruct[];
  private readonly checked = new Map<string, { readonly templatePath: string; readonly template: TemplateJson }>();
  private readonly logicalIds = new Map<Stack, Map<string, IConstruct>>();
  private readonly critical: Set<string>;

  constructor(root: IConstruct, options: CollectFactsOptions) {
    this.all = root.node.findAll();
    for (const s of options.stacks) {
      this.checked.set(s.stackConstructPath, { templatePath: s.templatePath, template: JSON.parse(fs.readFileSync(s.templatePath, 'utf8')) });
    }
    this.critical = new Set(options.criticalServices ?? []);
  }

  public facts(): ReliabilityFacts {
    const services = this.all.filter((c): c is ReliableService => c instanceof ReliableService).map((s) => this.service(s));
    const alarms: AlarmFacts[] = [];
    const experimentTemplates: ExperimentTemplateFacts[] = [];
    const workloads: WorkloadFacts[] = [];
    for (const stack of this.all.filter((c): c is Stack => Stack.isStack(c))) {
      const checked = this.checked.get(stack.node.path);
      if (!checked) {
        continue;
      }
      const location = (logicalId: string) => ({
        constructPath: this.constructAt(stack, logicalId)?.node.path ?? `${stack.node.path}/${logicalId}`,
        stackPath: stack.node.path,
        templatePath: checked.templatePath,
        logicalId,
      });
      const resources = Object.entries(checked.template.Resources ?? {});
      const dlqs = deadLetterQueues(resources);
      const invokers = asyncInvokers(resources);
      for (const [logicalId, resource] of resources) {
        if (resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm') {
          alarms.push(alarmFacts(location(logicalId), resource, resources));
        } else if (resource.Type === 'AWS::FIS::ExperimentTemplate') {
          const stopConditions = Array.isArray(resource.Properties?.StopConditions) ? resource.Properties.StopConditions as Record<string, unknown>[] : [];
          experimentTemplates.push({ ...location(logicalId), alarmStopConditions: stopConditions.filter((c) => c?.Source === 'aws:cloudwatch:alarm').length });
        } else if (WORKLOAD_TYPES[resource.Type] !== undefined) {
          const construct = this.constructAt(stack, logicalId);
          const excludedBecause = workloadExclusion({ construct, logicalId, template: checked.template });
          const kind = WORKLOAD_TYPES[resource.Type] === WorkloadKind.QUEUE && dlqs.has(logicalId) ? WorkloadKind.DEAD_LETTER_QUEUE : WORKLOAD_TYPES[resource.Type];
          const invokedAsynchronouslyBy = kind === WorkloadKind.LAMBDA_FUNCTION ? invokers.get(logicalId) : undefined;
          const sourceArn = kind === WorkloadKind.EVENT_SOURCE_MAPPING ? resource.Properties?.EventSourceArn : undefined;
          workloads.push({
            ...location(logicalId),
            kind,
            resourceType: resource.Type,
            names: NAME_PROPERTIES.map((p) => resource.Properties?.[p]).filter((v): v is string => typeof v === 'string'),
            ...(invokedAsynchronouslyBy !== undefined ? { invokedAsynchronouslyBy } : {}),
            ...(typeof sourceArn === 'string' ? { eventSourceArn: sourceArn } : {}),
            ...(excludedBecause !== undefined ? { excludedBecause } : {}),
          });
        }
      }
    }
    return { services, alarms, experimentTemplates, workloads };
  }

  private service(service: ReliableService): ServiceFacts {
    const stack = Stack.of(service);
    const checked = this.checked.get(stack.node.path);
    return {
      name: service.serviceName,
      constructPath: service.node.path,
      stackPath: stack.node.path,
      ...(checked ? { templatePath: checked.templatePath } : {}),
      critical: service.critical === true || this.critical.has(service.serviceName),
      slos: service.slos.map((slo) => this.slo(service, slo)),
      ...(service.escalation ? { escalation: escalationFacts(service.escalation) } : {}),
      experiments: service.experiments.map((experiment) => ({
        name: experiment.experimentName,
        constructPath: experiment.node.path,
        stackPath: stack.node.path,
        ...(checked ? { templatePath: checked.templatePath } : {}),
        logicalId: logicalIdOf(experiment.template),
      })),
    };
  }

  private slo(service: ReliableService, slo: ServiceLevelObjective): ServiceSloFacts {
    return {
      name: slo.name,
      constructPath: slo.node.path,
      objective: slo.objective,
      sliKind: slo.sli.kind,
      category: sloCategory(slo.sli.kind, slo.name),
      ...(slo.pageAlarm ? { pageAlarm: this.wiring(service, slo, Severity.PAGE, slo.pageAlarm) } : {}),
      ...(slo.ticketAlarm ? { ticketAlarm: this.wiring(service, slo, Severity.TICKET, slo.ticketAlarm) } : {}),
      metricDimensions: this.dimensions(slo),
    };
  }

  private wiring(service: ReliableService, slo: ServiceLevelObjective, severity: Severity, alarm: CompositeAlarm): AlarmWiringFacts {
    const stack = Stack.of(alarm);
    const cfn = alarm.node.defaultChild as CfnElement;
    const logicalId = logicalIdOf(cfn);
    const checked = this.checked.get(stack.node.path);
    const resource = checked?.template.Resources?.[logicalId];
    return {
      alarmName: compositeAlarmName(service.serviceName, slo.name, severity),
      constructPath: cfn.node.path,
      stackPath: stack.node.path,
      logicalId,
      ...(checked ? { templatePath: checked.templatePath } : {}),
      ...(resource ? { alarmActions: actionCount(resource) } : {}),
    };
  }

  /** Every dimension of every metric the SLI reads, with the resources its value refers to. */
  private dimensions(slo: ServiceLevelObjective): MetricDimensionFacts[] {
    const stack = Stack.of(slo);
    const out: MetricDimensionFacts[] = [];
    const visit = (metric: IMetric) => {
      const config = metric.toMetricConfig();
      for (const dimension of config.metricStat?.dimensions ?? []) {
        out.push(this.dimension(stack, dimension.name, dimension.value));
      }
      Object.values(config.mathExpression?.usingMetrics ?? {}).forEach(visit);
    };
    Object.values(slo.sliBinding.usingMetrics).forEach(visit);
    return out;
  }

  private dimension(stack: Stack, name: string, value: unknown): MetricDimensionFacts {
    if (!Token.isUnresolved(value)) {
      return { name, literal: String(value), references: [] };
    }
    const references = new Set<string>();
    // A reference token names its resource, wherever it is (also across stacks).
    if (typeof value === 'string') {
      for (const token of Tokenization.reverseString(value).tokens) {
        if (token instanceof Reference) {
          references.add(token.target.node.path);
        }
      }
    }
    // Anything else (Fn::Select over a listener ARN, Lazy values): the Refs and GetAtts it resolves to in the SLO's stack.
    let resolved: unknown;
    try {
      resolved = stack.resolve(value);
    } catch {
      resolved = undefined;
    }
    for (const logicalId of referencedLogicalIds(resolved)) {
      const construct = this.constructAt(stack, logicalId);
      if (construct) {
        references.add(construct.node.path);
      }
    }
    return { name, ...(typeof resolved === 'string' ? { literal: resolved } : {}), references: [...references] };
  }

  /** The CloudFormation element with this logical id in `stack`. */
  private constructAt(stack: Stack, logicalId: string): IConstruct | undefined {
    let byId = this.logicalIds.get(stack);
    if (!byId) {
      byId = new Map();
      for (const c of stack.node.findAll()) {
        if (CfnElement.isCfnElement(c) && c.stack === stack) {
          byId.set(logicalIdOf(c), c);
        }
      }
      this.logicalIds.set(stack, byId);
    }
    return byId.get(logicalId);
  }
}

/** The logical id as synthesized, overrides included. */
function logicalIdOf(element: CfnElement): string {
  return element.stack.resolve(element.logicalId) as string;
}

/** `latency` for latency SLIs and counted-events SLOs named for latency; `availability` for other counted events. */
export function sloCategory(sliKind: string, sloName: string): SloCategory {
  if (sliKind === 'latency') {
    return SloCategory.LATENCY;
  }
  if (sliKind === 'ratio') {
    return /latency/i.test(sloName) ? SloCategory.LATENCY : SloCategory.AVAILABILITY;
  }
  return SloCategory.OTHER;
}

function escalationFacts(policy: IEscalationPolicy): EscalationFacts {
  const chain = (policy as { chain?: { levels?: unknown[]; repeat?: number } }).chain;
  return {
    name: policy.policyName,
    constructPath: policy.node.path,
    ...(Array.isArray(chain?.levels) ? { levels: chain.levels.length } : {}),
    ...(typeof chain?.repeat === 'number' ? { repeat: chain.repeat } : {}),
  };
}

/** Alarm actions as CloudWatch runs them: none while `ActionsEnabled` is false. */
function actionCount(resource: TemplateResource): number {
  if (resource.Properties?.ActionsEnabled === false || resource.Properties?.ActionsEnabled === 'false') {
    return 0;
  }
  const actions = resource.Properties?.AlarmActions;
  return Array.isArray(actions) ? actions.length : 0;
}

function alarmFacts(location: Pick<AlarmFacts, 'constructPath' | 'stackPath' | 'templatePath' | 'logicalId'>,
  resource: TemplateResource, resources: [string, TemplateResource][]): AlarmFacts {
  const name = resource.Properties?.AlarmName;
  const alarmName = typeof name === 'string' ? name : undefined;
  const consumers: string[] = [];
  for (const [consumerId, consumer] of resources) {
    const kind = ALARM_CONSUMERS.find((c) => c.type === consumer.Type);
    if (!kind || consumerId === location.logicalId) {
      continue;
    }
    const value = kind.value(consumer.Properties ?? {});
    const byReference = referencedLogicalIds(value).has(location.logicalId);
    const byName = alarmName !== undefined && (kind.rule
      ? alarmNamesInRule(value).some((n) => n === alarmName || n.endsWith(`:alarm:${alarmName}`))
      : stringsIn(value).some((s) => s === alarmName || s.endsWith(`:alarm:${alarmName}`)));
    if (byReference || byName) {
      consumers.push(`${kind.what} ${consumerId}`);
    }
  }
  const enabled = resource.Properties?.ActionsEnabled;
  return {
    ...location,
    resourceType: resource.Type as AlarmResourceType,
    ...(alarmName !== undefined ? { alarmName } : {}),
    alarmActions: actionCount(resource),
    actionsEnabled: enabled !== false && enabled !== 'false',
    consumers,
  };
}
