/**
 * Bad inputs: each must end with exit 2, a message naming the field, the value and what was expected,
 * and nothing changed in the cluster — in time and memory (the harness kills a hang after 20 s and a
 * process past 1 GB, and records it). A valid release is built first; each case breaks one thing of it.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { dump } from 'js-yaml';
import type { Case, CaseContext } from '../harness.ts';
import {
  aliasBomb,
  configObject,
  configText,
  kubeconfigObject,
  unrelatedCa,
  withAliasBomb,
  yamlPadding,
} from '../fixtures.ts';
import { REPOSITORY } from '../environment.ts';
import { badInput, configCase, flagCase, manifestCase, setFlag, type BadInputSpec } from './common.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- configs and manifests are loose JSON */

const MB = 1024 * 1024;
/** The Deployment is the last document of the valid manifests. */
const deployment = (docs: any[]) => docs[docs.length - 1];
const container = (docs: any[]) => deployment(docs).spec.template.spec.containers[0];
const provider = (c: any) => c.analysis.provider;
const metric = (c: any, m: Record<string, unknown>) => {
  c.analysis.metrics = [m];
};

/** A bad input made by writing the kubeconfig the run uses. */
function kubeconfigCase(
  id: string,
  does: string,
  says: RegExp,
  write: (ctx: CaseContext, kubeconfig: any) => Promise<string | Buffer> | string | Buffer,
  extra: Partial<BadInputSpec> = {},
): Case {
  return badInput({
    id,
    does,
    says,
    item: 7,
    invoke: async (ctx, release) => {
      const object = kubeconfigObject({
        server: ctx.env.sandbox.url,
        ca: ctx.env.sandbox.ca,
        token: ctx.env.sandbox.ciToken,
        namespace: ctx.namespace,
      });
      const file = await ctx.file('bad-kubeconfig', await write(ctx, object));
      return { args: setFlag(release.args, '--kubeconfig', file) };
    },
    ...extra,
  });
}

/** A bad input made by writing the config text itself (what YAML must refuse). */
const rawConfigCase = (
  id: string,
  does: string,
  says: RegExp,
  text: (ctx: CaseContext) => string | Buffer,
  extra: Partial<BadInputSpec> = {},
): Case =>
  badInput({
    id,
    does,
    says,
    invoke: async (ctx, release) => ({
      args: setFlag(release.args, '--config', await ctx.file('bad-config.yml', text(ctx))),
    }),
    ...extra,
  });

/** A bad input made by writing the manifests text itself (`valid`: the release's own manifests). */
const rawManifestCase = (
  id: string,
  does: string,
  says: RegExp,
  text: (ctx: CaseContext, valid: string) => string | Buffer,
  extra: Partial<BadInputSpec> & { file?: string } = {},
): Case =>
  badInput({
    id,
    does,
    says,
    invoke: async (ctx, release) => {
      const valid = await readFile(release.manifests, 'utf8');
      const file = await ctx.file(extra.file ?? 'bad-web.yaml', text(ctx, valid));
      return { args: setFlag(release.args, '--manifests', file) };
    },
    ...extra,
  });

/** A Deployment the harness creates by hand (as another team or tool would), before the run. */
async function handMade(ctx: CaseContext, name: string, selector: Record<string, string>): Promise<void> {
  const res = await ctx.env.api('POST', `/apis/apps/v1/namespaces/${ctx.namespace}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      labels: { app: 'web', 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { 'meta.helm.sh/release-name': 'team-x-web' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          containers: [{ name: 'app', image: `${REPOSITORY}:1.0.0`, ports: [{ containerPort: 8080 }] }],
        },
      },
    },
  });
  if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${res.text}`);
  // Judge from the state the controllers settle it in (revision annotation, status).
  await ctx.until(
    `${name} to settle`,
    () => {
      const made = ctx.env.get('deployments', ctx.namespace, name);
      return (
        made?.status?.observedGeneration === made?.metadata?.generation &&
        made?.metadata?.annotations?.['deployment.kubernetes.io/revision'] !== undefined
      );
    },
    30_000,
  );
  await ctx.env.sandbox.settle();
  await ctx.env.sandbox.settle();
}

