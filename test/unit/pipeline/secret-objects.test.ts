import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secretValues, withSecretsRedacted } from '../../../src/pipeline/secret-objects.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  type: 'Opaque',
  data: { PASSWORD: Buffer.from('hunter22').toString('base64') },
  stringData: { TOKEN: 'tok-123456' },
};
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c' },
  data: { A: 'plain' },
};

describe("the manifests' Secrets", () => {
  test('their values, data both as written and decoded; nothing of other kinds', () => {
    assert.deepEqual(secretValues([secret, configMap]), [
      Buffer.from('hunter22').toString('base64'),
      'hunter22',
      'tok-123456',
    ]);
  });

  test('a dry run shows the keys with <redacted> values; other objects as they are', () => {
    assert.deepEqual(withSecretsRedacted(secret), {
      ...secret,
      data: { PASSWORD: '<redacted>' },
      stringData: { TOKEN: '<redacted>' },
    });
    assert.equal(withSecretsRedacted(configMap), configMap);
  });
});
