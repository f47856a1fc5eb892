/**
 * The FIS experiments of the stacks' services that started in the period: the experiment templates
 * found by the cdk-reliability tags (ListExperimentTemplates), their experiments
 * (ListExperiments, every page), and each run's details (GetExperiment: start, end, actions). The
 * verdict is `gameday`'s (`judge`), with the stop conditions that fired read from alarm history:
 * a stop-condition alarm that went to ALARM while the run was under way.
 */
import { GetExperimentCommand, ListExperimentsCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import type { FisClient } from '@aws-sdk/client-fis';
import type { ExperimentEntry } from '../../manifest/schema';
import { withRetries, RetryPolicy } from '../budget/retry';
import { EXPERIMENT_TAGS, ExperimentPlan } from '../experiments/model';
import type { ExperimentView } from '../experiments/progress';
import { judge, VerdictKind } from '../experiments/verdict';
import type { ExperimentRun, ExperimentSection } from './model';
import { CONCURRENCY, mapLimit } from './aws';
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
}

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
    };
  });
}

const RUNNING = new Set(['pending', 'initiating', 'running', 'stopping']);

/** The model's verdict for gameday's. */
function verdictOf(kind: VerdictKind): ExperimentRun['verdict'] {
  return kind === 'passed' ? 'passed' : kind === 'finding' ? 'finding' : 'failed';
}

/**
 * One run as the report shows it. `plan` is the template as synthesized (for `judge` to tell a
 * steady-state check from a recovery check); `alarmTransitions` the transitions to ALARM of the
 * stop-condition alarms.
 */
export function describeRun(entry: ExperimentEntry | undefined, run: FoundRun, plan: ExperimentPlan, alarmTransitions: ReadonlyMap<string, readonly number[]>,
  periodEnd: number): ExperimentRun {
  const e = run.experiment;
  const started = e.startTime ? new Date(e.startTime).getTime() : periodEnd;
  const ended = e.endTime ? new Date(e.endTime).getTime() : undefined;
  const status = e.state?.status ?? 'unknown';
  const stopConditions = entry?.stopConditions ?? [];
  const fired = stopConditions.filter((name) => (alarmTransitions.get(name) ?? []).some((t) => t >= started && t <= (ended ?? periodEnd)));
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
  const verdict = judge(plan, e, { stoppedByYou: false, firedStopConditions: fired });
  return { ...base, verdict: verdictOf(verdict.kind), reason: verdict.headline };
}

/** The section of one service from its runs. */
export function experimentSection(runs: readonly ExperimentRun[], reason?: string): ExperimentSection {
  return {
    available: true,
    ...(reason ? { reason } : {}),
    passed: runs.filter((r) => r.verdict === 'passed').length,
    findings: runs.filter((r) => r.verdict === 'finding').length,
    failed: runs.filter((r) => r.verdict === 'failed').length,
    runs,
  };
}

/** An unavailable section. */
export function noExperiments(reason: string): ExperimentSection {
  return { available: false, reason, passed: 0, findings: 0, failed: 0, runs: [] };
}
