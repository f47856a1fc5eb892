/**
 * Validation findings and the one error message that lists them. Every construct validates all of
 * its props first and throws once, naming each prop that is wrong, so that a user fixes them in
 * one pass rather than one synth at a time.
 *
 * Pure and free of package imports.
 */

/** A validation finding: the prop it concerns and what is wrong with it. */
export interface Problem {
  /** The prop as the user wrote it, e.g. `alerting.tiers[1].longWindow`. */
  readonly prop: string;
  /** What is wrong, with the value received and what is allowed. */
  readonly message: string;
}

/** One error message for all problems: `<path>: <prop>: <message>`, a line each. */
export function formatProblems(where: string, problems: Problem[]): string {
  if (problems.length === 1) {
    return `${where}: ${problems[0].prop}: ${problems[0].message}`;
  }
  return `${where}: ${problems.length} problems:\n${problems.map((p) => `  - ${p.prop}: ${p.message}`).join('\n')}`;
}
