/**
 * Flag parsing with node's `util.parseArgs` (strict), with its errors turned into messages that
 * name the flag and what is allowed, and help text generated from the same option specs.
 */
import { parseArgs } from 'node:util';
import type { ArgumentSpec, Command, OptionSpec } from './command';
import { UsageError } from './errors';
import { joinAnd } from '../private/format';
import { columns } from './render';

/** The flags and positional arguments of one invocation, read by name. */
export class ParsedArgs {
  constructor(
    private readonly values: Readonly<Record<string, string | boolean | undefined>>,
    private readonly positionals: Readonly<Record<string, string>> = {},
  ) {}

  /** A positional argument's value (by its `ArgumentSpec` name), or undefined when not given. */
  public argument(name: string): string | undefined {
    return this.positionals[name];
  }

  /** A string flag's value, or undefined when not given. */
  public string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A string flag that `parseCommandArgs` has checked is present. */
  public required(name: string): string {
    const value = this.string(name);
    if (value === undefined) {
      throw new UsageError(`missing required flag --${name}`);
    }
    return value;
  }

  /** A boolean flag: true when given. */
  public flag(name: string): boolean {
    return this.values[name] === true;
  }
}

/** Edit distance, to suggest `gameday` for `gamedya`. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate within a few edits, as ` (did you mean X?)`, or ''. */
export function suggestion(input: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? ` (did you mean ${best}?)` : '';
}

function flagList(options: readonly OptionSpec[]): string {
  return joinAnd([...options.map((o) => `--${o.name}`), '--help']);
}

/** Node's parseArgs error as a sentence naming the flag and what is allowed. */
function usageMessage(err: Error & { code?: string }, command: Command): string {
  const quoted = /'([^']*)'/.exec(err.message)?.[1] ?? '';
  const long = /--([\w-]+)/.exec(quoted)?.[1];
  const option = command.options.find((o) => o.name === long);
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const names = command.options.map((o) => `--${o.name}`);
      return `unknown flag ${quoted} for '${command.name}'${suggestion(quoted, names)}; allowed: ${flagList(command.options)}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && option.type === 'boolean') {
        return `flag --${option.name} takes no value (it is on when given)`;
      }
      if (option) {
        return `flag --${option.name} needs a value: --${option.name} ${option.value ?? '<value>'}`;
      }
      return err.message;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}': '${command.name}' takes only flags (${flagList(command.options)})`;
    default:
      return err.message;
  }
}

/** `<before>` or `[assembly]`. */
function argumentName(argument: ArgumentSpec): string {
  return argument.required ? `<${argument.name}>` : `[${argument.name}]`;
}

/** Positionals by argument name; too many or missing required ones are usage errors. */
function positionalValues(command: Command, positionals: readonly string[]): Record<string, string> {
  const specs = command.arguments ?? [];
  if (positionals.length > specs.length) {
    const extra = positionals[specs.length];
    const takes = `${specs.length} argument${specs.length === 1 ? '' : 's'} (${specs.map(argumentName).join(' ')})`;
    throw new UsageError(`unexpected argument '${extra}': '${command.name}' takes at most ${takes} and flags`, command.name);
  }
  const missing = specs.slice(positionals.length).filter((a) => a.required);
  if (missing.length > 0) {
    throw new UsageError(`missing argument${missing.length > 1 ? 's' : ''} ${joinAnd(missing.map(argumentName))}`, command.name);
  }
  const empty = positionals.findIndex((p) => p === '');
  if (empty >= 0) {
    throw new UsageError(`argument ${argumentName(specs[empty])} needs a non-empty value`, command.name);
  }
  return Object.fromEntries(positionals.map((value, i) => [specs[i].name, value]));
}

/**
 * Parses a command's flags and positional arguments (strict: unknown flags, missing values, and
 * positionals beyond the command's `arguments` are errors). `--help`/`-h` is always accepted; when
 * given, required flags and arguments are not checked.
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): { args: ParsedArgs; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const option of command.options) {
    options[option.name] = { type: option.type };
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: (command.arguments?.length ?? 0) > 0 });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (err) {
    const e = err as Error & { code?: string };
    if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(usageMessage(e, command), command.name);
    }
    throw err;
  }
  const help = values.help === true;
  let named: Record<string, string> = {};
  if (!help) {
    named = positionalValues(command, positionals);
    const missing = command.options.filter((o) => o.required && values[o.name] === undefined);
    if (missing.length > 0) {
      const list = missing.map((o) => `--${o.name} ${o.value ?? '<value>'}`);
      throw new UsageError(`missing required flag${missing.length > 1 ? 's' : ''} ${joinAnd(list)}`, command.name);
    }
    const empty = command.options.find((o) => o.type === 'string' && values[o.name] === '');
    if (empty) {
      throw new UsageError(`flag --${empty.name} needs a non-empty value: --${empty.name} ${empty.value ?? '<value>'}`, command.name);
    }
  }
  return { args: new ParsedArgs(values, named), help };
}

/** `--stack <name>` or `[--dry-run]`. */
function synopsisPart(option: OptionSpec): string {
  const text = option.type === 'string' ? `--${option.name} ${option.value ?? '<value>'}` : `--${option.name}`;
  return option.required ? text : `[${text}]`;
}

/** The usage line of a command. */
export function commandSynopsis(program: string, command: Command): string {
  const parts = [...(command.arguments ?? []).map(argumentName), ...command.options.map(synopsisPart)];
  return `${program} ${command.name} ${parts.join(' ')}`;
}

/** The full `--help` text of a command. */
export function commandHelp(program: string, command: Command): string[] {
  const lines = [`Usage: ${commandSynopsis(program, command)}`, ''];
  for (const paragraph of command.description ?? [command.summary]) {
    lines.push(paragraph);
  }
  if (command.arguments?.length) {
    lines.push('', 'Arguments:');
    lines.push(...columns(command.arguments.map((a) => {
      const notes = [a.required ? 'required' : undefined, a.defaultText ? `default: ${a.defaultText}` : undefined].filter(Boolean);
      return [argumentName(a), notes.length ? `${a.description} (${notes.join('; ')})` : a.description] as [string, string];
    })));
  }
  lines.push('', 'Flags:');
  const rows: Array<[string, string]> = command.options.map((o) => {
    const left = o.type === 'string' ? `--${o.name} ${o.value ?? '<value>'}` : `--${o.name}`;
    const notes = [o.required ? 'required' : undefined, o.defaultText ? `default: ${o.defaultText}` : undefined].filter(Boolean);
    return [left, notes.length ? `${o.description} (${notes.join('; ')})` : o.description];
  });
  rows.push(['-h, --help', 'show this help']);
  lines.push(...columns(rows));
  if (command.examples?.length) {
    lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  }
  return lines;
}
