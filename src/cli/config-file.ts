import { loadConfigFile } from '../config/load.ts';
import { configSecrets } from '../config/secrets.ts';
import type { Config } from '../config/types.ts';
import type { CommandContext } from './command.ts';

/** The config file, with its credentials registered before anything can print them (every command's way). */
export async function loadCommandConfig(
  file: string,
  { env, platform }: Pick<CommandContext, 'env' | 'platform'>,
): Promise<Config> {
  const config = await loadConfigFile(file, env);
  configSecrets(config).forEach((secret) => platform.addSecret(secret));
  return config;
}
