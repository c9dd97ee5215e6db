import { analyzeCommand } from './analyze.ts';
import type { Command } from './command.ts';

/** Every `canary-action` command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [analyzeCommand];
