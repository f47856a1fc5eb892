import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { ReliableService, Sli } from '../../../lib';
import { metricsOf, replaySlo, warmUpMinutes } from '../../../lib/cli/replay/evaluate';
import { MetricHistory, replayRange } from '../../../lib/cli/replay/history';
import { sloAlarmsFromTemplate } from '../../../lib/simulation/template-alarms';

// CloudFront's availability reads an Average (5xxErrorRate) beside a count (Requests). Older than
// 15 days CloudWatch keeps 5-minute data only (GetMetricData, "Amazon CloudWatch API Reference"):
// the rate's 5-minute averages must be read as they are there, or an outage reads as missing
// data and the replay says all clear (found in review: `Average` was read as missing before).
const stack = new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'us-east-1' } });
const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') } });
new ReliableService(stack, 'Checkout', { serviceName: 'checkout', dashboard: false, slos: [{ name: 'availability', objective: 99.9, sli: Sli.distributionAvailability(distribution) }] });
const model = sloAlarmsFromTemplate(Template.fromStack(stack).toJSON(), 'checkout', 'availability')!;
const MINUTE = 60_000;

function replayWithOutage(outageMinutes: number) {
  const range = replayRange(new Date(Date.UTC(2024, 4, 20, 12, 0, 30)), 17 * 1440, warmUpMinutes([model], 2));
  const history = new MetricHistory(range);
  const metrics = metricsOf([model], { range, delayMinutes: 2 });
  const requests = metrics.find((m) => m.metricName === 'Requests')!;
  const rate = metrics.find((m) => m.metricName === '5xxErrorRate')!;
  const from = range.start.getTime() + 1440 * MINUTE; // one day into the range: in its 5-minute part
  for (const segment of range.segments) {
    const step = segment.periodSeconds * 1000;
    for (let t = Math.ceil(segment.start.getTime() / step) * step; t < segment.end.getTime(); t += step) {
      history.add(requests, t, segment.periodSeconds, (1000 * segment.periodSeconds) / 60);
      history.add(rate, t, segment.periodSeconds, t >= from && t < from + outageMinutes * MINUTE ? 100 : 0);
    }
  }
  return { range, result: replaySlo({ service: 'checkout', slo: 'availability', model }, history, 2) };
}

test('a CloudFront outage in the 5-minute part of the history (older than 15 days) pages in the replay', () => {
  const { range, result } = replayWithOutage(120);
  expect(range.segments.map((s) => s.periodSeconds)).toEqual([300, 60]);
  expect(result.replayed).toBe(true);
  expect(result.notes).toEqual([]);
  expect(result.pages).toBe(1);
});

test('the same history without the outage replays as all clear, with nothing left unread', () => {
  const { result } = replayWithOutage(0);
  expect(result).toMatchObject({ replayed: true, pages: 0, tickets: 0, notes: [] });
});
