/**
 * The synthesized alarms against the Workbook's numbers: for several error rates, windows and
 * objectives, each tier's simulated fire and clear times are compared with the detection-time and
 * reset-time formulas of `lib/slo/burn-rate.ts`, and with the README's detection table.
 *
 * Tolerance: the formulas are continuous; CloudWatch (and the simulator) evaluate each alarm once a
 * minute, over whole minutes of data. The incident starts on a minute boundary here, so the period
 * alignment adds nothing, and a tier fires at the first evaluation after the formula's time: never
 * earlier, at most one evaluation period (1 minute) later. A threshold crossed exactly on a minute
 * (1 % on the 6h tier: 216.0 min) fires at that minute or the next, as floating point rounds the
 * ratio (the alarm needs "greater than"). Clearing is the same. In CloudWatch, an incident that
 * starts mid-minute adds up to one more minute (the period alignment), not modelled here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ReliableService, Sli, SloProps } from '../../lib';
import { defaultSimulationMinutes, errorBudgetOf, IncidentReport, IncidentScenario, simulateIncident, tiersOf } from '../../lib/simulation/incident-report';
import { SloAlarmModel, sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { availability, counts, newStack } from '../service/helpers';

function synthesize(slo: Partial<SloProps> = {}): SloAlarmModel {
  const stack = newStack();
  new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability(slo) as SloProps] });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability');
}

const DAY = 1_440;

/** A constant error rate long enough for every tier to fire, then healthy until everything has cleared. */
function longIncident(errorRatio: number, overrides: Partial<IncidentScenario> = {}): IncidentScenario {
  return { errorRatio, durationMinutes: 3 * DAY, eventsPerMinute: 1_000, baselineErrorRatio: 0, minutes: 3 * DAY + 8 * 60, delayMinutes: 0, ...overrides };
}

/** Where a tier's simulated time is not within [formula, formula + 1 min], or fires where the formula says never. */
function disagreements(report: IncidentReport): string[] {
  const out: string[] = [];
  const within = (what: string, simulated: number | undefined, formula: number) => {
    if (simulated === undefined || simulated < formula || simulated > formula + 1) {
      out.push(`${what}: simulated ${simulated ?? 'never'}, formula ${formula}`);
    }
  };
  for (const tier of report.tiers) {
    const f = tier.formula;
    const label = `${tier.id} at ${report.scenario.errorRatio}`;
    if (f.note) {
      out.push(`${label}: ${f.note}`);
    } else if (f.firesAt === undefined || f.afterIncident) {
      if (tier.firesAt !== undefined) {
        out.push(`${label}: fires at ${tier.firesAt}, the formula says never`);
      }
    } else {
      within(`${label} fires`, tier.firesAt, f.firesAt);
      within(`${label} clears`, tier.clearsAt, f.clearsAt!);
    }
  }
  return out;
}

function expectFormulaAgreement(report: IncidentReport): void {
  expect(disagreements(report)).toEqual([]);
}

/** Simulated fire time of each tier, `-` for never: `page-1h-5m 44`. */
function fireTimes(report: IncidentReport): Record<string, number | '-'> {
  return Object.fromEntries(report.tiers.map((t) => [t.id, t.firesAt ?? '-']));
}

