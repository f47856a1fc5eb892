/**
 * The SNS message for a level or tickets topic: `MessageStructure: 'json'` with one body per
 * protocol (default and email: complete text; sms: short; https: AWS Chatbot JSON). Pure.
 */
import { chatbotNotification } from './chat';
import { Notice } from './notice';
import { longText, smsText, subject } from './text';

export interface SnsMessage {
  readonly Subject: string;
  readonly Message: string;
  readonly MessageStructure: 'json';
}

export function snsMessage(n: Notice): SnsMessage {
  const text = longText(n);
  return {
    Subject: subject(n),
    MessageStructure: 'json',
    Message: JSON.stringify({
      default: text,
      email: text,
      sms: smsText(n),
      https: JSON.stringify(chatbotNotification(n)),
    }),
  };
}
