import { rollbackLive } from '../pipeline/manage.ts';
import type { CommandContext } from './command.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const result = await rollbackLive(await manageTarget(context));
  context.platform.setOutput('outcome', result);
  return 0;
}
