import type { Platform } from './types.ts';
import { Redactor, defuseCommands } from '../util/redact.ts';

export interface Streams {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processStreams: Streams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * A plain shell: messages to stdout/stderr, secrets redacted, no line a CI would read as a command (the
 * CLI may run in a GitHub `run:` step).
 */
export function createLocalPlatform(streams: Streams = processStreams): Platform {
  const redactor = new Redactor();
  const write = (to: keyof Streams, text: string) =>
    streams[to](`${defuseCommands(redactor.redact(text))}\n`);
  return {
    name: 'local',
    addSecret: (value) => redactor.add(value),
    redact: redactor.redact,
    info: (message) => write('out', message),
    warning: (message) => write('err', `warning: ${message}`),
    error: (message) => write('err', `error: ${message}`),
    group: async (title, fn) => {
      write('out', `== ${title}`);
      return fn();
    },
    setOutput: () => undefined,
  };
}

/**
 * A GitLab job: collapsible sections, and since GitLab has no mask command the redactor is the
 * only thing that keeps secrets out of the job log.
 */
export function createGitLabPlatform(streams: Streams = processStreams, now = () => Date.now()): Platform {
  const local = createLocalPlatform(streams);
  let section = 0;
  return {
    ...local,
    name: 'gitlab',
    group: async (title, fn) => {
      const id = `canary_${++section}`;
      const stamp = () => Math.floor(now() / 1000);
      streams.out(
        `\x1b[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1b[0K${local.redact(title).replace(/[\r\n]/g, ' ')}\n`,
      );
      try {
        return await fn();
      } finally {
        streams.out(`\x1b[0Ksection_end:${stamp()}:${id}\r\x1b[0K\n`);
      }
    },
  };
}
