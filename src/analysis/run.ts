import type { Decision, Poll } from './types.ts';

/** What one analysis produced: the judge's decision, every poll it saw, and the queries that were sent. */
export interface AnalysisRun {
  decision: Decision;
  polls: Poll[];
  /** Exact queries sent per metric, by role (`canary.bad`, `baseline.histogram` …). */
  queries: Record<string, Record<string, string>>;
  startedAt: Date;
  decidedAt: Date;
}
