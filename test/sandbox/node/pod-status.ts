import type { PodSpec } from './pod-spec.ts';

export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}

/** A v1 ContainerState: exactly one of the three is set (or none, for an empty lastState). */
export interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: TerminatedState;
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface PodStatusInput {
  spec: PodSpec;
  hostIP: string;
  podIP: string;
  startTime: string;
  containers: ContainerStatus[];
  /** Conditions of the previous status, to keep lastTransitionTime while a condition holds. */
  previousConditions: PodCondition[];
  now: string;
}

/** Kubernetes timestamps have second precision: 2024-05-01T12:00:00Z. */
export function kubeTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hasQuantity(map: Record<string, string> | undefined, resource: string): boolean {
  return map?.[resource] !== undefined && map[resource] !== '0';
}

/** The pod's QoS class, by the rules of the Kubernetes docs ("Pod Quality of Service Classes"). */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const resources = spec.containers.map((container) => container.resources ?? {});
  const any = resources.some((r) =>
    ['cpu', 'memory'].some((name) => hasQuantity(r.requests, name) || hasQuantity(r.limits, name)),
  );
  if (!any) return 'BestEffort';
  const guaranteed = resources.every((r) =>
    ['cpu', 'memory'].every((name) => {
      const limit = r.limits?.[name];
      const request = r.requests?.[name] ?? limit;
      return hasQuantity(r.limits, name) && request === limit;
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Pending until a container has run; Succeeded/Failed once all have terminated for good; else Running. */
export function podPhase(containers: ContainerStatus[]): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  if (containers.length > 0 && containers.every((c) => c.state.terminated)) {
    return containers.every((c) => c.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  const hasRun = (c: ContainerStatus) =>
    Boolean(c.state.running || c.state.terminated || c.lastState.terminated);
  return containers.some(hasRun) ? 'Running' : 'Pending';
}

function condition(
  type: string,
  isTrue: boolean,
  previous: PodCondition[],
  now: string,
  why?: { reason: string; message?: string },
): PodCondition {
  const status = isTrue ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, lastProbeTime: null, lastTransitionTime, ...(isTrue ? {} : why) };
}

/** A complete v1 PodStatus for a pod whose containers are in the given states. */
export function buildPodStatus(input: PodStatusInput): Record<string, unknown> {
  const { containers, previousConditions: previous, now } = input;
  const phase = podPhase(containers);
  const unready = containers.filter((c) => !c.ready).map((c) => c.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const notReady = completed
    ? { reason: 'PodCompleted' }
    : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const ready = unready.length === 0 && !completed;
  return {
    phase,
    conditions: [
      condition('Initialized', true, previous, now),
      condition('Ready', ready, previous, now, notReady),
      condition('ContainersReady', ready, previous, now, notReady),
      condition('PodScheduled', true, previous, now),
    ],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: input.startTime,
    containerStatuses: containers,
    qosClass: qosClass(input.spec),
  };
}
