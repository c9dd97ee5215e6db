import type { CommandContext } from './command.ts';
import { startRelease } from './run.ts';

/** `deploy`: the release stops once canary and baseline are ready and leaves them live. */
export const execute = (context: CommandContext): Promise<number> => startRelease(context, true);
