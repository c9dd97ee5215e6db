// `notify:` settings: defaults stated once, every problem a ConfigError naming the field, the value and what
// was expected (credentials never echoed), the JSON Schema fragment agreeing with the parser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { validateSchema } from '../../../src/config/validate.ts';
import type { SchemaNode } from '../../../src/config/schema.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { notifySchema } from '../../../src/notify/schema.ts';
import {
  NOTIFY_DEFAULTS,
  notifySecrets,
  parseNotifyTargets,
  targetLabel,
} from '../../../src/notify/settings.ts';
import { NOTIFY_EVENTS } from '../../../src/notify/types.ts';

const SLACK_URL = 'https://hooks.example/services/T000/B000/SECRETXYZ';
const TEAMS_URL =
  'https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=TEAMSSIGNATURE1234567890';

function configError(fn: () => unknown, path: string, pattern: RegExp): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.path, path);
  assert.match(caught.message, pattern);
  return caught;
}

describe('parseNotifyTargets', () => {
  test('the sketch from the issue parses, with the defaults filled in', () => {
    const targets = parseNotifyTargets([
      {
        type: 'webhook',
        url: 'https://deploy.example/hook',
        secret: 's3cret-value',
        events: ['failed', 'promoted'],
      },
      { type: 'slack', url: SLACK_URL },
      { type: 'grafana', url: 'https://grafana.example.com', token: 'glsa_token_1234', tags: ['shop'] },
    ]);
    assert.equal(targets.length, 3);
    const [webhook, slack, grafana] = targets;
    assert.deepEqual(webhook, {
      index: 0,
      type: 'webhook',
      url: 'https://deploy.example/hook',
      secret: 's3cret-value',
      events: ['failed', 'promoted'],
      headers: {},
      timeoutMs: 5000,
      retries: 3,
    });
    assert.deepEqual(
      slack?.events,
      NOTIFY_EVENTS.filter((event) => event !== 'step'),
    );
    assert.equal(slack?.events, NOTIFY_DEFAULTS.events);
    assert.deepEqual(grafana, {
      index: 2,
      type: 'grafana',
      url: 'https://grafana.example.com',
      token: 'glsa_token_1234',
      tags: ['shop'],
      events: NOTIFY_DEFAULTS.events,
      headers: {},
      timeoutMs: 5000,
      retries: 3,
    });
  });

  test('absent or null notify is no targets; events keep the documented order without duplicates', () => {
    assert.deepEqual(parseNotifyTargets(undefined), []);
    assert.deepEqual(parseNotifyTargets(null), []);
    const [target] = parseNotifyTargets([
      {
        type: 'teams',
        url: TEAMS_URL,
        events: ['promoted', 'started', 'promoted'],
        timeout: '750ms',
        retries: 0,
      },
    ]);
    assert.deepEqual(target?.events, ['started', 'promoted']);
    assert.equal(target?.timeoutMs, 750);
    assert.equal(target?.retries, 0);
  });

  test('errors name the field, the value and what was expected', () => {
    configError(
      () => parseNotifyTargets({ type: 'slack' }),
      'notify',
      /expected a list of targets, got a map/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'discord', url: SLACK_URL }]),
      'notify[0].type',
      /expected one of "slack", "teams", "webhook", "grafana", got "discord"/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL }, { type: 'slack' }]),
      'notify[1].url',
      /is required/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL, events: ['started', 'deployed'] }]),
      'notify[0].events[1]',
      /expected one of "started", "step", .*"inconclusive", got "deployed"/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL, events: [] }]),
      'notify[0].events',
      /non-empty list/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL, timeout: 5 }]),
      'notify[0].timeout',
      /expected a duration such as "30s".*got 5/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL, retries: 11 }]),
      'notify[0].retries',
      /expected an integer from 0 to 10, got 11/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL, token: 'x' }]),
      'notify[0].token',
      /only grafana targets take token/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'slack', url: SLACK_URL, channel: '#deploys' }]),
      'notify[0].channel',
      /unknown field \(valid fields for slack: type, name, url, events, headers, timeout, retries\)/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'grafana', url: 'ftp://grafana.example', token: 'tok-1234' }]),
      'notify[0].url',
      /expected an http\(s\) URL, got "ftp:\/\/grafana\.example"/,
    );
  });

  test('grafana: a token is required, panelId needs dashboardUID, and both are checked', () => {
    configError(
      () => parseNotifyTargets([{ type: 'grafana', url: 'https://grafana.example.com' }]),
      'notify[0].token',
      /is required.*annotations:create and annotations:write/,
    );
    configError(
      () =>
        parseNotifyTargets([{ type: 'grafana', url: 'https://g.example', token: 'tok-1234', panelId: 2 }]),
      'notify[0].panelId',
      /needs dashboardUID/,
    );
    configError(
      () =>
        parseNotifyTargets([
          { type: 'grafana', url: 'https://g.example', token: 'tok-1234', dashboardUID: 'has space' },
        ]),
      'notify[0].dashboardUID',
      /expected a dashboard UID .* got "has space"/,
    );
    const [target] = parseNotifyTargets([
      { type: 'grafana', url: 'https://g.example', token: 'tok-1234', dashboardUID: 'abc-123', panelId: 0 },
    ]);
    assert.equal(target?.type === 'grafana' && target.panelId, 0);
  });

  test('headers: names are checked, the ones the notifier sets are refused, values are never echoed', () => {
    configError(
      () =>
        parseNotifyTargets([
          { type: 'webhook', url: 'https://h.example', headers: { 'X-Canary-Signature': 'sha256=forged' } },
        ]),
      'notify[0].headers.X-Canary-Signature',
      /set by the webhook notifier itself/,
    );
    configError(
      () =>
        parseNotifyTargets([
          {
            type: 'grafana',
            url: 'https://g.example',
            token: 'tok-1234',
            headers: { authorization: 'Basic x' },
          },
        ]),
      'notify[0].headers.authorization',
      /set by the grafana notifier itself/,
    );
    configError(
      () => parseNotifyTargets([{ type: 'webhook', url: 'https://h.example', headers: { 'Bad Name': 'x' } }]),
      'notify[0].headers.Bad Name',
      /expected an HTTP header name/,
    );
    const error = configError(
      () =>
        parseNotifyTargets([
          { type: 'webhook', url: 'https://h.example', headers: { 'X-Key': 'HEADERSECRET\nx' } },
        ]),
      'notify[0].headers.X-Key',
      /one-line string/,
    );
    assert.doesNotMatch(error.message, /HEADERSECRET/);
  });

  test('a credential is never echoed in an error, only what was wrong with it', () => {
    const bad = [
      { type: 'slack', url: 'ftp://hooks.example/services/T000/B000/SECRETXYZ' },
      { type: 'slack', url: 'hooks.example/services/T000/B000/SECRETXYZ' },
      { type: 'webhook', url: 'https://h.example', secret: 42 },
    ];
    for (const target of bad) {
      let message = '';
      try {
        parseNotifyTargets([target]);
      } catch (error) {
        message = (error as Error).message;
      }
      assert.ok(message, `${JSON.stringify(target)} is refused`);
      assert.doesNotMatch(message, /SECRETXYZ/);
    }
  });

  test('with the substituted values, credentials must come from ${VAR}', () => {
    const substituted = [SLACK_URL, 'glsa_token_1234'];
    assert.equal(parseNotifyTargets([{ type: 'slack', url: SLACK_URL }], { substituted }).length, 1);
    // A URL with only its key from the environment is fine too.
    assert.equal(
      parseNotifyTargets([{ type: 'slack', url: 'https://hooks.example/services/KEY-FROM-ENV' }], {
        substituted: ['KEY-FROM-ENV'],
      }).length,
      1,
    );
    const error = configError(
      () =>
        parseNotifyTargets([{ type: 'slack', url: 'https://hooks.example/services/T1/B1/LITERAL' }], {
          substituted,
        }),
      'notify[0].url',
      /must come from an environment variable \(e\.g\. url: "\$\{SLACK_WEBHOOK_URL\}"\)/,
    );
    assert.doesNotMatch(error.message, /LITERAL/);
    configError(
      () =>
        parseNotifyTargets([{ type: 'webhook', url: SLACK_URL, secret: 'written-in-the-file' }], {
          substituted,
        }),
      'notify[0].secret',
      /must come from an environment variable/,
    );
    // The Grafana URL is not a credential; its token is.
    assert.equal(
      parseNotifyTargets(
        [{ type: 'grafana', url: 'https://grafana.example.com', token: 'glsa_token_1234' }],
        {
          substituted,
        },
      ).length,
      1,
    );
    configError(
      () =>
        parseNotifyTargets(
          [{ type: 'grafana', url: 'https://grafana.example.com', token: 'literal-token' }],
          {
            substituted,
          },
        ),
      'notify[0].token',
      /GRAFANA_TOKEN/,
    );
  });
});

