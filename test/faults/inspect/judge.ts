/**
 * The consistency judge: does the end of a run — its exit code, its report and what it printed — tell
 * the truth about the cluster it left? The cluster's end is read from the namespace (the stable's
 * images, what of the run is left: canary, baseline, clones, the Lease) and compared with the state the
 * case started from. A run may end promoted, rolled back, held, or unable to finish its rollback; what it
 * may not do is say one thing while the cluster holds another, or leave the stable between versions.
 */
import type { FaultEnvironment } from '../environment.ts';
import { WORKLOAD } from '../environment.ts';
import { diff, type Change, type Snapshot } from './snapshot.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects and reports are loosely typed JSON */

export type StableEnd = 'unchanged' | 'promoted' | 'other';

export interface ClusterEnd {
  /** The stable's template compared with the start: as it was, the new image, or something else. */
  stable: StableEnd;
  stableImages: string[];
  /** Objects of a run still there: `Deployment/web-canary`, `Lease/web-canary-lock`, clones … */
  leftovers: string[];
  /** Every difference from the start (leftovers and the stable's change included). */
  changes: Change[];
  /** The image the run was releasing. */
  newImage?: string;
}

const RUN_OBJECT = new RegExp(
  `^(Deployment/${WORKLOAD}-(canary|baseline)|Lease/${WORKLOAD}-canary-lock|(ConfigMap|Secret)/.+)$`,
);

export function clusterEnd(
  env: FaultEnvironment,
  namespace: string,
  start: Snapshot,
  newImage?: string,
): ClusterEnd {
  const now = env.snapshot(namespace);
  const changes = diff(start, now);
  const stableKey = `Deployment/${WORKLOAD}`;
  const before = start.get(stableKey);
  const after = now.get(stableKey);
  const stableImages = (after?.object?.spec?.template?.spec?.containers ?? []).map((c: any) =>
    String(c.image),
  );
  let stable: StableEnd = 'other';
  if (after && before && JSON.stringify(after.object.spec) === JSON.stringify(before.object.spec))
    stable = 'unchanged';
  else if (newImage && stableImages.length > 0 && stableImages[0] === newImage) stable = 'promoted';
  const leftovers = changes
    .filter((c) => c.what !== 'removed' && RUN_OBJECT.test(c.key) && !start.has(c.key))
    .map((c) => c.key);
  return { stable, stableImages, leftovers, changes, ...(newImage ? { newImage } : {}) };
}

export interface RunEnd {
  /** The process's exit code (null: killed by a signal). */
  code: number | null;
  /** The signal that killed it, when one did. */
  signal?: string | null;
  /** The --report JSON, when the run was given one and it could be read. */
  report?: any;
  /** Why there is no report (not asked, missing, not JSON). */
  reportProblem?: string;
  /** What it printed on stderr (warnings and errors; progress goes to stdout). */
  stderr: string;
}

export interface Expectation {
  /** Exit codes a correct run may end with (default: any the end is consistent with). */
  exit?: number[];
  /** Acceptable stable ends (default: whatever the exit code and report say). */
  stable?: StableEnd[];
  /** The run was given --report at a writable path: the report must exist and match. */
  reportRequired?: boolean;
  /** `--hold`/deploy: a live canary is the intended end. */
  leftLive?: boolean;
  /** Objects of the run's kinds that are not the run's (a Lease someone else took): not leftovers. */
  notOurs?: string[];
}

/** The outcomes of a run that finished what it started; anything else is an unfinished end (rollback-incomplete …). */
const KNOWN_OUTCOMES = ['promoted', 'rolled-back', 'failed', 'planned', 'held', 'deployed'];

/** The leftovers the text does not name (by object name). */
function unnamed(leftovers: string[], text: string): string[] {
  return leftovers.filter((key) => !text.includes(key.split('/')[1]!));
}

export interface RunVerdict {
  /** Contradictions between exit code, report and cluster (and a stable between versions): not consistent. */
  inconsistent: string[];
  /** A consistent end other than the case expects (a blip not ridden out, exit 4 instead of 130 …). */
  unexpected: string[];
}

