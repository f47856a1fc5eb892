/**
 * `cdk-reliability simulate [assembly] --service S --slo N --error-rate 2% --for 2h`: evaluates
 * one SLO's synthesized alarms offline, minute by minute, on an incident (a constant error rate
 * for a while, at a constant traffic), and prints when each tier and each composite fires and
 * clears, and when notifications go out, beside the Workbook's detection-time and reset-time
 * formulas. Reads only the templates of the cloud assembly: no AWS call, no aws-cdk-lib.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_DELAY_MINUTES } from '../../simulation/evaluator';
import type { TimeSliceEntry } from '../../manifest/schema';
import { defaultSimulationMinutes, simulateIncident } from '../../simulation/incident-report';
import { conditionValues, simulateSliceIncident, SliceIncidentScenario } from '../../simulation/slice-incident';
import { meetsSliceCondition } from '../../slo/time-slices';
import type { ParsedArgs } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { CliIo, printLines, println } from '../io';
import { MAX_SIMULATION_MINUTES, parseDelay, parseDuration, parseErrorRate, parseMetricValue, parseMinutes, parseTraffic } from '../simulation/flags';
import { formatSimulation, simulationJson } from '../simulation/format';
import { locateSlo } from '../simulation/locate';

const DEFAULT_ASSEMBLY = 'cdk.out';
const DEFAULT_TRAFFIC = '1000/min';
/** Minutes simulated after the longest window has seen the incident leave it. */
const MARGIN_MINUTES = 60;

async function simulateRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const positional = args.argument('assembly');
  const flag = args.string('assembly');
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new UsageError(`two assemblies given: '${positional}' and --assembly '${flag}'; give one`, 'simulate');
  }
  const assembly = positional ?? flag ?? DEFAULT_ASSEMBLY;
  const service = args.required('service');
  const slo = args.required('slo');
  const errorRatio = parseErrorRate('error-rate', args.required('error-rate'));
  const durationMinutes = parseDuration('for', args.required('for'));
  const eventsPerMinute = parseTraffic('traffic', args.string('traffic') ?? DEFAULT_TRAFFIC);
  const baseline = args.string('baseline');
  const baselineErrorRatio = baseline === undefined ? 0 : parseErrorRate('baseline', baseline);
  const delay = args.string('delay');
  const delayMinutes = delay === undefined ? DEFAULT_DELAY_MINUTES : parseDelay('delay', delay);
  const after = args.string('after');
  const minutesFlag = args.string('minutes');
  if (after !== undefined && minutesFlag !== undefined) {
    throw new UsageError('--after and --minutes both say how long to simulate: give one', 'simulate');
  }
  const requested = minutesFlag !== undefined ? parseMinutes('minutes', minutesFlag)
    : after !== undefined ? Math.ceil(parseDuration('after', after)) : undefined;

  const found = locateSlo(assembly, service, slo, args.string('stack'));
  const minutes = requested ?? defaultSimulationMinutes(found.model, durationMinutes, MARGIN_MINUTES, MAX_SIMULATION_MINUTES);
  const slice = found.entry.timeSlice;
  if (!slice && (args.string('value') !== undefined || args.string('good-value') !== undefined)) {
    throw new UsageError(`--value and --good-value are for time-slice SLOs; ${service}/${slo} counts events: give --error-rate and --traffic`, 'simulate');
  }
  if (slice && args.string('traffic') !== undefined) {
    throw new UsageError(`${service}/${slo} is a time-slice SLO, which counts minutes, not events: leave --traffic out `
      + '(--error-rate is the share of minutes in which its condition fails)', 'simulate');
  }

  const values = slice ? sliceValues(slice, args) : undefined;
  const read = new Set(found.model.windowAlarms.flatMap((a) => Object.values(a.metrics).map((m) => `${m.namespace} ${m.metricName}`)));
  if (slice && read.size > 1) {
    // one value a minute cannot say what each metric of an expression publishes
    throw new CliError(`cannot simulate ${service}/${slo}: its condition reads ${read.size} metrics (${[...read].join(', ')}); `
      + 'simulate gives a time-slice condition one value a minute, so it simulates conditions on one metric only');
  }

  const started = performance.now();
  let report;
  try {
    report = slice
      ? simulateSliceIncident(found.model, {
        ...values!,
        errorRatio, durationMinutes, eventsPerMinute: 0, baselineErrorRatio, minutes, delayMinutes,
      }, found.entry.objective)
      : simulateIncident(
        found.model,
        { errorRatio, durationMinutes, eventsPerMinute, baselineErrorRatio, minutes, delayMinutes },
        found.entry.objective,
        found.entry.events ? { events: found.entry.events } : {},
      );
  } catch (err) {
    throw new CliError(`cannot simulate ${service}/${slo}: ${(err as Error).message}`);
  }
  const elapsedMs = performance.now() - started;

  const context = {
    stack: found.stack,
    service,
    slo,
    objective: found.entry.objective,
    window: found.entry.window,
    sli: found.entry.sli,
    model: found.model,
    elapsedMs,
  };
  if (args.flag('json')) {
    println(io.stdout, JSON.stringify(simulationJson(report, context), null, 2));
  } else {
    printLines(io.stdout, formatSimulation(report, context));
  }
  return ExitCode.OK;
}

/**
 * A time-slice SLO's condition and the metric's values in bad and good minutes: `--value` (or a
 * value that breaks the condition, `missing`: no datapoint) and `--good-value` (or one that meets it).
 */
