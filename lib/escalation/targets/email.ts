/** `Notify.email`: an address subscribed to the level's topic. */
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { emailProblem } from '../validation';
import { AddressTarget } from './address';

export class NotifyEmail extends AddressTarget {
  constructor(address: string) {
    super('email', address);
  }

  protected addressProblem(address: unknown): string | undefined {
    return emailProblem(address);
  }

  protected subscription(address: string, deadLetterQueue: IQueue | undefined): EmailSubscription {
    return new EmailSubscription(address, { deadLetterQueue });
  }
}
