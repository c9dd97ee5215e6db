import type { ROUTER_NAMES } from '../config/schema.ts';
import { createRegistry } from '../util/registry.ts';
import { replicasRouter } from './replicas.ts';
import type { TrafficRouter } from './router.ts';

/** `traffic.router` → the router; every name the config schema allows has one. */
export const ROUTERS = createRegistry<TrafficRouter>('router', {
  replicas: replicasRouter,
} satisfies Record<(typeof ROUTER_NAMES)[number], TrafficRouter>);

export function createRouter(name: string): TrafficRouter {
  return ROUTERS.get(name, 'traffic.router');
}
