import { ConfigMap, Secret } from 'kubernetes-models/v1';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { KubeObject } from '../../../src/kube/types.ts';
import { planRelease, type PlanInput } from '../../../src/pipeline/plan.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import { createLocalPlatform } from '../../../src/platform/local.ts';
import { createRouter } from '../../../src/traffic/registry.ts';
import { FakeCluster } from './fake-cluster.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { K8S_SCHEMAS_DIR } from '../../support/schemas.ts';
import { configMap, deployment, NEW_IMAGE, RUN } from './fixtures.ts';

const SCHEMA_DIR = K8S_SCHEMAS_DIR;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validateDeployment = ajv.compile(
  JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'deployment-apps-v1.json'), 'utf8')),
);
const assertValidDeployment = (object: KubeObject) =>
  assert.ok(
    validateDeployment(object),
    `${object.metadata.name}: ${ajv.errorsText(validateDeployment.errors)}`,
  );

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  workload: 'web',
  namespace: 'demo',
  stable: deployment({
    image: 'localhost:5000/team/web:1.0.0',
    sidecar: 'localhost:5000/team/web-sidecar:1.0.0',
  }),
  manifests: [
    deployment({ image: 'localhost:5000/team/web:latest', sidecar: 'localhost:5000/team/web-sidecar:1.0.0' }),
  ],
  liveConfigs: [],
  image: NEW_IMAGE,
  run: RUN,
  replicas: 1,
  baseline: true,
  ...overrides,
});

type Spec = {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      containers: Array<{
        name: string;
        image: string;
        env: Array<{ name: string; value: string }>;
        envFrom?: Array<{ configMapRef: { name: string } }>;
      }>;
    };
  };
};
const spec = (o: KubeObject | undefined) => (o as KubeObject).spec as Spec;
const env = (o: KubeObject | undefined, container = 0) =>
  Object.fromEntries(spec(o).template.spec.containers[container]!.env.map((e) => [e.name, e.value]));

