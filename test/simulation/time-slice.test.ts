/**
 * A time-slice SLI on a synthesized template, evaluated by the faithful evaluator: an SQS queue
 * whose oldest message must be younger than 5 minutes in 99.5 % of the minutes. Its window alarms
 * count bad minutes (M out of N datapoints of 1 minute), 2 minutes of ingestion delay.
 */
import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { ReliableService, Sli, SliceComparison, SliceMissingData } from '../../lib';
import { Scenario } from '../../lib/simulation/evaluator';
import { AlertTimeline } from '../../lib/simulation/outcome';
import { sloAlarmsFromTemplate } from '../../lib/simulation/template-alarms';
import { newStack } from '../service/helpers';

function model(missingData?: SliceMissingData, slice?: Duration) {
  const stack = newStack();
  const queue = new sqs.Queue(stack, 'Queue');
  const metric = queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM });
  new ReliableService(stack, 'Orders', {
    serviceName: 'orders',
    slos: [{ name: 'freshness', objective: 99.5, sli: Sli.timeSlice({ metric, comparison: SliceComparison.LESS_THAN, threshold: 300, missingData, slice }) }],
  });
  return sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'orders', 'freshness');
}

/** The oldest message is 30 s old, except from `from` for `minutes` minutes, when it is `age` s old (or absent). */
function backlog(from: number, minutes: number, age: number | undefined): Scenario {
  return (_, minute) => (minute >= from && minute < from + minutes ? age : 30);
}

describe('a time-slice SLI in the faithful evaluator (SQS age of the oldest message < 300 s, 99.5 % of minutes)', () => {
  const alarms = model();

  test('reads the queue age with Maximum, one datapoint a minute', () => {
    const long = alarms.windowAlarms.find((a) => a.name === 'orders-freshness-page-1h-5m-long')!;
    expect(long).toMatchObject({ periodSeconds: 60, evaluationPeriods: 60, datapointsToAlarm: 5, treatMissingData: 'breaching' });
    expect(Object.values(long.metrics).map((m) => `${m.metricName} ${m.statistic}`)).toEqual(['ApproximateAgeOfOldestMessage Maximum']);
  });

  test('a backlog that stays old for 20 minutes pages once 5 bad minutes have arrived, and the page clears 30 minutes after it drains', () => {
    const timeline = AlertTimeline.of(alarms, backlog(0, 20, 900), { minutes: 180 });
    // minutes 0-4 bad, the 5th visible at the end of minute 6 (2 minutes late)
    expect(timeline.firstPage()).toBe(7);
    expect(timeline.pageHeldThrough(21)).toBe(true);
    // the 6h/30m tier (11 of 360 bad) holds until its 30-minute short window is clean, 2 minutes late
    expect(timeline.intervals('page')).toEqual([{ from: 7, to: 19 + 30 + 2 + 1 }]); // last bad minute 19
  });

  test('one bad minute never pages nor opens a ticket: the budget allows 4 in an hour', () => {
    const timeline = AlertTimeline.of(alarms, backlog(10, 1, 900), { minutes: 180 });
    expect(timeline.intervals('page')).toEqual([]);
    expect(timeline.intervals('ticket')).toEqual([]);
  });

  test('4 bad minutes do not page, 5 do', () => {
    expect(AlertTimeline.of(alarms, backlog(10, 4, 900), { minutes: 120 }).firstPage()).toBeUndefined();
    expect(AlertTimeline.of(alarms, backlog(10, 5, 900), { minutes: 120 }).firstPage()).toBe(10 + 4 + 2 + 1);
  });

  test('a queue whose metric stops pages with SliceMissingData.BAD (the default) and stays quiet with SliceMissingData.GOOD', () => {
    const silent = backlog(0, 30, undefined);
    expect(AlertTimeline.of(alarms, silent, { minutes: 120 }).firstPage()).toBeDefined();
    expect(AlertTimeline.of(model(SliceMissingData.GOOD), silent, { minutes: 120 }).intervals('page')).toEqual([]);
  });

  test('the 2 newest minutes, not arrived yet, are skipped rather than judged: a healthy queue never alerts', () => {
    const timeline = AlertTimeline.of(alarms, backlog(0, 0, 900), { minutes: 1_500 });
    expect(timeline.intervals('page')).toEqual([]);
    expect(timeline.intervals('ticket')).toEqual([]);
  });
});

describe('5-minute slices in the faithful evaluator: each datapoint is the Maximum over its 5 minutes', () => {
  const alarms = model(undefined, Duration.minutes(5));

  test('the alarms read 5-minute datapoints: 1 of the hour\'s 12 bad fires the page tier (8.3 % > 7.2 %), 3 of the 6 hours\' 72 the next', () => {
    const long = alarms.windowAlarms.find((a) => a.name === 'orders-freshness-page-1h-5m-long')!;
    expect(long).toMatchObject({ periodSeconds: 300, evaluationPeriods: 12, datapointsToAlarm: 1 });
    expect(alarms.windowAlarms.find((a) => a.name === 'orders-freshness-page-6h-30m-long')).toMatchObject({ evaluationPeriods: 72, datapointsToAlarm: 3 });
  });

  test('one bad minute makes its whole slice bad (Maximum), and with 5-minute slices that already pages: the hour allows less than one bad slice', () => {
    const timeline = AlertTimeline.of(alarms, backlog(10, 1, 900), { minutes: 120 });
    // minute 10 arrives at the end of minute 12, inside the datapoint of minutes 8..12 (the timeline shows an
    // evaluation's state from the next minute on)
    expect(timeline.firstPage()).toBe(12 + 1);
    // it leaves the 5-minute short window (minutes i-4..i) at i = 15
    expect(timeline.intervals('page')).toEqual([{ from: 12 + 1, to: 15 + 1 }]);
  });

  test('a 20-minute backlog pages at once and clears when the 6h/30m tier\'s 30-minute short window holds no bad minute', () => {
    const timeline = AlertTimeline.of(alarms, backlog(0, 20, 900), { minutes: 180 });
    expect(timeline.firstPage()).toBe(2 + 1);
    // the last bad minute 19 leaves the 30-minute window (6 datapoints of 5 minutes: i-29..i) at i = 49
    expect(timeline.intervals('page')).toEqual([{ from: 2 + 1, to: 49 + 1 }]);
  });

  test('a healthy queue never alerts, the datapoints still in flight included', () => {
    const timeline = AlertTimeline.of(alarms, backlog(0, 0, 900), { minutes: 1_500 });
    expect(timeline.intervals('page')).toEqual([]);
    expect(timeline.intervals('ticket')).toEqual([]);
  });
});
