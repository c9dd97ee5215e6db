import { loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { runAnalyzeCommand } from '../pipeline/analyze-command.ts';
import { ConfigError } from '../util/errors.ts';
import { parseFlags, type Command } from './command.ts';

const OPTIONS = {
  config: { type: 'string' },
  report: { type: 'string' },
  namespace: { type: 'string' },
  workload: { type: 'string' },
} as const;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Judge a running canary against its baseline with live metrics.',
  options: OPTIONS,
  usage: `  --config FILE      Config file (YAML, apiVersion canary-action/v1). Required.
  --report FILE      Write the JSON report here.
  --namespace NAME   Namespace of the workload (overrides the config's namespace).
  --workload NAME    Workload, deployment/NAME or NAME (overrides the config's workload).`,
  async run({ argv, env, platform, clock, signal }) {
    const { values, positionals } = parseFlags(argv, OPTIONS);
    if (positionals.length > 0)
      throw new ConfigError('arguments', `unexpected argument ${JSON.stringify(positionals[0])}`);
    if (!values.config) throw new ConfigError('--config', 'is required: the path of the config file');
    const config = withOverrides(await loadConfigFile(values.config, env), values);
    const { exitCode } = await runAnalyzeCommand({
      config,
      platform,
      clock,
      ...(values.report ? { reportFile: values.report } : {}),
      signal,
    });
    return exitCode;
  },
};

/** Flags win over the config file's top-level keys. */
export function withOverrides(config: Config, values: { namespace?: string; workload?: string }): Config {
  return Object.freeze({
    ...config,
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values.workload ? { workload: values.workload.replace(/^deployment\//, '') } : {}),
  });
}
