import { liveStatus } from '../pipeline/manage.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { TARGET_OPTIONS } from './flags.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { values } = parseFlags(context.argv, TARGET_OPTIONS);
  const { cluster, workload } = await manageTarget(context, values);
  const { state, lines } = await liveStatus(cluster, workload);
  lines.forEach((line) => context.platform.info(line));
  context.platform.setOutput('phase', state?.phase ?? 'none');
  return 0;
}
