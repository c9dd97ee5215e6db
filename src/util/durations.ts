import { ConfigError } from './errors.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/**
 * Parses Go/Prometheus-style durations such as `30s`, `2m`, `1h30m`, `500ms` into milliseconds.
 * A bare number is rejected: the unit is part of the contract.
 */
export function parseDuration(value: unknown, path: string): number {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(
      path,
      `expected a duration such as "30s", "2m" or "1h30m", got ${JSON.stringify(value)}`,
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
  return total;
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
