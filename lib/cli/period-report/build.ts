/**
 * Builds the period report from live data: the SLI series (GetMetricData), the alarms' history
 * (DescribeAlarmHistory), the escalation policies' incidents (Logs Insights on their function's
 * logs) and the FIS experiments of the stacks. A source that cannot be read (retention, a refused
 * permission, not deployed) leaves its section `available: false` or `no-data` with a reason, and
 * the report's `caveats` say what limits it: a report never looks healthy because a source was
 * missing. AWS errors other than a refused permission stop the report (exit 1).
 */
import type { ExperimentEntry, ReliabilityManifest, ServiceEntry, SloEntry } from '../../manifest/schema';
import { joinAnd } from '../../private/format';
import { describeAlarms, FetchContext } from '../budget/fetch';
import type { BudgetTarget } from '../budget/model';
import { describeMetrics } from '../budget/read';
import type { RetryPolicy } from '../budget/retry';
import { resolveTargets, unrecordedConditionIds, windowAlarmNames } from '../budget/targets';
import { sliceRetentionSeconds } from '../budget/time-slices';
import { DAY_SECONDS, HOUR_SECONDS } from '../../slo/windows';
import type { ExperimentPlan } from '../experiments/model';
import { AlarmHistory, MAX_PAGES, readAlarmHistory } from './alerts';
import { attainmentOf, burnDown, Happening, worstDays } from './attainment';
import { CONCURRENCY, isAccessDenied, mapLimit, ReviewClients } from './aws';
import {
  describeRun, experimentSection, FoundRun, KnownTemplate, listRuns, listStackTemplates, noExperiments, runStopConditions, StopConditionHistory,
} from './experiments';
import {
  AlarmOwner, findPolicyLogGroup, LogsContext, incidentSection, IncidentRow, noIncidents, queryIncidentRows, reconstructIncidents, retentionLimit,
} from './incidents';
import { readSliceSeries, readSloSeries, SloSeries } from './metrics';
import {
  AlertCounts, ExperimentRun, ExperimentSection, IncidentRecord, IncidentSection, PERIOD_REPORT_SCHEMA_VERSION, PeriodReport, ReportPeriod,
  ServiceReport, SloPeriodReport,
} from './model';
import { ALARM_HISTORY_RETENTION_SECONDS, FIS_EXPERIMENT_RETENTION_SECONDS, periodRange } from './period';
import { reportSummary, serviceSummary } from './summary';

/** What to report on. */
export interface ReviewInput {
  /** The stacks' manifests (services already narrowed by --service). */
  readonly manifests: readonly ReliabilityManifest[];
  readonly period: ReportPeriod;
  /** The report's "now" (alarm history and log retention count back from it). */
  readonly now: Date;
  /** The stack's environment is not recorded: a wrong region is one explanation of missing data. */
  readonly agnostic: boolean;
  /** The synthesized experiment templates, by logical id, for the verdicts. @default - FIS's own */
  readonly experimentPlans?: ReadonlyMap<string, ExperimentPlan>;
}

/** How `review` reads. */
export interface ReviewSettings {
  sleep(ms: number): Promise<void>;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
  /** Share GetMetricData requests between SLOs (up to 500 queries each). @default true */
  readonly batch?: boolean;
}

interface SelectedSlo {
  readonly stack: string;
  readonly service: ServiceEntry;
  readonly slo: SloEntry;
}

const TIME_SLICE = 'time-slice';
const DAY_MS = 86_400_000;

function denied(what: string, permission: string, err: unknown): string {
  return `${what} could not be read: ${permission} was refused (${(err as Error)?.message ?? String(err)})`;
}

/** What every read needs besides its client: the region for messages, the sleep and retry policy. */
function contextOf<C>(client: C, region: string, settings: ReviewSettings): { client: C; region: string; sleep(ms: number): Promise<void>; retry?: RetryPolicy } {
  return { client, region, sleep: (ms) => settings.sleep(ms), ...(settings.retry ? { retry: settings.retry } : {}) };
}

