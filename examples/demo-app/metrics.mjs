/**
 * A minimal Prometheus text-format (0.0.4) registry: labelled counters and histograms, plus the
 * standard process metrics. Enough for the demo app; no dependency.
 */

/** Prometheus' default histogram buckets (client_golang DefBuckets). */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabelValue(value) {
  return String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(labels) {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function labelKey(labelNames, labels) {
  return labelNames.map((name) => String(labels[name] ?? '')).join('\u0000');
}

function pick(labelNames, labels) {
  return Object.fromEntries(labelNames.map((name) => [name, String(labels[name] ?? '')]));
}

export class Counter {
  constructor(name, help, labelNames) {
    Object.assign(this, { name, help, labelNames, series: new Map() });
  }

  inc(labels, by = 1) {
    const key = labelKey(this.labelNames, labels);
    const entry = this.series.get(key) ?? { labels: pick(this.labelNames, labels), value: 0 };
    entry.value += by;
    this.series.set(key, entry);
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.series.values())
      lines.push(`${this.name}${formatLabels(labels)} ${value}`);
    return lines;
  }
}

export class Histogram {
  constructor(name, help, labelNames, buckets = DEFAULT_BUCKETS) {
    Object.assign(this, { name, help, labelNames, buckets, series: new Map() });
  }

  observe(labels, seconds) {
    const key = labelKey(this.labelNames, labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: pick(this.labelNames, labels), counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    this.buckets.forEach((bound, index) => {
      if (seconds <= bound) entry.counts[index] += 1;
    });
    entry.sum += seconds;
    entry.count += 1;
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, index) => {
        lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: String(bound) })} ${counts[index]}`);
      });
      lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${sum}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${count}`);
    }
    return lines;
  }
}

/** Samples read at scrape time; `type` is `gauge` or, for values that only grow, `counter`. */
export class Gauge {
  constructor(name, help, read, type = 'gauge') {
    Object.assign(this, { name, help, read, type });
  }

  render() {
    const samples = this.read();
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels = {}, value } of samples) lines.push(`${this.name}${formatLabels(labels)} ${value}`);
    return lines;
  }
}

/** The standard process_* metrics every Prometheus client library exposes. */
export function processMetrics(startTimeSeconds) {
  return [
    new Gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', () => [
      { value: startTimeSeconds },
    ]),
    new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => [
      { value: process.memoryUsage.rss() },
    ]),
    new Gauge(
      'process_cpu_seconds_total',
      'Total user and system CPU time spent in seconds.',
      () => {
        const { user, system } = process.cpuUsage();
        return [{ value: (user + system) / 1e6 }];
      },
      'counter',
    ),
  ];
}

export function renderMetrics(metrics) {
  return `${metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
}
