/** Kubernetes' container back-off: 10 s after the first failure, doubling, capped at 5 minutes. */
export const BACKOFF_INITIAL_SECONDS = 10;
export const BACKOFF_MAX_SECONDS = 300;
/** A container that ran this long without failing starts over at the initial back-off. */
export const BACKOFF_RESET_AFTER_SECONDS = 600;

/** Nominal (unscaled) delay in seconds before the next attempt after `failures` consecutive failures (≥ 1). */
export function backOffSeconds(failures: number): number {
  if (failures < 1) return 0;
  return Math.min(BACKOFF_INITIAL_SECONDS * 2 ** (failures - 1), BACKOFF_MAX_SECONDS);
}

/** Counts consecutive failures; a run that lasted long enough resets the count, as the kubelet does. */
export class BackOff {
  private failures = 0;

  /** Records a failure after a run of `ranSeconds` (nominal) and returns the nominal delay before retrying. */
  fail(ranSeconds = 0): number {
    if (ranSeconds >= BACKOFF_RESET_AFTER_SECONDS) this.failures = 0;
    this.failures += 1;
    return backOffSeconds(this.failures);
  }

  reset(): void {
    this.failures = 0;
  }
}
