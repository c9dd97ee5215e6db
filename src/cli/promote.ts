import { promoteLive } from '../pipeline/manage.ts';
import { parseFlags, type Command } from './command.ts';
import { manageTarget, TARGET_OPTIONS, TARGET_USAGE } from './run.ts';

export const promoteCommand: Command = {
  name: 'promote',
  summary: 'Promote the live canary (held or deployed): the stable gets its images, canary and baseline go.',
  usage: TARGET_USAGE,
  options: TARGET_OPTIONS,
  async run(context) {
    const { values } = parseFlags(context.argv, TARGET_OPTIONS);
    const options = await manageTarget(context, values);
    const image = await promoteLive(options);
    context.platform.setOutput('outcome', 'promoted');
    context.platform.setOutput('image', image);
    return 0;
  },
};