/** The alarms of an SLO that notify, with their severity. */
function sloAlarms(slo: SloEntry): Array<{ name: string; severity: 'page' | 'ticket' }> {
  return [
    ...(slo.alarms.page ? [{ name: slo.alarms.page, severity: 'page' as const }] : []),
    ...(slo.alarms.ticket ? [{ name: slo.alarms.ticket, severity: 'ticket' as const }] : []),
  ];
}

/** The report of `input.period`, read with `clients`; the calls made are counted in `clients.calls`. */
export async function buildPeriodReport(clients: ReviewClients, settings: ReviewSettings, input: ReviewInput): Promise<PeriodReport> {
  const { start, end } = periodRange(input.period);
  const now = input.now.getTime();
  const caveats: string[] = [];
  const region = clients.region;
  const cw: FetchContext = contextOf(clients.cloudWatch, region, settings);

  const selected: SelectedSlo[] = input.manifests.flatMap((m) => m.services.flatMap((service) =>
    service.slos.map((slo) => ({ stack: m.stack.name, service, slo }))));

  // the sources are independent: read them at once (experiments need the alarm history to tell
  // which stop conditions fired, so they are judged after)
  const [metrics, alarmHistory, incidentsByService, fis] = await Promise.all([
    readSeries(cw, input, selected, start, end, now, settings.batch ?? true),
    readHistory(cw, input, selected, start, end, now),
    readIncidents(clients, settings, input, start, end, now),
    listExperiments(clients, settings, input, start, end),
  ]);
  const { targets, series, notDeployed } = metrics;
  const { history, historyReason } = alarmHistory;
  const stopHistory = await readOwnStopConditions(cw, input, fis, alarmHistory, end);
  const experimentsByService = judgeExperiments(clients.region, input, fis, stopHistory, historyReason, start, now);
  caveats.push(...metrics.caveats, ...alarmHistory.caveats, ...incidentsByService.caveats, ...fis.caveats);

  // --- the report
  const services: ServiceReport[] = input.manifests.flatMap((m) => m.services.map((service) => {
    const incidents = incidentsByService.sections.get(`${m.stack.name}/${service.name}`) ?? noIncidents('the service has no escalation policy: nobody is paged');
    const experiments = experimentsByService.get(`${m.stack.name}/${service.name}`) ?? experimentSection([]);
    const slos = service.slos.map((slo) => {
      const index = selected.findIndex((s) => s.stack === m.stack.name && s.service === service && s.slo === slo);
      return sloReport(slo, targets[index], series[index], notDeployed[index], region, start, end, history, historyReason,
        incidents.incidents, experiments.runs);
    });
    const partial: Omit<ServiceReport, 'summary'> = { service: service.name, stack: m.stack.name, slos, incidents, experiments };
    return { ...partial, summary: serviceSummary(partial) };
  }));

  return {
    schemaVersion: PERIOD_REPORT_SCHEMA_VERSION,
    generatedAt: input.now.toISOString(),
    period: input.period,
    region,
    stacks: input.manifests.map((m) => m.stack.name),
    summary: reportSummary(input.period, services),
    services,
    caveats: [...new Set(caveats)],
    apiCalls: Object.fromEntries(Object.entries(clients.calls).sort(([a], [b]) => a.localeCompare(b))),
  };
}

