/**
 * A fake instrumented service for metrics tests. Each track serves exactly `rps` requests per second
 * of wall time (counted lazily from a start instant, so the counts are deterministic functions of
 * time), every 1/errorRate-th request failing (errors spread evenly), latencies drawn from a seeded
 * log-normal. It exposes Prometheus text format on /metrics:
 *
 *   http_requests_total{track="canary",code="200"|"500"}                      counter
 *   http_request_duration_seconds_bucket{track="canary",le="0.005"…"+Inf"}     Prometheus' default buckets
 *   http_request_duration_seconds_sum{track="canary"}, …_count{track="canary"}
 *
 * pushToInflux() writes the same cumulative numbers every second as line protocol, in the schema
 * Telegraf's prometheus input produces with metric_version = 2 (measurement `prometheus`, one field per
 * metric name, labels as tags, `le` a tag), precision s:
 *
 *   prometheus,code=500,track=canary http_requests_total=12 1700000000
 *   prometheus,le=0.25,track=canary http_request_duration_seconds_bucket=830 1700000000
 *   prometheus,track=canary http_request_duration_seconds_sum=41.2,http_request_duration_seconds_count=1200 1700000000
 *
 * Example InfluxQL (the InfluxDB provider replaces $timeFilter and $interval):
 *   ratio (5xx per window, then total per window; the judge divides):
 *     SELECT sum("d") FROM (SELECT non_negative_difference(last("http_requests_total")) AS "d"
 *       FROM "prometheus" WHERE $timeFilter AND "track" = 'canary' AND "code" =~ /^5/ GROUP BY time($interval), *)
 *       WHERE $timeFilter GROUP BY time($interval)
 *   histogram (increase per bucket): provider.histogramQuery('http_request_duration_seconds', `"track" = 'canary'`, 10_000)
 *     SELECT sum("increase") AS "increase" FROM (SELECT non_negative_difference(last("http_request_duration_seconds_bucket"))
 *       AS "increase" FROM "prometheus" WHERE $timeFilter AND "track" = 'canary' GROUP BY time(10s), *)
 *       WHERE $timeFilter GROUP BY time(10s), "le"
 * Example PromQL:
 *   ratio: sum(increase(http_requests_total{track="canary",code=~"5.."}[30s])) / sum(increase(http_requests_total{track="canary"}[30s]))
 *   histogram: sum by (le) (increase(http_request_duration_seconds_bucket{track="canary"}[30s]))
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface TrackSpec {
  rps: number;
  /** Fraction of requests answered 500, spread evenly (0.1 → every 10th). */
  errorRate: number;
  /** Median latency of a log-normal with sigma 0.5 (shorthand for `latency`). */
  latencyMs?: number;
  latency?: { medianMs: number; sigma: number };
}

export interface TrackCounters {
  requests: number;
  errors: number;
  /** Cumulative counts per DEFAULT_BUCKETS bound, then +Inf. */
  buckets: number[];
  sumSeconds: number;
}

export interface RunningExporter {
  /** The /metrics URL. */
  url: string;
  /** `127.0.0.1:port`, for a Prometheus scrape target. */
  target: string;
  /** Counters now (advanced to the current instant). */
  counters(): Record<string, TrackCounters>;
  /** Zeroes every counter, as a process restart would. */
  reset(): void;
  /** Changes a track's rates from now on. */
  setTrack(name: string, spec: TrackSpec): void;
  /** Writes the counters to InfluxDB 1.x every second; resolves after the first write succeeded. */
  pushToInflux(url: string, database: string): Promise<void>;
  stop(): Promise<void>;
}

/** Small seeded PRNG (mulberry32): the latency sequence of a track is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(name: string): number {
  let hash = 2166136261;
  for (const c of name) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619);
  return hash >>> 0;
}

class Track {
  private spec: TrackSpec;
  private segmentStart: number;
  private generatedAtSegmentStart = 0;
  /** Requests generated over the track's life (not reset), drives the even error spread. */
  private generated = 0;
  private readonly random: () => number;
  counters: TrackCounters = emptyCounters();

  constructor(name: string, spec: TrackSpec, now: number) {
    this.spec = spec;
    this.segmentStart = now;
    this.random = seededRandom(seedOf(name));
  }

  advance(now: number): void {
    const target =
      this.generatedAtSegmentStart + Math.floor((this.spec.rps * (now - this.segmentStart)) / 1000);
    while (this.generated < target) this.serveOne();
  }

  setSpec(spec: TrackSpec, now: number): void {
    this.advance(now);
    this.spec = spec;
    this.segmentStart = now;
    this.generatedAtSegmentStart = this.generated;
  }

  private serveOne(): void {
    const k = ++this.generated;
    const rate = this.spec.errorRate;
    const c = this.counters;
    c.requests++;
    if (Math.floor(k * rate) > Math.floor((k - 1) * rate)) c.errors++;
    const seconds = this.latencySeconds();
    c.sumSeconds += seconds;
    DEFAULT_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) c.buckets[i]!++;
    });
    c.buckets[DEFAULT_BUCKETS.length]!++;
  }

  private latencySeconds(): number {
    const { medianMs, sigma } = this.spec.latency ?? { medianMs: this.spec.latencyMs ?? 50, sigma: 0.5 };
    const u1 = this.random() || Number.MIN_VALUE;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.random());
    return (medianMs / 1000) * Math.exp(sigma * z);
  }
}