const CLI: Case[] = [
  flagCase('cli.command.unknown', 'a misspelt command (`deplyo`)', /unknown command "deplyo"/, (args) => [
    'deplyo',
    ...args.slice(1),
  ]),
  flagCase('cli.flag.unknown', 'an unknown flag `--imagee`', /--imagee/, (args) => [
    ...args,
    '--imagee',
    'x',
  ]),
  flagCase('cli.flag.no-value', '`--image` as the last argument, without a value', /--image/, (args) => [
    ...setFlag(args, '--image', undefined),
    '--image',
  ]),
  flagCase('cli.workload.kind', '`--workload statefulset/web`', /--workload.*statefulset\/web/, (args) =>
    setFlag(args, '--workload', 'statefulset/web'),
  ),
  flagCase('cli.workload.uppercase', '`--workload deployment/Web`', /--workload.*Web/, (args) =>
    setFlag(args, '--workload', 'deployment/Web'),
  ),
  flagCase(
    'cli.workload.too-long',
    'a workload name of 60 characters (no room for -baseline)',
    /--workload.*(50|characters)/,
    (args) => setFlag(args, '--workload', `deployment/${'w'.repeat(60)}`),
  ),
  flagCase(
    'cli.workload.not-found',
    '`--workload deployment/nosuch` (no such Deployment)',
    /nosuch/,
    (args) => setFlag(args, '--workload', 'deployment/nosuch'),
  ),
  badInput({
    id: 'cli.workload.missing',
    does: 'no --workload and no workload key',
    says: /--workload.*required/,
    release: { config: { mutate: (c) => delete c.workload } },
  }),
  flagCase('cli.namespace.invalid', '`--namespace Demo_NS`', /Demo_NS/, (args) =>
    setFlag(args, '--namespace', 'Demo_NS'),
  ),
  flagCase(
    'cli.namespace.empty',
    '`--namespace ""`',
    /--namespace.*""/,
    (args) => setFlag(args, '--namespace', ''),
    {
      item: 7,
    },
  ),
  flagCase(
    'cli.namespace.huge',
    'a 100 KB `--namespace`',
    /namespace/,
    (args) => setFlag(args, '--namespace', 'n'.repeat(100 * 1024)),
    { item: 7 },
  ),
  flagCase('cli.namespace.forbidden', '`--namespace kube-system` (not granted)', /kube-system/, (args) =>
    setFlag(args, '--namespace', 'kube-system'),
  ),
  flagCase('cli.lock-wait.no-unit', '`--lock-wait 30`', /--lock-wait.*"30"/, (args) => [
    ...args,
    '--lock-wait',
    '30',
  ]),
  flagCase(
    'cli.lock-wait.overflow',
    '`--lock-wait 600h` (past the ~24.8-day timer limit)',
    /--lock-wait.*600h/,
    (args) => [...args, '--lock-wait', '600h'],
    { item: 7 },
  ),
  badInput({
    id: 'cli.image.missing',
    does: 'no --image and no image key',
    says: /--image.*required/,
    invoke: (_ctx, release) => ({ args: setFlag(release.args, '--image', undefined) }),
  }),
  flagCase('cli.image.space', 'an image reference with a space', /image.*web:bad tag/, (args) =>
    setFlag(args, '--image', `${REPOSITORY}:bad tag`),
  ),
  flagCase('cli.image.bad-digest', '`--image …@sha256:xyz`', /image.*sha256:xyz/, (args) =>
    setFlag(args, '--image', `${REPOSITORY}@sha256:xyz`),
  ),
  flagCase(
    'cli.digest.invalid',
    '`--digest sha256:1234` with a repository',
    /digest.*sha256:1234/,
    (args) => [...setFlag(args, '--image', REPOSITORY), '--digest', 'sha256:1234'],
  ),
  flagCase(
    'cli.image.other-repository',
    '`--image` of a repository no container of the manifests uses',
    /other\.example\/web/,
    (args) => setFlag(args, '--image', 'other.example/web:2.0.0'),
  ),
  flagCase('cli.revision.newline', 'a --revision with a newline', /--revision/, (args) =>
    setFlag(args, '--revision', 'abc\n::error::injected'),
  ),
  flagCase(
    'cli.run-id.newline-error',
    'a --run-id with a newline and `::error::` (a workflow command injected)',
    /--run-id/,
    (args) => setFlag(args, '--run-id', 'r1\n::error::injected by the run id'),
    { item: 7 },
  ),
  flagCase(
    'cli.run-id.newline-mask',
    'a --run-id with a newline and `::add-mask::`',
    /--run-id/,
    (args) => setFlag(args, '--run-id', 'r2\n::add-mask::web'),
    { item: 7 },
  ),
  flagCase(
    'cli.run-id.too-long',
    'a --run-id of 300 characters',
    /--run-id/,
    (args) => setFlag(args, '--run-id', 'r'.repeat(300)),
    { item: 7 },
  ),
  flagCase(
    'cli.run-id.space',
    'a --run-id with spaces and a slash',
    /--run-id/,
    (args) => setFlag(args, '--run-id', 'my run / 1'),
    { item: 7 },
  ),
  flagCase('cli.manifests.missing', '`--manifests` naming no file', /--manifests.*nonexistent/, (args) =>
    setFlag(args, '--manifests', '/nonexistent/web.yaml'),
  ),
  flagCase(
    'cli.manifests.empty-dir',
    '`--manifests` an empty directory',
    /no YAML files/,
    async (args, ctx) => {
      const dir = path.join(ctx.inDir, 'empty');
      await mkdir(dir, { recursive: true });
      return setFlag(args, '--manifests', dir);
    },
  ),
  flagCase('cli.config.missing', 'no --config', /--config.*required/, (args) =>
    setFlag(args, '--config', undefined),
  ),
  flagCase('cli.config.not-found', '`--config` naming no file', /--config.*nonexistent/, (args) =>
    setFlag(args, '--config', '/nonexistent/canary.yml'),
  ),
  flagCase('cli.config.directory', '`--config` a directory', /--config/, (args, ctx) =>
    setFlag(args, '--config', ctx.inDir),
  ),
  flagCase(
    'output.report.missing-dir',
    '`--report` in a directory that does not exist',
    /report.*nodir/,
    (args, ctx) => setFlag(args, '--report', path.join(ctx.outDir, 'nodir', 'report.json')),
    { item: 3 },
  ),
  flagCase(
    'output.report.directory',
    '`--report` naming a directory',
    /--report/,
    (args, ctx) => setFlag(args, '--report', ctx.outDir),
    { item: 3 },
  ),
  ...(['CANARY_DOTENV', 'CANARY_MARKDOWN_REPORT', 'CANARY_HTML_REPORT'] as const).map((variable) =>
    badInput({
      id: `output.${variable.toLowerCase().replace(/_/g, '-')}.missing-dir`,
      does: `${variable} in a directory that does not exist`,
      says: new RegExp(`${variable}.*nodir`),
      item: 3,
      invoke: (ctx, release) => ({
        args: release.args,
        env: { [variable]: path.join(ctx.outDir, 'nodir', 'file') },
      }),
    }),
  ),
];

