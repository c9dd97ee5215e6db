import { rollbackLive } from '../pipeline/manage.ts';
import { parseFlags, type Command } from './command.ts';
import { manageTarget, TARGET_OPTIONS, TARGET_USAGE } from './run.ts';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Remove the live canary, baseline and clones; the stable is left exactly as it is.',
  usage: TARGET_USAGE,
  options: TARGET_OPTIONS,
  async run(context) {
    const { values } = parseFlags(context.argv, TARGET_OPTIONS);
    const result = await rollbackLive(await manageTarget(context, values));
    context.platform.setOutput('outcome', result);
    return 0;
  },
};
