/**
 * Reads the demo app's behaviour from its environment. Every invalid value is reported with the
 * variable's name, the value and what was expected, so a misconfigured pod says why it crashed.
 */

export class ConfigError extends Error {}

function number(env, name, fallback, { min, max, integer = false }) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const kind = integer ? 'an integer' : 'a number';
  const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    throw new ConfigError(`invalid ${name}=${JSON.stringify(raw)}: expected ${kind} ${range}`);
  }
  return value;
}

function flag(env, name) {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(raw)) return false;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  throw new ConfigError(
    `invalid ${name}=${JSON.stringify(env[name])}: expected one of 1, true, yes, 0, false, no`,
  );
}

function text(env, name) {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : raw;
}

/** @returns a frozen config object; throws ConfigError on the first invalid variable. */
export function readConfig(env) {
  const host = text(env, 'HOST') ?? '0.0.0.0';
  return Object.freeze({
    port: number(env, 'PORT', 8080, { min: 0, max: 65535, integer: true }),
    host,
    errorRate: number(env, 'DEMO_ERROR_RATE', 0, { min: 0, max: 1 }),
    latencyMs: number(env, 'DEMO_LATENCY_MS', 0, { min: 0, max: 600_000 }),
    slowFraction: number(env, 'DEMO_SLOW_FRACTION', 0, { min: 0, max: 1 }),
    slowMs: number(env, 'DEMO_SLOW_MS', 0, { min: 0, max: 600_000 }),
    crash: flag(env, 'DEMO_CRASH'),
    summaryIntervalMs: number(env, 'DEMO_SUMMARY_INTERVAL_MS', 10_000, { min: 100, integer: true }),
    demoVersion: text(env, 'DEMO_VERSION'),
    appVersion: text(env, 'APP_VERSION'),
    track: text(env, 'CANARY_TRACK'),
    hostname: text(env, 'HOSTNAME'),
  });
}
