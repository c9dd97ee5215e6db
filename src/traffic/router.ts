import type { KubeObject } from '../kube/types.ts';

/** What a router needs to place one traffic step. */
export interface StepContext {
  /** Percent of the stable's traffic the canary should see at this step. */
  weight: number;
  /** The stable Deployment's desired replicas. */
  stableReplicas: number;
}

export interface StepRouting {
  /** Replicas for the canary and, the same, for the baseline. */
  replicas: number;
  /** Extra objects to apply for this step (routes, splits); none for the replicas router. */
  objects: KubeObject[];
}

/** Decides how a step's weight reaches the canary. One small file per router, chosen in registry.ts. */
export interface TrafficRouter {
  readonly name: string;
  route(step: StepContext): StepRouting;
  /** Objects that send 100% back to the stable (applied by rollback and promote). */
  reset(): KubeObject[];
}
