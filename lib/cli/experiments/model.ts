/**
 * One shape for an FIS experiment template, whether it comes from the FIS API (camelCase, literal
 * values) or from a synthesized CloudFormation template (PascalCase, values may be intrinsics,
 * shown with `renderValue`). Pure.
 */
import type { Template } from '../assembly';
import type { SchedulableAction } from './schedule';
import { renderList, renderValue } from '../../private/template-value';

/** The tags every experiment template of cdk-reliability carries (the contract with `lib/chaos`). */
export { EXPERIMENT_TAGS } from '../../chaos/tags';

/** FIS action ids the CLI treats specially. */
export const ACTION_IDS = {
  assertAlarmState: 'aws:cloudwatch:assert-alarm-state',
  wait: 'aws:fis:wait',
} as const;

export interface PlanTarget {
  readonly name: string;
  readonly resourceType: string;
  readonly resourceArns: readonly string[];
  readonly resourceTags: Readonly<Record<string, string>>;
  readonly selectionMode: string;
  readonly filters: ReadonlyArray<{ readonly path: string; readonly values: readonly string[] }>;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface PlanAction extends SchedulableAction {
  readonly name: string;
  readonly actionId: string;
  /** @default - none */
  readonly description?: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Target key of the action (`Functions`) → target name in the template. */
  readonly targets: Readonly<Record<string, string>>;
  readonly startAfter: readonly string[];
  /** The `duration` parameter. @default - none */
  readonly duration?: string;
  /** For `aws:cloudwatch:assert-alarm-state`: the names of the alarms it checks. */
  readonly alarmNames: readonly string[];
}

export interface PlanStopCondition {
  /** `aws:cloudwatch:alarm` or `none`. */
  readonly source: string;
  /** The alarm ARN (or, offline, its rendered intrinsic). @default - none */
  readonly value?: string;
  /** The alarm name, when known from the ARN or the template. @default - unknown */
  readonly alarmName?: string;
}

/** An experiment template, normalised. */
export interface ExperimentPlan {
  /** The FIS template id (`EXT...`) or, offline, the resource's logical id. */
  readonly id: string;
  readonly origin: 'fis' | 'assembly';
  /** @default - none */
  readonly description?: string;
  /** @default - none */
  readonly roleArn?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** In the template's order; see `executionStages` for the execution order. */
  readonly actions: readonly PlanAction[];
  readonly targets: Readonly<Record<string, PlanTarget>>;
  readonly stopConditions: readonly PlanStopCondition[];
  /** Where FIS writes the experiment log (log group ARN, `s3://bucket/prefix`). */
  readonly logDestinations: readonly string[];
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property by its FIS API (camelCase) or CloudFormation (PascalCase) name. */
function prop(object: unknown, camelName: string): unknown {
  if (!isRecord(object)) {
    return undefined;
  }
  const pascal = camelName[0].toUpperCase() + camelName.slice(1);
  return object[camelName] ?? object[pascal];
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : renderValue(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) {
      out[key] = renderValue(v);
    }
  }
  return out;
}

/** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` → name; undefined for anything else. */
export function alarmNameFromArn(arn: string): string | undefined {
  return /^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn.trim())?.[1];
}

/**
 * The names of the alarms a value refers to: ARNs in strings (comma-separated lists too) and,
 * with a template, `Ref`/`Fn::GetAtt` of its alarm resources (their literal `AlarmName`, or the
 * logical id when the name is generated).
 */
export function alarmNamesIn(value: unknown, template?: Template): string[] {
  const names: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const part of v.split(',')) {
        const name = alarmNameFromArn(part);
        if (name) names.push(name);
      }
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isRecord(v)) {
      const ref = typeof v.Ref === 'string' ? v.Ref
        : Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string' ? v['Fn::GetAtt'][0] as string
          : typeof v['Fn::GetAtt'] === 'string' ? v['Fn::GetAtt'].split('.')[0] : undefined;
      const resource = ref ? template?.Resources?.[ref] : undefined;
      if (ref && resource && (resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm')) {
        const alarmName = resource.Properties?.AlarmName;
        names.push(typeof alarmName === 'string' ? alarmName : ref);
      } else {
        Object.values(v).forEach(visit);
      }
    }
  };
  visit(value);
  return [...new Set(names)];
}

