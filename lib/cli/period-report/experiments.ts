/**
 * The FIS experiments of the stacks' services that started in the period: the experiment templates
 * found by the cdk-reliability tags (ListExperimentTemplates), their experiments
 * (ListExperiments, every page), and each run's details (GetExperiment: start, end, actions, its
 * stop conditions). The verdict is `gameday`'s (`judge`), with the stop conditions that fired read
 * from alarm history: a stop-condition alarm that went to ALARM while the run was under way, one
 * of the service's SLO alarms or one of the user's own (an alarm ARN given to the experiment).
 *
 * FIS ends a run `completed`, `stopped` (by a stop condition, or by StopExperiment: the same
 * status), `failed` (an action could not complete: `state.error` gives the code) or `cancelled`
 * (ExperimentState, https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentState.html:
 * `status`, a free-text `reason`, and `error` when it failed). The reason's text is not documented
 * as a vocabulary, so which stopped it is told from the stop-condition alarms' history, not from
 * it: a `stopped` run during which none of them went to ALARM was stopped by a person or a program;
 * one whose stop conditions could not all be read is inconclusive. GetExperiment's `stopConditions`
 * (Experiment, API_Experiment.html: `source` `aws:cloudwatch:alarm`, `value` the alarm's ARN) are
 * the run's own, resolved, which the manifest cannot give for an alarm whose ARN is known only once
 * deployed.
 */
import { GetExperimentCommand, ListExperimentsCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import type { FisClient } from '@aws-sdk/client-fis';
import type { ExperimentEntry } from '../../manifest/schema';
import { joinAnd } from '../../private/format';
import { withRetries, RetryPolicy } from '../budget/retry';
import { alarmNameFromArn, EXPERIMENT_TAGS, ExperimentPlan } from '../experiments/model';
import type { ExperimentView } from '../experiments/progress';
import { judge, Verdict } from '../experiments/verdict';
import type { ExperimentRun, ExperimentSection } from './model';
import { CONCURRENCY, mapLimit } from './aws';
import { MAX_PAGES as MAX_HISTORY_PAGES, StateChange } from './alerts';
import { startedBySchedule } from './schedule-match';

export interface FisContext {
  readonly client: FisClient;
  readonly region: string;
  sleep(ms: number): Promise<void>;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
}

/** A template of one of the services, by its FIS id. */
export interface KnownTemplate {
  readonly stack: string;
  readonly service: string;
  readonly experiment: string;
}

/** Pages before giving up on a nextToken that never ends. */
const MAX_PAGES = 1_000;

async function pages<T>(context: FisContext, what: string, page: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let nextToken: string | undefined;
  for (let n = 1; n <= MAX_PAGES; n++) {
    const output = await withRetries(`FIS ${what} in ${context.region}`, () => page(nextToken), (ms) => context.sleep(ms), context.retry);
    all.push(...output.items);
    if (!output.nextToken || output.nextToken === nextToken) {
      break;
    }
    nextToken = output.nextToken;
  }
  return all;
}

/** The experiment templates of `stacks` in the region, by FIS id. */
export async function listStackTemplates(context: FisContext, stacks: ReadonlySet<string>): Promise<Map<string, KnownTemplate>> {
  const templates = await pages(context, 'ListExperimentTemplates', async (nextToken) => {
    const out = await context.client.send(new ListExperimentTemplatesCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }));
    return { items: out.experimentTemplates ?? [], nextToken: out.nextToken };
  });
  const known = new Map<string, KnownTemplate>();
  for (const t of templates) {
    const tags = t.tags ?? {};
    const stack = tags[EXPERIMENT_TAGS.stack];
    const service = tags[EXPERIMENT_TAGS.service];
    const experiment = tags[EXPERIMENT_TAGS.experiment];
    if (t.id && stack !== undefined && stacks.has(stack) && service !== undefined && experiment !== undefined) {
      known.set(t.id, { stack, service, experiment });
    }
  }
  return known;
}

/** A run of one of the services' templates, with its details. */
export interface FoundRun {
  readonly template: KnownTemplate;
  readonly experiment: ExperimentView;
  /** The ARNs of the run's stop-condition alarms, as GetExperiment gives them. @default - none given */
  readonly stopConditionArns?: readonly string[];
  /** The account the run ran in (its ARN's, else its role's). @default - not known */
  readonly account?: string;
}

