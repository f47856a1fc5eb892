/**
 * Checks on what an `ISli` hands the SLO, for SLIs users implement themselves: an `ISli` is an
 * interface, so its `kind`, `validate()` and `bind()` can return anything, throw, or be missing.
 * Each check says what was received and what is allowed; the SLO adds its path and `sli`. Pure.
 */
import { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { isRecord, safeMember, textProblem } from '../slo/validation';
import { countMetrics } from './metrics';
import { SliBinding } from './sli-definition';
import { describeValue, quote } from '../private/describe';

/** CloudWatch metric-math ids: a lowercase letter first, then letters, digits and `_` (GetMetricData, MetricDataQuery Id; at most 255). */
const METRIC_ID = /^[a-z][A-Za-z0-9_]{0,254}$/;
/** CloudWatch: an expression of a MetricDataQuery holds at most 2 048 characters. */
const MAX_EXPRESSION_LENGTH = 2_048;
/**
 * SLI descriptions are repeated in alarm descriptions, which are shortened to CloudWatch's 1 024
 * characters, so any length is accepted up to this sanity bound (the manifest holds them whole).
 */
export const MAX_SLI_DESCRIPTION_LENGTH = 100_000;
/** An SLI's `kind` names it in the manifest and the report: `ratio`, `latency`, or a word of the user's. */
const MAX_KIND_LENGTH = 64;

const SHAPE = '{ usingMetrics, badEvents, totalEvents, metricCount, description }';

/** The message of anything thrown. */
export function thrownMessage(e: unknown): string {
  if (e instanceof Error) {
    return `${e.name}: ${e.message}`;
  }
  return describeValue(e);
}

/** Why `kind` cannot be an SLI's kind, or `undefined`. */
export function kindProblem(kind: unknown): string | undefined {
  const problem = textProblem(kind, MAX_KIND_LENGTH);
  return problem ? `kind ${problem} (\`ratio\`, \`latency\` or a short word of yours)` : undefined;
}

/**
 * Runs `sli.validate()` and returns its messages, or a message saying why its result cannot be
 * used (it threw, or returned something other than a list of strings).
 */
export function runValidate(sli: { validate(): unknown }): string[] {
  let result: unknown;
  try {
    result = sli.validate();
  } catch (e) {
    return [`validate() threw ${thrownMessage(e)}: an ISli's validate() must return its problems as a list of messages, never throw`];
  }
  if (!Array.isArray(result)) {
    return [`validate() must return a list of messages (string[], empty when valid), got ${describeValue(result)}`];
  }
  return Array.from(result, (m) => (typeof m === 'string' && m !== '' ? m : `validate() returned a message that is not a non-empty string: ${describeValue(m)}`));
}

/**
 * Runs `sli.bind()` and checks that the binding is one: metrics keyed by CloudWatch metric-math
 * ids, two expressions, the number of metrics read, and a one-line description.
 */
export function runBind(sli: { bind(): unknown }): { readonly binding?: SliBinding; readonly problems: string[] } {
  let binding: unknown;
  try {
    binding = sli.bind();
  } catch (e) {
    return { problems: [`bind() threw ${thrownMessage(e)}: it must return ${SHAPE} once validate() returned no problem`] };
  }
  const problems = bindingProblems(binding);
  return problems.length > 0 ? { problems } : { binding: binding as SliBinding, problems };
}

function bindingProblems(binding: unknown): string[] {
  if (!isRecord(binding)) {
    return [`bind() must return ${SHAPE}, got ${describeValue(binding)}`];
  }
  const b = binding;
  const problems: string[] = [];
  const add = (field: string, message: string) => problems.push(`bind() returned ${field} that ${message}`);
  let computedCount: number | undefined;
  const metrics = safeMember(b, 'usingMetrics');
  if (!isRecord(metrics) || safeKeys(metrics).length === 0) {
    add('usingMetrics', `is not an object of metrics by id (e.g. { total0: metric }), got ${describeValue(metrics)}`);
  } else {
    computedCount = 0;
    for (const id of safeKeys(metrics)) {
      const metric = safeMember(metrics, id);
      if (!METRIC_ID.test(id)) {
        add(`usingMetrics id ${quote(id)}`, 'is not a CloudWatch metric-math id (a lowercase letter, then letters, digits and _)');
      }
      const count = metricCountOf(metric);
      if (count === undefined) {
        add(`usingMetrics.${id}`, `is not a CloudWatch metric or math expression (IMetric), got ${describeValue(metric)}`);
        computedCount = undefined;
      } else if (computedCount !== undefined) {
        computedCount += count;
      }
    }
  }
  for (const field of ['badEvents', 'totalEvents', 'trafficEvents'] as const) {
    const value = safeMember(b, field);
    if (field === 'trafficEvents' && value === undefined) {
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      add(field, `is not a metric-math expression (a non-empty string such as \`total0\`), got ${describeValue(value)}`);
    } else if (value.length > MAX_EXPRESSION_LENGTH || /\p{Cc}/u.test(value)) {
      add(field, `is not a metric-math expression CloudWatch accepts (at most ${MAX_EXPRESSION_LENGTH} characters, one line), got ${quote(value)}`);
    }
  }
  const count = safeMember(b, 'metricCount');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    add('metricCount', `is not a whole number of metrics >= 1, got ${describeValue(count)}`);
  } else if (computedCount !== undefined && count !== computedCount) {
    add('metricCount', `says ${count}, but usingMetrics reads ${computedCount} metrics (math expressions count the metrics inside them): `
      + 'the 10-metric limit and the cost are computed from it');
  }
  const descriptionProblem = textProblem(safeMember(b, 'description'), MAX_SLI_DESCRIPTION_LENGTH);
  if (descriptionProblem) {
    add('description', `${descriptionProblem} (it is repeated in alarm descriptions, the manifest and the report)`);
  }
  return problems;
}

/** The own enumerable keys of an object, or none when listing them throws (a revoked proxy). */
function safeKeys(value: object): string[] {
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

/** The metrics CloudWatch counts for `metric`, or `undefined` when it is not a metric at all. */
function metricCountOf(metric: unknown): number | undefined {
  if (typeof metric !== 'object' || metric === null || typeof (metric as IMetric).toMetricConfig !== 'function') {
    return undefined;
  }
  try {
    const config = (metric as IMetric).toMetricConfig();
    if (!config || (!config.metricStat && !config.mathExpression)) {
      return undefined;
    }
    return countMetrics(metric as IMetric);
  } catch {
    return undefined;
  }
}
