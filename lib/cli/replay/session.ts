/**
 * One replay against AWS: the stack's region checked (as `budget` does), the deployed alarms read
 * for deploy-time values, the range chosen and checked against CloudWatch's retention, the
 * history read once for every SLO of every side (one side for `replay`, two for `diff --replay`:
 * both are evaluated on the same datapoints), and each SLO's alarms evaluated.
 */
import type { StackEntry } from '../../manifest/schema';
import type { SloAlarmModel } from '../../simulation/template-alarms';
import { joinAnd } from '../../private/format';
import type { DeployedAlarms, FetchContext } from '../budget/fetch';
import { openBudgetClient } from '../budget/region';
import { CliError, UsageError } from '../errors';
import type { AwsClientOptions, CliIo } from '../io';
import { formatDuration, truncate } from '../render';
import { deployTimeValues, learnDeployedValues, resolveModel, windowAlarmNamesOf } from './deployed';
import { metricsOf, notReplayed, replaySlo, ReplaySlo, resolutionProblem, SloReplay, warmUpMinutes } from './evaluate';
import { fetchHistory, fiveMinuteBoundary, ReplayRange, replayRange } from './history';

/** What to replay. */
export interface ReplayRequest {
  /** The stack, for the region check. */
  readonly stack: StackEntry;
  /** One list of SLOs per side. */
  readonly sides: ReadonlyArray<readonly ReplaySlo[]>;
  /** Minutes back from now. */
  readonly minutes: number;
  readonly delayMinutes: number;
  /** Replay a range older than 15 days on 5-minute data. */
  readonly allowFiveMinuteData: boolean;
  /** The command, for usage errors. */
  readonly command: string;
  /** The flag that gave `minutes`, for usage errors (`since`, `replay`). */
  readonly flag: string;
}

/** The replay's outcome. */
export interface ReplayRun {
  readonly region: string;
  readonly range: ReplayRange;
  readonly delayMinutes: number;
  /** Per side, per SLO (same order as the request). */
  readonly sides: SloReplay[][];
  /** GetMetricData requests made (each may have had several pages). */
  readonly requests: number;
  /** Metrics read. */
  readonly metrics: number;
  /** About the run as a whole: retention, alarms not found. */
  readonly notes: string[];
}

/** `14d 23h 30m`. */
function span(minutes: number): string {
  return formatDuration(Math.max(0, Math.floor(minutes)) * 60);
}

/** Throws a `UsageError` when the range cannot be read or replayed faithfully without --allow-5-minute-data. */
function checkRetention(range: ReplayRange, now: Date, request: ReplayRequest): void {
  const given = `--${request.flag} ${span(request.minutes)}`;
  const oldest = fiveMinuteBoundary(now).getTime();
  if (range.historyStart.getTime() < oldest) {
    const most = (range.end.getTime() - oldest) / 60_000 - range.warmUpMinutes;
    throw new UsageError(`${given} with the alarms' look-back (${span(range.warmUpMinutes)}, the longest window) reaches back beyond the `
      + `63 days CloudWatch keeps 5-minute data (only hourly data is older): replay at most ${span(most)}`, request.command);
  }
  if (range.start.getTime() < range.oneMinuteFrom.getTime() && !request.allowFiveMinuteData) {
    const most = (range.end.getTime() - range.oneMinuteFrom.getTime()) / 60_000;
    throw new UsageError(`${given} reaches back beyond the 15 days CloudWatch keeps 1-minute data: the alarms are evaluated every minute, `
      + `and older history is only kept at 5 minutes, so it cannot be replayed faithfully. Replay at most ${span(most)}, or pass `
      + '--allow-5-minute-data to replay the older part on 5-minute data (spread evenly over each 5 minutes: short windows see '
      + '5-minute averages, alerts there may move by up to 4 minutes; time-slice SLOs on slices shorter than 5 minutes are not replayed there)', request.command);
  }
}

