import { liveStatus } from '../pipeline/manage.ts';
import type { CommandContext } from './command.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { cluster, workload } = await manageTarget(context);
  const { state, lines } = await liveStatus(cluster, workload);
  lines.forEach((line) => context.platform.info(line));
  context.platform.setOutput('phase', state?.phase ?? 'none');
  return 0;
}