function emptyCounters(): TrackCounters {
  return {
    requests: 0,
    errors: 0,
    buckets: new Array<number>(DEFAULT_BUCKETS.length + 1).fill(0),
    sumSeconds: 0,
  };
}

const le = (i: number) => (i < DEFAULT_BUCKETS.length ? String(DEFAULT_BUCKETS[i]) : '+Inf');

export function prometheusText(counters: Record<string, TrackCounters>): string {
  const out = ['# HELP http_requests_total Requests served.', '# TYPE http_requests_total counter'];
  for (const [track, c] of Object.entries(counters)) {
    out.push(`http_requests_total{track="${track}",code="200"} ${c.requests - c.errors}`);
    out.push(`http_requests_total{track="${track}",code="500"} ${c.errors}`);
  }
  out.push(
    '# HELP http_request_duration_seconds Request latency.',
    '# TYPE http_request_duration_seconds histogram',
  );
  for (const [track, c] of Object.entries(counters)) {
    c.buckets.forEach((count, i) =>
      out.push(`http_request_duration_seconds_bucket{track="${track}",le="${le(i)}"} ${count}`),
    );
    out.push(`http_request_duration_seconds_sum{track="${track}"} ${c.sumSeconds}`);
    out.push(`http_request_duration_seconds_count{track="${track}"} ${c.requests}`);
  }
  return `${out.join('\n')}\n`;
}

export function influxLines(counters: Record<string, TrackCounters>, epochSeconds: number): string {
  const out: string[] = [];
  for (const [track, c] of Object.entries(counters)) {
    out.push(
      `prometheus,code=200,track=${track} http_requests_total=${c.requests - c.errors} ${epochSeconds}`,
    );
    out.push(`prometheus,code=500,track=${track} http_requests_total=${c.errors} ${epochSeconds}`);
    c.buckets.forEach((count, i) =>
      out.push(
        `prometheus,le=${le(i)},track=${track} http_request_duration_seconds_bucket=${count} ${epochSeconds}`,
      ),
    );
    out.push(
      `prometheus,track=${track} http_request_duration_seconds_sum=${c.sumSeconds},` +
        `http_request_duration_seconds_count=${c.requests} ${epochSeconds}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export async function startExporter(options: {
  tracks: Record<string, TrackSpec>;
}): Promise<RunningExporter> {
  const tracks = new Map<string, Track>();
  for (const [name, spec] of Object.entries(options.tracks))
    tracks.set(name, new Track(name, spec, Date.now()));

  const counters = () => {
    const now = Date.now();
    const out: Record<string, TrackCounters> = {};
    for (const [name, track] of tracks) {
      track.advance(now);
      out[name] = { ...track.counters, buckets: [...track.counters.buckets] };
    }
    return out;
  };

  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(prometheusText(counters()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let pushTimer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  const push = async (url: string, database: string) => {
    const body = influxLines(counters(), Math.floor(Date.now() / 1000));
    const response = await fetch(`${url}/write?${new URLSearchParams({ db: database, precision: 's' })}`, {
      method: 'POST',
      body,
    });
    if (response.status !== 204)
      throw new Error(`InfluxDB write: HTTP ${response.status} ${await response.text()}`);
  };

  return {
    url: `http://127.0.0.1:${port}/metrics`,
    target: `127.0.0.1:${port}`,
    counters,
    reset() {
      const now = Date.now();
      for (const track of tracks.values()) {
        track.advance(now);
        track.counters = emptyCounters();
      }
    },
    setTrack(name, spec) {
      const existing = tracks.get(name);
      if (existing) existing.setSpec(spec, Date.now());
      else tracks.set(name, new Track(name, spec, Date.now()));
    },
    async pushToInflux(url, database) {
      await push(url, database);
      clearTimeout(pushTimer);
      // One write just after each whole second (no drift), so each second holds that second's counts.
      const schedule = () => {
        pushTimer = setTimeout(
          () => {
            inFlight = push(url, database).catch(() => undefined);
            schedule();
          },
          1100 - (Date.now() % 1000),
        );
      };
      schedule();
    },
    async stop() {
      clearTimeout(pushTimer);
      await inFlight;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
