import type { Command } from './command.ts';
import { RELEASE_OPTIONS, startRelease } from './run.ts';

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Start a canary and a baseline at the first traffic step and leave them live (phase deployed).',
  options: RELEASE_OPTIONS,
  usage: `  Same options as run (--hold does not apply): the canary is left for analyze, promote or rollback.`,
  run: (context) => startRelease(context, true),
};
