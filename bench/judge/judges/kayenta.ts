import type { Poll } from '../../../src/analysis/types.ts';
import { mannWhitney, mean } from '../stats.ts';
import { pollValues, type ArmValues } from './measurements.ts';
import type { BenchJudge, Outcome } from './types.ts';

/**
 * Kayenta's NetflixACAJudge, from the Spinnaker documentation ("How canary judgment works", the
 * Kayenta canary-config reference) and the Kayenta paper/blog: at the end of the analysis window,
 * per metric, the canary's per-interval values are compared with the baseline's by a Mann-Whitney U
 * test at 98% confidence; NaN values are removed (nanStrategy remove). A metric is High when the
 * canary is significantly higher and its effect size (meanRatio canary / baseline) reaches
 * `allowedIncrease`, Low symmetrically; with direction `increase`, only High fails the metric.
 * Score = 100 × passed / classified metrics (one group, equal weights); score ≥ pass (95) passes,
 * ≥ marginal (75) is marginal (reported as inconclusive), lower fails.
 */
export interface KayentaSettings {
  intervalSeconds: number;
  lifetimeSeconds: number;
  confidence: number;
  allowedIncrease: number;
  passScore: number;
  marginalScore: number;
}

export const KAYENTA_DEFAULTS: KayentaSettings = {
  intervalSeconds: 60,
  lifetimeSeconds: 1800,
  confidence: 0.98,
  allowedIncrease: 1.25,
  passScore: 95,
  marginalScore: 75,
};

export type Classification = 'High' | 'Low' | 'Pass' | 'NoData';

export function classifyMetric(
  canary: number[],
  baseline: number[],
  settings: KayentaSettings,
): Classification {
  const c = canary.filter((v) => Number.isFinite(v));
  const b = baseline.filter((v) => Number.isFinite(v));
  if (c.length === 0 || b.length === 0) return 'NoData';
  const test = mannWhitney(c, b);
  const significant = test.p < 1 - settings.confidence;
  const baselineMean = mean(b);
  const ratio = baselineMean > 0 ? mean(c) / baselineMean : mean(c) > 0 ? Infinity : 1;
  const canaryHigher = test.u > (c.length * b.length) / 2;
  if (significant && canaryHigher && ratio >= settings.allowedIncrease) return 'High';
  if (significant && !canaryHigher && ratio <= 1 / settings.allowedIncrease) return 'Low';
  return 'Pass';
}

export function kayentaJudge(settings: KayentaSettings = KAYENTA_DEFAULTS): BenchJudge {
  return {
    id: 'kayenta',
    configuration:
      `one judgment at the end of a ${settings.lifetimeSeconds / 60} min window of ${settings.intervalSeconds}s intervals; ` +
      `metrics error rate and p99 (direction increase), Mann-Whitney ${settings.confidence * 100}% confidence, ` +
      `allowedIncrease ${settings.allowedIncrease}; pass ≥ ${settings.passScore}, marginal ≥ ${settings.marginalScore}`,
    intervalSeconds: settings.intervalSeconds,
    horizonSeconds: settings.lifetimeSeconds,
    decide(polls: readonly Poll[]): Outcome {
      const window = polls.filter((p) => p.t <= settings.lifetimeSeconds);
      const values = window.map(pollValues).filter((v) => v !== undefined);
      const series = (arm: 'canary' | 'baseline', metric: keyof ArmValues) =>
        values.map((v) => v[arm][metric]);
      const classifications = (['errorRate', 'p99'] as const).map((metric) => ({
        metric,
        result: classifyMetric(series('canary', metric), series('baseline', metric), settings),
      }));
      const classified = classifications.filter((c) => c.result !== 'NoData');
      const t = window[window.length - 1]?.t ?? 0;
      const detail = classifications.map((c) => `${c.metric}=${c.result}`).join(', ');
      if (classified.length === 0) return { verdict: 'inconclusive', t, reason: `no data (${detail})` };
      const score = (100 * classified.filter((c) => c.result !== 'High').length) / classified.length;
      if (score >= settings.passScore) return { verdict: 'pass', t, reason: `score ${score} (${detail})` };
      if (score >= settings.marginalScore)
        return { verdict: 'inconclusive', t, reason: `marginal score ${score} (${detail})` };
      return { verdict: 'fail', t, reason: `score ${score} (${detail})` };
    },
  };
}
