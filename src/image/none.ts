/** No build: deploy `--image` as given, resolving a tag to its digest through the registry when reachable. */
import { CanaryError } from '../util/errors.ts';
import type { BuildResult, ImageBuilder, RegistryCredentials } from './builder.ts';
import type { BuilderDeps } from './deps.ts';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from './registry-client.ts';
import { digestReference, taggedReference } from './reference.ts';

export type RegistryClientFactory = (options: RegistryClientOptions) => RegistryClient;

export function createNoneBuilder(
  deps: BuilderDeps,
  clientFactory: RegistryClientFactory = createRegistryClient,
): ImageBuilder {
  return {
    name: 'none',
    async build(request, signal): Promise<BuildResult> {
      const { image } = request;
      const tag = image.tag ?? (image.digest ? undefined : 'latest');
      const tags = tag ? [taggedReference(image.repository, tag)] : [];
      const result = (digest: string): BuildResult => ({
        image: image.repository,
        digest,
        tags,
        reference: digest ? digestReference(image.repository, digest) : (tags[0] ?? image.repository),
        skipped: true,
        pushed: true,
        labels: {},
      });
      if (image.digest) return result(image.digest);
      const digest = await resolveTag(
        clientFactory,
        image.registry,
        image.path,
        tag ?? 'latest',
        request,
        signal,
      ).catch((error: unknown) => {
        if (!(error instanceof CanaryError)) throw error;
        deps.log.warning(`could not resolve ${tags[0]} to a digest, deploying the tag: ${error.message}`);
        return '';
      });
      if (digest) deps.log.info(`${tags[0]} is ${digest}`);
      else if (digest === undefined)
        deps.log.warning(`${tags[0]} was not found in the registry; deploying the tag as given`);
      return result(digest ?? '');
    },
  };
}

async function resolveTag(
  clientFactory: RegistryClientFactory,
  registry: string,
  path: string,
  tag: string,
  request: { insecureRegistry: boolean; credentials?: RegistryCredentials },
  signal?: AbortSignal,
): Promise<string | undefined> {
  const client = clientFactory({
    registry,
    insecure: request.insecureRegistry,
    retries: 1,
    ...(request.credentials ? { credentials: request.credentials } : {}),
  });
  return (await client.getManifest(path, tag, signal))?.digest;
}
