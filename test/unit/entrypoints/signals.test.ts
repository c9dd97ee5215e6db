/** SIGINT/SIGTERM: the first aborts the run, the second is acknowledged and ignored, the third forces an exit. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { abortOnSignals, INTERRUPTED } from '../../../src/entrypoints/execute.ts';
import { setLeftover } from '../../../src/util/shutdown.ts';

afterEach(() => setLeftover(undefined));

/** As the process receives it: the handler is called with the signal's name. */
const send = (name: NodeJS.Signals) => process.emit(name, name);

test('a second signal is acknowledged and ignored; the third exits 130 naming what is left', () => {
  const lines: string[] = [];
  const exits: number[] = [];
  const signals = abortOnSignals(
    (line) => lines.push(line),
    (code) => exits.push(code),
  );
  try {
    setLeftover('Lease web-canary-lock, Deployment web-canary in namespace demo');
    send('SIGINT');
    assert.equal(signals.signal.aborted, true);
    assert.match(String((signals.signal.reason as Error).message), /interrupted by SIGINT/);
    assert.deepEqual(lines, []);

    send('SIGTERM');
    assert.deepEqual(exits, [], 'the second signal does not end the process');
    assert.match(
      lines[0] ?? '',
      /^received SIGTERM again: ignored until the rollback or restore under way finishes/,
    );
    assert.match(lines[0] ?? '', /Deployment web-canary in namespace demo/);

    send('SIGINT');
    assert.deepEqual(exits, [INTERRUPTED]);
    assert.match(
      lines[1] ?? '',
      /^received SIGINT a third time: exiting now; left in the cluster: Lease web-canary-lock, Deployment web-canary/,
    );
  } finally {
    signals.dispose();
  }
  assert.equal(process.listenerCount('SIGINT'), 0, 'dispose removes the handlers');
});

test('with nothing changed, a forced exit says so', () => {
  const lines: string[] = [];
  const exits: number[] = [];
  const signals = abortOnSignals(
    (line) => lines.push(line),
    (code) => exits.push(code),
  );
  try {
    for (let i = 0; i < 3; i++) send('SIGTERM');
  } finally {
    signals.dispose();
  }
  assert.deepEqual(exits, [130]);
  assert.match(lines.at(-1) ?? '', /left in the cluster: nothing of this run$/);
});