/** What the end of a run says that the cluster contradicts, and how it differs from what the case expects. */
export function judgeRun(run: RunEnd, clusterEnd: ClusterEnd, expect: Expectation = {}): RunVerdict {
  let end = clusterEnd;
  const problems: string[] = [];
  const unexpected: string[] = [];
  const code = run.code;
  const shownExit = code === null ? `killed by ${run.signal ?? 'a signal'}` : `exit ${code}`;
  if (expect.notOurs)
    end = { ...end, leftovers: end.leftovers.filter((key) => !expect.notOurs!.includes(key)) };
  const state = `stable ${end.stable}${end.stable === 'other' ? ` (${end.stableImages.join(',')})` : ''}${
    end.leftovers.length ? `, left: ${end.leftovers.join(', ')}` : ', nothing of the run left'
  }`;
  if (expect.exit && (code === null || !expect.exit.includes(code)))
    unexpected.push(`${shownExit}, expected exit ${expect.exit.join(' or ')} (${state})`);
  if (expect.stable && !expect.stable.includes(end.stable))
    unexpected.push(`the stable ended ${end.stable}, expected ${expect.stable.join(' or ')}`);
  if (end.stable === 'other')
    problems.push(`the stable is neither the old nor the new version: ${end.stableImages.join(', ')}`);

  const reportText = run.report ? JSON.stringify(run.report) : '';
  // What is left must be said where a user looks for the end: the report, else the warnings and errors.
  const told = run.report ? reportText : run.stderr;
  const untold = unnamed(end.leftovers, told);
  const leftoversTold = end.leftovers.length > 0 && untold.length === 0;
  const incomplete = run.report !== undefined && !KNOWN_OUTCOMES.includes(run.report.outcome);

  // The exit code against the cluster.
  if (code === 0 && !expect.leftLive) {
    if (end.stable !== 'promoted' && !(run.report?.outcome === 'rolled-back' && end.stable === 'unchanged'))
      problems.push(`exit 0 but the stable was not promoted (${state})`);
    if (end.leftovers.length > 0) problems.push(`exit 0 but ${end.leftovers.join(', ')} left`);
  }
  if (code !== 0) {
    if (end.stable === 'promoted' && !(incomplete && end.newImage && reportText.includes(end.newImage)))
      problems.push(`${shownExit} but the stable runs the new version (${state})`);
    if (code === 2 && end.changes.length > 0)
      problems.push(
        `exit 2 (invalid input) but the cluster changed: ${end.changes.map((c) => `${c.key} ${c.what}`).join(', ')}`,
      );
    if (end.leftovers.length > 0 && !leftoversTold)
      problems.push(
        `${shownExit} with ${untold.join(', ')} left, and neither the report nor the output says so`,
      );
  }

  // The report against the cluster and the exit code.
  if (expect.reportRequired) {
    if (!run.report) problems.push(`no report: ${run.reportProblem ?? 'missing'}`);
  }
  if (run.report) {
    const report = run.report;
    if (code !== null && report.exitCode !== code)
      problems.push(`the report says exitCode ${report.exitCode}, the process exited ${code}`);
    switch (report.outcome) {
      case 'promoted':
        if (end.stable !== 'promoted' || end.leftovers.length > 0)
          problems.push(`the report says promoted, the cluster has ${state}`);
        break;
      case 'rolled-back':
        if (end.stable !== 'unchanged' || end.leftovers.length > 0)
          problems.push(`the report says rolled-back, the cluster has ${state}`);
        break;
      case 'failed':
      case 'planned':
        if (end.changes.length > 0)
          problems.push(`the report says ${report.outcome} (nothing changed), the cluster has ${state}`);
        break;
      case 'held':
      case 'deployed':
        if (!end.leftovers.some((k) => k.endsWith(`${WORKLOAD}-canary`)))
          problems.push(`the report says ${report.outcome}, but no canary is live`);
        break;
      default:
        // rollback-incomplete and whatever the fixes call an unfinished end: it must name what is left.
        if (end.leftovers.length > 0 && unnamed(end.leftovers, reportText).length > 0)
          problems.push(
            `the report says ${report.outcome} without naming ${unnamed(end.leftovers, reportText).join(', ')}`,
          );
    }
  }
  return { inconsistent: problems, unexpected };
}
