/**
 * The default policy's behaviour, proven on the synthesized alarms: the template's expressions,
 * thresholds, periods and composite rules are evaluated minute by minute on incident profiles and
 * compared with the Workbook's numbers and with the detection-time formula.
 */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ReliableService, Sli, SloProps } from '../../lib';
import { firstTransition, incident, simulate, TrafficProfile } from '../../lib/simulation/simulator';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { detectionTimeSeconds, resetTimeSeconds } from '../../lib/slo/burn-rate';
import { availability, newStack } from '../service/helpers';

const PAGE = 'checkout-availability-page';
const TICKET = 'checkout-availability-ticket';

function model(slo: Partial<SloProps> = {}) {
  const stack = newStack();
  const svc = new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability(slo) as SloProps] });
  return { model: sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability'), slo: svc.slo('availability') };
}

const defaults = model();
/** The ideal model the formulas assume: metrics visible the minute they describe. */
const IDEAL = { delayMinutes: 0 };
const run = (profile: TrafficProfile, minutes: number) => simulate(defaults.model, profile, minutes, IDEAL);

describe('the default policy at 99.9 % over 30 days', () => {
  test('2 % errors page after ~43 minutes, as the formula says (43.2)', () => {
    const result = run(incident({ errorRatio: 0.02, durationMinutes: 120 }), 180);
    const theory = detectionTimeSeconds(defaults.slo.tiers[0], 99.9, 0.02)! / 60;
    expect(theory).toBeCloseTo(43.2, 6);
    expect(firstTransition(result, PAGE)).toBe(44); // first whole minute after 43.2
  });

  test('2 % errors for 2 hours also open the ticket, muted because the page is firing', () => {
    const result = run(incident({ errorRatio: 0.02, durationMinutes: 120 }), 6 * 60);
    const ticket = result.transitions.find((t) => t.alarm === TICKET && t.state === 'ALARM');
    expect(ticket).toBeUndefined(); // the 1d tier needs > 216 min at 2 %: the incident ended before
    const longer = run(incident({ errorRatio: 0.02, durationMinutes: 300 }), 6 * 60);
    expect(longer.transitions.find((t) => t.alarm === TICKET && t.state === 'ALARM')).toEqual(
      { minute: 217, alarm: TICKET, state: 'ALARM', suppressed: true });
  });

  test('a ticket muted by a page is raised when the page clears if its tiers still burn: the incident\'s follow-up', () => {
    // a 10-minute total outage spends 23 % of the 30-day budget
    const result = run(incident({ errorRatio: 1, durationMinutes: 10 }), 600);
    expect(result.notifications).toEqual([
      { minute: 1, alarm: PAGE, state: 'ALARM' },
      { minute: 40, alarm: PAGE, state: 'OK' },
      // ActionsSuppressor: ALARM at 5 was muted; the extension period (1 min) after the page's OK ends the muting
      { minute: 41, alarm: TICKET, state: 'ALARM', afterSuppression: true },
      { minute: 371, alarm: TICKET, state: 'OK' },
    ]);
  });

  test('a ticket without a page notifies after the suppressor\'s wait period', () => {
    const result = run(incident({ errorRatio: 0.005, durationMinutes: 1_440 }), 1_440);
    expect(result.notifications).toEqual([{ minute: 866, alarm: TICKET, state: 'ALARM' }]);
  });

  test('0.7 % errors miss the 1h tier and page after ~309 minutes on the 6h tier', () => {
    const result = run(incident({ errorRatio: 0.007, durationMinutes: 400 }), 400);
    expect(firstTransition(result, 'checkout-availability-page-1h-5m-long')).toBeUndefined();
    expect(firstTransition(result, PAGE)).toBe(309);
  });

  test('0.5 % errors never page and open a ticket after ~14.4 hours, not muted', () => {
    const result = run(incident({ errorRatio: 0.005, durationMinutes: 24 * 60 }), 24 * 60);
    expect(firstTransition(result, PAGE)).toBeUndefined();
    const ticket = result.transitions.find((t) => t.alarm === TICKET && t.state === 'ALARM')!;
    expect(ticket.minute).toBe(865);
    expect(ticket.suppressed).toBe(false);
  });

  test('0.08 % errors (inside the budget) never alert in 4 days', () => {
    const result = run(incident({ errorRatio: 0.0008, durationMinutes: 4 * 1_440 }), 4 * 1_440);
    expect(result.transitions).toEqual([]);
  });

  test('no traffic never alerts', () => {
    const result = run({ eventsPerMinute: () => 0, errorRatio: () => 1 }, 4 * 1_440);
    expect(result.transitions).toEqual([]);
  });

  test('a 2-minute total outage pages in its first minute and clears 5 minutes after it ends', () => {
    const result = run(incident({ errorRatio: 1, durationMinutes: 2 }), 120);
    expect(firstTransition(result, PAGE)).toBe(1);
    expect(firstTransition(result, PAGE, 'OK')).toBe(7); // the outage ends at 2; the 5m window is clean at 7
    // the 1h window stays above 14.4x for the hour, but the page has already cleared
    expect(firstTransition(result, 'checkout-availability-page-1h-5m-long', 'OK')).toBe(62);
  });

  test('with metrics 2 minutes late (AWS service metrics arrive 1-3 minutes late), the same outage pages at 3 and still clears 5 minutes after it ends', () => {
    const result = simulate(defaults.model, incident({ errorRatio: 1, durationMinutes: 2 }), 120, { delayMinutes: 2 });
    expect(firstTransition(result, PAGE)).toBe(3); // minute 0's errors, 2 minutes late
    // the 5m window no longer holds minute 1 from minute 7 on, whether or not the newest minutes have arrived
    expect(firstTransition(result, PAGE, 'OK')).toBe(7);
  });

  test('a page clears about one short window after a long incident ends', () => {
    const result = run(incident({ errorRatio: 0.05, durationMinutes: 90 }), 240);
    expect(firstTransition(result, PAGE)).toBe(18); // 0.0144 / 0.05 * 60 = 17.3
    // the 1h/5m tier clears within one short window of the end (at 90): the reset-time formula
    // gives 5 * (1 - 0.0144 / 0.05) = 3.56 minutes
    expect(resetTimeSeconds(defaults.slo.tiers[0], 99.9, 0.05)! / 60).toBeCloseTo(3.56, 6);
    expect(firstTransition(result, 'checkout-availability-page-1h-5m-short', 'OK')).toBe(94);
    // ...but 5 % also fired the 6h/30m tier (6x, at 44 min), whose 30m window holds > 0.6 % bad
    // until 30 * (1 - 0.006 / 0.05) = 26.4 minutes after the end: the page clears at 117
    expect(firstTransition(result, 'checkout-availability-page-6h-30m-long', 'ALARM')).toBe(44);
    expect(firstTransition(result, PAGE, 'OK')).toBe(117);
  });
});

