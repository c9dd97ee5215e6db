/** Guards: checks on the run itself rather than on a metric; a tripped guard fails the canary. */
import { num, percent } from './format.ts';
import { DispersionTracker } from './dispersion.ts';
import { mixtureEValue } from './mixture.ts';
import type { GuardResult, JudgeSpec, Poll } from './types.ts';

/** Alternatives per side of the traffic-share test, evenly spread, equal prior weight. */
const SHARE_ALTERNATIVES = 40;

/**
 * Sample-ratio-mismatch test of H0 "canary share ∈ [expected − tolerance, expected + tolerance]".
 * Canary requests ~ Binomial(canary + baseline, s) per poll; each side is a mixture likelihood ratio against its
 * edge of the interval (a supermartingale for every s inside, by the same monotone-likelihood-ratio argument as
 * the ratio test), and the guard's e-value is the average of the two sides. Per-connection routing sends
 * requests in sticky bursts, so each poll's evidence is tempered by the dispersion of the share measured on
 * earlier polls, exactly as the ratio metrics are (dispersion.ts). Advisory unless `blocking`: the ratio tests
 * condition on each poll's split, so a skewed split does not bias them; the guard says routing looks wrong.
 */
export function trafficShareGuard(
  share: NonNullable<JudgeSpec['trafficShare']>,
  polls: readonly Poll[],
  threshold: number,
): GuardResult {
  const blocking = share.blocking === true;
  const sides = [share.expected + share.tolerance, share.expected - share.tolerance]
    .map((edge, i) => side(edge, i === 0 ? 'above' : 'below'))
    .filter((s) => s !== undefined);
  const logLik = sides.map(() => new Float64Array(SHARE_ALTERNATIVES + 1));
  const dispersion = new DispersionTracker('pooled');
  let canary = 0;
  let baseline = 0;
  let evidence = 1;
  let maxEvidence = 1;
  let crossedAt: number | undefined;
  for (const poll of polls) {
    if (!poll.traffic) continue;
    const c = Math.max(0, poll.traffic.canary || 0);
    const b = Math.max(0, poll.traffic.baseline || 0);
    if (c + b === 0) continue;
    canary += c;
    baseline += b;
    const phi = dispersion.factor(c + b, 1);
    dispersion.add(c, c + b, 1);
    sides.forEach((s, i) => {
      for (let j = 0; j < SHARE_ALTERNATIVES; j++) {
        logLik[i]![j + 1]! += (c * s.canaryLogRatio[j]! + b * s.baselineLogRatio[j]!) / phi;
      }
    });
    evidence =
      sides.reduce((sum, _, i) => sum + mixtureEValue(logLik[i]!, 0, SHARE_WEIGHTS, 'above'), 0) /
      sides.length;
    if (evidence > maxEvidence) maxEvidence = evidence;
    if (crossedAt === undefined && evidence >= threshold) crossedAt = poll.t;
  }
  const expected = `expected ${percent(share.expected)} ± ${percent(share.tolerance)}`;
  const role = blocking ? '' : ' (advisory: set trafficShare.blocking to fail on it)';
  if (canary + baseline === 0) {
    return {
      name: 'traffic-share',
      tripped: false,
      blocking,
      evidence,
      reason: `no traffic counts yet (${expected})${role}`,
    };
  }
  const observed = `canary share ${percent(canary / (canary + baseline))} of ${num(canary + baseline)} requests, ${expected}`;
  return {
    name: 'traffic-share',
    tripped: maxEvidence >= threshold,
    blocking,
    evidence,
    reason:
      crossedAt === undefined
        ? `${observed}; e-value ${num(evidence)} (trips at ${num(threshold)})${role}`
        : `broken routing? ${observed}; e-value reached ${num(threshold)} at t=${num(crossedAt)}s${role}`,
  };
}

interface ShareSide {
  /** log(s_j/s0) and log((1 − s_j)/(1 − s0)) for each alternative s_j, nearest the edge first. */
  canaryLogRatio: Float64Array;
  baselineLogRatio: Float64Array;
}

const sideCache = new Map<string, ShareSide>();
const SHARE_WEIGHTS = new Float64Array(SHARE_ALTERNATIVES).fill(1 / SHARE_ALTERNATIVES);

function side(edge: number, direction: 'above' | 'below'): ShareSide | undefined {
  if (edge <= 0 || edge >= 1) return undefined;
  const key = `${direction}${edge}`;
  let cached = sideCache.get(key);
  if (!cached) {
    cached = {
      canaryLogRatio: new Float64Array(SHARE_ALTERNATIVES),
      baselineLogRatio: new Float64Array(SHARE_ALTERNATIVES),
    };
    for (let j = 0; j < SHARE_ALTERNATIVES; j++) {
      const step = (j + 1) / (SHARE_ALTERNATIVES + 1);
      const alternative = direction === 'above' ? edge + (1 - edge) * step : edge * (1 - step);
      cached.canaryLogRatio[j] = Math.log(alternative / edge);
      cached.baselineLogRatio[j] = Math.log((1 - alternative) / (1 - edge));
    }
    if (sideCache.size > 64) sideCache.clear();
    sideCache.set(key, cached);
  }
  return cached;
}

/** Trips when the canary has restarted (or been OOMKilled) while the baseline has not restarted at all. */
export function restartsGuard(polls: readonly Poll[]): GuardResult | undefined {
  const withRestarts = polls.filter((poll) => poll.restarts);
  if (withRestarts.length === 0) return undefined;
  const trip = withRestarts.find((poll) => poll.restarts!.canary > 0 && poll.restarts!.baseline === 0);
  const last = withRestarts.at(-1)!.restarts!;
  return {
    name: 'restarts',
    tripped: trip !== undefined,
    blocking: true,
    reason: trip
      ? `canary restarted ${num(trip.restarts!.canary)} time(s) by t=${num(trip.t)}s while the baseline had no restarts`
      : `restarts so far: canary ${num(last.canary)}, baseline ${num(last.baseline)}`,
  };
}

export function evaluateGuards(spec: JudgeSpec, polls: readonly Poll[], threshold: number): GuardResult[] {
  const guards: GuardResult[] = [];
  if (spec.trafficShare) guards.push(trafficShareGuard(spec.trafficShare, polls, threshold));
  const restarts = restartsGuard(polls);
  if (restarts) guards.push(restarts);
  return guards;
}
