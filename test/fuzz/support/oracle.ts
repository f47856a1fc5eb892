/**
 * The fuzz oracle: a generated case either synthesizes a template that CloudFormation (and the
 * services behind it) would accept, or fails with the library's own message naming the construct
 * path — never a TypeError, never a message from deep inside aws-cdk-lib.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';
import { templateProblems } from './template-checks';

/** One synthesis directory per test file, reused by every case (assets are staged once). */
export function fuzzOutdir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-fuzz-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh app for one case, writing to the file's synthesis directory, never bundling. Without
 * tree metadata and construct stack traces, which the templates do not contain (15 % faster).
 */
export function fuzzApp(outdir: string, props: AppProps = {}): App {
  return new App({ outdir, treeMetadata: false, stackTraces: false, ...props, context: { 'aws:cdk:bundling-stacks': [], ...props.context } });
}

/** What is allowed to fail a case. */
export interface AllowedFailures {
  /** Construct paths a message may start with (`Shop/Checkout`); deeper paths (`Shop/Checkout/availability`) count too. */
  readonly paths: string[];
  /** Documented messages of factories that throw before any construct is involved. */
  readonly factoryMessages?: RegExp[];
}

/** How a case ended. */
export type Outcome = 'synthesized' | 'refused';

/** Counts outcomes per property, so that a test can show both sides were exercised. */
export class OutcomeTally {
  public synthesized = 0;
  public refused = 0;
  public readonly refusedBy = new Map<string, number>();

  public add(outcome: Outcome, message?: string): void {
    if (outcome === 'synthesized') {
      this.synthesized++;
    } else {
      this.refused++;
      const key = firstProp(message ?? '');
      this.refusedBy.set(key, (this.refusedBy.get(key) ?? 0) + 1);
    }
  }

  public get total(): number {
    return this.synthesized + this.refused;
  }

  /** `300 cases: 61 synthesized, 239 refused (several ×69, sli ×32, …)` */
  public toString(): string {
    const top = [...this.refusedBy.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, n]) => `${k} ×${n}`).join(', ');
    return `${this.total} cases: ${this.synthesized} synthesized, ${this.refused} refused (${top})`;
  }
}

/** The prop a refusal names (`alerting.tiers[i].longWindow`), `several`, or `at synth`. */
function firstProp(message: string): string {
  if (message.startsWith('Validation failed')) {
    return 'at synth';
  }
  const m = /^.*?: (?:(\d+) problems:|([^:\n]+?):)/.exec(message);
  return m ? (m[1] ? 'several' : m[2].replace(/\[\d+\]/g, '[i]').slice(0, 40)) : message.slice(0, 30);
}

/** The outcome of one case. */
export interface CaseResult {
  readonly outcome: Outcome;
  /** The message, when refused. */
  readonly message?: string;
  /** The synthesized templates, when synthesized. */
  readonly templates: Record<string, any>[];
}

/**
 * Runs `build` (which constructs everything in a fresh app), synthesizes the app and checks the
 * outcome. Throws — with the reason, for fast-check to report and shrink — when the case neither
 * synthesized a valid template nor failed with a clear message. With `FUZZ_DEBUG=<file>`, appends
 * each outcome, its message and its CPU time to that file.
 */
export function expectClearOutcome(build: () => App, allowed: AllowedFailures): CaseResult {
  const cpu = process.cpuUsage();
  const result = clearOutcome(build, allowed);
  if (process.env.FUZZ_DEBUG) {
    const used = process.cpuUsage(cpu);
    fs.appendFileSync(process.env.FUZZ_DEBUG, `${result.outcome} (${Math.round((used.user + used.system) / 1000)} ms): ${result.message ?? ''}\n`);
  }
  return result;
}

function clearOutcome(build: () => App, allowed: AllowedFailures): CaseResult {
  let templates: Record<string, any>[];
  try {
    templates = build().synth().stacks.map((s) => s.template);
  } catch (e) {
    if (e instanceof OracleFailure) {
      throw e;
    }
    const problem = unclearError(e, allowed);
    if (problem) {
      throw new Error(`${problem}\n--- the error ---\n${e instanceof Error ? e.stack : String(e)}`);
    }
    return { outcome: 'refused', message: (e as Error).message, templates: [] };
  }
  const problems = templates.flatMap((t) => templateProblems(t));
  if (problems.length > 0) {
    throw new Error(`synthesized a template CloudFormation would reject:\n  - ${problems.join('\n  - ')}`);
  }
  return { outcome: 'synthesized', templates };
}

