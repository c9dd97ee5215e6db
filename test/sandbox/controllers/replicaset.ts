/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
import { matchesRequirements, selectorRequirements } from '../apiserver/selectors.ts';
import type { Cluster, Obj } from './cluster.ts';
import {
  CONTROLLER_MANAGER,
  T,
  controllerOf,
  controllerRef,
  isActive,
  isPodAvailable,
  isPodReady,
} from './cluster.ts';

const COMPONENT = 'replicaset-controller';
const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** ActivePods ordering: the pods a scale-down removes first (unscheduled, pending, not ready, youngest). */
function deletionOrder(a: Obj, b: Obj): number {
  const rank = (p: Obj): number[] => [
    p.spec?.nodeName ? 1 : 0,
    PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0,
    isPodReady(p) ? 1 : 0,
    -Date.parse(String(p.metadata.creationTimestamp ?? '')) || 0,
  ];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i += 1) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return b.metadata.name.localeCompare(a.metadata.name);
}

/** The ReplicaSet controller: keeps spec.replicas active pods and reports replica counts. */
export class ReplicaSetController {
  constructor(private readonly cluster: Cluster) {}

  syncAll(): void {
    for (const rs of this.cluster.list(T.replicasets)) this.sync(rs);
  }

  private sync(rs: Obj): void {
    const pods = this.cluster
      .list(T.pods, rs.metadata.namespace)
      .filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
    const active = pods.filter(isActive);
    const desired: number = rs.metadata.deletionTimestamp ? active.length : (rs.spec.replicas ?? 1);
    if (active.length < desired) {
      for (let i = active.length; i < desired; i += 1) active.push(this.createPod(rs));
    } else if (active.length > desired) {
      const victims = [...active].sort(deletionOrder).slice(0, active.length - desired);
      for (const pod of victims) {
        this.cluster.api.delete(T.pods, pod.metadata.namespace, pod.metadata.name, {});
        this.cluster.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
        active.splice(active.indexOf(pod), 1);
      }
    }
    const current = this.cluster.get(T.replicasets, rs.metadata.namespace, rs.metadata.name);
    if (!current) return;
    const minReady: number = current.spec.minReadySeconds ?? 0;
    const templateLabels = current.spec.template?.metadata?.labels ?? {};
    const status: Record<string, any> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) =>
        matchesRequirements(p.metadata.labels, selectorRequirements({ matchLabels: templateLabels })),
      ).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, minReady)).length,
      observedGeneration: current.metadata.generation,
    };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
      if (status[k] === 0) delete status[k];
    this.cluster.updateIfChanged(T.replicasets, { ...current, status });
  }

  private createPod(rs: Obj): Obj {
    const template = rs.spec.template ?? {};
    const pod = this.cluster.api.create(
      T.pods,
      rs.metadata.namespace,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: `${rs.metadata.name}-`,
          namespace: rs.metadata.namespace,
          labels: { ...template.metadata?.labels },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ownerReferences: [controllerRef(rs)],
        },
        spec: structuredClone(template.spec ?? {}),
      },
      { manager: CONTROLLER_MANAGER },
    ) as Obj;
    this.cluster.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
    return pod;
  }
}
