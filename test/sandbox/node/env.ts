import { appPort, podStatusField } from './pod-spec.ts';
import type { ContainerSpec, EnvVar, KeyRef } from './pod-spec.ts';
import type { KubeObject } from './types.ts';

export type RefKind = 'ConfigMap' | 'Secret';

/**
 * Looks up a ConfigMap's or Secret's data (Secret values already decoded to text); undefined when the
 * object does not exist.
 */
export type ResolveRef = (ref: {
  kind: RefKind;
  namespace: string;
  name: string;
}) => Promise<Record<string, string> | undefined> | Record<string, string> | undefined;

/** A container's configuration cannot be built: the kubelet reports CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError';
}

/** Resolves a downward-API fieldRef the way the kubelet does for env vars. */
export function resolveFieldRef(pod: KubeObject, fieldPath: string): string {
  const metadata = pod.metadata;
  const indexed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (indexed) {
    const map = indexed[1] === 'labels' ? metadata.labels : metadata.annotations;
    return map?.[indexed[2] ?? ''] ?? '';
  }
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const simple: Record<string, unknown> = {
    'metadata.name': metadata.name,
    'metadata.namespace': metadata.namespace ?? 'default',
    'metadata.uid': metadata.uid,
    'spec.nodeName': spec.nodeName,
    'spec.serviceAccountName': spec.serviceAccountName,
    'status.podIP': podStatusField(pod, 'podIP'),
    'status.hostIP': podStatusField(pod, 'hostIP'),
  };
  if (!(fieldPath in simple)) throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  const value = simple[fieldPath];
  return typeof value === 'string' ? value : '';
}

/** Kubernetes' `$(VAR)` expansion: defined variables are replaced, `$$` escapes, the rest is kept. */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
  let output = '';
  for (let index = 0; index < input.length;) {
    const next = input[index + 1];
    if (input[index] === '$' && next === '$') {
      output += '$';
      index += 2;
      continue;
    }
    if (input[index] === '$' && next === '(') {
      const close = input.indexOf(')', index + 2);
      if (close > 0) {
        const value = lookup(input.slice(index + 2, close));
        output += value ?? input.slice(index, close + 1);
        index = close + 1;
        continue;
      }
    }
    output += input[index];
    index += 1;
  }
  return output;
}

async function lookupRef(
  resolveRef: ResolveRef | undefined,
  kind: RefKind,
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  return resolveRef ? await resolveRef({ kind, namespace, name }) : undefined;
}

async function keyRefValue(
  kind: RefKind,
  ref: KeyRef,
  namespace: string,
  resolveRef: ResolveRef | undefined,
): Promise<string | undefined> {
  const data = await lookupRef(resolveRef, kind, namespace, ref.name);
  if (!data) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${kind.toLowerCase()} "${ref.name}" not found`);
  }
  const value = data[ref.key];
  if (value === undefined && !ref.optional) {
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`);
  }
  return value;
}

async function envVarValue(
  pod: KubeObject,
  variable: EnvVar,
  namespace: string,
  resolveRef: ResolveRef | undefined,
): Promise<string | undefined> {
  const from = variable.valueFrom;
  if (!from) return variable.value ?? '';
  if (from.fieldRef) return resolveFieldRef(pod, from.fieldRef.fieldPath);
  if (from.configMapKeyRef) return keyRefValue('ConfigMap', from.configMapKeyRef, namespace, resolveRef);
  if (from.secretKeyRef) return keyRefValue('Secret', from.secretKeyRef, namespace, resolveRef);
  throw new ContainerConfigError(
    `env ${variable.name}: only fieldRef, configMapKeyRef and secretKeyRef are simulated`,
  );
}

/**
 * The container's environment as Kubernetes builds it: `envFrom` sources first, then `env` in order
 * (later entries win, `$(VAR)` refers to earlier ones). Throws ContainerConfigError for a missing,
 * non-optional ConfigMap, Secret or key.
 */
export async function resolveContainerEnv(
  pod: KubeObject,
  container: ContainerSpec,
  resolveRef?: ResolveRef,
): Promise<Record<string, string>> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const kind: RefKind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const data = await lookupRef(resolveRef, kind, namespace, ref.name);
    if (!data && !ref.optional)
      throw new ContainerConfigError(`${kind.toLowerCase()} "${ref.name}" not found`);
    for (const [key, value] of Object.entries(data ?? {})) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const value = await envVarValue(pod, variable, namespace, resolveRef);
    if (value === undefined) continue;
    env[variable.name] = variable.valueFrom ? value : expandVariables(value, (name) => env[name]);
  }
  return env;
}

/**
 * The full environment of a pod's process: what a container would see (HOSTNAME and the resolved
 * env), plus HOST and PORT, which make the demo app listen on the pod's IP and first container port.
 * Nothing is inherited from the sandbox's own environment (a container does not see the node's).
 */
export function processEnv(
  pod: KubeObject,
  container: ContainerSpec,
  resolved: Record<string, string>,
): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOSTNAME: pod.metadata.name,
    ...resolved,
    HOST: podStatusField(pod, 'podIP') ?? '127.0.0.1',
    PORT: String(appPort(container)),
  };
}