const CONFIG_FILE: Case[] = [
  rawConfigCase('config.file.empty', 'an empty config file', /config|apiVersion/, () => ''),
  rawConfigCase('config.file.not-yaml', 'a config that is not YAML', /YAML/, () => 'analysis: [\n  - {\n'),
  rawConfigCase(
    'config.file.list',
    'a config that is a list',
    /expected an object|got a list|got an array/,
    () => '- a\n- b\n',
  ),
  rawConfigCase('config.file.binary', 'a config of random bytes', /config/, () =>
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)),
  ),
  rawConfigCase(
    'config.file.duplicate-key',
    'a config with a key given twice',
    /duplicate/,
    (ctx) => `${configText(configObject(ctx.env.prometheusUrl))}lockWait: 20s\n`,
  ),
  rawConfigCase(
    'config.file.alias-bomb',
    'a config with a YAML alias bomb (9 levels × 9)',
    /\ba0\b|x-bomb|alias|too (large|many|deep)|limit/i,
    (ctx) => `${configText(configObject(ctx.env.prometheusUrl))}${aliasBomb(9, 9, 'x-bomb')}`,
    { item: 7 },
  ),
  rawConfigCase(
    'config.file.huge',
    'a 16 MB config (valid YAML padded with comments)',
    /too large|size|limit|MB|bytes/i,
    (ctx) => `${configText(configObject(ctx.env.prometheusUrl))}${yamlPadding(16 * MB)}`,
    { item: 7 },
  ),
  configCase(
    'config.apiVersion.wrong',
    'apiVersion canary-action/v2',
    /apiVersion.*canary-action\/v2/,
    (c) => {
      c.apiVersion = 'canary-action/v2';
    },
  ),
  configCase('config.key.unknown', 'an unknown top-level key `analysys`', /analysys/, (c) => {
    c.analysys = {};
  }),
  configCase('config.analysis.missing', 'no analysis', /analysis.*required/, (c) => {
    delete c.analysis;
  }),
  configCase(
    'config.namespace.huge',
    'a 5 MB namespace in the config',
    /namespace/,
    (c) => {
      c.namespace = 'n'.repeat(5 * MB);
    },
    { item: 7 },
  ),
  configCase('config.namespace.invalid', 'namespace "Demo NS"', /namespace.*Demo NS/, (c) => {
    c.namespace = 'Demo NS';
  }),
  configCase('config.workload.invalid', 'workload deployment/web_1', /workload.*web_1/, (c) => {
    c.workload = 'deployment/web_1';
  }),
  configCase('config.manifests.number', 'manifests: 5', /manifests.*5/, (c) => {
    c.manifests = 5;
  }),
  configCase(
    'config.lockWait.overflow',
    'lockWait 600h (past the timer limit)',
    /lockWait.*600h/,
    (c) => {
      c.lockWait = '600h';
    },
    { item: 7 },
  ),
  configCase(
    'config.readyTimeout.overflow',
    'readyTimeout 600h',
    /readyTimeout.*600h/,
    (c) => {
      c.readyTimeout = '600h';
    },
    { item: 7 },
  ),
  configCase('config.readyTimeout.zero', 'readyTimeout 0s', /readyTimeout.*0s/, (c) => {
    c.readyTimeout = '0s';
  }),
  configCase('config.traffic.router.unknown', 'traffic.router istio', /router.*istio/, (c) => {
    c.traffic.router = 'istio';
  }),
  configCase('config.traffic.steps.decreasing', 'traffic.steps [50, 10]', /traffic\.steps.*10/, (c) => {
    c.traffic.steps = [50, 10];
  }),
  configCase('config.traffic.steps.zero', 'traffic.steps [0]', /traffic\.steps.*0/, (c) => {
    c.traffic.steps = [0];
  }),
  configCase('config.traffic.steps.over-100', 'traffic.steps [150]', /traffic\.steps.*150/, (c) => {
    c.traffic.steps = [150];
  }),
  configCase('config.traffic.steps.empty', 'traffic.steps []', /traffic\.steps/, (c) => {
    c.traffic.steps = [];
  }),
  configCase('config.traffic.steps.string', 'traffic.steps "ten"', /traffic\.steps.*ten/, (c) => {
    c.traffic.steps = 'ten';
  }),
  configCase(
    'config.traffic.baseline.no-tracks',
    'traffic.baseline false without tracks',
    /traffic\.baseline/,
    (c) => {
      c.traffic.baseline = false;
    },
  ),
];

