import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepingWeight } from '../../../src/pipeline/keep-weight.ts';
import type { TrafficRouter } from '../../../src/traffic/router.ts';
import { BackendError, exitCodeOf } from '../../../src/util/errors.ts';

/** A weighted router whose reassert answers from a script, one entry per call (then false). */
function scriptedRouter(answers: Array<boolean | Error>): TrafficRouter & { calls: number } {
  const router = {
    name: 'scripted',
    weighted: true,
    access: [],
    annotations: {},
    calls: 0,
    route: () => ({ replicas: 1, objects: [] }),
    podLabels: (_track: string, labels: Readonly<Record<string, string>>) => ({ ...labels }),
    prepare: async () => undefined,
    setWeight: async () => undefined,
    reset: async () => undefined,
    reassert: async () => {
      const answer = answers[router.calls] ?? false;
      router.calls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return router;
}

/** An analysis that lasts `ms` unless its signal aborts it first. */
const analysisOf = (ms: number) => (signal: AbortSignal) =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => resolve('analysed'), ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), {
      once: true,
    });
  });

test('each time the weight is put back is counted, and the analysis runs to its end', async () => {
  const router = scriptedRouter([true, false, true]);
  let counted = 0;
  const result = await keepingWeight(
    { router },
    { signal: new AbortController().signal, intervalMs: 10 },
    analysisOf(120),
    () => (counted += 1),
  );
  assert.equal(result, 'analysed');
  assert.ok(router.calls >= 3, `${router.calls} re-assertions tried`);
  assert.equal(counted, 2);
});

test('a weight that can no longer be kept stops the analysis and ends the step with exit 4', async () => {
  const router = scriptedRouter([
    false,
    new BackendError('httproute/web is not accepted: Gateway public: Accepted False'),
  ]);
  let aborted = false;
  const started = Date.now();
  const error = await keepingWeight(
    { router },
    { signal: new AbortController().signal, intervalMs: 10 },
    (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return analysisOf(60_000)(signal);
    },
    () => undefined,
  ).then(
    () => assert.fail('the analysis went on'),
    (e: unknown) => e as Error,
  );
  assert.ok(aborted, 'the analysis was told to stop');
  assert.ok(Date.now() - started < 30_000, 'it did not run to its end');
  assert.equal(exitCodeOf(error), 4);
  assert.match(error.message, /the step's weight could not be kept: httproute\/web is not accepted/);
});

test('the replicas router has nothing to keep: the analysis gets the run signal itself', async () => {
  const router = { ...scriptedRouter([new Error('never called')]), weighted: false };
  const run = new AbortController();
  const seen = await keepingWeight(
    { router },
    { signal: run.signal, intervalMs: 1 },
    async (signal) => signal,
    () => undefined,
  );
  assert.equal(seen, run.signal);
  assert.equal(router.calls, 0);
});

test('a step of many intervals leaves no listeners behind (no MaxListenersExceededWarning)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    await keepingWeight(
      { router: scriptedRouter([]) },
      { signal: new AbortController().signal, intervalMs: 1 },
      analysisOf(150),
      () => undefined,
    );
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});