/** What the run's notes say about resolution. */
function resolutionNotes(range: ReplayRange): string[] {
  if (range.segments.length < 2) {
    return [];
  }
  const boundary = range.oneMinuteFrom.toISOString().slice(0, 16).replace('T', ' ');
  if (range.start.getTime() >= range.oneMinuteFrom.getTime()) {
    return [`History before ${boundary} UTC is 5-minute data (CloudWatch keeps 1-minute data for 15 days), spread evenly over each 5 minutes: `
      + 'only the look-back of the longest windows reads it, whose sums stay exact to within 4 minutes of events at their oldest edge; '
      + 'alarms on 5-minute slices read it as it is.'];
  }
  const coarse = (range.oneMinuteFrom.getTime() - range.start.getTime()) / 60_000;
  return [`The first ${span(coarse)} of the range (before ${boundary} UTC) are replayed on 5-minute data (--allow-5-minute-data), spread `
    + 'evenly over each 5 minutes: short windows there see 5-minute averages and alerts may move by up to 4 minutes; alarms on 5-minute '
    + 'slices read it as it is; the rest is 1-minute data.'];
}

/** Runs the replay. */
export async function runReplay(io: CliIo, options: AwsClientOptions, request: ReplayRequest): Promise<ReplayRun> {
  const now = io.now();
  const aws = await openBudgetClient(io, options, request.stack);
  // The AWS SDK is loaded only when a command talks to AWS: report, diff and simulate stay fast.
  const { describeAlarms } = await import('../budget/fetch');
  const context: FetchContext = { client: aws.client, region: aws.region, sleep: (ms) => io.sleep(ms) };

  const models = request.sides.flatMap((side) => side.map((s) => s.model).filter((m): m is SloAlarmModel => m !== undefined));
  const names = windowAlarmNamesOf(models);
  const deployed: DeployedAlarms = names.length > 0 ? await describeAlarms(context, names) : { alarms: new Map() };
  const values = learnDeployedValues(models, deployed.alarms);
  const notes: string[] = [];
  if (deployed.denied !== undefined) {
    const needing = request.sides.flat().filter((s) => s.model && deployTimeValues(s.model).length > 0);
    if (needing.length > 0) {
      throw new CliError(`cannot read the deployed alarms in ${aws.region} (cloudwatch:DescribeAlarms: ${deployed.denied}). The metrics of `
        + `${joinAnd([...new Set(needing.map((s) => `${s.service}/${s.slo}`))])} name values known only once deployed, which the replay reads `
        + 'from the alarms: allow cloudwatch:DescribeAlarms (besides cloudwatch:GetMetricData) to the identity that runs it');
    }
    notes.push(`Could not check that the stack's alarms exist in ${aws.region} (cloudwatch:DescribeAlarms denied).`);
  } else if (names.length > 0 && deployed.alarms.size === 0) {
    notes.push(`None of these SLOs' alarms exist in ${aws.region}: the stack is not deployed here, or the credentials are for another account; `
      + 'metrics that are not there replay as missing.');
  }

  const sides = request.sides.map((side) => side.map((slo): ReplaySlo => {
    if (!slo.model) {
      return slo;
    }
    const { model, missing } = resolveModel(slo.model, values);
    if (missing.length > 0) {
      return {
        service: slo.service,
        slo: slo.slo,
        reason: `its metrics name values known only once deployed (${truncate(joinAnd(missing), 160)}), and no deployed alarm of the stack `
          + `in ${aws.region} reads them: not deployed yet, or deployed in another region or account`,
      };
    }
    return { ...slo, model };
  }));

  const resolved = sides.flat().map((s) => s.model).filter((m): m is SloAlarmModel => m !== undefined);
  const range = replayRange(now, request.minutes, warmUpMinutes(resolved, request.delayMinutes));
  checkRetention(range, now, request);
  const replayable = resolved.filter((m) => resolutionProblem(m, range, request.delayMinutes) === undefined);
  const metrics = metricsOf(replayable, { range, delayMinutes: request.delayMinutes });
  const { history, requests } = metrics.length > 0
    ? await fetchHistory(context, metrics, range)
    : { history: undefined, requests: 0 };

  return {
    region: aws.region,
    range,
    delayMinutes: request.delayMinutes,
    sides: sides.map((side) => side.map((slo) => (history ? replaySlo(slo, history, request.delayMinutes)
      : notReplayed(slo, slo.reason ?? resolutionProblem(slo.model!, range, request.delayMinutes) ?? 'nothing to read')))),
    requests,
    metrics: metrics.length,
    notes: [...resolutionNotes(range), ...notes],
  };
}
