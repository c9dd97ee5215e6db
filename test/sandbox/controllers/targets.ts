/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
import type { Cluster, Obj } from './cluster.ts';
import { T, isPodReady } from './cluster.ts';

export interface ScrapeTarget {
  ip: string;
  port: number;
  labels: Record<string, string>;
}

export type WriteTargets = (file: string, targets: ScrapeTarget[]) => Promise<void>;

/** The port Prometheus scrapes: a containerPort named metrics, else http, else the first one. */
function metricsPort(pod: Obj): number | undefined {
  const ports: any[] = (pod.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []);
  return (ports.find((p) => p.name === 'metrics') ?? ports.find((p) => p.name === 'http') ?? ports[0])
    ?.containerPort;
}

/** Rewrites the file_sd targets file whenever the set of ready pods (or their labels) changes. */
export class TargetsController {
  private written = '';
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly cluster: Cluster,
    private readonly file: string,
    private readonly write: WriteTargets,
  ) {}

  syncAll(): void {
    const targets: ScrapeTarget[] = this.cluster
      .list(T.pods)
      .filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp && p.status?.podIP && metricsPort(p))
      .map((p) => ({
        ip: p.status.podIP,
        port: metricsPort(p)!,
        labels: { ...p.metadata.labels, namespace: p.metadata.namespace!, pod: p.metadata.name },
      }));
    const serialized = JSON.stringify(targets);
    if (serialized === this.written) return;
    this.written = serialized;
    this.writing = this.writing.then(() => this.write(this.file, targets)).catch(() => undefined);
  }

  /** Resolves once every write scheduled so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }
}
