/**
 * The shared SNS message helpers: what AWS Chatbot's client-markdown receives of user-chosen text.
 */
import { escapeChatMarkdown, plainChatText } from '../../../lambdas/shared/sns-message';

describe('escapeChatMarkdown', () => {
  test('backslash-escapes what formats in Slack and markdown: * _ ~ ` > [ ] and the backslash', () => {
    expect(escapeChatMarkdown('*bold* _it_ ~gone~ `code` > quote [x] a\\b'))
      .toBe('\\*bold\\* \\_it\\_ \\~gone\\~ \\`code\\` \\> quote \\[x\\] a\\\\b');
  });

  test('escapes Slack\'s control characters < and &: no link, user or <!channel> mention, no entity', () => {
    expect(escapeChatMarkdown('<!channel> <https://evil.example|docs> &lt;!here&gt;'))
      .toBe('\\<!channel\\> \\<https://evil.example|docs\\> \\&lt;!here\\&gt;');
  });

  test('breaks @channel, @here and @everyone with a word joiner; other @ stay', () => {
    expect(escapeChatMarkdown('@channel @Here @everyone ops@example.com @channels')).toBe('@\u2060channel @\u2060Here @\u2060everyone ops@example.com @channels');
  });

  test('names made of letters, digits, - and . are unchanged; _ is escaped', () => {
    expect(escapeChatMarkdown('checkout-v2.eu')).toBe('checkout-v2.eu');
    expect(escapeChatMarkdown('checkout_v2')).toBe('checkout\\_v2');
  });
});

describe('plainChatText (a Chatbot summary, plain text)', () => {
  test('keeps names verbatim (no backslashes) and breaks @channel, @here, @everyone and <!channel>', () => {
    expect(plainChatText('Reliability report check_out*v2: <!channel> @here')).toBe('Reliability report check_out*v2: <\u2060!channel> @\u2060here');
  });
});
