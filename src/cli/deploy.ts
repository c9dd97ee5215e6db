import type { Command } from './command.ts';
import { startRelease } from './run.ts';

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Start a canary and a baseline at the first traffic step and leave them live (phase deployed).',
  usage: `  Same options as run (--hold does not apply): the canary is left for analyze, promote or rollback.`,
  run: (context) => startRelease(context, true),
};
