import { notifySchema } from '../notify/schema.ts';

/**
 * The one definition of the config file. It is a JSON Schema (draft-07 subset) so the same object
 * validates user files (src/config/validate.ts) and is published for editors
 * (schema/canary.schema.json, written by `npm run schema`).
 */
export type SchemaNode = {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: readonly string[];
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  maxLength?: number;
  /** null accepted too (a Kubernetes pointer field). */
  nullable?: boolean;
  /** What the pattern means, for error messages ("a duration such as 30s"). */
  patternDescription?: string;
  anyOf?: readonly SchemaNode[];
  allOf?: readonly SchemaNode[];
  if?: SchemaNode;
  then?: SchemaNode;
};

export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';
const duration = (description: string, dflt?: string): SchemaNode => ({
  type: 'string',
  pattern: DURATION_PATTERN,
  patternDescription: 'a duration such as "30s", "2m" or "1h30m"',
  description,
  ...(dflt === undefined ? {} : { default: dflt }),
});
const str = (description: string): SchemaNode => ({ type: 'string', description });

export const PROVIDER_TYPES = ['prometheus', 'influxdb', 'datadog'] as const;
export const METRIC_TYPES = ['ratio', 'latency', 'gauge', 'threshold'] as const;
export const TEMPLATE_NAMES = ['http-error-rate', 'http-latency', 'pod-restarts'] as const;
export const QUERY_VARIABLES = ['selector', 'interval', 'track', 'namespace', 'workload'] as const;
export const ROUTER_NAMES = ['replicas', 'gateway-api', 'istio', 'nginx', 'haproxy'] as const;

const provider: SchemaNode = {
  type: 'object',
  description: 'The metrics backend the queries are sent to.',
  required: ['type', 'url'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: PROVIDER_TYPES, description: 'Backend type.' },
    url: str('Base URL of the backend API, e.g. http://prometheus:9090 or https://api.datadoghq.com.'),
    headers: {
      type: 'object',
      description: 'Extra HTTP headers sent with every query (use ${VAR} for secrets).',
      additionalProperties: { type: 'string' },
    },
    bearerToken: str('Sent as "Authorization: Bearer <token>".'),
    basicAuth: {
      type: 'object',
      required: ['username', 'password'],
      additionalProperties: false,
      properties: { username: str('User name.'), password: str('Password (use ${VAR}).') },
    },
    caFile: str('PEM file with the CA certificates to trust for https URLs.'),
    insecureSkipVerify: {
      type: 'boolean',
      default: false,
      description: 'Turn TLS certificate verification off (not recommended).',
    },
    timeout: duration('Timeout of one HTTP request.', '10s'),
    retries: {
      type: 'integer',
      minimum: 0,
      maximum: 10,
      description:
        'At most this many retries of one request, within retryBudget (default: as many as retryBudget allows).',
    },
    retryBudget: duration(
      'How long one query is retried (exponential back-off) on network errors, 429 and 5xx; a poll whose query still fails counts as no data.',
      '15s',
    ),
    outage: duration(
      'How long the backend may stay unanswered (polls without data) before the analysis ends with exit 4 and a rollback.',
      '2m',
    ),
    version: {
      type: 'integer',
      enum: [1, 2],
      default: 1,
      description: 'influxdb: 1 (InfluxQL) or 2 (Flux).',
    },
    database: str('influxdb 1.x: database name.'),
    retentionPolicy: str('influxdb 1.x: retention policy (optional).'),
    org: str('influxdb 2.x: organisation.'),
    bucket: str('influxdb 2.x: bucket read by the latency (histogram) query.'),
    measurement: {
      type: 'string',
      default: 'prometheus',
      description:
        'influxdb: measurement holding the histogram buckets (Telegraf prometheus input: prometheus).',
    },
    token: str('influxdb 2.x: API token (use ${VAR}).'),
    site: {
      type: 'string',
      default: 'datadoghq.com',
      description: 'datadog: site (datadoghq.com, datadoghq.eu, us3.datadoghq.com, ...).',
    },
    apiKey: str('datadog: API key (use ${VAR}).'),
    applicationKey: str('datadog: application key (use ${VAR}).'),
  },
};

