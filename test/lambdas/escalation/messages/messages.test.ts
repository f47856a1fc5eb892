import { alarmFacts } from '../../../../lambdas/escalation/alarm/facts';
import { chatbotNotification, webhookBody } from '../../../../lambdas/escalation/messages/chat';
import { Notice } from '../../../../lambdas/escalation/messages/notice';
import { dedupKey, pagerDutyEvent } from '../../../../lambdas/escalation/messages/pagerduty';
import { snsMessage } from '../../../../lambdas/escalation/messages/sns';
import { longText, MAX_SMS_TEXT_LENGTH, MAX_SMS_TWO_SEGMENTS, smsText, subject } from '../../../../lambdas/escalation/messages/text';
import { truncate } from '../../../../lambdas/escalation/messages/untrusted';
import { newClaims, signToken } from '../../../../lambdas/shared/token';
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
    expect(sms).toBe(`PAGE checkout/availability 14.4x 1h/5m. Ack: ${ACK}`);
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

describe('SMS with a real acknowledge link', () => {
  // A Lambda function URL: https://<32-character id>.lambda-url.<region>.on.aws/ (69 characters in eu-west-1).
  const FUNCTION_URL = `https://${'a1b2c3d4'.repeat(4)}.lambda-url.eu-west-1.on.aws/`;
  const realLink = (alarm = 'checkout-availability-page') =>
    `${FUNCTION_URL}?t=${signToken(newClaims(alarm, '2024-05-01T10:00:00.000Z', 0, 86400, Date.parse('2024-05-01T10:00:00Z')), 'k'.repeat(64))}`;

  test('the link comes first: text + link fit two GSM-7 segments (measured: 268 characters)', () => {
    const link = realLink();
    // Token: 128 + 1 + 22 characters (compact JSON with `i` in epoch ms, 12-byte nonce, 128-bit signature).
    expect(link.length).toBe(FUNCTION_URL.length + 3 + 151);
    const sms = smsText(notice({ ackUrl: link }));
    expect(sms).toBe(`PAGE checkout/availability 14.4x 1h/5m. Ack: ${link}`);
    expect(sms.length).toBe(268);
    expect(sms.length).toBeLessThanOrEqual(MAX_SMS_TWO_SEGMENTS);
    // One segment (160) cannot hold it: the link alone is 223 characters.
    expect(link.length).toBeGreaterThan(MAX_SMS_TEXT_LENGTH);
    expect(sms).toMatch(/^[A-Za-z0-9 !"#$%&'()*+,\-./:;<=>?@_]+$/);
  });

  test('a longer name is cut so that the whole still fits two segments, never the link', () => {
    const link = realLink('payments-gateway-eu-availability-page');
    const sms = smsText(notice({ ackUrl: link }, 'payments-gateway-eu-with-a-very-long-service-name'));
    expect(sms.endsWith(` Ack: ${link}`)).toBe(true);
    expect(sms.length).toBeLessThanOrEqual(MAX_SMS_TWO_SEGMENTS);
  });

  test('a short link fits one segment', () => {
    const sms = smsText(notice({ ackUrl: 'https://ack.example.com/?t=abc.def' }));
    expect(sms).toBe('PAGE checkout/availability 14.4x 1h/5m. Ack: https://ack.example.com/?t=abc.def');
    expect(sms.length).toBeLessThanOrEqual(MAX_SMS_TEXT_LENGTH);
  });

  test('characters outside GSM-7 never switch the SMS to UCS-2', () => {
    const sms = smsText(notice({ kind: 'acknowledged', ackedBy: 'Zoë {on call} ☎' }));
    expect(sms).toMatch(/^[A-Za-z0-9 !"#$%&'()*+,\-./:;<=>?@_]+$/);
  });
});

describe('e-mail', () => {
  test('subjects are printable ASCII and fewer than 100 characters (SNS Publish refuses 100)', () => {
    const s = subject(notice({}, `svc-${'é'.repeat(80)}`));
    expect(s.length).toBeLessThanOrEqual(99);
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

describe('markdown injection', () => {
  const BY = '[click](https://evil.example) *now* <!channel> `x` _y_';

  test('the acknowledger\'s name is escaped in AWS Chatbot markdown', () => {
    const body = chatbotNotification(notice({ kind: 'acknowledged', ackedBy: BY, ackUrl: undefined })) as { content: { title: string; description: string } };
    for (const text of [body.content.title, body.content.description]) {
      expect(text).not.toContain('[click](');
      expect(text).not.toContain('*now*');
      expect(text).not.toContain('<!channel>');
      expect(text).toContain('\\[click\\]\\(https://evil.example\\) \\*now\\* \\<\\!channel\\> \\`x\\` \\_y\\_');
    }
  });

  test('user-chosen service, SLO and alarm names are escaped in AWS Chatbot markdown as the digest escapes them, not in email or SMS', () => {
    const base = notice({}, 'check_out');
    const n: Notice = { ...base, facts: { ...base.facts, slo: '*avail*' } };
    const body = chatbotNotification(n) as { content: { title: string; description: string } };
    expect(body.content.title).toBe('PAGE check\\_out/\\*avail\\*: error budget burning at 14.4x (1h/5m)');
    expect(body.content.description).toContain('Alarm: check\\_out-availability-page, since');
    const bodies = JSON.parse(snsMessage(n).Message);
    expect(bodies.email).toContain('check_out/*avail*');
    expect(bodies.email).not.toContain('\\');
    expect(bodies.sms).toContain('check_out/*avail*');
  });

  test('webhook text (Slack mrkdwn, no backslash escapes) keeps the alarm name verbatim, so a name copied from it exists; <!channel> in a name is still neutralised', () => {
    const base = notice({}, 'check_out');
    const text = (webhookBody({ ...base, facts: { ...base.facts, slo: '<!channel>' } }) as { text: string }).text;
    expect(text).toContain('Alarm: check_out-availability-page, since');
    expect(text).not.toContain('check\\_out');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
  });

  test('the Chatbot summary (a plain-text push preview) names the service verbatim, not markdown-escaped; a mention in it is still broken', () => {
    const base = notice({}, 'check_out');
    const body = chatbotNotification({ ...base, facts: { ...base.facts, slo: '@channel' } }) as { metadata: { summary: string } };
    expect(body.metadata.summary).toBe('PAGE check_out/@\u2060channel: error budget burning at 14.4x (1h/5m)');
  });

  test('an acknowledger named @channel cannot notify the channel', () => {
    const body = chatbotNotification(notice({ kind: 'acknowledged', ackedBy: '@channel & co', ackUrl: undefined })) as { content: { title: string } };
    expect(body.content.title).toBe('ACKNOWLEDGED checkout/availability: @\u2060channel \\& co is handling it');
  });

  test('and in webhook text (Slack and Teams)', () => {
    for (const kind of ['acknowledged', 'recovered'] as const) {
      const body = webhookBody(notice({ kind, ackedBy: BY, ackUrl: undefined, at: '2024-05-01T11:00:00.000Z' }));
      expect(body.text).not.toContain('<!channel>');
      expect(body.text).not.toContain('[click](');
      expect(body.text).not.toContain('*now*');
    }
  });

  test('and in the webhook\'s structured fields, Slack-escaped: a Slack workflow inserting them cannot mention @channel or link', () => {
    for (const kind of ['acknowledged', 'recovered'] as const) {
      const body = webhookBody(notice({ kind, ackedBy: 'Ann & <!channel> <https://evil.example|docs>', ackUrl: undefined, at: '2024-05-01T11:00:00.000Z' }));
      expect(body.acknowledgedBy).toBe('Ann &amp; &lt;!channel&gt; &lt;https://evil.example|docs&gt;');
      expect(body.details).toContain('Ann &amp; &lt;!channel&gt; &lt;https://evil.example|docs&gt;');
      expect(JSON.stringify(body)).not.toMatch(/<!channel>|<https:\/\/evil/);
    }
  });
});

describe('the acknowledger\'s name is cleaned in every format', () => {
  const renderings = (ackedBy: string): Record<string, string> => {
    const n = notice({ kind: 'acknowledged', ackedBy, ackUrl: undefined, at: '2024-05-01T11:00:00.000Z' });
    const sns = snsMessage(n);
    return {
      subject: subject(n),
      email: longText(n),
      sms: smsText(n),
      chatbot: JSON.stringify(chatbotNotification(n)),
      webhook: JSON.stringify(webhookBody(n)),
      sns: sns.Message,
      recovered: longText({ ...n, kind: 'recovered' }),
    };
  };

  test('line breaks and control characters cannot forge lines in an email or a chat message', () => {
    const forged = 'Ann\n\nURGENT: log in at https://evil.example\r\u0007\u001B[2J';
    for (const [format, text] of Object.entries(renderings(forged))) {
      expect([format, text]).not.toContainEqual(expect.stringMatching(/\u001B|\u0007|\r/));
      expect([format, /Ann\s*\n\s*\nURGENT/.test(text)]).toEqual([format, false]);
    }
    expect(renderings(forged).email).toContain('Ann URGENT: log in at https://evil.example [2J acknowledged');
  });

  test('bidirectional overrides and zero-width characters are removed', () => {
    for (const [format, text] of Object.entries(renderings('Ann\u202Egnp.exe\u200B'))) {
      expect([format, /[\u202E\u200B]/.test(text)]).toEqual([format, false]);
    }
  });

  test('a name is at most 64 characters, and never leaves half of a surrogate pair anywhere', () => {
    const long = `x${'🚀'.repeat(100)}\uD83D`;
    for (const [format, text] of Object.entries(renderings(long))) {
      expect([format, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)]).toEqual([format, false]);
    }
    expect(renderings(long).email).toContain(`x${'🚀'.repeat(63)} acknowledged`);
  });

  test('a name that is not a string, or nothing printable, reads as someone', () => {
    expect(longText(notice({ kind: 'acknowledged', ackedBy: 42 as never, ackUrl: undefined }))).toMatch(/^ACKNOWLEDGED checkout\/availability: someone is handling it/);
    expect(longText(notice({ kind: 'acknowledged', ackedBy: '\u0000\u200B ', ackUrl: undefined }))).toMatch(/^ACKNOWLEDGED checkout\/availability: someone is handling it/);
  });
});

describe('cutting to a format\'s limit never splits a character', () => {
  const rockets = (n: number) => '🚀'.repeat(n);
  const wide = (): Notice => {
    const n = notice();
    return { ...n, facts: { ...n.facts, service: `a${rockets(700)}`, slo: rockets(700), reason: `b${rockets(3000)}` } };
  };

  test('AWS Chatbot title (250) and description (4000), PagerDuty summary (1024) and source (255)', () => {
    const chat = chatbotNotification(wide()) as { content: { title: string; description: string }; metadata: { summary: string } };
    const pd = pagerDutyEvent(wide(), 'rk') as { payload: { summary: string; source: string } };
    const cuts: Array<[string, string, number]> = [
      ['title', chat.content.title, 250], ['description', chat.content.description, 4000], ['summary', chat.metadata.summary, 250],
      ['pagerduty summary', pd.payload.summary, 1024], ['pagerduty source', pd.payload.source, 255],
    ];
    for (const [what, text, max] of cuts) {
      expect([what, text.length <= max]).toEqual([what, true]);
      expect([what, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)]).toEqual([what, false]);
      expect([what, what === 'description' || text.endsWith('…')]).toEqual([what, true]);
    }
  });

  test('truncate keeps both halves of a pair or neither', () => {
    for (let max = 1; max < 10; max++) {
      const cut = truncate(rockets(5), max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
    }
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
