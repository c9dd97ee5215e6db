/**
 * Per-connection routing with keep-alive clients, as kube-proxy does it: each client connection is pinned to
 * one pod (chosen uniformly among all the Service's pods when it opens) and stays there until it closes. A
 * connection carries its client's load (heavy-tailed) and its client's error propensity, so both a pod's share
 * of the traffic and its error rate move in sticky bursts, far beyond what independent per-request routing gives.
 */
import type { Random } from './random.ts';
import type { Sticky } from './scenarios.ts';

interface Connection {
  pod: number;
  weight: number;
  errorMultiplier: number;
}

export interface PodLoad {
  /** Multiplies the pod's mean request rate (mean 1 over pods and ticks). */
  load: number;
  /** Multiplies the pod's error rate (traffic-weighted mean of its clients' propensities). */
  errorMultiplier: number;
}

export class StickyConnections {
  private readonly connections: Connection[];

  constructor(
    private readonly params: Sticky,
    private readonly pods: number,
    private readonly random: Random,
  ) {
    this.connections = Array.from({ length: params.connections }, () => this.open());
  }

  private open(): Connection {
    const { rateSd, errorSd } = this.params;
    return {
      pod: Math.floor(this.random.uniform() * this.pods),
      weight: Math.exp(rateSd * this.random.normal() - (rateSd * rateSd) / 2),
      errorMultiplier: Math.exp(errorSd * this.random.normal() - (errorSd * errorSd) / 2),
    };
  }

  /** Every pod's load and error multiplier for this tick; then some connections close and others open. */
  tick(): PodLoad[] {
    const weight = new Float64Array(this.pods);
    const errors = new Float64Array(this.pods);
    let total = 0;
    for (const c of this.connections) {
      weight[c.pod]! += c.weight;
      errors[c.pod]! += c.weight * c.errorMultiplier;
      total += c.weight;
    }
    const loads = Array.from({ length: this.pods }, (_, pod) => ({
      load: total > 0 ? (weight[pod]! / total) * this.pods : 0,
      errorMultiplier: weight[pod]! > 0 ? errors[pod]! / weight[pod]! : 1,
    }));
    for (let i = 0; i < this.connections.length; i++) {
      if (this.random.uniform() < 1 / this.params.meanTicks) this.connections[i] = this.open();
    }
    return loads;
  }
}
