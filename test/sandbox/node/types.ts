import type { HttpRouter } from '../routing/table.ts';

/**
 * The contract between the sandbox's API server/controllers (test/sandbox/apiserver, controllers)
 * and its "node" side (test/sandbox/node): processes that play pods, the listeners that play
 * Services and Gateways, the Prometheus targets file and the traffic generator.
 *
 * Objects are plain Kubernetes JSON (as stored by the API server), typed loosely on purpose.
 */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
};

/** A Kubernetes-shaped event the node side wants recorded (Pulling, Pulled, BackOff, Failed, Killing, Unhealthy …). */
export interface NodeEvent {
  namespace: string;
  podName: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface KubeletOptions {
  /** Directory for pod logs and scratch files. */
  workDir: string;
  /** Called whenever a pod's status changes; `status` is a complete v1 PodStatus object. */
  onStatus(namespace: string, name: string, status: Record<string, unknown>): void;
  onEvent(event: NodeEvent): void;
  /**
   * Decides whether an image can be pulled. Default: every image is present. The sandbox wires
   * this to a local OCI registry (HEAD /v2/<repo>/manifests/<ref>) for images on its host, and to a
   * list of "known" images otherwise.
   */
  imageExists?(image: string): Promise<boolean>;
  /** Multiplies every Kubernetes delay (probe periods, crash back-off 10s→5m) to keep tests fast. Default 1. */
  timeScale?: number;
}

export interface Kubelet {
  /** Starts the pod's process if it is not running; called again after every update of the pod. */
  sync(pod: KubeObject): void;
  /** Stops the pod's process (SIGTERM, then SIGKILL after the grace period) and forgets it. */
  remove(namespace: string, name: string): Promise<void>;
  /** Log text of a pod's container (current or previous instance), optionally only the last lines. */
  logs(
    namespace: string,
    name: string,
    options?: { container?: string; tailLines?: number; previous?: boolean },
  ): string;
  /** Stops every process this kubelet started. */
  stop(): Promise<void>;
}

export interface Backend {
  host: string;
  port: number;
}

/**
 * A real loopback listener playing a Service (kube-proxy: a random endpoint per connection) or an L7
 * proxy (Gateway, mesh sidecar, ingress controller: every request routed on its own).
 */
export interface TrafficProxy {
  readonly host: string;
  readonly port: number;
  /** L7: requests spread over the groups by weight, round-robin within a group. */
  setBackendGroups(groups: Array<{ weight: number; backends: Backend[] }>): void;
  /** L7: every request routed by `router`. */
  setRouter(router: HttpRouter): void;
  /**
   * L4, as kube-proxy: each new connection to a random endpoint, kept for the connection's life. With
   * `clientIPAffinitySeconds` (Service sessionAffinity ClientIP), a client's connections keep going to
   * the endpoint its first one got, until it idles that long or leaves the list.
   */
  setConnectionBackends(backends: Backend[], options?: { clientIPAffinitySeconds?: number }): void;
  close(): Promise<void>;
}
