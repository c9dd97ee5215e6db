/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
import { timestamp } from '../apiserver/store.ts';
import type { Cluster, Obj } from './cluster.ts';
import { CONTROLLER_MANAGER, T, controllerOf, controllerRef } from './cluster.ts';
import type { Condition } from './rollout.ts';
import { fenceposts, podTemplateHash, revisionOf, sameTemplate, setCondition } from './rollout.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const COMPONENT = 'deployment-controller';

const replicasOf = (rs: Obj): number => rs.spec?.replicas ?? 0;
const sum = (list: Obj[], f: (rs: Obj) => number): number => list.reduce((n, rs) => n + f(rs), 0);
const byCreation = (a: Obj, b: Obj): number =>
  String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
  a.metadata.name.localeCompare(b.metadata.name);

/**
 * The Deployment controller: one ReplicaSet per pod template (named and labelled with the
 * pod-template-hash), rolling updates within maxSurge/maxUnavailable, Recreate, revision history,
 * and the status and conditions `kubectl rollout status` reads.
 */
export class DeploymentController {
  constructor(private readonly cluster: Cluster) {}

  syncAll(): void {
    for (const d of this.cluster.list(T.deployments)) this.sync(d);
  }

  private scale(d: Obj, rs: Obj, replicas: number): Obj {
    const from = replicasOf(rs);
    if (from === replicas) return rs;
    const next = structuredClone(rs);
    next.spec.replicas = replicas;
    next.metadata.annotations = {
      ...next.metadata.annotations,
      'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
      'deployment.kubernetes.io/max-replicas': String(
        d.spec.replicas + (d.spec.strategy?.type === 'Recreate' ? 0 : fenceposts(d).surge),
      ),
    };
    const saved = this.cluster.updateIfChanged(T.replicasets, next);
    const direction = replicas > from ? 'up' : 'down';
    this.cluster.event(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      COMPONENT,
    );
    return saved;
  }

  private sync(d: Obj): void {
    const namespace = d.metadata.namespace!;
    const all = this.cluster
      .list(T.replicasets, namespace)
      .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid)
      .sort(byCreation);
    let newRS = all.find((rs) => sameTemplate(rs.spec.template, d.spec.template));
    let oldRSs = all.filter((rs) => rs !== newRS);
    const maxOldRevision = Math.max(0, ...oldRSs.map(revisionOf));
    const now = timestamp();
    let conditions: Condition[] = d.status?.conditions ?? [];
    const deleting = Boolean(d.metadata.deletionTimestamp);

