/** Small I/O helpers the weighted routers share: parse `traffic.route`, rewrite a live object, wait for a verdict. */
import type { Cluster, KubeObject, ObjectRef } from '../kube/types.ts';
import { BackendError, ConfigError } from '../util/errors.ts';

const POLL_MS = 250;

/** Whether a routing object's controller took the current change: the router's own reading of its status. */
export type Acceptance =
  { state: 'accepted' } | { state: 'rejected'; message: string } | { state: 'pending'; message: string };

/** The object's name from `traffic.route` (`KIND/NAME`, any case of the kind), or exit 2 naming what was expected. */
export function routeName(route: string | undefined, kinds: readonly string[], router: string): string {
  const [kind, name] = (route ?? '').split('/');
  if (!name || !kinds.includes(kind?.toLowerCase() ?? '')) {
    const expected = kinds.map((k) => `${k}/NAME`).join(' or ');
    throw new ConfigError(
      'traffic.route',
      `${JSON.stringify(route ?? '')} is not what the ${router} router edits: it expects ${expected}`,
    );
  }
  return name;
}

/** The object with one annotation set, or removed when `value` is undefined (no empty map left behind). */
export function withAnnotation(object: KubeObject, key: string, value: string | undefined): KubeObject {
  const annotations = { ...object.metadata.annotations };
  if (value === undefined) delete annotations[key];
  else annotations[key] = value;
  const { annotations: _previous, ...metadata } = object.metadata;
  return {
    ...object,
    metadata: { ...metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
  };
}

/**
 * Reads the live object and writes `change(live)` with an update (PUT) that carries its resourceVersion,
 * so nothing of it is owned by this tool; a conflict reads it again, at most 6 times.
 */
export async function updateLive(
  cluster: Cluster,
  ref: ObjectRef,
  label: string,
  change: (live: KubeObject) => KubeObject,
): Promise<KubeObject> {
  for (let attempt = 0; ; attempt += 1) {
    const live = await cluster.get(ref);
    if (!live) throw new BackendError(`${label} disappeared during the run`);
    const saved = await cluster.replace(change(live));
    if (saved) return saved;
    if (attempt >= 5) throw new BackendError(`${label}: conflicting writes, gave up after 6 attempts`);
  }
}

/** Polls `read` until it says accepted; rejected, or still pending after `timeoutMs`, is a BackendError (exit 4). */
export async function waitAccepted(
  read: () => Promise<Acceptance>,
  label: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const verdict = await read();
    if (verdict.state === 'accepted') return;
    if (verdict.state === 'rejected') throw new BackendError(`${label} is not accepted: ${verdict.message}`);
    if (Date.now() > deadline)
      throw new BackendError(`${label}: ${verdict.message} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
