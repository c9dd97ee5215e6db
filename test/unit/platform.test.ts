import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGitLabPlatform, createLocalPlatform } from '../../src/platform/local.ts';

function capture() {
  const lines: string[] = [];
  return { lines, streams: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) } };
}

describe('platforms', () => {
  test('local platform redacts secrets, their URL-encoded and base64 forms', () => {
    const { lines, streams } = capture();
    const platform = createLocalPlatform(streams);
    platform.addSecret('p@ss word/1');
    platform.info(
      'token p@ss word/1 in url p%40ss%20word%2F1 and basic ' + Buffer.from('p@ss word/1').toString('base64'),
    );
    platform.error('again: p@ss word/1');
    assert.equal(lines.join(''), 'token *** in url *** and basic ***\nerror: again: ***\n');
  });

  test('no printed line can be read as a workflow command, whatever value a message quotes', () => {
    const { lines, streams } = capture();
    const platform = createLocalPlatform(streams);
    platform.info('run r1\n::error::injected');
    platform.warning('namespace a\r::add-mask::web');
    assert.equal(lines.join(''), 'run r1\n> ::error::injected\nwarning: namespace a\n> ::add-mask::web\n');
  });

  test('GitLab platform uses collapsible sections, never GitHub workflow commands, and redacts', async () => {
    const { lines, streams } = capture();
    const platform = createGitLabPlatform(streams, () => 1_700_000_000_000);
    platform.addSecret('glpat-abcdef');
    await platform.group('Analysis', async () => platform.warning('key glpat-abcdef'));
    // GitLab recognises sections by these ANSI control sequences; compare against them literally.
    const text = lines.join('').replaceAll('\x1b', '<ESC>');
    assert.match(text, /<ESC>\[0Ksection_start:1700000000:canary_1\[collapsed=false\]\r<ESC>\[0KAnalysis\n/);
    assert.match(text, /<ESC>\[0Ksection_end:1700000000:canary_1\r<ESC>\[0K\n/);
    assert.match(text, /warning: key \*\*\*/);
    assert.doesNotMatch(text, /::(group|warning|add-mask)/);
  });
});