    if (!deleting && !d.spec.paused) {
      if (!newRS) {
        newRS = this.createReplicaSet(d, maxOldRevision + 1, all);
        conditions = setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetCreated',
            message: `Created new replica set "${newRS.metadata.name}"`,
          },
          now,
        );
      } else if (revisionOf(newRS) <= maxOldRevision) {
        const next = structuredClone(newRS);
        next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(maxOldRevision + 1) };
        newRS = this.cluster.updateIfChanged(T.replicasets, next);
      } else if (!conditions.some((c) => c.type === 'Progressing')) {
        conditions = setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'True',
            reason: 'FoundNewReplicaSet',
            message: `Found new replica set "${newRS.metadata.name}"`,
          },
          now,
        );
      }
      if (d.spec.strategy?.type === 'Recreate') this.recreate(d, newRS, oldRSs);
      else this.rollingUpdate(d, newRS, oldRSs);
      oldRSs = oldRSs.map((rs) => this.cluster.get(T.replicasets, namespace, rs.metadata.name) ?? rs);
      newRS = this.cluster.get(T.replicasets, namespace, newRS.metadata.name) ?? newRS;
      this.cleanupHistory(d, oldRSs);
      this.ensureRevisionAnnotation(d, revisionOf(newRS));
    }
    this.updateStatus(d, newRS, oldRSs, conditions, now);
  }

  private createReplicaSet(d: Obj, revision: number, existing: Obj[]): Obj {
    let collision = d.status?.collisionCount ?? 0;
    let hash = podTemplateHash(d.spec.template, collision);
    while (existing.some((rs) => rs.metadata.name === `${d.metadata.name}-${hash}`))
      hash = podTemplateHash(d.spec.template, ++collision);
    const template = structuredClone(d.spec.template);
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
    };
    const { surge } = fenceposts(d);
    const total = existing.reduce((n, rs) => n + replicasOf(rs), 0);
    const maxTotal = d.spec.replicas + (d.spec.strategy?.type === 'Recreate' ? 0 : surge);
    const initial =
      d.spec.strategy?.type === 'Recreate' ? 0 : Math.max(0, Math.min(d.spec.replicas, maxTotal - total));
    const rs = this.cluster.api.create(
      T.replicasets,
      d.metadata.namespace,
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: template.metadata.labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
            'deployment.kubernetes.io/max-replicas': String(maxTotal),
            [REVISION]: String(revision),
          },
          ownerReferences: [controllerRef(d)],
        },
        spec: {
          replicas: initial,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: {
            ...d.spec.selector,
            matchLabels: { ...d.spec.selector?.matchLabels, 'pod-template-hash': hash },
          },
          template,
        },
      },
      { manager: CONTROLLER_MANAGER },
    ) as Obj;
    if (initial > 0)
      this.cluster.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${rs.metadata.name} from 0 to ${initial}`,
        COMPONENT,
      );
    return rs;
  }

  /** reconcileNewReplicaSet + reconcileOldReplicaSets from the real rolling updater. */
  private rollingUpdate(d: Obj, newRS: Obj, oldRSs: Obj[]): void {
    const replicas: number = d.spec.replicas;
    const { surge, unavailable } = fenceposts(d);
    const allPods = (): number => replicasOf(newRS) + sum(oldRSs, replicasOf);
    if (replicasOf(newRS) > replicas) newRS = this.scale(d, newRS, replicas);
    else if (replicasOf(newRS) < replicas) {
      const room = replicas + surge - allPods();
      if (room > 0)
        newRS = this.scale(d, newRS, replicasOf(newRS) + Math.min(room, replicas - replicasOf(newRS)));
    }
    if (sum(oldRSs, replicasOf) === 0) return;
    const minAvailable = replicas - unavailable;
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods() - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    let cleaned = 0;
    oldRSs = oldRSs.map((rs) => {
      const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
      if (replicasOf(rs) === 0 || unhealthy <= 0 || cleaned >= maxScaledDown) return rs;
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      cleaned += down;
      return this.scale(d, rs, replicasOf(rs) - down);
    });
    const available = sum([newRS, ...oldRSs], (rs) =>
      Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs)),
    );
    let budget = available - minAvailable;
    for (const rs of oldRSs) {
      if (budget <= 0) break;
      if (replicasOf(rs) === 0) continue;
      const down = Math.min(replicasOf(rs), budget);
      budget -= down;
      this.scale(d, rs, replicasOf(rs) - down);
    }
  }

  private recreate(d: Obj, newRS: Obj, oldRSs: Obj[]): void {
    for (const rs of oldRSs) if (replicasOf(rs) > 0) this.scale(d, rs, 0);
    const oldPodsRunning = oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0 || replicasOf(rs) > 0);
    if (!oldPodsRunning && replicasOf(newRS) !== d.spec.replicas) this.scale(d, newRS, d.spec.replicas);
  }

  private cleanupHistory(d: Obj, oldRSs: Obj[]): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = oldRSs.filter(
      (rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp,
    );
    idle.sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.cluster.api.delete(T.replicasets, rs.metadata.namespace, rs.metadata.name, {});
    }
  }

  private ensureRevisionAnnotation(d: Obj, revision: number): void {
    const current = this.cluster.get(T.deployments, d.metadata.namespace, d.metadata.name);
    if (!current || current.metadata.annotations?.[REVISION] === String(revision)) return;
    current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: String(revision) };
    this.cluster.updateIfChanged(T.deployments, current);
  }

  private updateStatus(
    d: Obj,
    newRS: Obj | undefined,
    oldRSs: Obj[],
    startConditions: Condition[],
    now: string,
  ): void {
    const current = this.cluster.get(T.deployments, d.metadata.namespace, d.metadata.name);
    if (!current) return;
    const all = [...(newRS ? [newRS] : []), ...oldRSs];
    const replicas: number = current.spec.replicas;
    const old = current.status ?? {};
    const status: Record<string, any> = {
      observedGeneration: current.metadata.generation,
      replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: sum(all, (rs) => rs.status?.availableReplicas ?? 0),
    };
    status.unavailableReplicas = Math.max(0, replicas - status.availableReplicas);
    const { unavailable } =
      current.spec.strategy?.type === 'Recreate' ? { unavailable: 0 } : fenceposts(current);
    let conditions = setCondition(
      startConditions,
      status.availableReplicas >= replicas - unavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
    );
    conditions = this.progressing(current, newRS, old, status, conditions, now);
    status.conditions = conditions;
    if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount;
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ])
      if (status[k] === 0) delete status[k];
    this.cluster.updateIfChanged(T.deployments, { ...current, status });
  }

  /** syncRolloutStatus: complete, progressing (any counter moved), or past progressDeadlineSeconds. */
  private progressing(
    d: Obj,
    newRS: Obj | undefined,
    old: any,
    status: any,
    conditions: Condition[],
    now: string,
  ): Condition[] {
    if (d.spec.progressDeadlineSeconds === undefined || d.metadata.deletionTimestamp) return conditions;
    const current = conditions.find((c) => c.type === 'Progressing');
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable')
      return conditions;
    const replicas = d.spec.replicas;
    const complete =
      status.updatedReplicas === replicas &&
      status.replicas === replicas &&
      status.availableReplicas === replicas &&
      status.observedGeneration >= (d.metadata.generation as number);
    if (complete) {
      return setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `${subject} has successfully progressed.`,
        },
        now,
      );
    }
    const moved =
      status.updatedReplicas > (old.updatedReplicas ?? 0) ||
      status.replicas < (old.replicas ?? 0) ||
      status.readyReplicas > (old.readyReplicas ?? 0) ||
      status.availableReplicas > (old.availableReplicas ?? 0);
    if (moved) {
      const next: Condition = {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `${subject} is progressing.`,
        lastUpdateTime: now,
        lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime! : now,
      };
      return [...conditions.filter((c) => c.type !== 'Progressing'), next];
    }
    if (current && current.reason !== 'ProgressDeadlineExceeded') {
      const since = Date.parse(current.lastUpdateTime ?? now);
      if (since + d.spec.progressDeadlineSeconds * 1000 < Date.now()) {
        return setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `${subject} has timed out progressing.`,
          },
          now,
        );
      }
    }
    return conditions;
  }
}
