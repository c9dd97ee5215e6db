import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../src/util/registry.ts';
import { ConfigError } from '../../../src/util/errors.ts';

test('a registry returns what is registered and names the field, the value and the valid names otherwise', () => {
  const registry = createRegistry('router', { replicas: 1, istio: 2 });
  assert.deepEqual(registry.names, ['replicas', 'istio']);
  assert.equal(registry.get('istio', 'traffic.router'), 2);
  assert.throws(
    () => registry.get('smi', 'traffic.router'),
    (error: unknown) =>
      error instanceof ConfigError &&
      /traffic\.router/.test(error.message) &&
      /unknown router "smi"; valid: replicas, istio/.test(error.message),
  );
  // Names inherited from Object.prototype are not plugins.
  assert.throws(() => registry.get('toString', 'traffic.router'), ConfigError);
});
