import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTargets, summarise, survivalMedian } from '../../../bench/judge/report.ts';
import type { RunOutcome } from '../../../bench/judge/runner.ts';

const outcome = (
  scenario: string,
  run: number,
  verdict: RunOutcome['verdict'],
  t: number,
  judge = 'canary-action',
): RunOutcome => ({
  judge,
  scenario,
  run,
  verdict,
  t,
});

describe('report', () => {
  test('A/A rows report false positives, regression rows detection, both with Wilson intervals', () => {
    const outcomes = [
      ...Array.from({ length: 99 }, (_, i) => outcome('aa', i, 'pass', 600)),
      outcome('aa', 99, 'fail', 120),
      ...Array.from({ length: 8 }, (_, i) => outcome('errors-x2', i, 'fail', 60 * (i + 1))),
      outcome('errors-x2', 8, 'inconclusive', 1800),
      outcome('errors-x2', 9, 'pass', 1800),
    ];
    const [aa, x2] = summarise(outcomes);
    assert.equal(aa?.falsePositiveRate, 0.01);
    assert.equal(aa?.detectRate, null);
    assert.ok(
      aa?.falsePositiveRateCI && aa.falsePositiveRateCI.low < 0.01 && aa.falsePositiveRateCI.high > 0.05,
    );
    assert.equal(aa?.medianTimeToDecisionSec, 600);
    assert.equal(x2?.detectRate, 0.8);
    assert.equal(x2?.inconclusiveRate, 0.1);
    assert.equal(x2?.medianTimeToFailSec, 270);
    // Half of the 10 runs were detected by the 5th detection, at 300 s.
    assert.equal(x2?.medianTimeToDetectSec, 300);
    assert.equal(x2?.medianTimeToDecisionSec, 330);
    assert.equal(aa?.medianTimeToDetectSec, null);
  });

  test('the median time to detect counts undetected runs as never: a judge that catches few runs is not fast', () => {
    assert.equal(survivalMedian([10, 20, 30], 10), null);
    assert.equal(survivalMedian([50, 10, 20, 40, 30], 10), 50);
    assert.equal(survivalMedian([10, 20, 30, 40, 50, 60, 70], 10), 50);
  });

  test('targets: an A/A false-alarm rate whose upper bound exceeds 1.5% is a miss', () => {
    const outcomes = Array.from({ length: 100 }, (_, i) => outcome('aa', i, i === 0 ? 'fail' : 'pass', 600));
    const [check] = checkTargets(summarise(outcomes));
    assert.equal(check?.met, false);
    assert.match(check?.target ?? '', /canary-action aa/);
  });
});
