import { analyzeCommand } from './analyze.ts';
import { buildCommand } from './build.ts';
import { cleanupCommand } from './cleanup.ts';
import type { Command } from './command.ts';
import { deployCommand } from './deploy.ts';
import { promoteCommand } from './promote.ts';
import { rollbackCommand } from './rollback.ts';
import { runCommand } from './run.ts';
import { statusCommand } from './status.ts';

/** Every `canary-action` command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  buildCommand,
  runCommand,
  deployCommand,
  promoteCommand,
  rollbackCommand,
  statusCommand,
  cleanupCommand,
  analyzeCommand,
];
