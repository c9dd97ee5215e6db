import { errors } from './status.ts';

type Json = unknown;
type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function pointerParts(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw errors.badRequest(`invalid JSON pointer ${JSON.stringify(pointer)}: expected to start with "/"`);
  return pointer.slice(1).split('/').map(unescapePointer);
}

function parentOf(
  doc: Json,
  parts: string[],
  pointer: string,
): { parent: JsonObject | Json[]; last: string } {
  let node: Json = doc;
  for (const part of parts.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw errors.invalid422(`jsonpatch: path ${pointer} does not exist`);
  }
  if (!Array.isArray(node) && !isObject(node))
    throw errors.invalid422(`jsonpatch: path ${pointer} does not exist`);
  return { parent: node, last: parts[parts.length - 1]! };
}

function getAt(doc: Json, pointer: string): Json {
  let node: Json = doc;
  for (const part of pointerParts(pointer)) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw errors.invalid422(`jsonpatch: path ${pointer} does not exist`);
  }
  return node;
}

function removeAt(doc: Json, pointer: string): Json {
  const { parent, last } = parentOf(doc, pointerParts(pointer), pointer);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length))
      throw errors.invalid422(`jsonpatch: remove index out of range at ${pointer}`);
    return parent.splice(index, 1)[0];
  }
  if (!Object.hasOwn(parent, last)) throw errors.invalid422(`jsonpatch: path ${pointer} does not exist`);
  const old = parent[last];
  delete parent[last];
  return old;
}

function addAt(doc: Json, pointer: string, value: Json, replace: boolean): Json {
  const parts = pointerParts(pointer);
  if (parts.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, parts, pointer);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length))
      throw errors.invalid422(`jsonpatch: index out of range at ${pointer}`);
    if (replace) parent[index] = structuredClone(value);
    else parent.splice(index, 0, structuredClone(value));
  } else {
    if (replace && !Object.hasOwn(parent, last))
      throw errors.invalid422(`jsonpatch: path ${pointer} does not exist`);
    parent[last] = structuredClone(value);
  }
  return doc;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations))
    throw errors.badRequest('json patch body must be a JSON array of operations');
  let doc = structuredClone(target);
  for (const op of operations as Array<{ op: string; path: string; value?: Json; from?: string }>) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'replace':
        if (op.path === '') doc = structuredClone(op.value);
        else doc = addAt(doc, op.path, op.value, true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move': {
        const value = removeAt(doc, op.from ?? '');
        doc = addAt(doc, op.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw errors.invalid422(`jsonpatch: test operation for path ${op.path} failed`);
        }
        break;
      default:
        throw errors.badRequest(
          `unexpected JSON patch operation ${JSON.stringify(op.op)}: expected add, remove, replace, move, copy or test`,
        );
    }
  }
  return doc;
}

/**
 * The merge key of a list field, as the Kubernetes Go types declare it (patchMergeKey), or
 * undefined for lists that are replaced as a whole. Context-free on purpose: the field names are
 * unambiguous within the types the sandbox serves.
 */
export function mergeKeyOf(field: string, items: unknown[]): string[] | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return ['name'];
    case 'volumeMounts':
      return ['mountPath'];
    case 'conditions':
      return ['type'];
    case 'ownerReferences':
      return ['uid'];
    case 'ports': {
      const first = items.find(isObject);
      if (first && 'containerPort' in first) return ['containerPort', 'protocol'];
      if (first && 'port' in first) return ['port', 'protocol'];
      return undefined;
    }
    default:
      return undefined;
  }
}

const DEFAULT_PROTOCOL = 'TCP';

export function itemKey(item: unknown, keys: string[]): string {
  const o = isObject(item) ? item : {};
  return JSON.stringify(keys.map((k) => (k === 'protocol' ? (o[k] ?? DEFAULT_PROTOCOL) : o[k])));
}

function strategicList(field: string, target: unknown[], patch: unknown[]): unknown[] {
  const keys = mergeKeyOf(field, [...patch, ...target]);
  if (!keys) return structuredClone(patch.filter((p) => !(isObject(p) && p.$patch)));
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return structuredClone(patch.filter((p) => !(isObject(p) && p.$patch === 'replace')));
  }
  const out = structuredClone(target);
  for (const item of patch) {
    const k = itemKey(item, keys);
    const index = out.findIndex((existing) => itemKey(existing, keys) === k);
    if (isObject(item) && item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMergePatch(out[index], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}

/**
 * Strategic merge patch: like a merge patch, but lists with a merge key (containers, env, ports,
 * volumes …) are merged item by item, and `$patch: delete|replace` directives are honoured.
 * `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList` are accepted and ignored.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v))
      out[k] = strategicList(k, Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v);
    else if (isObject(v)) {
      const merged = strategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}
