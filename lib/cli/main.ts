#!/usr/bin/env node
/**
 * The `cdk-reliability` executable: wires the process (streams, environment, timers, SIGINT,
 * SIGTERM and SIGHUP) and the real AWS SDK clients to `run()`, then exits with its code. Not
 * exported by the library.
 */
import type { FisClientConfig } from '@aws-sdk/client-fis';
import { createSignalHandler, HANDLED_SIGNALS } from './experiments/interrupts';
import type { CliRunState } from './io';
import { ExitCode, run } from './run';

// `cdk-reliability ... | head`, or a terminal that was closed (SIGHUP): once the reader is gone,
// further output is dropped, but the command goes on (a running experiment is still followed,
// and stopped on a signal)
const OUTPUT_GONE = new Set(['EPIPE', 'EIO']);
let stdoutClosed = false;
let stderrClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (!OUTPUT_GONE.has(err.code ?? '')) {
    throw err;
  }
  stdoutClosed = true;
});
process.stderr.on('error', (err: NodeJS.ErrnoException) => {
  if (!OUTPUT_GONE.has(err.code ?? '')) {
    throw err;
  }
  stderrClosed = true;
});
const stderr = { write: (text: string) => stderrClosed || process.stderr.write(text) };

// Ctrl-C, a cancelled CI job (SIGTERM) and a closed terminal (SIGHUP) all stop the experiment; a
// second signal quits without waiting, after making sure StopExperiment was sent
const controller = new AbortController();
const state: CliRunState = {};
const onSignal = createSignalHandler({
  controller,
  state,
  write: (text) => stderr.write(text),
  exit: (code) => process.exit(code),
});
for (const signal of HANDLED_SIGNALS) {
  process.on(signal, () => {
    onSignal(signal).catch(() => process.exit(ExitCode.INTERRUPTED));
  });
}

function exit(code: number): void {
  if (stdoutClosed || stderrClosed) {
    process.exit(code);
  }
  // let piped output drain before exiting
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

run(process.argv.slice(2), {
  stdout: { write: (text: string) => stdoutClosed || process.stdout.write(text) },
  stderr,
  env: process.env,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => new Date(),
  signal: controller.signal,
  state,
  clients: {
    // Required on first use: offline commands (report, diff, simulate) never load the AWS SDK.
    fis: ({ region, profile }) => {
      const config: FisClientConfig & { profile?: string } = { region, ...(profile ? { profile } : {}) };
      const { FisClient } = require('@aws-sdk/client-fis') as typeof import('@aws-sdk/client-fis');
      return new FisClient(config);
    },
    cloudWatch: ({ region, profile }) => {
      const { CloudWatchClient } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
      return new CloudWatchClient({ region, profile });
    },
    logs: ({ region, profile }) => {
      const { CloudWatchLogsClient } = require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs');
      return new CloudWatchLogsClient({ region, profile });
    },
  },
}).then(exit, (err: unknown) => {
  stderr.write(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  exit(ExitCode.ERROR);
});
