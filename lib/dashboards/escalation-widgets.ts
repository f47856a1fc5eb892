/**
 * The health of the pager: the escalation and acknowledge functions' errors, throttles and
 * duration, the dead-letter queue, and the alarms on the pager itself.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { EscalationPolicy, IEscalationPolicy } from '../escalation/escalation-policy';
import { escapeMarkdown } from './markdown';

const PERIOD = Duration.minutes(5);

/** The widgets of the escalation section, row by row, and every widget in them. */
export interface EscalationWidgets {
  readonly rows: cloudwatch.IWidget[][];
  readonly widgets: cloudwatch.IWidget[];
}

/**
 * Whether `policy` exposes its functions, queue and alarms (an `EscalationPolicy`, duck-typed so
 * that it works across copies of this library); a bare `IEscalationPolicy` only has its topics.
 */
export function hasPagerHealth(policy: IEscalationPolicy | undefined): policy is EscalationPolicy {
  const p = policy as Partial<EscalationPolicy> | undefined;
  return p !== undefined && p.escalationFunction !== undefined && p.acknowledgeFunction !== undefined
    && p.deadLetterQueue !== undefined && p.errorsAlarm !== undefined && p.deadLetterAlarm !== undefined
    && p.acknowledgeErrorsAlarm !== undefined && p.deliveryFailuresAlarm !== undefined;
}

/** The pager's health; `undefined` for a policy that does not expose it. */
export function escalationWidgets(policy: IEscalationPolicy | undefined): EscalationWidgets | undefined {
  if (!hasPagerHealth(policy)) {
    return undefined;
  }
  const name = policy.policyName;
  const escalation = policy.escalationFunction;
  const acknowledge = policy.acknowledgeFunction;
  const heading = new cloudwatch.TextWidget({
    markdown: `## Escalation policy ${escapeMarkdown(name)}\n`
      + 'Every page goes through the escalation function: when it fails or is throttled, pages may be late or missing. '
      + 'Events it gave up on wait in the dead-letter queue. The alarms on the pager notify level 1 directly, not through the function.',
    width: 24,
    height: 2,
  });
  const problems = new cloudwatch.GraphWidget({
    title: `${name}: errors and throttles`,
    left: [
      escalation.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'escalation errors' }),
      escalation.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'escalation throttles' }),
      // the acknowledge function answers failures with a 500 page, so its Errors stay at 0: its URL's 5xx count them
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Url5xxCount',
        dimensionsMap: { FunctionName: acknowledge.functionName },
        period: PERIOD,
        statistic: cloudwatch.Stats.SUM,
        label: 'acknowledge 5xx answers',
      }),
      acknowledge.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'acknowledge throttles' }),
    ],
    leftYAxis: { min: 0, label: 'per 5 min', showUnits: false },
    width: 8,
    height: 6,
  });
  const timeout = escalation.timeout?.toMilliseconds();
  const duration = new cloudwatch.GraphWidget({
    title: `${name}: duration p99`,
    left: [
      escalation.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99), label: 'escalation p99' }),
      acknowledge.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99), label: 'acknowledge p99' }),
    ],
    leftAnnotations: timeout !== undefined ? [{ value: timeout, label: `escalation timeout ${timeout / 1000} s`, color: cloudwatch.Color.RED }] : [],
    leftYAxis: { min: 0, label: 'ms', showUnits: false },
    width: 8,
    height: 6,
  });
  const deadLetters = new cloudwatch.GraphWidget({
    title: `${name}: dead-letter queue`,
    left: [
      policy.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'waiting (depth)' }),
      policy.deadLetterQueue.metricNumberOfMessagesSent({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'new dead letters' }),
    ],
    leftYAxis: { min: 0, label: 'events', showUnits: false },
    width: 8,
    height: 6,
  });
  const status = new cloudwatch.AlarmStatusWidget({
    title: `${name}: alarms on the pager`,
    alarms: [policy.errorsAlarm, policy.deadLetterAlarm, policy.acknowledgeErrorsAlarm, policy.deliveryFailuresAlarm, policy.unverifiedAlarmsAlarm],
    width: 24,
    height: 2,
  });
  return {
    rows: [[heading], [problems, duration, deadLetters], [status]],
    widgets: [heading, problems, duration, deadLetters, status],
  };
}
