/** Bad inputs: each must end with exit 2, a clear message, and nothing changed. */
import type { Case } from '../harness.ts';
import { configCase, flagCase, setFlag } from './common.ts';

export const BAD_INPUT_CASES: Case[] = [
  flagCase('cli.workload.kind', '--workload statefulset/web', /--workload.*statefulset\/web/, (args) =>
    setFlag(args, '--workload', 'statefulset/web'),
  ),
  configCase(
    'config.analysis.interval.sub-ms',
    'analysis.interval: 0.5ms',
    /analysis\.interval.*0\.5ms/,
    (c) => {
      c.analysis.interval = '0.5ms';
    },
  ),
];
