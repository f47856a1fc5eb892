/**
 * What an alarm's item owes, computed from the item alone: the whole of the escalation
 * function's bookkeeping (lambdas/README.md, "Notices owed").
 */
import type { Config, TargetSet } from '../../../../lambdas/escalation/config/config';
import { owedNotices } from '../../../../lambdas/escalation/flows/owed';
import type { AlarmItem, DeliveryRecord, Incident } from '../../../../lambdas/shared/incident';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const set = (level: number, pagerDuty = false): TargetSet => ({
  afterSeconds: level === 0 ? 0 : 900, topicArn: `arn:aws:sns:eu-west-1:1:level-${level + 1}`, publishTopicArns: [], webhooks: [],
  pagerDuty: pagerDuty ? [{ secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:pd' }] : [], kinds: [],
});
const config: Config = {
  policyName: 'prod', tableName: 't', scheduleGroup: 'g', schedulerRoleArn: 'r', signingSecretArn: 's', ackUrl: 'https://x/', repeat: 0,
  tokenTtlSeconds: 86400, pageTopicArn: 'p', ticketTopicArn: 't', levels: [set(0, true), set(1)], tickets: set(0), repeatAfterSeconds: 900,
};

function incident(start: string, over: Partial<Incident> = {}): Incident {
  return {
    alarmName: 'a', incidentStart: start, severity: 'page', status: 'open', level: 0, cycle: 0, notifiedUpTo: 0, alarm: { children: [] },
    deliveries: {}, path: ['incidents', String(Date.parse(start))], ...over,
  };
}

function item(incidents: Incident[], current = incidents[incidents.length - 1]): AlarmItem {
  return { alarmName: 'a', exists: true, okMarker: false, incidents, current, hasMap: true, lastChange: current?.incidentStart };
}

const sent: DeliveryRecord = { st: 'sent', at: 'x' };
const keys = (list: Array<{ key: string }>) => list.map((n) => n.key).sort();

describe('an open incident owes', () => {
  test('the alarm notice of its current step to every target of that level, and nothing for earlier steps already sent', () => {
    const i = incident('2024-05-01T10:00:00.000Z', { level: 1, deliveries: { 'a.0.0.topic': sent, 'a.0.0.pagerduty-0': sent } });
    const owed = owedNotices(item([i]), config, 'me', NOW);
    expect(keys(owed.due)).toEqual(['a.0.1.topic']);
    expect(owed.stepDue).toEqual({ incident: i, step: { level: 1, cycle: 0 } });
  });

  test('an earlier step\'s notice that failed and is worth retrying, and a claim whose holder was stopped (lapsed)', () => {
    const i = incident('2024-05-01T10:00:00.000Z', {
      level: 1,
      deliveries: {
        'a.0.0.topic': { st: 'retry', n: 1, first: NOW - 60_000 },
        'a.0.0.pagerduty-0': { st: 'sending', by: 'gone', until: NOW - 1, n: 1, first: NOW - 90_000 },
        'a.0.1.topic': sent,
      },
    });
    expect(keys(owedNotices(item([i]), config, 'me', NOW).due)).toEqual(['a.0.0.pagerduty-0', 'a.0.0.topic']);
  });

  test('nothing a running invocation is sending (busy), nor what this invocation already tried', () => {
    const i = incident('2024-05-01T10:00:00.000Z', {
      deliveries: { 'a.0.0.topic': { st: 'sending', by: 'other', until: NOW + 30_000 }, 'a.0.0.pagerduty-0': { st: 'retry', n: 1, first: NOW } },
    });
    const owed = owedNotices(item([i]), config, 'me', NOW, new Set([`incidents.${Date.parse(i.incidentStart)}/a.0.0.pagerduty-0`]));
    expect(owed.due).toEqual([]);
    expect(keys(owed.busy)).toEqual(['a.0.0.topic']);
    expect(keys(owed.skipped)).toEqual(['a.0.0.pagerduty-0']);
    expect(owed.blockedUntil).toBe(NOW + 30_000);
  });

  test('a notice retried for an hour, three times or more, is given up', () => {
    const i = incident('2024-05-01T10:00:00.000Z', {
      deliveries: { 'a.0.0.topic': { st: 'retry', n: 3, first: NOW - 3_600_000 }, 'a.0.0.pagerduty-0': { st: 'retry', n: 2, first: NOW - 7_200_000 } },
    });
    const owed = owedNotices(item([i]), config, 'me', NOW);
    expect(keys(owed.expired)).toEqual(['a.0.0.topic']);
    expect(keys(owed.due)).toEqual(['a.0.0.pagerduty-0']);
  });
});

describe('an incident that is over owes', () => {
  test('"recovered" to every target an alarm notice reached or may have reached, not to those never claimed or refused for good', () => {
    const i = incident('2024-05-01T10:00:00.000Z', {
      status: 'resolved', level: 1,
      deliveries: { 'a.0.0.topic': sent, 'a.0.0.pagerduty-0': { st: 'retry', n: 1, first: NOW }, 'a.0.1.topic': { st: 'failed', error: 'x' } },
    });
    const owed = owedNotices(item([i]), config, 'me', NOW);
    expect(owed.due.map((n) => [n.key, n.kind, n.requires])).toEqual([['r.0.topic', 'recovered', 'resolved'], ['r.0.pagerduty-0', 'recovered', 'resolved']]);
  });

  test('"nobody answered" to every level notified, PagerDuty excepted (its own escalation runs)', () => {
    const i = incident('2024-05-01T10:00:00.000Z', { status: 'exhausted', level: 1, deliveries: { 'a.0.0.topic': sent, 'a.0.0.pagerduty-0': sent, 'a.0.1.topic': sent } });
    expect(keys(owedNotices(item([i]), config, 'me', NOW).due)).toEqual(['x.0.topic', 'x.1.topic']);
  });

  test('nothing while another invocation still sends an earlier notice of the incident: the follow-up waits (alarm before recovery)', () => {
    const i = incident('2024-05-01T10:00:00.000Z', {
      status: 'resolved', level: 1, deliveries: { 'a.0.0.topic': sent, 'a.0.1.topic': { st: 'sending', by: 'other', until: NOW + 10_000 } },
    });
    const owed = owedNotices(item([i]), config, 'me', NOW);
    expect(owed.due).toEqual([]);
    expect(keys(owed.deferred)).toEqual(['r.0.topic', 'r.1.topic']);
    expect(owed.blockedUntil).toBe(NOW + 10_000);
    // Once that claim lapses (its holder was stopped), both are owed.
    expect(keys(owedNotices(item([i]), config, 'me', NOW + 10_001).due)).toEqual(['r.0.topic', 'r.1.topic']);
  });

  test('a replaced incident owes its closing notices like any recovery; the newer incident its pages', () => {
    const old = incident('2024-05-01T10:00:00.000Z', { status: 'resolved', resolution: 'replaced', deliveries: { 'a.0.0.topic': sent } });
    const now = incident('2024-05-01T11:00:00.000Z');
    expect(keys(owedNotices(item([old, now]), config, 'me', NOW).due)).toEqual(['a.0.0.pagerduty-0', 'a.0.0.topic', 'r.0.topic']);
  });
});

test('a resolved incident that is not the current one, with every notice final and none in flight, is settled (removed from the item)', () => {
  const old = incident('2024-05-01T10:00:00.000Z', { status: 'resolved', deliveries: { 'a.0.0.topic': sent, 'r.0.topic': { st: 'failed', error: 'x' } } });
  const current = incident('2024-05-01T11:00:00.000Z', { status: 'resolved', deliveries: { 'a.0.0.topic': sent, 'r.0.topic': sent } });
  const owed = owedNotices(item([old, current]), config, 'me', NOW);
  expect(owed.settled).toEqual([{ incident: old, final: ['r.0.topic'] }]);
});

test('a ticket incident owes its one notice to the ticket targets, and never steps', () => {
  const i = incident('2024-05-01T10:00:00.000Z', { severity: 'ticket' });
  const owed = owedNotices(item([i]), config, 'me', NOW);
  expect(keys(owed.due)).toEqual(['a.t.topic']);
  expect(owed.stepDue).toBeUndefined();
});
