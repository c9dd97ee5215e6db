import type { KubeObject } from '../node/types.ts';
import { isObject, itemKey, mergeKeyOf, strategicMergePatch } from './patch.ts';
import { timestamp } from './store.ts';

/**
 * Field ownership for server-side apply, simplified from structured-merge-diff: a field set is a set
 * of paths whose elements are `f:<field>` and `k:<key json>` (list items with a merge key, see
 * `mergeKeyOf`). Every other list is atomic: owned and compared as one value. Sets of scalars
 * (`v:` elements) are treated as atomic lists too.
 */
type Path = string[];
type FieldSet = Set<string>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ApplyConflict {
  manager: string;
  path: string;
}

const IGNORED_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
];

function keyElement(item: unknown, keys: string[]): string {
  const o = isObject(item) ? item : {};
  const entries = keys.map((k) => [k, k === 'protocol' ? (o[k] ?? 'TCP') : o[k]]);
  return `k:${JSON.stringify(Object.fromEntries(entries))}`;
}

function collect(value: unknown, path: Path, out: FieldSet): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) collect(v, [...path, `f:${k}`], out);
    return;
  }
  const field = path[path.length - 1]?.slice(2) ?? '';
  const keys = Array.isArray(value) ? mergeKeyOf(field, value) : undefined;
  if (Array.isArray(value) && keys && value.length > 0) {
    for (const item of value) {
      const itemPath = [...path, keyElement(item, keys)];
      out.add(JSON.stringify(itemPath));
      collect(item, itemPath, out);
    }
    return;
  }
  out.add(JSON.stringify(path));
}

/** The fields an object sets, leaving out what the server owns (identity, status of the main resource). */
export function fieldSetOf(object: KubeObject, subresource?: string): FieldSet {
  const out: FieldSet = new Set();
  const copy: Record<string, unknown> = structuredClone(object);
  delete copy.apiVersion;
  delete copy.kind;
  if (subresource === 'status') {
    collect({ status: copy.status }, [], out);
    return out;
  }
  delete copy.status;
  const metadata = { ...(copy.metadata as Record<string, unknown>) };
  for (const k of IGNORED_METADATA) delete metadata[k];
  if (Object.keys(metadata).length > 0) copy.metadata = metadata;
  else delete copy.metadata;
  collect(copy, [], out);
  return out;
}

export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const encoded of set) {
    const path = JSON.parse(encoded) as Path;
    let node = tree;
    for (const element of path) node = (node[element] ??= {}) as Record<string, unknown>;
    if (path[path.length - 1]?.startsWith('k:')) node['.'] = {};
  }
  return tree;
}

export function fromFieldsV1(
  tree: Record<string, unknown>,
  path: Path = [],
  out: FieldSet = new Set(),
): FieldSet {
  for (const [k, child] of Object.entries(tree)) {
    if (k === '.') {
      out.add(JSON.stringify(path));
      continue;
    }
    const c = isObject(child) ? child : {};
    if (Object.keys(c).length === 0) out.add(JSON.stringify([...path, k]));
    else fromFieldsV1(c, [...path, k], out);
  }
  return out;
}

function step(node: unknown, element: string): unknown {
  if (element.startsWith('f:')) return isObject(node) ? node[element.slice(2)] : undefined;
  if (!Array.isArray(node)) return undefined;
  const wanted = JSON.parse(element.slice(2)) as Record<string, unknown>;
  const keys = Object.keys(wanted);
  return node.find((item) => itemKey(item, keys) === itemKey(wanted, keys));
}

function valueAt(object: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, element) => step(node, element), object);
}

function removeAt(object: unknown, path: Path): void {
  const parent = valueAt(object, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!last) return;
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  if (last.startsWith('k:') && Array.isArray(parent)) {
    const item = step(parent, last);
    const index = parent.indexOf(item);
    if (index >= 0) parent.splice(index, 1);
  }
}

/** Go drops empty maps (omitempty): a map left empty by a removal goes too. */
function pruneEmptyParents(object: unknown, path: Path): void {
  for (let depth = path.length - 1; depth > 0; depth -= 1) {
    const node = valueAt(object, path.slice(0, depth));
    if (!isObject(node) || Object.keys(node).length > 0 || !path[depth - 1]!.startsWith('f:')) return;
    removeAt(object, path.slice(0, depth));
  }
}

