/**
 * The SNS message for a level or tickets topic: `MessageStructure: 'json'` with one body per
 * protocol (default and email: complete text; sms: short; https: AWS Chatbot JSON), built by the
 * shared `snsJsonMessage` (lambdas/shared/sns-message.ts), as the digest's is. Pure.
 */
import { snsJsonMessage, SnsMessage } from '../../shared/sns-message';
import { chatbotNotification } from './chat';
import { Notice } from './notice';
import { longText, smsText, subject } from './text';

export type { SnsMessage };

export function snsMessage(n: Notice): SnsMessage {
  return snsJsonMessage(subject(n), { text: longText(n), sms: smsText(n), chatbot: chatbotNotification(n) });
}
