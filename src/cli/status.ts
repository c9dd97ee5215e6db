import { liveStatus } from '../pipeline/manage.ts';
import { parseFlags, type Command } from './command.ts';
import { manageTarget, TARGET_OPTIONS, TARGET_USAGE } from './run.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the live canary of a workload: phase, revision, image, readiness, run.',
  usage: TARGET_USAGE,
  options: TARGET_OPTIONS,
  async run(context) {
    const { values } = parseFlags(context.argv, TARGET_OPTIONS);
    const { cluster, workload } = await manageTarget(context, values);
    const { state, lines } = await liveStatus(cluster, workload);
    lines.forEach((line) => context.platform.info(line));
    context.platform.setOutput('phase', state?.phase ?? 'none');
    return 0;
  },
};
