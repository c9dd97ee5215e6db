/** What each metric kind hands to the verdict: its result plus the facts the verdict needs. */
import type { MetricResult } from './types.ts';

export interface Assessment {
  /** Everything but `verdict` and `reason`, which the verdict fills in. */
  result: Omit<MetricResult, 'verdict' | 'reason'>;
  /** The evidence reached the threshold (or a threshold metric its failure limit). */
  failed: boolean;
  /** No usable data at all: never a silent pass or fail. */
  noData: boolean;
  /** The confidence bounds already rule out a regression beyond the tolerance. */
  withinTolerance: boolean;
  /** Set (at maxDuration only) when the traffic seen could not have caught a regression. */
  undetectable?: string;
  /** The numbers, for every reason. */
  summary: string;
  /** Why it failed / why it is within tolerance / why there is no data: formatted only when used. */
  failNote: () => string;
  passNote: () => string;
  /** What a pass at maxDuration rests on ("no evidence of harm; compatible with ratios up to 1.4"). */
  finalNote: () => string;
  noDataNote: () => string;
}

/** What every metric assessment needs besides the polls. */
export interface AssessContext {
  /** 1/α for this metric. */
  threshold: number;
  /** The analysis has reached maxDuration: work out the minimum detectable effect. */
  final: boolean;
}