describe('notifySecrets and targetLabel', () => {
  test('every URL (whole, and its path and query), token, secret and header value is a secret', () => {
    const targets = parseNotifyTargets([
      { type: 'slack', url: SLACK_URL, name: 'deploys' },
      { type: 'teams', url: TEAMS_URL },
      {
        type: 'webhook',
        url: 'https://h.example/hook',
        secret: 'hmac-key-1',
        headers: { 'X-Api-Key': 'api-key-2' },
      },
      { type: 'grafana', url: 'https://grafana.example.com', token: 'glsa_token_1234' },
    ]);
    const secrets = notifySecrets(targets);
    for (const expected of [
      SLACK_URL,
      '/services/T000/B000/SECRETXYZ',
      TEAMS_URL,
      'TEAMSSIGNATURE1234567890',
      'https://h.example/hook',
      'hmac-key-1',
      'api-key-2',
      'https://grafana.example.com',
      'glsa_token_1234',
    ]) {
      assert.ok(secrets.includes(expected), `${expected} is registered`);
    }
    assert.ok(!secrets.includes('2016-06-01'), 'short query values are not worth masking');
    assert.deepEqual(targets.map(targetLabel), [
      'notify[0] slack "deploys"',
      'notify[1] teams',
      'notify[2] webhook',
      'notify[3] grafana',
    ]);
  });
});