/** `.spec.template.spec.containers[name="web"].image`, as apply conflict messages print paths. */
export function printPath(encoded: string): string {
  return (JSON.parse(encoded) as Path)
    .map((element) => {
      if (element.startsWith('f:')) return `.${element.slice(2)}`;
      const key = JSON.parse(element.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

function entriesOf(object: KubeObject): ManagedFieldsEntry[] {
  return (object.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
}

function sameEntry(e: ManagedFieldsEntry, manager: string, operation: string, subresource?: string): boolean {
  return e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');
}

function withEntry(
  entries: ManagedFieldsEntry[],
  entry: Omit<ManagedFieldsEntry, 'fieldsV1' | 'time' | 'fieldsType'>,
  set: FieldSet,
): ManagedFieldsEntry[] {
  const rest = entries.filter((e) => !sameEntry(e, entry.manager, entry.operation, entry.subresource));
  if (set.size === 0) return rest;
  return [
    ...rest,
    {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      time: timestamp(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(set),
      ...(entry.subresource ? { subresource: entry.subresource } : {}),
    },
  ];
}

function withoutFields(entries: ManagedFieldsEntry[], taken: FieldSet): ManagedFieldsEntry[] {
  return entries.flatMap((e) => {
    const set = fromFieldsV1(e.fieldsV1);
    for (const p of taken) set.delete(p);
    return set.size === 0 ? [] : [{ ...e, fieldsV1: toFieldsV1(set) }];
  });
}

/** managedFields after a create, update or patch by `manager`: it takes every field it changed. */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  apiVersion: string,
  subresource?: string,
): ManagedFieldsEntry[] {
  const before = old ? fieldSetOf(old, subresource) : new Set<string>();
  const after = fieldSetOf(next, subresource);
  const changed = new Set<string>();
  for (const p of after) {
    const path = JSON.parse(p) as Path;
    if (!before.has(p) || JSON.stringify(valueAt(old, path)) !== JSON.stringify(valueAt(next, path)))
      changed.add(p);
  }
  const removed = [...before].filter((p) => !after.has(p));
  let entries = withoutFields(old ? entriesOf(old) : [], new Set([...changed, ...removed]));
  const mine = entries.find((e) => sameEntry(e, manager, 'Update', subresource));
  const owned = mine ? fromFieldsV1(mine.fieldsV1) : new Set<string>();
  for (const p of changed) owned.add(p);
  entries = withEntry(entries, { manager, operation: 'Update', apiVersion, subresource }, owned);
  return entries;
}

/**
 * Server-side apply of `applied` over `live` by `manager`. Returns the merged object (managedFields
 * set) or the conflicts: fields in the applied configuration that another manager owns with a
 * different value. With `force`, the applier takes those fields over.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  apiVersion: string,
): { object: KubeObject; conflicts: ApplyConflict[] } {
  const appliedSet = fieldSetOf(applied);
  const entries = live ? entriesOf(live) : [];
  const conflicts: ApplyConflict[] = [];
  const others = entries.filter((e) => !sameEntry(e, manager, 'Apply'));
  for (const e of others) {
    const set = fromFieldsV1(e.fieldsV1);
    for (const p of appliedSet) {
      if (!set.has(p)) continue;
      const path = JSON.parse(p) as Path;
      if (path[path.length - 1]?.startsWith('k:')) continue;
      if (JSON.stringify(valueAt(live, path)) !== JSON.stringify(valueAt(applied, path))) {
        conflicts.push({ manager: managerKey(e), path: p });
      }
    }
  }
  if (conflicts.length > 0 && !force) return { object: live!, conflicts };

  const merged = structuredClone(live ?? { metadata: { name: applied.metadata.name } }) as KubeObject;
  const previous = entries.find((e) => sameEntry(e, manager, 'Apply'));
  if (previous) {
    const ownedByOthers = new Set(others.flatMap((e) => [...fromFieldsV1(e.fieldsV1)]));
    const dropped = [...fromFieldsV1(previous.fieldsV1)].filter(
      (p) => !appliedSet.has(p) && !ownedByOthers.has(p),
    );
    for (const p of dropped.sort((a, b) => b.length - a.length)) {
      const path = JSON.parse(p) as Path;
      removeAt(merged, path);
      pruneEmptyParents(merged, path);
    }
  }
  const { status: _status, ...appliedWithoutStatus } = applied;
  const result = strategicMergePatch(merged, appliedWithoutStatus) as KubeObject;
  const taken = force ? new Set(conflicts.map((c) => c.path)) : new Set<string>();
  let managed = withoutFields(others, taken);
  managed = [
    ...withEntry(
      entries.filter((e) => sameEntry(e, manager, 'Apply')),
      { manager, operation: 'Apply', apiVersion },
      appliedSet,
    ),
    ...managed,
  ];
  result.metadata.managedFields = managed;
  return { object: result, conflicts: [] };
}

/** structured-merge-diff names managers by a JSON identity; conflict messages sort by it. */
function managerKey(e: ManagedFieldsEntry): string {
  return JSON.stringify(
    e.operation === 'Update'
      ? { manager: e.manager, operation: 'Update', apiVersion: e.apiVersion }
      : { manager: e.manager, operation: 'Apply' },
  );
}

function printManager(key: string): string {
  const e = JSON.parse(key) as { manager: string; operation: string; apiVersion?: string };
  return e.operation === 'Update' ? `"${e.manager}" using ${e.apiVersion}` : `"${e.manager}"`;
}

export function conflictMessage(conflicts: ApplyConflict[]): string {
  const first = conflicts[0]!;
  if (conflicts.length === 1)
    return `Apply failed with 1 conflict: conflict with ${printManager(first.manager)}: ${printPath(first.path)}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts)
    byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), printPath(c.path)]);
  const lines = [...byManager.keys()]
    .sort()
    .flatMap((m) => [`conflicts with ${printManager(m)}`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function conflictCauses(
  conflicts: ApplyConflict[],
): Array<{ reason: string; message: string; field: string }> {
  return conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: printPath(c.path),
  }));
}
