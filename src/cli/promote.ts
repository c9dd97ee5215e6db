import { promoteLive } from '../pipeline/manage.ts';
import type { CommandContext } from './command.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const image = await promoteLive(await manageTarget(context));
  context.platform.setOutput('outcome', 'promoted');
  context.platform.setOutput('image', image);
  return 0;
}
