/**
 * The widgets of one SLO: its SLI against the objective, its burn rate over every alert window with
 * the tiers' thresholds, the error budget left over the SLO window, what it measures, and the
 * status of its alarms.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SloFacts } from '../alarms/descriptions';
import { badSliceMetric, burnRateMetric, tierGuardEvents } from '../alarms/slo-alarms';
import { ServiceLevelObjective } from '../service/service-level-objective';
import type { TimeSliceBinding } from '../sli/sli-definition';
import { Severity } from '../slo/tiers';
import { formatWindow } from '../slo/windows';
import { atPeriod, budgetRemainingExpression, eventsExpression, goodPercentExpression, relativeStart, usingAtPeriod } from './expressions';
import { chunk, DASHBOARD_LIMITS, metricsIn } from './limits';
import { escapeMarkdown } from './markdown';
import { formatDecimal } from '../private/format';

/** The period of the SLI graph: fine enough to see an incident, coarse enough to read a day. */
export const SLI_GRAPH_PERIOD = Duration.minutes(5);

/** An SLO's widgets, row by row, and every widget in them (for counting and warnings). */
export interface SloWidgets {
  readonly rows: cloudwatch.IWidget[][];
  /** The widgets themselves, without the rows and columns that arrange them. */
  readonly widgets: cloudwatch.IWidget[];
}

/** The widgets of `slo`. */
export function sloWidgets(slo: ServiceLevelObjective): SloWidgets {
  const sli = sliGraph(slo);
  const burnRate = burnRateGraphs(slo);
  const budget = budgetRemaining(slo);
  const facts = sloFacts(slo);
  const status = alarmStatus(slo);
  const [firstBurnRate, ...moreBurnRate] = burnRate;
  const rows: cloudwatch.IWidget[][] = [
    [sli, firstBurnRate, new cloudwatch.Column(budget, facts)],
    ...chunk(moreBurnRate, 2).filter((r) => r.length > 0),
    status,
  ];
  return { rows, widgets: [sli, ...burnRate, budget, facts, ...status] };
}

/**
 * The SLI as % good events per 5 minutes against the objective (a horizontal line), with the event
 * count on the right axis so that an idle period is not read as a perfect one. Both read each
 * period as the alarms read a window: bad events beyond the total count as events, all bad.
 */
function sliGraph(slo: ServiceLevelObjective): cloudwatch.GraphWidget {
  if (slo.sliBinding.timeSlice) {
    return sliceConditionGraph(slo, slo.sliBinding.timeSlice);
  }
  const binding = slo.sli.bind();
  const usingMetrics = usingAtPeriod(binding.usingMetrics, SLI_GRAPH_PERIOD);
  const minutes = SLI_GRAPH_PERIOD.toMinutes();
  return new cloudwatch.GraphWidget({
    title: `${slo.name}: SLI, % good events per ${minutes} min (objective ${slo.objective}%)`,
    left: [new cloudwatch.MathExpression({
      expression: goodPercentExpression(binding), usingMetrics, period: SLI_GRAPH_PERIOD, label: '% good events',
    })],
    right: [new cloudwatch.MathExpression({
      expression: eventsExpression(binding), usingMetrics, period: SLI_GRAPH_PERIOD, label: `events per ${minutes} min`, color: cloudwatch.Color.GREY,
    })],
    leftAnnotations: [{ value: slo.objective, label: `objective ${slo.objective}%`, color: cloudwatch.Color.RED }],
    leftYAxis: { max: 100, label: '% good', showUnits: false },
    rightYAxis: { min: 0, label: 'events', showUnits: false },
    period: SLI_GRAPH_PERIOD,
    width: 9,
    height: 6,
  });
}

/**
 * A time-slice SLI as what each slice is judged on: the condition's metric (its statistic over the
 * slice) at the slice's period, with the threshold as a line, so that the graph shows which slices
 * were bad and by how much, at the resolution the alarms judge them (not at 5-minute periods, which
 * would show a 5-minute statistic no alarm reads).
 */
function sliceConditionGraph(slo: ServiceLevelObjective, slice: TimeSliceBinding): cloudwatch.GraphWidget {
  const period = Duration.seconds(slice.sliceSeconds);
  const metric = atPeriod(slo.sliBinding.usingMetrics[slice.metricId], period);
  const condition = `${slice.comparison} ${formatDecimal(slice.threshold)}`;
  return new cloudwatch.GraphWidget({
    title: `${slo.name}: SLI, the condition per ${formatWindow(slice.sliceSeconds)} slice (good when ${condition}; objective ${slo.objective}% of slices)`,
    left: [(metric as cloudwatch.Metric | cloudwatch.MathExpression).with({ label: `value per ${formatWindow(slice.sliceSeconds)} slice` })],
    leftAnnotations: [{ value: slice.threshold, label: `good when ${condition}`, color: cloudwatch.Color.RED }],
    leftYAxis: { showUnits: false },
    period,
    width: 9,
    height: 6,
  });
}

