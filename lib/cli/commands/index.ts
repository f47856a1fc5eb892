/**
 * The commands of the CLI, in the order `--help` lists them. A new command is one module in this
 * folder exporting a `Command`, added here.
 */
import type { Command } from '../command';
import { gameday } from './gameday';

export const COMMANDS: readonly Command[] = [gameday];
