/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The real kubectl against the sandbox: if kubectl accepts these answers, the sandbox speaks
 * Kubernetes where our product looks. Pods are real demo-app processes (the node side).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GATEWAY_CONTROLLER, INGRESS_NGINX_CONTROLLER, startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import {
  deploymentManifest,
  toYaml,
  kubectl,
  kubectlMissing,
  kubectlOk,
  loadK8sSchemas,
  serviceManifest,
  type K8sSchemaName,
  waitFor,
} from './helpers.ts';

if (kubectlMissing) console.log(`# skipping the kubectl suite: ${kubectlMissing}`);
else console.log('# kubectl suite: driving the sandbox with the real kubectl');

describe('sandbox with the real kubectl', { skip: kubectlMissing }, () => {
  let sandbox: Sandbox;
  let ci: (args: string[], input?: string) => ReturnType<typeof kubectl>;
  let ciOk: (args: string[], input?: string) => Promise<string>;
  let admin: (args: string[]) => Promise<string>;
  let manifests: string;

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2 });
    ci = (args, input) => kubectl(sandbox.kubeconfig, args, input);
    ciOk = (args, input) => kubectlOk(sandbox.kubeconfig, args, input);
    admin = (args) => kubectlOk(sandbox.adminKubeconfig, args);
    manifests = path.join(sandbox.dir, 'web.yaml');
    await writeFile(
      manifests,
      toYaml([
        deploymentManifest('web', 'demo', { replicas: 2 }),
        serviceManifest('web', 'demo', { app: 'web' }),
      ]),
    );
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('apply --server-side creates a Deployment and a Service with the API server defaults', async () => {
    const out = await ciOk(['apply', '--server-side', '-f', manifests]);
    assert.match(out, /deployment\.apps\/web serverside-applied/);
    assert.match(out, /service\/web serverside-applied/);
    const d = JSON.parse(await ciOk(['get', 'deployment', 'web', '-o', 'json', '--show-managed-fields']));
    assert.deepEqual(d.spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    assert.equal(d.spec.template.spec.containers[0].terminationMessagePath, '/dev/termination-log');
    assert.equal(d.metadata.generation, 1);
    assert.match(d.metadata.uid, /^[0-9a-f-]{36}$/);
    const apply = d.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl');
    assert.equal(apply.operation, 'Apply');
    assert.ok(apply.fieldsV1['f:spec']['f:replicas'], 'kubectl owns spec.replicas');
  });

  test('rollout status waits until the Deployment is available', async () => {
    const out = await ciOk(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    assert.match(out, /deployment "web" successfully rolled out/);
    const d = JSON.parse(await ciOk(['get', 'deployment', 'web', '-o', 'json']));
    assert.equal(d.status.readyReplicas, 2);
    assert.equal(d.status.updatedReplicas, 2);
    assert.equal(d.status.observedGeneration, 1);
    const reasons = Object.fromEntries(
      d.status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason]),
    );
    assert.deepEqual(reasons, {
      Available: 'MinimumReplicasAvailable',
      Progressing: 'NewReplicaSetAvailable',
    });
  });

  test('get prints tables (-o wide) and filters with label and field selectors', async () => {
    const wide = await ciOk(['get', 'pods', '-o', 'wide']);
    assert.match(wide.split('\n')[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    assert.equal(
      (wide.match(/\s1\/1\s+Running\s+0\s+\S+\s+127\.\d+\.\d+\.\d+\s+sandbox-node/g) ?? []).length,
      2,
    );
    const deployments = await ciOk(['get', 'deployments', '-o', 'wide']);
    assert.match(deployments, /web\s+2\/2\s+2\s+2\s+\S+\s+app\s+registry\.local\/demo-app:1\.0\.0\s+app=web/);
    const names = async (args: string[]) =>
      (await ciOk(['get', 'pods', '-o', 'name', ...args])).trim().split('\n').filter(Boolean);
    assert.equal((await names(['-l', 'app=web'])).length, 2);
    assert.equal((await names(['-l', 'app in (web,other)'])).length, 2);
    assert.equal((await names(['-l', 'app!=web'])).length, 0);
    assert.equal((await names(['-l', '!app'])).length, 0);
    assert.equal((await names(['--field-selector', 'status.phase=Running'])).length, 2);
    const first = (await names(['-l', 'app=web']))[0]!.replace('pod/', '');
    assert.deepEqual(await names(['--field-selector', `metadata.name=${first}`]), [`pod/${first}`]);
  });

  test('set image makes a second ReplicaSet and the rollout completes', async () => {
    await ciOk(['set', 'image', 'deployment/web', 'app=registry.local/demo-app:1.1.0']);
    const out = await ciOk(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    assert.match(out, /successfully rolled out/);
    const rs = JSON.parse(await ciOk(['get', 'replicasets', '-l', 'app=web', '-o', 'json'])).items;
    assert.equal(rs.length, 2);
    const byRevision = Object.fromEntries(
      rs.map((r: any) => [r.metadata.annotations['deployment.kubernetes.io/revision'], r]),
    );
    assert.equal(byRevision['1'].spec.replicas, 0);
    assert.equal(byRevision['2'].spec.replicas, 2);
    assert.equal(byRevision['2'].spec.template.spec.containers[0].image, 'registry.local/demo-app:1.1.0');
    assert.ok(byRevision['2'].metadata.name.endsWith(byRevision['2'].metadata.labels['pod-template-hash']));
    const pods = JSON.parse(await ciOk(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
    await waitFor(
      'old pods to terminate',
      async () =>
        JSON.parse(await ciOk(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items.length === 2 ||
        undefined,
    );
    assert.ok(pods.length >= 2);
    const events = await ciOk(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'json']);
    assert.match(events, /Scaled up replica set web-\w+ from 0 to 1/);
  });

  test('patch --type merge changes the object and bumps generation only for spec changes', async () => {
    const before = JSON.parse(await ciOk(['get', 'deployment', 'web', '-o', 'json']));
    await ciOk([
      'patch',
      'deployment',
      'web',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"labels":{"tier":"frontend"}}}',
    ]);
    const labelled = JSON.parse(await ciOk(['get', 'deployment', 'web', '-o', 'json']));
    assert.equal(labelled.metadata.labels.tier, 'frontend');
    assert.equal(labelled.metadata.generation, before.metadata.generation);
    await ciOk(['patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"minReadySeconds":1}}']);
    const patched = JSON.parse(await ciOk(['get', 'deployment', 'web', '-o', 'json']));
    assert.equal(patched.metadata.generation, before.metadata.generation + 1);
  });

  test('replace with a stale resourceVersion is a Conflict', async () => {
    const stale = await ciOk(['get', 'deployment', 'web', '-o', 'json']);
    await ciOk(['annotate', 'deployment', 'web', 'example.com/touched=yes']);
    const result = await ci(['replace', '-f', '-'], stale);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /Error from server \(Conflict\).*Operation cannot be fulfilled on deployments\.apps "web": the object has been modified; please apply your changes to the latest version and try again/,
    );
  });

  test('auth can-i answers yes and no for the scoped service account', async () => {
    const yes = await ci(['auth', 'can-i', 'patch', 'deployments']);
    assert.equal(yes.code, 0);
    assert.equal(yes.stdout.trim(), 'yes');
    const no = await ci(['auth', 'can-i', 'delete', 'namespaces']);
    assert.equal(no.code, 1);
    assert.equal(no.stdout.trim(), 'no');
    const elsewhere = await ci(['auth', 'can-i', 'get', 'deployments', '-n', 'kube-system']);
    assert.equal(elsewhere.stdout.trim(), 'no');
    const list = await ciOk(['auth', 'can-i', '--list']);
    assert.match(list, /deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch create update patch delete\]/);
  });

  test('access outside the namespace is Forbidden with the real message', async () => {
    const result = await ci(['get', 'deployment', 'web', '-n', 'kube-system']);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /Error from server \(Forbidden\): deployments\.apps "web" is forbidden: User "system:serviceaccount:demo:ci" cannot get resource "deployments" in API group "apps" in the namespace "kube-system"/,
    );
    const cluster = await ci(['get', 'namespaces']);
    assert.match(
      cluster.stderr,
      /namespaces is forbidden: User "system:serviceaccount:demo:ci" cannot list resource "namespaces" in API group "" at the cluster scope/,
    );
  });

  test('logs shows the output of a pod process', async () => {
    const pod = (
      await ciOk(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])
    ).trim();
    const out = await ciOk(['logs', pod]);
    assert.match(out, /demo-app: version .* listening on http:\/\/127\.\d+\.\d+\.\d+:8080/);
    const viaDeployment = await ciOk(['logs', 'deployment/web', '--tail=1']);
    assert.equal(viaDeployment.trim().split('\n').length, 1);
  });

  test('routing kinds: discovery, apply --server-side, get, merge patch and the status subresource', async () => {
    const resources = await ciOk(['api-resources', '-o', 'name']);
    for (const name of [
      'httproutes.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'gatewayclasses.gateway.networking.k8s.io',
      'virtualservices.networking.istio.io',
      'destinationrules.networking.istio.io',
      'ingresses.networking.k8s.io',
      'ingressclasses.networking.k8s.io',
    ])
      assert.match(resources, new RegExp(`^${name.replace(/\./g, '\\.')}$`, 'm'), `discovery lists ${name}`);

    const infra = path.join(sandbox.dir, 'infra.yaml');
    await writeFile(
      infra,
      toYaml([
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name: 'nginx' },
          spec: { controller: INGRESS_NGINX_CONTROLLER },
        },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'GatewayClass',
          metadata: { name: 'sandbox' },
          spec: { controllerName: GATEWAY_CONTROLLER },
        },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'public', namespace: 'demo' },
          spec: { gatewayClassName: 'sandbox', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
        },
      ]),
    );
    await kubectlOk(sandbox.adminKubeconfig, ['apply', '--server-side', '-f', infra]);

    const routing = (weight: number) =>
      toYaml([
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', namespace: 'demo' },
          spec: {
            ingressClassName: 'nginx',
            rules: [
              {
                host: 'web.example.com',
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: { service: { name: 'web', port: { number: 80 } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'web', namespace: 'demo' },
          spec: {
            parentRefs: [{ name: 'public' }],
            rules: [{ backendRefs: [{ name: 'web', port: 80, weight }] }],
          },
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'web', namespace: 'demo' },
          spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' }, weight: 100 }] }] },
        },
        {
          apiVersion: 'networking.istio.io/v1beta1',
          kind: 'DestinationRule',
          metadata: { name: 'web', namespace: 'demo' },
          spec: { host: 'web', subsets: [{ name: 'stable', labels: { app: 'web' } }] },
        },
      ]);
    const file = path.join(sandbox.dir, 'routing.yaml');
    await writeFile(file, routing(100));
    const applied = await ciOk(['apply', '--server-side', '-f', file]);
    for (const name of [
      'ingress.networking.k8s.io/web',
      'httproute.gateway.networking.k8s.io/web',
      'virtualservice.networking.istio.io/web',
      'destinationrule.networking.istio.io/web',
    ])
      assert.match(applied, new RegExp(`${name.replace(/\./g, '\\.')} serverside-applied`));

    const table = await ciOk(['get', 'httproutes,virtualservices,destinationrules,gateways,ingresses']);
    for (const line of [
      /^httproute\.gateway\.networking\.k8s\.io\/web\s/m,
      /^virtualservice\.networking\.istio\.io\/web\s+\["web"\]\s/m,
      /^destinationrule\.networking\.istio\.io\/web\s+web\s/m,
      /^gateway\.gateway\.networking\.k8s\.io\/public\s+sandbox\s+127\.0\.0\.1\s+True\s/m,
      /^ingress\.networking\.k8s\.io\/web\s+nginx\s+web\.example\.com\s+127\.0\.0\.1\s+80\s/m,
    ])
      assert.match(table, line);

    // The routers re-apply weights: apply again with another weight, and merge-patch it back.
    await writeFile(file, routing(60));
    await ciOk(['apply', '--server-side', '-f', file]);
    const route = JSON.parse(await ciOk(['get', 'httproute', 'web', '-o', 'json']));
    assert.equal(route.spec.rules[0].backendRefs[0].weight, 60);
    assert.equal(route.metadata.generation, 2);
    await ciOk([
      'patch',
      'httproute',
      'web',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { rules: [{ backendRefs: [{ name: 'web', port: 80, weight: 70 }] }] } }),
    ]);
    await ciOk([
      'patch',
      'virtualservice',
      'web',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { http: [{ route: [{ destination: { host: 'web' }, weight: 100 }], name: 'all' }] },
      }),
    ]);
    const forbidden = await ci(['get', 'httproute', 'web', '--subresource=status', '-o', 'json']);
    assert.match(
      forbidden.stderr,
      /cannot get resource "httproutes\/status" in API group "gateway\.networking\.k8s\.io"/,
    );
    const accepted = await waitFor('the route status at generation 3', async () => {
      // The status subresource needs its own permission (httproutes/status), which the ci account lacks.
      const status = JSON.parse(
        await admin(['get', 'httproute', 'web', '-n', 'demo', '--subresource=status', '-o', 'json']),
      );
      const c = status.status?.parents?.[0]?.conditions?.find((x: any) => x.type === 'Accepted');
      return c?.observedGeneration === 3 ? c : undefined;
    });
    assert.equal(accepted.status, 'True');
    const v1beta1 = JSON.parse(
      await ciOk(['get', 'virtualservices.v1beta1.networking.istio.io', 'web', '-o', 'json']),
    );
    assert.equal(v1beta1.apiVersion, 'networking.istio.io/v1beta1');
    assert.equal(v1beta1.spec.http[0].name, 'all');
    const dr = JSON.parse(await ciOk(['get', 'destinationrule', 'web', '-o', 'json']));
    assert.equal(dr.apiVersion, 'networking.istio.io/v1', 'read at the preferred version');
    const ingressClassName = JSON.parse(await ciOk(['get', 'ingress', 'web', '-o', 'json'])).spec
      .ingressClassName;
    assert.equal(ingressClassName, 'nginx');
  });

  test('every object the sandbox returns validates against its published schema', async () => {
    const schemas = loadK8sSchemas();
    const checks: Array<[string, K8sSchemaName]> = [
      ['deployments', 'deployment'],
      ['services', 'service'],
      ['ingresses', 'ingress'],
      ['ingressclasses', 'ingressclass'],
      ['httproutes', 'httproute'],
      ['gateways', 'gateway'],
      ['gatewayclasses', 'gatewayclass'],
      ['virtualservices.v1.networking.istio.io', 'virtualservice'],
      ['virtualservices.v1beta1.networking.istio.io', 'virtualservice_v1beta1'],
      ['destinationrules.v1.networking.istio.io', 'destinationrule'],
      ['destinationrules.v1beta1.networking.istio.io', 'destinationrule_v1beta1'],
    ];
    let validated = 0;
    for (const [resource, schema] of checks) {
      const list = JSON.parse(await admin(['get', resource, '-A', '-o', 'json']));
      assert.ok(list.items.length > 0, `some ${resource} to validate`);
      for (const item of list.items) {
        assert.equal(schemas[schema](item), undefined, `${resource} ${item.metadata.name} does not validate`);
        validated += 1;
      }
    }
    console.log(`# validated ${validated} objects against test/schemas/k8s`);
  });

  test('delete garbage-collects the ReplicaSets and pods', async () => {
    const out = await ciOk(['delete', 'deployment', 'web']);
    assert.match(out, /deployment\.apps "web" deleted/);
    await waitFor('ReplicaSets and pods to be collected', async () => {
      const rs = (await ciOk(['get', 'replicasets', '-o', 'name'])).trim();
      const pods = (await ciOk(['get', 'pods', '-o', 'name'])).trim();
      return rs === '' && pods === '' ? true : undefined;
    });
    const missing = await ci(['get', 'deployment', 'web']);
    assert.match(missing.stderr, /Error from server \(NotFound\): deployments\.apps "web" not found/);
  });
});
