/**
 * The exit codes every command uses, so scripts and CI can branch on them. Findings (the system
 * under test misbehaved) are kept apart from errors (the tool or the experiment could not do its
 * job), and both from usage mistakes (64, EX_USAGE from sysexits.h).
 */
export const ExitCode = {
  /** The command did what was asked; for `gameday`, the steady state held. */
  OK: 0,
  /** An error: AWS refused, something was not found, or the experiment itself failed. */
  ERROR: 1,
  /** A finding: customers would have been hurt (gameday), a change weakens the policy (diff --fail-on-weaken), or an error budget is spent (budget). */
  FINDING: 2,
  /** Refused to start: the steady state does not hold before anything was injected. */
  NOT_STEADY: 3,
  /** The command line is wrong: unknown command or flag, missing or invalid value. */
  USAGE: 64,
  /** Stopped by you (Ctrl-C), 128 + SIGINT. */
  INTERRUPTED: 130,
} as const;

/** The exit-code table shown by `--help`. */
export const EXIT_CODE_HELP: ReadonlyArray<readonly [number, string]> = [
  [ExitCode.OK, 'success (gameday: the experiment completed and the steady state held)'],
  [ExitCode.ERROR, 'error: AWS refused, not found, or the experiment failed or was cancelled'],
  [ExitCode.FINDING, 'finding: a stop condition fired or the service did not recover (gameday); the policy is weakened (diff --fail-on-weaken); an error budget is at or below --min-remaining (budget)'],
  [ExitCode.NOT_STEADY, 'not started: a stop-condition alarm is already in ALARM'],
  [ExitCode.USAGE, 'usage error: unknown command or flag, missing or invalid value'],
  [ExitCode.INTERRUPTED, 'stopped by you (Ctrl-C)'],
];
