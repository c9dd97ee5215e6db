import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerRunner, PodLogsError } from './container-runner.ts';
import type { ResolveRef } from './env.ts';
import { podSpec, podStatusField } from './pod-spec.ts';
import { buildPodStatus, kubeTime } from './pod-status.ts';
import type { PodCondition } from './pod-status.ts';
import type { Kubelet, KubeletOptions, KubeObject } from './types.ts';

export { PodLogsError } from './container-runner.ts';
export type { ResolveRef } from './env.ts';

export interface SandboxKubeletOptions extends KubeletOptions {
  /** Resolves configMapKeyRef/secretKeyRef and envFrom sources; without it they count as missing. */
  resolveRef?: ResolveRef;
  /** The node's address, reported as hostIP. Default 127.0.0.1. */
  hostIP?: string;
  /** The program every container that binds a port runs. Default: examples/demo-app/server.mjs. */
  appPath?: string;
  /**
   * The program a container that declares no ports and sets no PORT runs (a sidecar): binds nothing.
   * Default: test/sandbox/node/idle-container.mjs.
   */
  idlePath?: string;
}

const DEFAULT_APP = fileURLToPath(new URL('../../../examples/demo-app/server.mjs', import.meta.url));
const IDLE_CONTAINER = fileURLToPath(new URL('./idle-container.mjs', import.meta.url));
/** On stop(), containers get at most this long to exit on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 2000;

interface PodRecord {
  pod: KubeObject;
  startTime: string;
  runners: ContainerRunner[];
  conditions: PodCondition[];
  lastReported: string;
  removed: boolean;
}

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * The sandbox's node. The API server calls sync() for every version of a scheduled pod and remove()
 * once it is deleted (a deletionTimestamp alone changes nothing here). Simulation: whatever image a
 * container names, the kubelet runs the demo app (`node examples/demo-app/server.mjs`) as a real local
 * process with the container's environment, on the pod's IP (a 127.0.x.y address) and first container
 * port; a container that declares no ports and sets no PORT (a sidecar) runs a process that binds
 * nothing (`idle-container.mjs`). Image pulls only ask `imageExists`.
 * Everything else it reports (states, reasons, back-off, probes, restarts, events) follows the kubelet.
 */
export function createKubelet(options: SandboxKubeletOptions): Kubelet {
  const timeScale = options.timeScale ?? 1;
  const hostIP = options.hostIP ?? '127.0.0.1';
  const appPath = options.appPath ?? DEFAULT_APP;
  const idlePath = options.idlePath ?? IDLE_CONTAINER;
  const imageExists = options.imageExists ?? (async () => true);
  const presentImages = new Set<string>();
  const pods = new Map<string, PodRecord>();

  const report = (record: PodRecord) => {
    if (record.removed) return;
    const { pod } = record;
    const status = buildPodStatus({
      spec: podSpec(pod),
      hostIP,
      podIP: podStatusField(pod, 'podIP') ?? hostIP,
      startTime: record.startTime,
      containers: record.runners.map((runner) => runner.snapshot()),
      previousConditions: record.conditions,
      now: kubeTime(),
    });
    const serialized = JSON.stringify(status);
    if (serialized === record.lastReported) return;
    record.lastReported = serialized;
    record.conditions = status.conditions as PodCondition[];
    options.onStatus(pod.metadata.namespace ?? 'default', pod.metadata.name, status);
  };

  /** Registers the pod before reporting, so an onStatus handler that calls sync() again finds it. */
  const create = (key: string, pod: KubeObject): void => {
    const namespace = pod.metadata.namespace ?? 'default';
    const record: PodRecord = {
      pod,
      startTime: kubeTime(),
      runners: [],
      conditions: [],
      lastReported: '',
      removed: false,
    };
    const podDir = join(
      options.workDir,
      'pods',
      `${namespace}_${pod.metadata.name}_${pod.metadata.uid ?? ''}`,
    );
    record.runners = podSpec(pod).containers.map((container) => {
      const logDir = join(podDir, container.name);
      mkdirSync(logDir, { recursive: true });
      return new ContainerRunner(
        {
          pod: () => record.pod,
          timeScale,
          appPath,
          idlePath,
          logDir,
          imageExists,
          presentImages,
          resolveRef: options.resolveRef,
          event: (type, reason, message) =>
            options.onEvent({ namespace, podName: pod.metadata.name, type, reason, message }),
          changed: () => report(record),
        },
        container.name,
      );
    });
    pods.set(key, record);
    report(record);
    for (const runner of record.runners) runner.start();
  };

  const terminate = async (record: PodRecord, graceMs: number) => {
    record.removed = true;
    await Promise.all(record.runners.map((runner) => runner.terminate(graceMs)));
  };

  const graceOf = (pod: KubeObject) => (podSpec(pod).terminationGracePeriodSeconds ?? 30) * 1000 * timeScale;

  return {
    sync(pod) {
      const key = keyOf(pod.metadata.namespace ?? 'default', pod.metadata.name);
      const existing = pods.get(key);
      if (existing && existing.pod.metadata.uid === pod.metadata.uid) {
        existing.pod = pod;
        for (const runner of existing.runners) runner.update();
        report(existing);
        return;
      }
      if (existing) void terminate(existing, graceOf(existing.pod));
      create(key, pod);
    },

    async remove(namespace, name) {
      const record = pods.get(keyOf(namespace, name));
      if (!record) return;
      pods.delete(keyOf(namespace, name));
      await terminate(record, graceOf(record.pod));
    },

    logs(namespace, name, logOptions = {}) {
      const record = pods.get(keyOf(namespace, name));
      if (!record) throw new PodLogsError(404, `pods "${name}" not found`);
      const runner = logOptions.container
        ? record.runners.find((candidate) => candidate.name === logOptions.container)
        : record.runners[0];
      if (!runner) {
        throw new PodLogsError(400, `container ${logOptions.container ?? ''} is not valid for pod ${name}`);
      }
      return runner.readLogs(logOptions.previous ?? false, logOptions.tailLines);
    },

    async stop() {
      const records = [...pods.values()];
      pods.clear();
      await Promise.all(
        records.map((record) => terminate(record, Math.min(graceOf(record.pod), STOP_GRACE_MS))),
      );
    },
  };
}
