import type { Config } from '../config/types.ts';
import type { AccessCheck, Cluster } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import type { Clock } from '../util/clock.ts';
import type { Poll } from '../analysis/types.ts';
import type { AnalysisRun } from '../analysis/run.ts';
import type { ReleaseReport } from './release-report.ts';
import type { RunInfo } from './plan.ts';

/** Everything one release needs, resolved at the edge from flags, the config file and CI variables. */
export interface ReleaseRequest {
  config: Config;
  workload: string;
  namespace: string;
  /** The canary's image reference, with a tag or digest. */
  image: string;
  manifestPaths: readonly string[];
  run: RunInfo;
  dryRun: boolean;
  /** Leave the canary live after a passing analysis instead of promoting (phase `held`). */
  hold: boolean;
  /** `deploy` command: stop once canary and baseline are ready (phase `deployed`). */
  deployOnly: boolean;
  /** A/A run: the canary runs the stable's own template; nothing is promoted (`image`/manifests unused). */
  aa?: boolean;
  /** Unique per process: a re-run of the same CI run must not think it already holds the lock. */
  lockHolder: string;
  reportFile?: string;
}

/**
 * One analysis at one traffic step; the real one polls the metrics backend, unit tests pass a fake. `history`
 * holds the polls of the earlier steps: the evidence (and alpha) carry over, one e-process per release.
 */
export type AnalyseStep = (step: {
  index: number;
  weight: number;
  signal: AbortSignal;
  history: readonly Poll[];
}) => Promise<AnalysisRun>;

export interface PipelineDeps {
  cluster: Cluster;
  platform: Platform;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM: the pipeline rolls back and rethrows. */
  signal: AbortSignal;
  requiredAccess: readonly AccessCheck[];
  router: TrafficRouter;
  analyse: AnalyseStep;
  /** Checks the metrics backend and the queries in preflight, before any change (none: not checked). */
  checkAnalysis?: (signal?: AbortSignal) => Promise<void>;
  /** Receives the release report as soon as it is made, before the pipeline returns or rethrows. */
  onReport?: (report: ReleaseReport) => void;
}