/**
 * The burn rate over each tier's long window, read as that window's alarm reads it (the same
 * expression, low-traffic guard included: a window with fewer events than the tier's guard is
 * judged as if it held that many, the rest good), with every tier's threshold as a line: red for
 * page, orange for ticket. Tiers whose long windows and guards coincide share one line. Usually one
 * graph; windows are spread over more graphs only when one would read more metrics than a graph may.
 */
function burnRateGraphs(slo: ServiceLevelObjective): cloudwatch.GraphWidget[] {
  if (slo.sliBinding.timeSlice) {
    return [badSlicesGraph(slo, slo.sliBinding.timeSlice.sliceSeconds)];
  }
  const lines = burnRateLines(slo).map(({ seconds, guard, idSuffix }) => burnRateMetric(
    { facts: sloFactsOf(slo), sli: slo.sliBinding }, seconds, guard, idSuffix,
  ).with({ label: `burn rate over ${formatWindow(seconds)} (low-traffic guard: ${guard} events)` }));
  const groups: cloudwatch.IMetric[][] = [];
  let used = 0;
  for (const line of lines) {
    const cost = metricsIn([new cloudwatch.GraphWidget({ left: [line] })]);
    if (groups.length === 0 || used + cost > DASHBOARD_LIMITS.metricsPerWidget) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1].push(line);
    used += cost;
  }
  const title = `${slo.name}: burn rate per alert window (${slo.objective}% over ${formatWindow(slo.window.toSeconds())}, budget ${formatDecimal(slo.errorBudget * 100)}%)`;
  return groups.map((left, i) => new cloudwatch.GraphWidget({
    title: groups.length > 1 ? `${title} ${i + 1}/${groups.length}` : title,
    left,
    leftAnnotations: slo.tiers.map((t) => ({
      value: t.burnRate,
      label: `${t.severity} ${formatWindow(t.longWindowSeconds)}/${formatWindow(t.shortWindowSeconds)}: ${t.burnRate}x`,
      color: t.severity === Severity.PAGE ? cloudwatch.Color.RED : cloudwatch.Color.ORANGE,
    })),
    leftYAxis: { min: 0, label: 'x budget', showUnits: false },
    width: i === 0 ? 9 : 12,
    height: 6,
  }));
}

/**
 * A time-slice SLI has no burn rate at a window's period (metric math cannot add up a per-slice
 * condition over a window): the graph shows what its window alarms count, the bad-slice indicator
 * (1 bad, 0 good) at the slice's period, with each tier's allowance of bad slices in its long window
 * in the title's legend.
 */
function badSlicesGraph(slo: ServiceLevelObjective, sliceSeconds: number): cloudwatch.GraphWidget {
  const metric = badSliceMetric({ facts: sloFactsOf(slo), sli: slo.sliBinding })
    .with({ label: `bad ${formatWindow(sliceSeconds)} slice (1 = bad, 0 = good)` });
  const allowances = slo.tiers.map((t) => `${t.severity} ${formatWindow(t.longWindowSeconds)}: ${formatDecimal(t.errorRatioThreshold * 100)}% of slices`);
  return new cloudwatch.GraphWidget({
    title: `${slo.name}: bad slices (${slo.objective}% good ${formatWindow(sliceSeconds)} slices over ${formatWindow(slo.window.toSeconds())}; alarms: ${allowances.join(', ')})`,
    left: [metric],
    leftYAxis: { min: 0, max: 1, label: 'bad slice', showUnits: false },
    period: Duration.seconds(sliceSeconds),
    width: 9,
    height: 6,
  });
}

/** One line per (long window, guard), in window order; metric ids carry the window (`total0_1h`), and the guard where a window has several. */
function burnRateLines(slo: ServiceLevelObjective): { seconds: number; guard: number; idSuffix: string }[] {
  const facts = { minimumEvents: slo.minimumEvents };
  const seen = new Map<number, number[]>();
  for (const tier of [...slo.tiers].sort((a, b) => a.longWindowSeconds - b.longWindowSeconds)) {
    const guards = seen.get(tier.longWindowSeconds) ?? [];
    const guard = tierGuardEvents(facts, tier);
    if (!guards.includes(guard)) {
      guards.push(guard);
    }
    seen.set(tier.longWindowSeconds, guards);
  }
  return [...seen.entries()].flatMap(([seconds, guards]) => guards.map((guard, i) => ({
    seconds, guard, idSuffix: `_${formatWindow(seconds)}${i === 0 ? '' : `_${guard}`}`,
  })));
}

