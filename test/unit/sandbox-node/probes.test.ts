import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogBuffer } from '../../sandbox/node/container-process.ts';
import { resolveProbePort, startProber } from '../../sandbox/node/probes.ts';
import type { ProbeResult } from '../../sandbox/node/probes.ts';

describe('resolveProbePort', () => {
  const ports = [{ name: 'http', containerPort: 8080 }, { containerPort: 9090 }];
  test('numbers, numeric strings and named ports', () => {
    assert.equal(resolveProbePort(81, ports), 81);
    assert.equal(resolveProbePort('82', ports), 82);
    assert.equal(resolveProbePort('http', ports), 8080);
    assert.equal(resolveProbePort('metrics', ports), undefined);
  });
});

describe('startProber', () => {
  /** Runs a prober over scripted outcomes and records what it reported. */
  const run = (outcomes: boolean[], thresholds: { successThreshold?: number; failureThreshold?: number }) =>
    new Promise<string[]>((resolve) => {
      const log: string[] = [];
      let index = 0;
      const prober = startProber(
        { periodSeconds: 1, ...thresholds },
        {
          timeScale: 0.001,
          check: async (): Promise<ProbeResult> => {
            const ok = outcomes[index++];
            if (ok === undefined) {
              prober.stop();
              resolve(log);
            }
            return { ok: ok ?? true, message: ok ? '' : 'HTTP probe failed with statuscode: 500' };
          },
        },
        {
          onSuccessThreshold: () => log.push(`healthy@${index}`),
          onFailureThreshold: () => log.push(`unhealthy@${index}`),
          onFailure: () => log.push('failure'),
        },
      );
    });

  test('flips after successThreshold successes and failureThreshold failures in a row', async () => {
    const log = await run([true, false, false, true, false, false, false, true, true], {
      successThreshold: 2,
      failureThreshold: 3,
    });
    assert.deepEqual(log, [
      'failure',
      'failure',
      'failure',
      'failure',
      'failure',
      'unhealthy@7',
      'healthy@9',
    ]);
  });

  test('defaults: one success, three failures', async () => {
    const log = await run([true, false, false, false, false], {});
    assert.deepEqual(log, ['healthy@1', 'failure', 'failure', 'failure', 'unhealthy@4', 'failure']);
  });
});

describe('LogBuffer', () => {
  test('keeps the tail within its cap and returns the last lines', () => {
    const buffer = new LogBuffer(12);
    buffer.append('one\ntwo\n');
    buffer.append('three\nfour\n');
    assert.equal(buffer.read(), 'three\nfour\n');
    assert.equal(buffer.read(1), 'four\n');
    assert.equal(buffer.read(0), '');
    const partial = new LogBuffer();
    partial.append('a\nb\nc');
    assert.equal(partial.read(2), 'b\nc');
  });
});
