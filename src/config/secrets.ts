import { notifySecrets } from '../notify/settings.ts';
import type { Config } from './types.ts';

/**
 * Every value in the config that could be a credential — each `${VAR}` value substituted, the provider's
 * headers, token, basic auth and keys: the platform masks and redacts them in every output.
 */
export function configSecrets(config: Config): string[] {
  const { provider } = config.analysis;
  return [
    ...config.secrets,
    ...notifySecrets(config.notify ?? []),
    ...Object.values(provider.headers),
    provider.bearerToken,
    provider.basicAuth?.password,
    // What goes into the Basic header (base64 of `user:password` is not found by the password's own base64).
    provider.basicAuth ? `${provider.basicAuth.username}:${provider.basicAuth.password}` : undefined,
    provider.extra.token,
    provider.extra.apiKey,
    provider.extra.applicationKey,
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}