/** What the burn-rate expression and its label need of the SLO. */
function sloFactsOf(slo: ServiceLevelObjective): SloFacts {
  return {
    serviceName: slo.serviceName,
    sloName: slo.name,
    objective: slo.objective,
    sloWindowSeconds: slo.window.toSeconds(),
    errorBudget: slo.errorBudget,
    sliDescription: slo.sliBinding.description,
    runbookUrl: slo.runbookUrl,
    minimumEvents: slo.minimumEvents,
  };
}

/**
 * The error budget left over the whole SLO window, as one number. The widget reads its own time
 * range, the last SLO window (`start: -P30D`), whatever range the dashboard shows, and
 * `setPeriodToTimeRange` makes CloudWatch aggregate each metric over that whole range into one
 * datapoint before evaluating the expression: bad / total over 30 days, not the last 5 minutes.
 * (The metrics also carry the window as their period, which is what a client ignoring
 * `setPeriodToTimeRange` would use; CloudWatch periods may be any multiple of 60 s, and SLO windows
 * are whole minutes. A sparkline cannot be combined with `setPeriodToTimeRange`.)
 */
function budgetRemaining(slo: ServiceLevelObjective): cloudwatch.IWidget {
  if (slo.sliBinding.timeSlice) {
    return sliceBudgetNote(slo);
  }
  const binding = slo.sli.bind();
  const seconds = slo.window.toSeconds();
  const period = Duration.seconds(seconds);
  return new cloudwatch.SingleValueWidget({
    title: `${slo.name}: error budget left over the last ${formatWindow(seconds)}`,
    metrics: [new cloudwatch.MathExpression({
      expression: budgetRemainingExpression(binding, slo.errorBudget),
      usingMetrics: usingAtPeriod(binding.usingMetrics, period),
      period,
      label: '% of the error budget left',
    })],
    setPeriodToTimeRange: true,
    start: relativeStart(seconds),
    width: 6,
    height: 3,
  });
}

/**
 * A time-slice SLO's error budget is a count of bad slices over the SLO window, which no metric-math
 * expression adds up (it reads every metric once over the whole range, not slice by slice): the
 * widget says how many bad slices the budget allows and where to read how many were spent.
 */
function sliceBudgetNote(slo: ServiceLevelObjective): cloudwatch.TextWidget {
  const slice = slo.sliBinding.timeSlice!;
  const seconds = slo.window.toSeconds();
  const allowed = Math.floor(Math.round(slo.errorBudget * (seconds / slice.sliceSeconds) * 1e9) / 1e9);
  return new cloudwatch.TextWidget({
    markdown: [
      `**${escapeMarkdown(slo.name)}: error budget** ${allowed} bad ${formatWindow(slice.sliceSeconds)} slices over ${formatWindow(seconds)}`,
      `Bad slices spent: \`cdk-reliability budget --service ${escapeMarkdown(slo.serviceName)} --slo ${escapeMarkdown(slo.name)}\` `
        + '(a dashboard expression cannot add slices up over the window)',
    ].join('\n\n'),
    width: 6,
    height: 3,
  });
}

/** What the SLO promises and measures, and its runbook. */
function sloFacts(slo: ServiceLevelObjective): cloudwatch.TextWidget {
  const lines = [
    `**${escapeMarkdown(slo.name)}**: ${slo.objective}% good over ${formatWindow(slo.window.toSeconds())}, error budget ${formatDecimal(slo.errorBudget * 100)}%`,
    `SLI: ${escapeMarkdown(slo.sli.bind().description)}`,
  ];
  if (slo.runbookUrl) {
    lines.push(`[Runbook](${slo.runbookUrl})`);
  }
  return new cloudwatch.TextWidget({ markdown: lines.join('\n\n'), width: 6, height: 3 });
}

/** The composites first, then the blind alarm if any, then every window alarm, in widgets of at most 100 alarms. */
function alarmStatus(slo: ServiceLevelObjective): cloudwatch.AlarmStatusWidget[] {
  const composites = [slo.pageAlarm, slo.ticketAlarm].filter((a): a is cloudwatch.CompositeAlarm => a !== undefined);
  const groups = chunk([...composites, ...(slo.blindAlarm ? [slo.blindAlarm] : []), ...slo.windowAlarms.map((w) => w.alarm)], DASHBOARD_LIMITS.alarmsPerStatusWidget);
  return groups.map((alarms, i) => new cloudwatch.AlarmStatusWidget({
    title: groups.length > 1 ? `${slo.name}: alarms ${i + 1}/${groups.length}` : `${slo.name}: alarms`,
    alarms,
    width: 24,
    height: 3,
  }));
}
