/**
 * What CloudWatch accepts as a metric's identity, checked before an alarm watches it: a namespace,
 * metric name or dimension that CloudWatch (or CloudFormation) refuses fails the deploy, and one
 * that merely differs from what the service publishes (`"prod "` for stage `prod`) makes the alarms
 * watch a metric that never exists — they stay OK through any outage. Pure.
 *
 * Sources:
 * - CloudWatch API Reference, "Metric": Namespace 1-255 characters, pattern `[^:].*`; MetricName
 *   1-255 characters; at most 30 dimensions.
 * - CloudWatch API Reference, "Dimension": names and values "must contain only ASCII characters and
 *   must include at least one non-whitespace character. ASCII control characters are not
 *   supported"; names 1-255 characters and not starting with a colon.
 * - CloudFormation, `AWS::CloudWatch::Alarm Dimension`: "The value for the dimension, from 1–255
 *   characters in length" (the API allows 1 024; the template is what is deployed).
 * - CloudWatch User Guide, "Concepts — Namespaces": ASCII letters, digits, `.`, `-`, `_`, `/`,
 *   `#`, `:` and space, at least one non-whitespace character, 255 or fewer characters.
 */
import { Token } from 'aws-cdk-lib';
import { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { quote } from '../private/describe';

/** CloudWatch API Reference, "Metric": Namespace and MetricName lengths. */
export const MAX_NAMESPACE_LENGTH = 255;
export const MAX_METRIC_NAME_LENGTH = 255;
/** CloudWatch API Reference, "Dimension": name length. */
export const MAX_DIMENSION_NAME_LENGTH = 255;
/** CloudFormation `AWS::CloudWatch::Alarm Dimension`: value length. */
export const MAX_DIMENSION_VALUE_LENGTH = 255;
/** CloudWatch API Reference, "Metric": dimensions per metric. */
export const MAX_DIMENSIONS = 30;

const NAMESPACE_CHARACTERS = /^[0-9A-Za-z._\-/#: ]*$/;
const CONTROL = /[\x00-\x1f\x7f]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** The hard rules every dimension value meets, or why it does not; `undefined` for tokens (known at deploy). */
export function dimensionValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return `must be a string, got ${typeof value}`;
  }
  if (Token.isUnresolved(value)) {
    return undefined;
  }
  if (value.trim() === '') {
    return `must hold at least one non-whitespace character (CloudWatch), got ${quote(value)}`;
  }
  if (CONTROL.test(value)) {
    return `must not hold control characters such as line breaks or tabs (CloudWatch refuses them in dimension values), got ${quote(value)}`;
  }
  if (NON_ASCII.test(value)) {
    return `must hold ASCII characters only (CloudWatch dimension values), got ${quote(value)}`;
  }
  if (value.length > MAX_DIMENSION_VALUE_LENGTH) {
    return `must be at most ${MAX_DIMENSION_VALUE_LENGTH} characters (CloudFormation, AWS::CloudWatch::Alarm Dimension), got ${value.length}: ${quote(value)}`;
  }
  return undefined;
}

/**
 * Whether a dimension value starts or ends with whitespace. CloudWatch accepts it, but matches
 * dimension values exactly, and AWS services never publish such values (stage, API, function and
 * load balancer names cannot hold spaces): the alarms would watch a metric that never exists.
 */
export function hasSurroundingWhitespace(value: string): boolean {
  return !Token.isUnresolved(value) && value !== value.trim();
}

/** Why `name` cannot be a dimension name, or `undefined`. */
export function dimensionNameProblem(name: string): string | undefined {
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  if (name.trim() === '' || name.length > MAX_DIMENSION_NAME_LENGTH || name.startsWith(':') || CONTROL.test(name) || NON_ASCII.test(name)) {
    return `dimension name ${quote(name)} must be 1 to ${MAX_DIMENSION_NAME_LENGTH} ASCII characters without control characters, `
      + 'not start with a colon and hold a non-whitespace character (CloudWatch API, Dimension)';
  }
  return undefined;
}