/**
 * The account of a run, from GetExperiment: the experiment's `arn` (`arn:aws:fis:region:account:experiment/id`,
 * https://docs.aws.amazon.com/fis/latest/APIReference/API_Experiment.html; newer SDKs than ours return it),
 * else its `roleArn` (`arn:aws:iam::account:role/...`): the role is passed to FIS with iam:PassRole, which
 * passes roles of the caller's own account (not verified against the FIS documentation for
 * multi-account experiments, whose role is the orchestrator account's, where the run is too).
 */
function runAccount(experiment: { arn?: string; roleArn?: string }): string | undefined {
  return [experiment.arn, experiment.roleArn].map((arn) => arn?.split(':')[4]).find((a): a is string => a !== undefined && /^\d{12}$/.test(a));
}

/** The stop-condition source of a CloudWatch alarm (FIS stop conditions). */
const ALARM_SOURCE = 'aws:cloudwatch:alarm';

/** The experiments of `templates` created in [start, end), with GetExperiment's details, oldest first. */
export async function listRuns(context: FisContext, templates: ReadonlyMap<string, KnownTemplate>, start: number, end: number): Promise<FoundRun[]> {
  if (templates.size === 0) {
    return [];
  }
  const summaries = await pages(context, 'ListExperiments', async (nextToken) => {
    const out = await context.client.send(new ListExperimentsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }));
    return { items: out.experiments ?? [], nextToken: out.nextToken };
  });
  const inPeriod = summaries.filter((s) => {
    const created = s.creationTime ? new Date(s.creationTime).getTime() : NaN;
    return s.id && s.experimentTemplateId && templates.has(s.experimentTemplateId) && created >= start && created < end;
  }).sort((a, b) => new Date(a.creationTime!).getTime() - new Date(b.creationTime!).getTime());
  return mapLimit(inPeriod, CONCURRENCY, async (summary): Promise<FoundRun> => {
    const out = await withRetries(`FIS GetExperiment in ${context.region}`,
      () => context.client.send(new GetExperimentCommand({ id: summary.id! })), (ms) => context.sleep(ms), context.retry);
    const e = out.experiment ?? {};
    return {
      template: templates.get(summary.experimentTemplateId!)!,
      experiment: {
        id: summary.id,
        experimentTemplateId: summary.experimentTemplateId,
        state: e.state ?? summary.state,
        actions: e.actions,
        startTime: e.startTime ?? summary.creationTime,
        endTime: e.endTime,
      },
      stopConditionArns: (e.stopConditions ?? []).filter((c) => c.source === ALARM_SOURCE && c.value).map((c) => c.value!),
      ...((account) => (account ? { account } : {}))(runAccount(e)),
    };
  });
}

const RUNNING = new Set(['pending', 'initiating', 'running', 'stopping']);

/** What alarm history says about the stop conditions. */
export interface StopConditionHistory {
  /** Transitions to ALARM (ms), per alarm name read. */
  readonly alarms: ReadonlyMap<string, readonly number[]>;
  /** Every state change read, oldest first, per alarm name: each stop condition's state at a run's start. */
  readonly changes: ReadonlyMap<string, readonly StateChange[]>;
  /** From when the history was read (ms): a run that started before cannot be told. @default - not read at all */
  readonly readFrom?: number;
  /** Why it could not be read, when it could not. @default - read */
  readonly reason?: string;
  /** Up to when (ms) it is complete, when the scan was cut (`AlarmHistory.readTo`). @default - read to the end */
  readonly readTo?: number;
  /** The region read: an alarm of another region is not in it. */
  readonly region: string;
  /** The stacks' account, when known: an alarm of another account is not in it. @default - not known */
  readonly account?: string;
}

/** A stop condition of a run, and whether its history was read. */
interface RunStopCondition {
  readonly name: string;
  /** Not one of the service's SLO alarms: an alarm the user gave the experiment. */
  readonly own: boolean;
  /** Why its history cannot be read. @default - it was read */
  readonly unread?: string;
}

