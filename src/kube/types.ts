/**
 * What the release engine needs from a cluster. src/kube/ is the only importer of
 * @kubernetes/client-node; everything else sees plain Kubernetes JSON through this interface, so the
 * planner stays pure and the pipeline phases can be unit-tested against a fake.
 */
export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
};

export interface KubeTarget {
  /** Path of a kubeconfig file (content passed by CI is written to a 0600 temp file first). */
  kubeconfig?: string;
  context?: string;
  /** Namespace to act in; default: the context's namespace, else "default". */
  namespace?: string;
}

export interface AccessCheck {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
}

export interface AccessResult extends AccessCheck {
  allowed: boolean;
  reason?: string;
}

/** A reference to an object of a kind the engine manages. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
}

export interface RolloutProgress {
  name: string;
  ready: number;
  updated: number;
  desired: number;
  message: string;
}

export interface Cluster {
  readonly namespace: string;
  /** Server version string; proves the API answers (BackendError after retries otherwise). */
  version(): Promise<string>;
  /** SelfSubjectAccessReview for each check, in this namespace. */
  checkAccess(checks: AccessCheck[]): Promise<AccessResult[]>;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, labelSelector?: string): Promise<KubeObject[]>;
  /**
   * Server-side apply with the field manager `canary-action`, force on conflicts it owns; retries 429/5xx/409.
   * Every write (apply, delete) made while a lock is held first checks that the lock's Lease is still ours.
   */
  apply(object: KubeObject): Promise<KubeObject>;
  /** Replaces an object read with `get` (PUT, its resourceVersion a precondition); undefined on a conflict. */
  replace(object: KubeObject): Promise<KubeObject | undefined>;
  /** Deletes (background propagation); true when it existed. Idempotent. */
  delete(ref: ObjectRef): Promise<boolean>;
  /**
   * Waits until the Deployment is rolled out like `kubectl rollout status`; fails fast with RolloutError
   * on CrashLoopBackOff, ImagePullBackOff/ErrImagePull, ProgressDeadlineExceeded, including pod events
   * and the last log lines in the message.
   */
  waitForRollout(
    name: string,
    options: { timeoutMs: number; signal?: AbortSignal; onProgress?: (progress: RolloutProgress) => void },
  ): Promise<void>;
  /** A coordination.k8s.io/v1 Lease held by `holder`, renewed until released. */
  acquireLock(
    name: string,
    holder: string,
    options: {
      leaseSeconds: number;
      waitMs: number;
      signal?: AbortSignal;
      onWait?: (heldBy: string) => void;
      /** Called once when a renewal finds the Lease deleted or held by someone else; renewing then stops. */
      onLost?: (reason: string) => void;
    },
  ): Promise<Lock>;
}

export interface Lock {
  readonly name: string;
  readonly holder: string;
  /**
   * Aborted, with a LeaseLostError, once the Lease is lost: not renewed within its renewal deadline, deleted
   * or taken. From then on the cluster refuses every request: the run must stop acting at once.
   */
  readonly lost: AbortSignal;
  /** Stops renewing and deletes the Lease if still ours. Idempotent. */
  release(): Promise<void>;
}
