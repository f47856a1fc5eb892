/**
 * Everything a command touches outside itself, injected so that tests control it: output streams,
 * environment, time, cancellation and the AWS SDK clients. `main.ts` wires the real ones.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { FisClient } from '@aws-sdk/client-fis';
import { wellFormed } from '../private/describe';

/** Where text goes: `process.stdout`, `process.stderr`, or a buffer in tests. */
export interface Writer {
  write(text: string): unknown;
}

/** What the `--region` and `--profile` flags give the SDK clients. */
export interface AwsClientOptions {
  /** @default - the SDK's default chain (AWS_REGION, the profile's region) */
  readonly region?: string;
  /** @default - the SDK's default chain (AWS_PROFILE, then `default`) */
  readonly profile?: string;
}

/** Builds SDK clients. Tests return clients whose `send` is stubbed by aws-sdk-client-mock. */
export interface AwsClientFactories {
  fis(options: AwsClientOptions): FisClient;
  cloudWatch(options: AwsClientOptions): CloudWatchClient;
  /** CloudWatch Logs (review reads the escalation policies' incidents with Logs Insights). */
  logs(options: AwsClientOptions): CloudWatchLogsClient;
}

/** The world of one CLI invocation. */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** The process environment (read for `CDK_RELIABILITY_DEBUG` and to name the profile in use). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Waits; tests resolve at once and advance their clock instead. */
  sleep(ms: number): Promise<void>;
  now(): Date;
  /**
   * Aborted on SIGINT, SIGTERM or SIGHUP (the signal's name is the abort reason): a running
   * experiment is then stopped, not abandoned. @default - never aborted
   */
  readonly signal?: AbortSignal;
  readonly clients: AwsClientFactories;
  /**
   * What the command has under way, for the process to clean up when it must quit at once (a
   * second signal). @default - not shared
   */
  readonly state?: CliRunState;
}

/** An experiment a command started. */
export interface StartedExperiment {
  readonly id: string;
  readonly region: string;
  /** @default - the SDK's default chain */
  readonly profile?: string;
  /** FIS accepted a StopExperiment for it. */
  stopAcknowledged: boolean;
  /** It reached a final state (completed, stopped, failed, cancelled): nothing left to stop. */
  ended: boolean;
  /** Sends StopExperiment (and marks the stop acknowledged when FIS accepts it). */
  stop(): Promise<void>;
}

/** Shared between a command and the process running it; the command fills it in. */
export interface CliRunState {
  /** StartExperiment was sent for this template and has not answered yet. */
  starting?: { readonly templateId: string; readonly region: string; readonly profile?: string };
  /** The experiment started, once FIS answered StartExperiment. */
  experiment?: StartedExperiment;
}

/**
 * Control characters (other than line breaks and tabs) and the invisible ones that reorder text,
 * shown as `\uXXXX` escapes. Output quotes names, tags and descriptions from cloud assemblies and
 * AWS, which an untrusted pull request controls: an ANSI escape in them must not rewrite the
 * terminal or a CI log. Inside JSON strings the escape means the same character, so JSON output
 * stays valid and equal.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028-\u202E\u2066-\u2069]/g;

/** `text` with control and invisible characters escaped (see `UNPRINTABLE`), and halves of surrogate pairs (not UTF-8) as U+FFFD. */
export function printable(text: string): string {
  return wellFormed(text).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes one line (a newline is added), control characters escaped. */
export function println(writer: Writer, text = ''): void {
  writer.write(`${printable(text)}\n`);
}

/** Writes lines. */
export function printLines(writer: Writer, lines: readonly string[]): void {
  for (const line of lines) {
    println(writer, line);
  }
}
