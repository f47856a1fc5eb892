/**
 * Cheap checks of a synthesized template against what CloudFormation and the services behind it
 * accept (lengths, patterns, ranges, references), run on every case that synthesizes. They are
 * independent of the library's own validation: they restate the AWS limits, not its code.
 * aws-cdk-lib's full CloudFormation validator runs on a sample (cfn-validator.fuzz.test.ts).
 */

const PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::Partition', 'AWS::Region', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId',
  'AWS::NoValue', 'AWS::NotificationARNs']);
const PSEUDO_LENGTHS: Record<string, number> = { 'AWS::AccountId': 12, 'AWS::Partition': 10, 'AWS::Region': 14, 'AWS::URLSuffix': 16 };
/** What a deploy-time reference is assumed to expand to, in characters. */
const REFERENCE_LENGTH = 128;
const LOG_RETENTION_DAYS = new Set([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);
const ISO_DURATION = /^PT(\d+H)?(\d+M)?(\d+S)?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A number written with an exponent, which CloudWatch metric math and statistics do not read. */
const EXPONENT = /(?<![A-Za-z0-9_.])\d+(\.\d+)?[eE][+-]?\d+/;
const NOT_A_NUMBER = /\b(NaN|Infinity|undefined)\b|\[object /;

type Json = any;

/** CloudFormation quotes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). */
const CFN_LIMITS = { templateBytes: 1_000_000, resources: 500, parameters: 200, outputs: 200, logicalIdLength: 255, descriptionBytes: 1024 };
/** A value a missing or NaN input becomes once interpolated: `arn:…:secret:undefined-??????`, `…/NaN/…`. */
const INTERPOLATED_NOTHING = /(^|[:/=,;\s"])(undefined|NaN|null|\[object Object\])(?=$|[-:/,;\s"?*])/;

/** Every problem of a template, as readable lines (empty when it looks deployable). */
export function templateProblems(template: Json): string[] {
  const problems: string[] = [];
  const resources: Record<string, Json> = template.Resources ?? {};
  const parameters: Record<string, Json> = template.Parameters ?? {};
  const add = (id: string, message: string) => problems.push(`${id}: ${message}`);

  let text: string | undefined;
  try {
    text = JSON.stringify(template);
  } catch (e) {
    add('Template', `is not JSON-serialisable: ${(e as Error).message}`);
  }
  if (text !== undefined) {
    if (Buffer.byteLength(text) > CFN_LIMITS.templateBytes) {
      add('Template', `is ${Buffer.byteLength(text)} bytes; CloudFormation takes at most ${CFN_LIMITS.templateBytes}`);
    }
    if (LONE_SURROGATE.test(text)) {
      add('Template', 'holds a lone UTF-16 surrogate (a character cut in half): not valid UTF-8');
    }
  }
  if (Object.keys(resources).length > CFN_LIMITS.resources) {
    add('Template', `declares ${Object.keys(resources).length} resources; CloudFormation allows ${CFN_LIMITS.resources}`);
  }
  if (Object.keys(parameters).length > CFN_LIMITS.parameters || Object.keys(template.Outputs ?? {}).length > CFN_LIMITS.outputs) {
    add('Template', `declares more than ${CFN_LIMITS.parameters} parameters or ${CFN_LIMITS.outputs} outputs`);
  }
  if (typeof template.Description === 'string' && Buffer.byteLength(template.Description) > CFN_LIMITS.descriptionBytes) {
    add('Template', `Description is over ${CFN_LIMITS.descriptionBytes} bytes`);
  }
  for (const id of [...Object.keys(resources), ...Object.keys(parameters), ...Object.keys(template.Outputs ?? {})]) {
    if (!/^[A-Za-z0-9]+$/.test(id) || id.length > CFN_LIMITS.logicalIdLength) {
      add(id, `is not a logical id CloudFormation accepts (alphanumeric, at most ${CFN_LIMITS.logicalIdLength} characters)`);
    }
  }

  for (const [id, resource] of Object.entries(resources)) {
    walk(resource.Properties ?? {}, (value, where) => {
      if (value === null) {
        add(id, `${where} is null (a NaN, Infinity or undefined that reached the template)`);
      } else if (typeof value === 'number' && !Number.isFinite(value)) {
        add(id, `${where} is ${value}`);
      } else if (typeof value === 'string') {
        if (LONE_SURROGATE.test(value)) {
          add(id, `${where} holds a lone UTF-16 surrogate (a character cut in half): ${JSON.stringify(value.slice(-40))}`);
        }
        if (value.includes('${Token[')) {
          add(id, `${where} holds an unresolved token: ${value.slice(0, 80)}`);
        }
        if (value.includes('[object Object]')) {
          add(id, `${where} holds '[object Object]': ${value.slice(0, 120)}`);
        }
      } else if (typeof value === 'object' && !Array.isArray(value)) {
        if (typeof value.Ref === 'string' && !(value.Ref in resources) && !(value.Ref in parameters) && !PSEUDO_PARAMETERS.has(value.Ref)) {
          add(id, `${where} refers to '${value.Ref}', which the template does not declare`);
        }
        if (Array.isArray(value['Fn::GetAtt']) && !(value['Fn::GetAtt'][0] in resources)) {
          add(id, `${where} reads an attribute of '${value['Fn::GetAtt'][0]}', which the template does not declare`);
        }
      }
    });
    for (const [where, value] of interpolatedValues(resource)) {
      if (typeof value === 'string' && INTERPOLATED_NOTHING.test(value)) {
        add(id, `${where} holds a missing value interpolated as text: ${JSON.stringify(value.slice(0, 120))}`);
      }
    }
    for (const tag of Array.isArray(resource.Properties?.Tags) ? resource.Properties.Tags : []) {
      checkTag(tag?.Key, tag?.Value, (m) => add(id, m));
    }
    const check = CHECKS[resource.Type];
    if (check) {
      check(resource.Properties ?? {}, (m) => add(id, m), { resources, resourceId: id });
    }
  }
  return problems;
}

interface Context {
  readonly resources: Record<string, Json>;
  readonly resourceId: string;
}

type Check = (props: Json, add: (message: string) => void, context: Context) => void;

const CHECKS: Record<string, Check> = {
  'AWS::CloudWatch::Alarm': (p, add) => {
    maxLength(p.AlarmName, 255, 'AlarmName', add);
    noControlCharacters(p.AlarmName, 'AlarmName', add);
    maxLength(p.AlarmDescription, 1024, 'AlarmDescription', add);
    if (typeof p.Threshold !== 'number' || !Number.isFinite(p.Threshold)) {
      add(`Threshold must be a finite number, got ${JSON.stringify(p.Threshold)}`);
    }
    if (!Number.isInteger(p.EvaluationPeriods) || p.EvaluationPeriods < 1) {
      add(`EvaluationPeriods must be a whole number >= 1, got ${p.EvaluationPeriods}`);
    }
    if (p.Metrics !== undefined) {
      const metrics: Json[] = p.Metrics;
      const ids = metrics.map((m) => m.Id);
      ids.filter((i) => typeof i !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(i)).forEach((i) => add(`metric id ${JSON.stringify(i)} is not [a-z][a-zA-Z0-9_]*`));
      if (new Set(ids).size !== ids.length) {
        add(`metric ids are not unique: ${ids.join(', ')}`);
      }
      const stats = metrics.filter((m) => m.MetricStat);
      if (stats.length > 10) {
        add(`a metric-math alarm reads ${stats.length} metrics; CloudWatch allows 10`);
      }
      if (metrics.filter((m) => m.ReturnData !== false).length !== 1) {
        add('exactly one entry of Metrics must return data');
      }
      for (const m of metrics) {
        if (typeof m.Expression === 'string') {
          if (EXPONENT.test(m.Expression) || NOT_A_NUMBER.test(m.Expression)) {
            add(`expression ${m.Id} is not valid metric math: ${m.Expression}`);
          }
        }
        const stat = m.MetricStat;
        if (stat) {
          if (typeof stat.Stat === 'string' && (EXPONENT.test(stat.Stat) || NOT_A_NUMBER.test(stat.Stat))) {
            add(`statistic of ${m.Id} is not valid: ${stat.Stat}`);
          }
          checkPeriod(stat.Period, `period of ${m.Id}`, add);
        }
        if (m.Period !== undefined) {
          checkPeriod(m.Period, `period of ${m.Id}`, add);
        }
      }
    } else {
      checkPeriod(p.Period, 'Period', add);
    }
  },
  'AWS::CloudWatch::CompositeAlarm': (p, add, c) => {
    maxLength(p.AlarmName, 255, 'AlarmName', add);
    noControlCharacters(p.AlarmName, 'AlarmName', add);
    maxLength(p.AlarmDescription, 1024, 'AlarmDescription', add);
    const ruleLength = estimatedLength(p.AlarmRule, c.resources);
    if (ruleLength > 10_240) {
      add(`AlarmRule would be about ${ruleLength} characters once alarm ARNs are resolved; CloudWatch allows 10240`);
    }
  },
  'AWS::CloudWatch::Dashboard': (p, add) => {
    if (typeof p.DashboardName === 'string' && !/^[A-Za-z0-9_-]{1,255}$/.test(p.DashboardName)) {
      add(`DashboardName must be 1-255 of [A-Za-z0-9_-], got ${JSON.stringify(p.DashboardName)}`);
    }
  },
  'AWS::FIS::ExperimentTemplate': (p, add) => {
    maxLength(p.Description, 512, 'Description', add);
    const actions: Record<string, Json> = p.Actions ?? {};
    const targets: Record<string, Json> = p.Targets ?? {};
    if (Object.keys(actions).length > 20) {
      add(`${Object.keys(actions).length} actions; FIS allows 20 per template`);
    }
    if ((p.StopConditions ?? []).length > 5) {
      add(`${p.StopConditions.length} stop conditions; FIS allows 5`);
    }
    for (const [name, action] of Object.entries(actions)) {
      if (!/^[\S]{1,64}$/.test(name)) {
        add(`action name ${JSON.stringify(name)} is not 1-64 characters without spaces`);
      }
      maxLength(action.Description, 512, `action ${name} Description`, add);
      for (const [key, value] of Object.entries(action.Parameters ?? {})) {
        checkFisParameter(key, value, `action ${name} parameter ${key}`, add);
      }
      for (const after of action.StartAfter ?? []) {
        if (!(after in actions)) {
          add(`action ${name} starts after '${after}', which is not an action of the template`);
        }
      }
      for (const targetName of Object.values(action.Targets ?? {})) {
        if (!(String(targetName) in targets)) {
          add(`action ${name} targets '${String(targetName)}', which is not a target of the template`);
        }
      }
    }
    for (const [name, target] of Object.entries(targets)) {
      const mode = target.SelectionMode;
      const m = /^(ALL|COUNT\((\d+)\)|PERCENT\((\d+)\))$/.exec(String(mode));
      if (!m || (m[2] !== undefined && Number(m[2]) < 1) || (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 100))) {
        add(`target ${name} SelectionMode must be ALL, COUNT(n) or PERCENT(1-100), got ${JSON.stringify(mode)}`);
      }
      const arns = target.ResourceArns;
      if (arns !== undefined) {
        if (!Array.isArray(arns) || arns.length === 0 || arns.length > 5) {
          add(`target ${name} ResourceArns must list 1 to 5 ARNs, got ${JSON.stringify(arns)}`);
        } else {
          const service = String(target.ResourceType).split(':')[1];
          arns.forEach((a: Json, i: number) => {
            if (a === null || (typeof a === 'string' && !/^arn:[^:\s]+:[^:\s]*:[^:]*:[^:]*:\S+$/.test(a)) || (typeof a !== 'string' && typeof a !== 'object')) {
              add(`target ${name} ResourceArns[${i}] is not an ARN: ${JSON.stringify(a)}`);
            } else if (typeof a === 'string' && a.split(':')[2] !== service) {
              add(`target ${name} of type ${target.ResourceType} lists an ARN of another service: ${a}`);
            }
          });
        }
      }
      if (target.ResourceTags !== undefined) {
        const tags = Object.entries(target.ResourceTags ?? {});
        if (tags.length === 0 || tags.length > 50) {
          add(`target ${name} ResourceTags must hold 1 to 50 tags, got ${tags.length}`);
        }
        tags.forEach(([k, v]) => checkTag(k, v, (msg) => add(`target ${name} ${msg}`)));
      }
      if (arns !== undefined && target.ResourceTags !== undefined) {
        add(`target ${name} has both ResourceArns and ResourceTags`);
      }
      if (arns === undefined && target.ResourceTags === undefined && target.Parameters === undefined) {
        add(`target ${name} names no resources, tags or parameters`);
      }
      for (const f of target.Filters ?? []) {
        if (typeof f?.Path !== 'string' || f.Path === '' || !Array.isArray(f.Values) || f.Values.length === 0) {
          add(`target ${name} has a filter without a path or values: ${JSON.stringify(f)}`);
        }
      }
    }
    const report = p.ExperimentReportConfiguration;
    for (const key of ['PreExperimentDuration', 'PostExperimentDuration']) {
      if (report?.[key] !== undefined && !isIsoDuration(report[key])) {
        add(`ExperimentReportConfiguration.${key} is not an ISO 8601 duration: ${JSON.stringify(report[key])}`);
      }
    }
    for (const [k, v] of Object.entries(p.Tags ?? {})) {
      checkTag(k, v, add);
    }
  },
  'AWS::Scheduler::Schedule': (p, add) => {
    maxLength(p.Description, 512, 'Description', add);
    maxLength(p.ScheduleExpression, 256, 'ScheduleExpression', add);
    const problem = scheduleExpressionProblem(p.ScheduleExpression);
    if (problem) {
      add(`ScheduleExpression ${JSON.stringify(p.ScheduleExpression)}: ${problem}`);
    }
    if (p.ScheduleExpressionTimezone !== undefined && !isTimeZone(p.ScheduleExpressionTimezone)) {
      add(`ScheduleExpressionTimezone is not an IANA time zone: ${JSON.stringify(p.ScheduleExpressionTimezone)}`);
    }
    if (p.State !== undefined && !['ENABLED', 'DISABLED'].includes(p.State)) {
      add(`State must be ENABLED or DISABLED, got ${JSON.stringify(p.State)}`);
    }
  },
  'AWS::Logs::LogGroup': (p, add) => {
    if (typeof p.LogGroupName === 'string' && !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(p.LogGroupName)) {
      add(`LogGroupName must be 1-512 of [.-_/#A-Za-z0-9], got ${JSON.stringify(p.LogGroupName)}`);
    }
    if (p.RetentionInDays !== undefined && !LOG_RETENTION_DAYS.has(p.RetentionInDays)) {
      add(`RetentionInDays must be one of CloudWatch Logs' values, got ${JSON.stringify(p.RetentionInDays)}`);
    }
  },
  'AWS::Lambda::Function': (p, add, c) => {
    maxLength(p.Description, 256, 'Description', add);
    if (p.ReservedConcurrentExecutions !== undefined && (!Number.isInteger(p.ReservedConcurrentExecutions) || p.ReservedConcurrentExecutions < 0)) {
      add(`ReservedConcurrentExecutions must be a whole number >= 0, got ${p.ReservedConcurrentExecutions}`);
    }
    const variables: Record<string, Json> = p.Environment?.Variables ?? {};
    const bytes = Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + estimatedLength(v, c.resources), 0);
    if (bytes > 4096) {
      add(`environment variables take about ${bytes} bytes once deployed; Lambda allows 4096`);
    }
  },
  'AWS::SNS::Topic': (p, add) => maxLength(p.DisplayName, 100, 'DisplayName', add),
  'AWS::IAM::Role': (p, add) => {
    maxLength(p.Description, 1000, 'Description', add);
    if (typeof p.Description === 'string' && !/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/.test(p.Description)) {
      add(`Description holds characters IAM does not accept: ${JSON.stringify(p.Description)}`);
    }
  },
  'AWS::KMS::Key': (p, add) => maxLength(p.Description, 8192, 'Description', add),
  'AWS::SecretsManager::Secret': (p, add) => maxLength(p.Description, 2048, 'Description', add),
};

