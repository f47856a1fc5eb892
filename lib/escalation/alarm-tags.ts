/**
 * Tags `ReliableService` puts on the composite alarms it wires to an escalation policy. The
 * escalation function reads them (`ListTagsForResource`) to write pages that say which service,
 * SLO and runbook an alarm is about; it falls back to the alarm name and description without them.
 * The keys are the handler contract's (`ALARM_TAGS` in lambdas/shared/contract.ts).
 */
import { Token } from 'aws-cdk-lib';
import { Severity } from '../slo/tiers';
import { formatWindow } from '../slo/windows';
import { formatDecimal } from '../private/format';
import { ALARM_TAGS } from '../../lambdas/shared/contract';
/** CloudWatch tag values: at most 256 characters… */
export const MAX_TAG_VALUE_LENGTH = 256;
/** …of letters, digits, spaces and `_ . : / = + - @`. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** What the tags of one composite alarm describe. */
export interface AlarmTagInput {
  readonly serviceName: string;
  readonly sloName: string;
  readonly severity: Severity;
  /** Percent of good events (99.9). */
  readonly objective: number;
  /** The SLO window in seconds. */
  readonly windowSeconds: number;
  /** @default - no runbook tag */
  readonly runbookUrl?: string;
  /** @default - no dashboard tag */
  readonly dashboardName?: string;
}

/**
 * The tags of a composite alarm: `cdk-reliability:service`, `:slo`, `:severity`, `:objective`,
 * `:window`, and `:runbook` / `:dashboard` when there is one. A runbook URL that is not a valid
 * tag value (over 256 characters, or with characters such as `?`, `&`, `#`, `%`) is left out: the
 * alarm description still links it.
 */
export function escalationAlarmTags(input: AlarmTagInput): Record<string, string> {
  const tags: Record<string, string> = {
    [ALARM_TAGS.service]: input.serviceName,
    [ALARM_TAGS.slo]: input.sloName,
    [ALARM_TAGS.severity]: input.severity,
    [ALARM_TAGS.objective]: formatDecimal(input.objective),
    [ALARM_TAGS.window]: formatWindow(input.windowSeconds),
  };
  if (input.runbookUrl !== undefined && isTagValue(input.runbookUrl)) {
    tags[ALARM_TAGS.runbook] = input.runbookUrl;
  }
  if (input.dashboardName !== undefined && isTagValue(input.dashboardName)) {
    tags[ALARM_TAGS.dashboard] = input.dashboardName;
  }
  return tags;
}

/** Whether `value` can be a CloudWatch tag value (tokens are taken as they are). */
export function isTagValue(value: string): boolean {
  return Token.isUnresolved(value) || (value.length <= MAX_TAG_VALUE_LENGTH && TAG_VALUE.test(value));
}
