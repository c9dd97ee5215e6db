/**
 * The quick-start demo: the Kubernetes sandbox (pods are real processes of the demo app), a real
 * Prometheus scraping them and steady traffic through the `web` Service. `canary-action run` then
 * promotes a good release and rolls back a release answering 10% of requests with a 500.
 * Everything runs on 127.0.0.1 and stops at the end.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  REPOSITORY,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
} from '../test/e2e/environment.ts';

const root = path.resolve(import.meta.dirname, '..');
const say = (text: string) => console.log(`\n\x1b[1m▶ ${text}\x1b[0m`);

function cli(args: string[]): Promise<number | null> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src/entrypoints/cli.ts'), ...args],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    },
  );
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      resolve(code);
    }),
  );
}

async function main(): Promise<number> {
  say(
    'Starting the Kubernetes sandbox, deployment/web (2 replicas of v1) behind a Service, Prometheus and 160 req/s of traffic',
  );
  const env = await startReleaseEnvironment({ trafficPerSecond: 160 });
  try {
    const kubeconfig = env.sandbox.kubeconfig;
    console.log(`sandbox ${env.sandbox.url} (KUBECONFIG=${kubeconfig}), Prometheus ${env.prometheus?.url}`);
    const config = await writeConfig(env, 'demo', { minDuration: '10s', maxDuration: '40s' });
    const release = async (version: string, extraEnv: Record<string, string>) => {
      const image = `${REPOSITORY}:${version}`;
      const manifests = await writeManifests(env, `web-${version}`, { image, env: extraEnv });
      return cli([
        'run',
        '--config',
        config,
        '--kubeconfig',
        kubeconfig,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        `v${version}`,
        '--report',
        path.join(env.dir, `report-${version}.json`),
      ]);
    };
    say('Release 2.0.0: a good canary — expect it to be promoted (exit 0)');
    const good = await release('2.0.0', {});
    const stable = await env.get(`/apis/apps/v1/namespaces/${env.namespace}/deployments/${WORKLOAD}`);
    console.log(`deployment/web now runs ${stable.spec.template.spec.containers[0].image}`);
    say('Release 3.0.0: answers 10% of requests with a 500 — expect it to be rolled back (exit 1)');
    const bad = await release('3.0.0', { DEMO_ERROR_RATE: '0.1' });
    const after = await env.get(`/apis/apps/v1/namespaces/${env.namespace}/deployments/${WORKLOAD}`);
    const traffic = env.traffic?.stats();
    say(
      `Results: release 2.0.0 exit ${good} (promoted), release 3.0.0 exit ${bad} (rolled back); deployment/web runs ${after.spec.template.spec.containers[0].image}; ` +
        `traffic ${traffic?.sent} requests, ${traffic?.errors} errors; reports in ${env.dir}`,
    );
    return good === 0 && bad === 1 ? 0 : 1;
  } finally {
    await env.stop();
  }
}

process.exitCode = await main();
