/** What email and SMS targets share: an address subscribed to the level's topic, checked and compared by its text. */
import { Token } from 'aws-cdk-lib';
import type { ITopicSubscription } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify-target';
import { CheckedNotifyTarget } from './target';

export abstract class AddressTarget extends CheckedNotifyTarget {
  constructor(private readonly kind: string, protected readonly address: string) {
    super();
  }

  /** What is wrong with the address, if anything. */
  protected abstract addressProblem(address: unknown): string | undefined;

  /** The subscription of the address, redriving to `deadLetterQueue` when there is one. */
  protected abstract subscription(address: string, deadLetterQueue: IQueue | undefined): ITopicSubscription;

  public _problem(): string | undefined {
    return this.addressProblem(this.address);
  }

  public _describe(): string {
    return `${this.kind} ${String(this.address)}`;
  }

  /** The same address twice would be subscribed twice to one topic, which CloudFormation cannot hold. */
  public _identity(): string | undefined {
    return addressIdentity(this.kind, this.address);
  }

  public bind(_scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig {
    return { kind: this.kind, subscription: this.subscription(this.address, options.deadLetterQueue) };
  }
}

/** `<kind>:<address>` for an address known at synth. */
export function addressIdentity(kind: string, address: unknown): string | undefined {
  return typeof address === 'string' && !Token.isUnresolved(address) ? `${kind}:${address}` : undefined;
}
