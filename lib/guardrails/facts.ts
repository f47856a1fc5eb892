/**
 * The plain data model the reliability rules read: what the app declares (services, SLOs,
 * escalation, experiments) and what its templates contain (alarms, experiment templates, the
 * resources SLOs should cover). No constructs and no tokens: `collectFacts()` builds it from a
 * synthesized app, tests write it by hand. Public: it is what an `IReliabilityRule` receives, in
 * every jsii language, so it holds only structs, enums, strings, numbers and lists.
 */

/** Where a fact lives, and where a finding about it points. */
export interface FactLocation {
  /** Construct path (`Shop/Checkout`, `Shop/CheckoutHandler/Resource`); suppressions on it or an ancestor apply. */
  readonly constructPath: string;
  /** Construct path of the stack. */
  readonly stackPath: string;
  /**
   * Template file of the stack.
   * @default - unknown (e.g. a stack the checks were not given)
   */
  readonly templatePath?: string;
  /**
   * Logical id of the CloudFormation resource.
   * @default - not a CloudFormation resource (a service, an SLO)
   */
  readonly logicalId?: string;
}

/** A `ReliableService` and its policy. */
export interface ServiceFacts extends FactLocation {
  /** `serviceName`. */
  readonly name: string;
  /** Declared `critical: true`, or named in `criticalServices`. */
  readonly critical: boolean;
  /** The service's SLOs, in declaration order. */
  readonly slos: ServiceSloFacts[];
  /**
   * The escalation policy its page and ticket alarms notify.
   * @default - no escalation policy
   */
  readonly escalation?: EscalationFacts;
  /** The experiments declared with `service.addExperiment()`. */
  readonly experiments: ExperimentFacts[];
}

/**
 * What an SLO promises: `latency` for `Sli.latency` and the latency presets, or a counted-events
 * SLI whose SLO name says latency; `availability` for the other counted-events SLIs (`Sli.ratio`,
 * the availability presets); `other` for custom `ISli` kinds.
 */
export enum SloCategory {
  /** Counted good and bad events: `Sli.ratio`, the availability presets. */
  AVAILABILITY = 'availability',
  /** Events faster than a threshold: `Sli.latency`, the latency presets. */
  LATENCY = 'latency',
  /** A custom `ISli` kind. */
  OTHER = 'other',
}

/** One SLO of a service. */
export interface ServiceSloFacts {
  /** The SLO's name within its service: `availability`. */
  readonly name: string;
  /** Construct path of the SLO (`Shop/Checkout/availability`). */
  readonly constructPath: string;
  /** The objective in percent: `99.9`. */
  readonly objective: number;
  /** `ISli.kind`: `ratio`, `latency` or a custom kind. */
  readonly sliKind: string;
  /** What the SLO promises. */
  readonly category: SloCategory;
  /**
   * The SLO's page composite alarm.
   * @default - the SLO does not page
   */
  readonly pageAlarm?: AlarmWiringFacts;
  /**
   * The SLO's ticket composite alarm.
   * @default - the SLO opens no tickets
   */
  readonly ticketAlarm?: AlarmWiringFacts;
  /** The dimensions of every metric the SLI reads: what the SLO covers. */
  readonly metricDimensions: MetricDimensionFacts[];
}

/** An SLO's composite alarm, with its actions as synthesized. */
export interface AlarmWiringFacts extends FactLocation {
  /** The alarm's name. */
  readonly alarmName: string;
  /**
   * How many alarm actions it has in its template (0 when `ActionsEnabled` is false).
   * @default - unknown: its template was not checked
   */
  readonly alarmActions?: number;
}

/** One dimension of a metric an SLI reads, e.g. `FunctionName` = the checkout handler. */
export interface MetricDimensionFacts {
  /** `FunctionName`, `ApiName`, `ApiId`, `LoadBalancer`, `TargetGroup`, `StateMachineArn`, … */
  readonly name: string;
  /**
   * The value when it is a plain string (e.g. a REST API's name).
   * @default - the value is a deploy-time reference
   */
  readonly literal?: string;
  /** Construct paths of the CloudFormation resources the value refers to (`Ref`, `Fn::GetAtt`). */
  readonly references: string[];
}

/** The escalation policy of a service. */
export interface EscalationFacts {
  /** `policyName`. */
  readonly name: string;
  /** Construct path of the policy. */
  readonly constructPath: string;
  /**
   * Levels of the chain.
   * @default - unknown: a custom IEscalationPolicy
   */
  readonly levels?: number;
  /**
   * Passes of the chain after the first.
   * @default - unknown: a custom IEscalationPolicy
   */
  readonly repeat?: number;
}

/** A chaos experiment declared with `service.addExperiment()`. */
export interface ExperimentFacts extends FactLocation {
  /** The experiment's name within its service. */
  readonly name: string;
}

/** The CloudFormation type of an alarm. */
export enum AlarmResourceType {
  /** `AWS::CloudWatch::Alarm`: a metric or metric-math alarm. */
  ALARM = 'AWS::CloudWatch::Alarm',
  /** `AWS::CloudWatch::CompositeAlarm`. */
  COMPOSITE_ALARM = 'AWS::CloudWatch::CompositeAlarm',
}

