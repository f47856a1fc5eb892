/**
 * Only CloudWatch can page: before an SNS alarm transition opens, escalates or resolves anything,
 * the alarm it names must exist in CloudWatch, in this account and region, as a composite alarm
 * whose actions for that state notify the topic the record came from (the page or the ticket topic
 * of this policy). What the notices then say comes from CloudWatch, never from the message: the
 * alarm's own ARN and description (its tags are read by ARN when a notice is written), the state
 * reason only while the alarm is still in the state the message claims, and only the triggering
 * children the alarm's rule really names.
 *
 * The topic policies already refuse publishers other than CloudWatch alarms of this account (see
 * lib/escalation); this check is the second line: a principal allowed to change a topic policy,
 * or a CloudWatch alarm of the account publishing somewhere it was not wired, still cannot make
 * the pager page with text of its choosing. It cannot prove that the transition itself happened
 * (DescribeAlarms shows the current state only): a message naming a real, wired alarm is trusted
 * for its state and time, as CloudWatch sends them.
 *
 * A message that fails is not handled: it is logged at ERROR with `event: "unverified-alarm"`,
 * which a metric filter counts and the `<policy>-pager-unverified-alarms` alarm reports to level 1.
 * When CloudWatch cannot answer (throttling, 5xx, access denied), the error is thrown: Lambda
 * retries the event twice, then it lands in the dead-letter queue (and its alarm): a real page is
 * late, never dropped, and never sent unverified.
 */
import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { LOG_EVENTS } from '../../shared/contract';
import { errorFields, Logger } from '../../shared/log';
import type { AlarmTransition } from '../events/parse';
import { describeAlarmByName } from './cloudwatch';

/** Where the record came from and who is asking: the topic, and this function's partition, region and account. */
export interface VerificationScope {
  /** The topic the SNS record came from (`PAGE_TOPIC_ARN` or `TICKET_TOPIC_ARN`). */
  readonly topicArn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export type Verdict =
  | { readonly verified: true; readonly transition: AlarmTransition }
  | { readonly verified: false; readonly reason: string };

/** CloudWatch alarm names: 1 to 255 characters (PutCompositeAlarm API reference). */
const MAX_ALARM_NAME = 255;

/** `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:name` -> its parts. */
function alarmArnParts(arn: string): { partition: string; region: string; account: string; name: string } | undefined {
  const m = /^arn:([^:]+):cloudwatch:([^:]*):([^:]*):alarm:(.+)$/.exec(arn);
  return m ? { partition: m[1], region: m[2], account: m[3], name: m[4] } : undefined;
}

/** `arn:aws:lambda:eu-west-1:123456789012:function:escalation[:alias]` -> partition, region, account. */
export function scopeOfFunction(functionArn: string, topicArn: string): VerificationScope | undefined {
  const m = /^arn:([^:]+):lambda:([^:]+):(\d{12}):function:/.exec(functionArn);
  return m ? { topicArn, partition: m[1], region: m[2], account: m[3] } : undefined;
}

/**
 * The names of the alarms a composite's rule refers to: `ALARM("arn:…:alarm:name")`, `OK(name)`,
 * `INSUFFICIENT_DATA("name")` (composite alarm rule syntax, PutCompositeAlarm API reference).
 */
export function ruleAlarmNames(rule: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const m of (rule ?? '').matchAll(/\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*(?:"([^"]+)"|([^\s()"]+))\s*\)/g)) {
    const ref = m[1] ?? m[2];
    names.add(alarmArnParts(ref)?.name ?? ref);
  }
  return names;
}

/**
 * What is wrong with the AlarmArn the message claims, if anything: it must be an alarm of this
 * partition, region and account, named as the message's AlarmName. A message without one is judged
 * by the alarm CloudWatch has under its AlarmName. Pure.
 */
export function claimedArnProblem(t: AlarmTransition, scope: VerificationScope): string | undefined {
  const claimed = t.snapshot.arn;
  if (claimed === undefined) {
    return undefined;
  }
  const parts = alarmArnParts(claimed);
  if (!parts || parts.partition !== scope.partition || parts.region !== scope.region || parts.account !== scope.account) {
    return `its AlarmArn is not an alarm of this account and region (${scope.account}, ${scope.region})`;
  }
  return parts.name === t.alarmName ? undefined : 'its AlarmArn names another alarm than its AlarmName';
}

/**
 * Whether the transition comes from a composite alarm of this account and region wired to the
 * topic the record came from; if it does, the transition rebuilt from what CloudWatch says. Pure.
 */
