import type { Config } from '../config/types.ts';
import type { Track, TrackContext, Tracks } from '../metrics/collect.ts';
import type { MetricsProvider } from '../metrics/provider.ts';
import { formatDuration } from '../util/durations.ts';
import { ConfigError } from '../util/errors.ts';

/**
 * The selector and query variables of each track. Without `analysis.tracks`, selectors come from the
 * workload's pods (`<name>-canary-…`, `<name>-baseline-…`), as the release engine names them.
 */
export function trackContexts(config: Config, provider: MetricsProvider): Tracks {
  const { namespace, workload, analysis } = config;
  const uses = (variable: string) =>
    analysis.metrics.some((m) => [m.bad, m.total, m.query].some((q) => q?.includes(`{{${variable}}}`)));
  if (namespace === undefined && uses('namespace')) {
    throw new ConfigError(
      'namespace',
      'is required: a query uses {{namespace}} (set it in the config or with --namespace)',
    );
  }
  if (workload === undefined && uses('workload')) {
    throw new ConfigError(
      'workload',
      'is required: a query uses {{workload}} (set it in the config or with --workload)',
    );
  }
  const selectorFor = (track: Track): string => {
    if (analysis.tracks) return analysis.tracks[track];
    if (namespace === undefined || workload === undefined) {
      throw new ConfigError(
        'analysis.tracks',
        'is required when namespace and workload are not both given (they would derive the selectors)',
      );
    }
    return provider.defaultSelector({ namespace, podPattern: `${workload}-${track}-.+` });
  };
  const context = (track: Track): TrackContext => ({
    selector: selectorFor(track),
    intervalMs: analysis.intervalMs,
    variables: {
      selector: selectorFor(track),
      interval: formatDuration(analysis.intervalMs),
      track,
      namespace: namespace ?? '',
      workload: workload ?? '',
    },
  });
  const tracks: Tracks = { canary: context('canary'), baseline: context('baseline') };
  if (!analysis.tracks && namespace !== undefined && workload !== undefined) {
    // The stable Deployment's own pods (<name>-<template hash>-<suffix>) show its pod-to-pod noise.
    const selector = provider.defaultSelector({ namespace, podPattern: `${workload}-[a-z0-9]+-[a-z0-9]+` });
    tracks.stable = {
      selector,
      intervalMs: tracks.baseline.intervalMs,
      variables: { ...tracks.baseline.variables, selector, track: 'stable' },
    };
  }
  return tracks;
}
