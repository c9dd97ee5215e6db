import type { TrafficRouter } from './router.ts';

/**
 * Traffic by replica count: the Service selects stable, canary and baseline pods alike and spreads
 * requests over every ready pod, so a canary (and its same-size baseline) of
 * max(1, round(stable × weight / 100)) replicas gets roughly that share each.
 */
export const replicasRouter: TrafficRouter = {
  name: 'replicas',
  route: ({ weight, stableReplicas }) => ({
    replicas: Math.max(1, Math.round((stableReplicas * weight) / 100)),
    objects: [],
  }),
  reset: () => [],
};
