/** `Notify.sms`: a phone number subscribed to the level's topic. */
import { SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify';
import { phoneNumberProblem } from '../validation';
import { addressIdentity } from './email';
import { CheckedNotifyTarget } from './target';

export class NotifySms extends CheckedNotifyTarget {
  public static readonly KIND = 'sms';

  constructor(private readonly phoneNumber: string) {
    super();
  }

  public _problem(): string | undefined {
    return phoneNumberProblem(this.phoneNumber);
  }

  public _describe(): string {
    return `${NotifySms.KIND} ${String(this.phoneNumber)}`;
  }

  public _identity(): string | undefined {
    return addressIdentity(NotifySms.KIND, this.phoneNumber);
  }

  public bind(_scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig {
    return { kind: NotifySms.KIND, subscription: new SmsSubscription(this.phoneNumber, { deadLetterQueue: options.deadLetterQueue }) };
  }
}
