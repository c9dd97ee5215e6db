import type { Clock } from '../util/clock.ts';
import type { KubeObject, ObjectRef } from './types.ts';

/** The lower-level calls rollout-wait and lease-lock need beyond the Cluster interface (all retried, typed errors). */
export interface KubeIO {
  readonly namespace: string;
  readonly clock: Clock;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(
    apiVersion: string,
    kind: string,
    selectors?: { labelSelector?: string; fieldSelector?: string },
  ): Promise<KubeObject[]>;
  /** POST; a 409 AlreadyExists is returned as undefined instead of thrown. */
  create(object: KubeObject): Promise<KubeObject | undefined>;
  /** PUT with the object's resourceVersion; a 409 Conflict is returned as undefined instead of thrown. */
  replace(object: KubeObject): Promise<KubeObject | undefined>;
  delete(ref: ObjectRef): Promise<boolean>;
  podLog(pod: string, container: string, options: { previous: boolean; tailLines: number }): Promise<string>;
}