/** A CloudWatch alarm or composite alarm as synthesized (a `FactLocation` whose resource is always known). */
export interface AlarmFacts {
  /** Construct path of the resource's L1 construct; suppressions on it or an ancestor apply. */
  readonly constructPath: string;
  /** Construct path of the stack. */
  readonly stackPath: string;
  /** Logical id of the alarm. */
  readonly logicalId: string;
  /** Template file of its stack. */
  readonly templatePath: string;
  /** Alarm or composite alarm. */
  readonly resourceType: AlarmResourceType;
  /**
   * `AlarmName` as given in the template.
   * @default - a generated name
   */
  readonly alarmName?: string;
  /** Entries of `AlarmActions` (0 when `ActionsEnabled` is false). */
  readonly alarmActions: number;
  /** `ActionsEnabled` (CloudFormation's default: true). */
  readonly actionsEnabled: boolean;
  /**
   * What reads the alarm's state in the same template, e.g. `AlarmRule of composite alarm
   * CheckoutavailabilitypageFF39C443`: a composite's rule, an FIS stop condition, a CodeDeploy or
   * ECS deployment, a Route 53 health check, an AppConfig monitor.
   */
  readonly consumers: string[];
}

/** An `AWS::FIS::ExperimentTemplate` as synthesized, whoever declared it. */
export interface ExperimentTemplateFacts {
  /** Construct path of the resource's L1 construct; suppressions on it or an ancestor apply. */
  readonly constructPath: string;
  /** Construct path of the stack. */
  readonly stackPath: string;
  /** Logical id of the experiment template. */
  readonly logicalId: string;
  /** Template file of its stack. */
  readonly templatePath: string;
  /** Stop conditions with a CloudWatch alarm source (`aws:cloudwatch:alarm`); `none` sources are not counted. */
  readonly alarmStopConditions: number;
}

/** The kinds of resources an SLO should cover. */
export enum WorkloadKind {
  /** `AWS::Lambda::Function`. */
  LAMBDA_FUNCTION = 'lambda-function',
  /** `AWS::ApiGateway::RestApi`. */
  REST_API = 'rest-api',
  /** `AWS::ApiGatewayV2::Api`. */
  HTTP_API = 'http-api',
  /** `AWS::ElasticLoadBalancingV2::LoadBalancer`. */
  LOAD_BALANCER = 'load-balancer',
  /** `AWS::ElasticLoadBalancingV2::TargetGroup`. */
  TARGET_GROUP = 'target-group',
  /** `AWS::StepFunctions::StateMachine`. */
  STATE_MACHINE = 'state-machine',
  /** `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable` (a `TableV2`). */
  TABLE = 'table',
  /** `AWS::AppSync::GraphQLApi`. */
  GRAPHQL_API = 'graphql-api',
  /** `AWS::CloudFront::Distribution`. */
  DISTRIBUTION = 'distribution',
  /** `AWS::SQS::Queue` that no queue of the template names as its dead-letter queue. */
  QUEUE = 'queue',
  /** `AWS::SQS::Queue` that a queue of the same template names as its dead-letter queue (`RedrivePolicy.deadLetterTargetArn`). */
  DEAD_LETTER_QUEUE = 'dead-letter-queue',
  /** `AWS::Kinesis::Stream`. */
  STREAM = 'stream',
  /** `AWS::ECS::Service` (Fargate or EC2). */
  ECS_SERVICE = 'ecs-service',
  /** `AWS::Synthetics::Canary`. */
  CANARY = 'canary',
  /** `AWS::Lambda::EventSourceMapping` (SQS, Kinesis, DynamoDB streams, Kafka, … polled for a function). */
  EVENT_SOURCE_MAPPING = 'event-source-mapping',
}

/** A resource customers depend on: a function, an API, a load balancer, a queue, an event source mapping (the kinds of `WorkloadKind`). */
export interface WorkloadFacts {
  /** Construct path of the resource's L1 construct; suppressions on it or an ancestor apply. */
  readonly constructPath: string;
  /** Construct path of the stack. */
  readonly stackPath: string;
  /** What kind of workload. */
  readonly kind: WorkloadKind;
  /** `AWS::Lambda::Function`, … */
  readonly resourceType: string;
  /** Logical id of the resource. */
  readonly logicalId: string;
  /** Template file of its stack. */
  readonly templatePath: string;
  /** Physical names given as plain strings in the template (`FunctionName`, `Name`, …), matched against literal dimension values. */
  readonly names: string[];
  /**
   * For a Lambda function: what the template shows invoking it asynchronously — an
   * `AWS::Lambda::EventInvokeConfig` (`EventInvokeConfig`), or the service principal of an
   * `AWS::Lambda::Permission` of a service that invokes asynchronously (`sns.amazonaws.com`,
   * `s3.amazonaws.com`, `events.amazonaws.com`, …).
   * @default - nothing in the template invokes it asynchronously (or it is no function)
   */
  readonly invokedAsynchronouslyBy?: string[];
  /**
   * For a Lambda event source mapping: its `EventSourceArn` when the template gives it as a plain
   * string (an Amazon MQ or DocumentDB source publishes no event source mapping metrics).
   * @default - no mapping, or its source is a reference the template resolves at deploy time
   */
  readonly eventSourceArn?: string;
  /**
   * Why the resource is not a workload of the app (the library's own infrastructure, a
   * custom-resource provider, a CDK singleton); excluded resources are never reported.
   * @default - a workload
   */
  readonly excludedBecause?: string;
}

/** Everything the rules read. */
export interface ReliabilityFacts {
  /** Every `ReliableService` of the app. */
  readonly services: ServiceFacts[];
  /** Alarms of the checked templates. */
  readonly alarms: AlarmFacts[];
  /** FIS experiment templates of the checked templates. */
  readonly experimentTemplates: ExperimentTemplateFacts[];
  /** Functions, APIs, load balancers, target groups and state machines of the checked templates. */
  readonly workloads: WorkloadFacts[];
}
