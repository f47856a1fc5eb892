/**
 * The plan of an experiment as text: what it is, its actions in execution order (parallel actions
 * grouped), what each one does to which targets, its stop conditions and how long it should take.
 * Pure.
 */
import { columns, formatDuration } from '../render';
import { EXPERIMENT_TAGS, ExperimentPlan, PlanAction, PlanTarget } from './model';
import { executionStages, expectedDuration } from './schedule';
import { joinAnd } from '../../private/format';

function targetLines(target: PlanTarget | undefined, key: string, targetName: string, indent: string): string[] {
  if (!target) {
    return [`${indent}target ${key}: ${targetName} (not defined in the template)`];
  }
  const lines = [`${indent}target ${key}: ${targetName} — ${target.resourceType}, selection ${target.selectionMode}`];
  for (const arn of target.resourceArns) {
    lines.push(`${indent}  ${arn}`);
  }
  const tags = Object.entries(target.resourceTags);
  if (tags.length > 0) {
    lines.push(`${indent}  resources tagged ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
  for (const filter of target.filters) {
    lines.push(`${indent}  filter ${filter.path} in [${filter.values.join(', ')}]`);
  }
  for (const [name, value] of Object.entries(target.parameters)) {
    lines.push(`${indent}  ${name}: ${value}`);
  }
  if (target.resourceArns.length === 0 && tags.length === 0 && Object.keys(target.parameters).length === 0) {
    lines.push(`${indent}  (no resources, tags or parameters)`);
  }
  return lines;
}

function actionLines(action: PlanAction, plan: ExperimentPlan, head: string, indent: string): string[] {
  const after = action.startAfter.length ? `  (after ${joinAnd(action.startAfter)})` : '';
  const lines = [`${head}${action.name}  ${action.actionId}${after}`];
  if (action.description) {
    lines.push(`${indent}${action.description}`);
  }
  const rows: Array<[string, string]> = Object.entries(action.parameters);
  if (plan.origin === 'assembly' && action.alarmNames.length) {
    rows.push(['(alarms)', action.alarmNames.join(', ')]);
  }
  lines.push(...columns(rows, indent));
  for (const [key, targetName] of Object.entries(action.targets)) {
    lines.push(...targetLines(plan.targets[targetName], key, targetName, indent));
  }
  return lines;
}

/** Where the template was read from, for the heading. */
export interface PlanSource {
  /** `FIS template in eu-west-1` or `cdk.out/Shop.template.json`. */
  readonly where: string;
}

/** The plan as lines of text. */
export function formatPlan(plan: ExperimentPlan, source: PlanSource): string[] {
  const name = plan.tags[EXPERIMENT_TAGS.name] ?? plan.id;
  const lines = [`Experiment ${name} — ${plan.id} (${source.where})`];
  if (plan.description) {
    lines.push(`  ${plan.description}`);
  }
  const identity = [
    ['stack', plan.tags[EXPERIMENT_TAGS.stack]],
    ['service', plan.tags[EXPERIMENT_TAGS.service]],
    ['experiment', plan.tags[EXPERIMENT_TAGS.experiment]],
  ].filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
  if (identity.length) {
    lines.push(`  ${identity.join(' · ')}`);
  }
  const facts: Array<[string, string]> = [];
  if (plan.roleArn) facts.push(['role', plan.roleArn]);
  for (const destination of plan.logDestinations) facts.push(['log', destination]);
  lines.push(...columns(facts, '  ', 1));

  lines.push('');
  if (plan.actions.length === 0) {
    lines.push('Plan: no actions.');
  } else {
    const stages = executionStages(plan.actions);
    const expected = expectedDuration(plan.actions);
    const steps = `${plan.actions.length} action${plan.actions.length === 1 ? '' : 's'} in ${stages.length} step${stages.length === 1 ? '' : 's'}`;
    lines.push(`Plan: ${steps}, expected duration ${formatDuration(expected.seconds)}`
      + (expected.path.length > 1 ? ` (longest path: ${expected.path.join(' → ')})` : ''));
    stages.forEach((stage, i) => {
      const number = `  ${i + 1}. `;
      const indent = ' '.repeat(number.length + 2);
      if (stage.length === 1) {
        lines.push(...actionLines(stage[0], plan, number, indent));
      } else {
        lines.push(`${number}in parallel:`);
        for (const action of stage) {
          lines.push(...actionLines(action, plan, `${' '.repeat(number.length)}- `, `${indent}  `));
        }
      }
    });
    if (expected.unreadable.length) {
      lines.push(`  (the duration of ${joinAnd(expected.unreadable)} is not an ISO 8601 duration; counted as 0)`);
    }
  }

  lines.push('');
  const alarms = plan.stopConditions.filter((s) => s.source !== 'none');
  if (alarms.length === 0) {
    lines.push('Stop conditions: none — nothing stops this experiment early if customers are hurt.');
  } else {
    lines.push('Stop conditions: FIS stops the experiment when one of these alarms is in ALARM');
    lines.push(...columns(alarms.map((s) => [s.alarmName ?? s.source, s.value ?? ''] as [string, string])));
  }
  return lines;
}