async function readSeries(cw: FetchContext, input: ReviewInput, selected: readonly SelectedSlo[], start: number, end: number, now: number, batch: boolean): Promise<{
  targets: BudgetTarget[]; series: Array<SloSeries | undefined>; notDeployed: boolean[]; caveats: string[];
}> {
  const names = [...new Set(selected.flatMap((s) => windowAlarmNames(s.slo)))];
  const deployed = names.length > 0 ? await describeAlarms(cw, names) : { alarms: new Map() };
  const resolved = resolveTargets(selected.map((s) => ({ service: s.service.name, slo: s.slo })), deployed, cw.region, input.agnostic, true);
  const caveats = [...resolved.notes];
  const targets: BudgetTarget[] = resolved.targets.map((t) => {
    const unknown = unrecordedConditionIds(t.slo);
    if (unknown.length === 0) {
      return t;
    }
    const unreadable = `its slice condition ${t.slo.sli.metrics.find((m) => m.id === t.slo.sli.timeSlice!.metricId)!.expression} uses `
      + `${joinAnd(unknown)}, which the manifest does not record: review cannot read it`;
    caveats.push(`${t.service} ${t.slo.name} is not reported: ${unreadable}.`);
    return { ...t, unreadable };
  });
  const [ratios, slices] = await Promise.all([
    readSloSeries(cw, targets, start, end, now, batch),
    readSliceSeries(cw, targets, start, end, now, batch),
  ]);
  const series = ratios.map((s, i) => s ?? slices[i]);
  if (ratios.some((s) => s?.clippedByRetention)) {
    caveats.push('CloudWatch keeps 1-hour metric data 455 days: the SLO windows before the oldest day are read as far as they go.');
  }
  selected.forEach(({ service, slo }, i) => {
    if (slices[i]?.clippedByRetention) {
      caveats.push(`${service.name} ${slo.name} counts ${sliceUnit(slo.sli.timeSlice!.sliceSeconds)} from ${day(slices[i]!.range.start.getTime())} only: ${sliceRetention(slo)}.`);
    }
  });
  return { targets, series, notDeployed: resolved.notDeployed, caveats };
}

/** The alarm history read, and from when (undefined: not read at all). */
interface HistoryReadout {
  readonly history: AlarmHistory;
  readonly historyReason?: string;
  readonly caveats: string[];
  /** @default - not read */
  readonly readFrom?: number;
}

async function readHistory(cw: FetchContext, input: ReviewInput, selected: readonly SelectedSlo[], start: number, end: number, now: number): Promise<HistoryReadout> {
  const composites = new Set(selected.flatMap((s) => sloAlarms(s.slo).map((a) => a.name)));
  const names = [...new Set([
    ...composites,
    ...input.manifests.flatMap((m) => m.services.flatMap((s) => s.experiments.flatMap((e) => e.stopConditions))),
  ])].filter((n) => !n.includes('${') && !n.startsWith('arn:'));
  const historyStart = Math.max(start, now - ALARM_HISTORY_RETENTION_SECONDS * 1000);
  const caveats: string[] = [];
  if (historyStart >= end) {
    return { history: { alarms: new Map(), changes: new Map() }, historyReason: 'CloudWatch keeps alarm history 30 days: the whole period is older', caveats };
  }
  const history = await readAlarmHistory(cw, names, historyStart, end, composites);
  if (history.denied !== undefined) {
    const historyReason = `alarm history could not be read: cloudwatch:DescribeAlarmHistory was refused (${history.denied})`;
    return { history, historyReason, caveats: [`Alerts are not counted: ${historyReason}.`] };
  }
  if (history.readTo !== undefined) {
    caveats.push(`Alerts (and stop conditions that fired) are counted up to ${new Date(history.readTo).toISOString()} only: `
      + `the alarm history gave more than ${MAX_PAGES} pages and the rest was not read.`);
  }
  if (historyStart > start) {
    const from = new Date(historyStart).toISOString().slice(0, 10);
    return {
      history,
      historyReason: `CloudWatch keeps alarm history 30 days: alerts before ${from} are not counted`,
      caveats: [`Alerts (and stop conditions that fired) are counted from ${from} only: CloudWatch keeps alarm history 30 days.`],
      readFrom: historyStart,
    };
  }
  return { history, caveats, readFrom: historyStart };
}

/**
 * The stop conditions' history: the SLO alarms' (read with the alerts), and the alarms of the
 * user's own that the runs name by ARN (GetExperiment's stop conditions), read by name in this
 * region once the runs are known. An alarm of another region or account is not read: the run's
 * verdict says so.
 */
