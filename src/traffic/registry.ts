import type { ROUTER_NAMES } from '../config/schema.ts';
import { createRegistry } from '../util/registry.ts';
import { gatewayApiRouter } from './gateway-api.ts';
import { haproxyRouter } from './haproxy.ts';
import { istioRouter } from './istio.ts';
import { nginxRouter } from './nginx.ts';
import { replicasRouter } from './replicas.ts';
import type { RouterContext, RouterFactory, TrafficRouter } from './router.ts';

/** `traffic.router` → the router's factory; every name the config schema allows has one. */
export const ROUTERS = createRegistry<RouterFactory>('router', {
  replicas: () => replicasRouter,
  'gateway-api': gatewayApiRouter,
  istio: istioRouter,
  nginx: nginxRouter,
  haproxy: haproxyRouter,
} satisfies Record<(typeof ROUTER_NAMES)[number], RouterFactory>);

export function createRouter(name: string, context: RouterContext): TrafficRouter {
  return ROUTERS.get(name, 'traffic.router')(context);
}
