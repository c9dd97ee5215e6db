import type { KubeObject } from './types.ts';

/** The parts of a v1 Pod spec the simulated node reads, typed loosely as the API server stores them. */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Probe {
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: string;
    httpHeaders?: Array<{ name: string; value: string }>;
  };
  tcpSocket?: { port: number | string; host?: string };
  exec?: unknown;
  grpc?: unknown;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    resourceFieldRef?: unknown;
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerSpec {
  name: string;
  image: string;
  imagePullPolicy?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface PodSpec {
  containers: ContainerSpec[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  nodeName?: string;
  serviceAccountName?: string;
}

export function podSpec(pod: KubeObject): PodSpec {
  const spec = (pod.spec ?? {}) as Partial<PodSpec>;
  return { ...spec, containers: Array.isArray(spec.containers) ? spec.containers : [] };
}

export function podStatusField(pod: KubeObject, field: string): string | undefined {
  const value = (pod.status as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** The port the demo app listens on: the container's first port, 8080 when it declares none. */
export function appPort(container: ContainerSpec): number {
  return container.ports?.[0]?.containerPort ?? 8080;
}

/**
 * The port a container's process binds on the pod IP, or undefined when it binds none: its first
 * declared port, else the PORT its own env sets. A container that declares no ports and sets no PORT
 * (a sidecar) runs a process that binds nothing, so it cannot take the app container's port.
 */
export function boundPort(container: ContainerSpec, ownEnv: Record<string, string>): number | undefined {
  const declared = container.ports?.[0]?.containerPort;
  if (declared !== undefined) return declared;
  const fromEnv = ownEnv.PORT;
  return fromEnv !== undefined && /^\d+$/.test(fromEnv.trim()) ? Number(fromEnv) : undefined;
}

/** Kubernetes' default pull policy: Always for `:latest` or untagged images, IfNotPresent otherwise. */
export function pullPolicy(container: ContainerSpec): string {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  if (container.image.includes('@')) return 'IfNotPresent';
  const tag = /:([^/:]+)$/.exec(container.image)?.[1];
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}
