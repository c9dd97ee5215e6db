import { randomBytes } from 'node:crypto';
import { load as loadYaml } from 'js-yaml';
import type { KubeObject } from '../node/types.ts';
import { validateCustomResource } from './crd-schemas.ts';
import { applyDefaults, validate } from './defaults.ts';
import { conflictCauses, conflictMessage, recordUpdate, serverSideApply } from './fieldmanager.ts';
import { isObject, jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';
import type { ResourceType } from './resources.ts';
import { apiVersionOf, mustType } from './resources.ts';
import {
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  selectorString,
} from './selectors.ts';
import type { LabelSelector } from './selectors.ts';
import { ApiError, errors } from './status.ts';
import type { Store } from './store.ts';
import { timestamp } from './store.ts';

export interface WriteOptions {
  manager: string;
  dryRun?: boolean;
  subresource?: string;
  /** The request's `fieldValidation` (Ignore, Warn, Strict): Strict refuses unknown fields of custom resources. */
  fieldValidation?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const NAMESPACES = mustType('', 'namespaces');
const INGRESSES = mustType('networking.k8s.io', 'ingresses');
const INGRESS_CLASSES = mustType('networking.k8s.io', 'ingressclasses');
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const POD = mustType('', 'pods');
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  return [...randomBytes(length)].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
}

function statusOwned(type: ResourceType): boolean {
  return type.subresources.includes('status');
}

/** On create, the status of a type with a status subresource is the server's, not the client's. */
function resetStatus(type: ResourceType, object: KubeObject): void {
  if (!statusOwned(type) || type.kind === 'Service' || type.kind === 'Namespace') return;
  if (type.builtin) object.status = {};
  else delete object.status;
}

/** The server side of every REST verb on stored resources: the semantics, without HTTP. */
export class ResourceApi {
  constructor(private readonly store: Store) {}

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(type, namespace, name);
    if (!found) throw errors.notFound(type, name);
    return found;
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    labelSelector?: string | null,
    fieldSelector?: string | null,
  ): KubeObject[] {
    const labels = parseLabelSelector(labelSelector);
    const fields = parseFieldSelector(fieldSelector);
    return this.store
      .list(type, namespace)
      .filter((o) => matchesRequirements(o.metadata.labels, labels) && matchesFields(o, fields));
  }

  private checkNamespace(type: ResourceType, namespace: string | undefined): void {
    if (!type.namespaced || namespace === undefined) return;
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    if (!ns) throw errors.notFound(NAMESPACES, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${type.plural} "${'<name>'}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private prepare(type: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
    if (!isObject(body) || !isObject(body.metadata))
      throw errors.badRequest(
        `Object 'metadata' is missing in the request body: expected a ${type.kind} object`,
      );
    const object = structuredClone(body) as KubeObject;
    if (type.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = namespace ?? object.metadata.namespace;
    } else delete object.metadata.namespace;
    return object;
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions,
  ): KubeObject {
    const object = this.prepare(type, namespace, body);
    if (!object.metadata.name && typeof object.metadata.generateName === 'string') {
      object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    }
    if (!object.metadata.name)
      throw errors.invalid(type, '', [
        { field: 'metadata.name', message: 'Required value: name or generateName is required' },
      ]);
    this.checkNamespace(type, object.metadata.namespace);
    for (const k of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
      'generation',
      'managedFields',
    ])
      delete object.metadata[k];
    resetStatus(type, object);
    this.admit(type, object);
    applyDefaults(type, object);
    validate(type, object);
    validateCustomResource(type, object, options.fieldValidation);
    object.metadata.managedFields = recordUpdate(undefined, object, options.manager, apiVersionOf(type));
    if (this.store.get(type, object.metadata.namespace, object.metadata.name))
      throw errors.alreadyExists(type, object.metadata.name);
    if (options.dryRun) return { ...object, apiVersion: apiVersionOf(type), kind: type.kind };
    return this.store.create(type, object);
  }

  /**
   * Mutating admission on create: the DefaultIngressClass plugin gives an Ingress without a class
   * (neither `spec.ingressClassName` nor the legacy annotation) the default IngressClass, the most
   * recently created one when several are marked default.
   */
  private admit(type: ResourceType, object: KubeObject): void {
    if (type !== INGRESSES) return;
    const spec = ((object as Record<string, unknown>).spec ?? {}) as Record<string, unknown>;
    if (spec.ingressClassName || object.metadata.annotations?.['kubernetes.io/ingress.class']) return;
    const defaults = this.store
      .list(INGRESS_CLASSES)
      .filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
      .sort((a, b) =>
        String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
      );
    if (defaults[0])
      (object as Record<string, unknown>).spec = { ...spec, ingressClassName: defaults[0].metadata.name };
  }

  /** PUT: replace, with optimistic concurrency on metadata.resourceVersion. */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions,
  ): KubeObject {
    const next = this.prepare(type, namespace, body);
    if (next.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const old = this.get(type, namespace, name);
    const rv = next.metadata.resourceVersion;
    if (!rv) {
      throw errors.invalid(type, name, [
        { field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
      ]);
    }
    if (rv !== old.metadata.resourceVersion) throw errors.staleResourceVersion(type, name);
    return this.commit(type, old, next, options);
  }

  /** Everything PUT and PATCH share once the new object is known. */
  private commit(
    type: ResourceType,
    old: KubeObject,
    proposed: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    let next = proposed;
    if (options.subresource === 'status') {
      next = { ...structuredClone(old), status: proposed.status };
      applyDefaults(type, next);
      validateCustomResource(type, next, options.fieldValidation);
    } else {
      next.metadata = {
        ...next.metadata,
        name: old.metadata.name,
        namespace: old.metadata.namespace,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        ...(old.metadata.deletionTimestamp ? { deletionTimestamp: old.metadata.deletionTimestamp } : {}),
      };
      if (statusOwned(type) && type.kind !== 'Service') next.status = old.status;
      applyDefaults(type, next);
      validate(type, next, old);
      validateCustomResource(type, next, options.fieldValidation);
    }
    const specChanged =
      JSON.stringify((old as Record<string, unknown>).spec) !==
      JSON.stringify((next as Record<string, unknown>).spec);
    const generation = old.metadata.generation as number | undefined;
    next.metadata.generation = generation;
    if (specChanged && generation !== undefined) next.metadata.generation = generation + 1;
    next.metadata.managedFields = recordUpdate(
      old,
      next,
      options.manager,
      apiVersionOf(type),
      options.subresource,
    );
    if (options.dryRun)
      return { ...next, metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion } };
    if (
      next.metadata.deletionTimestamp &&
      ((next.metadata.finalizers as string[] | undefined) ?? []).length === 0
    ) {
      return this.store.remove(type, old.metadata.namespace, old.metadata.name) ?? next;
    }
    return this.store.update(type, next);
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    rawBody: string,
    options: WriteOptions & { force?: boolean },
  ): { object: KubeObject; created: boolean } {
    const media = contentType.split(';')[0]!.trim();
    if (media === 'application/apply-patch+yaml' || media === 'application/apply-patch+cbor')
      return this.apply(type, namespace, name, rawBody, options);
    const old = this.get(type, namespace, name);
    let patch: unknown;
    try {
      patch = JSON.parse(rawBody);
    } catch (error) {
      throw errors.badRequest(`error decoding patch: ${(error as Error).message}`);
    }
    let next: unknown;
    if (media === 'application/merge-patch+json') next = mergePatch(old, patch);
    else if (media === 'application/strategic-merge-patch+json') {
      if (!type.builtin) throw errors.unsupportedMediaType(`${media} is not supported for custom resources`);
      next = strategicMergePatch(old, patch);
    } else if (media === 'application/json-patch+json') next = jsonPatch(old, patch);
    else throw errors.unsupportedMediaType(contentType);
    if (!isObject(next) || !isObject(next.metadata))
      throw errors.badRequest('the patch removed the object metadata');
    const object = next as KubeObject;
    if (object.metadata.resourceVersion && object.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.staleResourceVersion(type, name);
    }
    return { object: this.commit(type, old, object, options), created: false };
  }

  private apply(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    rawBody: string,
    options: WriteOptions & { force?: boolean },
  ): { object: KubeObject; created: boolean } {
    if (!options.manager || options.manager === '__default__') {
      throw errors.badRequest(
        'PATCH, application/apply-patch+yaml requests require a fieldManager query parameter',
      );
    }
    let body: unknown;
    try {
      body = loadYaml(rawBody);
    } catch (error) {
      throw errors.badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
    const applied = this.prepare(type, namespace, body);
    if (applied.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (applied.apiVersion !== apiVersionOf(type) || applied.kind !== type.kind) {
      throw errors.badRequest(
        `apply expects apiVersion ${apiVersionOf(type)} and kind ${type.kind}, got ${String(applied.apiVersion)} ${String(applied.kind)}`,
      );
    }
    const live = this.store.get(type, namespace, name);
    if (options.subresource && live) {
      const merged = serverSideApply(
        live,
        applied,
        options.manager,
        options.force === true,
        apiVersionOf(type),
      );
      return { object: this.commit(type, live, merged.object, options), created: false };
    }
    const { object, conflicts } = serverSideApply(
      live,
      applied,
      options.manager,
      options.force === true,
      apiVersionOf(type),
    );
    if (conflicts.length > 0) {
      throw new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes: conflictCauses(conflicts) });
    }
    if (!live) {
      this.checkNamespace(type, namespace);
      const managedFields = object.metadata.managedFields;
      resetStatus(type, object);
      this.admit(type, object);
      applyDefaults(type, object);
      validate(type, object);
      validateCustomResource(type, object, options.fieldValidation);
      object.metadata.managedFields = managedFields;
      if (options.dryRun)
        return { object: { ...object, apiVersion: apiVersionOf(type), kind: type.kind }, created: true };
      return { object: this.store.create(type, object), created: true };
    }
    const managedFields = object.metadata.managedFields;
    const committed = this.commit(type, live, object, { ...options, dryRun: true });
    committed.metadata.managedFields = managedFields;
    if (options.dryRun) return { object: committed, created: false };
    return { object: this.store.update(type, committed), created: false };
  }

  /** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
  scaleOf(type: ResourceType, object: KubeObject): Record<string, unknown> {
    const o = object as Record<string, unknown> & {
      spec?: { replicas?: number; selector?: LabelSelector };
      status?: { replicas?: number };
    };
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
        creationTimestamp: object.metadata.creationTimestamp,
      },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, selector: selectorString(o.spec?.selector) },
    };
  }

  /** PUT/PATCH on `/scale`: the new Scale's spec.replicas lands in the workload's spec. */
  updateScale(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    scale: unknown,
    options: WriteOptions,
  ): Record<string, unknown> {
    const old = this.get(type, namespace, name);
    const s = scale as { spec?: { replicas?: number }; metadata?: { resourceVersion?: string } };
    if (s.metadata?.resourceVersion && s.metadata.resourceVersion !== old.metadata.resourceVersion)
      throw errors.staleResourceVersion(type, name);
    const replicas = s.spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw errors.invalid(type, name, [
        {
          field: 'spec.replicas',
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        },
      ]);
    }
    const next = structuredClone(old) as KubeObject & { spec: { replicas: number } };
    next.spec.replicas = replicas;
    return this.scaleOf(type, this.commit(type, old, next, { ...options, subresource: 'scale' }));
  }

  /** DELETE: returns the object when it lingers (graceful pods, finalizers), or null once it is gone. */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
  ): { object: KubeObject; gone: boolean } {
    const old = this.get(type, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw errors.conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun) return { object: old, gone: false };
    const policy = options.propagationPolicy ?? 'Background';
    if (policy === 'Orphan') this.orphanDependents(old.metadata.uid!);
    const finalizers = [...((old.metadata.finalizers as string[] | undefined) ?? [])];
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    const graceful = type === POD && options.gracePeriodSeconds !== 0;
    const lingers = type === POD || type === NAMESPACES || finalizers.length > 0;
    if (!lingers) return { object: this.store.remove(type, namespace, name)!, gone: true };
    if (old.metadata.deletionTimestamp) return { object: old, gone: false };
    const grace =
      type === POD
        ? (options.gracePeriodSeconds ??
          (old.spec as { terminationGracePeriodSeconds?: number })?.terminationGracePeriodSeconds ??
          30)
        : 0;
    const next = structuredClone(old);
    next.metadata.deletionTimestamp = timestamp(new Date(Date.now() + grace * 1000));
    if (graceful || type === POD) next.metadata.deletionGracePeriodSeconds = grace;
    if (finalizers.length > 0) next.metadata.finalizers = finalizers;
    if (type === NAMESPACES) (next as Record<string, unknown>).status = { phase: 'Terminating' };
    return { object: this.store.update(type, next), gone: false };
  }

  private orphanDependents(ownerUid: string): void {
    for (const { resource, object } of this.store.all()) {
      const refs = (object.metadata.ownerReferences as Array<{ uid: string }> | undefined) ?? [];
      if (!refs.some((r) => r.uid === ownerUid)) continue;
      const next = structuredClone(object);
      const kept = refs.filter((r) => r.uid !== ownerUid);
      if (kept.length > 0) next.metadata.ownerReferences = kept;
      else delete next.metadata.ownerReferences;
      this.store.update(resource, next);
    }
  }
}
