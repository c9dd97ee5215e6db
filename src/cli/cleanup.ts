import { rollbackLive } from '../pipeline/manage.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { CLEANUP_OPTIONS } from './flags.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { values } = parseFlags(context.argv, CLEANUP_OPTIONS);
  const options = await manageTarget(context, values);
  const result = await rollbackLive({
    ...options,
    ...(values['run-id'] ? { onlyRun: values['run-id'] } : {}),
    keepHeld: !values.all,
  });
  context.platform.setOutput('outcome', result);
  return 0;
}
