/** Builders shared by the case tables. */
import type { MessageExpectation } from '../inspect/messages.ts';
import type { Case, CaseContext, Release, ReleaseOptions } from '../harness.ts';

/** `args` with `flag` set to `value` (replaced where present, else appended); `undefined` removes it. */
export function setFlag(args: readonly string[], flag: string, value: string | undefined): string[] {
  const out: string[] = [];
  let found = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) {
      found = true;
      i++;
      if (value !== undefined) out.push(flag, value);
      continue;
    }
    out.push(args[i]!);
  }
  if (!found && value !== undefined) out.push(flag, value);
  return out;
}

export interface BadInputSpec {
  id: string;
  does: string;
  /** What the error must say: the field, the value, the expectation. */
  says: RegExp;
  notSays?: RegExp;
  item?: number;
  /** How the valid release is built (a config or manifest mutated …). */
  release?: ReleaseOptions;
  /** The command line (and environment) from the valid release; default: the release as it is. */
  invoke?: (
    ctx: CaseContext,
    release: Release,
  ) =>
    | Promise<{ args: string[]; env?: Record<string, string> }>
    | { args: string[]; env?: Record<string, string> };
  /** Set-up before the run (objects created in the namespace …); the judging starts after it. */
  setup?: (ctx: CaseContext) => Promise<void>;
  /** The CLI's own time limit (default 20 s): a hang is killed there and recorded. */
  cliTimeoutMs?: number;
  memoryLimitMb?: number;
  without?: string[];
  expects?: string;
}

/** A bad input: the CLI must exit 2 with a clear message before changing anything. */
export function badInput(spec: BadInputSpec): Case {
  const cliTimeoutMs = spec.cliTimeoutMs ?? 20_000;
  return {
    id: spec.id,
    category: 'bad-input',
    does: spec.does,
    expects: spec.expects ?? `exit 2, the message says ${spec.says.source}; nothing changed`,
    ...(spec.item ? { item: spec.item } : {}),
    ...(spec.without ? { without: spec.without } : {}),
    timeoutMs: cliTimeoutMs + 30_000,
    async run(ctx) {
      const release = await ctx.release({ proxy: false, ...spec.release });
      if (spec.setup) {
        await spec.setup(ctx);
        ctx.markStart();
      }
      const call = spec.invoke ? await spec.invoke(ctx, release) : { args: release.args };
      const exit = await ctx.run(call.args, {
        ...(call.env ? { env: call.env } : {}),
        stopOnChange: true,
        timeoutMs: cliTimeoutMs,
        ...(spec.memoryLimitMb ? { memoryLimitMb: spec.memoryLimitMb } : {}),
      });
      const expectation: MessageExpectation = {
        says: spec.says,
        ...(spec.notSays ? { notSays: spec.notSays } : {}),
      };
      ctx.judgeBadInput(exit, expectation);
    },
  };
}

/** A bad input made by editing the valid config object. */
export const configCase = (
  id: string,
  does: string,
  says: RegExp,
  mutate: (config: any) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
  extra: Partial<BadInputSpec> = {},
): Case => badInput({ id, does, says, release: { config: { mutate } }, ...extra });

/** A bad input made by editing the valid manifests (a list of documents, the Deployment last). */
export const manifestCase = (
  id: string,
  does: string,
  says: RegExp,
  mutate: (documents: any[]) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
  extra: Partial<BadInputSpec> = {},
): Case => badInput({ id, does, says, release: { manifests: { mutate } }, ...extra });

/** A bad input made on the command line. */
export const flagCase = (
  id: string,
  does: string,
  says: RegExp,
  edit: (args: string[], ctx: CaseContext) => string[] | Promise<string[]>,
  extra: Partial<BadInputSpec> = {},
): Case =>
  badInput({
    id,
    does,
    says,
    invoke: async (ctx, release) => ({ args: await edit(release.args, ctx) }),
    ...extra,
  });
