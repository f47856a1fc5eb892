/**
 * The AWS clients of one command, built from `--region` and `--profile` through the injected
 * factories, and the region they resolved to (for messages and console links).
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { FisClient } from '@aws-sdk/client-fis';
import type { AwsClientOptions, CliIo } from './io';
import type { ParsedArgs } from './args';

export interface AwsSession {
  readonly region: string;
  /** @default - the SDK's default chain */
  readonly profile?: string;
  readonly fis: FisClient;
  readonly cloudWatch: CloudWatchClient;
}

/** `--region` and `--profile` as client options. */
export function awsOptions(args: ParsedArgs): AwsClientOptions {
  return { region: args.string('region'), profile: args.string('profile') };
}

/**
 * Builds the clients. The region is resolved once (the flag, else the SDK's chain for the
 * profile) and given explicitly to every client, so that they all talk to the same region.
 */
export async function openAws(io: CliIo, options: AwsClientOptions): Promise<AwsSession> {
  const cloudWatch = io.clients.cloudWatch(options);
  const region = options.region ?? await cloudWatch.config.region();
  const fis = io.clients.fis({ ...options, region });
  return { region, profile: options.profile, fis, cloudWatch };
}
