import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../node/types.ts';
import type { ResourceApi } from '../apiserver/rest.ts';
import { mustType } from '../apiserver/resources.ts';
import type { ResourceType } from '../apiserver/resources.ts';
import type { Store } from '../apiserver/store.ts';
import { timestamp } from '../apiserver/store.ts';

export const T = {
  namespaces: mustType('', 'namespaces'),
  pods: mustType('', 'pods'),
  services: mustType('', 'services'),
  endpoints: mustType('', 'endpoints'),
  events: mustType('', 'events'),
  configmaps: mustType('', 'configmaps'),
  secrets: mustType('', 'secrets'),
  serviceaccounts: mustType('', 'serviceaccounts'),
  deployments: mustType('apps', 'deployments'),
  replicasets: mustType('apps', 'replicasets'),
  httproutes: mustType('gateway.networking.k8s.io', 'httproutes'),
  gateways: mustType('gateway.networking.k8s.io', 'gateways'),
  gatewayclasses: mustType('gateway.networking.k8s.io', 'gatewayclasses'),
  virtualservices: mustType('networking.istio.io', 'virtualservices'),
  destinationrules: mustType('networking.istio.io', 'destinationrules'),
  ingresses: mustType('networking.k8s.io', 'ingresses'),
  ingressclasses: mustType('networking.k8s.io', 'ingressclasses'),
};

export const CONTROLLER_MANAGER = 'kube-controller-manager';

/* eslint-disable @typescript-eslint/no-explicit-any -- controllers read loosely typed Kubernetes JSON */
export type Obj = KubeObject & Record<string, any>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerRefs(o: KubeObject): OwnerReference[] {
  return (o.metadata.ownerReferences as OwnerReference[] | undefined) ?? [];
}

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return ownerRefs(o).find((r) => r.controller);
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isPodReady(pod: Obj): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Ready for at least minReadySeconds. */
export function isPodAvailable(pod: Obj, minReadySeconds: number, now = Date.now()): boolean {
  const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (minReadySeconds <= 0) return true;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

export function isActive(pod: Obj): boolean {
  return (
    !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed'
  );
}

/** What the controllers share: the store, the REST semantics and an event recorder. */
export class Cluster {
  private recorded = new Map<string, string>();

  constructor(
    readonly store: Store,
    readonly api: ResourceApi,
  ) {}

  list(type: ResourceType, namespace?: string): Obj[] {
    return this.store.list(type, namespace) as Obj[];
  }

  get(type: ResourceType, namespace: string | undefined, name: string): Obj | undefined {
    return this.store.get(type, namespace, name) as Obj | undefined;
  }

  /** Writes `next` unless nothing but volatile fields differ from what is stored. */
  updateIfChanged(type: ResourceType, next: Obj): Obj {
    const current = this.store.get(type, next.metadata.namespace, next.metadata.name);
    if (!current) return next;
    const strip = (o: KubeObject): string =>
      JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
    if (strip(current) === strip(next)) return current as Obj;
    return this.store.update(type, {
      ...next,
      metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion },
    }) as Obj;
  }

  /** Records a core/v1 Event; a repeat of the same reason and message bumps its count. */
  event(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    const namespace = involved.metadata.namespace ?? 'default';
    const dedupe = `${involved.metadata.uid}|${reason}|${message}`;
    const now = timestamp();
    const existingName = this.recorded.get(dedupe);
    const existing = existingName
      ? (this.store.get(T.events, namespace, existingName) as Obj | undefined)
      : undefined;
    if (existing) {
      this.store.update(T.events, { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: now });
      return;
    }
    const name = `${involved.metadata.name}.${randomBytes(8).toString('hex')}`;
    const ns = this.store.get(T.namespaces, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    this.store.create(T.events, {
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component, ...(component === 'kubelet' ? { host: 'sandbox-node' } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? 'sandbox-node' : '',
    });
    this.recorded.set(dedupe, name);
  }
}
