/**
 * The failure-mode table (issue 10, item 2): every row of `failure-modes/catalog.ts` simulated on
 * the synthesized template (99.9 % over 30 days, the default policy) with the CloudWatch-faithful
 * evaluator, under both readings of FILL over a series without any datapoint in the evaluation
 * range (AWS's docs are silent): the expectation written down as data must hold, a row the SLI
 * cannot satisfy must indeed not page (the table says so and names the alternative), and the
 * README's table must be exactly what this computes, so it cannot drift.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ReliableService } from '../../lib';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { sloAlarmsFromTemplate, SloAlarmModel } from '../../lib/simulation/template-alarms';
import { newStack } from '../service/helpers';
import { Expected, failureRows, FailureRow, SLICE_SLIS, SLIS } from './failure-modes/catalog';

const models = new Map<string, SloAlarmModel>();

function modelOf(row: FailureRow): SloAlarmModel {
  const sli = [...SLIS, ...SLICE_SLIS].find((s) => s.name === row.sli)!;
  const key = `${row.sli} ${row.blindAlert === true} ${row.policyName ?? 'default'} ${row.objective ?? 99.9}`;
  if (!models.has(key)) {
    const region = 'region' in sli ? sli.region : undefined;
    const stack = region === undefined ? newStack() : new Stack(new App(), 'Shop', { env: { account: '111111111111', region } });
    new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      slos: [{
        name: 'sli', objective: row.objective ?? 99.9, sli: sli.build(stack),
        ...(row.blindAlert ? { blindAlert: {} } : {}), ...(row.alerting ? { alerting: row.alerting } : {}),
      }],
    });
    models.set(key, sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'sli'));
  }
  return models.get(key)!;
}

interface Outcome {
  readonly page?: number;
  /** First clear after the first page, per reading: [conservative (FILL leaves an empty series empty), FILL fills it]. */
  readonly clear: [number | undefined, number | undefined];
  readonly heldThrough: [boolean, boolean];
  readonly ticket?: number;
  /** How many times the page went to ALARM. */
  readonly pages: number;
}

function simulateRow(row: FailureRow): Outcome {
  const model = modelOf(row);
  const run = (fillEmptySeries: boolean) => AlertTimeline.of(model, row.scenario(model), {
    minutes: row.minutes, fillEmptySeries, ...(row.delayMinutes === undefined ? {} : { delayMinutes: row.delayMinutes }),
  });
  const [conservative, filled] = [run(false), run(true)];
  const held = (t: AlertTimeline) => row.expected.holdsThrough === undefined || t.pageHeldThrough(row.expected.holdsThrough);
  return {
    page: conservative.firstPage(),
    clear: [conservative.pageClearedAt(), filled.pageClearedAt()],
    heldThrough: [held(conservative), held(filled)],
    ticket: conservative.ticketOpenedAt(),
    pages: conservative.intervals('page').length,
  };
}

/** Whether the outcome is what the expectation says. */
function meets(e: Expected, o: Outcome, filledPage: boolean): boolean {
  if (e.pageBy === 'never') {
    return o.page === undefined && (e.ticket !== 'never' || o.ticket === undefined);
  }
  return o.page !== undefined && o.page <= e.pageBy && o.page >= (e.pageFrom ?? 0)
    && o.heldThrough.every(Boolean)
    && (e.clearBy === undefined || o.clear.every((c) => c !== undefined && c <= e.clearBy!))
    && (e.ticket !== 'never' || o.ticket === undefined)
    && filledPage;
}

function describeExpected(e: Expected): string {
  if (e.pageBy === 'never') {
    return e.ticket === 'never' ? 'no page, no ticket' : 'no page';
  }
  const page = e.pageFrom ? `page at ${e.pageFrom}–${e.pageBy}` : `page by ${e.pageBy}`;
  const hold = e.holdsThrough === undefined ? '' : ', holds while it lasts';
  const clear = e.clearBy === undefined ? '' : `, clear by ${e.clearBy}`;
  const ticket = e.ticket === 'never' ? ', no ticket' : ', ticket may follow';
  return `${page}${hold}${clear}${ticket}`;
}

const minute = (m: number | undefined) => (m === undefined ? 'never' : String(m));

/** The row's cells after the SLI. */
function cells(row: FailureRow, o: Outcome): string {
  const page = row.cannot ? `${minute(o.page)}: **cannot see it**: ${row.cannot}`
    : row.approximation ? `${minute(o.page)}: **approximation**: ${row.approximation.why}`
    : row.limit ? `${minute(o.page)}, ${o.pages} pages: **limit**: ${row.limit}` : minute(o.page);
  const clear = o.page === undefined ? '–' : o.clear[0] === o.clear[1] ? minute(o.clear[0]) : `${minute(o.clear[0])} / ${minute(o.clear[1])}`;
  return `${row.failure} | ${describeExpected(row.expected)} | ${page} | ${clear} | ${minute(o.ticket)} |`;
}

/**
 * The table: rows whose failure, expectation and outcome are the same for several SLIs are one row
 * naming them ("every availability SLI" when it is all of them), in the order they first appear.
 */
function tableRows(rows: FailureRow[], outcome: (row: FailureRow) => Outcome): string[] {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = cells(row, outcome(row));
    groups.set(key, [...(groups.get(key) ?? []), row.sli]);
  }
  const every = (kind: string) => SLIS.filter((s) => s.kind === kind).map((s) => s.name);
  const name = (slis: string[]) => {
    for (const kind of ['availability', 'latency']) {
      const all = every(kind);
      if (slis.length === all.length && all.every((n) => slis.includes(n))) {
        return `every ${kind} SLI`;
      }
      const missing = all.filter((n) => !slis.includes(n));
      if (missing.length === 1 && slis.length === all.length - 1 && slis.every((n) => all.includes(n))) {
        return `every ${kind} SLI but ${missing[0]}`;
      }
    }
    return slis.join(', ');
  };
  return [...groups].map(([key, slis]) => `| ${name(slis)} | ${key}`);
}