function normaliseTarget(name: string, raw: unknown): PlanTarget {
  const filters = Array.isArray(prop(raw, 'filters')) ? (prop(raw, 'filters') as unknown[]) : [];
  return {
    name,
    resourceType: text(prop(raw, 'resourceType')) ?? '(no resource type)',
    resourceArns: renderList(prop(raw, 'resourceArns')),
    resourceTags: stringMap(prop(raw, 'resourceTags')),
    selectionMode: text(prop(raw, 'selectionMode')) ?? 'ALL',
    filters: filters.map((f) => ({ path: text(prop(f, 'path')) ?? '', values: renderList(prop(f, 'values')) })),
    parameters: stringMap(prop(raw, 'parameters')),
  };
}

function normaliseAction(name: string, raw: unknown, template?: Template): PlanAction {
  const rawParameters = prop(raw, 'parameters');
  const parameters = stringMap(rawParameters);
  const actionId = text(prop(raw, 'actionId')) ?? '(no action id)';
  return {
    name,
    actionId,
    description: text(prop(raw, 'description')),
    parameters,
    targets: stringMap(prop(raw, 'targets')),
    startAfter: renderList(prop(raw, 'startAfter')),
    duration: parameters.duration,
    alarmNames: actionId === ACTION_IDS.assertAlarmState && isRecord(rawParameters)
      ? alarmNamesIn(rawParameters.alarmArns, template) : [],
  };
}

function logDestinations(raw: unknown): string[] {
  const destinations: string[] = [];
  const logGroup = prop(prop(raw, 'cloudWatchLogsConfiguration'), 'logGroupArn');
  if (logGroup !== undefined) {
    destinations.push(renderValue(logGroup));
  }
  const s3 = prop(raw, 's3Configuration');
  if (s3 !== undefined) {
    const prefix = text(prop(s3, 'prefix'));
    destinations.push(`s3://${text(prop(s3, 'bucketName')) ?? ''}${prefix ? `/${prefix}` : ''}`);
  }
  return destinations;
}

/**
 * Normalises an experiment template: `GetExperimentTemplate`'s `experimentTemplate` (origin
 * `fis`) or the `Properties` of an `AWS::FIS::ExperimentTemplate` resource (origin `assembly`,
 * with its `template` to name alarms).
 */
export function normaliseExperimentTemplate(id: string, origin: 'fis' | 'assembly', raw: unknown, template?: Template): ExperimentPlan {
  const targets: Record<string, PlanTarget> = {};
  const rawTargets = prop(raw, 'targets');
  if (isRecord(rawTargets)) {
    for (const [name, target] of Object.entries(rawTargets)) {
      targets[name] = normaliseTarget(name, target);
    }
  }
  const rawActions = prop(raw, 'actions');
  const actions = isRecord(rawActions)
    ? Object.entries(rawActions).map(([name, action]) => normaliseAction(name, action, template)) : [];
  const rawStops = prop(raw, 'stopConditions');
  const stopConditions = (Array.isArray(rawStops) ? rawStops : []).map((s): PlanStopCondition => {
    const value = prop(s, 'value');
    return {
      source: text(prop(s, 'source')) ?? 'none',
      value: text(value),
      alarmName: alarmNamesIn(value, template)[0],
    };
  });
  return {
    id,
    origin,
    description: text(prop(raw, 'description')),
    roleArn: text(prop(raw, 'roleArn')),
    tags: stringMap(prop(raw, 'tags')),
    actions,
    targets,
    stopConditions,
    logDestinations: logDestinations(prop(raw, 'logConfiguration')),
  };
}

/** The names of the stop-condition alarms. */
export function stopConditionAlarms(plan: ExperimentPlan): string[] {
  return [...new Set(plan.stopConditions.flatMap((s) => (s.alarmName ? [s.alarmName] : [])))];
}
