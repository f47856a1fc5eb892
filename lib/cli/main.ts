#!/usr/bin/env node
/**
 * The `cdk-reliability` executable: wires the process (streams, environment, timers, SIGINT) and
 * the real AWS SDK clients to `run()`, then exits with its code. Not exported by the library.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FisClient, FisClientConfig } from '@aws-sdk/client-fis';
import { ExitCode, run } from './run';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    controller.abort();
    return;
  }
  process.stderr.write('\ninterrupted twice: quitting without waiting (a running experiment may still be stopping in FIS)\n');
  process.exit(ExitCode.INTERRUPTED);
});

// `cdk-reliability ... | head`: once the reader closes the pipe, further output is dropped, but the
// command goes on (a running experiment is still followed, and stopped on Ctrl-C)
let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') {
    throw err;
  }
  stdoutClosed = true;
});

function exit(code: number): void {
  if (stdoutClosed) {
    process.exit(code);
  }
  // let piped output drain before exiting
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

run(process.argv.slice(2), {
  stdout: { write: (text: string) => stdoutClosed || process.stdout.write(text) },
  stderr: process.stderr,
  env: process.env,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => new Date(),
  signal: controller.signal,
  clients: {
    fis: ({ region, profile }) => {
      const config: FisClientConfig & { profile?: string } = { region, ...(profile ? { profile } : {}) };
      return new FisClient(config);
    },
    cloudWatch: ({ region, profile }) => new CloudWatchClient({ region, profile }),
  },
}).then(exit, (err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  exit(ExitCode.ERROR);
});
