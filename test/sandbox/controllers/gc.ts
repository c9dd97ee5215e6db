import type { Cluster, Obj } from './cluster.ts';
import { T, ownerRefs } from './cluster.ts';

/**
 * The garbage collector: dependents whose owners are all gone are deleted (background), dependents
 * of an owner deleted in the foreground are deleted before it, and a terminating namespace is
 * emptied and then removed.
 */
export class GarbageCollector {
  constructor(private readonly cluster: Cluster) {}

  syncAll(): void {
    const entries = this.cluster.store.all();
    const byUid = new Map(entries.map((e) => [e.object.metadata.uid!, e.object as Obj]));
    for (const { resource, object } of entries) {
      const refs = ownerRefs(object);
      if (refs.length === 0 || object.metadata.deletionTimestamp) continue;
      const owners = refs.map((r) => byUid.get(r.uid));
      const orphaned = owners.every((o) => o === undefined);
      const foreground = refs.some(
        (r, i) =>
          r.blockOwnerDeletion &&
          ((owners[i]?.metadata.finalizers as string[] | undefined) ?? []).includes('foregroundDeletion'),
      );
      if (orphaned || foreground) {
        this.cluster.api.delete(resource, object.metadata.namespace, object.metadata.name, {});
      }
    }
    for (const { resource, object } of entries) {
      const finalizers = (object.metadata.finalizers as string[] | undefined) ?? [];
      if (!object.metadata.deletionTimestamp || !finalizers.includes('foregroundDeletion')) continue;
      const uid = object.metadata.uid;
      const current = this.cluster.get(resource, object.metadata.namespace, object.metadata.name);
      const hasDependents = this.cluster.store
        .all()
        .some((e) => ownerRefs(e.object).some((r) => r.uid === uid));
      if (!current || hasDependents) continue;
      const rest = finalizers.filter((f) => f !== 'foregroundDeletion');
      if (rest.length === 0)
        this.cluster.store.remove(resource, object.metadata.namespace, object.metadata.name);
      else
        this.cluster.updateIfChanged(resource, {
          ...current,
          metadata: { ...current.metadata, finalizers: rest },
        });
    }
    this.emptyTerminatingNamespaces(entries);
  }

  private emptyTerminatingNamespaces(entries: ReturnType<Cluster['store']['all']>): void {
    for (const ns of this.cluster.list(T.namespaces)) {
      if (!ns.metadata.deletionTimestamp) continue;
      const contents = entries.filter(
        (e) => e.resource.namespaced && e.object.metadata.namespace === ns.metadata.name,
      );
      for (const { resource, object } of contents) {
        if (object.metadata.deletionTimestamp) continue;
        try {
          this.cluster.api.delete(resource, object.metadata.namespace, object.metadata.name, {});
        } catch {
          // already gone through a cascade in this same pass
        }
      }
      const left = this.cluster.store
        .all()
        .some((e) => e.resource.namespaced && e.object.metadata.namespace === ns.metadata.name);
      if (!left) this.cluster.store.remove(T.namespaces, undefined, ns.metadata.name);
    }
  }
}
