import { createHash } from 'node:crypto';
import { pullPolicy } from './pod-spec.ts';
import type { ContainerSpec } from './pod-spec.ts';

/** A stand-in image ID: the digest if the reference has one, else a digest derived from the reference. */
export function imageIdFor(image: string): string {
  if (image.includes('@sha256:')) return image;
  const repository = image.replace(/:[^/:]+$/, '');
  return `${repository}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

export interface PullContext {
  /** Images this node has pulled (its image cache, shared by its pods). */
  presentImages: Set<string>;
  imageExists(image: string): Promise<boolean>;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** A pull starts (the container shows ContainerCreating meanwhile). */
  onPulling(): void;
}

export type PullOutcome = { imageID: string } | { waiting: { reason: string; message: string } };

/**
 * Makes a container's image present as the kubelet does, honouring imagePullPolicy, with its events
 * (Pulling, Pulled, Failed) and, on failure, the waiting state to show (ErrImagePull, ErrImageNeverPull).
 */
export async function pullImage(spec: ContainerSpec, ctx: PullContext): Promise<PullOutcome> {
  const { image } = spec;
  const policy = pullPolicy(spec);
  if (policy !== 'Always' && ctx.presentImages.has(image)) {
    ctx.event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return { imageID: imageIdFor(image) };
  }
  if (policy === 'Never') {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    ctx.event('Warning', 'ErrImageNeverPull', message);
    return { waiting: { reason: 'ErrImageNeverPull', message } };
  }
  ctx.onPulling();
  ctx.event('Normal', 'Pulling', `Pulling image "${image}"`);
  const startedAt = Date.now();
  const failure = await ctx.imageExists(image).then(
    (exists) =>
      exists ? undefined : `code = NotFound desc = failed to pull and unpack image "${image}": not found`,
    (error: Error) => `code = Unknown desc = failed to pull and unpack image "${image}": ${error.message}`,
  );
  if (failure === undefined) {
    ctx.presentImages.add(image);
    const took = `${Date.now() - startedAt}ms`;
    ctx.event(
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting)`,
    );
    return { imageID: imageIdFor(image) };
  }
  const message = `rpc error: ${failure}`;
  ctx.event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
  ctx.event('Warning', 'Failed', 'Error: ErrImagePull');
  return { waiting: { reason: 'ErrImagePull', message } };
}
