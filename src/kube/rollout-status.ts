/* Pure evaluation of a Deployment's rollout, the way `kubectl rollout status` and a careful operator read it. */
import type { RolloutFailureReason } from './errors.ts';
import type { KubeObject, RolloutProgress } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- Kubernetes JSON is read loosely and checked field by field */
type Json = any;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** Container waiting reasons that will not resolve by waiting longer. */
export const FAIL_FAST_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InvalidImageName',
]);

export interface DeploymentStatus {
  done: boolean;
  /** Set when the Deployment itself reports failure. */
  failed?: 'ProgressDeadlineExceeded';
  /** kubectl's wording: "Waiting for deployment … rollout to finish: 1 of 2 updated replicas are available...". */
  message: string;
  progress: RolloutProgress;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** kubectl's DeploymentStatusViewer, step for step. */
export function deploymentStatus(deployment: KubeObject): DeploymentStatus {
  const d = deployment as Json;
  const name = deployment.metadata.name;
  const status = d.status ?? {};
  const desired = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
  const updated = num(status.updatedReplicas);
  const available = num(status.availableReplicas);
  const progress = (message: string): RolloutProgress => ({
    name,
    ready: num(status.readyReplicas),
    updated,
    desired,
    message,
  });
  const waiting = (message: string): DeploymentStatus => ({
    done: false,
    message,
    progress: progress(message),
  });

  if (num(d.metadata.generation) > num(status.observedGeneration))
    return waiting(`Waiting for deployment "${name}" spec update to be observed...`);
  const progressing = (status.conditions ?? []).find((c: Json) => c?.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const message = `deployment "${name}" exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`;
    return { done: false, failed: 'ProgressDeadlineExceeded', message, progress: progress(message) };
  }
  if (updated < desired)
    return waiting(
      `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
    );
  const replicas = num(status.replicas);
  if (replicas > updated)
    return waiting(
      `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`,
    );
  if (available < updated)
    return waiting(
      `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    );
  const message = `deployment "${name}" successfully rolled out`;
  return { done: true, message, progress: progress(message) };
}

/** A label selector (matchLabels + matchExpressions) in the query-string syntax. */
export function selectorString(selector: Json): string {
  const parts: string[] = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The ReplicaSet of the Deployment's current template: owned by it, with its revision (else the highest). */
export function newestReplicaSet(deployment: KubeObject, replicaSets: KubeObject[]): KubeObject | undefined {
  const uid = deployment.metadata.uid;
  const owned = replicaSets.filter((rs) =>
    ((rs.metadata.ownerReferences as Json[] | undefined) ?? []).some(
      (o) => o?.uid === uid && o?.kind === 'Deployment',
    ),
  );
  const revision = (o: KubeObject) => Number(o.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const current = owned.find((rs) => revision(rs) === revision(deployment) && revision(rs) > 0);
  return current ?? owned.sort((a, b) => revision(b) - revision(a))[0];
}

export interface PodFailure {
  pod: string;
  container: string;
  reason: RolloutFailureReason;
  message: string;
  restartCount: number;
}

/** The first container of these pods that waits for a reason that will not go away. */
export function findPodFailure(pods: KubeObject[]): PodFailure | undefined {
  for (const pod of pods) {
    const status = (pod as Json).status ?? {};
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
      const waiting = c?.state?.waiting;
      if (waiting && FAIL_FAST_REASONS.has(waiting.reason)) {
        return {
          pod: pod.metadata.name,
          container: String(c.name),
          reason: waiting.reason as RolloutFailureReason,
          message: typeof waiting.message === 'string' ? waiting.message : '',
          restartCount: num(c.restartCount),
        };
      }
    }
  }
  return undefined;
}

/** A pod worth explaining when the rollout stalls: the first one that is not ready. */
export function firstUnreadyPod(pods: KubeObject[]): { pod: string; container?: string } | undefined {
  for (const pod of pods) {
    const status = (pod as Json).status ?? {};
    const ready = (status.conditions ?? []).some((c: Json) => c?.type === 'Ready' && c?.status === 'True');
    if (ready) continue;
    const unready = (status.containerStatuses ?? []).find((c: Json) => !c?.ready);
    return { pod: pod.metadata.name, ...(unready?.name ? { container: String(unready.name) } : {}) };
  }
  return undefined;
}

/** One line per pod: name, phase, readiness, and why each unready container is not ready. */
export function podSummary(pods: KubeObject[]): string[] {
  return pods.map((pod) => {
    const status = (pod as Json).status ?? {};
    const containers = (status.containerStatuses ?? []).map((c: Json) => {
      const state = c?.state ?? {};
      const why =
        state.waiting?.reason ?? (state.terminated ? `terminated: ${state.terminated.reason}` : 'running');
      return `${c?.name}=${c?.ready ? 'ready' : `not ready (${why})`}${num(c?.restartCount) ? `, ${c.restartCount} restarts` : ''}`;
    });
    return `${pod.metadata.name}: ${status.phase ?? 'Unknown'}${containers.length ? `; ${containers.join('; ')}` : ''}`;
  });
}
