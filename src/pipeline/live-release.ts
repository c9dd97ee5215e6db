import type { Cluster, KubeObject } from '../kube/types.ts';
import {
  Annotation,
  baselineName,
  canaryName,
  Label,
  MANAGED_BY,
  ownedSelector,
  type Phase,
} from './names.ts';

/** What a run left in the cluster, found by name and labels: the source of truth for every command. */
export interface LiveRelease {
  canary?: KubeObject;
  baseline?: KubeObject;
  clones: KubeObject[];
}

export interface LiveState {
  runId: string;
  revision: string;
  image: string;
  digest: string;
  phase: Phase | 'unknown';
  startedAt: string;
  runUrl: string;
  step: string;
}

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

const ours = (object: KubeObject | undefined) =>
  object?.metadata.labels?.[Label.managedBy] === MANAGED_BY ? object : undefined;

export async function findLiveRelease(cluster: Cluster, workload: string): Promise<LiveRelease> {
  const [canary, baseline, configMaps, secrets] = await Promise.all([
    cluster.get({ ...DEPLOYMENT, name: canaryName(workload) }),
    cluster.get({ ...DEPLOYMENT, name: baselineName(workload) }),
    cluster.list('v1', 'ConfigMap', ownedSelector(workload)),
    cluster.list('v1', 'Secret', ownedSelector(workload)),
  ]);
  const release: LiveRelease = { clones: [...configMaps, ...secrets] };
  if (ours(canary)) release.canary = canary;
  if (ours(baseline)) release.baseline = baseline;
  return release;
}

export const isEmpty = (release: LiveRelease) =>
  !release.canary && !release.baseline && release.clones.length === 0;

export function stateOf(deployment: KubeObject): LiveState {
  const a = deployment.metadata.annotations ?? {};
  return {
    runId: a[Annotation.runId] ?? '',
    revision: a[Annotation.revision] ?? '',
    image: a[Annotation.image] ?? '',
    digest: a[Annotation.digest] ?? '',
    phase: (a[Annotation.phase] as Phase | undefined) ?? 'unknown',
    startedAt: a[Annotation.startedAt] ?? '',
    runUrl: a[Annotation.runUrl] ?? '',
    step: a[Annotation.step] ?? '',
  };
}
