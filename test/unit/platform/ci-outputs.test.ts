import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordingOutputs, writeCiArtifacts } from '../../../src/platform/ci-outputs.ts';
import { jobSummary } from '../../../src/platform/github-summary.ts';
import { createLocalPlatform } from '../../../src/platform/local.ts';

const quiet = createLocalPlatform({ out: () => undefined, err: () => undefined });

describe('CI output files', () => {
  test('dotenv with upper-case keys and comma-joined tags; markdown and HTML of the report the command made', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ci-outputs-'));
    try {
      const report = path.join(dir, 'report.json');
      const { platform, outputs } = recordingOutputs(quiet);
      platform.setOutput('outcome', 'promoted');
      platform.setOutput('tags', 'r/web:abc\nr/web:main-abc\n');
      platform.setOutput('decided-at', '2026-01-01T00:00:00Z');
      platform.setOutput('report', report);
      const file = (name: string) => path.join(dir, name);
      await writeCiArtifacts({
        outputs,
        report: { reason: 'every step passed', outcome: 'promoted', verdict: 'pass' },
        platform,
        env: {
          CANARY_DOTENV: file('o.env'),
          CANARY_MARKDOWN_REPORT: file('r.md'),
          CANARY_HTML_REPORT: file('r.html'),
        },
        links: { runUrl: 'https://gitlab.example/-/jobs/1' },
      });
      assert.equal(
        await readFile(file('o.env'), 'utf8'),
        `OUTCOME=promoted\nTAGS=r/web:abc,r/web:main-abc\nDECIDED_AT=2026-01-01T00:00:00Z\nREPORT=${report}\n`,
      );
      assert.match(await readFile(file('r.md'), 'utf8'), /every step passed[\s\S]*gitlab\.example/);
      assert.match(await readFile(file('r.html'), 'utf8'), /every step passed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('every file through the redaction: a secret the renderings would escape (markdown, HTML) is in none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ci-outputs-'));
    try {
      const secret = 'tok_*<1234>*_x';
      const platform = createLocalPlatform({ out: () => undefined, err: () => undefined });
      platform.addSecret(secret);
      const file = (name: string) => path.join(dir, name);
      const { platform: recording, outputs } = recordingOutputs(platform);
      recording.setOutput('reason', `backend said ${secret}`);
      recording.setOutput('report', file('report.json'));
      await writeCiArtifacts({
        outputs,
        report: { reason: `401: received headers: authorization: Bearer ${secret}`, outcome: 'rolled-back' },
        platform,
        env: {
          CANARY_DOTENV: file('o.env'),
          CANARY_MARKDOWN_REPORT: file('r.md'),
          CANARY_HTML_REPORT: file('r.html'),
        },
      });
      const forms = [secret, 'tok\\_\\*&lt;1234&gt;\\*\\_x', 'tok_*&lt;1234&gt;*_x', '1234'];
      for (const name of ['o.env', 'r.md', 'r.html']) {
        const text = await readFile(file(name), 'utf8');
        assert.match(text, /\*\*\*|\\\*\\\*\\\*/, name);
        for (const form of forms) assert.ok(!text.includes(form), `${name} holds ${form}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('no variables, no files; a command without a release or analysis report (build) renders nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ci-outputs-'));
    try {
      const report = path.join(dir, 'build.json');
      await writeFile(report, JSON.stringify({ image: 'r/web', digest: 'sha256:1' }));
      await writeCiArtifacts({
        outputs: { report },
        platform: quiet,
        env: { CANARY_MARKDOWN_REPORT: path.join(dir, 'r.md') },
      });
      assert.equal(existsSync(path.join(dir, 'r.md')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the job summary without a report', () => {
  test('outcome, reason with exit code, outputs and the run link; markdown in values escaped', () => {
    const text = jobSummary({
      mode: 'promote',
      exitCode: 2,
      message: 'workload: no live canary for deployment/web_x',
      outputs: { image: 'r/web@sha256:1' },
      links: { runUrl: 'https://github.example/o/r/actions/runs/1' },
    });
    assert.match(text, /^## ❌ canary-action promote: failed$/m);
    assert.match(text, /\*\*Reason:\*\* workload: no live canary for deployment\/web\\_x \(exit code 2\)/);
    assert.match(text, /\*\*image:\*\* r\/web@sha256:1/);
    assert.match(text, /\[Run\]\(https:\/\/github\.example\/o\/r\/actions\/runs\/1\)/);
  });

  test('with a report: the report renderer, the error appended', () => {
    const text = jobSummary({
      mode: 'run',
      exitCode: 4,
      message: 'cluster unreachable',
      outputs: {},
      report: { reason: 'rolled back', outcome: 'rolled-back' },
      links: {},
    });
    assert.match(text, /Canary/);
    assert.match(text, /\*\*Error:\*\* cluster unreachable/);
  });
});
