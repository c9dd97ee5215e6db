// The notifier plugins sit in the one registry shape; a notifier never throws, whatever goes wrong inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notifyAll } from '../../../src/notify/dispatch.ts';
import { createNotifier, notifiers } from '../../../src/notify/notifiers.ts';
import { parseNotifyTargets } from '../../../src/notify/settings.ts';
import { emptyNotifyState } from '../../../src/notify/state.ts';
import type { NotifyTarget } from '../../../src/notify/types.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { eventOf } from './fixture.ts';

test('one notifier per target type, registered as "notifier"', () => {
  assert.equal(notifiers.kind, 'notifier');
  assert.deepEqual(notifiers.names, ['slack', 'teams', 'webhook', 'grafana']);
  assert.throws(
    () => notifiers.get('discord', 'notify[3].type'),
    (error: unknown) =>
      error instanceof ConfigError &&
      /notify\[3\]\.type: unknown notifier "discord"; valid: slack/.test(error.message),
  );
  for (const target of parseNotifyTargets([
    { type: 'slack', url: 'https://hooks.example/s' },
    { type: 'teams', url: 'https://teams.example/t' },
    { type: 'webhook', url: 'https://hooks.example/w' },
    { type: 'grafana', url: 'https://grafana.example', token: 'tok-1234' },
  ])) {
    assert.equal(createNotifier(target).target, target);
  }
});

test('send resolves with a warning when the deadline has already passed, and names no URL', async () => {
  const [target] = parseNotifyTargets([
    { type: 'slack', url: 'https://hooks.example/services/T0/B0/SECRETXYZ' },
  ]);
  const result = await createNotifier(target as NotifyTarget).send(eventOf('failed'), {
    signal: AbortSignal.abort(),
    state: emptyNotifyState(),
  });
  assert.deepEqual(result, {
    target: 'notify[0] slack',
    type: 'slack',
    event: 'failed',
    ok: false,
    attempts: 0,
    warning: 'notify[0] slack: "failed" not delivered: notification deadline reached',
  });
});

test('notifyAll never rejects, even for a target it cannot build', async () => {
  const [slack] = parseNotifyTargets([
    { type: 'slack', url: 'https://hooks.example/services/T0/B0/SECRETXYZ' },
  ]);
  const bogus = { ...slack, type: 'discord' } as unknown as NotifyTarget;
  const { results, state } = await notifyAll([bogus], eventOf('failed'), { deadlineMs: 1000 });
  assert.equal(results.length, 1);
  assert.equal(results[0]?.ok, false);
  assert.match(results[0]?.warning ?? '', /internal error: notify\[0\]\.type: unknown notifier "discord"/);
  assert.doesNotMatch(JSON.stringify(results), /SECRETXYZ/);
  assert.deepEqual(state, emptyNotifyState());
});
