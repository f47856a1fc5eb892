/**
 * SLI presets for CloudWatch Application Signals service operations.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { LatencySli, LatencyUnit } from '../latency';
import { RatioSli } from '../ratio';

/** A service operation discovered by Application Signals (the values of its metric dimensions). */
export interface ServiceOperationOptions {
  /** The service's name as Application Signals reports it (dimension `Service`, e.g. `payforadoption`). */
  readonly service: string;
  /** The operation (dimension `Operation`, e.g. `POST /api`). */
  readonly operation: string;
  /** Where the service runs (dimension `Environment`, e.g. `eks:prod/default`, `ecs:prod`, `generic:default`). */
  readonly environment: string;
}

/** Options of `Sli.serviceOperationLatency`. */
export interface ServiceOperationLatencyOptions extends ServiceOperationOptions {
  /** A request is good when the operation answered within this time. */
  readonly threshold: Duration;
}

function signalsMetric(options: ServiceOperationOptions, metricName: string, statistic?: string): Metric {
  return new Metric({
    namespace: 'ApplicationSignals',
    metricName,
    dimensionsMap: { Environment: options.environment, Operation: options.operation, Service: options.service },
    statistic,
  });
}

/**
 * Service operation availability, as Application Signals computes it: `Fault` (`Sum`) over the
 * `SampleCount` of `Latency` (namespace `ApplicationSignals` — no `AWS/` prefix — dimensions
 * Environment, Service, Operation). "Metrics collected by Application Signals"
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AppSignals-MetricsCollected.html):
 * `Fault` is "a count of both HTTP 5XX server-side faults and OpenTelemetry span status errors",
 * and Availability is (1 − Faults / Total) × 100 with the total "derived from SampleCount(Latency)";
 * `Error` (4XX) counts as good. It sees what the instrumented service recorded: requests that never
 * reached it (load balancer, network) or that it never finished are not seen, nor a service whose
 * agent stopped sending — pair it with the load balancer's SLI or `blindAlert`.
 */
export function serviceOperationAvailability(options: ServiceOperationOptions): RatioSli {
  return new RatioSli({
    bad: signalsMetric(options, 'Fault', Stats.SUM),
    total: signalsMetric(options, 'Latency', Stats.SAMPLE_COUNT),
    description: `Fault over Latency samples of ${options.service} ${options.operation} (${options.environment})`,
  });
}

/**
 * Service operation latency: share of the operation's requests whose `Latency` (milliseconds) is
 * within the threshold, read as `TC(:threshold)` over `SampleCount` (namespace
 * `ApplicationSignals`, dimensions Environment, Service, Operation).
 */
export function serviceOperationLatency(options: ServiceOperationLatencyOptions): LatencySli {
  return new LatencySli({ metric: signalsMetric(options, 'Latency'), threshold: options.threshold, unit: LatencyUnit.MILLISECONDS });
}