/** FIS parameter values are strings; the known numeric and duration parameters must be well formed. */
function checkFisParameter(key: string, value: Json, where: string, add: (m: string) => void): void {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) {
    add(`${where} must be a string, got ${JSON.stringify(value)}`);
    return;
  }
  if (typeof value !== 'string') {
    return; // a reference (alarm ARNs), resolved at deploy time
  }
  if (NOT_A_NUMBER.test(value) || value === '') {
    add(`${where} is ${JSON.stringify(value)}`);
  }
  const integer = (min: number, max: number) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      add(`${where} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  };
  switch (key) {
    case 'duration':
    case 'startInstancesAfterDuration':
      if (!isIsoDuration(value)) {
        add(`${where} is not an ISO 8601 duration PT#H#M#S: ${JSON.stringify(value)}`);
      }
      break;
    case 'startupDelayMilliseconds': integer(0, 900_000); break;
    case 'invocationPercentage':
    case 'percentage': integer(1, 100); break;
    case 'percent': integer(0, 100); break;
    case 'statusCode': integer(100, 599); break;
    case 'delayMilliseconds': integer(1, 60_000); break;
    case 'jitterMilliseconds': integer(0, 60_000); break;
    case 'workers': integer(0, 1024); break;
    default: break;
  }
}

function isIsoDuration(value: unknown): boolean {
  return typeof value === 'string' && value !== 'PT' && ISO_DURATION.test(value);
}

