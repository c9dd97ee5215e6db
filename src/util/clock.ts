/** Time as the pipeline sees it; tests and the benchmark pass a virtual clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now: () => number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Whatever the aborter gave, as AbortSignal.throwIfAborted() would throw it. */
export const abortReason = (signal: AbortSignal): unknown => signal.reason;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal ? abortReason(signal) : undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
