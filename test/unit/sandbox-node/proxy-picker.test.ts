import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBackendPicker } from '../../sandbox/node/proxy.ts';

const backend = (port: number) => ({ host: '127.0.0.1', port });

/** A deterministic stand-in for Math.random cycling through the given values. */
const sequence = (values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
};

describe('createBackendPicker', () => {
  test('round-robin within a group', () => {
    const pick = createBackendPicker([{ weight: 1, backends: [backend(1), backend(2), backend(3)] }]);
    assert.deepEqual(
      Array.from({ length: 7 }, () => pick()?.backend?.port),
      [1, 2, 3, 1, 2, 3, 1],
    );
  });

  test('a group is chosen in proportion to its weight', () => {
    const random = sequence([0, 0.24, 0.25, 0.5, 0.99]);
    const pick = createBackendPicker(
      [
        { weight: 25, backends: [backend(1)] },
        { weight: 75, backends: [backend(2), backend(3)] },
      ],
      random,
    );
    assert.deepEqual(
      Array.from({ length: 5 }, () => pick()?.backend?.port),
      [1, 1, 2, 3, 2],
    );
  });

  test('groups without weight are never chosen', () => {
    const pick = createBackendPicker(
      [
        { weight: 0, backends: [backend(1)] },
        { weight: 5, backends: [backend(2)] },
      ],
      sequence([0, 0.5, 0.999]),
    );
    assert.deepEqual(
      Array.from({ length: 3 }, () => pick()?.backend?.port),
      [2, 2, 2],
    );
  });

  test('a chosen group without backends yields no backend; no weighted group yields nothing', () => {
    const pick = createBackendPicker(
      [
        { weight: 1, backends: [] },
        { weight: 1, backends: [backend(2)] },
      ],
      sequence([0.1, 0.9]),
    );
    assert.deepEqual(pick(), { backend: undefined });
    assert.deepEqual(pick(), { backend: backend(2) });
    assert.equal(createBackendPicker([])(), undefined);
    assert.equal(createBackendPicker([{ weight: 0, backends: [backend(1)] }])(), undefined);
  });
});