const metric: SchemaNode = {
  type: 'object',
  description:
    'A metric to judge: a full definition (`name` + `type`) or a built-in `template` with overrides.',
  additionalProperties: false,
  properties: {
    template: { type: 'string', enum: TEMPLATE_NAMES, description: 'Built-in metric to start from.' },
    name: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
      patternDescription: 'letters, digits, "_", "." or "-"',
      description: 'Unique metric name.',
    },
    type: { type: 'string', enum: METRIC_TYPES, description: 'How the metric is judged.' },
    tolerance: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'ratio/latency/gauge: largest acceptable canary ÷ baseline ratio (1.5 = up to 50% worse).',
    },
    bad: str('ratio: query for bad events per poll window (e.g. 5xx responses).'),
    total: str('ratio: query for all events per poll window.'),
    histogram: str('latency: Prometheus histogram base name (without _bucket).'),
    query: str('gauge/threshold: query returning one value per poll window.'),
    min: { type: 'number', description: 'threshold: lowest acceptable value.' },
    max: { type: 'number', description: 'threshold: highest acceptable value.' },
    failureLimit: {
      type: 'integer',
      minimum: 1,
      default: 1,
      description: 'threshold: failed measurements that fail the metric.',
    },
    blocking: {
      type: 'boolean',
      description: 'Whether this metric can fail the canary (default: true, gauge: false).',
    },
    direction: {
      type: 'string',
      enum: ['increase', 'decrease'],
      default: 'increase',
      description: 'gauge: which direction is harmful.',
    },
  },
  anyOf: [{ required: ['template'] }, { required: ['name', 'type'] }],
  allOf: [
    {
      if: { required: ['type'], properties: { type: { const: 'ratio' } } },
      then: { required: ['bad', 'total'] },
    },
    {
      if: { required: ['type'], properties: { type: { const: 'latency' } } },
      then: { required: ['histogram'] },
    },
    { if: { required: ['type'], properties: { type: { const: 'gauge' } } }, then: { required: ['query'] } },
    {
      if: { required: ['type'], properties: { type: { const: 'threshold' } } },
      then: { required: ['query'], anyOf: [{ required: ['min'] }, { required: ['max'] }] },
    },
  ],
};

const analysis: SchemaNode = {
  type: 'object',
  description: 'How the canary is judged against the baseline.',
  required: ['provider', 'metrics'],
  additionalProperties: false,
  properties: {
    provider,
    tracks: {
      type: 'object',
      description:
        'Query fragment selecting each arm ({{selector}}). Default: derived from namespace and workload.',
      required: ['canary', 'baseline'],
      additionalProperties: false,
      properties: { canary: str('Selector of the canary.'), baseline: str('Selector of the baseline.') },
    },
    interval: duration('Poll period; also the window of each measurement ({{interval}}).', '30s'),
    warmup: duration('Time ignored at the start, while the new pods warm up.', '30s'),
    minDuration: duration('No early pass before this much analysis time.', '2m'),
    maxDuration: duration('The analysis decides by then.', '10m'),
    alpha: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 0.5,
      default: 0.01,
      description: 'False-alarm budget for the whole canary, shared by the blocking metrics and guards.',
    },
    onInconclusive: {
      type: 'string',
      enum: ['fail', 'pass', 'hold'],
      default: 'fail',
      description:
        'What an inconclusive verdict means: fail (exit 3), pass (exit 0) or hold (leave for a manual decision).',
    },
    aa: {
      type: 'boolean',
      default: false,
      description:
        'A/A run: canary and baseline both run the stable image and nothing is promoted, to measure false alarms on your own cluster.',
    },
    trafficShare: {
      description:
        "Guard against broken routing: the canary's share of canary+baseline requests (advisory unless blocking), or false to disable.",
      anyOf: [
        { type: 'boolean', const: false },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            expected: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
            tolerance: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5, default: 0.15 },
            blocking: {
              type: 'boolean',
              default: false,
              description:
                'Fail the canary when the share is off (it then takes a share of alpha); by default it is reported only.',
            },
          },
        },
      ],
    },
    metrics: { type: 'array', minItems: 1, items: metric, description: 'The metrics to judge.' },
  },
};

