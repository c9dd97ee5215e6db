/**
 * A unit test of the HTTP shape of the GitHub Deployments calls: a loopback server stands in for the
 * GitHub REST API (octokit's baseUrl) and records what the real @actions/github octokit sends.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deploymentStateFor,
  shouldCreateDeployment,
  startDeployment,
} from '../../../src/platform/github-deployments.ts';
import { reply, startRecordingServer, type SeenRequest } from '../../support/recording-server.ts';

const TOKEN = 'ghs_test_token_value';
const base = {
  token: TOKEN,
  owner: 'org',
  repo: 'web',
  sha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
  runUrl: 'https://github.com/org/web/actions/runs/42',
  environmentUrl: 'https://web.example.test',
  fetch: globalThis.fetch,
};

const json = (request: SeenRequest | undefined) =>
  JSON.parse(request?.body ?? 'null') as Record<string, unknown>;

describe('GitHub Deployments', () => {
  test('creates a Deployment for the environment, then in_progress and the final status with URLs', async () => {
    const server = await startRecordingServer([
      reply.json(201, { id: 7, environment: 'production' }),
      reply.json(201, { id: 1, state: 'in_progress' }),
      reply.json(201, { id: 2, state: 'success' }),
    ]);
    try {
      const errors: string[] = [];
      const tracker = await startDeployment({
        ...base,
        environment: 'production',
        baseUrl: server.url,
        onError: (message) => errors.push(message),
      });
      assert.equal(tracker.id, 7);
      await tracker.setStatus(deploymentStateFor(0), 'promoted web-canary');
      assert.deepEqual(errors, []);

      const [create, inProgress, success] = server.seen;
      assert.equal(create?.method, 'POST');
      assert.equal(create?.url, '/repos/org/web/deployments');
      assert.deepEqual(json(create), {
        ref: base.sha,
        environment: 'production',
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        production_environment: true,
        description: 'canary-action release',
      });
      assert.match(String(create?.headers.authorization), new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));

      assert.equal(inProgress?.url, '/repos/org/web/deployments/7/statuses');
      assert.deepEqual(json(inProgress), {
        state: 'in_progress',
        log_url: base.runUrl,
        environment_url: base.environmentUrl,
        description: 'canary started',
      });
      assert.deepEqual(json(success), {
        state: 'success',
        log_url: base.runUrl,
        environment_url: base.environmentUrl,
        description: 'promoted web-canary',
      });
      assert.equal(server.seen.length, 3);
    } finally {
      await server.close();
    }
  });

  test('a non-production environment is not marked production; a long description is cut to 140 characters', async () => {
    const server = await startRecordingServer([reply.json(201, { id: 8 }), reply.json(201, { id: 1 })]);
    try {
      const tracker = await startDeployment({ ...base, environment: 'staging', baseUrl: server.url });
      await tracker.setStatus(deploymentStateFor(1), 'x'.repeat(300));
      assert.equal(json(server.seen[0]).production_environment, false);
      const failure = json(server.seen[2]);
      assert.equal(failure.state, 'failure');
      assert.equal(String(failure.description).length, 140);
    } finally {
      await server.close();
    }
  });

  test('API errors are reported, never thrown, and never carry the token', async () => {
    const server = await startRecordingServer([
      reply.json(403, { message: 'Resource not accessible by integration' }),
    ]);
    try {
      const errors: string[] = [];
      const tracker = await startDeployment({
        ...base,
        environment: 'production',
        baseUrl: server.url,
        onError: (message) => errors.push(message),
      });
      assert.equal(tracker.id, undefined);
      await tracker.setStatus('success');
      assert.equal(server.seen.length, 1, 'no status is posted without a deployment');
      assert.equal(errors.length, 1);
      assert.match(
        errors[0] ?? '',
        /^GitHub Deployment: creating the deployment failed: Resource not accessible by integration/,
      );
      assert.doesNotMatch(errors[0] ?? '', new RegExp(TOKEN));
    } finally {
      await server.close();
    }
  });

  test('no token, no environment, or the job-level environment of the same name: no Deployment, no request', async () => {
    const server = await startRecordingServer([reply.json(500, {})]);
    try {
      for (const options of [
        { token: '', environment: 'production' },
        { token: TOKEN, environment: '  ' },
        { token: TOKEN, environment: 'production', jobEnvironment: 'production' },
      ]) {
        const tracker = await startDeployment({ ...base, ...options, baseUrl: server.url });
        assert.equal(tracker.id, undefined);
        await tracker.setStatus('success');
      }
      assert.equal(server.seen.length, 0);
    } finally {
      await server.close();
    }
    assert.equal(
      shouldCreateDeployment({ token: TOKEN, environment: 'production', jobEnvironment: 'staging' }),
      true,
    );
  });

  test('final state per exit code: 0 success, 1 and 3 failure, 2 and 4 error', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(deploymentStateFor), [
      'success',
      'failure',
      'error',
      'failure',
      'error',
    ]);
  });
});
