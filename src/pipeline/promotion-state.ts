/**
 * A promotion's state kept in the cluster, as the clones keep theirs: before the stable is changed, the
 * canary records the stable Deployment and the ConfigMaps the promotion overwrites (phase `promoting`),
 * so a `rollback` or `cleanup` after a killed promotion puts them back. Secrets are never copied into an
 * annotation: a Secret the promotion changed keeps its new content (said in the log).
 */
import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import { Annotation } from './names.ts';

interface StableBefore {
  deployment: KubeObject;
  configMaps: KubeObject[];
  /** Names of Secrets the promotion overwrites (not restored). */
  secrets: string[];
}

/** A live object as it can be applied again (server-owned fields dropped). */
export function reapplicable(object: KubeObject): KubeObject {
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

/** The canary as it is applied while promoting: phase `promoting` and the stable as it was before. */
export function promotingCanary(
  canary: KubeObject,
  stableBefore: KubeObject,
  configsBefore: readonly KubeObject[],
): KubeObject {
  const recorded = canary.metadata.annotations?.[Annotation.stableBefore];
  const before: StableBefore = {
    deployment: reapplicable(stableBefore),
    configMaps: configsBefore.filter((c) => c.kind === 'ConfigMap').map(reapplicable),
    secrets: configsBefore.filter((c) => c.kind === 'Secret').map((c) => c.metadata.name),
  };
  const annotations = {
    ...canary.metadata.annotations,
    [Annotation.phase]: 'promoting',
    // A promotion tried again keeps the first record: the live stable may already be the new one.
    [Annotation.stableBefore]: recorded ?? JSON.stringify(before),
  };
  return { ...reapplicable(canary), metadata: { ...reapplicable(canary).metadata, annotations } };
}

/** The canary's recorded stable, when it was left promoting. */
export function recordedStable(canary: KubeObject): StableBefore | undefined {
  const annotations = canary.metadata.annotations ?? {};
  const recorded = annotations[Annotation.stableBefore];
  if (annotations[Annotation.phase] !== 'promoting' || !recorded) return undefined;
  return JSON.parse(recorded) as StableBefore;
}

/** Undoes a promotion the canary says was under way: the recorded ConfigMaps and stable applied again. */
export async function restorePromotion(
  cluster: Cluster,
  canary: KubeObject,
  platform: Platform,
): Promise<boolean> {
  const before = recordedStable(canary);
  if (!before) return false;
  for (const object of [...before.configMaps, before.deployment]) await cluster.apply(object);
  const images = (
    (
      before.deployment.spec as {
        template?: { spec?: { containers?: Array<{ name: string; image?: string }> } };
      }
    ).template?.spec?.containers ?? []
  ).map((c) => `${c.name}=${c.image}`);
  platform.info(
    `restored deployment/${before.deployment.metadata.name} as it was before the interrupted promotion (${images.join(', ')})`,
  );
  if (before.secrets.length > 0)
    platform.warning(
      `Secret ${before.secrets.join(', ')} keeps the content the promotion applied (Secrets are not recorded)`,
    );
  return true;
}
