/**
 * `review` end to end on the sample app: its synthesized cloud assembly, a month of fixture data
 * answered at the SDK-client boundary, the report as JSON (saved as fixtures/sample-report.json)
 * and as Markdown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { PeriodReport } from '../../../lib/cli/period-report/model';
import type { ReliabilityManifest } from '../../../lib/manifest/schema';
import { awsError, T0, useHarness } from '../support/harness';
import { SEARCH_TEMPLATE, sampleAccount, synthSample } from './sample';
import { FakeAccount, FakeExperiment } from './world';

const FIXTURE = path.join(__dirname, 'fixtures', 'sample-report.json');

let dir: string;
let manifest: ReliabilityManifest;
let orders: ReliabilityManifest;
beforeAll(() => {
  ({ dir, manifest, orders } = synthSample());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const world = useHarness();

function account(): FakeAccount {
  return sampleAccount(new FakeAccount(() => T0).install(world()), manifest, orders);
}

async function review(...args: string[]): Promise<PeriodReport> {
  const code = await world().run('review', dir, '--since', '30d', '--format', 'json', ...args);
  expect({ code, stderr: world().stderr() }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(world().stdout()) as PeriodReport;
}

describe('review on the sample app', () => {
  test('the report of a month: attainment, pages, experiments and the summary, as saved in the fixture', async () => {
    account();
    const report = await review();
    if (process.env.UPDATE_PERIOD_REPORT_FIXTURE) {
      fs.writeFileSync(FIXTURE, `${JSON.stringify(report, null, 2)}\n`);
    }
    expect(report).toEqual(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
  });

  test('checkout kept its availability objective, and its worst day names the 5XX errors and the page that burned it', async () => {
    account();
    const report = await review();
    expect(report.period).toEqual({ start: '2024-04-01T12:00:00.000Z', end: '2024-05-01T12:00:00.000Z', seconds: 30 * 86_400, label: '30d' });
    const checkout = report.services.find((s) => s.service === 'checkout')!;
    const availability = checkout.slos.find((s) => s.slo === 'availability')!;
    // 120 requests a minute; 1,200 + 360 bad in two episodes, 10 a night
    expect(availability.period.total).toBe(120 * 60 * 24 * 30);
    expect(availability.period.bad).toBe(1_200 + 360 + 10 * 30);
    expect(availability.met).toBe(true);
    expect(availability.worstDays[0]).toEqual(expect.objectContaining({
      day: '2024-04-12',
      bad: 1_210,
      causes: [
        { kind: 'metric', label: '5XXError', sharePercent: 100 },
        // the ticket opened at 11:30, after the errors stopped: not a cause
        { kind: 'incident', label: 'checkout-availability-page' },
      ],
    }));
    expect(availability.burnDown).toHaveLength(31);
    expect(availability.alerts).toEqual({ available: true, pages: 1, tickets: 1 });
    expect(checkout.summary).toBe('checkout kept availability 99.96 % against 99.9 % and latency 99.56 % against 99 %; 2 pages, both acknowledged within 18 min, 1 ticket; the game day passed 4 of 5 (1 finding)');
  });

  test('pages: time to acknowledge, who answered, how far it escalated, an exhausted chain', async () => {
    account();
    const report = await review();
    const checkout = report.services.find((s) => s.service === 'checkout')!.incidents;
    expect(checkout).toEqual(expect.objectContaining({
      available: true, pages: 2, tickets: 1, acknowledged: 2, exhausted: 0, medianSecondsToAcknowledge: (1_058 + 199) / 2, maxSecondsToAcknowledge: 1_058,
      responders: [{ name: 'jonas', acknowledged: 1 }, { name: 'maria', acknowledged: 1 }],
    }));
    expect(checkout.incidents[0]).toEqual({
      alarmName: 'checkout-availability-page', severity: 'page', slo: 'availability', openedAt: '2024-04-12T10:12:00.000Z',
      acknowledgedAt: '2024-04-12T10:29:38.000Z', acknowledgedBy: 'maria', secondsToAcknowledge: 1_058, highestLevel: 1, levels: 3,
      exhausted: false, resolvedAt: '2024-04-12T10:50:00.000Z',
    });
    const fulfilment = report.services.find((s) => s.service === 'fulfilment')!;
    expect(fulfilment.incidents).toEqual(expect.objectContaining({ pages: 1, acknowledged: 0, exhausted: 1 }));
    expect(fulfilment.incidents.incidents[0]).toEqual(expect.objectContaining({ highestLevel: 2, exhausted: true, resolvedAt: '2024-04-27T03:20:00.000Z' }));
    expect(fulfilment.summary).toContain('1 page, none acknowledged, 1 reached nobody (chain exhausted)');
  });

  test('experiments: the scheduled game days and their verdicts, a stop condition that fired, a manual run; other stacks and older runs left out', async () => {
    account();
    const report = await review();
    const runs = report.services.find((s) => s.service === 'checkout')!.experiments;
    expect(runs.runs.map((r) => [r.id, r.verdict, r.stopConditionFired, r.scheduled])).toEqual([
      ['EXPapril02', 'passed', false, true],
      ['EXPapril09', 'passed', false, true],
      ['EXPapril16', 'passed', false, true],
      ['EXPapril23', 'finding', true, true],
      ['EXPapril30', 'passed', false, true],
    ]);
    const search = report.services.find((s) => s.service === 'search')!.experiments;
    expect(search.runs).toEqual([expect.objectContaining({ id: 'EXPsearchManual', verdict: 'finding', stopConditionFired: true, scheduled: false })]);
  });

  describe('experiment verdicts beyond passed and finding', () => {
    const at = (iso: string) => Date.parse(iso);
    const PROBE_ALARM = 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:search-synthetic-probe';
    const run = (id: string, day: string, status: string, extra: Partial<FakeExperiment> = {}): FakeExperiment => ({
      id, experimentTemplateId: SEARCH_TEMPLATE, status, startTime: at(`${day}T09:00:00Z`), endTime: at(`${day}T09:12:00Z`), ...extra,
    });
    /** search's manual run, plus runs ending each other way; the user's own probe alarm fired on 04-21 only. */
    function moreRuns(): FakeAccount {
      const fake = account();
      fake.experiments.push(
        run('EXPownAlarm', '2024-04-21', 'stopped', { reason: 'Experiment stopped by stop condition.', stopConditionArns: [PROBE_ALARM] }),
        run('EXPbyHand', '2024-04-22', 'stopped', { reason: 'Experiment stopped by user.', stopConditionArns: [PROBE_ALARM] }),
        run('EXPotherRegion', '2024-04-24', 'stopped', { stopConditionArns: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:edge-probe'] }),
        run('EXPbroken', '2024-04-25', 'failed', { reason: 'Target resolution failed.', error: { code: 'InvalidTarget', location: 'Targets.functions' } }),
        run('EXPcancelled', '2024-04-26', 'cancelled', { reason: 'Experiment cancelled.' }),
      );
      fake.transitions.push(
        { alarm: 'search-synthetic-probe', at: at('2024-04-21T09:07:00Z'), state: 'ALARM' },
        { alarm: 'search-synthetic-probe', at: at('2024-04-21T09:30:00Z'), state: 'OK' },
        // the latency page alarm's state is known from here (a run's state at its start needs a change read)
        { alarm: 'search-latency-page', at: at('2024-04-02T00:00:00Z'), state: 'OK' },
      );
      return fake;
    }

    test('a run stopped by the user\'s own stop-condition alarm (an ARN, read from GetExperiment) is a finding, not a failure', async () => {
      moreRuns();
      const search = (await review()).services.find((s) => s.service === 'search')!.experiments;
      const own = search.runs.find((r) => r.id === 'EXPownAlarm')!;
      expect(own).toEqual(expect.objectContaining({ verdict: 'finding', stopConditionFired: true, state: 'stopped' }));
      expect(own.reason).toBe('FINDING: stopped by stop condition search-synthetic-probe in ALARM: customers would have been hurt. '
        + '(search-synthetic-probe: a stop condition of your own, not an SLO alarm)');
    });

    test('stopped by a person, cancelled, failed to run (with FIS\'s error) and inconclusive each have their verdict and count', async () => {
      moreRuns();
      const search = (await review()).services.find((s) => s.service === 'search')!;
      const verdicts = Object.fromEntries(search.experiments.runs.map((r) => [r.id, [r.verdict, r.reason]]));
      expect(verdicts.EXPbyHand).toEqual(['stopped-by-person', 'STOPPED by a person or a program (StopExperiment): none of its stop-condition alarms '
        + 'went into ALARM during the run; no verdict']);
      expect(verdicts.EXPcancelled).toEqual(['cancelled', 'CANCELLED: Experiment cancelled.']);
      expect(verdicts.EXPbroken).toEqual(['failed', 'FAILED: Target resolution failed. (error InvalidTarget at Targets.functions)']);
      expect(verdicts.EXPotherRegion).toEqual(['inconclusive', 'INCONCLUSIVE: FIS stopped the experiment, and whether a stop condition did cannot '
        + 'be told: edge-probe: its alarm is in us-east-1, whose history the report does not read']);
      expect(search.experiments).toEqual(expect.objectContaining({ passed: 0, findings: 2, failed: 1, stoppedByPerson: 1, cancelled: 1, inconclusive: 1 }));
      expect(search.summary).toMatch(/; experiments passed 0 of 6 \(2 findings, 1 failed to run, 1 stopped by a person, 1 cancelled, 1 inconclusive\)$/);
    });

    test('a run FIS stopped because its stop-condition alarm was already in ALARM at the start is inconclusive (gameday\'s wording), not stopped by a person', async () => {
      const fake = moreRuns();
      fake.experiments.push(run('EXPalarmingAtStart', '2024-04-27', 'stopped', { stopConditionArns: [PROBE_ALARM] }));
      // went to ALARM between the experiment's creation and its start, and stayed there
      fake.transitions.push({ alarm: 'search-synthetic-probe', at: at('2024-04-27T08:59:30Z'), state: 'ALARM' });
      const search = (await review()).services.find((s) => s.service === 'search')!.experiments;
      expect(search.runs.find((r) => r.id === 'EXPalarmingAtStart')).toEqual(expect.objectContaining({
        verdict: 'inconclusive', stopConditionFired: false,
        reason: 'INCONCLUSIVE: FIS stopped the experiment: stop condition search-synthetic-probe was already in ALARM at the start; nothing was learned',
      }));
    });

    test('a run stopped whose stop condition has no state change in the history read is inconclusive: its state at the start cannot be told', async () => {
      const fake = account();
      fake.experiments.push(run('EXPquiet', '2024-04-22', 'stopped', { stopConditionArns: [PROBE_ALARM] }));
      const search = (await review()).services.find((s) => s.service === 'search')!.experiments;
      expect(search.runs.find((r) => r.id === 'EXPquiet')).toEqual(expect.objectContaining({
        verdict: 'inconclusive',
        reason: expect.stringMatching(/^INCONCLUSIVE: FIS stopped the experiment, and whether a stop condition was already in ALARM at the start cannot be told: no state change of .*search-synthetic-probe in the alarm history read$/),
      }));
    });

    test('a run stopped by an alarm of another account (same region) is inconclusive: the run\'s account is GetExperiment\'s, not the env-agnostic manifest\'s', async () => {
      const fake = moreRuns();
      fake.experiments.push(run('EXPotherAccount', '2024-04-27', 'stopped', { stopConditionArns: ['arn:aws:cloudwatch:eu-west-1:444455556666:alarm:partner-probe'] }));
      const search = (await review()).services.find((s) => s.service === 'search')!.experiments;
      expect(search.runs.find((r) => r.id === 'EXPotherAccount')).toEqual(expect.objectContaining({
        verdict: 'inconclusive',
        reason: 'INCONCLUSIVE: FIS stopped the experiment, and whether a stop condition did cannot be told: '
          + 'partner-probe: its alarm is in account 444455556666, whose history the report does not read',
      }));
    });

    test('a run stopped while the alarm history cannot be read is inconclusive, not stopped by a person', async () => {
      const fake = moreRuns();
      fake.refuse.set('cloudwatch:DescribeAlarmHistory', awsError('AccessDenied', 'User is not authorized to perform: cloudwatch:DescribeAlarmHistory'));
      const search = (await review()).services.find((s) => s.service === 'search')!.experiments;
      expect(search.runs.find((r) => r.id === 'EXPbyHand')).toEqual(expect.objectContaining({ verdict: 'inconclusive' }));
      expect(search.runs.find((r) => r.id === 'EXPbyHand')!.reason).toMatch(/^INCONCLUSIVE: .*: the alarm history of the run is not read \(alarm history could not be read: cloudwatch:DescribeAlarmHistory was refused/);
    });

    test('Markdown and HTML tell each verdict apart', async () => {
      moreRuns();
      expect(await world().run('review', dir, '--since', '30d', '--service', 'search')).toBe(0);
      const markdown = world().stdout();
      expect(markdown).toContain('0 passed, 2 with a finding, 1 failed to run, 1 stopped by a person, 1 cancelled, 1 inconclusive.');
      expect(markdown).toContain('| 2024-04-22 09:00 | handler-errors | EXPbyHand | stopped | stopped-by-person | no | a person |');
      const out = path.join(dir, 'review.html');
      expect(await world().run('review', dir, '--since', '30d', '--service', 'search', '--format', 'html', '--out', out)).toBe(0);
      const html = fs.readFileSync(out, 'utf8');
      expect(html).toContain('<p>6 experiment runs: 0 passed, 2 with a finding, 1 failed to run, 1 stopped by a person, 1 cancelled, 1 inconclusive.</p>');
      for (const text of ['■ stopped by a person', '– cancelled', '? inconclusive', '✗ failed to run']) {
        expect(html).toContain(text);
      }
      expect(html).toContain('experiment runs: 0 passed, 2 with a finding, 1 failed to run, 1 stopped by a person, 1 cancelled, 1 inconclusive');
    });
  });

  test('missing data is said, not hidden: the fulfilment gap counts as missing hours', async () => {
    account();
    const report = await review();
    const fulfilment = report.services.find((s) => s.service === 'fulfilment')!.slos[0];
    expect(fulfilment.period.missingFraction).toBeCloseTo(6 / 720, 6);
    expect(fulfilment.worstDays[0]).toEqual(expect.objectContaining({
      day: '2024-04-27', bad: 240, causes: [{ kind: 'metric', label: 'ExecutionsTimedOut', sharePercent: 100 }, { kind: 'incident', label: 'fulfilment-availability-page' }],
    }));
  });

  test('batched: the 5 SLOs of the Shop stack are read with one GetMetricData request, their alarms with one history scan; the report counts its calls', async () => {
    const fake = account();
    const report = await review('--stack', 'Shop');
    expect(fake.metrics.requests).toHaveLength(1);
    expect(report.apiCalls).toEqual({
      'cloudwatch:DescribeAlarmHistory': 1,
      'cloudwatch:DescribeAlarms': 1,
      'cloudwatch:GetMetricData': 1,
      'fis:GetExperiment': 6,
      'fis:ListExperimentTemplates': 1,
      'fis:ListExperiments': 1,
      'logs:DescribeLogGroups': 1,
      'logs:DescribeMetricFilters': 1,
      'logs:GetQueryResults': 2,
      'logs:StartQuery': 1,
    });
  });

  test('Markdown: the summary first, a table per service, worst days, pages and experiments', async () => {
    account();
    const code = await world().run('review', dir, '--since', '30d');
    expect(code).toBe(0);
    const text = world().stdout();
    expect(text).toMatch(/^# Reliability review: 30d\n\n2024-04-01 12:00 to 2024-05-01 12:00 UTC, eu-west-1, stacks Shop and Orders\.\n\n- Over 30d/);
    expect(text).toContain('| SLO | objective | period | SLO window | budget left | met | pages | tickets |');
    expect(text).toContain('- 2024-04-12: ');
    expect(text).toContain('| 2024-04-27 01:15 | fulfilment-availability-page | page | – | – | – | 3 of 3 | **yes** | 2024-04-27 03:20 |');
    expect(text).toContain('| 2024-04-23 08:00 | slow-handler | EXPapril23 | stopped | finding | **yes** | game day |');
    expect(text).toContain('Responders: jonas (1) and maria (1).');
    expect(text).toContain('## order-events');
    expect(text).toContain('- 2024-04-24: ');
  });

  test('--out writes the file and prints the summary', async () => {
    account();
    const out = path.join(dir, 'review.md');
    expect(await world().run('review', dir, '--since', '30d', '--out', out, '--service', 'search')).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^# Reliability review: 30d\n/);
    expect(world().stdout()).toMatch(/^Wrote the review of 1 service over 30d \(markdown\) to .*review\.md\n {2}Over 30d/);
  });

  test('a period longer than alarm history and log retention says so in the sections and caveats', async () => {
    account();
    const report = await review('--since', '45d');
    const checkout = report.services.find((s) => s.service === 'checkout')!;
    expect(checkout.slos[0].alerts.reason).toBe('CloudWatch keeps alarm history 30 days: alerts before 2024-04-01 are not counted');
    expect(checkout.incidents.reason).toBe('the escalation logs of policy ShopOnCall are kept 30 d (its logRetention): incidents before 2024-04-01 are not counted');
    expect(report.caveats).toEqual(expect.arrayContaining([
      'Alerts (and stop conditions that fired) are counted from 2024-04-01 only: CloudWatch keeps alarm history 30 days.',
    ]));
  });

  test('a refused Logs permission leaves incidents unavailable with the reason, and the rest of the report stands', async () => {
    const fake = account();
    fake.refuse.set('logs:StartQuery', awsError('AccessDeniedException', 'User is not authorized to perform: logs:StartQuery'));
    const report = await review();
    const checkout = report.services.find((s) => s.service === 'checkout')!;
    expect(checkout.incidents.available).toBe(false);
    expect(checkout.incidents.reason).toContain('logs:StartQuery or logs:GetQueryResults was refused (User is not authorized to perform: logs:StartQuery)');
    expect(checkout.slos[0].period.status).toBe('ok');
    // not a quiet period: the page alarms are counted from alarm history, and who answered is said to be unknown
    expect(checkout.summary).toContain('; 2 page alarms from alarm history (who answered not known: the incidents of policy ShopOnCall could not be read');
    expect(checkout.summary).not.toMatch(/no pages/);
  });

  test('no escalation log group deployed: incidents unavailable, naming the metric filter looked for', async () => {
    const fake = account();
    fake.logGroups.clear();
    const report = await review();
    expect(report.services[0].incidents.reason).toBe('no log group of escalation policy ShopOnCall in eu-west-1 (no metric filter '
      + 'cdk-reliability/ShopOnCall-UnverifiedAlarmMessages): not deployed here, or a custom IEscalationPolicy, whose incidents review cannot read');
  });

  test('GetMetricData throttled, then paged with PartialData: retried with backoff, every page read, same figures', async () => {
    const fake = account();
    fake.metrics.pageSize = 5_000;
    fake.metrics.failures.push(awsError('ThrottlingException', 'Rate exceeded'), awsError('ThrottlingException', 'Rate exceeded'));
    const report = await review();
    const saved = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as PeriodReport;
    expect(report.services.map((s) => s.slos)).toEqual(saved.services.map((s) => s.slos));
    // 2 throttled + the pages of one request
    expect(world().cloudWatch.commandCalls(GetMetricDataCommand).length).toBe(report.apiCalls['cloudwatch:GetMetricData']);
    expect(fake.metrics.requests.filter((r) => r.NextToken !== undefined).length).toBeGreaterThan(3);
    expect(world().sleeps.slice(0, 2).every((ms) => ms >= 500 && ms <= 2_000)).toBe(true);
  });

  test('Logs Insights: a range that fills the 10,000-row limit is split in halves and read again', async () => {
    const fake = account();
    // a noisy month: 25,000 escalations of an alarm of another stack sharing the log group
    for (let i = 0; i < 25_000; i++) {
      fake.logLines.push({ time: new Date(T0 - 29 * 86_400_000 + i * 100_000).toISOString(), event: 'incident-escalated', alarmName: 'other-page',
        incidentStart: '2024-04-02T00:00:00.000Z', escalationLevel: 1 });
    }
    const report = await review('--stack', 'Shop');
    const queries = world().logs.commandCalls(StartQueryCommand).map((c) => c.args[0].input);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    const pages = report.services.reduce((n, s) => n + s.incidents.pages, 0);
    expect(pages).toBe(4);
  });
});