describe('99.9 % over 30 days, the default policy (the Workbook table)', () => {
  const model = synthesize();

  test('reads the tiers and the error budget back from the alarms', () => {
    expect(errorBudgetOf(model)).toBe(0.001);
    expect(tiersOf(model).map((t) => [t.id, t.burnRate, t.longAlarm])).toEqual([
      ['page-1h-5m', 14.4, 'checkout-availability-page-1h-5m-long'],
      ['page-6h-30m', 6, 'checkout-availability-page-6h-30m-long'],
      ['ticket-1d-2h', 3, 'checkout-availability-ticket-1d-2h-long'],
      ['ticket-3d-6h', 1, 'checkout-availability-ticket-3d-6h-long'],
    ]);
  });

  // error rate -> simulated minute at which each tier fires (the formula, rounded up to the next minute)
  test.each<[number, Record<string, number | '-'>, string]>([
    [1, { 'page-1h-5m': 1, 'page-6h-30m': 3, 'ticket-1d-2h': 5, 'ticket-3d-6h': 5 }, 'page at 1 min'],
    [0.1, { 'page-1h-5m': 9, 'page-6h-30m': 22, 'ticket-1d-2h': 44, 'ticket-3d-6h': 44 }, 'page at 9 min'],
    [0.02, { 'page-1h-5m': 44, 'page-6h-30m': 109, 'ticket-1d-2h': 217, 'ticket-3d-6h': 217 }, 'page at 44 min'],
    [0.01, { 'page-1h-5m': '-', 'page-6h-30m': 217, 'ticket-1d-2h': 433, 'ticket-3d-6h': 433 }, 'page at 217 min'],
    [0.007, { 'page-1h-5m': '-', 'page-6h-30m': 309, 'ticket-1d-2h': 618, 'ticket-3d-6h': 618 }, 'page at 309 min'],
    [0.005, { 'page-1h-5m': '-', 'page-6h-30m': '-', 'ticket-1d-2h': 865, 'ticket-3d-6h': 865 }, 'page never, ticket at 865 min'],
    [0.002, { 'page-1h-5m': '-', 'page-6h-30m': '-', 'ticket-1d-2h': '-', 'ticket-3d-6h': 2161 }, 'page never, ticket at 2161 min'],
    [0.0008, { 'page-1h-5m': '-', 'page-6h-30m': '-', 'ticket-1d-2h': '-', 'ticket-3d-6h': '-' }, 'never alerts'],
  ])('%p errors: tiers fire as the formula says (%j)', (errorRatio, expected, summary) => {
    const report = simulateIncident(model, longIncident(errorRatio));
    expect(fireTimes(report)).toEqual(expected);
    expectFormulaAgreement(report);
    expect(report.summary.startsWith(summary)).toBe(true);
  });

  test('the formulas themselves: 2 % is 43.2 min on the 1h tier, 1 % is 3.6 h on the 6h tier, 0.5 % is 14.4 h, 0.2 % is 36 h', () => {
    const at = (e: number, id: string) => simulateIncident(model, longIncident(e)).tiers.find((t) => t.id === id)!.formula.firesAt;
    expect(at(0.02, 'page-1h-5m')).toBeCloseTo(43.2, 9);
    expect(at(0.01, 'page-6h-30m')).toBeCloseTo(216, 9); // 6h x 6 x 0.001 / 0.01
    expect(at(0.005, 'ticket-1d-2h')).toBeCloseTo(864, 9); // 24h x 3 x 0.001 / 0.005
    expect(at(0.002, 'ticket-3d-6h')).toBeCloseTo(2160, 9); // 72h x 1 x 0.001 / 0.002
    expect(at(0.002, 'ticket-1d-2h')).toBeUndefined(); // 0.2 % does not exceed the 1d tier's 0.3 %
  });

  test('2 % for 2 hours pages at 44 and clears at 141 (the 6h tier, fired at 109, holds the page); no ticket', () => {
    const report = simulateIncident(model, longIncident(0.02, { durationMinutes: 120, minutes: 120 + 3 * DAY + 60 }));
    expectFormulaAgreement(report);
    const [page, ticket] = report.composites;
    expect([page.firesAt, page.clearsAt, ticket.firesAt]).toEqual([44, 141, undefined]);
    // the ticket tiers need 216 min at 2 %: the formula's time falls after the incident
    expect(report.tiers[2].formula).toEqual({ firesAt: 216, afterIncident: true });
    expect(report.summary).toBe('page at 44 min (OK at 141 min), ticket never');
  });

  test('0.5 % for a day never pages; the ticket notifies once the suppressor\'s 1-minute wait has passed', () => {
    const report = simulateIncident(model, longIncident(0.005, { durationMinutes: DAY, minutes: DAY }));
    const ticket = report.composites[1];
    expect(ticket.firesAt).toBe(865);
    expect(ticket.notifications[0]).toEqual({ minute: 866, alarm: 'checkout-availability-ticket', state: 'ALARM' });
    expect(report.summary).toBe('page never, ticket at 865 min (still in ALARM at the end)');
  });

  test('no traffic never alerts, whatever the error rate', () => {
    const report = simulateIncident(model, longIncident(1, { eventsPerMinute: 0 }));
    expect(report.simulation.transitions).toEqual([]);
    expect(report.summary).toBe('never alerts');
    expect(report.tiers.every((t) => t.formula.note === 'no traffic')).toBe(true);
  });

  test('a 2-minute total outage pages at once and clears 5 minutes after it ends; no ticket', () => {
    const report = simulateIncident(model, longIncident(1, { durationMinutes: 2, minutes: 2 + 3 * DAY + 60 }));
    expectFormulaAgreement(report);
    expect(report.tiers[0]).toMatchObject({ firesAt: 1, clearsAt: 7, alarms: [{ from: 1, to: 7 }] });
    // 2 min of errors are 0.56 % of 6 hours: below the 6h tier's 0.6 %
    expect(report.tiers[1].formula).toMatchObject({ afterIncident: true });
    expect(report.summary).toBe('page at 1 min (OK at 7 min), ticket never');
  });

  test('a 5-minute spike of 20 % errors pages at minute 5 (formula 4.32) and clears at 10 (formula 9.64)', () => {
    const report = simulateIncident(model, longIncident(0.2, { durationMinutes: 5, minutes: 5 + 3 * DAY + 60 }));
    expectFormulaAgreement(report);
    expect(report.tiers[0]).toMatchObject({ firesAt: 5, clearsAt: 10 });
    expect(report.tiers[0].formula.firesAt).toBeCloseTo(4.32, 9);
    expect(report.tiers[0].formula.clearsAt).toBeCloseTo(9.64, 9);
    expect(report.summary).toBe('page at 5 min (OK at 10 min), ticket never');
  });

  test('a 90-second outage counts half of its second minute, and still pages', () => {
    const report = simulateIncident(model, longIncident(1, { durationMinutes: 1.5, minutes: 600 }));
    expect(report.composites[0]).toMatchObject({ firesAt: 1, clearsAt: 7 });
  });

  test('a baseline above a tier\'s threshold keeps it firing; the formulas say they do not apply', () => {
    const report = simulateIncident(model, longIncident(0.02, { durationMinutes: 60, minutes: 600, baselineErrorRatio: 0.004 }));
    expect(report.tiers.find((t) => t.id === 'ticket-1d-2h')!.firesAt).toBe(1); // 0.4 % > 0.3 % from the start
    expect(report.tiers[0].formula.note).toBe('the formula assumes no errors before the incident');
  });

  test('the default length covers the incident, the longest window and an hour; at most 7 days', () => {
    expect(defaultSimulationMinutes(model, 120)).toBe(120 + 3 * DAY + 60);
    expect(defaultSimulationMinutes(model, 6 * DAY)).toBe(7 * DAY);
  });
});

