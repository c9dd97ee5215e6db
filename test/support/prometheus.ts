/** Runs the real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port for tests. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Series } from '../../src/metrics/provider.ts';
import { parsePrometheusData } from '../../src/metrics/prometheus.ts';
import { freePort, GiveUp, makeTempDir, startProcess, waitFor, waitForHttp } from './service.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface PrometheusOptions {
  /** `host:port` targets scraped at `/metrics` by the job `exporter`. */
  scrapeTargets?: string[];
  /** A file_sd JSON/YAML file watched by the job `file-sd`. */
  fileSdPath?: string;
  scrapeIntervalSeconds?: number;
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

export function prometheusConfig(options: PrometheusOptions): string {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const lines = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
  ];
  if (options.scrapeTargets?.length) {
    lines.push(
      '  - job_name: exporter',
      '    static_configs:',
      `      - targets: ${JSON.stringify(options.scrapeTargets)}`,
    );
  }
  if (options.fileSdPath) {
    lines.push(
      '  - job_name: file-sd',
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(options.fileSdPath)}]`,
      '        refresh_interval: 1s',
    );
  }
  if (!options.scrapeTargets?.length && !options.fileSdPath) lines[lines.length - 1] = 'scrape_configs: []';
  return `${lines.join('\n')}\n`;
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  let lastError: unknown;
  // A port picked as free can be taken before Prometheus binds it: try again with another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await makeTempDir('prometheus');
    const configFile = path.join(dir, 'prometheus.yml');
    await writeFile(configFile, prometheusConfig(options));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = startProcess(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      dir,
    );
    try {
      await waitForHttp(`${url}/-/ready`, 200, service, 60_000);
      return { url, stop: () => service.stop() };
    } catch (error) {
      lastError = error;
      await service.stop();
      if (!(error instanceof GiveUp)) break;
    }
  }
  throw new Error(`Prometheus did not become ready: ${String(lastError)}`);
}

/**
 * Polls the instant query `query` until `predicate` accepts its series; throws at `deadline`
 * (epoch milliseconds) with the last series seen.
 */
export async function waitForSamples(
  url: string,
  query: string,
  predicate: (series: Series[]) => boolean,
  deadline: number,
): Promise<Series[]> {
  let last: Series[] = [];
  try {
    return await waitFor(
      `samples for ${query}`,
      async () => {
        const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
        const body = (await response.json()) as { data?: Parameters<typeof parsePrometheusData>[0] };
        last = parsePrometheusData(body.data);
        return predicate(last) ? last : undefined;
      },
      Math.max(0, deadline - Date.now()),
      250,
    );
  } catch (error) {
    throw new Error(`${String(error)}; last result ${JSON.stringify(last)}`, { cause: error });
  }
}
