/**
 * A time-slice SLO's incident report: the queue's age over its threshold for a while, or in a share
 * of the minutes, or its metric silent; tiers and composites beside the slice formulas.
 */
import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { ReliableService, Sli, SliceComparison } from '../../lib';
import { conditionValues, simulateSliceIncident, SliceIncidentScenario } from '../../lib/simulation/slice-incident';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { newStack } from '../service/helpers';

function model(slice?: Duration) {
  const stack = newStack();
  const queue = new sqs.Queue(stack, 'Queue');
  const metric = queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM });
  new ReliableService(stack, 'Orders', {
    serviceName: 'orders',
    slos: [{ name: 'freshness', objective: 99.5, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300, slice }) }],
  });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'orders', 'freshness');
}

const AGE = { comparison: '<', threshold: 300 };
const incident = (durationMinutes: number, change: Partial<SliceIncidentScenario> = {}): SliceIncidentScenario => ({
  condition: AGE, badValue: 900, goodValue: 30, errorRatio: 1, baselineErrorRatio: 0, eventsPerMinute: 1, durationMinutes, minutes: 240, ...change,
});

describe('simulateSliceIncident', () => {
  const alarms = model();

  test('reads the tiers as M of N slices from the alarms', () => {
    const report = simulateSliceIncident(alarms, incident(20), 99.5);
    expect(report.tiers.map((t) => [t.id, t.slices?.long, t.slices?.short])).toEqual([
      ['page-1h-5m', { slices: 60, slicesToAlarm: 5 }, { slices: 5, slicesToAlarm: 1 }],
      ['page-6h-30m', { slices: 360, slicesToAlarm: 11 }, { slices: 30, slicesToAlarm: 1 }],
      ['ticket-1d-2h', { slices: 1440, slicesToAlarm: 22 }, { slices: 120, slicesToAlarm: 2 }],
    ]);
  });

  test('a queue 20 minutes too old pages 2 minutes after the formula (metrics 2 minutes late) and clears 30 minutes after the backlog', () => {
    const report = simulateSliceIncident(alarms, incident(20), 99.5);
    const page = report.tiers.find((t) => t.id === 'page-1h-5m')!;
    expect(page.formula).toEqual({ firesAt: 5, clearsAt: 25 });
    expect(page.firesAt).toBe(5 + 2);
    // the 6h/30m tier holds the page until its 30-minute window is clean: 20 + 30, 2 minutes late; 20 bad minutes
    // stay under the ticket tier's 22 of 1440
    expect(report.summary).toBe('page at 7 min (OK at 52 min), ticket never');
  });

  test('one bad minute never pages nor tickets', () => {
    expect(simulateSliceIncident(alarms, incident(1), 99.5).summary).toBe('never alerts');
  });

  test('a condition failing one minute in ten for 2 hours: 6 of each hour\'s 60 page, while the formula says it does not apply', () => {
    const report = simulateSliceIncident(alarms, incident(120, { errorRatio: 0.1 }), 99.5);
    expect(report.composites.find((c) => c.severity === 'page')?.firesAt).toBeDefined();
    expect(report.tiers[0].formula.note).toMatch(/every minute of the incident bad/);
  });

  test('the metric falling silent is a bad slice under the default rule', () => {
    expect(simulateSliceIncident(alarms, incident(30, { badValue: undefined }), 99.5).composites[0].firesAt).toBe(7);
  });

  test('values that meet and break each condition, of 0 or more', () => {
    expect(conditionValues({ comparison: '<', threshold: 300 })).toEqual({ good: 150, bad: 300 });
    expect(conditionValues({ comparison: '<=', threshold: 0 })).toEqual({ good: 0, bad: 1 });
    expect(conditionValues({ comparison: '>=', threshold: 100 })).toEqual({ good: 100, bad: 0 });
    expect(conditionValues({ comparison: '>', threshold: 0 })).toEqual({ good: 1, bad: 0 });
    expect(conditionValues({ comparison: '<', threshold: 0 })).toEqual({ bad: 0 });
  });
});
