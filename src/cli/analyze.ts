import { loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { runAnalyzeCommand } from '../pipeline/analyze-command.ts';
import { ConfigError } from '../util/errors.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { ANALYZE_OPTIONS } from './flags.ts';

export async function execute({
  argv,
  env,
  platform,
  clock,
  signal,
  publish,
}: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, ANALYZE_OPTIONS);
  if (positionals.length > 0)
    throw new ConfigError('arguments', `unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.config) throw new ConfigError('--config', 'is required: the path of the config file');
  const config = withOverrides(await loadConfigFile(values.config, env), values);
  const { exitCode, report } = await runAnalyzeCommand({
    config,
    platform,
    clock,
    ...(values.report ? { reportFile: values.report } : {}),
    signal,
  });
  publish(report);
  return exitCode;
}

/** Flags win over the config file's top-level keys. */
export function withOverrides(config: Config, values: { namespace?: string; workload?: string }): Config {
  return Object.freeze({
    ...config,
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values.workload ? { workload: values.workload.replace(/^deployment\//, '') } : {}),
  });
}