function checkPeriod(period: unknown, where: string, add: (m: string) => void): void {
  if (period === undefined) {
    return;
  }
  if (typeof period !== 'number' || !Number.isInteger(period) || !([10, 30].includes(period) || (period >= 60 && period % 60 === 0))) {
    add(`${where} must be 10, 30 or a multiple of 60 seconds, got ${JSON.stringify(period)}`);
  } else if (period > 7 * 86_400) {
    add(`${where} is ${period} s; CloudWatch evaluates at most 7 days`);
  }
}

function checkTag(key: unknown, value: unknown, add: (m: string) => void): void {
  if (typeof key === 'string' && (key.length === 0 || [...key].length > 128)) {
    add(`tag key must be 1-128 characters, got ${JSON.stringify(key)}`);
  }
  if (typeof value === 'string' && [...value].length > 256) {
    add(`tag ${String(key)} value must be at most 256 characters, got ${value.length}`);
  }
}

function maxLength(value: unknown, max: number, name: string, add: (m: string) => void): void {
  if (typeof value === 'string' && [...value].length > max) {
    add(`${name} is ${[...value].length} characters; the limit is ${max}`);
  }
}

function noControlCharacters(value: unknown, name: string, add: (m: string) => void): void {
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string' && /[\u0000-\u001F\u007F]/.test(value)) {
    add(`${name} holds control characters: ${JSON.stringify(value)}`);
  }
}

