/**
 * Text a person typed — the acknowledger's name, entered on the acknowledge page by whoever holds
 * the link — made safe for each format it reaches. The acknowledge function already cleans it
 * (lambdas/acknowledge/request.ts); the renderers clean it again, because it also arrives through
 * the incident table and the function's event, and a page must never carry a forged mention.
 *
 * | format | what is done |
 * |---|---|
 * | every format | controls, format characters (zero-width, bidirectional overrides), private-use and unassigned code points and halves of surrogate pairs become spaces; whitespace collapses; at most 64 characters (code points) |
 * | Slack mrkdwn (webhook `text`, and the webhook's structured fields) | `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`: the only way to write a link, a user or an `@channel` mention in Slack is between `<` and `>` |
 * | markdown (AWS Chatbot, Teams) | every character that formats, links or mentions is backslash-escaped (`escapeMarkdown` in chat.ts) |
 * | SMS | GSM-7 basic characters only, at most 40 (text.ts) |
 *
 * Pure.
 */
import { truncate } from '../../shared/sns-message';
import type { Notice } from './notice';

export { truncate };

/** The longest name shown, in characters (code points): what the acknowledge page accepts. */
export const MAX_NAME_LENGTH = 64;

/**
 * A person's name for any message: printable characters only, whitespace collapsed, trimmed, at
 * most `MAX_NAME_LENGTH` characters; `undefined` when nothing is left or it is not a string.
 */
export function cleanName(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  // \p{C}: controls, format characters, private use, unassigned, and (with /u) lone surrogates
  const printable = value.slice(0, 4096).replace(/[\p{C}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').trim();
  const clean = Array.from(printable).slice(0, MAX_NAME_LENGTH).join('').trim();
  return clean.length > 0 ? clean : undefined;
}

/** The notice with its acknowledger's name cleaned (see `cleanName`); idempotent. */
export function withCleanName(n: Notice): Notice {
  if (n.ackedBy === undefined) {
    return n;
  }
  const ackedBy = cleanName(n.ackedBy);
  return ackedBy === n.ackedBy ? n : { ...n, ackedBy };
}

/** Slack's three control characters in text, as Slack's formatting reference asks: `&amp;`, `&lt;`, `&gt;`. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
