import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, renderHtml } from '../../../src/report/html.ts';
import { mermaidRateChart, rateSeries, MAX_CHART_POINTS } from '../../../src/report/mermaid.ts';
import type { RenderableReport } from '../../../src/report/view.ts';
import { errorsMetric, fractionalMetric, noDataMetric, smallReport } from './fixture-report.ts';

describe('HTML report', () => {
  test('self-contained: no scripts, no external references, a CSP that forbids both', () => {
    const html = renderHtml(smallReport, { runUrl: 'https://github.com/org/web/actions/runs/42' });
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(html, /<script|<link|<img|src=|@import|url\(/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    assert.deepEqual(hrefs, ['https://github.com/org/web/actions/runs/42']);
  });

  test('shows the verdict, the reason, one row per metric with ∞ for unbounded values, and a chart', () => {
    const html = renderHtml(smallReport);
    assert.match(html, /<h1>↩️ Canary rolled-back \(verdict fail\)<\/h1>/);
    assert.match(html, /<strong>Reason:<\/strong> regression detected: errors/);
    assert.match(
      html,
      /<tr><td>errors<\/td><td>ratio<\/td><td>4% \(40\/1000\)<\/td><td>1% \(10\/1000\)<\/td><td>×4 \[1\.9, ∞\]<\/td><td>512 \/ 300<\/td><td>❌ fail<\/td>/,
    );
    assert.equal(html.match(/<svg /g)?.length, 1, 'one chart: only the ratio metric has a trajectory');
    assert.match(html, /<polyline class="canary" points="[\d., ]+"\/>/);
  });

  test('a metric without data reads n/a; counts are rounded', () => {
    const html = renderHtml({ ...smallReport, metrics: [noDataMetric, fractionalMetric] });
    assert.match(
      html,
      /<tr><td>no-traffic<\/td><td>ratio<\/td><td>– \(0\/0\)<\/td><td>– \(0\/0\)<\/td><td>n\/a<\/td>/,
    );
    assert.match(html, /<td>0% \(0\/622\)<\/td><td>0\.292% \(3\.5\/1188\)<\/td><td>×1 \[0, 2\.5\]<\/td>/);
  });

  test('hostile strings are escaped everywhere', () => {
    const evil = `"><script>alert(1)</script><img src=x onerror='y'>`;
    const report: RenderableReport = {
      verdict: 'fail',
      reason: evil,
      canary: evil,
      metrics: [{ ...errorsMetric, name: evil, reason: evil, queries: { [evil]: evil } }],
      guards: [{ name: 'restarts', tripped: true, blocking: true, reason: evil }],
    };
    const html = renderHtml(report, { runUrl: `https://x.test/${evil}`, reportPath: evil });
    assert.doesNotMatch(html, /<script|<img|onerror='/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const tags = new Set([...html.matchAll(/<([a-z0-9]+)[\s>/]/gi)].map((match) => match[1]?.toLowerCase()));
    for (const tag of tags) {
      assert.ok(
        [
          'html',
          'head',
          'meta',
          'title',
          'style',
          'body',
          'h1',
          'h2',
          'h3',
          'p',
          'strong',
          'a',
          'code',
          'table',
          'thead',
          'tbody',
          'tr',
          'th',
          'td',
          'details',
          'summary',
          'pre',
          'figure',
          'figcaption',
          'svg',
          'line',
          'text',
          'polyline',
          'span',
        ].includes(tag ?? ''),
        `unexpected tag <${tag}>`,
      );
    }
  });

  test('a URL that is not http(s) is not linked', () => {
    const html = renderHtml(smallReport, { runUrl: 'javascript:alert(1)', reportUrl: 'data:text/html,x' });
    assert.doesNotMatch(html, /href=/);
  });

  test('escapeHtml covers quotes as well as angle brackets and ampersands', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('rate series and the Mermaid chart', () => {
  test('polls without traffic on either track are left out; rates become percentages', () => {
    const series = rateSeries({
      ...errorsMetric,
      trajectory: [
        { t: 30, evidence: 1, canary: 0.02, baseline: 0.01 },
        { t: 60, evidence: 1, canary: 0.02 },
        { t: 90, evidence: 1, canary: 0.1234567, baseline: 0 },
      ],
    });
    assert.deepEqual(series, {
      metric: 'errors',
      labels: ['30s', '1m30s'],
      canary: [2, 12.35],
      baseline: [1, 0],
    });
  });

  test('long runs are thinned to at most MAX_CHART_POINTS, keeping the last poll', () => {
    const trajectory = Array.from({ length: 500 }, (_, i) => ({
      t: (i + 1) * 10,
      evidence: 1,
      canary: 0.01,
      baseline: 0.01,
    }));
    const series = rateSeries({ ...errorsMetric, trajectory });
    assert.ok(
      series && series.labels.length <= MAX_CHART_POINTS && series.labels.length > MAX_CHART_POINTS / 2,
    );
    assert.equal(series?.labels.at(-1), '1h23m20s');
  });

  test('threshold and gauge metrics have no rate chart', () => {
    assert.equal(rateSeries({ ...errorsMetric, type: 'gauge' }), undefined);
    assert.equal(rateSeries({ ...errorsMetric, type: 'threshold' }), undefined);
  });

  test('chart titles keep only plain characters (no quotes or backticks to end a string or a fence)', () => {
    const chart = mermaidRateChart({ metric: 'a"b`c]', labels: ['30s'], canary: [1], baseline: [0] });
    assert.match(chart, /title "a b c : rate per poll \(%\)"/);
    assert.doesNotMatch(chart, /`/);
  });
});
