/**
 * Every `canary-action` command, in the order the help lists them: name, summary, flags and help text
 * here; each body is imported when its command runs, so `--help` and `--version` load none of them.
 */
import type { Command, CommandContext, CommandModule } from './command.ts';
import {
  ANALYZE_OPTIONS,
  ANALYZE_USAGE,
  BUILD_OPTIONS,
  BUILD_USAGE,
  CLEANUP_OPTIONS,
  CLEANUP_USAGE,
  MANAGE_OPTIONS,
  MANAGE_USAGE,
  RELEASE_OPTIONS,
  RELEASE_USAGE,
  TARGET_OPTIONS,
  TARGET_USAGE,
} from './flags.ts';

const loaded =
  (load: () => Promise<CommandModule>) =>
  async (context: CommandContext): Promise<number> =>
    (await load()).execute(context);

export const COMMANDS: readonly Command[] = [
  {
    name: 'build',
    summary: 'Build, tag and push the image; print its digest (skips a revision already pushed).',
    options: BUILD_OPTIONS,
    usage: BUILD_USAGE,
    run: loaded(() => import('./build.ts')),
  },
  {
    name: 'run',
    summary: 'Deploy a canary and a baseline, judge them step by step, then promote or roll back.',
    options: RELEASE_OPTIONS,
    usage: `${RELEASE_USAGE}
  --hold                Leave a passing canary live (phase held) for a manual promote.`,
    run: loaded(() => import('./run.ts')),
  },
  {
    name: 'deploy',
    summary: 'Start a canary and a baseline at the first traffic step and leave them live (phase deployed).',
    options: RELEASE_OPTIONS,
    usage: `  Same options as run (--hold does not apply): the canary is left for analyze, promote or rollback.`,
    run: loaded(() => import('./deploy.ts')),
  },
  {
    name: 'promote',
    summary:
      'Promote the live canary (held or deployed): the stable gets its images, canary and baseline go.',
    options: MANAGE_OPTIONS,
    usage: MANAGE_USAGE,
    run: loaded(() => import('./promote.ts')),
  },
  {
    name: 'rollback',
    summary: 'Remove the live canary, baseline and clones; the stable is left exactly as it is.',
    options: MANAGE_OPTIONS,
    usage: MANAGE_USAGE,
    run: loaded(() => import('./rollback.ts')),
  },
  {
    name: 'status',
    summary: 'Show the live canary of a workload: phase, revision, image, readiness, run.',
    options: TARGET_OPTIONS,
    usage: TARGET_USAGE,
    run: loaded(() => import('./status.ts')),
  },
  {
    name: 'cleanup',
    summary:
      'After a cancelled job: remove a canary left mid-run (held or deployed canaries are kept unless --all).',
    options: CLEANUP_OPTIONS,
    usage: CLEANUP_USAGE,
    run: loaded(() => import('./cleanup.ts')),
  },
  {
    name: 'analyze',
    summary: 'Judge a running canary against its baseline with live metrics.',
    options: ANALYZE_OPTIONS,
    usage: ANALYZE_USAGE,
    run: loaded(() => import('./analyze.ts')),
  },
];