describe('the README\'s detection table holds on the synthesized alarms', () => {
  const model = synthesize();
  const README = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'alerting.md'), 'utf8');
  const table = /<!-- detection-table:start -->\n([\s\S]*?)<!-- detection-table:end -->/.exec(README)![1].trim().split('\n').slice(2);

  /** `0.9 min`, `1.8 h`, `never` -> minutes (or undefined), and how much the README rounded. */
  const parse = (cell: string): [number | undefined, number] => {
    const m = /^([\d.]+) (min|h)$/.exec(cell);
    return !m ? [undefined, 0] : m[2] === 'h' ? [Number(m[1]) * 60, 3] : [Number(m[1]), 0.05];
  };

  test.each(table.map((row) => [row]))('%s', (row) => {
    const cells = row.split('|').map((c) => c.trim()).filter((c) => c !== '');
    const errorRatio = Number(cells[0].replace(' %', '')) / 100;
    const report = simulateIncident(model, longIncident(errorRatio));
    report.tiers.forEach((tier, i) => {
      const [documented, rounding] = parse(cells[i + 1]);
      if (documented === undefined) {
        expect({ tier: tier.id, firesAt: tier.firesAt }).toEqual({ tier: tier.id, firesAt: undefined });
      } else {
        // the README rounds to 0.1 min or 0.1 h; the simulation is up to 1 minute later than the formula
        expect(tier.firesAt! - documented).toBeGreaterThanOrEqual(-rounding);
        expect(tier.firesAt! - documented).toBeLessThanOrEqual(1 + rounding);
      }
    });
  });
});

