import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { ConfigError } from '../util/errors.ts';
import { Annotation, Label } from './names.ts';
import type { ReleasePlan } from './plan.ts';
import { rollBack, RollbackIncompleteError } from './rollback.ts';
import { promotingCanary } from './promotion-state.ts';
import type { Clock } from '../util/clock.ts';

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

/** How promote() reaches the cluster: the workload, its stable before, and how long to wait and retry. */
export interface PromoteOptions {
  workload: string;
  /** The canary as applied (its annotations are updated to record the promotion). */
  canary: KubeObject;
  stableBefore: KubeObject;
  configsBefore: readonly KubeObject[];
  timeoutMs: number;
  rollbackDeadlineMs: number;
  clock?: Clock;
  signal?: AbortSignal;
  platform: Platform;
  router: TrafficRouter;
}

/**
 * Records the stable as it was on the canary (phase promoting), applies the changed configs and the
 * stable Deployment with the canary's images and waits for the stable's rollout; then marks the canary
 * promoted and removes the canary, the baseline and the clones. If the stable does not roll out, it is
 * restored as it was before (configs too) and the error is rethrown. Removal and restore are retried up
 * to the rollback deadline (RollbackIncompleteError past it).
 */
export async function promote(
  cluster: Cluster,
  promotion: Promotion,
  options: PromoteOptions,
): Promise<void> {
  const { platform, workload } = options;
  const retried = {
    platform,
    router: options.router,
    deadlineMs: options.rollbackDeadlineMs,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const canary = promotingCanary(options.canary, options.stableBefore, options.configsBefore);
  await cluster.apply(canary);
  try {
    for (const object of [...promotion.configs, promotion.deployment]) {
      await cluster.apply(object);
      platform.info(`applied ${object.kind} ${object.metadata.name}`);
    }
    await cluster.waitForRollout(workload, {
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) =>
        platform.info(`${p.name}: ${p.updated}/${p.desired} updated, ${p.ready} ready — ${p.message}`),
    });
  } catch (error) {
    platform.error(`promotion failed, restoring deployment/${workload}: ${(error as Error).message}`);
    const known = [
      `Deployment ${workload} (promoted, not yet restored)`,
      `Deployment ${canary.metadata.name}`,
    ];
    await rollBack(cluster, workload, {
      ...retried,
      restoreStable: true,
      known: [...known, `Deployment ${workload}-baseline`],
    });
    throw error;
  }
  // From here the stable is promoted: a later rollback must not restore it, so the canary says so first.
  await rollBack(cluster, workload, {
    ...retried,
    known: [`Deployment ${canary.metadata.name}`, `Deployment ${workload}-baseline`],
    before: async () => {
      const live = await cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: canary.metadata.name,
      });
      if (live) await cluster.apply(withPhase(canary, 'promoted'));
    },
  }).catch((error: unknown) => {
    if (!(error instanceof RollbackIncompleteError)) throw error;
    throw new RollbackIncompleteError(error.left, error.attempts, error.cause, true);
  });
  platform.info(`promoted: deployment/${workload} runs ${describe(promotion.deployment)}`);
}

function withPhase(canary: KubeObject, phase: string): KubeObject {
  const annotations = { ...canary.metadata.annotations, [Annotation.phase]: phase };
  return { ...canary, metadata: { ...canary.metadata, annotations } };
}

function describe(deployment: KubeObject): string {
  const spec = deployment.spec as {
    template?: { spec?: { containers?: Array<{ name: string; image?: string }> } };
  };
  return (spec.template?.spec?.containers ?? []).map((c) => `${c.name}=${c.image}`).join(', ');
}