async function readOwnStopConditions(cw: FetchContext, input: ReviewInput, fis: FisReadout, read: HistoryReadout, end: number): Promise<StopConditionHistory> {
  const accounts = [...new Set(input.manifests.map((m) => m.stack.account))];
  const account = accounts.length === 1 && /^\d{12}$/.test(accounts[0]) ? accounts[0] : undefined;
  const base = { region: cw.region, ...(account ? { account } : {}), ...(read.historyReason ? { reason: read.historyReason } : {}) };
  if (read.readFrom === undefined) {
    return { ...base, alarms: read.history.alarms, changes: read.history.changes };
  }
  const scope: StopConditionHistory = {
    ...base, alarms: read.history.alarms, changes: read.history.changes, readFrom: read.readFrom,
    ...(read.history.readTo !== undefined ? { readTo: read.history.readTo } : {}),
  };
  const names = [...new Set(fis.runs.flatMap((run) => {
    const entry = input.manifests.flatMap((m) => m.stack.name === run.template.stack ? m.services : [])
      .find((s) => s.name === run.template.service)?.experiments.find((e) => e.name === run.template.experiment);
    return runStopConditions(entry, run, scope).filter((c) => c.own && c.unread === undefined && !read.history.alarms.has(c.name)).map((c) => c.name);
  }))];
  if (names.length === 0) {
    return scope;
  }
  const own = await readAlarmHistory(cw, names, read.readFrom, end);
  if (own.denied !== undefined) {
    return { ...base, alarms: read.history.alarms, changes: read.history.changes, reason: `cloudwatch:DescribeAlarmHistory was refused (${own.denied})` };
  }
  const readTo = [scope.readTo, own.readTo].filter((t): t is number => t !== undefined);
  return {
    ...scope, alarms: new Map([...read.history.alarms, ...own.alarms]), changes: new Map([...read.history.changes, ...own.changes]),
    ...(readTo.length ? { readTo: Math.min(...readTo) } : {}),
  };
}

function sloReport(slo: SloEntry, target: BudgetTarget, series: SloSeries | undefined, notDeployed: boolean, region: string,
  start: number, end: number, history: AlarmHistory, historyReason: string | undefined, incidents: readonly IncidentRecord[],
  runs: readonly ExperimentRun[]): SloPeriodReport {
  const noData = target.unreadable
    ?? `no datapoint of ${describeMetrics(target.metrics)} in ${region}${notDeployed ? ', and none of its alarms exist there: not deployed yet?' : ''}`;
  const retention = slo.sli.timeSlice && series
    ? `${sliceRetention(slo)}: slices before ${day(series.range.start.getTime())} are not counted`
    : 'CloudWatch keeps 1-hour metric data 455 days: the start of the range is gone';
  const period = attainmentOf(slo, series, start, end, noData, retention);
  const slidingWindow = attainmentOf(slo, series, end - slo.windowSeconds * 1000, end, noData, retention);
  const alarms = sloAlarms(slo);
  const count = (severity: 'page' | 'ticket') => alarms.filter((a) => a.severity === severity)
    .reduce((n, a) => n + (history.alarms.get(a.name)?.length ?? 0), 0);
  const alertsAvailable = history.denied === undefined && !(historyReason?.includes('whole period'));
  const alerts: AlertCounts = {
    available: alertsAvailable,
    ...(historyReason ? { reason: historyReason } : {}),
    pages: alertsAvailable ? count('page') : 0,
    tickets: alertsAvailable ? count('ticket') : 0,
  };
  const happenings: Happening[] = [
    ...incidents.filter((i) => i.slo === slo.name).map((i): Happening => ({
      kind: 'incident', label: i.alarmName, start: Date.parse(i.openedAt), ...(i.resolvedAt ? { end: Date.parse(i.resolvedAt) } : {}),
    })),
    ...runs.map((r): Happening => ({ kind: 'experiment', label: r.experiment, start: Date.parse(r.startedAt), ...(r.endedAt ? { end: Date.parse(r.endedAt) } : {}) })),
  ];
  return {
    slo: slo.name,
    kind: slo.sli.kind === TIME_SLICE ? 'time-slice' : 'ratio',
    unit: unitOf(slo),
    objectivePercent: slo.objective,
    window: slo.window,
    windowSeconds: slo.windowSeconds,
    period,
    slidingWindow,
    met: period.attainmentPercent === null ? null : period.attainmentPercent >= slo.objective,
    burnDown: burnDown(slo, series, start, end),
    worstDays: worstDays(slo, series, start, end, happenings),
    alerts,
  };
}