export function judge(t: AlarmTransition, found: { composite?: CompositeAlarm; metric?: MetricAlarm }, scope: VerificationScope): Verdict {
  const refuse = (reason: string): Verdict => ({ verified: false, reason });
  const claimProblem = claimedArnProblem(t, scope);
  if (claimProblem) {
    return refuse(claimProblem);
  }
  const claimed = t.snapshot.arn;
  const alarm = found.composite;
  if (!alarm) {
    return refuse(found.metric
      ? 'the alarm is a metric alarm: only composite alarms page through an escalation policy'
      : 'no alarm of that name exists in this account and region');
  }
  const arn = alarm.AlarmArn;
  const parts = arn ? alarmArnParts(arn) : undefined;
  if (!arn || !parts || (claimed !== undefined && arn !== claimed)) {
    return refuse('CloudWatch reports the alarm under another ARN than the message');
  }
  const state = t.newState === 'ALARM' ? 'ALARM' : 'OK';
  const actions = (state === 'ALARM' ? alarm.AlarmActions : alarm.OKActions) ?? [];
  if (!actions.includes(scope.topicArn)) {
    return refuse(`the composite alarm does not notify this topic on ${state} (its ${state === 'ALARM' ? 'AlarmActions' : 'OKActions'}: `
      + `${actions.length > 0 ? actions.join(', ') : 'none'}): it is not wired to this escalation policy, or not for this severity`);
  }
  const named = ruleAlarmNames(alarm.AlarmRule);
  return {
    verified: true,
    transition: {
      ...t,
      snapshot: {
        arn,
        region: parts.region,
        description: alarm.AlarmDescription ? alarm.AlarmDescription.slice(0, 1024) : undefined,
        // The reason CloudWatch gives for the state the alarm is in now, if that is the state of the message.
        reason: alarm.StateValue === t.newState && alarm.StateReason ? alarm.StateReason.slice(0, 1024) : undefined,
        children: t.snapshot.children.filter((name) => named.has(name)),
      },
    },
  };
}

/** Error names CloudWatch answers a malformed alarm name with: that name cannot be a real alarm's. */
const INVALID_NAME_ERRORS = new Set(['InvalidParameterValueException', 'InvalidParameterValue', 'ValidationError', 'ValidationException']);

/**
 * The transition to handle, rebuilt from CloudWatch, or `undefined` (logged at ERROR,
 * `event: "unverified-alarm"`) when it does not come from a composite alarm wired to this policy.
 * Throws when CloudWatch cannot be asked (see the module comment). States other than ALARM and OK
 * are returned as they are: nothing handles them.
 */
export async function verifiedTransition(
  t: AlarmTransition,
  ctx: { readonly config: { readonly pageTopicArn: string; readonly ticketTopicArn: string }; readonly functionArn: string; readonly log: Logger },
): Promise<AlarmTransition | undefined> {
  if (t.newState !== 'ALARM' && t.newState !== 'OK') {
    return t;
  }
  const topicArn = t.severity === 'page' ? ctx.config.pageTopicArn : ctx.config.ticketTopicArn;
  const refused = (reason: string) => {
    ctx.log.error('SNS message refused: it does not come from a composite alarm wired to this escalation policy; nobody was notified', {
      event: LOG_EVENTS.unverifiedAlarm, reason, alarmName: t.alarmName, newState: t.newState, severity: t.severity, messageId: t.messageId,
      claimedAlarmArn: t.snapshot.arn,
    });
    return undefined;
  };
  const scope = scopeOfFunction(ctx.functionArn, topicArn);
  if (!scope) {
    // The invoked function ARN always names its account and region; anything else is a bug: retry, then dead-letter.
    throw new Error(`cannot verify alarms: the invoked function ARN ${JSON.stringify(ctx.functionArn)} does not name an account and region`);
  }
  // A name the message truncated (parse.ts keeps 256 characters) or CloudWatch would refuse cannot be a real alarm's.
  if (t.alarmName.length > MAX_ALARM_NAME) {
    return refused(`the alarm name is longer than ${MAX_ALARM_NAME} characters`);
  }
  const claimProblem = claimedArnProblem(t, scope);
  if (claimProblem) {
    return refused(claimProblem);
  }
  let found: Awaited<ReturnType<typeof describeAlarmByName>>;
  try {
    found = await describeAlarmByName(t.alarmName);
  } catch (err) {
    if (INVALID_NAME_ERRORS.has((err as { name?: string })?.name ?? '')) {
      return refused(`CloudWatch refused the alarm name (${(err as Error).name})`);
    }
    ctx.log.warn('could not verify the alarm with CloudWatch (DescribeAlarms failed): the event is retried, then dead-lettered; nobody is notified unverified', {
      alarmName: t.alarmName, newState: t.newState, messageId: t.messageId, ...errorFields(err),
    });
    throw err;
  }
  const verdict = judge(t, found, scope);
  return verdict.verified ? verdict.transition : refused(verdict.reason);
}