/** Visits every value of a JSON tree with its path. */
function walk(value: Json, visit: (value: Json, where: string) => void, where = 'Properties'): void {
  visit(value, where);
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, visit, `${where}[${i}]`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      walk(v, visit, `${where}.${k}`);
    }
  }
}

/** Length of a value once deployed: literal text as is, pseudo parameters at their longest, alarm ARNs from their names. */
function estimatedLength(value: Json, resources: Record<string, Json>): number {
  if (typeof value === 'string') {
    return value.length;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value).length;
  }
  if (Array.isArray(value)) {
    return value.reduce((sum: number, v) => sum + estimatedLength(v, resources), 0);
  }
  if (value && typeof value === 'object') {
    if (Array.isArray(value['Fn::Join'])) {
      const [sep, parts] = value['Fn::Join'];
      return Array.isArray(parts) ? parts.reduce((s: number, v: Json) => s + estimatedLength(v, resources), 0) + Math.max(0, parts.length - 1) * String(sep).length : REFERENCE_LENGTH;
    }
    if (typeof value.Ref === 'string' && PSEUDO_LENGTHS[value.Ref] !== undefined) {
      return PSEUDO_LENGTHS[value.Ref];
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') {
      const target = resources[getAtt[0]];
      if (target?.Type === 'AWS::CloudWatch::Alarm' || target?.Type === 'AWS::CloudWatch::CompositeAlarm') {
        const name = target.Properties.AlarmName;
        return 'arn:aws-us-gov:cloudwatch:ap-southeast-4:123456789012:alarm:'.length + (typeof name === 'string' ? name.length : 64);
      }
    }
  }
  return REFERENCE_LENGTH;
}

