import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ContainerConfigError,
  expandVariables,
  processEnv,
  resolveContainerEnv,
  resolveFieldRef,
} from '../../sandbox/node/env.ts';
import type { ResolveRef } from '../../sandbox/node/env.ts';
import type { ContainerSpec } from '../../sandbox/node/pod-spec.ts';
import type { KubeObject } from '../../sandbox/node/types.ts';

const pod: KubeObject = {
  metadata: {
    name: 'web-7d9f-abcde',
    namespace: 'demo',
    uid: 'uid-1',
    labels: { app: 'web', track: 'canary' },
    annotations: { 'example.com/run': 'r1' },
  },
  spec: { nodeName: 'sandbox-node', serviceAccountName: 'deployer', containers: [] },
  status: { podIP: '127.0.3.4', hostIP: '127.0.0.1' },
};

const data: Record<string, Record<string, string>> = {
  'ConfigMap/demo/settings': { DEMO_VERSION: '2.0.0', LEVEL: 'debug' },
  'Secret/demo/creds': { TOKEN: 's3cret' },
};
const resolveRef: ResolveRef = ({ kind, namespace, name }) => data[`${kind}/${namespace}/${name}`];

const container = (fields: Partial<ContainerSpec>): ContainerSpec => ({
  name: 'app',
  image: 'web:1',
  ...fields,
});

describe('resolveFieldRef', () => {
  test('resolves metadata, labels, annotations, spec and status fields', () => {
    assert.equal(resolveFieldRef(pod, 'metadata.name'), 'web-7d9f-abcde');
    assert.equal(resolveFieldRef(pod, 'metadata.namespace'), 'demo');
    assert.equal(resolveFieldRef(pod, "metadata.labels['track']"), 'canary');
    assert.equal(resolveFieldRef(pod, "metadata.annotations['example.com/run']"), 'r1');
    assert.equal(resolveFieldRef(pod, "metadata.labels['missing']"), '');
    assert.equal(resolveFieldRef(pod, 'status.podIP'), '127.0.3.4');
    assert.equal(resolveFieldRef(pod, 'spec.serviceAccountName'), 'deployer');
  });

  test('an unknown field path is a container config error', () => {
    assert.throws(() => resolveFieldRef(pod, 'spec.containers'), ContainerConfigError);
  });
});

describe('expandVariables', () => {
  test('replaces defined $(VAR), keeps undefined ones and unescapes $$', () => {
    const lookup = (name: string) => ({ HOST: 'h', PORT: '1' })[name];
    assert.equal(expandVariables('http://$(HOST):$(PORT)/', lookup), 'http://h:1/');
    assert.equal(expandVariables('$(NOPE)-$$(HOST)-$$', lookup), '$(NOPE)-$(HOST)-$');
    assert.equal(expandVariables('cost $5 (unclosed $(HOST', lookup), 'cost $5 (unclosed $(HOST');
  });
});

describe('resolveContainerEnv', () => {
  test('literal values, fieldRefs and key refs, in order, with $(VAR) expansion', async () => {
    const env = await resolveContainerEnv(
      pod,
      container({
        env: [
          { name: 'CANARY_TRACK', valueFrom: { fieldRef: { fieldPath: "metadata.labels['track']" } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'DEMO_VERSION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'DEMO_VERSION' } } },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } },
          { name: 'DEMO_ERROR_RATE', value: '0.1' },
          { name: 'SELF', value: '$(POD_NAME)@$(POD_IP)' },
        ],
      }),
      resolveRef,
    );
    assert.deepEqual(env, {
      CANARY_TRACK: 'canary',
      POD_NAME: 'web-7d9f-abcde',
      POD_IP: '127.0.3.4',
      DEMO_VERSION: '2.0.0',
      TOKEN: 's3cret',
      DEMO_ERROR_RATE: '0.1',
      SELF: 'web-7d9f-abcde@127.0.3.4',
    });
  });

  test('envFrom comes first with its prefix; env entries override it', async () => {
    const env = await resolveContainerEnv(
      pod,
      container({
        envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'creds' }, prefix: 'S_' }],
        env: [{ name: 'LEVEL', value: 'info' }],
      }),
      resolveRef,
    );
    assert.deepEqual(env, { DEMO_VERSION: '2.0.0', LEVEL: 'info', S_TOKEN: 's3cret' });
  });

  test('optional references to missing objects or keys are skipped', async () => {
    const env = await resolveContainerEnv(
      pod,
      container({
        envFrom: [{ configMapRef: { name: 'absent', optional: true } }],
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x', optional: true } } },
          { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope', optional: true } } },
        ],
      }),
      resolveRef,
    );
    assert.deepEqual(env, {});
  });

  test('a missing object or key is a CreateContainerConfigError with the kubelet message', async () => {
    await assert.rejects(
      resolveContainerEnv(
        pod,
        container({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x' } } }] }),
        resolveRef,
      ),
      { name: 'ContainerConfigError', message: 'configmap "absent" not found' },
    );
    await assert.rejects(
      resolveContainerEnv(
        pod,
        container({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope' } } }] }),
        resolveRef,
      ),
      (error: unknown) =>
        error instanceof ContainerConfigError &&
        error.message === "couldn't find key nope in Secret demo/creds",
    );
  });

  test('without resolveRef, every referenced object is missing', async () => {
    await assert.rejects(
      resolveContainerEnv(pod, container({ envFrom: [{ secretRef: { name: 'creds' } }] })),
      /secret "creds" not found/,
    );
  });
});

describe('processEnv', () => {
  test('adds HOSTNAME, binds the app to the pod IP and first container port, inherits nothing', () => {
    process.env.SANDBOX_SHOULD_NOT_LEAK = 'x';
    try {
      const env = processEnv(pod, container({ ports: [{ containerPort: 9000 }, { containerPort: 9100 }] }), {
        HOST: 'ignored',
        DEMO_CRASH: '1',
      });
      assert.deepEqual(env, {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOSTNAME: 'web-7d9f-abcde',
        DEMO_CRASH: '1',
        HOST: '127.0.3.4',
        PORT: '9000',
      });
    } finally {
      delete process.env.SANDBOX_SHOULD_NOT_LEAK;
    }
  });

  test('PORT defaults to 8080 without container ports', () => {
    assert.equal(processEnv(pod, container({}), {}).PORT, '8080');
  });
});