/** Why `namespace` cannot be a CloudWatch namespace, or `undefined`. */
export function namespaceProblem(namespace: string): string | undefined {
  if (Token.isUnresolved(namespace)) {
    return undefined;
  }
  if (namespace.length > MAX_NAMESPACE_LENGTH) {
    return `namespace must be at most ${MAX_NAMESPACE_LENGTH} characters (CloudWatch), got ${namespace.length}: ${quote(namespace)}`;
  }
  if (namespace.trim() === '' || namespace.startsWith(':') || !NAMESPACE_CHARACTERS.test(namespace)) {
    return `namespace must use only ASCII letters, digits, '.', '-', '_', '/', '#', ':' and spaces, hold a non-whitespace character `
      + `and not start with a colon (CloudWatch), got ${quote(namespace)}`;
  }
  return undefined;
}

/** Why `name` cannot be a metric name, or `undefined`. */
export function metricNameProblem(name: string): string | undefined {
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  if (name.trim() === '' || name.length > MAX_METRIC_NAME_LENGTH || CONTROL.test(name)) {
    return `metric name must be 1 to ${MAX_METRIC_NAME_LENGTH} characters without control characters (CloudWatch), got ${quote(name)}`;
  }
  return undefined;
}

/** One leaf metric (not a math expression) of an SLI, as CloudWatch would be asked for it. */
export interface LeafMetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ readonly name: string; readonly value: unknown }>;
}

/** Every metric an SLI's metrics read, math expressions opened (recursively). */
export function leafMetricIdentities(metrics: Iterable<IMetric>): LeafMetricIdentity[] {
  const out: LeafMetricIdentity[] = [];
  const visit = (metric: IMetric) => {
    const config = metric.toMetricConfig();
    if (config.metricStat) {
      const s = config.metricStat;
      out.push({ namespace: s.namespace, metricName: s.metricName, dimensions: (s.dimensions ?? []).map((d) => ({ name: d.name, value: d.value })) });
    }
    Object.values(config.mathExpression?.usingMetrics ?? {}).forEach(visit);
  };
  for (const metric of metrics) {
    visit(metric);
  }
  return out;
}

/** `AWS/ApiGateway Count`, for messages. */
export function metricLabel(metric: LeafMetricIdentity): string {
  return `${metric.namespace} ${metric.metricName}`;
}

/** A problem of one metric: its label, the dimension concerned (if any) and what is wrong. */
export interface MetricIdentityProblem {
  readonly metric: string;
  /** @default - the namespace, metric name or dimension count */
  readonly dimension?: string;
  /** The dimension value concerned. @default - none */
  readonly value?: string;
  readonly message: string;
}

/**
 * The hard problems of every metric (what CloudWatch or CloudFormation refuses), and, separately,
 * the dimension values with surrounding whitespace (accepted, but almost surely a mistake).
 */
export function metricIdentityProblems(metrics: Iterable<IMetric>): { readonly refused: MetricIdentityProblem[]; readonly whitespace: MetricIdentityProblem[] } {
  const refused: MetricIdentityProblem[] = [];
  const whitespace: MetricIdentityProblem[] = [];
  for (const metric of leafMetricIdentities(metrics)) {
    const label = metricLabel(metric);
    for (const problem of [namespaceProblem(metric.namespace), metricNameProblem(metric.metricName)]) {
      if (problem) {
        refused.push({ metric: label, message: problem });
      }
    }
    if (metric.dimensions.length > MAX_DIMENSIONS) {
      refused.push({ metric: label, message: `has ${metric.dimensions.length} dimensions; CloudWatch allows at most ${MAX_DIMENSIONS}` });
    }
    for (const d of metric.dimensions) {
      const nameProblem = dimensionNameProblem(d.name);
      if (nameProblem) {
        refused.push({ metric: label, dimension: d.name, message: nameProblem });
        continue;
      }
      const valueProblem = dimensionValueProblem(d.value);
      if (valueProblem) {
        refused.push({ metric: label, dimension: d.name, value: String(d.value), message: `dimension ${d.name} ${valueProblem}` });
      } else if (typeof d.value === 'string' && hasSurroundingWhitespace(d.value)) {
        whitespace.push({
          metric: label, dimension: d.name, value: d.value,
          message: `dimension ${d.name} starts or ends with whitespace: ${quote(d.value)} (CloudWatch matches dimension values exactly)`,
        });
      }
    }
  }
  return { refused, whitespace };
}
