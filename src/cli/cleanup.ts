import { rollbackLive } from '../pipeline/manage.ts';
import { parseFlags, type Command } from './command.ts';
import { manageTarget, TARGET_OPTIONS, TARGET_USAGE } from './run.ts';

const OPTIONS = { ...TARGET_OPTIONS, 'run-id': { type: 'string' }, all: { type: 'boolean' } } as const;

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary:
    'After a cancelled job: remove a canary left mid-run (held or deployed canaries are kept unless --all).',
  options: OPTIONS,
  usage: `${TARGET_USAGE}
  --run-id ID           Only clean up the canary of this run.
  --all                 Also remove a canary held or deployed on purpose.`,
  async run(context) {
    const { values } = parseFlags(context.argv, OPTIONS);
    const options = await manageTarget(context, values);
    const result = await rollbackLive({
      ...options,
      ...(values['run-id'] ? { onlyRun: values['run-id'] } : {}),
      keepHeld: !values.all,
    });
    context.platform.setOutput('outcome', result);
    return 0;
  },
};
