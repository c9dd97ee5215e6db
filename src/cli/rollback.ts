import { rollbackLive } from '../pipeline/manage.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { TARGET_OPTIONS } from './flags.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { values } = parseFlags(context.argv, TARGET_OPTIONS);
  const result = await rollbackLive(await manageTarget(context, values));
  context.platform.setOutput('outcome', result);
  return 0;
}