describe('planRelease', () => {
  test('canary from the manifests with the new image, baseline from the live stable; both valid Deployments', () => {
    const plan = planRelease(input());
    assert.equal(plan.canary.metadata.name, 'web-canary');
    assert.equal(plan.baseline?.metadata.name, 'web-baseline');
    assert.deepEqual(
      spec(plan.canary).template.spec.containers.map((c) => c.image),
      [NEW_IMAGE, 'localhost:5000/team/web-sidecar:1.0.0'],
    );
    assert.deepEqual(
      spec(plan.baseline).template.spec.containers.map((c) => c.image),
      ['localhost:5000/team/web:1.0.0', 'localhost:5000/team/web-sidecar:1.0.0'],
    );
    for (const object of [plan.canary, plan.baseline!, plan.promotion.deployment])
      assertValidDeployment(object);
  });

  test('labels, selectors and annotations: track on Deployment, selector and pods; run state on the canary', () => {
    const plan = planRelease(
      input({ run: { ...RUN, digest: `sha256:${'a'.repeat(64)}`, runUrl: 'https://ci/run/1' } }),
    );
    for (const [object, track] of [
      [plan.canary, 'canary'],
      [plan.baseline, 'baseline'],
    ] as const) {
      assert.equal(object?.metadata.labels?.track, track);
      assert.equal(spec(object).selector.matchLabels.track, track);
      assert.equal(spec(object).template.metadata.labels.track, track);
      assert.equal(object?.metadata.labels?.['app.kubernetes.io/managed-by'], 'canary-action');
    }
    const a = plan.canary.metadata.annotations ?? {};
    assert.equal(a['canary-action.dev/run-id'], 'run-1');
    assert.equal(a['canary-action.dev/revision'], 'abc123');
    assert.equal(a['canary-action.dev/digest'], `sha256:${'a'.repeat(64)}`);
    assert.equal(a['canary-action.dev/run-url'], 'https://ci/run/1');
    assert.equal(a['canary-action.dev/phase'], 'deploying');
    assert.equal(a['canary-action.dev/started-at'], RUN.startedAt);
    assert.deepEqual(JSON.parse(a['canary-action.dev/stable-images'] ?? ''), {
      app: 'localhost:5000/team/web:1.0.0',
      sidecar: 'localhost:5000/team/web-sidecar:1.0.0',
    });
    assert.equal(plan.selectorOverlap, undefined);
  });

  test('CANARY_TRACK and APP_VERSION are injected in every container, replacing existing values', () => {
    const plan = planRelease(input());
    assert.deepEqual(env(plan.canary), { APP_VERSION: 'abc123', CANARY_TRACK: 'canary' });
    assert.equal(env(plan.baseline).CANARY_TRACK, 'baseline');
    assert.equal(env(plan.baseline).APP_VERSION, '1.0.0');
    assert.equal(env(plan.canary, 1).CANARY_TRACK, 'canary');
  });

  test('a registry port is not a tag: only the exact repository gets the new image', () => {
    const plan = planRelease(
      input({
        manifests: [
          deployment({ image: 'localhost:5000/team/web:1', sidecar: 'localhost:5000/team/web-sidecar:9' }),
        ],
      }),
    );
    assert.deepEqual(
      spec(plan.canary).template.spec.containers.map((c) => c.image),
      [NEW_IMAGE, 'localhost:5000/team/web-sidecar:9'],
    );
    assert.throws(
      () => planRelease(input({ image: 'localhost:5001/team/web:2' })),
      (e: unknown) => e instanceof ConfigError && /no container .* runs the repository/.test(e.message),
    );
  });

  test('the promotion is the manifests Deployment with the new image, not the canary', () => {
    const plan = planRelease(input());
    const promoted = spec(plan.promotion.deployment);
    assert.equal(plan.promotion.deployment.metadata.name, 'web');
    assert.deepEqual(promoted.selector.matchLabels, { app: 'web', track: 'stable' });
    assert.equal(promoted.template.spec.containers[0]?.image, NEW_IMAGE);
    assert.equal(promoted.replicas, 4);
    assert.deepEqual(env(plan.promotion.deployment), { APP_VERSION: 'old' });
  });

  test('a ConfigMap the manifests change is cloned for the canary; an unchanged one is shared', () => {
    const manifests = [
      deployment({ image: 'localhost:5000/team/web:x', configMap: 'web-config' }),
      configMap('web-config', { GREETING: 'new' }),
    ];
    const changed = planRelease(
      input({ manifests, liveConfigs: [configMap('web-config', { GREETING: 'old' })] }),
    );
    assert.equal(changed.clones.length, 1);
    const clone = changed.clones[0]!;
    assert.match(clone.metadata.name, /^web-config-canary-[a-f0-9]{10}$/);
    assert.deepEqual(clone.data, { GREETING: 'new' });
    assert.equal(clone.metadata.annotations?.['canary-action.dev/clone-of'], 'web-config');
    assert.doesNotThrow(() => new ConfigMap(clone as ConstructorParameters<typeof ConfigMap>[0]).validate());
    assert.equal(
      spec(changed.canary).template.spec.containers[0]?.envFrom?.[0]?.configMapRef.name,
      clone.metadata.name,
    );
    assert.equal(
      spec(changed.promotion.deployment).template.spec.containers[0]?.envFrom?.[0]?.configMapRef.name,
      'web-config',
    );
    assert.deepEqual(
      changed.promotion.configs.map((c) => c.metadata.name),
      ['web-config'],
    );
    const same = planRelease(
      input({ manifests, liveConfigs: [configMap('web-config', { GREETING: 'new' })] }),
    );
    assert.equal(same.clones.length, 0);
    assert.equal(
      spec(same.canary).template.spec.containers[0]?.envFrom?.[0]?.configMapRef.name,
      'web-config',
    );
  });

  test('a Secret given with stringData equal to the live base64 data is not cloned', () => {
    const secret = (body: Record<string, unknown>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds' },
      ...body,
    });
    const manifests = [
      deployment({ image: 'localhost:5000/team/web:x', secret: 'creds' }),
      secret({ stringData: { token: 'abc' } }),
    ];
    const live = secret({ data: { token: Buffer.from('abc').toString('base64') }, type: 'Opaque' });
    assert.equal(planRelease(input({ manifests, liveConfigs: [live] })).clones.length, 0);
    const [cloned] = planRelease(input({ manifests, liveConfigs: [] })).clones;
    assert.ok(cloned);
    assert.doesNotThrow(() => new Secret(cloned as ConstructorParameters<typeof Secret>[0]).validate());
  });

  test('a stable selector that also matches canary pods is reported', () => {
    const stable = deployment({ image: 'localhost:5000/team/web:1', labels: { app: 'web' } });
    const manifests = [deployment({ image: 'localhost:5000/team/web:1', labels: { app: 'web' } })];
    const plan = planRelease(input({ stable, manifests }));
    assert.match(
      plan.selectorOverlap ?? '',
      /selects app=web, which also matches the pods of web-canary and web-baseline/,
    );
  });

  test('manifests that change the selector are rejected (it is immutable)', () => {
    const manifests = [
      deployment({ image: 'localhost:5000/team/web:1', labels: { app: 'web', track: 'stable', tier: 'x' } }),
    ];
    assert.throws(() => planRelease(input({ manifests })), /changes spec.selector/);
  });

  test('baseline: false plans no baseline', () => {
    assert.equal(planRelease(input({ baseline: false })).baseline, undefined);
  });
});

describe('replicas router', () => {
  test('canary = baseline = max(1, round(stable × weight / 100))', () => {
    const cases: Array<[number, number, number]> = [
      [4, 10, 1],
      [4, 50, 2],
      [10, 25, 3],
      [1, 10, 1],
      [3, 50, 2],
      [0, 50, 1],
    ];
    for (const [stableReplicas, weight, expected] of cases) {
      assert.equal(
        replicasRouter.route({ stableReplicas, weight }).replicas,
        expected,
        `${stableReplicas} × ${weight}%`,
      );
    }
  });
  test('an unknown router is a ConfigError listing the valid ones', () => {
    assert.throws(
      () =>
        createRouter('smi', {
          cluster: new FakeCluster(),
          platform: createLocalPlatform({ stdout: () => undefined, stderr: () => undefined } as never),
          workload: 'web',
          traffic: { router: 'replicas', steps: [10], baseline: true },
          acceptTimeoutMs: 1000,
        }),
      (e: unknown) => e instanceof ConfigError && /valid: replicas, gateway-api/.test(e.message),
    );
  });
});
