/**
 * Planted secrets: each case gives the tool credentials (and other values it must never print) and
 * makes something echo them back — a metrics backend that quotes the headers it received in its
 * error body (as some proxies and gateways do), a Secret in the manifests under --dry-run, a `${VAR}`
 * in a query, a kubeconfig the server refuses. Handled right: no planted value, in any form, in any
 * output of the run (stdout, stderr, --report JSON, markdown, HTML, dotenv, the GitHub step summary,
 * files left in the run's directories). Every other case plants the provider's token, a header value
 * and the kubeconfig's token too, so the table's "secrets found" covers all of them.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { dump } from 'js-yaml';
import { runAction } from '../../integration/action/runner.ts';
import { startRecordingServer, type Reply } from '../../support/recording-server.ts';
import { kubeconfigObject } from '../fixtures.ts';
import { asRunnerShowsIt, secretValue } from '../inspect/secrets.ts';
import type { Case, CaseContext } from '../harness.ts';
import { setFlag } from './common.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- configs are loose JSON */

function secretCase(spec: Omit<Case, 'category' | 'timeoutMs'> & { timeoutMs?: number }): Case {
  return { category: 'secret', timeoutMs: 150_000, item: 2, ...spec };
}

/** A backend that answers every request with `status` and an error body quoting the request's headers. */
async function echoBackend(ctx: CaseContext, status: number): Promise<string> {
  const echo: Reply = (req, res: http.ServerResponse) => {
    const headers = Object.entries(req.headers)
      .map(([name, value]) => `${name}: ${String(value)}`)
      .join(', ');
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        status: 'error',
        errorType: status === 400 ? 'bad_data' : status === 401 ? 'unauthorized' : 'internal',
        error: `request rejected (received headers: ${headers})`,
        errors: [`request rejected (received headers: ${headers})`],
        message: `request rejected (received headers: ${headers})`,
      }),
    );
  };
  const server = await startRecordingServer([echo]);
  ctx.onCleanup(() => server.close());
  return server.url;
}

/** A release whose provider is `provider` (and metrics, for other backends), run to its end. */
async function runWith(
  ctx: CaseContext,
  provider: Record<string, unknown>,
  options: { metrics?: unknown[]; env?: Record<string, string>; extra?: string[] } = {},
): Promise<void> {
  const release = await ctx.release({
    config: { provider, ...(options.metrics ? { metrics: options.metrics } : {}) },
    ...(options.extra ? { extra: options.extra } : {}),
  });
  const exit = await ctx.run(release.args, {
    timeoutMs: 120_000,
    ...(options.env ? { env: options.env } : {}),
  });
  if (exit.timedOut) ctx.problem('the CLI did not exit in 120 s (killed)');
  ctx.note(`exit ${exit.code}`);
}

const prometheusEcho =
  (status: number, auth: Record<string, unknown> = { bearerToken: '${PROM_TOKEN}' }) =>
  async (ctx: CaseContext) => {
    const url = await echoBackend(ctx, status);
    await runWith(ctx, {
      type: 'prometheus',
      url,
      ...auth,
      headers: { 'X-Scope-OrgID': '${ORG_HEADER}' },
      retries: 1,
    });
  };

const DATADOG_METRICS = [
  {
    name: 'errors',
    type: 'ratio',
    bad: 'sum:trace.http.request.errors{service:web,version:{{track}}}.as_count()',
    total: 'sum:trace.http.request.hits{service:web,version:{{track}}}.as_count()',
  },
];

const FLUX_METRICS = [
  {
    name: 'errors',
    type: 'ratio',
    bad: 'from(bucket: "b") |> range(start: v.timeRangeStart, stop: v.timeRangeStop) |> filter(fn: (r) => r.track == "{{track}}" and r.code == "500")',
    total:
      'from(bucket: "b") |> range(start: v.timeRangeStart, stop: v.timeRangeStop) |> filter(fn: (r) => r.track == "{{track}}")',
  },
];

