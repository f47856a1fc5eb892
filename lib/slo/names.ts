/**
 * Alarm names. They are physical names (unique per account and region) and part of the public
 * contract: dashboards, runbooks and escalation rules refer to them, so they are built from the
 * service name, the SLO name and the tier's windows only, never from anything that could shift.
 * The escalation function reads them too: their grammar is the handler contract's
 * (lambdas/shared/contract.ts).
 */
import { Token } from 'aws-cdk-lib';
import { ResolvedTier, Severity } from './tiers';
import { describeValue, quote } from '../private/describe';
import * as contract from '../../lambdas/shared/contract';

/** Letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Keeps every alarm name well under CloudWatch's 255 characters. */
export const MAX_NAME_PART_LENGTH = 64;

/** Which of a tier's two windows an alarm watches; the value ends the alarm's name. */
export enum TierWindow {
  /** The long window, over which the tier's share of the budget is measured (`…-page-1h-5m-long`). */
  LONG = 'long',
  /** The short window, which makes the tier clear soon after the errors stop (`…-page-1h-5m-short`). */
  SHORT = 'short',
}

/** A tier window as internal helpers take it: the enum, or its value (`'long'`, `'short'`). */
export type WindowKind = `${TierWindow}`;

/** Why `value` cannot be part of an alarm name, or `undefined` when it can. */
export function namePartProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return `must be a non-empty string, got ${describeValue(value)}`;
  }
  if (Token.isUnresolved(value)) {
    return 'must be a concrete string, not a token: it becomes part of alarm names, which are fixed at synth time';
  }
  if (value.length > MAX_NAME_PART_LENGTH) {
    return `must be at most ${MAX_NAME_PART_LENGTH} characters (it becomes part of alarm names), got ${value.length}: ${quote(value)}`;
  }
  if (!NAME_PART.test(value)) {
    return `must use only letters, digits, '-', '_' and '.', starting with a letter or digit (it becomes part of alarm names), got ${quote(value)}`;
  }
  return undefined;
}

/** The composite alarm of one severity: `checkout-availability-page`. */
export function compositeAlarmName(serviceName: string, sloName: string, severity: Severity): string {
  return contract.compositeAlarmName(serviceName, sloName, severity);
}

/** The metric-math alarm of one window of one tier: `checkout-availability-page-1h-5m-long`. */
export function windowAlarmName(serviceName: string, sloName: string, tier: ResolvedTier, window: WindowKind): string {
  return contract.windowAlarmName(serviceName, sloName, tier.id, window);
}

/** The SLO's "SLI went blind" alarm: `checkout-availability-blind`. */
export function blindAlarmName(serviceName: string, sloName: string): string {
  return contract.blindAlarmName(serviceName, sloName);
}
