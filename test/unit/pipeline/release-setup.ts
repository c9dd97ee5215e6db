/** The release the pipeline tests start from: a stable `web` with a ConfigMap, manifests changing both. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import type { Decision } from '../../../src/analysis/types.ts';
import { parseConfig } from '../../../src/config/load.ts';
import type { AnalysisRun } from '../../../src/analysis/run.ts';
import type { AnalyseStep, PipelineDeps, ReleaseRequest } from '../../../src/pipeline/context.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import type { Platform } from '../../../src/platform/types.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import { systemClock } from '../../../src/util/clock.ts';
import { FakeCluster } from './fake-cluster.ts';
import { configMap, deployment, NEW_IMAGE, RUN } from './fixtures.ts';

export const config = (analysisExtra = '', steps = '[10, 50]') =>
  parseConfig(
    `apiVersion: canary-action/v1
workload: web
namespace: demo
traffic: {steps: ${steps}}
analysis:
  provider: {type: prometheus, url: http://127.0.0.1:9}
${analysisExtra}
  metrics: [{template: http-error-rate}]
`,
    {},
  );

export function quietPlatform(lines: string[] = []): Platform {
  const say = (m: string) => void lines.push(m);
  return {
    name: 'local',
    addSecret() {},
    info: say,
    warning: say,
    error: say,
    group: (_t, fn) => fn(),
    setOutput() {},
    redact: (text) => text,
  };
}

export const analysisWith =
  (verdicts: Array<Decision['verdict']>, seen: number[] = []): AnalyseStep =>
  async ({ weight }) => {
    seen.push(weight);
    const verdict = verdicts.shift() ?? 'pass';
    const now = new Date();
    return {
      decision: {
        verdict,
        reason: `${verdict} by the fake judge`,
        metrics: [],
        guards: [],
      } as unknown as Decision,
      polls: [],
      queries: {},
      startedAt: now,
      decidedAt: now,
    } as AnalysisRun;
  };

export async function setup(
  options: {
    verdicts?: Array<Decision['verdict']>;
    analysisExtra?: string;
    request?: Partial<ReleaseRequest>;
    steps?: string;
    manifests?: KubeObject[];
  } = {},
) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pipeline-test-'));
  const manifests = path.join(dir, 'web.yaml');
  await writeFile(
    manifests,
    (
      options.manifests ?? [
        deployment({ image: 'localhost:5000/team/web:x', configMap: 'web-config' }),
        configMap('web-config', { A: 'new' }),
      ]
    )
      .map((o) => dump(o))
      .join('---\n'),
  );
  const cluster = new FakeCluster();
  cluster.seed(
    deployment({ image: 'localhost:5000/team/web:1.0.0', configMap: 'web-config' }),
    configMap('web-config', { A: 'old' }),
  );
  const seenWeights: number[] = [];
  const lines: string[] = [];
  const abort = new AbortController();
  const request: ReleaseRequest = {
    config: config(options.analysisExtra, options.steps),
    workload: 'web',
    namespace: 'demo',
    image: NEW_IMAGE,
    manifestPaths: [manifests],
    run: RUN,
    dryRun: false,
    hold: false,
    deployOnly: false,
    lockHolder: 'test',
    ...options.request,
  };
  const deps: PipelineDeps & { cluster: FakeCluster } = {
    cluster,
    platform: quietPlatform(lines),
    clock: systemClock,
    signal: abort.signal,
    requiredAccess: [{ verb: 'delete', resource: 'deployments', group: 'apps' }],
    router: replicasRouter,
    analyse: analysisWith([...(options.verdicts ?? [])], seenWeights),
  };
  const stableImage = () =>
    (
      cluster.objects.get('Deployment/web')?.spec as {
        template: { spec: { containers: Array<{ image: string }> } };
      }
    ).template.spec.containers[0]?.image;
  return { cluster, request, deps, seenWeights, lines, abort, stableImage, dir };
}
