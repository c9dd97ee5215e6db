import { rollbackLive } from '../pipeline/manage.ts';
import type { CommandContext } from './command.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { runId, all, reason } = context.settings;
  const options = await manageTarget(context);
  const result = await rollbackLive({
    ...options,
    ...(runId ? { onlyRun: runId } : {}),
    keepHeld: !all,
    reason: reason ?? 'cleaned up',
  });
  context.platform.setOutput('outcome', result);
  return 0;
}
