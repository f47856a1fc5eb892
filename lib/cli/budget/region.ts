/**
 * The region `budget` reads, checked against the region the manifest records for the stack.
 * Metrics read in the wrong region come back empty and would pass as "no data", so a stack with
 * a known region is only read there. Environment-agnostic stacks (region `unknown`) are read
 * wherever the flags or the SDK's chain point.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { StackEntry } from '../../manifest/schema';
import { CliError } from '../errors';
import type { AwsClientOptions, CliIo } from '../io';

/** The region the manifest records, or undefined for an environment-agnostic stack. */
export function stackRegion(stack: StackEntry): string | undefined {
  const region = stack.region;
  return typeof region === 'string' && region !== '' && region !== 'unknown' && !region.includes('${') ? region : undefined;
}

export interface BudgetClient {
  readonly client: CloudWatchClient;
  readonly region: string;
  /** The stack is environment-agnostic: the region was not checked. */
  readonly agnostic: boolean;
}

/** `Shop`, or `Prod-Shop (Prod/Shop)` when the stack name is not its construct path. */
export function describeStack(stack: StackEntry): string {
  return stack.name === stack.path ? stack.name : `${stack.name} (${stack.path})`;
}

/**
 * The CloudWatch client for the stack. --region wins; else the SDK's region (AWS_REGION, the
 * profile's region); else, when the SDK has none, the stack's own region. Throws a `CliError`
 * when the region differs from the stack's.
 */
export async function openBudgetClient(io: CliIo, options: AwsClientOptions, stack: StackEntry): Promise<BudgetClient> {
  const expected = stackRegion(stack);
  if (options.region !== undefined) {
    if (expected !== undefined && options.region !== expected) {
      throw new CliError(`stack ${describeStack(stack)} is deployed in ${expected} (its manifest says so), but --region is ${options.region}: `
        + `its metrics are not in ${options.region}, and reading there would report "no data" instead of its budget. `
        + `Pass --region ${expected}, or leave --region out`);
    }
    return { client: io.clients.cloudWatch(options), region: options.region, agnostic: expected === undefined };
  }
  const client = io.clients.cloudWatch(options);
  let sdkRegion: string | undefined;
  try {
    sdkRegion = await client.config.region();
  } catch (err) {
    if (expected === undefined || !/Region is missing/i.test((err as Error)?.message ?? '')) {
      throw err;
    }
  }
  if (!sdkRegion) {
    if (expected === undefined) {
      throw new CliError('no AWS region: pass --region <region> or set AWS_REGION (or a region in your profile).');
    }
    return { client: io.clients.cloudWatch({ ...options, region: expected }), region: expected, agnostic: false };
  }
  if (expected !== undefined && sdkRegion !== expected) {
    const from = options.profile ? `profile ${options.profile}` : 'AWS_REGION, AWS_DEFAULT_REGION or the profile';
    throw new CliError(`stack ${describeStack(stack)} is deployed in ${expected} (its manifest says so), but the AWS SDK is set to `
      + `${sdkRegion} (from ${from}): its metrics are not in ${sdkRegion}, and reading there would report "no data" instead of `
      + `its budget. Pass --region ${expected}`);
  }
  return { client, region: sdkRegion, agnostic: expected === undefined };
}
