/** A CommandRunner that records argv and plays the tool: writes the digest/metadata files real tools write. */
import { writeFileSync } from 'node:fs';
import type { CommandRunner, RunResult } from '../../../src/image/runner.ts';

export interface Call {
  command: string;
  args: string[];
  stdin?: string;
}

export const IMAGE_ID = `sha256:${'1'.repeat(64)}`;
export const PUSHED_DIGEST = `sha256:${'2'.repeat(64)}`;

export function fakeRunner(
  reply: (call: Call) => Partial<RunResult> = () => ({}),
): CommandRunner & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async run(command, args, options = {}) {
      const call: Call = { command, args: [...args], ...(options.stdin ? { stdin: options.stdin } : {}) };
      calls.push(call);
      const after = (flag: string) => {
        const at = args.indexOf(flag);
        return at >= 0 ? args[at + 1] : undefined;
      };
      const iid = after('--iidfile');
      if (iid) writeFileSync(iid, IMAGE_ID);
      const digestFile = after('--digestfile');
      if (digestFile) writeFileSync(digestFile, PUSHED_DIGEST);
      const metadata = after('--metadata-file');
      if (metadata) {
        writeFileSync(
          metadata,
          JSON.stringify({
            'containerimage.digest': PUSHED_DIGEST,
            'containerimage.config.digest': IMAGE_ID,
          }),
        );
      }
      const result = { code: 0, stdout: '', output: '', ...reply(call) };
      for (const line of result.output.split('\n')) if (line) options.onLine?.(line);
      return result;
    },
  };
}
