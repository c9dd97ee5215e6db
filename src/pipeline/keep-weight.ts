import type { TrafficRouter } from '../traffic/router.ts';
import { BackendError } from '../util/errors.ts';

/**
 * Runs a step's analysis while a weighted router puts the step's weight back every `intervalMs` (a GitOps
 * tool or a person may revert it); `onReasserted` counts each time for the report. When the weight cannot
 * be kept (the API is gone past its retry budget, or the route's controller no longer accepts it) the
 * analysis would judge a split nobody knows: it is stopped and the error ends the run (exit 4, rollback).
 */
export async function keepingWeight<T>(
  deps: { router: TrafficRouter },
  options: { signal: AbortSignal; intervalMs: number },
  analyse: (signal: AbortSignal) => Promise<T>,
  onReasserted: () => void,
): Promise<T> {
  if (!deps.router.weighted) return analyse(options.signal);
  const stop = new AbortController();
  const lost = new AbortController();
  let failure: Error | undefined;
  const loop = (async () => {
    while (!stop.signal.aborted) {
      // One listener at a time: a step of many intervals must not pile them up on the signal.
      await new Promise<void>((resolve) => {
        const wake = () => (clearTimeout(timer), resolve());
        const timer = setTimeout(
          () => (stop.signal.removeEventListener('abort', wake), resolve()),
          options.intervalMs,
        );
        stop.signal.addEventListener('abort', wake, { once: true });
      });
      if (stop.signal.aborted) return;
      try {
        if (await deps.router.reassert()) onReasserted();
      } catch (error) {
        failure = new BackendError(`the step's weight could not be kept: ${(error as Error).message}`, {
          cause: error,
        });
        lost.abort(failure);
        return;
      }
    }
  })();
  try {
    const result = await analyse(AbortSignal.any([options.signal, lost.signal])).catch((error: unknown) => {
      throw failure ?? error;
    });
    if (failure) throw failure;
    return result;
  } finally {
    stop.abort();
    await loop;
  }
}
