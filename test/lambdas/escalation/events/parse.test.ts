import { normalizeTime, parseEvent } from '../../../../lambdas/escalation/events/parse';
import { alarmMessage, PAGE_TOPIC, snsEvent, TICKET_TOPIC } from '../../support/world';

const topics = { pageTopicArn: PAGE_TOPIC, ticketTopicArn: TICKET_TOPIC };

test('normalizes CloudWatch times to ISO 8601 UTC', () => {
  expect(normalizeTime('2024-05-01T12:00:00.000+0200')).toBe('2024-05-01T10:00:00.000Z');
  expect(normalizeTime('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.000Z');
  expect(normalizeTime('soon')).toBeUndefined();
  expect(normalizeTime(42)).toBeUndefined();
});

test('reads an alarm transition: severity from the topic, children in ALARM, region from the ARN', () => {
  const parsed = parseEvent(snsEvent(alarmMessage('ALARM', '2024-05-01T10:00:00.000+0000'), { topic: TICKET_TOPIC, messageId: 'm1' }), topics);
  expect(parsed).toEqual({
    type: 'sns',
    records: [{
      ok: true,
      transition: expect.objectContaining({
        messageId: 'm1',
        severity: 'ticket',
        alarmName: 'checkout-availability-page',
        newState: 'ALARM',
        changeTime: '2024-05-01T10:00:00.000Z',
        snapshot: expect.objectContaining({ region: 'eu-west-1', children: ['checkout-availability-page-1h-5m-long'] }),
      }),
    }],
  });
});

test('recognizes timers and acknowledgements', () => {
  expect(parseEvent({ kind: 'escalate', alarmName: 'a', incidentStart: '2024-05-01T10:00:00.000Z', level: 1, cycle: 0 }, topics).type).toBe('timer');
  expect(parseEvent({ kind: 'acknowledged', alarmName: 'a', incidentStart: '2024-05-01T10:00:00.000Z', level: 0, by: ' Ann ' }, topics))
    .toEqual({ type: 'acknowledged', event: expect.objectContaining({ by: 'Ann' }) });
});

test.each([
  [{ kind: 'escalate', alarmName: 'a', incidentStart: '2024-05-01T10:00:00Z', level: -1, cycle: 0 }],
  [{ kind: 'escalate', alarmName: '', incidentStart: '2024-05-01T10:00:00Z', level: 1, cycle: 0 }],
  [{ kind: 'escalate', alarmName: 'a', incidentStart: '2024-05-01T10:00:00Z', level: 1.5, cycle: 0 }],
  [{ kind: 'launch' }],
  [[1, 2]],
  ['text'],
])('refuses %j with a reason', (event) => {
  const parsed = parseEvent(event, topics);
  expect(parsed.type).toBe('invalid');
});