const ANALYSIS: Case[] = [
  configCase(
    'config.interval.sub-ms',
    'analysis.interval 0.5ms',
    /interval.*0\.5ms/,
    (c) => {
      c.analysis.interval = '0.5ms';
    },
    { item: 7 },
  ),
  configCase('config.interval.no-unit', 'analysis.interval "30"', /interval.*"30"/, (c) => {
    c.analysis.interval = '30';
  }),
  configCase('config.interval.negative', 'analysis.interval -5s', /interval.*-5s/, (c) => {
    c.analysis.interval = '-5s';
  }),
  configCase('config.interval.days', 'analysis.interval 1d (no such unit)', /interval.*1d/, (c) => {
    c.analysis.interval = '1d';
  }),
  configCase('config.interval.number', 'analysis.interval 30 (a number)', /interval.*30/, (c) => {
    c.analysis.interval = 30;
  }),
  configCase(
    'config.interval.overflow',
    'analysis.interval and maxDuration 600h',
    /600h/,
    (c) => {
      c.analysis.interval = '600h';
      c.analysis.minDuration = '600h';
      c.analysis.maxDuration = '600h';
    },
    { item: 7 },
  ),
  configCase(
    'config.maxDuration.overflow',
    'analysis.maxDuration 600h (decided after one poll today)',
    /maxDuration.*600h/,
    (c) => {
      c.analysis.maxDuration = '600h';
    },
    { item: 7 },
  ),
  configCase(
    'config.warmup.overflow',
    'analysis.warmup 600h',
    /warmup.*600h/,
    (c) => {
      c.analysis.warmup = '600h';
    },
    { item: 7 },
  ),
  configCase('config.minDuration.over-max', 'minDuration 10m > maxDuration 5m', /minDuration.*10m/, (c) => {
    c.analysis.minDuration = '10m';
    c.analysis.maxDuration = '5m';
  }),
  configCase('config.maxDuration.under-interval', 'maxDuration 1s < interval 2s', /maxDuration.*1s/, (c) => {
    c.analysis.minDuration = '1s';
    c.analysis.maxDuration = '1s';
  }),
  configCase('config.alpha.zero', 'alpha 0', /alpha.*0/, (c) => {
    c.analysis.alpha = 0;
  }),
  configCase('config.alpha.half', 'alpha 0.5', /alpha.*0\.5/, (c) => {
    c.analysis.alpha = 0.5;
  }),
  configCase('config.alpha.string', 'alpha "0.01" (a string)', /alpha.*0\.01/, (c) => {
    c.analysis.alpha = '0.01';
  }),
  configCase(
    'config.alpha.nan',
    'alpha .nan',
    /alpha.*(nan|NaN)/i,
    (c) => {
      c.analysis.alpha = NaN;
    },
    { item: 7, notSays: /got null/ },
  ),
  configCase('config.onInconclusive.unknown', 'onInconclusive maybe', /onInconclusive.*maybe/, (c) => {
    c.analysis.onInconclusive = 'maybe';
  }),
  configCase(
    'config.trafficShare.true',
    'trafficShare true',
    /trafficShare.*true/,
    (c) => {
      c.analysis.trafficShare = true;
    },
    { item: 7 },
  ),
  configCase(
    'config.trafficShare.expected',
    'trafficShare.expected 2',
    /trafficShare.*expected.*2/,
    (c) => {
      c.analysis.trafficShare = { expected: 2 };
    },
    { item: 7, notSays: /expected false or an object, got an object/ },
  ),
  configCase(
    'config.trafficShare.tolerance',
    'trafficShare.tolerance 0.6',
    /trafficShare.*tolerance.*0\.6/,
    (c) => {
      c.analysis.trafficShare = { tolerance: 0.6 };
    },
    { item: 7, notSays: /expected false or an object, got an object/ },
  ),
  configCase('config.tracks.partial', 'analysis.tracks without baseline', /tracks.*baseline/, (c) => {
    c.analysis.tracks = { canary: 'track="canary"' };
  }),
  configCase('config.metrics.empty', 'analysis.metrics []', /metrics/, (c) => {
    c.analysis.metrics = [];
  }),
  configCase('config.metrics.map', 'analysis.metrics a map', /metrics/, (c) => {
    c.analysis.metrics = { errors: { template: 'http-error-rate' } };
  }),
  configCase('config.metrics.none-blocking', 'every metric blocking: false', /blocking/, (c) => {
    c.analysis.metrics = [{ template: 'http-error-rate', blocking: false }];
  }),
  configCase('config.metric.template.unknown', 'template http-errors', /template.*http-errors/, (c) =>
    metric(c, { template: 'http-errors' }),
  ),
  configCase('config.metric.name.invalid', 'metric name "my metric"', /name.*my metric/, (c) =>
    metric(c, { template: 'http-error-rate', name: 'my metric' }),
  ),
  configCase('config.metric.name.duplicate', 'two metrics named errors', /duplicate.*errors/, (c) => {
    c.analysis.metrics = [
      { template: 'http-error-rate', name: 'errors' },
      { template: 'http-latency', name: 'errors' },
    ];
  }),
  configCase('config.metric.type.unknown', 'metric type percentile', /type.*percentile/, (c) =>
    metric(c, { name: 'p', type: 'percentile', query: 'up' }),
  ),
  configCase('config.metric.ratio.no-total', 'a ratio metric without total', /total/, (c) =>
    metric(c, { name: 'errors', type: 'ratio', bad: 'sum(up)' }),
  ),
  configCase('config.metric.latency.no-histogram', 'a latency metric without histogram', /histogram/, (c) =>
    metric(c, { name: 'latency', type: 'latency' }),
  ),
  configCase('config.metric.threshold.no-bounds', 'a threshold metric without min or max', /min|max/, (c) =>
    metric(c, { name: 'slo', type: 'threshold', query: 'sum(up)' }),
  ),
  configCase('config.metric.threshold.min-over-max', 'threshold min 5 > max 1', /min.*5/, (c) =>
    metric(c, { name: 'slo', type: 'threshold', query: 'sum(up)', min: 5, max: 1 }),
  ),
  configCase('config.metric.tolerance.negative', 'tolerance -1', /tolerance.*-1/, (c) =>
    metric(c, { template: 'http-error-rate', tolerance: -1 }),
  ),
  configCase(
    'config.metric.tolerance.inf',
    'tolerance .inf',
    /tolerance.*(inf|Infinity)/i,
    (c) => metric(c, { template: 'http-error-rate', tolerance: Infinity }),
    { item: 7, notSays: /got null/ },
  ),
  configCase('config.metric.failureLimit.zero', 'failureLimit 0', /failureLimit.*0/, (c) =>
    metric(c, { name: 'slo', type: 'threshold', query: 'sum(up)', max: 1, failureLimit: 0 }),
  ),
  configCase('config.metric.direction.unknown', 'direction sideways', /direction.*sideways/, (c) =>
    metric(c, { name: 'cpu', type: 'gauge', query: 'sum(up)', direction: 'sideways', blocking: true }),
  ),
  configCase('config.metric.variable.unknown', 'a query with {{foo}}', /\{\{foo\}\}/, (c) =>
    metric(c, { name: 'errors', type: 'ratio', bad: 'sum(up{ {{foo}} })', total: 'sum(up)' }),
  ),
  configCase('config.env.missing', 'bearerToken ${NOPE_TOKEN}, which is not set', /NOPE_TOKEN/, (c) => {
    provider(c).bearerToken = '${NOPE_TOKEN}';
  }),
];