describe('notifySchema (the `notify:` fragment for the config schema)', () => {
  const accepted: unknown[] = [
    [],
    [{ type: 'slack', url: SLACK_URL }],
    [{ type: 'webhook', url: 'https://h.example', secret: 'k', events: ['failed'], headers: { 'X-A': 'b' } }],
    [{ type: 'grafana', url: 'https://g.example', token: 't', tags: ['a'], dashboardUID: 'abc', panelId: 3 }],
    [{ type: 'teams', url: TEAMS_URL, timeout: '2s', retries: 0, name: 'ops' }],
  ];
  const refused: unknown[] = [
    { type: 'slack', url: SLACK_URL },
    [{ url: SLACK_URL }],
    [{ type: 'slack' }],
    [{ type: 'pagerduty', url: SLACK_URL }],
    [{ type: 'slack', url: SLACK_URL, events: ['deployed'] }],
    [{ type: 'slack', url: SLACK_URL, events: [] }],
    [{ type: 'slack', url: SLACK_URL, timeout: '5 seconds' }],
    [{ type: 'slack', url: SLACK_URL, retries: 11 }],
    [{ type: 'slack', url: SLACK_URL, channel: '#x' }],
    [{ type: 'grafana', url: 'https://g.example' }],
  ];

  test("the project's validator and the parser agree on what is valid", () => {
    for (const value of accepted) {
      assert.deepEqual(validateSchema(notifySchema, value, 'notify'), [], JSON.stringify(value));
      assert.doesNotThrow(() => parseNotifyTargets(value), JSON.stringify(value));
    }
    for (const value of refused) {
      assert.ok(validateSchema(notifySchema, value, 'notify').length > 0, JSON.stringify(value));
      assert.throws(() => parseNotifyTargets(value), ConfigError, JSON.stringify(value));
    }
  });

  test('it is standard JSON Schema (draft-07) once our own keyword is stripped, with the defaults stated once', () => {
    const strip = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(strip)
        : node && typeof node === 'object'
          ? Object.fromEntries(
              Object.entries(node)
                .filter(([key]) => key !== 'patternDescription')
                .map(([key, value]) => [key, strip(value)]),
            )
          : node;
    const ajv = new Ajv({ strict: true, allErrors: true, strictTypes: false, strictRequired: false });
    const validate = ajv.compile(strip(notifySchema) as object);
    for (const value of accepted) assert.ok(validate(value), JSON.stringify(validate.errors));
    for (const value of refused) assert.ok(!validate(value), JSON.stringify(value));
    const properties = (notifySchema.items as SchemaNode).properties ?? {};
    assert.deepEqual(properties.events?.default, NOTIFY_DEFAULTS.events);
    assert.equal(properties.timeout?.default, NOTIFY_DEFAULTS.timeout);
    assert.equal(properties.retries?.default, NOTIFY_DEFAULTS.retries);
  });
});

test('an empty credential (an empty variable) is named as such', () => {
  configError(
    () => parseNotifyTargets([{ type: 'slack', url: '' }]),
    'notify[0].url',
    /expected a non-empty string, got an empty string \(is the variable it comes from empty\?\)/,
  );
  configError(
    () => parseNotifyTargets([{ type: 'webhook', url: 'https://h.example', secret: 7 }]),
    'notify[0].secret',
    /got a number/,
  );
});