/** What the SLI counts, from its total-events metric. */
function unitOf(slo: SloEntry): string {
  if (slo.sli.timeSlice) {
    return sliceUnit(slo.sli.timeSlice.sliceSeconds);
  }
  const total = slo.sli.metrics.find((m) => m.id === 'total0') ?? slo.sli.metrics[0];
  const units: Readonly<Record<string, string>> = {
    Count: 'requests', Latency: 'requests', Invocations: 'invocations', ExecutionsStarted: 'executions', NumberOfMessagesReceived: 'messages',
    RequestCount: 'requests', Requests: 'requests', ConsumedReadCapacityUnits: 'requests', SuccessfulRequestLatency: 'requests',
  };
  return units[total?.metricName ?? ''] ?? 'events';
}

/** `5-minute slices`, `1-hour slices`, `30-second slices`. */
export function sliceUnit(sliceSeconds: number): string {
  const [n, unit] = sliceSeconds % HOUR_SECONDS === 0 ? [sliceSeconds / HOUR_SECONDS, 'hour']
    : sliceSeconds % 60 === 0 ? [sliceSeconds / 60, 'minute'] : [sliceSeconds, 'second'];
  return `${n}-${unit} slices`;
}

/** How long CloudWatch keeps the datapoints of a time-slice SLO's slices. */
function sliceRetention(slo: SloEntry): string {
  const seconds = slo.sli.timeSlice!.sliceSeconds;
  return `CloudWatch keeps ${sliceUnit(seconds).replace(/ slices$/, '')} data ${sliceRetentionSeconds(seconds) / DAY_SECONDS} days`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

async function readIncidents(clients: ReviewClients, settings: ReviewSettings, input: ReviewInput, start: number, end: number, now: number): Promise<{
  sections: Map<string, IncidentSection>; caveats: string[];
}> {
  const out = new Map<string, IncidentSection>();
  const caveats: string[] = [];
  const byPolicy = new Map<string, Array<{ stack: string; service: ServiceEntry }>>();
  for (const m of input.manifests) {
    for (const service of m.services) {
      if (service.escalation) {
        byPolicy.set(service.escalation.name, [...(byPolicy.get(service.escalation.name) ?? []), { stack: m.stack.name, service }]);
      }
    }
  }
  const context = contextOf(clients.logs, clients.region, settings);
  const read = await mapLimit([...byPolicy], CONCURRENCY, async ([policy, services]) => {
    const notes: string[] = [];
    const sections = await readPolicyIncidents(context, policy, services, start, end, now, notes);
    return { sections, notes };
  });
  for (const { sections, notes } of read) {
    sections.forEach((section, key) => out.set(key, section));
    caveats.push(...notes);
  }
  return { sections: out, caveats };
}

/** The incidents of one policy's services, by `stack/service`; `caveats` gets what limits them. */
async function readPolicyIncidents(context: LogsContext, policy: string, services: ReadonlyArray<{ stack: string; service: ServiceEntry }>,
  start: number, end: number, now: number, caveats: string[]): Promise<Map<string, IncidentSection>> {
  const out = new Map<string, IncidentSection>();
  const owners = new Map<string, AlarmOwner & { key: string }>();
  for (const { stack, service } of services) {
    for (const slo of service.slos) {
      for (const a of sloAlarms(slo)) {
        owners.set(a.name, { service: service.name, slo: slo.name, severity: a.severity, key: `${stack}/${service.name}` });
      }
    }
  }
  const keys = services.map(({ stack, service }) => `${stack}/${service.name}`);
  const setAll = (section: IncidentSection) => keys.forEach((k) => out.set(k, section));
  const levels = services[0].service.escalation!.levels.length;
  let rows: IncidentRow[];
  let reason: string | undefined;
  try {
    const group = await findPolicyLogGroup(context, policy);
    if (group.logGroupName === undefined) {
      setAll(noIncidents(group.missing!));
      caveats.push(`Incidents of policy ${policy} are not reported: ${group.missing}.`);
      return out;
    }
    reason = retentionLimit(policy, group.retentionDays, start, now);
    const from = group.retentionDays !== undefined ? Math.max(start, now - group.retentionDays * DAY_MS) : start;
    const notes: string[] = [];
    rows = from < end ? await queryIncidentRows(context, group.logGroupName, from, end, notes) : [];
    caveats.push(...notes.map((n) => `Policy ${policy}: ${n}.`));
    if (reason) {
      caveats.push(`Incidents: ${reason}.`);
    }
  } catch (err) {
    if (!isAccessDenied(err)) {
      throw err;
    }
    const why = denied(`the incidents of policy ${policy}`, 'logs:DescribeMetricFilters, logs:DescribeLogGroups, logs:StartQuery or logs:GetQueryResults', err);
    setAll(noIncidents(why));
    caveats.push(`${why}.`);
    return out;
  }
  const records = reconstructIncidents(rows, levels, start, end);
  for (const key of keys) {
    const own = records
      .filter((r) => owners.get(r.alarmName)?.key === key)
      .map((r): IncidentRecord => ({ ...r, ...(owners.get(r.alarmName)?.slo ? { slo: owners.get(r.alarmName)!.slo } : {}) }));
    out.set(key, incidentSection(own, reason));
  }
  return out;
}

interface FisReadout {
  readonly runs: FoundRun[];
  readonly templates: Map<string, KnownTemplate>;
  /** Per service key, when FIS could not be read. */
  readonly refused?: string;
  readonly caveats: string[];
  readonly services: Array<{ stack: string; service: ServiceEntry }>;
}

async function listExperiments(clients: ReviewClients, settings: ReviewSettings, input: ReviewInput, start: number, end: number): Promise<FisReadout> {
  const services = input.manifests.flatMap((m) => m.services.filter((s) => s.experiments.length > 0).map((service) => ({ stack: m.stack.name, service })));
  if (services.length === 0) {
    return { runs: [], templates: new Map(), caveats: [], services };
  }
  const context = contextOf(clients.fis, clients.region, settings);
  try {
    const templates = await listStackTemplates(context, new Set(services.map((s) => s.stack)));
    const runs = await listRuns(context, templates, start, end);
    return { runs, templates, caveats: [], services };
  } catch (err) {
    if (!isAccessDenied(err)) {
      throw err;
    }
    const why = denied('the experiments', 'fis:ListExperimentTemplates, fis:ListExperiments or fis:GetExperiment', err);
    return { runs: [], templates: new Map(), refused: why, caveats: [`${why}.`], services };
  }
}

function judgeExperiments(region: string, input: ReviewInput, fis: FisReadout, history: StopConditionHistory, historyReason: string | undefined,
  start: number, now: number): Map<string, ExperimentSection> {
  const out = new Map<string, ExperimentSection>();
  const common: string[] = [];
  if (now - start > FIS_EXPERIMENT_RETENTION_SECONDS * 1000) {
    common.push('FIS lists experiments for 120 days: older runs are not counted');
  }
  if (historyReason) {
    common.push(`stop conditions that fired are read from alarm history: ${historyReason}`);
  }
  const end = Date.parse(input.period.end);
  for (const { stack, service } of fis.services) {
    const key = `${stack}/${service.name}`;
    if (fis.refused !== undefined) {
      out.set(key, noExperiments(fis.refused));
      continue;
    }
    const own = fis.runs.filter((r) => r.template.stack === stack && r.template.service === service.name).map((run) => {
      const entry: ExperimentEntry | undefined = service.experiments.find((e) => e.name === run.template.experiment);
      const plan = (entry && input.experimentPlans?.get(`${stack}/${entry.logicalId}`))
        ?? { id: run.experiment.experimentTemplateId ?? '', origin: 'fis' as const, tags: {}, actions: [], targets: {}, stopConditions: [], logDestinations: [] };
      return describeRun(entry, run, plan, history, end);
    });
    const deployedHere = [...fis.templates.values()].some((t) => t.stack === stack && t.service === service.name);
    const reasons = [...(deployedHere ? [] : [`no experiment template of ${service.name} is deployed in ${region}`]), ...common];
    out.set(key, experimentSection(own, reasons.length ? joinAnd(reasons) : undefined));
  }
  return out;
}