const PROVIDER: Case[] = [
  configCase('config.provider.missing', 'no analysis.provider', /provider.*required/, (c) => {
    delete c.analysis.provider;
  }),
  configCase('config.provider.type.unknown', 'provider type graphite', /type.*graphite/, (c) => {
    provider(c).type = 'graphite';
  }),
  configCase('config.provider.url.not-url', 'provider url "prometheus:9090"', /url.*prometheus:9090/, (c) => {
    provider(c).url = 'prometheus:9090';
  }),
  configCase('config.provider.url.ftp', 'provider url ftp://…', /url.*ftp:/, (c) => {
    provider(c).url = 'ftp://127.0.0.1/';
  }),
  badInput({
    id: 'config.provider.url.not-prometheus',
    does: "provider url that is not Prometheus (the demo app's Service)",
    says: /url|Prometheus/,
    item: 7,
    invoke: async (ctx, release) => {
      const config = await ctx.config(
        { mutate: (c) => (provider(c).url = `http://127.0.0.1:${ctx.ns.servicePort}`) },
        'other-url.yml',
      );
      return { args: setFlag(release.args, '--config', config) };
    },
  }),
  configCase(
    'config.provider.template-for-datadog',
    'a Prometheus template with the datadog provider',
    /template.*datadog/,
    (c) => {
      c.analysis.provider = {
        type: 'datadog',
        url: 'http://127.0.0.1:9',
        apiKey: 'k1234',
        applicationKey: 'a1234',
      };
    },
  ),
  configCase('config.provider.headers.string', 'provider headers a string', /headers/, (c) => {
    provider(c).headers = 'X-A: b';
  }),
  configCase('config.provider.headers.number', 'a header value 5 (a number)', /headers.*X-Num/, (c) => {
    provider(c).headers = { 'X-Num': 5 };
  }),
  configCase('config.provider.bearerToken.number', 'bearerToken 12345 (a number)', /bearerToken/, (c) => {
    provider(c).bearerToken = 12345;
  }),
  configCase('config.provider.basicAuth.no-password', 'basicAuth without password', /password/, (c) => {
    provider(c).basicAuth = { username: 'u' };
  }),
  configCase('config.provider.caFile.missing', 'caFile naming no file', /caFile.*nonexistent/, (c) => {
    provider(c).caFile = '/nonexistent/ca.pem';
  }),
  badInput({
    id: 'config.provider.caFile.not-pem',
    does: 'caFile that holds no certificate',
    says: /caFile/,
    invoke: async (ctx, release) => {
      const ca = await ctx.file('not-a-ca.pem', 'hello\n');
      const config = await ctx.config({ mutate: (c) => (provider(c).caFile = ca) }, 'bad-ca.yml');
      return { args: setFlag(release.args, '--config', config) };
    },
  }),
  configCase('config.provider.timeout.no-unit', 'provider timeout "10"', /timeout.*"10"/, (c) => {
    provider(c).timeout = '10';
  }),
  configCase(
    'config.provider.timeout.overflow',
    'provider timeout 600h',
    /timeout.*600h/,
    (c) => {
      provider(c).timeout = '600h';
    },
    { item: 7 },
  ),
  configCase('config.provider.retries.negative', 'provider retries -1', /retries.*-1/, (c) => {
    provider(c).retries = -1;
  }),
  configCase('config.provider.retries.too-many', 'provider retries 11', /retries.*11/, (c) => {
    provider(c).retries = 11;
  }),
  configCase('config.provider.retries.fraction', 'provider retries 1.5', /retries.*1\.5/, (c) => {
    provider(c).retries = 1.5;
  }),
  configCase(
    'config.provider.insecureSkipVerify.string',
    'insecureSkipVerify "yes"',
    /insecureSkipVerify.*yes/,
    (c) => {
      provider(c).insecureSkipVerify = 'yes';
    },
  ),
  configCase('config.provider.influxdb.no-database', 'influxdb without database', /database/, (c) => {
    c.analysis.provider = { type: 'influxdb', url: 'http://127.0.0.1:9' };
    metric(c, {
      name: 'errors',
      type: 'ratio',
      bad: 'SELECT 1 WHERE $timeFilter',
      total: 'SELECT 1 WHERE $timeFilter',
    });
  }),
];

