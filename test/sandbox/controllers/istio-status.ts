/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
/**
 * The status istiod writes when it is configured to (it writes none by default): with
 * PILOT_ENABLE_STATUS=true and PILOT_ENABLE_CONFIG_DISTRIBUTION_TRACKING=true
 * (`pilot/pkg/status/distribution`; istio.io, "Wait on Resource Status for Applied Configuration") every
 * Istio config object gets `status.observedGeneration` and a `Reconciled` condition ("N/M proxies up to
 * date.", True once every proxy acknowledged the generation); with analysis on (`istiod.enableAnalysis`)
 * the analyzers' findings go to `status.validationMessages` (`{type: {code}, level, documentationUrl}`:
 * istiod writes no message text there). istiod writes int64 generations in proto JSON, as strings (the
 * CRDs declare `observedGeneration` int-or-string).
 *
 * The sandbox's mesh has one client (the Service listeners play its sidecar), so a generation is
 * "1/1 proxies up to date." once the listeners carry it: this controller runs after the network
 * controller's pass. Analysis: IST0101 only (routing/istio.ts, `unresolvedReferences`). Off unless
 * `startSandbox({ istioStatus: true })`.
 */
/**
 * The status istiod writes when it is configured to (it writes none by default): with
 * PILOT_ENABLE_STATUS=true and PILOT_ENABLE_CONFIG_DISTRIBUTION_TRACKING=true (`pilot/pkg/status/distribution`;
 * istio.io, "Wait on Resource Status for Applied Configuration") every Istio config
 * object gets `status.observedGeneration` and a `Reconciled` condition ("N/M proxies up to date.", True once
 * every proxy acknowledged the generation); with analysis on (`istiod.enableAnalysis`) the analyzers'
 * findings go to `status.validationMessages` (`{type: {code}, level, documentationUrl}`: istiod writes no
 * message text there). istiod writes int64 generations in proto JSON, as strings (the CRDs declare
 * `observedGeneration` int-or-string).
 *
 * The sandbox's mesh has one client (the Service listeners play its sidecar), so a generation is
 * "1/1 proxies up to date." once the listeners carry it: this controller runs after the network
 * controller's pass. Analysis: IST0101 only (routing/istio.ts, `unresolvedReferences`). Off unless
 * `startSandbox({ istioStatus: true })`.
 */
import type { ResourceType } from '../apiserver/resources.ts';
import { timestamp } from '../apiserver/store.ts';
import { unresolvedReferences } from '../routing/istio.ts';
import type { Cluster, Obj } from './cluster.ts';
import { T } from './cluster.ts';

const IST0101 = {
  level: 'ERROR',
  type: { code: 'IST0101' },
  documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0101/',
};

export class IstioStatusController {
  constructor(private readonly cluster: Cluster) {}

  syncAll(): void {
    for (const vs of this.cluster.list(T.virtualservices)) {
      // One message per reference istiod cannot resolve; only its code reaches the status.
      const messages = unresolvedReferences(this.cluster, vs).map(() => IST0101);
      this.write(T.virtualservices, vs, messages);
    }
    for (const dr of this.cluster.list(T.destinationrules)) this.write(T.destinationrules, dr, []);
  }

  private write(type: ResourceType, object: Obj, messages: unknown[]): void {
    if (object.metadata.deletionTimestamp) return;
    const { validationMessages: _old, ...kept } = object.status ?? {};
    const wanted = {
      observedGeneration: String(object.metadata.generation ?? 1),
      reconciled: { type: 'Reconciled', status: 'True', message: '1/1 proxies up to date.' },
      messages,
    };
    const previous = (object.status?.conditions ?? []).find((c: any) => c.type === 'Reconciled');
    const current = {
      observedGeneration: object.status?.observedGeneration,
      reconciled: previous && { type: previous.type, status: previous.status, message: previous.message },
      messages: object.status?.validationMessages ?? [],
    };
    if (JSON.stringify(current) === JSON.stringify(wanted)) return;
    const now = timestamp();
    const others = (object.status?.conditions ?? []).filter((c: any) => c.type !== 'Reconciled');
    this.cluster.updateIfChanged(type, {
      ...object,
      status: {
        ...kept,
        observedGeneration: wanted.observedGeneration,
        conditions: [...others, { ...wanted.reconciled, lastProbeTime: now, lastTransitionTime: now }],
        ...(messages.length > 0 ? { validationMessages: messages } : {}),
      },
    });
  }
}
