/** examples/rbac/role.yaml grants exactly REQUIRED_ACCESS and the weighted routers' access lists: a sandbox whose `ci` rules come from it allows every check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { accessName, REQUIRED_ACCESS } from '../../../src/kube/access.ts';
import { connect } from '../../../src/kube/client.ts';
import type { AccessCheck } from '../../../src/kube/types.ts';
import { GATEWAY_API_ACCESS } from '../../../src/traffic/gateway-api.ts';
import { HAPROXY_ACCESS } from '../../../src/traffic/haproxy.ts';
import { ISTIO_ACCESS } from '../../../src/traffic/istio.ts';
import { NGINX_ACCESS } from '../../../src/traffic/nginx.ts';
import { TRACK_SERVICE_ACCESS } from '../../../src/traffic/track-services.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Rule } from '../../sandbox/index.ts';

const ROLE = fileURLToPath(new URL('../../../examples/rbac/role.yaml', import.meta.url));

interface RoleRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** A Role's rules as the sandbox's RBAC-lite rules, confined to the Role's namespace. */
function sandboxRules(role: { metadata: { namespace: string }; rules: RoleRule[] }): Rule[] {
  return role.rules.map((r) => ({ ...r, namespaces: [role.metadata.namespace] }));
}

/** Access names, each once, sorted: routers may share a permission (nginx and haproxy both get Ingresses). */
const unique = (checks: readonly AccessCheck[]) => [...new Set(checks.map(accessName))].sort();

/** What every authenticated user may do on a real cluster (system:basic-user). */
const BASIC_USER: Rule = {
  verbs: ['create'],
  apiGroups: ['authorization.k8s.io'],
  resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
};

test('the example Role allows every check the engine makes, and nothing beyond them', async () => {
  const role = load(await readFile(ROLE, 'utf8')) as {
    kind: string;
    metadata: { namespace: string };
    rules: RoleRule[];
  };
  assert.equal(role.kind, 'Role');
  const granted = role.rules.flatMap((r) =>
    r.resources.flatMap((resource) =>
      r.verbs.map((verb) => {
        const [name, subresource] = resource.split('/');
        return accessName({
          verb,
          resource: name ?? '',
          group: r.apiGroups[0] ?? '',
          ...(subresource ? { subresource } : {}),
        });
      }),
    ),
  );
  assert.deepEqual(
    granted.sort(),
    unique([
      ...REQUIRED_ACCESS,
      ...GATEWAY_API_ACCESS,
      ...TRACK_SERVICE_ACCESS,
      ...ISTIO_ACCESS,
      ...NGINX_ACCESS,
      ...HAPROXY_ACCESS,
    ]),
    'the Role grants exactly REQUIRED_ACCESS and what the gateway-api, istio, nginx and haproxy routers add',
  );

  const sandbox = await startSandbox({
    namespace: role.metadata.namespace,
    ciRules: [...sandboxRules(role), BASIC_USER],
  });
  try {
    const cluster = await connect({ kubeconfig: sandbox.kubeconfig });
    const results = await cluster.checkAccess([
      ...REQUIRED_ACCESS,
      ...GATEWAY_API_ACCESS,
      ...NGINX_ACCESS,
      ...TRACK_SERVICE_ACCESS,
      ...ISTIO_ACCESS,
      ...HAPROXY_ACCESS,
    ]);
    assert.deepEqual(
      results.filter((r) => !r.allowed).map(accessName),
      [],
      'every required permission is allowed',
    );
    const beyond = await cluster.checkAccess([
      { verb: 'delete', resource: 'pods' },
      { verb: 'get', resource: 'secrets', group: '' },
    ]);
    assert.deepEqual(
      beyond.map((r) => r.allowed),
      [false, true],
    );
    const elsewhere = await connect({ kubeconfig: sandbox.kubeconfig, namespace: 'default' });
    assert.deepEqual(
      (await elsewhere.checkAccess([...REQUIRED_ACCESS])).filter((r) => r.allowed),
      [],
      'nothing is granted outside the namespace',
    );
  } finally {
    await sandbox.stop();
  }
});
