/**
 * Notifications from the GitLab component: templates/canary.yml's `canary` job (component.ts runs it as a
 * runner does, with `node dist/cli.js` as the CLI) in mode deploy, then cancelled: its after_script cleans
 * up and sends rolled-back with the reason "job cancelled". The webhook's URL holds a secret: it is in no
 * job log line and no artifact (JSON, markdown, HTML report, dotenv).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  REPOSITORY,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from '../../e2e/environment.ts';
import { REPO_ROOT } from '../../support/cli.ts';
import { answer, startReceiver, type Receiver } from '../notify/receiver.ts';
import { jobVariables, loadComponent, runScript } from './component.ts';

const PATH_SECRET = 'gitlab-hook-5ecret-2c7d41';

describe('the GitLab component sends notifications, after_script included (sandbox, dist/)', () => {
  let env: ReleaseEnvironment;
  let hook: Receiver;

  before(async () => {
    [env, hook] = await Promise.all([
      startReleaseEnvironment({ trafficPerSecond: 40 }),
      startReceiver(answer.status(204)),
    ]);
  });
  after(async () => {
    await hook?.close();
    await env?.stop();
  });

  test('mode deploy, job cancelled: started, held, then rolled-back "job cancelled" from after_script', async () => {
    const dir = path.join(env.dir, 'project-notify');
    await mkdir(dir, { recursive: true });
    const image = `${REPOSITORY}:5.0.0`;
    const config = await writeConfig(env, 'gitlab-notify', {
      topLevel: 'notify:\n  - {type: webhook, url: "${DEPLOY_HOOK_URL}"}\n',
    });
    await writeFile(path.join(dir, 'canary.yml'), await readFile(config, 'utf8'));
    await writeFile(
      path.join(dir, 'web.yaml'),
      await readFile(await writeManifests(env, 'gitlab-notify', { image }), 'utf8'),
    );
    const component = await loadComponent({
      cli: `${process.execPath} ${path.join(REPO_ROOT, 'dist/cli.js')}`,
      config: 'canary.yml',
      manifests: 'web.yaml',
      mode: 'deploy',
      image,
    });
    const job = component.job('canary');
    const base = {
      ...jobVariables(job),
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      CI: 'true',
      GITLAB_CI: 'true',
      CI_PROJECT_DIR: dir,
      CI_COMMIT_SHA: '601'.padStart(40, 'c'),
      CI_COMMIT_REF_NAME: 'main',
      CI_JOB_ID: '601',
      CI_JOB_URL: 'https://gitlab.example/org/web/-/jobs/601',
      KUBECONFIG: env.sandbox.kubeconfig,
      // A masked CI/CD variable.
      DEPLOY_HOOK_URL: `${hook.url}/hooks/${PATH_SECRET}`,
    };
    const script = await runScript(job.script, { ...base, CI_JOB_STATUS: 'running' }, dir);
    assert.equal(script.code, 0, script.output);
    const afterScript = await runScript(job.after_script, { ...base, CI_JOB_STATUS: 'canceled' }, dir);
    assert.equal(afterScript.code, 0, afterScript.output);
    assert.match(afterScript.output, /cleaning up the canary of run gitlab-601/);
    const deployments = `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
    assert.equal(await env.get(`${deployments}/${WORKLOAD}-canary`), undefined);

    const events = hook.received.map(
      (request) => JSON.parse(request.body.toString('utf8')) as { event: string; reason: string },
    );
    assert.deepEqual(
      events.map((event) => event.event),
      ['started', 'held', 'rolled-back'],
    );
    assert.equal(events[2]!.reason, 'job cancelled');
    const artifacts = await Promise.all(
      ['canary-report.json', 'canary-report.md', 'canary-report.html', 'canary.env'].map((file) =>
        readFile(path.join(dir, file), 'utf8'),
      ),
    );
    assert.match(artifacts[0]!, /"notifications"/);
    for (const text of [script.output, afterScript.output, ...artifacts]) {
      assert.ok(!text.includes(PATH_SECRET), 'the webhook URL appears in the log or an artifact');
    }
  });
});