export const SECRET_CASES: Case[] = [
  secretCase({
    id: 'secret.echo.prometheus-401',
    does: 'Prometheus answers 401 quoting the bearer token and header it received',
    expects: 'neither value in any output (the report, markdown and HTML included)',
    run: prometheusEcho(401),
  }),
  secretCase({
    id: 'secret.echo.prometheus-400',
    does: 'Prometheus rejects the query (400 bad_data) quoting the headers',
    expects: 'neither value in any output',
    run: prometheusEcho(400),
  }),
  secretCase({
    id: 'secret.echo.prometheus-500',
    does: 'Prometheus fails (500) quoting the headers, until the retries give up',
    expects: 'neither value in any output',
    run: prometheusEcho(500),
  }),
  secretCase({
    id: 'secret.echo.basic-auth',
    does: 'Prometheus with basicAuth answers 401 quoting the Authorization header',
    expects: 'neither the password nor the Basic header value in any output',
    async run(ctx) {
      const password = ctx.plant('PROM_PASSWORD', 'basicAuth password');
      ctx.plant(undefined, 'basicAuth header value', Buffer.from(`ci:${password}`).toString('base64'));
      await prometheusEcho(401, { basicAuth: { username: 'ci', password: '${PROM_PASSWORD}' } })(ctx);
    },
  }),
  secretCase({
    id: 'secret.echo.datadog',
    does: 'a Datadog endpoint answers 403 quoting DD-API-KEY and DD-APPLICATION-KEY',
    expects: 'neither key in any output',
    async run(ctx) {
      ctx.plant('DD_API_KEY', 'Datadog API key', secretValue('ddapi'));
      ctx.plant('DD_APP_KEY', 'Datadog application key', secretValue('ddapp'));
      const url = await echoBackend(ctx, 403);
      await runWith(
        ctx,
        { type: 'datadog', url, apiKey: '${DD_API_KEY}', applicationKey: '${DD_APP_KEY}', retries: 1 },
        { metrics: DATADOG_METRICS },
      );
    },
  }),
  secretCase({
    id: 'secret.echo.influxdb2',
    does: 'an InfluxDB 2 endpoint answers 401 quoting its Authorization: Token header',
    expects: 'the token in no output',
    async run(ctx) {
      ctx.plant('INFLUX_TOKEN', 'InfluxDB token');
      const url = await echoBackend(ctx, 401);
      await runWith(
        ctx,
        { type: 'influxdb', version: 2, url, org: 'o', bucket: 'b', token: '${INFLUX_TOKEN}', retries: 1 },
        { metrics: FLUX_METRICS },
      );
    },
  }),
  secretCase({
    id: 'secret.echo.gitlab-artifacts',
    does: 'as prometheus-401, in a GitLab job (GITLAB_CI=true: dotenv, markdown and HTML artifacts)',
    expects: 'neither value in any artifact',
    async run(ctx) {
      const url = await echoBackend(ctx, 401);
      await runWith(
        ctx,
        {
          type: 'prometheus',
          url,
          bearerToken: '${PROM_TOKEN}',
          headers: { 'X-Scope-OrgID': '${ORG_HEADER}' },
        },
        { env: { GITLAB_CI: 'true', CI_JOB_ID: '4242', CI_JOB_URL: 'https://gitlab.example/job/4242' } },
      );
    },
  }),
  secretCase({
    id: 'secret.action.step-summary',
    does: 'as prometheus-401, run by dist/action.js (kubeconfig given as content)',
    expects: 'neither value in the step summary, outputs or files; in the log only after ::add-mask::',
    async run(ctx) {
      const url = await echoBackend(ctx, 401);
      const release = await ctx.release({
        config: {
          provider: {
            type: 'prometheus',
            url,
            bearerToken: '${PROM_TOKEN}',
            headers: { 'X-Scope-OrgID': '${ORG_HEADER}' },
          },
        },
      });
      const workspace = path.join(ctx.outDir, 'action');
      const run = runAction(
        {
          workspace,
          runId: '777',
          sha: 'faults1',
          env: { ...ctx.vars, HOME: ctx.home, TMPDIR: ctx.tmpDir },
        },
        {
          mode: 'run',
          config: release.config,
          kubeconfig: await readFile(release.kubeconfig, 'utf8'),
          manifests: release.manifests,
          image: release.image,
          revision: 'faults1',
          report: path.join(ctx.outDir, 'action-report.json'),
        },
      );
      const result = await Promise.race([
        run,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 120_000)),
      ]);
      if (!result) {
        ctx.problem('dist/action.js did not end in 120 s');
        return;
      }
      ctx.note(`exit ${result.code}`);
      ctx.outputs.push(
        {
          where: 'action log as the runner shows it',
          text: asRunnerShowsIt(`${result.stdout}\n${result.stderr}`),
        },
        { where: 'action step summary', text: result.summary },
        { where: 'action outputs', text: JSON.stringify(result.outputs) },
      );
    },
  }),
  secretCase({
    id: 'secret.dry-run.secret-stringdata',
    does: '--dry-run with a Secret (stringData) in the manifests',
    expects: "the Secret's value not printed (<redacted>)",
    async run(ctx) {
      const value = ctx.plant(undefined, "a Secret's stringData value in the manifests");
      const release = await ctx.release({
        manifests: { secretStringData: { DB_PASSWORD: value } },
        extra: ['--dry-run'],
      });
      const exit = await ctx.run(release.args);
      ctx.check(exit.code === 0, `exit ${exit.code}, expected 0 (dry run)`);
    },
  }),
  secretCase({
    id: 'secret.dry-run.secret-data',
    does: '--dry-run with a Secret (base64 data) in the manifests',
    expects: "the Secret's value not printed, in no encoding",
    async run(ctx) {
      const value = ctx.plant(undefined, "a Secret's data value in the manifests");
      const release = await ctx.release({
        manifests: {
          mutate: (docs) => {
            docs.unshift({
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'web-secret' },
              data: { DB_PASSWORD: Buffer.from(value).toString('base64') },
            });
            docs[docs.length - 1].spec.template.spec.containers[0].envFrom = [
              { secretRef: { name: 'web-secret' } },
            ];
          },
        },
        extra: ['--dry-run'],
      });
      const exit = await ctx.run(release.args);
      ctx.check(exit.code === 0, `exit ${exit.code}, expected 0 (dry run)`);
    },
  }),
  secretCase({
    id: 'secret.env.in-query',
    does: 'a ${VAR} in the track selectors (a tenant id from the environment), a normal release',
    expects: 'the value not in any output (queries in the report included)',
    async run(ctx) {
      ctx.plant('TENANT_ID', 'a ${VAR} value in a query', secretValue('tenant'));
      const ns = ctx.namespace;
      const release = await ctx.release({
        config: {
          mutate: (c: any) => {
            c.analysis.tracks = {
              canary: `namespace="${ns}", pod=~"web-canary-.+", tenant!="\${TENANT_ID}"`,
              baseline: `namespace="${ns}", pod=~"web-baseline-.+", tenant!="\${TENANT_ID}"`,
            };
          },
        },
      });
      const exit = await ctx.run(release.args, { timeoutMs: 120_000 });
      ctx.note(`exit ${exit.code}`);
    },
  }),
  secretCase({
    id: 'secret.config.invalid-env-value',
    does: 'a provider timeout from ${VAR} whose value is not a duration',
    expects: 'exit 2 without the value',
    async run(ctx) {
      ctx.plant('TIMEOUT_VALUE', 'an invalid ${VAR} value', secretValue('nota-duration-'));
      const release = await ctx.release({
        proxy: false,
        config: { mutate: (c: any) => (c.analysis.provider.timeout = '${TIMEOUT_VALUE}') },
      });
      const exit = await ctx.run(release.args, { stopOnChange: true });
      ctx.check(exit.code === 2, `exit ${exit.code}, expected 2`);
    },
  }),
  secretCase({
    id: 'secret.kubeconfig.refused-token',
    does: 'a kubeconfig token the API server refuses (401)',
    expects: 'the token in no output',
    async run(ctx) {
      const token = ctx.plant(undefined, 'refused kubeconfig token');
      const release = await ctx.release({ proxy: false });
      const kc = kubeconfigObject({
        server: ctx.env.sandbox.url,
        ca: ctx.env.sandbox.ca,
        token,
        namespace: ctx.namespace,
      });
      const file = await ctx.file('refused-kubeconfig', dump(kc));
      const exit = await ctx.run(setFlag(release.args, '--kubeconfig', file), { stopOnChange: true });
      ctx.check(exit.code !== 0, `exit ${exit.code}`);
    },
  }),
  secretCase({
    id: 'secret.kubeconfig.client-key',
    does: 'a kubeconfig with a client certificate and a (broken) private key',
    expects: 'no line of the key in any output',
    async run(ctx) {
      const key = `-----BEGIN PRIVATE KEY-----\n${secretValue('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')}${secretValue('')}\n${secretValue('kZ2xvYmFsLXNpZ24tY2VydGlmaWNhdGUt')}\n-----END PRIVATE KEY-----\n`;
      ctx.plant(undefined, 'kubeconfig client key', key);
      const release = await ctx.release({ proxy: false });
      const kc = kubeconfigObject({
        server: ctx.env.sandbox.url,
        ca: ctx.env.sandbox.ca,
        token: 'unused',
        namespace: ctx.namespace,
      });
      kc.users[0].user = {
        'client-certificate-data': Buffer.from(ctx.env.sandbox.ca).toString('base64'),
        'client-key-data': Buffer.from(key).toString('base64'),
      };
      const file = await ctx.file('key-kubeconfig', dump(kc));
      const exit = await ctx.run(setFlag(release.args, '--kubeconfig', file), { stopOnChange: true });
      ctx.note(`exit ${exit.code}`);
    },
  }),
  secretCase({
    id: 'secret.kubeconfig.exec-dry-run',
    item: 8,
    does: "--dry-run with a kubeconfig whose exec credential plugin prints the account's token",
    expects: 'exit 0; the token in no output (whether the plugin runs under --dry-run is recorded)',
    async run(ctx) {
      const marker = path.join(ctx.tmpDir, 'plugin-ran');
      const plugin = await ctx.file(
        'exec-plugin.sh',
        `#!/bin/sh\necho ran > '${marker}'\ncat <<'EOF'\n${JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1',
          kind: 'ExecCredential',
          status: { token: ctx.env.sandbox.ciToken },
        })}\nEOF\n`,
      );
      await chmod(plugin, 0o755);
      const release = await ctx.release({ proxy: false, extra: ['--dry-run'] });
      const kc = kubeconfigObject({
        server: ctx.env.sandbox.url,
        ca: ctx.env.sandbox.ca,
        token: 'unused',
        namespace: ctx.namespace,
      });
      kc.users[0].user = {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
      };
      const file = await ctx.file('exec-kubeconfig', dump(kc));
      const exit = await ctx.run(setFlag(release.args, '--kubeconfig', file), { stopOnChange: true });
      ctx.check(exit.code === 0, `exit ${exit.code}, expected 0 (dry run): ${exit.stderr.slice(0, 200)}`);
      ctx.note(existsSync(marker) ? 'the exec plugin ran under --dry-run' : 'the exec plugin did not run');
    },
  }),
];
