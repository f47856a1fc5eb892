// The public API of cdk-reliability: every name a user may import, listed explicitly. Anything not
// exported here is internal and may change in any release. The blocks follow the folders under
// `lib/`; each block is the public surface of one concern.

// Services and SLOs
export { ReliableService, type ReliableServiceProps } from './service/reliable-service';
export { ServiceLevelObjective, type ServiceLevelObjectiveProps, type SloProps, type BlindAlertProps } from './service/service-level-objective';

// SLIs
export { Sli } from './sli/sli';
export { type ISli, type SliBinding, type TimeSliceBinding, SliceComparison } from './sli/sli-definition';
export { type TimeSliceSliProps, SliceMissingData } from './sli/time-slice';
export { type RatioSliProps } from './sli/ratio';
export { type LatencySliProps, LatencyUnit } from './sli/latency';
export { type ApiAvailabilityOptions, type ApiLatencyOptions } from './sli/presets/api-gateway';
export { type LoadBalancerLatencyOptions } from './sli/presets/load-balancer';
export { type LambdaLatencyOptions } from './sli/presets/lambda';
export { type TableAvailabilityOptions, type TableLatencyOptions } from './sli/presets/dynamodb';
export { type GraphqlApiLatencyOptions } from './sli/presets/appsync';
export { type ServiceOperationOptions, type ServiceOperationLatencyOptions } from './sli/presets/application-signals';
export { type QueueFreshnessOptions } from './sli/presets/sqs';
export { type StreamFreshnessOptions } from './sli/presets/kinesis';
export { type CanarySuccessOptions } from './sli/presets/synthetics';

// Alert policies (burn-rate tiers)
export { AlertPolicy, type AlertTier, type WorkbookPolicyOptions } from './slo/alert-policy';
export { Severity, type ResolvedTier } from './slo/tiers';
export { TierWindow } from './slo/names';
export { type SloWindowAlarm } from './alarms/slo-alarms';

// Dashboards
export { ServiceDashboard, type ServiceDashboardProps } from './dashboards/service-dashboard';

// Escalation
export {
  EscalationPolicy, type EscalationPolicyProps, type EscalationLevel, type EscalationChain, type EscalationChainLevel, type IEscalationPolicy,
} from './escalation/escalation-policy';
export { Notify } from './escalation/notify';
export { type INotifyTarget, type NotifyTargetBindOptions, type NotifyTargetConfig } from './escalation/notify-target';

// Reporting (the scheduled digest)
export { ReliabilityReport, type ReliabilityReportProps } from './reporting/reliability-report';

// Chaos
export { ChaosExperiment, type ChaosExperimentProps, type ExperimentProps, type ExperimentReportOptions, type IAlarmSource, EmptyTargets } from './chaos/chaos-experiment';
export { Fault } from './chaos/fault';
export { Targets, Selection, type TargetFilter, type TargetOptions, EksPodSelectorType, type EksPodSelector } from './chaos/targets';
export { type LambdaFaultOptions, type LambdaInvocationDelayOptions, type LambdaInvocationErrorOptions, type LambdaHttpResponseOptions } from './chaos/faults/lambda';
export {
  type EcsCpuStressOptions, type EcsNetworkLatencyOptions, type EcsIoStressOptions, KillSignal, type EcsKillProcessOptions, type EcsNetworkFaultOptions,
  type EcsNetworkPacketLossOptions, TrafficType, NetworkProtocol, type EcsNetworkBlackholePortOptions, type EcsDrainContainerInstancesOptions,
} from './chaos/faults/ecs';
export {
  FisPodSecurityPolicy, type EksPodFaultOptions, type EksPodStressOptions, type EksPodDeleteOptions, type EksPodNetworkOptions, type EksPodNetworkLatencyOptions,
  type EksPodNetworkPacketLossOptions, type EksPodNetworkBlackholePortOptions, type EksTerminateNodegroupInstancesOptions,
} from './chaos/faults/eks';
export { type Ec2StopInstancesOptions, type Ec2SpotInterruptionOptions, type Ec2InsufficientCapacityOptions } from './chaos/faults/ec2';
export { type EbsPauseVolumeIoOptions, type EbsVolumeIoLatencyOptions } from './chaos/faults/ebs';
export { type SsmSendCommandOptions, type SsmStartAutomationOptions } from './chaos/faults/ssm';
export { type S3PauseReplicationOptions } from './chaos/faults/s3';
export { type ArcStartZonalAutoshiftOptions, ZonalShiftResourceType, ZonalAutoshiftStatus } from './chaos/faults/arc';
export { type CrossRegionConnectivityOptions, type DisruptVpcEndpointOptions } from './chaos/faults/connectivity';
export { type RdsRebootOptions, type DynamoDbPauseReplicationOptions } from './chaos/faults/data';
export { type ElastiCacheAzPowerInterruptionOptions } from './chaos/faults/elasticache';
export { type DisruptConnectivityOptions, ConnectivityScope, type ApiErrorOptions, ApiFaultService } from './chaos/faults/network';
export { GameDay, WeekDay, type GameDayOptions, type WeeklyGameDayOptions, type CronGameDayOptions, type OnceGameDayOptions } from './chaos/game-day';
export { FisLambdaExtension } from './chaos/lambda-extension';
export { Scenario, type AzPowerInterruptionOptions } from './chaos/scenarios';
export { EcsFaultInjection, type EcsFaultInjectionOptions } from './chaos/readiness';
export { EksFaultInjection, type EksFaultInjectionOptions, EksRoleMapping } from './chaos/eks-readiness';

// Guardrails
export { ReliabilityChecks, type ReliabilityChecksProps } from './guardrails/reliability-checks';
export { RuleLevel, type IReliabilityRule, type RuleFinding } from './guardrails/rule';
export {
  type ReliabilityFacts, type FactLocation, type ServiceFacts, type ServiceSloFacts, SloCategory, type AlarmWiringFacts, type MetricDimensionFacts,
  type EscalationFacts, type ExperimentFacts, type AlarmFacts, AlarmResourceType, type ExperimentTemplateFacts, type WorkloadFacts, WorkloadKind,
} from './guardrails/facts';

// Testing helpers
export { ReliabilitySnapshot } from './testing/reliability-snapshot';
export { type ISnapshotSerializer } from './testing/snapshot-serializer';
