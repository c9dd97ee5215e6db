import { leaseStatus } from '../pipeline/lease-status.ts';
import { liveStatus } from '../pipeline/manage.ts';
import type { CommandContext } from './command.ts';
import { manageTarget } from './target.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { cluster, workload } = await manageTarget(context);
  const { state, lines } = await liveStatus(cluster, workload);
  lines.forEach((line) => context.platform.info(line));
  const lease = await leaseStatus(cluster, workload, state, context.clock.now());
  context.platform.info(lease.line);
  context.platform.setOutput('phase', state?.phase ?? 'none');
  return 0;
}
