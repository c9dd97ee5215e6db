import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.ts';
import { configSecrets } from '../../../src/config/secrets.ts';
import { ConfigError, ExitCode } from '../../../src/util/errors.ts';

const ISSUE_EXAMPLE = `
apiVersion: canary-action/v1
analysis:
  provider: {type: prometheus, url: http://prometheus:9090, headers: {Authorization: "Bearer \${PROM_TOKEN}"}}
  tracks:
    canary: 'track="canary"'
    baseline: 'track="baseline"'
  interval: 30s
  warmup: 30s
  minDuration: 2m
  maxDuration: 10m
  alpha: 0.01
  onInconclusive: fail
  metrics:
    - {name: errors, type: ratio, tolerance: 1.5,
       bad: 'sum(increase(http_requests_total{ {{selector}}, code=~"5.." }[{{interval}}]))',
       total: 'sum(increase(http_requests_total{ {{selector}} }[{{interval}}]))'}
    - {name: latency, type: latency, histogram: http_request_duration_seconds, tolerance: 1.2}
    - {name: p99-slo, type: threshold, query: 'histogram_quantile(0.99, x{ {{selector}} })', max: 0.5, failureLimit: 2}
    - {name: cpu, type: gauge, query: 'sum(rate(cpu{ {{selector}} }[{{interval}}]))', tolerance: 1.25, blocking: false}
    - {template: http-error-rate}
`;

function configError(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.exitCode, ExitCode.InvalidInput);
    return error;
  }
  assert.fail('expected the config to be rejected');
}

const minimal = (analysisExtra: string, metric = '{template: http-error-rate}') => `
apiVersion: canary-action/v1
analysis:
  provider: {type: prometheus, url: http://localhost:9090}
  tracks: {canary: 'a="1"', baseline: 'a="2"'}
${analysisExtra}
  metrics:
    - ${metric}
`;

