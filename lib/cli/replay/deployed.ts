/**
 * Deploy-time values in the synthesized alarms' metrics (`FunctionName=${SearchHandler00CE2B50}`,
 * `LoadBalancer=${Lb1928D9D6.LoadBalancerFullName}`), filled in from the deployed alarms: a
 * deployed window alarm reads the same metrics under the same ids as its template, with the values
 * resolved. A value learned from one alarm fills it everywhere in the stack, so the alarms of a
 * pull request's assembly (`diff --replay`) read the deployed resources too. Pure.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { ModelMetric, SloAlarmModel } from '../../simulation/template-alarms';

/** A value only known once deployed, as the template model renders it. */
const DEPLOY_TIME = /\$\{[^}]*\}/g;

function placeholders(text: string): string[] {
  return text.match(DEPLOY_TIME) ?? [];
}

/** The metric's texts that may hold deploy-time values, by where they are. */
function fields(metric: ModelMetric): Array<[string, string]> {
  return [['namespace', metric.namespace], ['metric name', metric.metricName], ...Object.entries(metric.dimensions)];
}

/** `FunctionName=${SearchHandler00CE2B50}` for each deploy-time value of the model's metrics. */
export function deployTimeValues(model: SloAlarmModel): string[] {
  const out = new Set<string>();
  for (const alarm of model.windowAlarms) {
    for (const metric of Object.values(alarm.metrics)) {
      for (const [name, value] of fields(metric)) {
        if (placeholders(value).length > 0) {
          out.add(`${name}=${value}`);
        }
      }
    }
  }
  return [...out];
}

/** The window alarm names of the models (those that are literal). */
export function windowAlarmNamesOf(models: readonly SloAlarmModel[]): string[] {
  return [...new Set(models.flatMap((m) => m.windowAlarms.map((a) => a.name)))].filter((n) => placeholders(n).length === 0);
}

/**
 * Placeholder -> deployed value, learned from each window alarm of `models` that is deployed: a
 * template value that is exactly one placeholder takes the deployed alarm's value of the same
 * metric id and dimension.
 */
export function learnDeployedValues(models: readonly SloAlarmModel[], deployed: ReadonlyMap<string, MetricAlarm>): Map<string, string> {
  const values = new Map<string, string>();
  const learn = (template: string, actual: string | undefined) => {
    if (actual !== undefined && placeholders(template).length === 1 && placeholders(template)[0] === template && !values.has(template)) {
      values.set(template, actual);
    }
  };
  for (const model of models) {
    for (const alarm of model.windowAlarms) {
      const live = deployed.get(alarm.name);
      for (const [id, metric] of Object.entries(alarm.metrics)) {
        const stat = live?.Metrics?.find((q) => q.Id === id)?.MetricStat?.Metric;
        if (!stat) {
          continue;
        }
        learn(metric.namespace, stat.Namespace);
        learn(metric.metricName, stat.MetricName);
        for (const [name, value] of Object.entries(metric.dimensions)) {
          learn(value, stat.Dimensions?.find((d) => d.Name === name)?.Value);
        }
      }
    }
  }
  return values;
}

/** The model with deploy-time values filled in, or the values no deployed alarm gave. */
export function resolveModel(model: SloAlarmModel, values: ReadonlyMap<string, string>): { model: SloAlarmModel; missing: string[] } {
  const missing = new Set<string>();
  const fill = (name: string, text: string) => text.replace(DEPLOY_TIME, (token) => {
    const found = values.get(token);
    if (found === undefined) {
      missing.add(`${name}=${text}`);
      return token;
    }
    return found;
  });
  const resolved: SloAlarmModel = {
    ...model,
    windowAlarms: model.windowAlarms.map((alarm) => ({
      ...alarm,
      metrics: Object.fromEntries(Object.entries(alarm.metrics).map(([id, m]) => [id, {
        ...m,
        namespace: fill('namespace', m.namespace),
        metricName: fill('metric name', m.metricName),
        dimensions: Object.fromEntries(Object.entries(m.dimensions).map(([name, value]) => [name, fill(name, value)])),
      }])),
    })),
  };
  return { model: resolved, missing: [...missing] };
}
