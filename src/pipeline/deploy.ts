import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import { Annotation, type Phase } from './names.ts';
import type { ReleasePlan } from './plan.ts';

/** The objects of one step in a safe order: clones before the canary that mounts them. */
export function stepObjects(plan: ReleasePlan, routing: readonly KubeObject[]): KubeObject[] {
  return [...plan.clones, ...(plan.baseline ? [plan.baseline] : []), plan.canary, ...routing];
}

/** Applies the canary, the baseline, their clones and the step's routing (server-side apply; idempotent). */
export async function deployStep(
  cluster: Cluster,
  plan: ReleasePlan,
  routing: readonly KubeObject[],
  platform: Platform,
): Promise<void> {
  for (const object of stepObjects(plan, routing)) {
    await cluster.apply(object);
    platform.info(`applied ${object.kind} ${object.metadata.name}`);
  }
}

/** Records the run's phase on the canary (and baseline): the state a later command or re-run reads. */
export async function recordPhase(
  cluster: Cluster,
  plan: ReleasePlan,
  phase: Phase,
  step?: number,
): Promise<void> {
  for (const deployment of [plan.canary, plan.baseline]) {
    if (!deployment) continue;
    const annotations = deployment.metadata.annotations ?? {};
    annotations[Annotation.phase] = phase;
    if (step !== undefined) annotations[Annotation.step] = String(step);
    deployment.metadata.annotations = annotations;
    await cluster.apply(deployment);
  }
}
