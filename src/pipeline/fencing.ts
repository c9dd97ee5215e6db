/**
 * What a run has changed so far, as the objects it would leave if it stopped now: named when its Lease is
 * lost (it stops, touching nothing more) and when a third signal forces an exit.
 */
import { LeaseLostError } from '../kube/errors.ts';
import { setLeftover } from '../util/shutdown.ts';
import { baselineName, canaryName, lockName, type Phase } from './names.ts';
import type { ReleaseRun } from './release-run.ts';

export interface Progress {
  /** Anything changed besides the Lease (a live canary cleared, a step deployed). */
  changed: boolean;
  /** The phase reached, for the report and for what may be left. */
  phase?: Phase;
}

/** The objects this run may have left: its Lease, its canary, baseline and clones, a stable mid-promotion. */
export function leftBehind({ request, firstPlan }: ReleaseRun, progress: Progress): string[] {
  const { workload } = request;
  const left = [`Lease ${lockName(workload)}`];
  if (progress.changed) {
    left.push(`Deployment ${canaryName(workload)}`);
    if (firstPlan.baseline) left.push(`Deployment ${baselineName(workload)}`);
    left.push(...firstPlan.clones.map((clone) => `${clone.kind} ${clone.metadata.name}`));
  }
  if (progress.phase === 'promoting')
    left.push(`Deployment ${workload} (mid-promotion: it may run the new image)`);
  return left;
}

/** The command that removes what a stopped run left, once no other run holds the Lease. */
export const finishCommand = ({ request, deps }: ReleaseRun) =>
  `canary-action rollback --workload deployment/${request.workload} --namespace ${deps.cluster.namespace}`;

/** Keeps the signal handler's picture of what a forced exit would leave current. */
export function advance(release: ReleaseRun, progress: Progress, change: Partial<Progress>): void {
  Object.assign(progress, change);
  setLeftover(
    `${leftBehind(release, progress).join(', ')} in namespace ${release.deps.cluster.namespace} (${finishCommand(release)} removes them)`,
  );
}

/** The lost Lease as the run reports it: who holds it now, and what this run left untouched. */
export function leaseLostError(release: ReleaseRun, progress: Progress, lost: unknown): LeaseLostError {
  const cause = lost instanceof LeaseLostError ? lost : undefined;
  const why = cause?.message ?? `lease lost: ${String((lost as Error)?.message ?? lost)}`;
  const holder = cause?.heldBy
    ? `run ${JSON.stringify(cause.heldBy)} holds it now and owns the release`
    : `if no other run takes the Lease, "${finishCommand(release)}" removes them`;
  return new LeaseLostError(
    lockName(release.request.workload),
    cause?.heldBy,
    `${why}. This run stopped at once and changed nothing more; left as they were: ${leftBehind(release, progress).join(', ')}; ${holder}`,
  );
}
