/** `Notify.email`: an address subscribed to the level's topic. */
import { Token } from 'aws-cdk-lib';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify';
import { emailProblem } from '../validation';
import { CheckedNotifyTarget } from './target';

export class NotifyEmail extends CheckedNotifyTarget {
  public static readonly KIND = 'email';

  constructor(private readonly address: string) {
    super();
  }

  public _problem(): string | undefined {
    return emailProblem(this.address);
  }

  public _describe(): string {
    return `${NotifyEmail.KIND} ${String(this.address)}`;
  }

  public _identity(): string | undefined {
    return addressIdentity(NotifyEmail.KIND, this.address);
  }

  public bind(_scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig {
    return { kind: NotifyEmail.KIND, subscription: new EmailSubscription(this.address, { deadLetterQueue: options.deadLetterQueue }) };
  }
}

/** `<kind>:<address>` for an address known at synth (the same address twice cannot be subscribed twice to one topic). */
export function addressIdentity(kind: string, address: unknown): string | undefined {
  return typeof address === 'string' && !Token.isUnresolved(address) ? `${kind}:${address}` : undefined;
}
