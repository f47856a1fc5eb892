/**
 * Reading an SLO's alarms back out of a synthesized CloudFormation template, so that they can be
 * evaluated exactly as deployed: the expression text, the metrics and their statistics, the
 * period, the threshold, and the composite rules with their suppressor. Pure.
 */
import { renderValue } from '../private/template-value';
import { parseAlarmRule, ruleAlarms, RuleNode } from './alarm-rule';
import { MathNode, parseMetricMath } from './metric-math';

/**
 * One metric an alarm reads, as its `MetricStat` names it: what CloudWatch stores datapoints under
 * (namespace, name, dimensions), the statistic the alarm asks for, and the unit filter if any.
 */
export interface ModelMetric {
  readonly namespace: string;
  readonly metricName: string;
  /**
   * Dimension values by name. Values known only at deploy time read as the manifest shows them:
   * `${Lb1928D9D6.LoadBalancerFullName}`, `${Fn9270CBC0}`.
   */
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
  /** The alarm's unit filter. @default - none: every unit */
  readonly unit?: string;
}

/** A metric-math alarm as synthesized. */
export interface WindowAlarmModel {
  readonly logicalId: string;
  readonly name: string;
  readonly expressionText: string;
  readonly expression: MathNode;
  readonly metrics: Record<string, ModelMetric>;
  /**
   * The alarm's other math expressions by id (entries with `ReturnData: false` and an
   * `Expression`, e.g. a user's `m1 + m2` inside an SLI). @default - none
   */
  readonly expressions?: Record<string, string>;
  readonly periodSeconds: number;
  /** How many of the most recent datapoints the alarm evaluates (`EvaluationPeriods`). */
  readonly evaluationPeriods: number;
  /** How many of them must breach (`DatapointsToAlarm`, which defaults to `EvaluationPeriods`). */
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: string;
  readonly treatMissingData: string;
}

/** A composite alarm as synthesized; its rule names alarms by logical id. */
export interface CompositeAlarmModel {
  readonly logicalId: string;
  readonly name: string;
  readonly rule: RuleNode;
  /** Logical id of the actions suppressor. @default - none */
  readonly suppressor?: string;
  readonly suppressorWaitSeconds: number;
  readonly suppressorExtensionSeconds: number;
}

/** The alarms of one SLO. */
export interface SloAlarmModel {
  readonly windowAlarms: WindowAlarmModel[];
  readonly composites: CompositeAlarmModel[];
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

/** `{ Fn::GetAtt: [id, 'Arn'] }` or `{ Ref: id }` -> id. */
function referencedLogicalId(value: any): string | undefined {
  if (value && typeof value === 'object') {
    if (Array.isArray(value['Fn::GetAtt'])) {
      return value['Fn::GetAtt'][0];
    }
    if (typeof value.Ref === 'string') {
      return value.Ref;
    }
  }
  return undefined;
}

/** An AlarmRule (a string or an Fn::Join of strings and alarm references) with references as logical ids. */
function ruleText(rule: any): string {
  if (typeof rule === 'string') {
    return rule;
  }
  if (rule && Array.isArray(rule['Fn::Join'])) {
    const [sep, parts] = rule['Fn::Join'];
    return (parts as any[]).map((p) => (typeof p === 'string' ? p : referencedLogicalId(p) ?? '<unknown>')).join(sep);
  }
  throw new Error('composite alarm: unsupported AlarmRule shape');
}

/** A `MetricStat` as a model metric, dimensions sorted by name and rendered as the manifest renders them. */
function modelMetric(stat: Record<string, any>): ModelMetric {
  const metric = stat.Metric ?? {};
  const dimensions: [string, string][] = (Array.isArray(metric.Dimensions) ? metric.Dimensions : [])
    .map((d: { Name: string; Value: unknown }) => [String(d.Name), renderValue(d.Value)] as [string, string]);
  dimensions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions: Object.fromEntries(dimensions),
    statistic: stat.Stat,
    ...(typeof stat.Unit === 'string' ? { unit: stat.Unit } : {}),
  };
}

function windowAlarm(logicalId: string, p: Record<string, any>): WindowAlarmModel {
  const entries: any[] = p.Metrics ?? [];
  const returned = entries.filter((m) => m.ReturnData !== false);
  if (returned.length !== 1 || typeof returned[0].Expression !== 'string') {
    throw new Error(`alarm ${p.AlarmName ?? logicalId}: expected one returned metric-math expression`);
  }
  const metrics: Record<string, ModelMetric> = {};
  const expressions: Record<string, string> = {};
  let periodSeconds = 0;
  for (const m of entries) {
    if (m.MetricStat) {
      metrics[m.Id] = modelMetric(m.MetricStat);
      periodSeconds = m.MetricStat.Period;
    } else if (typeof m.Expression === 'string' && m !== returned[0]) {
      expressions[m.Id] = m.Expression;
    }
  }
  return {
    logicalId,
    name: p.AlarmName ?? logicalId,
    expressionText: returned[0].Expression,
    expression: parseMetricMath(returned[0].Expression),
    metrics,
    expressions,
    periodSeconds,
    evaluationPeriods: p.EvaluationPeriods ?? 1,
    datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods ?? 1,
    threshold: p.Threshold,
    comparisonOperator: p.ComparisonOperator,
    treatMissingData: p.TreatMissingData ?? 'missing',
  };
}

/**
 * The alarms of SLO `sloName` of service `serviceName`: its composites (`<service>-<slo>-page`,
 * `<service>-<slo>-ticket`) and every alarm their rules read.
 */
export function sloAlarmsFromTemplate(template: { Resources?: Record<string, CfnResource> }, serviceName: string, sloName: string): SloAlarmModel {
  const resources = template.Resources ?? {};
  const wanted = new Set([`${serviceName}-${sloName}-page`, `${serviceName}-${sloName}-ticket`]);
  const composites: CompositeAlarmModel[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::CloudWatch::CompositeAlarm' && wanted.has(r.Properties?.AlarmName)) {
      const p = r.Properties!;
      composites.push({
        logicalId,
        name: p.AlarmName,
        rule: parseAlarmRule(ruleText(p.AlarmRule)),
        suppressor: referencedLogicalId(p.ActionsSuppressor),
        suppressorWaitSeconds: p.ActionsSuppressorWaitPeriod ?? 0,
        suppressorExtensionSeconds: p.ActionsSuppressorExtensionPeriod ?? 0,
      });
    }
  }
  if (composites.length === 0) {
    throw new Error(`no composite alarm named ${[...wanted].join(' or ')} in the template: is '${serviceName}/${sloName}' a service and SLO of this stack?`);
  }
  const ids = new Set<string>();
  composites.forEach((c) => ruleAlarms(c.rule, ids));
  const windowAlarms = [...ids].sort().map((id) => {
    const r = resources[id];
    if (!r || r.Type !== 'AWS::CloudWatch::Alarm') {
      throw new Error(`composite rule reads ${id}, which is not a metric alarm of this template`);
    }
    return windowAlarm(id, r.Properties ?? {});
  });
  return { windowAlarms, composites };
}
