/**
 * The commands of the CLI, in the order `--help` lists them. A new command is one module in this
 * folder exporting a `Command`, added here.
 */
import type { Command } from '../command';
import { budget } from './budget';
import { diff } from './diff';
import { gameday } from './gameday';
import { replay } from './replay';
import { report } from './report';
import { review } from './review';
import { simulate } from './simulate';

export const COMMANDS: readonly Command[] = [gameday, report, diff, simulate, budget, replay, review];
