import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  prometheusTargetGroups,
  sanitizeLabelName,
  writePrometheusTargets,
} from '../../sandbox/node/targets.ts';

describe('sanitizeLabelName', () => {
  test('replaces every character outside [a-zA-Z0-9_] like kubernetes_sd meta labels', () => {
    assert.equal(sanitizeLabelName('app.kubernetes.io/name'), 'app_kubernetes_io_name');
    assert.equal(sanitizeLabelName('pod-template-hash'), 'pod_template_hash');
    assert.equal(sanitizeLabelName('track'), 'track');
  });

  test('prefixes a leading digit, which Prometheus label names may not start with', () => {
    assert.equal(sanitizeLabelName('1password.com/x'), '_1password_com_x');
  });
});

describe('prometheusTargetGroups', () => {
  test('one group per target with sanitized labels, sorted by address', () => {
    const groups = prometheusTargetGroups([
      {
        ip: '127.0.0.3',
        port: 8080,
        labels: { namespace: 'demo', pod: 'web-b', 'app.kubernetes.io/name': 'web' },
      },
      { ip: '127.0.0.2', port: 9090, labels: { namespace: 'demo', pod: 'web-a', track: 'canary' } },
    ]);
    assert.deepEqual(groups, [
      { targets: ['127.0.0.2:9090'], labels: { namespace: 'demo', pod: 'web-a', track: 'canary' } },
      {
        targets: ['127.0.0.3:8080'],
        labels: { app_kubernetes_io_name: 'web', namespace: 'demo', pod: 'web-b' },
      },
    ]);
  });

  test('brackets IPv6 addresses', () => {
    assert.deepEqual(prometheusTargetGroups([{ ip: '::1', port: 80, labels: {} }])[0]?.targets, ['[::1]:80']);
  });
});

describe('writePrometheusTargets', () => {
  test('writes file_sd JSON and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'targets-'));
    try {
      const file = join(dir, 'prometheus-targets.json');
      await writePrometheusTargets(file, [{ ip: '127.0.0.9', port: 8080, labels: { pod: 'p' } }]);
      await writePrometheusTargets(file, [
        { ip: '127.0.0.9', port: 8080, labels: { pod: 'p' } },
        { ip: '127.0.0.10', port: 8080, labels: { pod: 'q' } },
      ]);
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      assert.deepEqual(parsed, [
        { targets: ['127.0.0.10:8080'], labels: { pod: 'q' } },
        { targets: ['127.0.0.9:8080'], labels: { pod: 'p' } },
      ]);
      assert.deepEqual(await readdir(dir), ['prometheus-targets.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an empty list is a valid file_sd file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'targets-'));
    try {
      const file = join(dir, 't.json');
      await writePrometheusTargets(file, []);
      assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
