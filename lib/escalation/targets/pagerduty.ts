/** `Notify.pagerDutyEventsV2`: PagerDuty's Events API v2, called by the escalation function with a routing key read at run time. */
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify-target';
import { referenceProblem } from '../validation';
import { CheckedNotifyTarget } from './target';

export class NotifyPagerDuty extends CheckedNotifyTarget {
  public static readonly KIND = 'pagerduty';

  constructor(private readonly routingKeySecret: ISecret) {
    super();
  }

  public _problem(): string | undefined {
    return referenceProblem('Notify.pagerDutyEventsV2 needs the Secrets Manager secret holding the routing key (an ISecret)', this.routingKeySecret, 'secretArn');
  }

  public _describe(): string {
    return 'PagerDuty Events API v2';
  }

  public bind(_scope: Construct, _options: NotifyTargetBindOptions): NotifyTargetConfig {
    return { kind: NotifyPagerDuty.KIND, pagerDutyRoutingKeySecret: this.routingKeySecret };
  }
}
