import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/types.ts';
import { Annotation, Label, MANAGED_BY } from './names.ts';
import { configReferences, renameConfigReferences, type ConfigKind, type PodSpec } from './pod-template.ts';

export interface ConfigClones {
  /** The canary's copies, `<name>-canary-<hash>`. */
  clones: KubeObject[];
  /** The manifests' versions under their own names, applied on promotion. */
  changed: KubeObject[];
  /** The pod spec pointing at the clones. */
  spec: PodSpec;
}

/** Content of a ConfigMap/Secret as the API returns it (Secret stringData folded into base64 data). */
function content(object: KubeObject): Record<string, unknown> {
  const data: Record<string, unknown> = { ...((object.data as Record<string, string>) ?? {}) };
  if (object.kind === 'Secret') {
    for (const [key, value] of Object.entries((object.stringData as Record<string, string>) ?? {})) {
      data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
  }
  return {
    data,
    binaryData: object.binaryData ?? {},
    ...(object.kind === 'Secret' ? { type: object.type ?? 'Opaque' } : {}),
  };
}

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export function contentHash(object: KubeObject): string {
  return createHash('sha256')
    .update(stable(content(object)))
    .digest('hex')
    .slice(0, 10);
}

/**
 * ConfigMaps and Secrets that the new pod spec references and that the manifests create or change
 * are cloned for the canary, so the stable and the baseline keep reading the live versions.
 */
export function planConfigClones(input: {
  spec: PodSpec;
  manifests: readonly KubeObject[];
  live: readonly KubeObject[];
  workload: string;
  namespace: string;
  runId: string;
}): ConfigClones {
  const find = (objects: readonly KubeObject[], kind: ConfigKind, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const renames = new Map<string, string>();
  const clones: KubeObject[] = [];
  const changed: KubeObject[] = [];
  for (const { kind, name } of configReferences(input.spec)) {
    const wanted = find(input.manifests, kind, name);
    if (!wanted) continue;
    const live = find(input.live, kind, name);
    if (live && stable(content(live)) === stable(content(wanted))) continue;
    const cloneName = `${name}-canary-${contentHash(wanted)}`;
    renames.set(`${kind}/${name}`, cloneName);
    const body = Object.fromEntries(
      Object.entries(wanted).filter(([key]) => ['data', 'stringData', 'binaryData', 'type'].includes(key)),
    );
    changed.push({
      ...body,
      apiVersion: 'v1',
      kind,
      metadata: {
        name,
        namespace: input.namespace,
        ...(wanted.metadata.labels ? { labels: { ...wanted.metadata.labels } } : {}),
        ...(wanted.metadata.annotations ? { annotations: { ...wanted.metadata.annotations } } : {}),
      },
    });
    clones.push({
      ...body,
      apiVersion: 'v1',
      kind,
      metadata: {
        name: cloneName,
        namespace: input.namespace,
        labels: {
          ...wanted.metadata.labels,
          [Label.track]: 'canary',
          [Label.workload]: input.workload,
          [Label.managedBy]: MANAGED_BY,
        },
        annotations: { [Annotation.cloneOf]: name, [Annotation.runId]: input.runId },
      },
    });
  }
  const spec = renameConfigReferences(input.spec, (kind, name) => renames.get(`${kind}/${name}`) ?? name);
  return { clones, changed, spec };
}
