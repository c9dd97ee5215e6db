import { writeFile } from 'node:fs/promises';
import type { InconclusivePolicy } from '../analysis/types.ts';
import { buildReport, REPORT_SCHEMA_VERSION, type AnalysisReport } from '../report/json.ts';
import type { AnalysisRun } from '../analysis/run.ts';
import type { Phase } from './names.ts';

export type ReleaseOutcome = 'promoted' | 'rolled-back' | 'held' | 'deployed' | 'planned' | 'failed';

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
  /** `reassertions`: times a weighted router put the step's weight back during its analysis. */
  steps: Array<{ weight: number; verdict: string; reason: string; reassertions?: number }>;
};

export function releaseReport(options: {
  base: Pick<ReleaseReport, 'canary' | 'image' | 'digest' | 'revision' | 'runId'>;
  phase: ReleaseReport['phase'];
  outcome: ReleaseOutcome;
  exitCode: number;
  reason: string;
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
    steps: options.steps,
  };
}

export async function writeReleaseReport(file: string, report: ReleaseReport): Promise<void> {
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