/** Why a Scheduler expression is malformed, or `undefined`: `cron(6 fields)`, `at(yyyy-mm-ddThh:mm:ss)` or `rate(n unit)`. */
export function scheduleExpressionProblem(expression: unknown): string | undefined {
  if (typeof expression !== 'string') {
    return 'not a string';
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
    const date = new Date(0);
    date.setUTCFullYear(y, mo - 1, d); // Date.UTC would read years 0-99 as 1900-1999
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
      return 'the date does not exist';
    }
    return h > 23 || mi > 59 || s > 59 ? 'the time does not exist' : undefined;
  }
  if (/^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/.test(expression)) {
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) {
    return 'not cron(...), at(...) or rate(...)';
  }
  const fields = cron[1].split(' ');
  if (fields.length !== 6 || fields.some((f) => f === '')) {
    return 'cron needs six fields separated by single spaces';
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return "exactly one of day-of-month and day-of-week must be '?'";
  }
  const checks: [string, string, (item: string) => boolean][] = [
    ['minutes', minutes, (i) => plainItem(i, 0, 59)],
    ['hours', hours, (i) => plainItem(i, 0, 23)],
    ['day-of-month', dayOfMonth, (i) => i === '?' || i === 'L' || i === 'LW' || /^([1-9]|[12]\d|3[01])W$/.test(i) || plainItem(i, 1, 31)],
    ['month', month, (i) => plainItem(i, 1, 12, MONTHS)],
    ['day-of-week', dayOfWeek, (i) => i === '?' || /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(#[1-5]|L)$/.test(i) || i === 'L' || plainItem(i, 1, 7, DAYS)],
    ['year', year, (i) => plainItem(i, 1970, 2199)],
  ];
  for (const [name, field, ok] of checks) {
    if ((field.includes('?') && field !== '?') || !field.split(',').every(ok)) {
      return `${name} field ${JSON.stringify(field)} is not valid`;
    }
  }
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** `*`, `n`, `a-b`, `x/step` (x being `*`, `n` or `a-b`), with values in range or named. */
function plainItem(item: string, min: number, max: number, names: string[] = []): boolean {
  const value = (v: string) => {
    const named = names.indexOf(v);
    if (named >= 0) {
      return true;
    }
    return /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
  };
  const [base, step, extra] = item.split('/');
  if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1))) {
    return false;
  }
  if (base === '*') {
    return true;
  }
  const range = base.split('-');
  return range.length <= 2 && range.every(value);
}

