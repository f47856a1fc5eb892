/**
 * The command-line tool, for programmatic use (`run(argv, io)`). Deliberately not exported from
 * the library's `lib/index.ts`: the CLI loads the AWS SDK, constructs must not.
 */
export { run, globalHelp, PROGRAM } from './run';
export type { CliIo, AwsClientFactories, AwsClientOptions, Writer } from './io';
export { ExitCode, EXIT_CODE_HELP } from './exit-codes';
export type { Command, OptionSpec } from './command';
export { renderValue } from '../private/template-value';