const KUBECONFIG: Case[] = [
  flagCase('kubeconfig.missing', '--kubeconfig naming no file', /kubeconfig.*nonexistent/, (args) =>
    setFlag(args, '--kubeconfig', '/nonexistent/kubeconfig'),
  ),
  flagCase('kubeconfig.directory', '--kubeconfig a directory', /kubeconfig/, (args, ctx) =>
    setFlag(args, '--kubeconfig', ctx.inDir),
  ),
  flagCase(
    'kubeconfig.dev-zero',
    '--kubeconfig /dev/zero (an endless file)',
    /kubeconfig/,
    (args) => setFlag(args, '--kubeconfig', '/dev/zero'),
    { item: 7 },
  ),
  kubeconfigCase(
    'kubeconfig.not-yaml',
    'a kubeconfig that is not YAML',
    /kubeconfig/,
    () => 'clusters: [\n  {\n',
  ),
  kubeconfigCase(
    'kubeconfig.alias-bomb',
    'a kubeconfig with a YAML alias bomb in its user',
    /kubeconfig/,
    (_ctx, kc) => {
      kc.users[0].user['x-bomb'] = '__BOMB__';
      return withAliasBomb(kc);
    },
  ),
  kubeconfigCase(
    'kubeconfig.huge',
    'a 16 MB kubeconfig (valid, padded with comments)',
    /kubeconfig.*(too large|size|limit|MB|bytes)/i,
    (_ctx, kc) => `${dump(kc)}${yamlPadding(16 * MB)}`,
  ),
  kubeconfigCase('kubeconfig.no-contexts', 'a kubeconfig without contexts', /context/, (_ctx, kc) => {
    kc.contexts = [];
    delete kc['current-context'];
    return dump(kc);
  }),
  flagCase('kubeconfig.context.unknown', '--context nosuch', /nosuch/, (args) => [
    ...args,
    '--context',
    'nosuch',
  ]),
  kubeconfigCase(
    'kubeconfig.cluster.missing',
    'the context names an undefined cluster',
    /cluster/,
    (_ctx, kc) => {
      kc.clusters = [];
      return dump(kc);
    },
  ),
  kubeconfigCase('kubeconfig.user.missing', 'the context names an undefined user', /user/, (_ctx, kc) => {
    kc.users = [];
    return dump(kc);
  }),
  kubeconfigCase(
    'kubeconfig.ca.unrelated',
    'certificate-authority-data of another CA (TLS fails)',
    /certificate|TLS|CA\b/i,
    async (_ctx, kc) => {
      kc.clusters[0].cluster['certificate-authority-data'] = Buffer.from((await unrelatedCa()).cert).toString(
        'base64',
      );
      return dump(kc);
    },
  ),
  kubeconfigCase(
    'kubeconfig.ca.garbage',
    'certificate-authority-data that is not a certificate',
    /certificate|CA\b/i,
    (_ctx, kc) => {
      kc.clusters[0].cluster['certificate-authority-data'] =
        Buffer.from('not a certificate\n').toString('base64');
      return dump(kc);
    },
  ),
  kubeconfigCase(
    'kubeconfig.client-key.broken',
    'client-certificate-data with a broken client-key-data',
    /key/i,
    async (_ctx, kc) => {
      kc.users[0].user = {
        'client-certificate-data': Buffer.from((await unrelatedCa()).cert).toString('base64'),
        'client-key-data': Buffer.from(
          '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
        ).toString('base64'),
      };
      return dump(kc);
    },
  ),
  kubeconfigCase(
    'kubeconfig.token.wrong',
    'a token the API server refuses (401)',
    /401|Unauthorized|credentials|token/i,
    (_ctx, kc) => {
      kc.users[0].user.token = 'wrong-token-0000';
      return dump(kc);
    },
  ),
  kubeconfigCase('kubeconfig.server.not-url', 'server "not a url"', /server|url/i, (_ctx, kc) => {
    kc.clusters[0].cluster.server = 'not a url';
    return dump(kc);
  }),
  kubeconfigCase(
    'kubeconfig.exec.failing',
    'an exec credential plugin that fails',
    /exec|plugin|credential/i,
    async (ctx, kc) => {
      const plugin = await ctx.file(
        'failing-plugin.sh',
        '#!/bin/sh\necho "plugin: no credentials for you" >&2\nexit 1\n',
      );
      await chmod(plugin, 0o755);
      kc.users[0].user = {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
      };
      return dump(kc);
    },
  ),
  kubeconfigCase(
    'kubeconfig.exec.missing-command',
    'an exec credential plugin whose command does not exist',
    /exec|plugin|credential|nonexistent/i,
    (_ctx, kc) => {
      kc.users[0].user = {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: '/nonexistent/plugin',
          interactiveMode: 'Never',
        },
      };
      return dump(kc);
    },
  ),
  badInput({
    id: 'kubeconfig.permission.leases',
    does: 'a namespace where the account may not touch leases',
    says: /cannot \w+ leases/,
    without: ['leases'],
  }),
];

