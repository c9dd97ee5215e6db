import type { Kubelet, NodeEvent } from '../node/types.ts';
import { timestamp } from '../apiserver/store.ts';
import type { Cluster, Obj } from './cluster.ts';
import { T } from './cluster.ts';

export const NODE_NAME = 'sandbox-node';
export const HOST_IP = '127.0.0.1';

/**
 * Hands out distinct loopback addresses, 127.N.x.y, so every pod listens on its real containerPort. Each
 * sandbox takes its own random N (1–254; Linux routes all of 127.0.0.0/8 to the loopback device), so
 * sandboxes in parallel test processes meet only when they draw the same N (1 in 254 per pair), not
 * whenever their address ranges cross (a pod could not bind the address another process's pod held).
 */
export class PodIpAllocator {
  private readonly block: number;
  private next = 256;
  constructor(random = Math.random) {
    this.block = 1 + Math.floor(random() * 254);
  }
  allocate(): string {
    this.next += 1;
    if (this.next % 256 === 0 || this.next % 256 === 255) this.next += 2;
    if (this.next >= 65535) this.next = 257;
    return `127.${this.block}.${Math.floor(this.next / 256)}.${this.next % 256}`;
  }
}

/** The scheduler (binds every pod to the one node and gives it an IP) and the bridge to the kubelet. */
export class PodController {
  private synced = new Map<string, string>();
  private terminating = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly kubelet: Kubelet,
    private readonly ips: PodIpAllocator,
  ) {}

  syncAll(): void {
    const live = new Set<string>();
    for (const pod of this.cluster.list(T.pods)) {
      live.add(pod.metadata.uid!);
      if (pod.metadata.deletionTimestamp) this.terminate(pod);
      else if (!pod.spec.nodeName) this.bind(pod);
      else this.sync(pod);
    }
    for (const uid of this.synced.keys()) if (!live.has(uid)) this.synced.delete(uid);
  }

  private bind(pod: Obj): void {
    const podIP = pod.status?.podIP ?? this.ips.allocate();
    const now = timestamp();
    const next = structuredClone(pod);
    next.spec.nodeName = NODE_NAME;
    next.status = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }],
      hostIP: HOST_IP,
      hostIPs: [{ ip: HOST_IP }],
      podIP,
      podIPs: [{ ip: podIP }],
      qosClass: 'BestEffort',
    };
    this.cluster.event(
      next,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${NODE_NAME}`,
      'default-scheduler',
    );
    this.sync(this.cluster.updateIfChanged(T.pods, next));
  }

  /** kubelet.sync after every change of the pod's spec or metadata (its own status reports excluded). */
  private sync(pod: Obj): void {
    const fingerprint = JSON.stringify([pod.metadata.labels, pod.metadata.annotations, pod.spec]);
    if (this.synced.get(pod.metadata.uid!) === fingerprint) return;
    this.synced.set(pod.metadata.uid!, fingerprint);
    this.kubelet.sync(pod);
  }

  private terminate(pod: Obj): void {
    const uid = pod.metadata.uid!;
    if (this.terminating.has(uid)) return;
    this.terminating.add(uid);
    const { namespace = '', name } = pod.metadata;
    void this.kubelet
      .remove(namespace, name)
      .catch(() => undefined)
      .then(() => {
        this.terminating.delete(uid);
        const current = this.cluster.get(T.pods, namespace, name);
        if (current?.metadata.uid === uid) this.cluster.store.remove(T.pods, namespace, name);
      });
  }

  /** The kubelet's status report: the complete PodStatus, keeping what the scheduler assigned. */
  onStatus(namespace: string, name: string, status: Record<string, unknown>): void {
    const pod = this.cluster.get(T.pods, namespace, name);
    if (!pod) return;
    const assigned = {
      hostIP: pod.status?.hostIP,
      hostIPs: pod.status?.hostIPs,
      podIP: pod.status?.podIP,
      podIPs: pod.status?.podIPs,
    };
    const merged: Record<string, unknown> = { ...status };
    for (const [k, v] of Object.entries(assigned))
      if (merged[k] === undefined && v !== undefined) merged[k] = v;
    this.cluster.updateIfChanged(T.pods, { ...pod, status: merged });
  }

  onEvent(event: NodeEvent): void {
    const pod = this.cluster.get(T.pods, event.namespace, event.podName);
    if (pod) this.cluster.event(pod, event.type, event.reason, event.message, 'kubelet');
  }
}