describe('review of time-slice SLOs: the condition metric read at Period = slice, slices counted per hour', () => {
  const HOUR = 3_600_000;
  /** CloudWatch keeps 1-minute data 15 days: review reads from the second whole hour after that. */
  const KEPT_FROM = Date.parse('2024-04-16T14:00:00Z');
  const COUNTED = (T0 - KEPT_FROM) / 60_000;

  test('the queue\'s age at 1-minute slices: its 90-minute bad stretch in attainment, the worst day and the burn-down, counted over the 15 days CloudWatch keeps, said in reason and missingFraction', async () => {
    account();
    const report = await review();
    const freshness = report.services.find((s) => s.service === 'order-events')!.slos.find((s) => s.slo === 'freshness')!;
    expect(freshness).toEqual(expect.objectContaining({ kind: 'time-slice', unit: '1-minute slices', objectivePercent: 99.5, met: true }));
    // 2024-04-24 13:00-14:30 bad; the 120 bad minutes of 2024-04-08 are older than CloudWatch keeps 1-minute data
    expect(freshness.period).toEqual({
      start: '2024-04-01T12:00:00.000Z', end: '2024-05-01T12:00:00.000Z', status: 'ok',
      reason: 'CloudWatch keeps 1-minute data 15 days: slices before 2024-04-16 14:00 are not counted',
      bad: 90, total: COUNTED,
      attainmentPercent: 100 * (1 - 90 / COUNTED),
      budgetRemainingPercent: 100 * (1 - (90 / COUNTED) / 0.005),
      budgetBasisSeconds: (T0 - KEPT_FROM) / 1000,
      missingFraction: (KEPT_FROM - Date.parse('2024-04-01T12:00:00Z')) / HOUR / 720,
    });
    expect(freshness.worstDays).toEqual([expect.objectContaining({
      day: '2024-04-24', bad: 90, total: 1_440,
      causes: [{ kind: 'metric', label: '1m slices with ApproximateAgeOfOldestMessage >= 300', sharePercent: 100 }, { kind: 'incident', label: 'order-events-freshness-page' }],
    })]);
    // the budget adds up: the days' bad slices are the period's, the last day's budget is the SLO window's
    const days = freshness.burnDown.filter((d) => d.bad !== null);
    expect(days.reduce((n, d) => n + d.bad!, 0)).toBe(freshness.period.bad);
    expect(freshness.burnDown[freshness.burnDown.length - 1].budgetRemainingPercent).toBeCloseTo(freshness.slidingWindow.budgetRemainingPercent!, 9);
    // days before CloudWatch's 15 days are unknown, not healthy
    expect(freshness.burnDown[0]).toEqual({ day: '2024-04-01', at: '2024-04-02T00:00:00.000Z', budgetRemainingPercent: null, bad: null, total: null });
    expect(report.caveats).toContain('order-events freshness counts 1-minute slices from 2024-04-16 14:00 only: CloudWatch keeps 1-minute data 15 days.');
  });

  test('budget left over the 15 days read and a worst day\'s share of a whole window\'s budget each say their base, in JSON, Markdown and HTML', async () => {
    account();
    const report = await review('--service', 'order-events');
    const freshness = report.services[0].slos.find((s) => s.slo === 'freshness')!;
    // 90 bad slices: 84 % of the budget of the 14d 22h read is left; the worst day spent 90 / (0.5 % of a whole 30d window's slices)
    expect(freshness.slidingWindow.budgetBasisSeconds).toBe((T0 - KEPT_FROM) / 1000);
    expect(freshness.worstDays[0].budgetSpentPercent).toBeCloseTo(100 * 90 / (0.005 * 30 * 1_440), 0);
    const consumer = report.services[0].slos.find((s) => s.slo === 'consumer')!;
    expect(consumer.slidingWindow.budgetBasisSeconds).toBeUndefined();
    // the burn-down's budget left says its base too (a whole window's when not clipped)
    expect(freshness.burnDown[freshness.burnDown.length - 1].budgetBasisSeconds).toBe((T0 - KEPT_FROM) / 1000);
    expect(freshness.burnDown[0].budgetBasisSeconds).toBeUndefined();
    expect(consumer.burnDown.every((p) => p.budgetBasisSeconds === undefined)).toBe(true);

    expect(await world().run('review', dir, '--since', '30d', '--service', 'order-events')).toBe(0);
    const markdown = world().stdout();
    expect(markdown).toMatch(/\| freshness \| 99\.5 % \| [^|]+ \| [^|]+ \| 16\.2 % \(of the 14d 22h read of the 30d window\) \|/);
    expect(markdown).toMatch(/- 2024-04-24: .*of a whole 30d window's budget\)/);
    expect(markdown).toMatch(/\| 2024-05-01 \| 16\.2 % \(of the 14d 22h read of the 30d window\) \| 0 \|/);

    const out = path.join(dir, 'basis.html');
    expect(await world().run('review', dir, '--since', '30d', '--service', 'order-events', '--format', 'html', '--out', out)).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<dt>budget left, 14d 22h read of the 30d window</dt>');
    expect(html).toContain('<span class="muted">(of the 14d 22h read)</span>');
    expect(html).toContain('<dt>budget left, 30d window</dt>');
    expect(html).toContain('budget spent, of a whole 30d window</th>');
  });

  test('missing slices follow the SLI: the dead-letter queue\'s silent minutes are good, its 90 minutes with messages bad', async () => {
    account();
    const report = await review('--service', 'order-events');
    const deadLetters = report.services[0].slos.find((s) => s.slo === 'dead-letters')!;
    // its last datapoint is at 11:55: of the 4 silent minutes after it, the newest 3 may still be in flight and are not judged
    expect(deadLetters.period).toEqual(expect.objectContaining({ bad: 90, total: COUNTED - 3 }));
    expect(deadLetters.worstDays[0].causes[0]).toEqual({ kind: 'metric', label: '1m slices with ApproximateNumberOfMessagesVisible > 0', sharePercent: 100 });
    expect(report.services[0].incidents.pages).toBe(2);
    expect(report.services[0].summary).toBe('order-events kept freshness 99.58 % against 99.5 %, consumer 99.97 % against 99.5 % and dead-letters 99.58 % against 99.5 %; '
      + '2 pages, both acknowledged within 4 min');
  });

  test('5-minute slices are kept 63 days: the whole period and SLO window are read, the older stretch counted too', async () => {
    account();
    const file = path.join(dir, 'five-minute.reliability.json');
    const changed = JSON.parse(JSON.stringify(orders)) as ReliabilityManifest;
    const sli = changed.services.find((s) => s.name === 'order-events')!.slos.find((s) => s.name === 'freshness')!.sli;
    (sli as { timeSlice: { sliceSeconds: number; slice: string } }).timeSlice = { ...sli.timeSlice!, sliceSeconds: 300, slice: '5m' };
    fs.writeFileSync(file, JSON.stringify(changed));
    const code = await world().run('review', file, '--since', '30d', '--format', 'json', '--service', 'order-events');
    expect({ code, stderr: world().stderr() }).toEqual({ code: 0, stderr: '' });
    const freshness = (JSON.parse(world().stdout()) as PeriodReport).services[0].slos.find((s) => s.slo === 'freshness')!;
    expect(freshness.unit).toBe('5-minute slices');
    // the fake sums a period's minutes: 5 x 900 s and 5 x 4 s; 18 + 24 bad slices of 8,640
    expect(freshness.period).toEqual(expect.objectContaining({ bad: 42, total: 8_640, missingFraction: 0 }));
    expect(freshness.period.reason).toBeUndefined();
    expect(freshness.worstDays.map((d) => [d.day, d.bad])).toEqual([['2024-04-08', 24], ['2024-04-24', 18]]);
    const sliceRequest = world().cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input)
      .find((r) => r.MetricDataQueries!.some((q) => q.MetricStat?.Period === 300))!;
    expect(sliceRequest.StartTime).toEqual(new Date('2024-03-02T12:00:00Z'));
  });

  test('both stacks: the ratio SLOs share one request at 1 hour, the time-slice SLOs one at Period = 60 from where 1-minute data is kept', async () => {
    const fake = account();
    const report = await review();
    expect(fake.metrics.requests).toHaveLength(2);
    const [hourly, slices] = fake.metrics.requests;
    expect(hourly.MetricDataQueries!.filter((q) => q.MetricStat).every((q) => q.MetricStat!.Period === 3600)).toBe(true);
    // storefront's tasks condition is an expression over two metrics read at the slice: no period of its own
    expect(slices.MetricDataQueries!.map((q) => [q.Label, q.MetricStat?.Period])).toEqual([
      ['storefront/tasks slice0', undefined], ['storefront/tasks running', 60], ['storefront/tasks desired', 60],
      ['order-events/freshness slice0', 60], ['order-events/dead-letters slice0', 60],
    ]);
    expect(slices.StartTime).toEqual(new Date(KEPT_FROM));
    expect(report.apiCalls['cloudwatch:GetMetricData']).toBe(2);
    expect(report.stacks).toEqual(['Shop', 'Orders']);
  });

  test('--format html --out writes the self-contained page', async () => {
    account();
    const out = path.join(dir, 'review.html');
    expect(await world().run('review', dir, '--since', '30d', '--format', 'html', '--out', out)).toBe(0);
    const page = fs.readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('<svg');
    expect(page).toContain('order-events');
    expect(page).not.toContain('<script');
    expect(world().stdout()).toMatch(/^Wrote the review of 6 services over 30d \(html\) to .*review\.html\n/);
  });
});

