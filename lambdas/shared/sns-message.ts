/**
 * An SNS message for a topic whose subscribers speak different protocols (email, SMS, AWS Chatbot
 * over https), written once for the pager (lambdas/escalation/messages/sns.ts) and the digest
 * (lambdas/report/deliver.ts): `MessageStructure: 'json'` with one body per protocol, because
 * AWS Chatbot posts nothing for a plain-text message and an SMS must stay short. Pure.
 */

/** SNS subjects: printable ASCII, no line breaks, fewer than 100 characters (Publish refuses 100). */
export const MAX_SNS_SUBJECT_LENGTH = 99;

/** What Publish takes for a message with one body per protocol. */
export interface SnsMessage {
  readonly Subject: string;
  readonly Message: string;
  readonly MessageStructure: 'json';
}

/** The bodies of one message: `text` for email (and any other protocol), `sms` short, `chatbot` for https. */
export interface SnsMessageBodies {
  readonly text: string;
  readonly sms: string;
  /** An AWS Chatbot custom notification (`chatbotCustomNotification`). */
  readonly chatbot: Record<string, unknown>;
}

/** What an AWS Chatbot custom notification shows. */
export interface ChatbotContent {
  /** Shown bold; cut to 250 characters. */
  readonly title: string;
  /** client-markdown; cut to 4,000 characters. */
  readonly description: string;
  readonly keywords: string[];
  /** Notifications that share it share a thread. */
  readonly threadId?: string;
  /**
   * The notification's summary (push notifications), plain text: pass the unescaped title through
   * `plainChatText`, not the markdown-escaped one; cut to 250 characters. @default the title
   */
  readonly summary?: string;
  readonly eventType: string;
}

/** Cuts `text` to at most `max` UTF-16 code units with `…`, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1])) {
    end--; // keep both halves of a pair, or neither
  }
  return `${text.slice(0, end)}…`;
}

/** Cuts to `max` characters with `...` (for ASCII-only text: the ellipsis character is neither ASCII nor GSM-7). */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
}

/** A subject SNS accepts: one line, printable ASCII (anything else as `?`), at most `MAX_SNS_SUBJECT_LENGTH`. */
export function snsSubject(line: string): string {
  return cut(line.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim(), MAX_SNS_SUBJECT_LENGTH);
}

/**
 * Characters outside the GSM 03.38 basic set switch a whole SMS to UCS-2 (70 characters a
 * segment; the extension set costs two): keep to its ASCII part.
 */
export function gsm(text: string): string {
  return text.replace(/[^A-Za-z0-9 !"#$%&'()*+,\-./:;<=>?@_]/g, '?');
}

/**
 * User-chosen text (service, SLO, alarm and stack names; sentences made of them) as literal text
 * in an AWS Chatbot custom notification. With `textType: client-markdown` Chatbot "renders
 * notifications in the target chat platform's markdown" ("Custom notifications using Amazon Q
 * Developer in chat applications", https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html:
 * title and description support markdown, Slack's style in Slack). So every character that
 * formats there (`*` bold, `_` italic, `~` strike, `` ` `` code, `>` quote, `[` `]` links, `\` itself)
 * and Slack's control characters (`<` opens a link, a user or an `<!channel>` mention; `&` an
 * entity such as `&lt;`) is backslash-escaped, and `@channel`, `@here` and `@everyone` are broken
 * with a word joiner (U+2060) after the `@`, so a name cannot notify a whole channel. Chatbot's
 * handling of the backslash in Slack is not documented: it follows the pager's escaping of the
 * acknowledger's name (lambdas/escalation/messages/chat.ts), verified only against the markdown
 * the notification is written in, not against a rendered Slack message. Email and SMS bodies are
 * plain text and never go through it.
 */
export function escapeChatMarkdown(text: string): string {
  return breakMentions(text.replace(/[\\`*_~[\]<>&]/g, '\\$&'));
}

/** `@channel`, `@here` and `@everyone` broken with a word joiner (U+2060) after the `@`: shown, never notifying. */
function breakMentions(text: string): string {
  return text.replace(/@(?=(?:channel|here|everyone)\b)/gi, '@\u2060');
}

/**
 * User-chosen text as the plain text of a Chatbot notification's `metadata.summary` (a push
 * notification's preview, not markdown): verbatim, only `@channel`, `@here`, `@everyone` and a
 * `<!` (Slack's special mentions) broken with a word joiner, as `escapeChatMarkdown` breaks them.
 */
export function plainChatText(text: string): string {
  return breakMentions(text).replace(/<!/g, '<\u2060!');
}

/** An AWS Chatbot custom notification (client-markdown, rendered by Chatbot in Slack, Teams and Chime). */
export function chatbotCustomNotification(c: ChatbotContent): Record<string, unknown> {
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: truncate(c.title, 250),
      description: truncate(c.description, 4000),
      keywords: c.keywords,
    },
    metadata: {
      ...(c.threadId !== undefined ? { threadId: c.threadId } : {}),
      summary: truncate(c.summary ?? c.title, 250),
      eventType: c.eventType,
    },
  };
}

/** The Publish input: `default` and `email` the text, `sms` the short text, `https` the Chatbot notification. */
export function snsJsonMessage(subject: string, bodies: SnsMessageBodies): SnsMessage {
  return {
    Subject: snsSubject(subject),
    MessageStructure: 'json',
    Message: JSON.stringify({
      default: bodies.text,
      email: bodies.text,
      sms: bodies.sms,
      https: JSON.stringify(bodies.chatbot),
    }),
  };
}
