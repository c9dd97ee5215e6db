/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
/**
 * The status the sandbox's gateway controller and ingress controllers report: GatewayClass and
 * Gateway conditions, this controller's entries of HTTPRoute `status.parents` (other controllers'
 * entries are left alone), and the load-balancer address of the Ingresses an ingress controller of
 * the sandbox serves. Like the other controllers, status writes are not tracked in managedFields.
 */
import type { Cluster, Obj } from './cluster.ts';
import { T } from './cluster.ts';
import { timestamp } from '../apiserver/store.ts';
import type { Condition } from '../routing/gateway-api.ts';
import { GATEWAY_CONTROLLER, evaluateGatewayApi } from '../routing/gateway-api.ts';
import { evaluateIngresses } from '../routing/ingress.ts';

export const LISTENER_ADDRESS = '127.0.0.1';

/** Conditions with lastTransitionTime kept from the previous ones of the same type and status. */
function timed(next: Condition[], previous: any[] | undefined, now: string): any[] {
  return next.map((c) => {
    const old = (previous ?? []).find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class GatewayStatusController {
  constructor(private readonly cluster: Cluster) {}

  private writeStatus(type: typeof T.gateways, object: Obj, status: any): void {
    if (same(object.status, status)) return;
    this.cluster.updateIfChanged(type, { ...object, status });
  }

  syncAll(): void {
    const now = timestamp();
    const model = evaluateGatewayApi(this.cluster);

    for (const gc of this.cluster.list(T.gatewayclasses)) {
      const conditions = model.classes.get(gc.metadata.name);
      if (!conditions) continue;
      this.writeStatus(T.gatewayclasses, gc, {
        ...gc.status,
        conditions: timed(conditions, gc.status?.conditions, now),
      });
    }

    for (const gw of this.cluster.list(T.gateways)) {
      const found = model.gateways.get(`${gw.metadata.namespace}/${gw.metadata.name}`);
      if (!found) continue;
      const previousListeners: any[] = gw.status?.listeners ?? [];
      this.writeStatus(T.gateways, gw, {
        addresses: [{ type: 'IPAddress', value: LISTENER_ADDRESS }],
        conditions: timed(found.conditions, gw.status?.conditions, now),
        listeners: found.listeners.map((l) => ({
          ...l,
          conditions: timed(l.conditions, previousListeners.find((p) => p.name === l.name)?.conditions, now),
        })),
      });
    }

    for (const route of this.cluster.list(T.httproutes)) {
      const ours = model.routeParents.get(`${route.metadata.namespace}/${route.metadata.name}`);
      if (!ours) continue;
      const previous: any[] = route.status?.parents ?? [];
      const others = previous.filter((p) => p.controllerName !== GATEWAY_CONTROLLER);
      const mine = ours.map((entry) => ({
        parentRef: entry.parentRef,
        controllerName: GATEWAY_CONTROLLER,
        conditions: timed(
          entry.conditions,
          previous.find((p) => p.controllerName === GATEWAY_CONTROLLER && same(p.parentRef, entry.parentRef))
            ?.conditions,
          now,
        ),
      }));
      if (mine.length === 0 && previous.length === others.length) continue;
      this.writeStatus(T.httproutes, route, { ...route.status, parents: [...others, ...mine] });
    }

    // Every Ingress of a served class, canary Ingresses included, as ingress-nginx's statusSync.updateStatus
    // (internal/ingress/status/status.go) writes its address on every Ingress in its store; never cleared.
    const served = new Set([...evaluateIngresses(this.cluster).values()].flatMap((m) => m.ingresses));
    for (const ingress of this.cluster.list(T.ingresses)) {
      if (!served.has(`${ingress.metadata.namespace}/${ingress.metadata.name}`)) continue;
      this.writeStatus(T.ingresses, ingress, {
        ...ingress.status,
        loadBalancer: { ingress: [{ ip: LISTENER_ADDRESS }] },
      });
    }
  }
}