describe('other windows, objectives and SLIs', () => {
  test('a 28-day window: thresholds 13.44 / 5.6 / 2.8 / 0.933, and 2 % pages at 41 min (formula 40.32)', () => {
    const model = synthesize({ window: Duration.days(28) });
    expect(tiersOf(model).map((t) => Number(t.burnRate.toFixed(3)))).toEqual([13.44, 5.6, 2.8, 0.933]);
    for (const e of [1, 0.02, 0.005, 0.001]) {
      expectFormulaAgreement(simulateIncident(model, longIncident(e)));
    }
    const report = simulateIncident(model, longIncident(0.02));
    expect(report.tiers[0].formula.firesAt).toBeCloseTo(40.32, 9);
    expect(report.tiers[0].firesAt).toBe(41);
    // 0.1 % burns the 28-day budget at 1x, above the 3d tier's 0.933x: it opens a ticket after
    // 4032 min (2.8 days); the formula's time is a whole minute, where floating point decides
    const slow = simulateIncident(model, longIncident(0.001));
    expect(slow.tiers[3].formula.firesAt).toBeCloseTo(4032, 6);
    expect(fireTimes(slow)).toEqual({ 'page-1h-5m': '-', 'page-6h-30m': '-', 'ticket-1d-2h': '-', 'ticket-3d-6h': 4032 });
  });

  test('99.5 %: the budget is 0.5 %; 10 % errors page after 43.2 min, 2 % only tickets (after 18 h)', () => {
    const model = synthesize({ objective: 99.5 });
    expect(errorBudgetOf(model)).toBe(0.005);
    for (const e of [1, 0.1, 0.02, 0.004]) {
      expectFormulaAgreement(simulateIncident(model, longIncident(e)));
    }
    expect(fireTimes(simulateIncident(model, longIncident(0.1)))).toEqual(
      { 'page-1h-5m': 44, 'page-6h-30m': 109, 'ticket-1d-2h': 217, 'ticket-3d-6h': 217 });
    expect(fireTimes(simulateIncident(model, longIncident(0.02)))).toEqual(
      { 'page-1h-5m': '-', 'page-6h-30m': '-', 'ticket-1d-2h': 1081, 'ticket-3d-6h': 1081 });
  });

  test('a latency SLI: the error rate is the share of requests slower than the threshold (TC(:300) good of SampleCount)', () => {
    const latency = new Metric({ namespace: 'Shop', metricName: 'Latency' });
    const model = synthesize({ sli: Sli.latency({ metric: latency, threshold: Duration.millis(300) }) });
    expect(Object.values(model.windowAlarms[0].metrics).map((m) => m.statistic).sort()).toEqual(['SampleCount', 'TC(:300)']);
    for (const e of [1, 0.02, 0.005]) {
      const report = simulateIncident(model, longIncident(e));
      expectFormulaAgreement(report);
    }
    expect(simulateIncident(model, longIncident(0.02)).tiers[0].firesAt).toBe(44);
  });

  test('a low-traffic guard keeps 1 bad request in 10 from paging, where the formula (which ignores traffic) says it would', () => {
    const model = synthesize({ minimumEvents: 100 });
    const report = simulateIncident(model, longIncident(0.1, { eventsPerMinute: 1 / 6, durationMinutes: 60, minutes: 120 }));
    expect(report.tiers[0].formula.firesAt).toBeCloseTo(8.64, 9);
    expect(report.tiers[0].firesAt).toBeUndefined(); // 10 events an hour: below the guard of 100
  });

  test('an SLI whose bad events are a metric-math expression is simulated through the metrics inside it', () => {
    const { errors, requests } = counts();
    const bad = new MathExpression({ expression: 'e1 + e2', usingMetrics: { e1: errors, e2: new Metric({ namespace: 'Shop', metricName: 'Timeouts' }) } });
    const model = synthesize({ sli: Sli.ratio({ bad, total: requests }) });
    expect(model.windowAlarms[0].expressions).toEqual({ bad0: 'e1 + e2' });
    const report = simulateIncident(model, longIncident(0.02));
    expectFormulaAgreement(report);
    expect(report.tiers[0].firesAt).toBe(44);
  });

  test('an SLI built with a metric-math function the simulator does not model is refused, naming it', () => {
    const { errors, requests } = counts();
    const bad = new MathExpression({ expression: 'RATE(e1)', usingMetrics: { e1: errors } });
    const model = synthesize({ sli: Sli.ratio({ bad, total: requests }) });
    expect(() => simulateIncident(model, longIncident(0.02))).toThrow(
      /bad0 is the math expression `RATE\(e1\)`, which the simulator cannot read: metric math: function RATE is not supported by the simulator/);
  });
});

describe('the README\'s detection figures with metrics 2 minutes late (the evaluator\'s default)', () => {
  const model = synthesize();
  const README = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'alerting.md'), 'utf8');

  /** Minutes as the README writes them: `3 min`, `3.6 h`, `never`. */
  const shown = (m: number | undefined) => (m === undefined ? 'never' : m < 60 ? `${m} min` : `${Number((m / 60).toFixed(1))} h`);

  test('the detection-delay table is what the synthesized alarms give, beside the formula\'s first page and ticket', () => {
    const formulaRows = /<!-- detection-table:start -->\n([\s\S]*?)<!-- detection-table:end -->/.exec(README)![1].trim().split('\n').slice(2);
    const rows = formulaRows.map((row) => {
      const cells = row.split('|').map((c) => c.trim()).filter((c) => c !== '');
      const errorRatio = Number(cells[0].replace(' %', '')) / 100;
      const report = simulateIncident(model, longIncident(errorRatio, { delayMinutes: 2 }));
      const first = (severity: string) => {
        const times = report.tiers.filter((t) => t.severity === severity && t.firesAt !== undefined).map((t) => t.firesAt!);
        return times.length > 0 ? Math.min(...times) : undefined;
      };
      return `| ${cells[0]} | ${cells[5]} | ${shown(first('page'))} | ${cells[6]} | ${shown(first('ticket'))} |`;
    });
    const documented = /<!-- detection-delay-table:start -->\n([\s\S]*?)<!-- detection-delay-table:end -->/.exec(README);
    if (process.env.PRINT_DETECTION) {
      fs.writeFileSync(process.env.PRINT_DETECTION, `${rows.join('\n')}\n`);
    }
    expect(documented).not.toBeNull();
    expect(documented![1].trim().split('\n').slice(2)).toEqual(rows);
  });
});