const ROWS = failureRows();
const outcomes = new Map<FailureRow, Outcome>();
const outcomeOf = (row: FailureRow) => {
  if (!outcomes.has(row)) {
    outcomes.set(row, simulateRow(row));
  }
  return outcomes.get(row)!;
};

describe('failure modes on the synthesized alarms (99.9 % over 30 days, metrics 2 minutes late)', () => {
  test('every SLI preset and Sli.ratio / Sli.latency has the rows the issue asks for', () => {
    for (const sli of SLIS) {
      const failures = ROWS.filter((r) => r.sli === sli.name).map((r) => r.failure).join('\n');
      expect(failures).toContain(`${sli.kind === 'latency' ? 'every request slow' : sli.outage ?? 'full outage'}, 1 h\n`);
      expect(failures).toMatch(/no ingestion delay/);
      expect(failures).toMatch(/^2 % /m);
      expect(failures).toMatch(/stops|no metric|no latency sample|never reach/);
      expect(failures).toMatch(/traffic stops after/);
      expect(failures).toMatch(/^one .* at 5 requests an hour$/m);
      expect(failures).toMatch(/for 6 h at 5 requests an hour/);
      expect(failures).toMatch(/for 6 h at 1 request an hour, page tier 6h with a 2h short window/);
      if (sli.kind === 'latency') {
        expect(failures).toMatch(/times? out|hang/);
      }
    }
  });

  test('every time-slice SLI has the generic rows: the condition failing for 20 minutes and for one minute, the metric falling silent', () => {
    for (const sli of SLICE_SLIS.filter((s) => s.rows === undefined)) {
      const failures = ROWS.filter((r) => r.sli === sli.name).map((r) => r.failure).join('\n');
      expect(failures).toMatch(/ for 20 min\n/);
      expect(failures).toMatch(/ for one minute\n.* for one minute, objective 99\.5 %\n/);
      expect(failures).toMatch(/ for 1 h \(a missing slice is (bad|good)\)/);
    }
  });

  test('a time-slice SLI with rows of its own (a canary\'s 5-minute slices) has the same failures: the condition failing for a while and once, the metric falling silent', () => {
    for (const sli of SLICE_SLIS.filter((s) => s.rows !== undefined)) {
      const failures = ROWS.filter((r) => r.sli === sli.name).map((r) => r.failure).join('\n');
      expect(failures).toMatch(/ for 30 min/);
      expect(failures).toMatch(/^one failed run\none failed run, objective 99 %$/m);
      expect(failures).toMatch(/stops running for 1 h \(a missing slice is bad\)/);
    }
  });

  test('only an SLI whose docs declare an approximation has approximation rows', () => {
    const declared = SLIS.filter((s) => s.documentsApproximation).map((s) => s.name);
    expect([...new Set(ROWS.filter((r) => r.approximation && !declared.includes(r.sli)).map((r) => r.sli))]).toEqual([]);
    expect(declared).toEqual(['`distributionAvailability`', '`eventSourceMappingAvailability`']);
  });

  test.each(ROWS.filter((r) => r.approximation).map((r) => [`${r.sli}: ${r.failure}`, r] as const))('%s: the SLI\'s documented approximation, as the table says (the expectation is not met, the measured outcome is)', (_, row) => {
    const o = outcomeOf(row);
    expect(meets(row.expected, o, true)).toBe(false);
    expect({ outcome: o, met: meets(row.approximation!.measured, o, true) }).toEqual({ outcome: o, met: true });
  });

  test.each(ROWS.filter((r) => r.limit).map((r) => [`${r.sli}: ${r.failure}`, r] as const))('%s: a known limit, as the table says (pages more than once)', (_, row) => {
    const o = outcomeOf(row);
    expect(meets(row.expected, o, true)).toBe(false);
    expect(o.page).toBeDefined();
    expect(o.pages).toBeGreaterThan(1);
  });

  test.each(ROWS.filter((r) => !r.cannot && !r.limit && !r.approximation).map((r) => [`${r.sli}: ${r.failure}`, r] as const))('%s: as expected', (_, row) => {
    const o = outcomeOf(row);
    expect({ outcome: o, met: meets(row.expected, o, true) }).toEqual({ outcome: o, met: true });
  });

  test.each(ROWS.filter((r) => r.cannot).map((r) => [`${r.sli}: ${r.failure}`, r] as const))('%s: cannot see it, never pages (the table names the alternative)', (_, row) => {
    expect(outcomeOf(row).page).toBeUndefined();
  });

  test('both readings of FILL over a series without datapoints clear the page at the same minute on every row (the README says so)', () => {
    expect(ROWS.filter((r) => outcomeOf(r).clear[0] !== outcomeOf(r).clear[1]).map((r) => `${r.sli}: ${r.failure}`)).toEqual([]);
  });

  test('the README\'s failure-mode table is what these simulations give', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'failure-modes.md'), 'utf8');
    const rows = tableRows(ROWS, outcomeOf);
    if (process.env.PRINT_FAILURE_MODES) {
      fs.writeFileSync(process.env.PRINT_FAILURE_MODES, `${rows.join('\n')}\n`);
    }
    const m = /<!-- failure-modes:start -->\n([\s\S]*?)<!-- failure-modes:end -->/.exec(readme);
    expect(m).not.toBeNull();
    const documented = m![1].trim().split('\n').slice(2);
    expect(documented).toEqual(rows);
  });
});