const traffic: SchemaNode = {
  type: 'object',
  description: 'How traffic reaches the canary and in which steps.',
  additionalProperties: false,
  properties: {
    router: {
      type: 'string',
      enum: ROUTER_NAMES,
      default: 'replicas',
      description:
        'replicas: canary and baseline get replicas in proportion to the step weight beside the stable; the Service spreads requests over all ready pods. gateway-api: the weights of traffic.route, a Gateway API HTTPRoute, send the step weight to <service>-canary and as much to <service>-baseline. istio: the same with the whole-percent weights of traffic.route, an Istio VirtualService (virtualservice/NAME). nginx (legacy: ingress-nginx is retired): a canary Ingress beside traffic.route, an Ingress, sends twice the step weight to <service>-canary-baseline, whose canary and baseline pods share it. haproxy: the blue-green annotations of traffic.route, an Ingress of HAProxy Ingress (ingress/NAME), weight the pods behind the one stable Service by their track label (blue-green-mode: pod).',
    },
    route: {
      type: 'string',
      pattern: '^[A-Za-z]+/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
      patternDescription: 'KIND/NAME, e.g. httproute/web',
      description:
        "The routing object a weighted router edits (gateway-api: httproute/NAME; istio: virtualservice/NAME; nginx, haproxy: ingress/NAME; in the workload's namespace). Required by the weighted routers.",
    },
    service: {
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      patternDescription: 'a Service name (DNS-1035)',
      description:
        "The stable Service the route sends to (weighted routers); default: the workload's name. It is never changed.",
    },
    canaryReplicas: {
      type: 'integer',
      minimum: 1,
      description:
        "Replicas of the canary (and of the baseline) under a weighted router; default: the step weight × the stable's replicas, rounded, at least 1.",
    },
    match: {
      type: 'object',
      additionalProperties: false,
      required: ['header'],
      description:
        'gateway-api, istio, and nginx with baseline: false: requests with this header (exact value or regex) go to the canary, alongside the weight (A/B); haproxy: an exact value only, which must be a label value.',
      properties: {
        header: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: 'The header name.' },
        exact: str('The exact value.'),
        regex: str('A regular expression the value matches (RE2 at most implementations).'),
      },
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
      default: [10, 50],
      description:
        'Traffic weights analysed in turn (replicas: percent of the stable; weighted routers: percent of all traffic); each step is a full analysis. Increasing.',
    },
    baseline: {
      type: 'boolean',
      default: true,
      description:
        'Deploy a same-size baseline of the stable as the control (recommended). false needs analysis.tracks.',
    },
  },
};

export const configSchema: SchemaNode = {
  type: 'object',
  description: 'canary-action configuration (canary.yml).',
  required: ['apiVersion', 'analysis'],
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string', const: 'canary-action/v1', description: 'Must be canary-action/v1.' },
    namespace: {
      type: 'string',
      pattern: '^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      patternDescription: 'a DNS-1123 label (1 to 63 lowercase letters, digits or "-")',
      description: 'Kubernetes namespace of the workload ({{namespace}} in queries).',
    },
    workload: {
      type: 'string',
      pattern: '^(deployment/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      patternDescription: 'deployment/NAME with a DNS-1123 name',
      description: 'The stable workload, deployment/NAME ({{workload}} in queries).',
    },
    image: str(
      'The new image: a full reference with a tag or digest (ghcr.io/org/web:1.2.3, …@sha256:…), or a repository when a build step supplies the digest. --image overrides it.',
    ),
    manifests: {
      description:
        'Files or directories of multi-document YAML holding the new Deployment (and the ConfigMaps/Secrets it uses). --manifests overrides it.',
      anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }],
    },
    traffic,
    lockWait: duration(
      'How long a run waits for another run on the same workload to release its lock.',
      '5m',
    ),
    apiRetryBudget: duration(
      'How long one Kubernetes API request is retried (429, 5xx, network errors; conflicts for writes) before the run gives up.',
      '1m',
    ),
    readyTimeout: duration(
      'How long the canary, the baseline and the promoted stable get to become ready.',
      '5m',
    ),
    rollbackDeadline: duration(
      'How long a rollback (or the restore of a failed promotion) keeps retrying while the Kubernetes API fails; past it the run ends rollback-incomplete (exit 4) naming what is left.',
      '5m',
    ),
    analysis,
    notify: notifySchema,
    notifyDeadline: duration(
      'How long one notification event may take over all notify targets (retries included); whatever is still under way then is a warning, and the release goes on.',
      '15s',
    ),
  },
};