const MANIFESTS: Case[] = [
  rawManifestCase('manifests.not-yaml', 'manifests that are not YAML', /YAML/, () => 'kind: [\n  {\n'),
  rawManifestCase(
    'manifests.alias-bomb',
    'manifests with a YAML alias bomb in the Deployment',
    /alias|too (large|many|deep)|limit/i,
    (_ctx, valid) => `${valid}${aliasBomb(9, 9, 'x-bomb')}`,
    { item: 7 },
  ),
  rawManifestCase(
    'manifests.huge',
    'a 64 MB manifests file (valid, padded with comments)',
    /too large|size|limit|MB|bytes/i,
    (_ctx, valid) => `${yamlPadding(64 * MB)}${valid}`,
    { item: 7 },
  ),
  manifestCase(
    'manifests.no-deployment',
    'manifests without Deployment web',
    /no Deployment named "web"/,
    (docs) => {
      deployment(docs).metadata.name = 'api';
    },
  ),
  manifestCase(
    'manifests.duplicate-deployment',
    'two Deployments named web',
    /web.*(twice|duplicate|more than one|2 )/i,
    (docs) => {
      const second = JSON.parse(JSON.stringify(deployment(docs)));
      second.spec.template.spec.containers[0].image = `${REPOSITORY}:9.9.9`;
      docs.push(second);
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.namespace.kube-system',
    'the Deployment in namespace kube-system',
    /namespace.*kube-system/,
    (docs) => {
      deployment(docs).metadata.namespace = 'kube-system';
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.namespace.other',
    'the Deployment in namespace other',
    /namespace.*other/,
    (docs) => {
      deployment(docs).metadata.namespace = 'other';
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.containers.not-list',
    'containers a map, not a list',
    /containers/,
    (docs) => {
      deployment(docs).spec.template.spec.containers = { app: container(docs) };
    },
    { item: 7 },
  ),
  manifestCase('manifests.containers.empty', 'containers []', /containers/, (docs) => {
    deployment(docs).spec.template.spec.containers = [];
  }),
  manifestCase('manifests.container.no-image', 'a container without image', /image/, (docs) => {
    delete container(docs).image;
  }),
  manifestCase(
    'manifests.replicas.string',
    'replicas "two"',
    /replicas/,
    (docs) => {
      deployment(docs).spec.replicas = 'two';
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.port.string',
    'containerPort "http" (a string)',
    /containerPort/,
    (docs) => {
      container(docs).ports = [{ containerPort: 'http' }];
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.unknown-field',
    'a misspelt field spec.replica',
    /replica/,
    (docs) => {
      deployment(docs).spec.replica = 3;
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.configmap.name-invalid',
    'a ConfigMap named Web_Config',
    /Web_Config/,
    (docs) => {
      docs.unshift({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'Web_Config' },
        data: { A: 'b' },
      });
      container(docs).envFrom = [{ configMapRef: { name: 'Web_Config' } }];
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.configmap.data-number',
    'ConfigMap data with a number value',
    /data/,
    (docs) => {
      docs.unshift({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'web-config' },
        data: { PORT: 8080 },
      });
      container(docs).envFrom = [{ configMapRef: { name: 'web-config' } }];
    },
    { item: 7 },
  ),
  manifestCase(
    'manifests.secret.bad-base64',
    'a Secret whose data is not base64',
    /data/,
    (docs) => {
      docs.unshift({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'web-secret' },
        data: { KEY: '%%% not base64 %%%' },
      });
      container(docs).envFrom = [{ secretRef: { name: 'web-secret' } }];
    },
    { item: 7 },
  ),
  manifestCase('manifests.selector.changed', "a selector other than the stable's", /selector/, (docs) => {
    const d = deployment(docs);
    d.spec.selector.matchLabels = { app: 'web', tier: 'front' };
    d.spec.template.metadata.labels = { app: 'web', tier: 'front' };
  }),
  rawManifestCase(
    'manifests.document.scalar',
    'a document that is a string',
    /expected a Kubernetes object/,
    (ctx) =>
      `just a string\n---\n${dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: ctx.namespace } })}`,
  ),
  manifestCase('manifests.kind.missing', 'an object without kind', /kind/, (docs) => {
    docs.unshift({ apiVersion: 'v1', metadata: { name: 'nokind' } });
  }),
  rawManifestCase(
    'manifests.list.items-not-list',
    'kind: List whose items is a number',
    /items/,
    () => 'apiVersion: v1\nkind: List\nitems: 5\n',
  ),
  rawManifestCase(
    'manifests.json.invalid',
    'a .json manifests file that is not JSON',
    /JSON|YAML/,
    () => '{"apiVersion": "apps/v1",\n',
    {
      file: 'web.json',
    },
  ),
];

const OWNERSHIP: Case[] = [
  badInput({
    id: 'ownership.foreign-canary',
    does: 'a hand-made Deployment web-canary (managed by Helm) already exists',
    says: /web-canary[^\n]*(Helm|team-x)/i,
    item: 4,
    setup: (ctx) => handMade(ctx, 'web-canary', { app: 'web', track: 'canary' }),
    expects: 'exit 2 naming web-canary and its owner; the hand-made Deployment untouched',
  }),
  badInput({
    id: 'ownership.foreign-baseline',
    does: 'a hand-made Deployment web-baseline (managed by Helm) already exists',
    says: /web-baseline[^\n]*(Helm|team-x)/i,
    item: 4,
    setup: (ctx) => handMade(ctx, 'web-baseline', { app: 'web', track: 'baseline' }),
    expects: 'exit 2 naming web-baseline and its owner; the hand-made Deployment untouched',
  }),
  badInput({
    id: 'ownership.foreign-canary-selector',
    does: 'a hand-made web-canary with a selector the canary cannot have',
    says: /web-canary[^\n]*(Helm|team-x)/i,
    item: 4,
    setup: (ctx) => handMade(ctx, 'web-canary', { app: 'legacy-canary' }),
    expects: 'exit 2 naming web-canary and its owner (not a 422 "field is immutable"); untouched',
  }),
];

export const BAD_INPUT_CASES: Case[] = [
  ...CLI,
  ...CONFIG_FILE,
  ...ANALYSIS,
  ...PROVIDER,
  ...KUBECONFIG,
  ...MANIFESTS,
  ...OWNERSHIP,
];
