import { ConfigError, showValue } from './errors.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
/** The longest a Node timer can wait (2^31-1 ms, ~24.8 days): longer ones fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export interface DurationBounds {
  /** Shortest accepted value in ms (default 1 ms). */
  minMs?: number;
}

/**
 * Parses Go/Prometheus-style durations such as `30s`, `2m`, `1h30m`, `500ms` into milliseconds.
 * A bare number is rejected: the unit is part of the contract.
 */
export function parseDuration(value: unknown, path: string, bounds: DurationBounds = {}): number {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new ConfigError(
      path,
      `expected a duration such as "30s", "2m" or "1h30m", got ${showValue(value)}`,
    );
  }
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(value); match; match = PART.exec(value)) {
    total += Number(match[1]) * (UNITS[match[2] ?? ''] ?? 0);
    consumed = PART.lastIndex;
  }
  if (consumed !== value.length || total <= 0) {
    throw new ConfigError(
      path,
      `expected a duration such as "30s", "2m" or "1h30m", got ${JSON.stringify(value)}`,
    );
  }
  const minMs = bounds.minMs ?? 1;
  if (total < minMs) {
    throw new ConfigError(path, `expected at least ${formatDuration(minMs)}, got ${JSON.stringify(value)}`);
  }
  if (total > MAX_DURATION_MS) {
    throw new ConfigError(
      path,
      `expected at most 596h31m (2^31-1 ms, the longest a timer can wait), got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(total);
}

/** Formats milliseconds the way Prometheus range selectors expect (`30s`, `2m`, `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  let seconds = ms / 1000;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const out = `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
  return out || '0s';
}
