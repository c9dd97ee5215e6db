import type { TrafficConfig } from '../config/types.ts';
import type { AccessCheck, Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';

/** What a router needs to place one traffic step. */
export interface StepContext {
  /** Percent of all traffic the canary should see at this step. */
  weight: number;
  /** The stable Deployment's desired replicas. */
  stableReplicas: number;
}

export interface StepRouting {
  /** Replicas for the canary and, the same, for the baseline. */
  replicas: number;
  /** Extra objects to apply with the step's Deployments (a weighted router's track Services). */
  objects: KubeObject[];
}

export type RoutedTrack = 'canary' | 'baseline';

/** Everything a router instance works with; built once per command at the edge. */
export interface RouterContext {
  cluster: Cluster;
  platform: Platform;
  workload: string;
  traffic: TrafficConfig;
  /** How long a route change may wait for its parents to accept it. */
  acceptTimeoutMs: number;
}

/**
 * Decides how a step's weight reaches the canary. One small file per router, chosen in registry.ts.
 * The replicas router only sizes the Deployments; a weighted router also owns a route: it checks it
 * before any change (`prepare`), sets and re-asserts the step's weight, and restores it (`reset`).
 */
export interface TrafficRouter {
  readonly name: string;
  /** Whether the router sets weights on a route (and re-asserts them while a step is analysed). */
  readonly weighted: boolean;
  /** Permissions beyond the engine's own (REQUIRED_ACCESS) that this router uses. */
  readonly access: readonly AccessCheck[];
  route(step: StepContext): StepRouting;
  /** The pod labels of a track's pods, from the labels of the template they copy. */
  podLabels(track: RoutedTrack, labels: Readonly<Record<string, string>>): Record<string, string>;
  /** Reads and checks the routing objects; a ConfigError (exit 2) before any change. */
  prepare(): Promise<void>;
  /** Sets the step's weight and waits until the route is accepted (RoutingError, exit 4, otherwise). */
  setWeight(weight: number): Promise<void>;
  /** Puts the current weight back if someone changed it; true when it had to. */
  reassert(): Promise<boolean>;
  /** All traffic back to the stable, then the routing objects removed. Idempotent, also from another job. */
  reset(): Promise<void>;
  /** Annotations recorded on the canary, so `rollback`/`cleanup` from another job finds the route. */
  readonly annotations: Readonly<Record<string, string>>;
}

export type RouterFactory = (context: RouterContext) => TrafficRouter;
