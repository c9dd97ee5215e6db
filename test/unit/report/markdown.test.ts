import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, fencedBlock, renderMarkdown } from '../../../src/report/markdown.ts';
import type { RenderableReport } from '../../../src/report/view.ts';
import type { ReleaseReport } from '../../../src/pipeline/release-report.ts';
import { errorsMetric, fractionalMetric, noDataMetric, smallReport } from './fixture-report.ts';

/** Splits markdown into text outside code fences and the contents of each fenced block (CommonMark rules). */
function splitFences(markdown: string): { outside: string[]; blocks: string[]; unclosed: boolean } {
  const outside: string[] = [];
  const blocks: string[] = [];
  let fence: string | undefined;
  let current: string[] = [];
  for (const line of markdown.split('\n')) {
    if (fence === undefined) {
      const open = /^(`{3,})[^`]*$/.exec(line);
      if (open) {
        fence = open[1];
        current = [];
      } else outside.push(line);
    } else if (new RegExp(`^\`{${fence.length},}\\s*$`).test(line)) {
      blocks.push(current.join('\n'));
      fence = undefined;
    } else current.push(line);
  }
  return { outside, blocks, unclosed: fence !== undefined };
}

/** Table cells split on pipes that are not backslash-escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);

describe('markdown job summary', () => {
  test('snapshot of a small rolled-back release', () => {
    const markdown = renderMarkdown(smallReport, {
      runUrl: 'https://github.com/org/web/actions/runs/42',
      reportPath: 'canary-report.json',
    });
    assert.equal(
      markdown,
      `## ↩️ Canary rolled-back \\(verdict fail\\)

**Reason:** regression detected: errors

**Canary:** web-canary · **Image:** registry.local:5000/web · **Digest:** sha256:abc · **Polls:** 2 · **Exit code:** 1

[Run](<https://github.com/org/web/actions/runs/42>) · Report: \` canary-report.json \`

| Metric | Kind | Canary | Baseline | Ratio [bounds] | Evidence / threshold | Verdict | Reason |
| --- | --- | --- | --- | --- | --- | --- | --- |
| errors | ratio | 4% \\(40/1000\\) | 1% \\(10/1000\\) | ×4 \\[1.9, ∞\\] | 512 / 300 | ❌ fail | e-value 512 reached 300 |
| p99 | threshold \\(advisory\\) | 0.421 | – | – | 0 failed / limit 2 | ✅ pass | within bounds |

**Guards**

- ✅ ok: **traffic-share** — share 0.5 as expected

### Canary vs baseline per poll

_First line: canary; second line: baseline._

\`\`\`mermaid
xychart-beta
  title "errors: rate per poll (%)"
  x-axis "elapsed" ["30s", "1m"]
  y-axis "rate (%)" 0 --> 5.5
  line [3, 5]
  line [1, 1]
\`\`\`

<details>
<summary>Queries sent</summary>

**errors** · canary.bad

\`\`\`
sum(increase(http_requests_total{code=~"5.."}[30s]))
\`\`\`

</details>
`,
    );
  });

  test('verdict and reason come first; unbounded values (null in JSON) print ∞', () => {
    const lines = renderMarkdown(smallReport).split('\n');
    assert.match(lines[0] ?? '', /^## .*rolled-back/);
    assert.equal(lines[2], '**Reason:** regression detected: errors');
    const row = lines.find((line) => line.startsWith('| errors'));
    assert.match(row ?? '', /×4 \\\[1\.9, ∞\\\]/);
  });

  test('a metric without data reads n/a, as its reason says, not ×∞ [0, ∞]', () => {
    const row = renderMarkdown({ ...smallReport, metrics: [noDataMetric] })
      .split('\n')
      .find((line) => line.startsWith('| no-traffic'));
    assert.ok(row);
    const cells = row.split(' | ').map((cell) => cell.trim());
    assert.equal(cells[4], 'n/a');
    assert.doesNotMatch(row, /×∞|\[0, ∞\]/);
  });

  test('counts are rounded: whole events from 10 up (increase() extrapolates), two digits below', () => {
    const row = renderMarkdown({ ...smallReport, metrics: [fractionalMetric] })
      .split('\n')
      .find((line) => line.startsWith('| fractional'));
    assert.match(row ?? '', /\| 0% \\\(0\/622\\\) \| 0\.292% \\\(3\.5\/1188\\\) \|/);
  });

  test('an analysis-only report (no release fields) renders its verdict and outcome', () => {
    const analysis: RenderableReport = {
      verdict: 'pass',
      outcome: 'passed',
      reason: 'all metrics within tolerance',
      metrics: [],
    };
    const markdown = renderMarkdown(analysis);
    assert.match(markdown, /^## ✅ Canary passed \\\(verdict pass\\\)\n/);
    assert.doesNotMatch(markdown, /\| Metric/);
    assert.doesNotMatch(markdown, /mermaid|<details>/);
  });

  test('the release report type of the engine is accepted as is', () => {
    const release: ReleaseReport = {
      schemaVersion: 1,
      canary: 'web-canary',
      image: 'r/web@sha256:1',
      digest: 'sha256:1',
      revision: 'abc',
      runId: 'run-1',
      phase: 'promoted',
      outcome: 'promoted',
      exitCode: 0,
      reason: 'every step passed',
      steps: [{ weight: 10, verdict: 'pass', reason: 'ok' }],
    };
    const markdown = renderMarkdown(release);
    assert.match(markdown, /^## ✅ Canary promoted\n/);
    assert.match(markdown, /\| 10% \| ✅ pass \| ok \|/);
  });

  test('hostile metric names, reasons and queries cannot break the table, a fence or inject HTML', () => {
    const hostileName = 'a|b<script>alert(1)</script>```\n| x | y |';
    const hostileQuery = 'sum(x{a="|"}) ```\n</details><script>alert(2)</script>\n````';
    const report: RenderableReport = {
      verdict: 'fail',
      reason: 'bad <img src=x onerror=alert(3)> | [link](javascript:alert(4))',
      metrics: [
        {
          ...errorsMetric,
          name: hostileName,
          reason: 'line one\nline two | `code`',
          queries: { 'canary.bad': hostileQuery, 'q|<b>': 'ok' },
        },
      ],
    };
    const markdown = renderMarkdown(report, { runUrl: 'javascript:alert(5)', reportPath: 'a`b`.json' });
    const { outside, blocks, unclosed } = splitFences(markdown);
    assert.equal(unclosed, false);
    assert.ok(blocks.includes(hostileQuery), 'the query appears verbatim inside one fenced block');

    const rows = outside.filter((line) => line.startsWith('|'));
    assert.equal(rows.length, 3);
    for (const row of rows) assert.equal(cells(row).length, 8, row);

    const text = outside.join('\n');
    assert.doesNotMatch(text, /<script|<img|<b>/i);
    const rawTags = text.match(/<\/?[a-z][^>]*>/gi) ?? [];
    assert.deepEqual([...new Set(rawTags)].sort(), ['</details>', '</summary>', '<details>', '<summary>']);
    assert.doesNotMatch(text, /javascript:alert\(5\)|\]\(javascript/);
    assert.match(text, /&lt;script&gt;/);
  });

  test('escapeMarkdown keeps text on one line and escapes pipes, backticks and brackets', () => {
    assert.equal(escapeMarkdown('a|b`c`[d]\ne<f>'), 'a\\|b\\`c\\`\\[d\\] e&lt;f&gt;');
  });

  test('fencedBlock uses a fence longer than any backtick run inside', () => {
    assert.equal(fencedBlock('x ```` y'), '`````\nx ```` y\n`````');
    assert.equal(fencedBlock('plain', 'sh'), '```sh\nplain\n```');
  });
});
