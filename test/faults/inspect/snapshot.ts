/**
 * What a namespace holds, object by object, read straight from the sandbox's store (the harness runs
 * the sandbox in-process): kind, name, resourceVersion, generation, images, labels, annotations and a
 * digest of the content a user or the tool writes (spec, data, a Lease's holder …; never status). Two
 * snapshots differ when an object appeared or disappeared, or when anything but its resourceVersion and
 * status changed — that is "something changed". Pods, ReplicaSets, Endpoints and Events follow from the
 * Deployments and Services and churn on their own, so they are left out.
 */
import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, type ResourceType } from '../../sandbox/apiserver/resources.ts';
import type { Store } from '../../sandbox/apiserver/store.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are loosely typed JSON */

const DERIVED = new Set(['pods', 'replicasets', 'endpoints', 'events']);

/** The namespaced kinds a snapshot covers. */
export const SNAPSHOT_TYPES: readonly ResourceType[] = RESOURCE_TYPES.filter(
  (type) => type.namespaced && !type.createOnly && !DERIVED.has(type.plural),
);

export interface ObjectState {
  kind: string;
  name: string;
  resourceVersion: string;
  generation?: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Container images of a workload's pod template, `name=image`. */
  images?: string[];
  /** sha256 of everything but metadata.resourceVersion/managedFields and status. */
  content: string;
  object: any;
}

/** `Kind/name` → state. */
export type Snapshot = Map<string, ObjectState>;

export const keyOf = (kind: string, name: string) => `${kind}/${name}`;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  return value;
}

export function stateOf(object: any): ObjectState {
  const { status: _status, ...rest } = object;
  const { resourceVersion, managedFields: _managed, ...metadata } = object.metadata ?? {};
  const content = createHash('sha256')
    .update(JSON.stringify(stable({ ...rest, metadata })))
    .digest('hex')
    .slice(0, 16);
  const containers: any[] | undefined = object.spec?.template?.spec?.containers;
  return {
    kind: object.kind,
    name: object.metadata.name,
    resourceVersion: String(resourceVersion ?? ''),
    ...(object.metadata.generation !== undefined ? { generation: object.metadata.generation } : {}),
    labels: { ...(object.metadata.labels ?? {}) },
    annotations: { ...(object.metadata.annotations ?? {}) },
    ...(Array.isArray(containers) ? { images: containers.map((c) => `${c?.name}=${c?.image}`) } : {}),
    content,
    object,
  };
}

export function snapshot(store: Store, namespace: string): Snapshot {
  const out: Snapshot = new Map();
  for (const type of SNAPSHOT_TYPES) {
    for (const object of store.list(type, namespace) as any[]) {
      out.set(keyOf(type.kind, object.metadata.name), stateOf({ ...object, kind: type.kind }));
    }
  }
  return out;
}

export interface Change {
  key: string;
  what: 'added' | 'removed' | 'changed';
  detail: string;
}

function describeChange(before: ObjectState, after: ObjectState): string {
  const parts: string[] = [];
  if (JSON.stringify(before.images) !== JSON.stringify(after.images))
    parts.push(`images ${before.images?.join(',')} → ${after.images?.join(',')}`);
  if (before.generation !== after.generation)
    parts.push(`generation ${before.generation} → ${after.generation}`);
  for (const field of ['labels', 'annotations'] as const) {
    const keys = new Set([...Object.keys(before[field]), ...Object.keys(after[field])]);
    const changed = [...keys].filter((k) => before[field][k] !== after[field][k]);
    if (changed.length > 0) parts.push(`${field} ${changed.join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'content';
}

/** Objects added, removed or changed (content, not resourceVersion or status) from `before` to `after`. */
export function diff(before: Snapshot, after: Snapshot): Change[] {
  const changes: Change[] = [];
  for (const [key, state] of after) {
    const old = before.get(key);
    if (!old) changes.push({ key, what: 'added', detail: state.images?.join(',') ?? '' });
    else if (old.content !== state.content)
      changes.push({ key, what: 'changed', detail: describeChange(old, state) });
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push({ key, what: 'removed', detail: '' });
  return changes;
}

export const describeChanges = (changes: readonly Change[]) =>
  changes.map((c) => `${c.key} ${c.what}${c.detail ? ` (${c.detail})` : ''}`).join('; ');

/**
 * Calls `onChange` with the first change in `namespace` relative to `baseline`, as the store sees it
 * (synchronously, on the write that made it). Returns the unsubscribe function.
 */
export function watchChanges(
  store: Store,
  namespace: string,
  baseline: Snapshot,
  onChange: (change: Change) => void,
): () => void {
  let fired = false;
  const kinds = new Set(SNAPSHOT_TYPES.map((t) => `${t.group}/${t.plural}`));
  const unsubscribe = store.subscribe((event) => {
    if (fired || event.object.metadata.namespace !== namespace) return;
    if (!kinds.has(`${event.resource.group}/${event.resource.plural}`)) return;
    const key = keyOf(event.resource.kind, event.object.metadata.name);
    const old = baseline.get(key);
    let change: Change | undefined;
    if (event.type === 'DELETED') {
      if (old) change = { key, what: 'removed', detail: '' };
    } else {
      const now = stateOf({ ...event.object, kind: event.resource.kind });
      if (!old) change = { key, what: 'added', detail: now.images?.join(',') ?? '' };
      else if (old.content !== now.content)
        change = { key, what: 'changed', detail: describeChange(old, now) };
    }
    if (change) {
      fired = true;
      onChange(change);
    }
  });
  return unsubscribe;
}
