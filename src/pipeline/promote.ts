import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { ConfigError } from '../util/errors.ts';
import { Annotation, Label } from './names.ts';
import type { ReleasePlan } from './plan.ts';
import { rollBack } from './rollback.ts';

export type Promotion = ReleasePlan['promotion'];

/** The promotion a run recorded on its canary, with the changed configs rebuilt from its clones. */
export function promotionFromCluster(canary: KubeObject, clones: readonly KubeObject[]): Promotion {
  const recorded = canary.metadata.annotations?.[Annotation.promotion];
  if (!recorded) {
    throw new ConfigError(
      `deployment/${canary.metadata.name}`,
      `has no ${Annotation.promotion} annotation: it was not created by canary-action run/deploy`,
    );
  }
  const ours = new Set<string>([Label.track, Label.workload, Label.managedBy]);
  const configs = clones.map((clone): KubeObject => {
    const { metadata, ...body } = clone;
    const labels = Object.fromEntries(Object.entries(metadata.labels ?? {}).filter(([k]) => !ours.has(k)));
    const rest = Object.fromEntries(
      Object.entries(body).filter(([k]) => ['data', 'stringData', 'binaryData', 'type'].includes(k)),
    );
    return {
      ...rest,
      apiVersion: 'v1',
      kind: clone.kind,
      metadata: {
        name: metadata.annotations?.[Annotation.cloneOf] ?? metadata.name,
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
      },
    };
  });
  return { configs, deployment: JSON.parse(recorded) as KubeObject };
}

/** A live object as it can be applied again (server-owned fields dropped). */
function reapplicable(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const {
    managedFields: _m,
    resourceVersion: _r,
    uid: _u,
    creationTimestamp: _c,
    generation: _g,
    ...metadata
  } = object.metadata;
  return { ...rest, metadata: { ...metadata, labels: { ...metadata.labels } } };
}

/**
 * Applies the changed configs and the stable Deployment with the canary's images, waits for the
 * stable's rollout, then removes the canary, the baseline and the clones. If the stable does not
 * roll out, it is restored as it was before (configs too) and the error is rethrown.
 */
export async function promote(
  cluster: Cluster,
  promotion: Promotion,
  options: {
    workload: string;
    stableBefore: KubeObject;
    configsBefore: readonly KubeObject[];
    timeoutMs: number;
    signal?: AbortSignal;
    platform: Platform;
    router: TrafficRouter;
  },
): Promise<void> {
  const { platform } = options;
  try {
    for (const object of [...promotion.configs, promotion.deployment]) {
      await cluster.apply(object);
      platform.info(`applied ${object.kind} ${object.metadata.name}`);
    }
    await cluster.waitForRollout(options.workload, {
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) =>
        platform.info(`${p.name}: ${p.updated}/${p.desired} updated, ${p.ready} ready — ${p.message}`),
    });
  } catch (error) {
    platform.error(`promotion failed, restoring deployment/${options.workload}: ${(error as Error).message}`);
    for (const object of [...options.configsBefore, options.stableBefore])
      await cluster.apply(reapplicable(object));
    await rollBack(cluster, options.workload, { platform, router: options.router });
    throw error;
  }
  await rollBack(cluster, options.workload, { platform, router: options.router });
  platform.info(`promoted: deployment/${options.workload} runs ${describe(promotion.deployment)}`);
}

function describe(deployment: KubeObject): string {
  const spec = deployment.spec as {
    template?: { spec?: { containers?: Array<{ name: string; image?: string }> } };
  };
  return (spec.template?.spec?.containers ?? []).map((c) => `${c.name}=${c.image}`).join(', ');
}