describe('parseConfig', () => {
  test('accepts the documented example and applies defaults and templates', () => {
    const config = parseConfig(ISSUE_EXAMPLE, { PROM_TOKEN: 's3cret-token' });
    const { analysis } = config;
    assert.equal(analysis.provider.headers.Authorization, 'Bearer s3cret-token');
    assert.deepEqual(config.secrets, ['s3cret-token']);
    assert.equal(analysis.intervalMs, 30_000);
    assert.equal(analysis.maxDurationMs, 600_000);
    assert.deepEqual(
      analysis.metrics.map((m) => [m.name, m.type, m.blocking, m.tolerance]),
      [
        ['errors', 'ratio', true, 1.5],
        ['latency', 'latency', true, 1.2],
        ['p99-slo', 'threshold', true, 1],
        ['cpu', 'gauge', false, 1.25],
        ['http-error-rate', 'ratio', true, 1.2],
      ],
    );
    assert.equal(analysis.metrics[2]?.failureLimit, 2);
    assert.match(analysis.metrics[4]?.bad ?? '', /code=~"5\.\."/);
    assert.deepEqual(analysis.trafficShare, { expected: 0.5, tolerance: 0.15, blocking: false });
    assert.ok(Object.isFrozen(config) && Object.isFrozen(analysis.metrics[0]));
  });

  test('template fields can be overridden', () => {
    const config = parseConfig(minimal('', '{template: http-latency, tolerance: 1.1, name: slow}'), {});
    assert.deepEqual(
      [
        config.analysis.metrics[0]?.name,
        config.analysis.metrics[0]?.tolerance,
        config.analysis.metrics[0]?.histogram,
      ],
      ['slow', 1.1, 'http_request_duration_seconds'],
    );
  });

  test('unknown provider type lists the valid ones', () => {
    const error = configError(minimal('').replace('type: prometheus', 'type: graphite'));
    assert.equal(error.path, 'analysis.provider.type');
    assert.match(error.message, /"prometheus", "influxdb", "datadog", got "graphite"/);
  });

  test('unknown metric field names the field and the valid ones', () => {
    const error = configError(minimal('', '{template: http-error-rate, tolerence: 2}'));
    assert.equal(error.path, 'analysis.metrics[0].tolerence');
    assert.match(error.message, /unknown field \(valid fields: template, name, type, tolerance/);
  });

  test('malformed YAML', () => {
    const error = configError('apiVersion: canary-action/v1\nanalysis: {provider: [\n');
    assert.match(error.message, /is not valid YAML/);
  });

  test('bad duration names the field and the value', () => {
    const error = configError(minimal('  interval: 30 seconds'));
    assert.equal(error.path, 'analysis.interval');
    assert.match(error.message, /expected a duration such as "30s".*got "30 seconds"/);
  });

  test('missing environment variable names the field and the variable', () => {
    const error = configError(
      minimal('').replace(
        'url: http://localhost:9090',
        'url: http://localhost:9090, bearerToken: "${PROM_TOKEN}"',
      ),
    );
    assert.equal(error.path, 'analysis.provider.bearerToken');
    assert.match(error.message, /environment variable PROM_TOKEN is not set/);
  });

  test('$${ is a literal ${', () => {
    const config = parseConfig(
      minimal('').replace(
        'url: http://localhost:9090',
        () => 'url: http://localhost:9090, headers: {X: "$${A}"}',
      ),
      {},
    );
    assert.equal(config.analysis.provider.headers.X, '${A}');
  });

  test('unknown query variable is an error naming the query field', () => {
    const error = configError(minimal('', "{name: e, type: ratio, bad: 'x{ {{selectr}} }', total: 'y'}"));
    assert.equal(error.path, 'analysis.metrics[0].bad');
    assert.match(error.message, /unknown query variable \{\{selectr\}\}/);
  });

  test('per-type required fields', () => {
    assert.equal(
      configError(minimal('', '{name: e, type: ratio, bad: x}')).path,
      'analysis.metrics[0].total',
    );
    assert.equal(configError(minimal('', '{name: e, type: latency}')).path, 'analysis.metrics[0].histogram');
    assert.match(
      configError(minimal('', '{name: e, type: threshold, query: q}')).message,
      /min or.*max|min and|with min/,
    );
    assert.match(
      configError(minimal('', '{tolerance: 2}')).message,
      /template or an object with name and type/,
    );
  });

  test('wrong types, out-of-range numbers and wrong apiVersion', () => {
    assert.match(
      configError(minimal('  alpha: 0.9')).message,
      /analysis.alpha: expected a number < 0.5, got 0.9/,
    );
    assert.match(
      configError(minimal('  onInconclusive: maybe')).message,
      /"fail", "pass", "hold", got "maybe"/,
    );
    assert.equal(configError(minimal('').replace('canary-action/v1', 'v2')).path, 'apiVersion');
    assert.match(
      configError(minimal('  interval: 5m\n  maxDuration: 1m')).message,
      /analysis.maxDuration: expected at least one interval/,
    );
  });

  test('duplicate metric names and no blocking metric', () => {
    const twice = minimal('', '{template: http-error-rate}\n    - {template: http-error-rate}');
    assert.match(configError(twice).message, /duplicate metric name "http-error-rate"/);
    assert.match(
      configError(minimal('', '{template: http-error-rate, blocking: false}')).message,
      /at least one blocking metric/,
    );
  });

  test('templates are refused for providers they are not written for', () => {
    const text = minimal('').replace('type: prometheus', 'type: datadog');
    assert.match(configError(text).message, /written for prometheus, not datadog/);
  });

  test('a secret value is never echoed in a validation message', () => {
    const error = configError(minimal('').replace('url: http://localhost:9090', 'url: "${URL}"'), {
      URL: 'not a url hunter2',
    });
    assert.equal(error.path, 'analysis.provider.url');
    assert.doesNotMatch(error.message, /hunter2/);
  });

  test('traffic: gateway-api needs a route; match needs exactly one of exact or regex; defaults stay unset', () => {
    const withTraffic = (traffic: string) => `traffic: ${traffic}\n${minimal('')}`;
    const missing = configError(withTraffic('{router: gateway-api, steps: [5]}'));
    assert.equal(missing.path, 'traffic.route');
    const both = configError(
      withTraffic('{router: gateway-api, route: httproute/web, match: {header: x-ab, exact: a, regex: b}}'),
    );
    assert.equal(both.path, 'traffic.match');
    const unknown = configError(withTraffic('{router: smi}'));
    assert.match(unknown.message, /traffic\.router/);
    const config = parseConfig(
      withTraffic('{router: gateway-api, route: httproute/web, steps: [5, 25]}'),
      {},
    );
    assert.deepEqual(config.traffic, {
      router: 'gateway-api',
      steps: [5, 25],
      baseline: true,
      route: 'httproute/web',
    });
  });
});

describe('notify: in the config', () => {
  const withNotify = (notify: string) => `${minimal('')}notify:\n${notify}`;
  const env = {
    HOOK_URL: 'https://hooks.example.com/services/T000/B000/abcdefghijklmnopqrstuvwx',
    GRAFANA_TOKEN: 'glsa_token-value-123',
  };

  test('targets are parsed with their defaults; every credential is a config secret; deadline 15s', () => {
    const config = parseConfig(
      withNotify(
        '  - {type: slack, url: "${HOOK_URL}"}\n  - {type: grafana, url: https://grafana.example.com, token: "${GRAFANA_TOKEN}"}\n',
      ),
      env,
    );
    assert.deepEqual(
      config.notify.map((target) => [target.type, target.events.length, target.retries]),
      [
        ['slack', 6, 3],
        ['grafana', 6, 3],
      ],
    );
    assert.equal(config.notifyDeadlineMs, 15_000);
    const secrets = configSecrets(config);
    for (const secret of [env.HOOK_URL, '/services/T000/B000/abcdefghijklmnopqrstuvwx', env.GRAFANA_TOKEN]) {
      assert.ok(secrets.includes(secret), secret);
    }
  });

  test('no notify: no targets', () => {
    assert.deepEqual(parseConfig(minimal(''), {}).notify, []);
  });

  test('a webhook URL written into the file is refused, naming the field and not the value', () => {
    const error = configError(
      withNotify('  - {type: webhook, url: "https://hooks.example.com/secret-path-1234"}\n'),
    );
    assert.equal(error.path, 'notify[0].url');
    assert.match(error.message, /must come from an environment variable/);
    assert.doesNotMatch(error.message, /secret-path-1234/);
  });

  test('an unknown event and a bad notifyDeadline name the field', () => {
    assert.equal(
      configError(withNotify('  - {type: slack, url: "${HOOK_URL}", events: [deployed]}\n'), env).path,
      'notify[0].events[0]',
    );
    assert.equal(configError(`${minimal('')}notifyDeadline: soon\n`).path, 'notifyDeadline');
  });
});
