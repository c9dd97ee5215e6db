/** Pure helpers over Kubernetes pod templates and label selectors (plain JSON, deep-copied, never mutated). */

export interface EnvVar {
  name: string;
  value?: string;
  [key: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec: PodSpec;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export const clone = <T>(value: T): T => structuredClone(value);

export function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** Sets or replaces environment variables in every container (and init container). */
export function withEnv(spec: PodSpec, env: Record<string, string>): PodSpec {
  const out = clone(spec);
  for (const container of allContainers(out)) {
    const kept = (container.env ?? []).filter((e) => !(e.name in env));
    container.env = [...kept, ...Object.entries(env).map(([name, value]) => ({ name, value }))];
  }
  return out;
}

/** Whether a Kubernetes label selector matches a set of labels (an empty selector matches everything). */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  const byLabels = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

export function formatSelector(selector: LabelSelector | undefined): string {
  const parts = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector?.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator} (${(e.values ?? []).join(',')})`,
    ),
  ];
  return parts.length > 0 ? parts.join(',') : '(everything)';
}

export type ConfigKind = 'ConfigMap' | 'Secret';
type Rename = (kind: ConfigKind, name: string) => string;

/** Every ConfigMap/Secret a pod spec references: volumes, projected sources, env and envFrom. */
export function configReferences(spec: PodSpec): Array<{ kind: ConfigKind; name: string }> {
  const found = new Map<string, { kind: ConfigKind; name: string }>();
  renameConfigReferences(spec, (kind, name) => {
    found.set(`${kind}/${name}`, { kind, name });
    return name;
  });
  return [...found.values()];
}

/** A copy of the pod spec with every ConfigMap/Secret reference passed through `rename`. */
export function renameConfigReferences(spec: PodSpec, rename: Rename): PodSpec {
  const out = clone(spec);
  const at = (holder: Record<string, unknown> | undefined, key: string, kind: ConfigKind) => {
    if (holder && typeof holder[key] === 'string') holder[key] = rename(kind, holder[key]);
  };
  type Node = Record<string, Record<string, unknown> | undefined>;
  for (const volume of (out.volumes ?? []) as Node[]) {
    at(volume.configMap, 'name', 'ConfigMap');
    at(volume.secret, 'secretName', 'Secret');
    const sources = (volume.projected?.sources ?? []) as Node[];
    for (const source of sources) {
      at(source.configMap, 'name', 'ConfigMap');
      at(source.secret, 'name', 'Secret');
    }
  }
  for (const container of allContainers(out)) {
    for (const env of (container.env ?? []) as Node[]) {
      const from = env.valueFrom as Node | undefined;
      at(from?.configMapKeyRef, 'name', 'ConfigMap');
      at(from?.secretKeyRef, 'name', 'Secret');
    }
    for (const source of (container.envFrom ?? []) as Node[]) {
      at(source.configMapRef, 'name', 'ConfigMap');
      at(source.secretRef, 'name', 'Secret');
    }
  }
  return out;
}
