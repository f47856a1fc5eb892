/** `Notify.sms`: a phone number (E.164) subscribed to the level's topic. */
import { SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { phoneNumberProblem } from '../validation';
import { AddressTarget } from './address';

export class NotifySms extends AddressTarget {
  constructor(phoneNumber: string) {
    super('sms', phoneNumber);
  }

  protected addressProblem(phoneNumber: unknown): string | undefined {
    return phoneNumberProblem(phoneNumber);
  }

  protected subscription(phoneNumber: string, deadLetterQueue: IQueue | undefined): SmsSubscription {
    return new SmsSubscription(phoneNumber, { deadLetterQueue });
  }
}
