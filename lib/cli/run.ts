/**
 * The dispatcher: `run(argv, io)` picks the command, parses its flags, prints help or usage errors,
 * runs it, and turns whatever it throws into a message on stderr and an exit code. It never calls
 * `process.exit` and reads nothing from `process` except the working directory.
 */
import { commandHelp, commandSynopsis, parseCommandArgs, suggestion } from './args';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { CliError, explainError, UsageError } from './errors';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes';
import { CliIo, printLines, println } from './io';
import { columns } from './render';

export type { CliIo, AwsClientFactories, AwsClientOptions, Writer } from './io';
export { ExitCode } from './exit-codes';

/** The program name in messages. */
export const PROGRAM = 'cdk-reliability';

/** `cdk-reliability --help`. */
export function globalHelp(commands: readonly Command[] = COMMANDS): string[] {
  return [
    `Usage: ${PROGRAM} <command> [flags]`,
    '',
    'Reliability checks for services built with cdk-reliability.',
    '',
    'Commands:',
    ...columns(commands.map((c) => [c.name, c.summary])),
    '',
    `Run '${PROGRAM} <command> --help' for the flags of a command.`,
    '',
    'Exit codes:',
    ...columns(EXIT_CODE_HELP.map(([code, text]) => [String(code), text])),
  ];
}

function shortUsage(command: Command | undefined): string[] {
  if (!command) {
    return [`Usage: ${PROGRAM} <command> [flags]   (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
      `Run '${PROGRAM} --help' for more.`];
  }
  return [`Usage: ${commandSynopsis(PROGRAM, command)}`, `Run '${PROGRAM} ${command.name} --help' for more.`];
}

/** `--profile x` or `--profile=x` from raw arguments, to name the profile in credential errors. */
function profileIn(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') return argv[i + 1];
    if (argv[i].startsWith('--profile=')) return argv[i].slice('--profile='.length);
  }
  return undefined;
}

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    throw new UsageError('no command given');
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
    if (rest[0] !== undefined && !topic) {
      throw new UsageError(`unknown command '${rest[0]}'${suggestion(rest[0], COMMANDS.map((c) => c.name))}; `
        + `commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    }
    printLines(io.stdout, topic ? commandHelp(PROGRAM, topic) : globalHelp());
    return ExitCode.OK;
  }
  if (first.startsWith('-')) {
    throw new UsageError(`expected a command before the flags, got '${first}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  const command = findCommand(first);
  if (!command) {
    throw new UsageError(`unknown command '${first}'${suggestion(first, COMMANDS.map((c) => c.name))}; `
      + `commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  const { args, help } = parseCommandArgs(command, rest);
  if (help) {
    printLines(io.stdout, commandHelp(PROGRAM, command));
    return ExitCode.OK;
  }
  return command.run(args, io);
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns the exit code:
 * 0 success, 1 error, 2 finding, 3 not started, 64 usage error, 130 stopped by you.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      println(io.stderr, `error: ${err.message}`);
      println(io.stderr);
      printLines(io.stderr, shortUsage(err.commandName ? findCommand(err.commandName) : undefined));
      return err.exitCode;
    }
    if (err instanceof CliError) {
      println(io.stderr, `error: ${err.message}`);
      return err.exitCode;
    }
    println(io.stderr, `error: ${explainError(err, { profile: profileIn(argv), env: io.env })}`);
    if (io.env.CDK_RELIABILITY_DEBUG && err instanceof Error && err.stack) {
      println(io.stderr, err.stack);
    }
    return ExitCode.ERROR;
  }
}
