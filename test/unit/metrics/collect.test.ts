import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, type Track, type TrackContext } from '../../../src/metrics/collect.ts';
import type { MetricsProvider, RangeQuery, Series } from '../../../src/metrics/provider.ts';
import type { MetricConfig } from '../../../src/config/types.ts';

/** A provider answering from a table of query → series: measure() is pure mapping over its answers. */
function tableProvider(answers: Record<string, Series[]>): MetricsProvider & { asked: RangeQuery[] } {
  const asked: RangeQuery[] = [];
  return {
    type: 'table',
    asked,
    queryRange: async (query) => {
      asked.push(query);
      return answers[query.query] ?? [];
    },
    escapeValue: (value) => value.replace(/"/g, '\\"'),
    histogramQuery: (h, sel, ms) => `hist(${h}|${sel}|${ms / 1000}s)`,
    defaultSelector: ({ namespace, podPattern }) => `ns=${namespace},pod=${podPattern}`,
  };
}

const tracks: Record<Track, TrackContext> = {
  canary: {
    selector: 't="c"',
    intervalMs: 30_000,
    variables: { selector: 't="c"', interval: '30s', track: 'canary', namespace: 'n', workload: 'w' },
  },
  baseline: {
    selector: 't="b"',
    intervalMs: 30_000,
    variables: { selector: 't="b"', interval: '30s', track: 'baseline', namespace: 'n', workload: 'w' },
  },
};
const at = 1_700_000_030;
const point = (value: number, labels: Record<string, string> = {}): Series => ({
  labels,
  points: [[at, value]],
});
const ratio: MetricConfig = {
  name: 'errors',
  type: 'ratio',
  tolerance: 1.5,
  blocking: true,
  direction: 'increase',
  failureLimit: 1,
  bad: 'bad{ {{selector}}, track="{{track}}" }[{{interval}}]',
  total: 'total{ {{selector}} }',
};

describe('measure', () => {
  test('ratio: renders each track, sums series, and treats a missing bad series as zero bad events', async () => {
    const provider = tableProvider({
      'bad{ t="c", track="canary" }[30s]': [point(2), point(1)],
      'total{ t="c" }': [point(100)],
      'total{ t="b" }': [point(90)],
    });
    const m = await measure(ratio, provider, tracks, at, 30);
    assert.deepEqual(m.observation, {
      kind: 'ratio',
      canaryBad: 3,
      canaryTotal: 100,
      baselineBad: 0,
      baselineTotal: 90,
    });
    assert.deepEqual(m.traffic, { canary: 100, baseline: 90 });
    assert.equal(m.queries['baseline.bad'], 'bad{ t="b", track="baseline" }[30s]');
    assert.ok(provider.asked.every((q) => q.start === at && q.end === at && q.stepSeconds === 30));
  });

  test('ratio: no total series for a track is no data, naming the track', async () => {
    const m = await measure(ratio, tableProvider({ 'total{ t="b" }': [point(90)] }), tracks, at, 30);
    assert.deepEqual(m.observation, { kind: 'nodata', reason: 'no series for canary total' });
  });

  test('latency: buckets by le, +Inf last, sorted; missing +Inf is no data', async () => {
    const histogram: MetricConfig = { ...ratio, name: 'lat', type: 'latency', histogram: 'h' };
    const buckets = (counts: number[]) =>
      ['0.1', '+Inf', '0.05'].map((le, i) => point(counts[i] ?? 0, { le }));
    const provider = tableProvider({
      'hist(h|t="c"|30s)': buckets([8, 10, 5]),
      'hist(h|t="b"|30s)': buckets([9, 10, 7]),
    });
    const m = await measure(histogram, provider, tracks, at, 30);
    assert.deepEqual(m.observation, {
      kind: 'latency',
      canary: [
        { le: 0.05, count: 5 },
        { le: 0.1, count: 8 },
        { le: Infinity, count: 10 },
      ],
      baseline: [
        { le: 0.05, count: 7 },
        { le: 0.1, count: 9 },
        { le: Infinity, count: 10 },
      ],
    });
    const noInf = tableProvider({
      'hist(h|t="c"|30s)': [point(1, { le: '0.1' })],
      'hist(h|t="b"|30s)': buckets([1, 1, 1]),
    });
    assert.equal((await measure(histogram, noInf, tracks, at, 30)).observation.kind, 'nodata');
  });

  test('threshold queries the canary only; gauge both', async () => {
    const threshold: MetricConfig = {
      ...ratio,
      name: 'p99',
      type: 'threshold',
      query: 'q{ {{selector}} }',
      max: 1,
    };
    const provider = tableProvider({ 'q{ t="c" }': [point(0.7)], 'q{ t="b" }': [point(0.5)] });
    const t = await measure(threshold, provider, tracks, at, 30);
    assert.deepEqual(t.observation, { kind: 'threshold', value: 0.7 });
    assert.deepEqual(Object.keys(t.queries), ['canary.value']);
    const g = await measure({ ...threshold, type: 'gauge' }, provider, tracks, at, 30);
    assert.deepEqual(g.observation, { kind: 'gauge', canary: 0.7, baseline: 0.5 });
  });
});

describe('measure with per-pod breakdowns', () => {
  const perPod = (query: string) =>
    query.startsWith('sum(') ? `sum by (pod) (${query.slice(4)}` : undefined;
  const withStable: typeof tracks & { stable: (typeof tracks)['canary'] } = {
    ...tracks,
    stable: {
      selector: 't="s"',
      intervalMs: 30_000,
      variables: { ...tracks.baseline.variables, selector: 't="s"', track: 'stable' },
    },
  };
  const metric: MetricConfig = {
    ...ratio,
    bad: 'sum(bad{ {{selector}} })',
    total: 'sum(total{ {{selector}} })',
  };

  test('ratio: per-pod counts for each track, the stable fleet queried only per pod', async () => {
    const provider = {
      ...tableProvider({
        'sum(total{ t="c" })': [point(10)],
        'sum(total{ t="b" })': [point(20)],
        'sum by (pod) (total{ t="c" })': [point(10, { pod: 'c1' })],
        'sum by (pod) (bad{ t="b" })': [point(1, { pod: 'b2' })],
        'sum by (pod) (total{ t="b" })': [point(12, { pod: 'b1' }), point(8, { pod: 'b2' })],
        'sum by (pod) (total{ t="s" })': [point(30, { pod: 's1' }), point(5, {})],
      }),
      byPod: perPod,
    };
    const m = await measure(metric, provider, withStable, at, 30);
    assert.deepEqual(m.observation, {
      kind: 'ratio',
      canaryBad: 0,
      canaryTotal: 10,
      baselineBad: 0,
      baselineTotal: 20,
      pods: {
        canary: [{ pod: 'c1', bad: 0, total: 10 }],
        baseline: [
          { pod: 'b1', bad: 0, total: 12 },
          { pod: 'b2', bad: 1, total: 8 },
        ],
        stable: [{ pod: 's1', bad: 0, total: 30 }],
      },
    });
    assert.equal(m.queries['stable.total'], undefined, 'the stable fleet has no aggregate query');
    assert.equal(m.queries['stable.total.pods'], 'sum by (pod) (total{ t="s" })');
  });

  test('series without a pod label give no breakdown at all', async () => {
    const provider = {
      ...tableProvider({
        'sum(total{ t="c" })': [point(10)],
        'sum(total{ t="b" })': [point(20)],
        'sum by (pod) (total{ t="c" })': [point(10)],
      }),
      byPod: perPod,
    };
    const m = await measure(metric, provider, tracks, at, 30);
    assert.equal('pods' in m.observation, false);
  });
});
