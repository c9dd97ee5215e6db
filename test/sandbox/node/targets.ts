import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

export interface ScrapeTarget {
  ip: string;
  port: number;
  labels: Record<string, string>;
}

export interface FileSdGroup {
  targets: string[];
  labels: Record<string, string>;
}

/**
 * Turns a Kubernetes label key into a Prometheus label name the way kubernetes_sd does for
 * `__meta_kubernetes_pod_label_<name>` (every character outside [a-zA-Z0-9_] becomes `_`), so a
 * `labelmap` relabelling gives `app.kubernetes.io/name` → `app_kubernetes_io_name`. A leading digit,
 * legal inside the meta label but not at the start of a name, gets a `_` prefix.
 */
export function sanitizeLabelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function formatHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The file_sd groups for these targets: one group per target, sorted by address for a stable file. */
export function prometheusTargetGroups(targets: ScrapeTarget[]): FileSdGroup[] {
  return targets
    .map((target) => {
      const labels: Record<string, string> = {};
      for (const key of Object.keys(target.labels).sort()) {
        labels[sanitizeLabelName(key)] = String(target.labels[key]);
      }
      return { targets: [formatHostPort(target.ip, target.port)], labels };
    })
    .sort((a, b) => (a.targets[0] ?? '').localeCompare(b.targets[0] ?? ''));
}

/**
 * Writes a Prometheus file_sd JSON file atomically (temporary file in the same directory, then
 * rename), so Prometheus never reads a half-written file.
 */
export async function writePrometheusTargets(file: string, targets: ScrapeTarget[]): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(prometheusTargetGroups(targets), null, 2)}\n`);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