/** `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:name` → its region and account. */
function arnScope(arn: string): { region: string; account: string } {
  const [, , , region = '', account = ''] = arn.split(':');
  return { region, account };
}

/** The stop-condition alarms of a run: the manifest's (by name), and every alarm ARN of the run, the user's own among them. */
export function runStopConditions(entry: ExperimentEntry | undefined, run: FoundRun, history: StopConditionHistory): RunStopCondition[] {
  const ours = (entry?.stopConditions ?? []).filter((n) => !n.startsWith('arn:') && !n.includes('${'));
  const out = new Map<string, RunStopCondition>(ours.map((name) => [name, { name, own: false }]));
  const arns = [...(entry?.stopConditions ?? []).filter((n) => n.startsWith('arn:') && !n.includes('${')), ...(run.stopConditionArns ?? [])];
  for (const arn of arns) {
    const name = alarmNameFromArn(arn);
    if (name === undefined || out.has(name)) {
      continue;
    }
    const { region, account } = arnScope(arn);
    // the run's own account first: an env-agnostic stack's manifest does not know it
    const here = run.account ?? history.account;
    const elsewhere = region !== history.region ? `in ${region || 'another region'}`
      : here !== undefined && account !== '' && account !== here ? `in account ${account}` : undefined;
    out.set(name, { name, own: true, ...(elsewhere ? { unread: `its alarm is ${elsewhere}, whose history the report does not read` } : {}) });
  }
  return [...out.values()];
}

/**
 * The alarm's state just before `at` (ms): the last change read before it, else the state the first
 * change after it left; undefined when no change of it was read (its state then cannot be told).
 */
function stateAt(changes: readonly StateChange[], at: number): string | undefined {
  const before = changes.filter((c) => c.at < at);
  return before.length ? before[before.length - 1].to : changes.find((c) => c.at >= at)?.from;
}

/** What the stop conditions' states at a run's start say. */
interface StatesAtStart {
  /** In ALARM at the start: FIS refuses to start, or stops at once. */
  readonly alarming: readonly string[];
  /** Whose state at the start cannot be told (no state change of them in the history read). */
  readonly untold: readonly string[];
}

/** The report's verdict and reason for gameday's verdict on a finished run. */
function reportVerdict(verdict: Verdict, stops: readonly RunStopCondition[], fired: readonly string[], unknown: string | undefined,
  atStart: StatesAtStart): Pick<ExperimentRun, 'verdict' | 'reason'> {
  switch (verdict.kind) {
    case 'passed':
      return { verdict: 'passed', reason: verdict.headline };
    case 'finding': {
      const own = stops.filter((s) => s.own && fired.includes(s.name)).map((s) => s.name);
      return { verdict: 'finding', reason: `${verdict.headline}${own.length ? ` (${joinAnd(own)}: a stop condition of your own, not an SLO alarm)` : ''}` };
    }
    case 'failed': {
      const error = verdict.details.find((d) => d.startsWith('error '));
      return { verdict: 'failed', reason: `${verdict.headline}${error ? ` (${error})` : ''}` };
    }
    case 'cancelled':
      return { verdict: 'cancelled', reason: verdict.headline };
    case 'stopped':
    case 'stopped-by-you':
      if (unknown !== undefined) {
        return { verdict: 'inconclusive', reason: `INCONCLUSIVE: FIS stopped the experiment, and whether a stop condition did cannot be told: ${unknown}` };
      }
      if (atStart.alarming.length) {
        // gameday's wording (lib/cli/experiments/verdict.ts): FIS stopped it because the alarm already was in ALARM
        return { verdict: 'inconclusive', reason: `INCONCLUSIVE: FIS stopped the experiment: ${verdict.headline.replace(/^STOPPED: /, '')}` };
      }
      if (atStart.untold.length) {
        return { verdict: 'inconclusive', reason: 'INCONCLUSIVE: FIS stopped the experiment, and whether a stop condition was already in ALARM at the start '
          + `cannot be told: no state change of ${joinAnd(atStart.untold)} in the alarm history read` };
      }
      return { verdict: 'stopped-by-person', reason: 'STOPPED by a person or a program (StopExperiment): none of its stop-condition alarms went into ALARM during the run; no verdict' };
    default:
      return { verdict: 'inconclusive', reason: verdict.headline };
  }
}

