/** Faults injected from outside while a release runs. */
import { nodeWarnings } from '../inspect/messages.ts';
import type { Case, CaseContext } from '../harness.ts';

function fault(spec: Omit<Case, 'category' | 'timeoutMs'> & { timeoutMs?: number }): Case {
  return { category: 'fault', timeoutMs: 180_000, ...spec };
}

/** Steady traffic through the namespace's Service for the case's length. */
function traffic(ctx: CaseContext): void {
  const generator = ctx.env.traffic(ctx.ns);
  ctx.onCleanup(() => generator.stop());
}

export const FAULT_CASES: Case[] = [
  fault({
    id: 'fault.none.good-release',
    does: 'a good release, no fault (the control: the harness and the environment work)',
    expects: 'exit 0, promoted, report "promoted", nothing of the run left, no Node warning',
    async run(ctx) {
      traffic(ctx);
      const release = await ctx.release();
      const exit = await ctx.run(release.args, { timeoutMs: 120_000 });
      await ctx.judge(exit, release, { exit: [0], stable: ['promoted'] });
      for (const warning of nodeWarnings(exit.stderr)) ctx.problem(`Node warning ${warning}`);
    },
  }),
];
