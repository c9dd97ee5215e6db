import { RolloutError } from '../util/errors.ts';
import { collectDiagnostics } from './diagnostics.ts';
import { DeploymentRolloutError } from './errors.ts';
import type { RolloutFailureReason } from './errors.ts';
import type { KubeIO } from './io.ts';
import {
  deploymentStatus,
  findPodFailure,
  firstUnreadyPod,
  newestReplicaSet,
  podSummary,
  selectorString,
} from './rollout-status.ts';
import type { KubeObject, RolloutProgress } from './types.ts';

export interface WaitOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: RolloutProgress) => void;
}

/** The pods of the Deployment's current template (its newest ReplicaSet's pod-template-hash). */
async function currentPods(io: KubeIO, deployment: KubeObject): Promise<KubeObject[]> {
  const selector = selectorString((deployment.spec as { selector?: unknown } | undefined)?.selector);
  if (!selector) return [];
  const replicaSets = await io.list('apps/v1', 'ReplicaSet', { labelSelector: selector });
  const hash = newestReplicaSet(deployment, replicaSets)?.metadata.labels?.['pod-template-hash'];
  if (!hash) return [];
  return io.list('v1', 'Pod', { labelSelector: `${selector},pod-template-hash=${hash}` });
}

async function stalled(
  io: KubeIO,
  name: string,
  reason: RolloutFailureReason,
  headline: string,
  pods: KubeObject[],
): Promise<DeploymentRolloutError> {
  const lines = [headline];
  if (pods.length > 0) lines.push('pods:', ...podSummary(pods).map((l) => `  ${l}`));
  const unready = firstUnreadyPod(pods);
  if (unready) lines.push(await collectDiagnostics(io, unready.pod, unready.container, { previous: false }));
  return new DeploymentRolloutError(name, reason, lines.join('\n'), unready?.pod, unready?.container);
}

/** Waits like `kubectl rollout status`, failing fast when a pod of the new template cannot start. */
export async function waitForRollout(io: KubeIO, name: string, options: WaitOptions): Promise<void> {
  const started = io.clock.now();
  const deadline = started + options.timeoutMs;
  const where = `in namespace "${io.namespace}"`;
  let lastMessage: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const deployment = await io.get({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    if (!deployment)
      throw new RolloutError(
        `deployment "${name}" ${where} does not exist (deleted while waiting for its rollout?)`,
      );
    const status = deploymentStatus(deployment);
    if (status.message !== lastMessage) {
      lastMessage = status.message;
      options.onProgress?.(status.progress);
    }
    if (status.done) return;

    const pods = await currentPods(io, deployment);
    const failure = findPodFailure(pods);
    if (failure) {
      const crashLoop = failure.reason === 'CrashLoopBackOff';
      const headline =
        `deployment "${name}" ${where} cannot become ready: pod ${failure.pod} container "${failure.container}" is waiting with ${failure.reason}` +
        `${failure.message ? ` (${failure.message})` : ''}${failure.restartCount ? `, ${failure.restartCount} restarts` : ''}`;
      const details = await collectDiagnostics(io, failure.pod, failure.container, { previous: crashLoop });
      throw new DeploymentRolloutError(
        name,
        failure.reason,
        `${headline}\n${details}`,
        failure.pod,
        failure.container,
      );
    }
    if (status.failed) throw await stalled(io, name, status.failed, `${status.message} (${where})`, pods);
    const now = io.clock.now();
    if (now >= deadline) {
      const seconds = Math.round(options.timeoutMs / 1000);
      const { updated, desired, ready } = status.progress;
      const headline =
        `deployment "${name}" ${where} did not finish rolling out within ${seconds}s ` +
        `(${updated}/${desired} updated, ${ready} ready); last status: ${status.message}`;
      throw await stalled(io, name, 'Timeout', headline, pods);
    }
    await io.clock.sleep(Math.min(options.pollIntervalMs, deadline - now), options.signal);
  }
}
