import type { AccessCheck, Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import { ConfigError, PermissionError } from '../util/errors.ts';
import { findLiveRelease, type LiveRelease } from './live-release.ts';
import { findWorkload, loadManifests } from './manifests.ts';
import { Label, MANAGED_BY } from './names.ts';

export interface PreflightResult {
  serverVersion: string;
  stable: KubeObject;
  manifests: KubeObject[];
  liveConfigs: KubeObject[];
  live: LiveRelease;
}

const key = (c: AccessCheck) => `${c.verb} ${c.group ?? ''}/${c.resource}/${c.subresource ?? ''}`;

/** Every permission in one review; a PermissionError naming each missing verb, resource and namespace. */
export async function checkPermissions(cluster: Cluster, required: readonly AccessCheck[]): Promise<void> {
  const unique = new Map(required.map((c) => [key(c), c]));
  const results = await cluster.checkAccess([...unique.values()]);
  const missing = results.filter((r) => !r.allowed);
  if (missing.length === 0) return;
  const lines = missing.map((m) => {
    const resource = `${m.resource}${m.subresource ? `/${m.subresource}` : ''}${m.group ? `.${m.group}` : ''}`;
    return `cannot ${m.verb} ${resource} in namespace "${cluster.namespace}"`;
  });
  throw new PermissionError(
    `missing permission${lines.length > 1 ? 's' : ''}: ${lines.join('; ')} — nothing was changed (examples/rbac/role.yaml grants what a run needs)`,
  );
}

/** Reads and checks everything before the first change; throws typed errors (exit 2 or 4). */
export async function preflight(options: {
  cluster: Cluster;
  platform: Platform;
  workload: string;
  manifestPaths: readonly string[];
  requiredAccess: readonly AccessCheck[];
}): Promise<PreflightResult> {
  const { cluster, platform, workload } = options;
  // An A/A run has no manifests: its canary is the live stable's template.
  const manifests =
    options.manifestPaths.length > 0 ? await loadManifests(options.manifestPaths, cluster.namespace) : [];
  if (manifests.length > 0) findWorkload(manifests, workload);
  const serverVersion = await cluster.version();
  platform.info(`cluster: Kubernetes ${serverVersion}, namespace ${cluster.namespace}`);
  await checkPermissions(cluster, options.requiredAccess);
  const stable = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: workload });
  if (!stable) {
    throw new ConfigError(
      'workload',
      `deployment/${workload} was not found in namespace "${cluster.namespace}" (the stable Deployment must exist; create it with your usual deploy first)`,
    );
  }
  const configs = manifests.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret');
  const liveConfigs = (
    await Promise.all(
      configs.map((o) => cluster.get({ apiVersion: 'v1', kind: o.kind, name: o.metadata.name })),
    )
  ).filter((o): o is KubeObject => o !== undefined);
  const live = await findLiveRelease(cluster, workload);
  return { serverVersion, stable, manifests, liveConfigs, live };
}

/** Who an object belongs to, as its labels, annotations and owner references say. */
export function ownerOf(object: KubeObject): string {
  const { labels = {}, annotations = {} } = object.metadata;
  const meta = object.metadata as { ownerReferences?: Array<{ kind: string; name: string }> };
  const managers = (object.metadata as { managedFields?: Array<{ manager?: string }> }).managedFields;
  const said = [
    labels[Label.managedBy] ? `managed by ${labels[Label.managedBy]}` : undefined,
    annotations['meta.helm.sh/release-name']
      ? `Helm release ${annotations['meta.helm.sh/release-name']}`
      : undefined,
    ...(meta.ownerReferences ?? []).map((o) => `owned by ${o.kind} ${o.name}`),
  ].filter((s): s is string => s !== undefined);
  if (said.length > 0) return said.join(', ');
  const fieldManagers = [...new Set((managers ?? []).map((m) => m.manager).filter(Boolean))];
  return fieldManagers.length > 0
    ? `written by ${fieldManagers.join(', ')}, not canary-action`
    : `not labelled ${Label.managedBy}=${MANAGED_BY}`;
}

/**
 * Refuses (exit 2) to apply over an object of the canary's names that canary-action did not create: a
 * hand-made or Helm-managed `<name>-canary` would be overwritten and then deleted by the rollback.
 */
export async function checkOwnership(cluster: Cluster, objects: readonly KubeObject[]): Promise<void> {
  const found = await Promise.all(
    objects.map((o) => cluster.get({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name })),
  );
  const foreign = found.filter(
    (o): o is KubeObject => o !== undefined && o.metadata.labels?.[Label.managedBy] !== MANAGED_BY,
  );
  if (foreign.length === 0) return;
  const lines = foreign.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name} (${ownerOf(o)})`);
  throw new ConfigError(
    'workload',
    `${lines.join('; ')} already exist${foreign.length === 1 ? 's' : ''} in namespace "${cluster.namespace}" and ${foreign.length === 1 ? 'is' : 'are'} not canary-action's: rename or remove ${foreign.length === 1 ? 'it' : 'them'} first — nothing was changed`,
  );
}
