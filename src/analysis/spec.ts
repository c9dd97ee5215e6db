/** Defaults and validation of the JudgeSpec: cheap enough to run on every call. */
import { ConfigError } from '../util/errors.ts';
import type { JudgeSpec, MetricKind, MetricSpec } from './types.ts';

/**
 * Tolerances used when a metric does not set one (canary÷baseline); the config's defaults too.
 * ratio 1.2 is what meets the benchmark's errors-x2 target without A/A false alarms (bench/README.md).
 */
export const DEFAULT_TOLERANCE: Readonly<Record<Exclude<MetricKind, 'threshold'>, number>> = {
  ratio: 1.2,
  latency: 1.2,
  gauge: 1.25,
};
export const DEFAULT_FAILURE_LIMIT = 1;

export function toleranceOf(metric: MetricSpec): number {
  if (metric.kind === 'threshold') return NaN;
  return metric.tolerance ?? DEFAULT_TOLERANCE[metric.kind];
}

export function failureLimitOf(metric: MetricSpec): number {
  return metric.failureLimit ?? DEFAULT_FAILURE_LIMIT;
}

const KINDS: readonly MetricKind[] = ['ratio', 'latency', 'gauge', 'threshold'];

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function check(ok: boolean, path: string, value: unknown, expected: string): void {
  if (!ok) throw new ConfigError(path, `expected ${expected}, got ${show(value)}`);
}

export function validateSpec(spec: JudgeSpec): void {
  check(spec.alpha > 0 && spec.alpha < 1, 'alpha', spec.alpha, 'a number between 0 and 1 (exclusive)');
  check(
    Number.isFinite(spec.minDurationSeconds) && spec.minDurationSeconds >= 0,
    'minDurationSeconds',
    spec.minDurationSeconds,
    'a number of seconds ≥ 0',
  );
  check(
    spec.maxDurationSeconds >= spec.minDurationSeconds,
    'maxDurationSeconds',
    spec.maxDurationSeconds,
    `a number of seconds ≥ minDurationSeconds (${spec.minDurationSeconds})`,
  );
  if (spec.trafficShare) {
    const { expected, tolerance } = spec.trafficShare;
    check(
      expected > 0 && expected < 1,
      'trafficShare.expected',
      expected,
      'a share between 0 and 1 (exclusive)',
    );
    check(tolerance >= 0 && tolerance < 1, 'trafficShare.tolerance', tolerance, 'a number between 0 and 1');
  }
  const names = new Set<string>();
  spec.metrics.forEach((metric, i) => {
    const at = `metrics[${i}]`;
    check(
      typeof metric.name === 'string' && metric.name.length > 0,
      `${at}.name`,
      metric.name,
      'a non-empty name',
    );
    check(!names.has(metric.name), `${at}.name`, metric.name, 'a name not used by another metric');
    names.add(metric.name);
    check(KINDS.includes(metric.kind), `${at}.kind`, metric.kind, `one of ${KINDS.join(', ')}`);
    if (metric.tolerance !== undefined) {
      check(
        metric.tolerance > 0 && Number.isFinite(metric.tolerance),
        `${at}.tolerance`,
        metric.tolerance,
        'a positive number',
      );
    }
    if (metric.kind === 'threshold') {
      check(
        metric.min !== undefined || metric.max !== undefined,
        `${at}.min`,
        metric.min,
        'min or max (or both) for a threshold metric',
      );
      check(
        metric.min === undefined || metric.max === undefined || metric.min <= metric.max,
        `${at}.max`,
        metric.max,
        `a number ≥ min (${metric.min})`,
      );
      const limit = failureLimitOf(metric);
      check(
        Number.isInteger(limit) && limit >= 1,
        `${at}.failureLimit`,
        metric.failureLimit,
        'an integer ≥ 1',
      );
    }
  });
}
