import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../../src/pipeline/manifests.ts';
import { checkManifestSet } from '../../../src/pipeline/manifest-check.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${spec}`;
const refused = (text: string, pattern: RegExp) =>
  assert.throws(
    () => parseManifests(text, 'web.yaml'),
    (e: unknown) => e instanceof ConfigError && pattern.test(e.message),
  );

describe('manifests against the Kubernetes schema', () => {
  test('a valid Deployment passes', () => {
    assert.equal(
      parseManifests(deployment('      containers: [{name: app, image: "x:1"}]'), 'web.yaml').length,
      1,
    );
  });
  test('containers as a map, a string replicas, a misspelt field: named, with what was expected', () => {
    refused(
      deployment('      containers: {app: {name: app, image: "x:1"}}'),
      /spec\.template\.spec\.containers: expected an array, got an object/,
    );
    refused(
      deployment(
        '      containers:\n        - name: app\n          image: "x:1"\n          ports: [{containerPort: http}]',
      ),
      /containerPort: expected an integer, got "http"/,
    );
    refused(
      deployment('      containers: [{name: app, image: "x:1"}]').replace(
        'spec:\n  selector',
        'spec:\n  replica: 3\n  selector',
      ),
      /spec\.replica: unknown field/,
    );
  });
  test('a ConfigMap name and data, a Secret not in base64 (its value not printed)', () => {
    refused(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Web_Config}\n',
      /metadata\.name: expected a DNS-1123 subdomain.*Web_Config/,
    );
    refused(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {PORT: 8080}\n',
      /data\.PORT: expected a string, got 8080/,
    );
    assert.throws(
      () =>
        parseManifests(
          'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {KEY: "%%% hunter2 %%%"}\n',
          's.yaml',
        ),
      (e: unknown) =>
        e instanceof ConfigError &&
        /data\.KEY: expected base64/.test(e.message) &&
        !e.message.includes('hunter2'),
    );
  });
  test('another namespace, or the same kind and name twice, is refused', () => {
    const objects = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: kube-system}\n',
      'a.yaml',
    );
    assert.throws(
      () => checkManifestSet(objects, 'demo', () => 'a.yaml'),
      /namespace "kube-system", but the release targets namespace "demo"/,
    );
    const twice = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
      'b.yaml',
    );
    assert.throws(() => checkManifestSet(twice, 'demo', () => 'b.yaml'), /ConfigMap "c" is defined twice/);
  });
});
