import type { InconclusivePolicy } from '../analysis/types.ts';
import { buildReport, REPORT_SCHEMA_VERSION, type AnalysisReport } from '../report/json.ts';
import type { AnalysisRun } from '../analysis/run.ts';
import type { NotifyResult } from '../notify/types.ts';
import { writeJsonArtifact, type Redaction } from '../platform/artifacts.ts';
import type { Phase } from './names.ts';

export type ReleaseOutcome =
  | 'promoted'
  | 'rolled-back'
  | 'rollback-incomplete'
  | 'held'
  | 'deployed'
  | 'planned'
  | 'failed'
  /** The run lost its Lease and stopped, touching nothing more: `reason` names what it left. */
  | 'lease-lost';

/** The analysis report (src/report/json.ts) extended with the release: what ran and how it ended. */
export type ReleaseReport = Omit<Partial<AnalysisReport>, 'outcome'> & {
  schemaVersion: number;
  canary: string;
  image: string;
  digest: string | null;
  revision: string;
  runId: string;
  phase: Phase | 'promoted' | 'rolled-back' | 'planned';
  outcome: ReleaseOutcome;
  /** What the analysis verdict meant under onInconclusive, when an analysis ran. */
  analysisOutcome?: AnalysisReport['outcome'];
  exitCode: number;
  reason: string;
  /** rollback-incomplete: the objects still in the cluster (the reason says how to remove them). */
  left?: string[];
  /** `reassertions`: times a weighted router put the step's weight back during its analysis. */
  steps: Array<{ weight: number; verdict: string; reason: string; reassertions?: number }>;
  /** Every notification delivery (when `notify:` has targets): a failed one is a warning, never the outcome. */
  notifications?: NotifyResult[];
};

export function releaseReport(options: {
  base: Pick<ReleaseReport, 'canary' | 'image' | 'digest' | 'revision' | 'runId'>;
  phase: ReleaseReport['phase'];
  outcome: ReleaseOutcome;
  exitCode: number;
  reason: string;
  left?: string[];
  steps: ReleaseReport['steps'];
  lastAnalysis?: AnalysisRun;
  policy: InconclusivePolicy;
}): ReleaseReport {
  const analysis = options.lastAnalysis ? buildReport(options.lastAnalysis, options.policy) : undefined;
  const { outcome: analysisOutcome, exitCode: _analysisExit, reason: _reason, ...rest } = analysis ?? {};
  return {
    ...rest,
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...options.base,
    phase: options.phase,
    outcome: options.outcome,
    ...(analysisOutcome ? { analysisOutcome } : {}),
    exitCode: options.exitCode,
    reason: options.reason,
    ...(options.left ? { left: options.left } : {}),
    steps: options.steps,
  };
}

/**
 * The report of a release that failed before it made its own (bad input, the API down at the start, an
 * interrupt in preflight): nothing was changed. Written so that a `--report` path always holds the end.
 */
export function failedBeforeStart(exitCode: number, reason: string): Partial<ReleaseReport> {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    phase: 'deploying',
    outcome: 'failed',
    exitCode,
    reason,
    steps: [],
  };
}

export async function writeReleaseReport(
  platform: Redaction,
  file: string,
  report: Partial<ReleaseReport>,
): Promise<void> {
  await writeJsonArtifact(platform, file, report);
}
