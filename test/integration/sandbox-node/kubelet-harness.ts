import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubelet } from '../../sandbox/node/kubelet.ts';
import type { SandboxKubeletOptions } from '../../sandbox/node/kubelet.ts';
import type { ContainerSpec, PodSpec } from '../../sandbox/node/pod-spec.ts';
import type { ContainerStatus, PodCondition } from '../../sandbox/node/pod-status.ts';
import type { Kubelet, KubeObject, NodeEvent } from '../../sandbox/node/types.ts';
import { freePort, waitFor } from './helpers.ts';

export const TIME_SCALE = 0.05;

export interface Harness {
  kubelet: Kubelet;
  statuses: Array<{ name: string; status: Record<string, unknown> }>;
  events: NodeEvent[];
  /** The latest status reported for the pod. */
  status(name: string): Record<string, unknown> | undefined;
  container(name: string): ContainerStatus | undefined;
  waitForContainer(
    name: string,
    what: string,
    check: (status: ContainerStatus) => boolean,
  ): Promise<ContainerStatus>;
  eventsOf(name: string): string[];
  close(): Promise<void>;
}

/** A kubelet with a scratch work dir, recording every status and event it reports. */
export async function startKubelet(options: Partial<SandboxKubeletOptions> = {}): Promise<Harness> {
  const workDir = await mkdtemp(join(tmpdir(), 'kubelet-test-'));
  const statuses: Harness['statuses'] = [];
  const events: NodeEvent[] = [];
  const kubelet = createKubelet({
    workDir,
    timeScale: TIME_SCALE,
    onStatus: (_namespace, name, status) => statuses.push({ name, status }),
    onEvent: (event) => events.push(event),
    ...options,
  });
  const status = (name: string) => statuses.findLast((entry) => entry.name === name)?.status;
  const container = (name: string) => (status(name)?.containerStatuses as ContainerStatus[] | undefined)?.[0];
  return {
    kubelet,
    statuses,
    events,
    status,
    container,
    waitForContainer: (name, what, check) =>
      waitFor(`${name}: ${what} (last status ${JSON.stringify(container(name))})`, () => {
        const current = container(name);
        return current && check(current) ? current : undefined;
      }),
    eventsOf: (name) =>
      events.filter((event) => event.podName === name).map((event) => `${event.reason}: ${event.message}`),
    async close() {
      await kubelet.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** A pod as the API server hands it to the node: scheduled, with its IP set; port is a free one. */
export async function makePod(
  name: string,
  container: Partial<ContainerSpec> = {},
  spec: Partial<PodSpec> = {},
): Promise<KubeObject & { port: number }> {
  const port = await freePort();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    port,
    metadata: { name, namespace: 'demo', uid: randomUUID(), labels: { app: 'web', track: 'canary' } },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      ...spec,
      containers: [
        {
          name: 'app',
          image: 'registry.local/web:1.0.0',
          ports: [{ name: 'http', containerPort: port }],
          ...container,
        },
      ],
    },
    status: { podIP: '127.0.0.1' },
  };
}

export const pidIn = (logs: string): number | undefined => {
  const pid = /pid (\d+)/.exec(logs)?.[1];
  return pid === undefined ? undefined : Number(pid);
};

export const condition = (status: Record<string, unknown> | undefined, type: string) =>
  (status?.conditions as PodCondition[] | undefined)?.find((c) => c.type === type);

/** Runs `body` with a fresh kubelet and stops it (and every pod process) afterwards, also on failure. */
export async function withKubelet(
  options: Partial<SandboxKubeletOptions>,
  body: (harness: Harness) => Promise<void>,
): Promise<void> {
  const harness = await startKubelet(options);
  try {
    await body(harness);
  } finally {
    await harness.close();
  }
}
