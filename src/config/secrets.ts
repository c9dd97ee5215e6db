import { notifySecrets } from '../notify/settings.ts';
import type { Config } from './types.ts';

/** Every value in the config that could be a credential: the platform masks or redacts them. */
export function configSecrets(config: Config): string[] {
  const { provider } = config.analysis;
  return [
    ...config.secrets,
    ...notifySecrets(config.notify ?? []),
    ...Object.values(provider.headers),
    provider.bearerToken,
    provider.basicAuth?.password,
    provider.extra.token,
    provider.extra.apiKey,
    provider.extra.applicationKey,
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}
