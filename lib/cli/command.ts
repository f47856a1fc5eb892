/**
 * The shape of a command. Each command is one module under `commands/` exporting a `Command`; the
 * dispatcher (`run.ts`) parses its flags from `options`, prints its help, and calls `run`.
 */
import type { ParsedArgs } from './args';
import type { CliIo } from './io';

/** One flag of a command. */
export interface OptionSpec {
  /** Long name without dashes: `stack` for `--stack`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** Placeholder shown in help for string flags. @default '<value>' */
  readonly value?: string;
  readonly description: string;
  /** The command cannot run without it. @default false */
  readonly required?: boolean;
  /** The default, as shown in help. @default - none shown */
  readonly defaultText?: string;
}

/** A positional argument of a command, e.g. `<before>` of `diff`. */
export interface ArgumentSpec {
  /** Shown as `<name>` when required, `[name]` when optional. */
  readonly name: string;
  readonly description: string;
  /** Required arguments come before optional ones. @default false */
  readonly required?: boolean;
  /** The default, as shown in help. @default - none shown */
  readonly defaultText?: string;
}

/** A subcommand: `cdk-reliability <name> [arguments] [flags]`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs shown by `<name> --help` under the usage line. @default - the summary */
  readonly description?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Positional arguments, in order. @default - none: the command takes only flags */
  readonly arguments?: readonly ArgumentSpec[];
  /** Examples shown by `--help`. @default - none */
  readonly examples?: readonly string[];
  /** Returns the exit code; throws `CliError` (its code) or `UsageError` (64) for the user to read. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** `--region` and `--profile`: every command that calls AWS takes them. */
export const AWS_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'region',
    type: 'string',
    value: '<region>',
    description: 'AWS region',
    defaultText: 'AWS_REGION or the profile\'s region',
  },
  {
    name: 'profile',
    type: 'string',
    value: '<name>',
    description: 'profile from ~/.aws/config',
    defaultText: 'AWS_PROFILE or the default chain',
  },
];
