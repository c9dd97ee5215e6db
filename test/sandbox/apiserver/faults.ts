/** A fault injected into API requests whose path matches: failures at a rate, added latency, or both. */
export interface FaultRule {
  /** A substring of the request path, or a regular expression tested against path and query. */
  path: string | RegExp;
  /** HTTP methods to affect (default: all). */
  methods?: string[];
  /** 0–1: share of matching requests answered with `status` instead of being served. */
  errorRate?: number;
  /** 500 (default), 503 or 429. */
  status?: 429 | 500 | 503;
  /** Milliseconds added before the request is served (or failed). */
  latencyMs?: number;
}

export interface FaultDecision {
  latencyMs: number;
  failWith?: number;
}

/** The fault-injection switchboard the API server consults for every request. */
export class Faults {
  private rules: FaultRule[] = [];
  private watchDroppers = new Set<() => void>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a rule; the returned function removes it. */
  add(rule: FaultRule): () => void {
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  clear(): void {
    this.rules = [];
  }

  decide(method: string, url: string): FaultDecision {
    const path = url.split('?')[0]!;
    let latencyMs = 0;
    let failWith: number | undefined;
    for (const rule of this.rules) {
      if (rule.methods && !rule.methods.includes(method)) continue;
      if (typeof rule.path === 'string' ? !path.includes(rule.path) : !rule.path.test(url)) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (failWith === undefined && rule.errorRate !== undefined && this.random() < rule.errorRate)
        failWith = rule.status ?? 500;
    }
    return { latencyMs, ...(failWith !== undefined ? { failWith } : {}) };
  }

  /** Registers an open watch; `dropWatches` ends it the way a broken connection would. */
  trackWatch(drop: () => void): () => void {
    this.watchDroppers.add(drop);
    return () => this.watchDroppers.delete(drop);
  }

  /** Ends every open watch stream; returns how many were dropped. */
  dropWatches(): number {
    const droppers = [...this.watchDroppers];
    this.watchDroppers.clear();
    for (const drop of droppers) drop();
    return droppers.length;
  }
}
