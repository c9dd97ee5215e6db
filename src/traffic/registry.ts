import { ROUTER_NAMES } from '../config/schema.ts';
import { ConfigError } from '../util/errors.ts';
import { replicasRouter } from './replicas.ts';
import type { TrafficRouter } from './router.ts';

const ROUTERS: Record<(typeof ROUTER_NAMES)[number], TrafficRouter> = { replicas: replicasRouter };

export function createRouter(name: string): TrafficRouter {
  const router = (ROUTERS as Record<string, TrafficRouter | undefined>)[name];
  if (!router) {
    throw new ConfigError(
      'traffic.router',
      `unknown router ${JSON.stringify(name)} (valid: ${ROUTER_NAMES.join(', ')})`,
    );
  }
  return router;
}
