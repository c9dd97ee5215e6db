import type { TrafficRouter } from './router.ts';

/**
 * Traffic by replica count: the Service selects stable, canary and baseline pods alike and spreads
 * requests over every ready pod, so a canary (and its same-size baseline) of
 * max(1, round(stable × weight / 100)) replicas gets roughly that share each. No route to edit.
 */
export const replicasRouter: TrafficRouter = {
  name: 'replicas',
  weighted: false,
  access: [],
  annotations: {},
  route: ({ weight, stableReplicas }) => ({
    replicas: Math.max(1, Math.round((stableReplicas * weight) / 100)),
    objects: [],
  }),
  podLabels: (_track, labels) => ({ ...labels }),
  prepare: async () => undefined,
  setWeight: async () => undefined,
  reassert: async () => false,
  reset: async () => undefined,
};