describe('other windows, objectives and SLIs', () => {
  test('a 28-day window pages 2 % errors after ~41 minutes (13.44x)', () => {
    const { model: m } = model({ window: Duration.days(28) });
    expect(firstTransition(simulate(m, incident({ errorRatio: 0.02, durationMinutes: 120 }), 120, IDEAL), PAGE)).toBe(41);
  });

  test('99 % never pages 2 % errors (both page tiers need more), and pages 30 % errors after ~29 minutes', () => {
    const { model: m } = model({ objective: 99 });
    const result = simulate(m, incident({ errorRatio: 0.02, durationMinutes: 400 }), 400, IDEAL);
    // 1h tier: 14.4 % needed; 6h tier: 6 % needed at 99 % -> never; ticket 1d tier: 3 % -> never; 3d tier: 1 % -> 2160 min
    expect(firstTransition(result, PAGE)).toBeUndefined();
    const { model: m2 } = model({ objective: 99 });
    const heavy = simulate(m2, incident({ errorRatio: 0.3, durationMinutes: 60 }), 60, IDEAL);
    expect(firstTransition(heavy, PAGE)).toBe(29); // 0.144 / 0.3 * 60 = 28.8
  });

  test('the low-traffic guard keeps a single failure among 60 requests an hour from paging', () => {
    const oneFailure: TrafficProfile = { eventsPerMinute: () => 1, errorRatio: (m) => (m === 0 ? 1 : 0) };
    // without minimumEvents the single-failure floor applies: the 1h window is judged as holding 70 events, 1/70 < 1.44 %
    expect(firstTransition(simulate(defaults.model, oneFailure, 120, IDEAL), PAGE)).toBeUndefined();
    const twoFailures: TrafficProfile = { eventsPerMinute: () => 1, errorRatio: (m) => (m === 0 || m === 1 ? 1 : 0) };
    expect(firstTransition(simulate(defaults.model, twoFailures, 120, IDEAL), PAGE)).toBe(2);
    const guarded = model({ minimumEvents: 100 }).model;
    expect(firstTransition(simulate(guarded, oneFailure, 120, IDEAL), PAGE)).toBeUndefined();
    // with 120 events an hour the guard is met, and a real outage pages at once
    const busy: TrafficProfile = { eventsPerMinute: () => 2, errorRatio: (m) => (m >= 0 && m < 60 ? 1 : 0) };
    expect(firstTransition(simulate(guarded, busy, 120, IDEAL), PAGE)).toBe(1);
  });

  test('a latency SLI pages when 2 % of requests are slow, like an availability SLI', () => {
    const latency = new Metric({ namespace: 'Shop', metricName: 'Latency' });
    const { model: m } = model({ sli: Sli.latency({ metric: latency, threshold: Duration.millis(300) }) });
    expect(firstTransition(simulate(m, incident({ errorRatio: 0.02, durationMinutes: 120 }), 120, IDEAL), PAGE)).toBe(44);
  });
});
