import { alarmFacts } from '../../../../lambdas/escalation/alarm/facts';
import { chatbotNotification, webhookBody } from '../../../../lambdas/escalation/messages/chat';
import { Notice } from '../../../../lambdas/escalation/messages/notice';
import { dedupKey, pagerDutyEvent } from '../../../../lambdas/escalation/messages/pagerduty';
import { snsMessage } from '../../../../lambdas/escalation/messages/sns';
import { longText, MAX_SMS_TEXT_LENGTH, smsText, subject } from '../../../../lambdas/escalation/messages/text';
import { DESCRIPTION } from '../../support/world';

const ACK = `https://abc.lambda-url.eu-west-1.on.aws/?t=${'x'.repeat(220)}.${'y'.repeat(43)}`;

function notice(overrides: Partial<Notice> = {}, service = 'checkout'): Notice {
  const facts = alarmFacts(`${service}-availability-page`, 'page', {
    description: DESCRIPTION, region: 'eu-west-1', reason: 'Threshold crossed', children: [`${service}-availability-page-1h-5m-long`],
  }, { 'cdk-reliability:service': service, 'cdk-reliability:slo': 'availability', 'cdk-reliability:objective': '99.9', 'cdk-reliability:window': '30d' });
  return {
    kind: 'alarm', policy: 'prod', facts, incidentStart: '2024-05-01T10:00:00.000Z', at: '2024-05-01T10:00:00.000Z',
    level: 0, levelCount: 3, cycle: 0, repeat: 0, next: { type: 'level', level: 1, cycle: 0, inSeconds: 900 },
    ackUrl: ACK, dedupKey: 'prod/checkout-availability-page/2024-05-01T10:00:00.000Z', ...overrides,
  };
}

describe('SMS', () => {
  test('stays under 140 characters before the acknowledge link', () => {
    const sms = smsText(notice());
    expect(sms).toBe(`PAGE checkout/availability: budget burn 14.4x (1h/5m). L1/3 Ack: ${ACK}`);
    expect(sms.slice(0, sms.indexOf(' https://')).length).toBeLessThan(140);
  });

  test.each(['alarm', 'recovered', 'acknowledged'] as const)('%s: long names are cut, never the link', (kind) => {
    const n = notice({ kind, at: '2024-05-01T11:00:00.000Z', ackedBy: 'A'.repeat(300) }, 's'.repeat(64));
    const sms = smsText(n);
    const text = kind === 'alarm' ? sms.slice(0, sms.indexOf(' https://')) : sms;
    expect(text.length).toBeLessThanOrEqual(MAX_SMS_TEXT_LENGTH);
    if (kind === 'alarm') {
      expect(sms.endsWith(ACK)).toBe(true);
    }
  });
});

describe('e-mail', () => {
  test('subjects are at most 100 printable ASCII characters', () => {
    const s = subject(notice({}, `svc-${'é'.repeat(80)}`));
    expect(s.length).toBeLessThanOrEqual(100);
    expect(s).toMatch(/^[\x20-\x7e]+$/);
  });

  test('the body gives the tier, the SLO, the reason, what happens next and how to stop it', () => {
    const text = longText(notice());
    expect(text).toContain('Acknowledge (stops the escalation):');
    expect(text).toContain('Reason:       Threshold crossed');
    expect(text).toContain('Level 2 is notified in 15 min unless someone acknowledges.');
  });

  test('recovery says how long it lasted and who acknowledged', () => {
    const text = longText(notice({ kind: 'recovered', at: '2024-05-01T11:05:00.000Z', ackedBy: 'Ann', ackedAt: '2024-05-01T10:07:00.000Z', ackUrl: undefined }));
    expect(text).toContain('returned to OK at 2024-05-01 11:05:00 UTC, 1 h 5 min after it fired. It was acknowledged by Ann at 2024-05-01 10:07:00 UTC.');
  });
});

describe('AWS Chatbot', () => {
  test('is a custom notification threaded per incident', () => {
    const body = chatbotNotification(notice());
    expect(body).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'PAGE checkout/availability: error budget burning at 14.4x (1h/5m)',
        description: expect.stringContaining('Tier: page 1h/5m: burn rate above 14.4x'),
        keywords: ['page', 'checkout', 'availability'],
      },
      metadata: { threadId: 'prod/checkout-availability-page/2024-05-01T10:00:00.000Z', summary: expect.any(String), eventType: 'SloBurnPage' },
    });
  });

  test('the SNS message carries one body per protocol', () => {
    const m = snsMessage(notice());
    const bodies = JSON.parse(m.Message);
    expect(Object.keys(bodies).sort()).toEqual(['default', 'email', 'https', 'sms']);
    expect(JSON.parse(bodies.https).source).toBe('custom');
  });
});

describe('webhooks', () => {
  test('free text is escaped for Slack, links are not', () => {
    const n = notice();
    const body = webhookBody({ ...n, facts: { ...n.facts, reason: '<!channel> & friends' } });
    expect(body.text).toContain(`Acknowledge: ${ACK}`);
    expect(body.reason).toBe('<!channel> & friends');
    expect(body.text).not.toContain('<!channel>');
  });
});

describe('PagerDuty', () => {
  test('dedup keys fit 255 characters', () => {
    expect(dedupKey('prod', 'a'.repeat(255), '2024-05-01T10:00:00.000Z').length).toBeLessThanOrEqual(255);
    expect(dedupKey('prod', 'a', 'b')).toBe('prod/a/b');
  });

  test('resolve and acknowledge carry only the routing key, action and dedup key', () => {
    expect(pagerDutyEvent(notice({ kind: 'recovered' }), 'rk')).toEqual({ routing_key: 'rk', event_action: 'resolve', dedup_key: notice().dedupKey });
    expect(pagerDutyEvent(notice({ kind: 'acknowledged' }), 'rk')).toEqual({ routing_key: 'rk', event_action: 'acknowledge', dedup_key: notice().dedupKey });
  });
});