/**
 * One run as the report shows it. `plan` is the template as synthesized (for `judge` to tell a
 * steady-state check from a recovery check); `history` the transitions to ALARM of the
 * stop-condition alarms.
 */
export function describeRun(entry: ExperimentEntry | undefined, run: FoundRun, plan: ExperimentPlan, history: StopConditionHistory,
  periodEnd: number): ExperimentRun {
  const e = run.experiment;
  const started = e.startTime ? new Date(e.startTime).getTime() : periodEnd;
  const ended = e.endTime ? new Date(e.endTime).getTime() : undefined;
  const status = e.state?.status ?? 'unknown';
  const stops = runStopConditions(entry, run, history);
  const fired = stops.filter((s) => s.unread === undefined)
    .filter((s) => (history.alarms.get(s.name) ?? []).some((t) => t >= started && t <= (ended ?? periodEnd))).map((s) => s.name);
  const gameDay = entry?.gameDay;
  const scheduled = gameDay !== undefined && startedBySchedule(gameDay.expression, gameDay.timeZone, started);
  const base = {
    experiment: run.template.experiment,
    id: e.id ?? '',
    startedAt: new Date(started).toISOString(),
    ...(ended !== undefined ? { endedAt: new Date(ended).toISOString() } : {}),
    state: RUNNING.has(status) ? 'running' : status,
    stopConditionFired: fired.length > 0,
    scheduled,
  };
  if (RUNNING.has(status)) {
    return { ...base, verdict: 'running', ...(e.state?.reason ? { reason: e.state.reason } : {}) };
  }
  const unread = stops.filter((s) => s.unread !== undefined);
  const unknown = history.readFrom === undefined || history.readFrom > started
    ? `the alarm history of the run is not read (${history.reason ?? 'it is older than the history kept'})`
    : unread.length > 0 ? joinAnd(unread.map((s) => `${s.name}: ${s.unread}`)) : undefined;
  if (history.readTo !== undefined && (ended ?? periodEnd) > history.readTo && fired.length === 0 && (status === 'completed' || status === 'stopped')) {
    // the scan is oldest first: a stop condition that fired during the run may be among what was not read
    return { ...base, verdict: 'inconclusive', reason: `INCONCLUSIVE: the alarm history was read up to ${new Date(history.readTo).toISOString()} only `
      + `(more than ${MAX_HISTORY_PAGES} pages of DescribeAlarmHistory): whether a stop condition fired during the run cannot be told` };
  }
  // a stop condition already in ALARM at the start (or gone to ALARM between creation and start) stops the run at once
  const read = stops.filter((s) => s.unread === undefined && !fired.includes(s.name))
    .map((s) => ({ name: s.name, state: stateAt(history.changes.get(s.name) ?? [], started) }));
  const atStart = { alarming: read.filter((s) => s.state === 'ALARM').map((s) => s.name), untold: read.filter((s) => s.state === undefined).map((s) => s.name) };
  const verdict = judge(plan, e, { stoppedByYou: false, firedStopConditions: fired, alarmingAtStart: atStart.alarming });
  return { ...base, ...reportVerdict(verdict, stops, fired, unknown, atStart) };
}

/** The section of one service from its runs. */
export function experimentSection(runs: readonly ExperimentRun[], reason?: string): ExperimentSection {
  return {
    available: true,
    ...(reason ? { reason } : {}),
    ...verdictCounts(runs),
    runs,
  };
}

/** How many runs of each finished verdict. */
function verdictCounts(runs: readonly ExperimentRun[]): Omit<ExperimentSection, 'available' | 'reason' | 'runs'> {
  const count = (verdict: ExperimentRun['verdict']) => runs.filter((r) => r.verdict === verdict).length;
  return {
    passed: count('passed'),
    findings: count('finding'),
    failed: count('failed'),
    stoppedByPerson: count('stopped-by-person'),
    cancelled: count('cancelled'),
    inconclusive: count('inconclusive'),
  };
}

/** An unavailable section. */
export function noExperiments(reason: string): ExperimentSection {
  return { available: false, reason, ...verdictCounts([]), runs: [] };
}