/** A failed check inside a case's build (not an error of the case itself). */
export class OracleFailure extends Error {}

/**
 * Calls `fn`, a secondary API call inside a case (e.g. `slo.burnRateMetric(window)`): it may
 * return or fail with a clear message; anything else fails the case.
 */
export function tryClearly<T>(what: string, fn: () => T, allowed: AllowedFailures): T | undefined {
  try {
    return fn();
  } catch (e) {
    const problem = unclearError(e, allowed);
    if (problem) {
      throw new OracleFailure(`${what}: ${problem}\n--- the error ---\n${e instanceof Error ? e.stack : String(e)}`);
    }
    return undefined;
  }
}

/** Why an error is not the library's own clear message, or `undefined` when it is. */
export function unclearError(e: unknown, allowed: AllowedFailures): string | undefined {
  if (!(e instanceof Error) && Object.prototype.toString.call(e) !== '[object Error]') {
    return `threw something that is not an Error: ${String(e)}`;
  }
  const error = e as Error;
  if (['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError'].includes(error.name)
    || ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'].includes(error.constructor?.name)) {
    return `threw a ${error.name}: ${error.message}`;
  }
  const message = String(error.message);
  const synthErrors = /^Validation failed with the following errors:\n([\s\S]*)$/.exec(message);
  // a plain Error (aws-cdk-lib wraps node.addValidation() results in its own error type at synth)
  if (!synthErrors && error.name !== 'Error') {
    return `threw a ${error.name}, not a plain Error: ${message}`;
  }
  if (synthErrors) {
    // node.addValidation() results, one per line: `  [<construct path>] <message>`
    const lines = synthErrors[1].split('\n').filter((l) => /^\s+\[/.test(l));
    const messages = lines.map((l) => /^\s+\[[^\]]*\] ([\s\S]*)$/.exec(l)?.[1] ?? l);
    const bad = messages.filter((m) => !namesAllowedPath(m, allowed.paths));
    if (bad.length > 0 || lines.length === 0) {
      return `failed at synth with messages that do not name ${allowed.paths.join(' or ')}: ${bad.join(' | ') || message}`;
    }
    return messages.map(unclearWording).find((p) => p !== undefined);
  }
  if (namesAllowedPath(message, allowed.paths)) {
    return unclearWording(message);
  }
  if ((allowed.factoryMessages ?? []).some((r) => r.test(message))) {
    return unclearWording(message);
  }
  return `threw a message that does not start with the construct path (${allowed.paths.join(', ')}): ${message}`;
}

/** `<path>[/<child>]: <prop or problem count>: …` */
function namesAllowedPath(message: string, paths: string[]): boolean {
  return paths.some((p) => new RegExp(`^${escapeRegExp(p)}(/[^\\s:]+)*: \\S`).test(message));
}

/**
 * Messages that leak JavaScript internals (or `[object Object]`, or nothing after "got") instead of
 * saying what was wrong; that report the library's own TypeError as a value "that could not be
 * read" (a user's failing getter throws HostileValueError in this suite); or that quote a value
 * unsafely: raw control characters (an ANSI escape rewrites the terminal), half a surrogate pair,
 * or a line so long that a huge value was echoed whole.
 */
function unclearWording(message: string): string | undefined {
  const leaks = [/Cannot read propert/, /is not a function/, /is not iterable/, /undefined is not/, /Converting circular structure/,
    /\[object \w+\]/, /\bgot\s*$/m,
    /Maximum call stack/, /\$\{Token\[[\w.-]+\.\d+\]\}/, /Do not know how to serialize a BigInt/, /Cannot convert a (Symbol|BigInt) value/,
    /threw (TypeError|RangeError|ReferenceError|SyntaxError)\b/,
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/,
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, /^.{2000,}$/m];
  const leak = leaks.find((r) => r.test(message));
  return leak ? `threw an unclear message (${leak}): ${truncateForReport(message)}` : undefined;
}

/** A message as a failure report shows it: at most 4000 characters. */
function truncateForReport(message: string): string {
  return message.length <= 4000 ? message : `${message.slice(0, 4000)}… (${message.length} characters)`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