/** An IANA zone name Node knows, spelt as the database spells it (Scheduler's zone names are case-sensitive). */
export function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 50) {
    return false;
  }
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    // Links (US/Pacific) resolve to another name and are fine; the same name in other letter case is not.
    return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The strings the library builds by interpolation, where `undefined` or `NaN` can only be a bug
 * (names given by users are checked elsewhere): IAM policy resources and actions, Lambda
 * environment values, and the parts of `Fn::Join`s inside them.
 */
function interpolatedValues(resource: Json): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const collect = (value: Json, where: string) => walk(value, (v, w) => out.push([w, v]), where);
  const p = resource.Properties ?? {};
  const documents = [p.PolicyDocument, ...(Array.isArray(p.Policies) ? p.Policies.map((x: Json) => x?.PolicyDocument) : [])];
  documents.forEach((doc, i) => {
    for (const [j, statement] of (Array.isArray(doc?.Statement) ? doc.Statement : []).entries()) {
      collect(statement?.Resource, `PolicyDocument[${i}].Statement[${j}].Resource`);
      collect(statement?.Action, `PolicyDocument[${i}].Statement[${j}].Action`);
    }
  });
  // environment values may be JSON documents (the escalation function's configuration): their strings are checked
  for (const [key, value] of Object.entries(p.Environment?.Variables ?? {})) {
    let parsed: Json = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = value;
      }
    }
    collect(parsed, `Environment.Variables.${key}`);
  }
  return out;
}