function sliceValues(slice: TimeSliceEntry, args: ParsedArgs): Pick<SliceIncidentScenario, 'condition' | 'badValue' | 'goodValue'> {
  const condition = { comparison: slice.comparison, threshold: slice.threshold };
  const text = `${slice.metricId} ${slice.comparison} ${slice.threshold}`;
  const defaults = conditionValues(condition);
  const given = args.string('value');
  const badValue = given === undefined ? defaults.bad : parseMetricValue('value', given, true);
  if (given !== undefined && badValue !== undefined && meetsSliceCondition(badValue, condition)) {
    throw new UsageError(`--value ${given} meets the condition ${text}: give a value that breaks it, or \`missing\``, 'simulate');
  }
  const goodGiven = args.string('good-value');
  const goodValue = goodGiven === undefined ? defaults.good : parseMetricValue('good-value', goodGiven);
  if (goodValue === undefined) {
    throw new UsageError(`no value of 0 or more meets the condition ${text}: the SLO's slices can never be good`, 'simulate');
  }
  if (!meetsSliceCondition(goodValue, condition)) {
    throw new UsageError(`--good-value ${goodGiven} does not meet the condition ${text}: give a value that does`, 'simulate');
  }
  return { condition, ...(badValue === undefined ? {} : { badValue }), goodValue };
}

export const simulate: Command = {
  name: 'simulate',
  summary: 'Replay an incident on an SLO\'s synthesized alarms, offline: when it pages, tickets and clears',
  description: [
    'Reads the SLO\'s alarms from the synthesized template (metric math, windows, thresholds, composite rules and',
    'the ticket\'s actions suppressor) and evaluates them minute by minute, as CloudWatch does, on an incident:',
    'the error rate for the given time from minute 0, the baseline before and after, at a constant traffic, spread',
    'over the SLI\'s metrics (a metric that counts both bad and total events carries the bad ones). CloudWatch\'s',
    'rules apply: each evaluation reads only the metrics that have arrived (--delay), and when the newest',
    'datapoint is missing it judges on the most recent one in its evaluation range. Prints when each tier (both',
    'its windows) and each composite goes to ALARM and back to OK, and when notifications go out, beside the',
    'detection-time and reset-time formulas (which assume no delay). For a latency SLI, the error rate is the',
    'share of requests slower than its threshold. For a time-slice SLI, the error rate is the share of minutes in which',
    'its condition fails (spread evenly; 100% is every minute), the metric at --value then (a value that breaks the',
    'condition unless given; `missing`: it publishes nothing) and at --good-value otherwise. Offline: no AWS call is made.',
    '',
    'Exit codes: 0 simulated, 1 not found (assembly, stack, service or SLO) or alarms it cannot simulate, 64 usage.',
  ],
  arguments: [{
    name: 'assembly',
    description: 'cloud assembly directory written by `cdk synth`',
    defaultText: DEFAULT_ASSEMBLY,
  }],
  options: [
    { name: 'service', type: 'string', value: '<name>', required: true, description: 'service name, as given to ReliableService' },
    { name: 'slo', type: 'string', value: '<name>', required: true, description: 'SLO name' },
    {
      name: 'error-rate',
      type: 'string',
      value: '<rate>',
      required: true,
      description: 'share of bad (or slow) events during the incident: 2% or 0.02; for a time-slice SLO, share of bad minutes',
    },
    { name: 'for', type: 'string', value: '<duration>', required: true, description: 'how long the incident lasts: 90s, 45m, 2h, 1d, 1h30m' },
    {
      name: 'traffic',
      type: 'string',
      value: '<events/time>',
      description: 'events throughout: 1000/min, 50/s, 3600/h; 0 is no traffic',
      defaultText: DEFAULT_TRAFFIC,
    },
    { name: 'baseline', type: 'string', value: '<rate>', description: 'error rate before and after the incident', defaultText: '0%' },
    {
      name: 'delay',
      type: 'string',
      value: '<minutes>',
      description: 'ingestion delay: minutes from the end of a minute until its metrics reach the alarms (service metrics: 1-3; 0 is the formulas\' ideal)',
      defaultText: `${DEFAULT_DELAY_MINUTES}`,
    },
    { name: 'stack', type: 'string', value: '<name>', description: 'the stack holding the service, when several do' },
    {
      name: 'after',
      type: 'string',
      value: '<duration>',
      description: 'stop simulating this long after the incident starts, at most 7d',
      defaultText: 'the incident + the longest window + 1h',
    },
    { name: 'minutes', type: 'string', value: '<n>', description: 'the same as --after, in minutes (at most 10080)' },
    { name: 'assembly', type: 'string', value: '<dir>', description: 'the cloud assembly, as a flag (same as the argument)' },
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
    {
      name: 'value',
      type: 'string',
      value: '<number|missing>',
      description: 'time-slice SLOs: the metric\'s value in a bad minute, or missing (no datapoint)',
      defaultText: 'one that breaks the condition',
    },
    {
      name: 'good-value',
      type: 'string',
      value: '<number>',
      description: 'time-slice SLOs: the metric\'s value in a good minute',
      defaultText: 'one that meets the condition',
    },
  ],
  examples: [
    'cdk-reliability simulate cdk.out --service checkout --slo availability --error-rate 2% --for 2h',
    'cdk-reliability simulate --service checkout --slo latency --error-rate 0.5% --for 1d --traffic 50/s',
    'cdk-reliability simulate --service checkout --slo availability --error-rate 100% --for 2m --json',
    'cdk-reliability simulate --service checkout --slo availability --error-rate 2% --for 2h --delay 0',
    'cdk-reliability simulate --service orders --slo freshness --error-rate 100% --for 20m --value 900',
  ],
  run: simulateRun,
};
