import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../node/types.ts';
import type { ResourceType } from './resources.ts';
import { apiVersionOf } from './resources.ts';
import { errors } from './status.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before a MODIFIED event, so watches with selectors can turn it into ADDED/DELETED. */
  old?: KubeObject;
}

const HISTORY = 5000;

/** Kubernetes timestamps: RFC 3339 with second precision. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A copy of a stored object as the given version of its resource presents it. The sandbox serves
 * several versions only where their schemas are identical (Istio's v1 and v1beta1), so converting
 * is renaming the apiVersion, as the API server's no-op conversion of a multi-version CRD does.
 */
function asVersion(resource: ResourceType, object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  copy.apiVersion = apiVersionOf(resource);
  return copy;
}

function key(resource: ResourceType, namespace: string | undefined, name: string): string {
  return `${resource.group}|${resource.plural}|${namespace ?? ''}|${name}`;
}

/**
 * The sandbox's etcd: objects by resource, namespace and name, one global resourceVersion counter,
 * and a bounded event history so watches can resume from a resourceVersion.
 */
export class Store {
  private objects = new Map<string, KubeObject>();
  private resourceOf = new Map<string, ResourceType>();
  private history: StoreEvent[] = [];
  private listeners = new Set<(event: StoreEvent) => void>();
  private revision = 1;

  get resourceVersion(): number {
    return this.revision;
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(key(resource, namespace, name));
    return found ? asVersion(resource, found) : undefined;
  }

  list(resource: ResourceType, namespace?: string): KubeObject[] {
    const prefix = `${resource.group}|${resource.plural}|`;
    const out: KubeObject[] = [];
    for (const [k, object] of this.objects) {
      if (!k.startsWith(prefix)) continue;
      if (namespace !== undefined && object.metadata.namespace !== namespace) continue;
      out.push(asVersion(resource, object));
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  /** Every object of every type (for garbage collection). */
  all(): Array<{ resource: ResourceType; object: KubeObject }> {
    return this.allEntries.map(([resource, object]) => ({ resource, object: structuredClone(object) }));
  }

  private get allEntries(): Array<[ResourceType, KubeObject]> {
    return [...this.objects].map(([k, o]) => [this.resourceOf.get(k)!, o]);
  }

  create(resource: ResourceType, object: KubeObject): KubeObject {
    const k = key(resource, object.metadata.namespace, object.metadata.name);
    if (this.objects.has(k)) throw errors.alreadyExists(resource, object.metadata.name);
    const stored = structuredClone(object);
    stored.apiVersion = apiVersionOf(resource);
    stored.kind = resource.kind;
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= timestamp();
    if (stored.metadata.generation === undefined && 'spec' in stored) stored.metadata.generation = 1;
    this.stamp(stored);
    this.objects.set(k, stored);
    this.resourceOf.set(k, resource);
    this.emit({ rv: this.revision, type: 'ADDED', resource, object: structuredClone(stored) });
    return asVersion(resource, stored);
  }

  /** Replaces an existing object; the caller has already merged, defaulted and checked preconditions. */
  update(resource: ResourceType, object: KubeObject): KubeObject {
    const k = key(resource, object.metadata.namespace, object.metadata.name);
    const old = this.objects.get(k);
    if (!old) throw errors.notFound(resource, object.metadata.name);
    const stored = structuredClone(object);
    stored.apiVersion = apiVersionOf(resource);
    stored.kind = resource.kind;
    stored.metadata.uid = old.metadata.uid;
    stored.metadata.creationTimestamp = old.metadata.creationTimestamp;
    this.stamp(stored);
    this.objects.set(k, stored);
    this.emit({
      rv: this.revision,
      type: 'MODIFIED',
      resource,
      object: structuredClone(stored),
      old: structuredClone(old),
    });
    return asVersion(resource, stored);
  }

  remove(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = key(resource, namespace, name);
    const old = this.objects.get(k);
    if (!old) return undefined;
    this.objects.delete(k);
    this.resourceOf.delete(k);
    const gone = structuredClone(old);
    this.stamp(gone);
    this.emit({ rv: this.revision, type: 'DELETED', resource, object: structuredClone(gone) });
    return gone;
  }

  /** Events after `fromRv` still in the history; throws 410 Expired when they have been compacted away. */
  eventsSince(fromRv: number): StoreEvent[] {
    const oldest = this.history[0];
    if (oldest && fromRv < oldest.rv - 1 && this.history.length >= HISTORY) {
      throw errors.gone(`too old resource version: ${fromRv} (${oldest.rv - 1})`);
    }
    return this.history.filter((e) => e.rv > fromRv);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private stamp(object: KubeObject): void {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.shift();
    for (const listener of [...this.listeners]) listener(event);
  }
}
