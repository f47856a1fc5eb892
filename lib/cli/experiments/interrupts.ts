/**
 * Signals. The first SIGINT (Ctrl-C), SIGTERM (a cancelled CI job) or SIGHUP (a closed terminal)
 * aborts the run: the runner stops the experiment and waits until FIS has stopped it. A second
 * one quits without waiting, but not before StopExperiment was sent at least once, and says what
 * a human must do to finish; a third one quits at once.
 */
import { explainError } from '../errors';
import { ExitCode } from '../exit-codes';
import type { CliRunState } from '../io';

/** The signals the executable handles. */
export const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long the hard exit waits for StopExperiment to answer. */
export const HARD_EXIT_STOP_TIMEOUT_MS = 5_000;

/** Why the run was aborted (the abort reason is the signal's name), for "stopping the experiment (...)". */
export function describeAbort(reason: unknown): string {
  switch (reason) {
    case 'SIGTERM':
      return 'received SIGTERM, e.g. the CI job was cancelled';
    case 'SIGHUP':
      return 'received SIGHUP: the terminal was closed';
    default:
      return 'you pressed Ctrl-C';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What to do when quitting without waiting: sends StopExperiment if FIS has not acknowledged one
 * yet, and returns the lines telling a human how to make sure the experiment stops.
 */
export async function hardExit(state: CliRunState | undefined, timeoutMs = HARD_EXIT_STOP_TIMEOUT_MS): Promise<string[]> {
  const experiment = state?.experiment;
  if (!experiment) {
    const starting = state?.starting;
    if (!starting) {
      return ['No experiment was started.'];
    }
    const region = ` --region ${starting.region}${starting.profile ? ` --profile ${starting.profile}` : ''}`;
    return [
      `StartExperiment was sent for template ${starting.templateId} but FIS has not answered: an experiment may be running.`,
      `Look for it with \`aws fis list-experiments${region}\` and stop it with \`aws fis stop-experiment --id <id>${region}\`.`,
    ];
  }
  const region = ` --region ${experiment.region}${experiment.profile ? ` --profile ${experiment.profile}` : ''}`;
  if (experiment.ended) {
    return [`Experiment ${experiment.id} has ended; nothing to stop.`];
  }
  const lines: string[] = [];
  if (experiment.stopAcknowledged) {
    lines.push(`FIS accepted the stop of experiment ${experiment.id}; it may still be stopping.`);
  } else {
    try {
      await withTimeout(experiment.stop(), timeoutMs);
      lines.push(`Sent StopExperiment for experiment ${experiment.id}; FIS is stopping it.`);
    } catch (err) {
      lines.push(`Could not stop experiment ${experiment.id}: ${explainError(err)}`);
    }
  }
  lines.push(
    `Make sure experiment ${experiment.id} stops: \`aws fis stop-experiment --id ${experiment.id}${region}\``,
    `and follow it with \`aws fis get-experiment --id ${experiment.id}${region}\`.`,
  );
  return lines;
}

/** What the signal handler acts on. */
export interface SignalHandlerOptions {
  /** Aborted, with the signal's name as reason, on the first signal. */
  readonly controller: AbortController;
  readonly state: CliRunState;
  /** Writes to stderr. */
  write(text: string): void;
  /** Ends the process. */
  exit(code: number): void;
  /** @default HARD_EXIT_STOP_TIMEOUT_MS */
  readonly stopTimeoutMs?: number;
}

/**
 * The handler for SIGINT, SIGTERM and SIGHUP: the first aborts the run, the second quits after
 * `hardExit` (exit 130), the third quits at once. Returns a promise that settles once the second
 * signal's work is done (for tests); the process does not need to wait for it.
 */
export function createSignalHandler(options: SignalHandlerOptions): (signal: string) => Promise<void> {
  let received = 0;
  return async (signal: string) => {
    received += 1;
    if (received === 1) {
      options.controller.abort(signal);
      return;
    }
    if (received > 2) {
      options.exit(ExitCode.INTERRUPTED);
      return;
    }
    options.write(`\n${signal} again: quitting without waiting for the experiment to stop\n`);
    try {
      for (const line of await hardExit(options.state, options.stopTimeoutMs)) {
        options.write(`${line}\n`);
      }
    } finally {
      options.exit(ExitCode.INTERRUPTED);
    }
  };
}
