/**
 * The chaos experiments of a service, shown with what AWS FIS makes available. FIS publishes no
 * CloudWatch metric per experiment template, so the dashboard shows what each experiment does and
 * how to run it, the runs as its log records them (FIS experiment log, schema version 2), and the
 * state of the alarms that stop it, to be read against the SLO graphs of the same time range.
 */
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ChaosExperiment } from '../chaos/chaos-experiment';
import { chunk, DASHBOARD_LIMITS } from './limits';
import { escapeMarkdown } from './markdown';
import { formatDuration } from '../private/format';

/**
 * One line per event of the experiment log (schema version 2): `id` is the experiment (run),
 * `log_type` what happened, `details` the action and its state or the experiment's state.
 * Target-resolution records are left out.
 */
export const EXPERIMENT_LOG_QUERY = [
  'fields @timestamp, id as run, log_type as event, details.action_name as action, '
    + 'coalesce(details.action_state.status, details.experiment_state.status) as status, '
    + 'coalesce(details.action_state.reason, details.experiment_state.reason, details.error_information) as reason',
  'filter log_type in ["experiment-start", "action-start", "action-error", "action-end", "experiment-end"]',
  'sort @timestamp desc',
  'limit 100',
];

/** The widgets of the experiments section, row by row. */
export function experimentWidgets(experiments: ChaosExperiment[]): cloudwatch.IWidget[][] {
  if (experiments.length === 0) {
    return [];
  }
  const lines = [
    '## Chaos experiments',
    'FIS publishes no metrics per experiment: each run is read from its experiment log below (widen the time range for older runs) '
      + 'and lines up with the SLO graphs above. The stop conditions halt a run when they go into ALARM.',
    ...experiments.map(describeExperiment),
  ];
  const text = new cloudwatch.TextWidget({
    markdown: lines.join('\n\n'),
    width: 24,
    height: Math.min(3 + 4 * experiments.length, 24),
  });
  const stopAlarms = uniqueAlarms(experiments.flatMap((e) => e.stopAlarms()));
  const status = chunk(stopAlarms, DASHBOARD_LIMITS.alarmsPerStatusWidget).filter((a) => a.length > 0)
    .map((alarms) => new cloudwatch.AlarmStatusWidget({ title: 'experiments: stop conditions', alarms, width: 8, height: 6 }));
  const logs = experiments.map((e) => new cloudwatch.LogQueryWidget({
    title: `${e.experimentName}: runs (FIS experiment log)`,
    logGroupNames: [e.logGroup.logGroupName],
    queryLines: EXPERIMENT_LOG_QUERY,
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    width: 8,
    height: 6,
  }));
  return [[text], [...status, ...logs]];
}

/** The experiment in a few lines: what it tests, when it runs, what stops it, how long it takes, how to run it. */
function describeExperiment(experiment: ChaosExperiment): string {
  const stackName = Stack.of(experiment).stackName;
  const prefix = `${experiment.serviceName}/${experiment.experimentName}: `;
  const description = experiment.template.description ?? '';
  const gameDay = experiment.gameDay;
  const schedule = gameDay === undefined
    ? 'none, started by hand or by the game-day runner'
    : `${escapeMarkdown(gameDay.summary)}${gameDay.enabled ? '' : ' (declared, disabled)'}`;
  return [
    `### ${escapeMarkdown(experiment.experimentName)}`,
    escapeMarkdown(description.startsWith(prefix) ? description.slice(prefix.length) : description),
    `- Game day: ${schedule}`,
    `- Stopped when in ALARM: ${experiment.stopAlarms().map(alarmLabel).join(', ')}`,
    `- Runs ${formatDuration(experiment.expectedSeconds, { exact: true })} when nothing stops it (checks and settle time included)`,
    `- Run it: \`npx cdk-reliability gameday --stack ${stackName} --service ${experiment.serviceName} --experiment ${experiment.experimentName}\``,
  ].join('\n');
}

/** An alarm's name (a token until deploy time for alarms of this app: the dashboard shows the name). */
function alarmLabel(alarm: cloudwatch.IAlarm): string {
  return escapeMarkdown(alarm.alarmName);
}

function uniqueAlarms(alarms: cloudwatch.IAlarm[]): cloudwatch.IAlarm[] {
  return alarms.filter((a, i) => alarms.indexOf(a) === i);
}