describe('review: paging, polling, refusals and what it cannot read yet', () => {
  test('FIS lists are paged: every page of templates and experiments is read', async () => {
    const fake = account();
    fake.fisPageSize = 2;
    const report = await review();
    // 5 templates (2 of Shop, 2 of Orders, 1 of another stack) and 10 experiments, 2 a page
    expect(report.apiCalls['fis:ListExperimentTemplates']).toBe(3);
    expect(report.apiCalls['fis:ListExperiments']).toBe(5);
    expect(report.services.find((s) => s.service === 'checkout')!.experiments.runs).toHaveLength(5);
    expect(report.services.find((s) => s.service === 'storefront')!.experiments.runs).toHaveLength(2);
  });

  test('alarm history: one scan of the account\'s composite alarms, every page read, other alarms left out', async () => {
    const fake = account();
    for (let i = 0; i < 250; i++) {
      fake.transitions.push({ alarm: `other-service-page-${i % 7}`, at: T0 - 20 * 86_400_000 + i * 60_000, state: 'ALARM' });
    }
    const report = await review();
    expect(report.apiCalls['cloudwatch:DescribeAlarmHistory']).toBe(3);
    expect(report.services.find((s) => s.service === 'checkout')!.slos[0].alerts).toEqual({ available: true, pages: 1, tickets: 1 });
  });

  test('Logs Insights: polled while Running, with backoff (1 s, 2 s, 4 s), until Complete', async () => {
    const fake = account();
    fake.runningPolls = 3;
    const report = await review('--stack', 'Shop');
    expect(report.apiCalls['logs:GetQueryResults']).toBe(4);
    expect(world().sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(report.services[0].incidents.pages).toBe(2);
  });

  test('a time-slice SLO whose condition is an expression over two metrics is read per slice: minutes short of tasks and silent minutes are bad', async () => {
    const fake = account();
    const report = await review('--stack', 'Orders', '--service', 'storefront');
    const [availability, latency, tasks] = report.services[0].slos;
    expect(availability.period.status).toBe('ok');
    expect(latency.period.status).toBe('ok');
    // 10 minutes with 1 of 2 tasks running, 3 minutes without Container Insights datapoints
    expect(tasks).toEqual(expect.objectContaining({ kind: 'time-slice', unit: '1-minute slices', met: true }));
    expect(tasks.period).toEqual(expect.objectContaining({ status: 'ok', bad: 13, total: 21_480 }));
    expect(tasks.worstDays.map((d) => [d.day, d.bad])).toEqual([['2024-04-25', 10], ['2024-04-20', 3]]);
    // the condition is queried as an expression at Period = 1 minute, only its series returned
    const queries = fake.metrics.requests.flatMap((r) => r.MetricDataQueries ?? []).filter((q) => /_(slice0|running|desired)$/.test(q.Id ?? ''));
    expect([...new Set(queries.filter((q) => q.ReturnData).map((q) => q.Expression))]).toEqual([expect.stringMatching(/^s\d+_running - s\d+_desired$/)]);
    expect([...new Set(queries.filter((q) => !q.ReturnData).map((q) => `${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Stat} ${q.MetricStat?.Period}`))])
      .toEqual(['RunningTaskCount Minimum 60', 'DesiredTaskCount Maximum 60']);
    expect(report.caveats.some((c) => c.includes('does not record'))).toBe(false);
    expect(report.services[0].summary).toMatch(/^storefront kept availability 99\.996 % against 99\.9 %, latency 99\.49 % against 99 % and tasks 99\.93 % against 99\.5 %; 1 page/);
  });

  test('a time-slice SLO whose condition uses metrics the manifest does not record (a manifest written before they were) is no data, saying why, and does not hide the others', async () => {
    account();
    const file = path.join(dir, 'Orders.reliability.json');
    const written = fs.readFileSync(file, 'utf8');
    const older: ReliabilityManifest = JSON.parse(written);
    const storefront = older.services.find((s) => s.name === 'storefront')!;
    const tasksEntry = storefront.slos.find((s) => s.name === 'tasks')!;
    (tasksEntry.sli as { metrics: unknown[] }).metrics = tasksEntry.sli.metrics.filter((m) => m.id === 'slice0');
    fs.writeFileSync(file, JSON.stringify(older));
    try {
      const report = await review('--stack', 'Orders', '--service', 'storefront');
      const [availability, latency, tasks] = report.services[0].slos;
      expect(availability.period.status).toBe('ok');
      expect(latency.period.status).toBe('ok');
      expect(tasks).toEqual(expect.objectContaining({ kind: 'time-slice', unit: '1-minute slices', met: null, worstDays: [] }));
      expect(tasks.period).toEqual(expect.objectContaining({ status: 'no-data', bad: null }));
      expect(tasks.period.reason).toBe('its slice condition running - desired uses running and desired, which the manifest does not record: review cannot read it');
      expect(report.services[0].summary).toMatch(/^storefront kept availability 99\.996 % against 99\.9 % and latency 99\.49 % against 99 %, tasks: no data; 1 page/);
    } finally {
      fs.writeFileSync(file, written);
    }
  });

  test.each([
    [['--format', 'pdf'], 'error: --format pdf: use markdown, json or html'],
    [['--since', '3 days'], 'error: --since 3 days: use a span such as 30d, 12h or 2w'],
    [['--service', 'chekout'], 'no service \'chekout\''],
  ])('%j is refused before any AWS call', async (args, message) => {
    const code = await world().run('review', dir, ...args);
    expect(world().stderr()).toContain(message);
    expect(code).toBe(args[0] === '--service' ? 1 : 64);
    expect(world().cloudWatch.calls()).toHaveLength(0);
  });

  test('an AWS error other than a refused permission stops the report: exit 1', async () => {
    const fake = account();
    fake.metrics.alwaysFail = awsError('InternalServiceFault', 'boom');
    expect(await world().run('review', dir)).toBe(1);
    expect(world().stderr()).toContain('CloudWatch GetMetricData in eu-west-1 failed 5 times');
  });
});
