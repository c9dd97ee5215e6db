import { promoteLive } from '../pipeline/manage.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { TARGET_OPTIONS } from './flags.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { values } = parseFlags(context.argv, TARGET_OPTIONS);
  const options = await manageTarget(context, values);
  const image = await promoteLive(options);
  context.platform.setOutput('outcome', 'promoted');
  context.platform.setOutput('image', image);
  return 0;
}
