import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostics, recentEvents, toPodEvent } from '../../../src/kube/diagnostics.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

function event(type: string, reason: string, at: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: reason },
    type,
    reason,
    message: `${reason} happened`,
    lastTimestamp: at,
    ...extra,
  };
}

test('events: Warning first, then most recent; counts and event-series times are read', () => {
  const events = [
    event('Normal', 'Pulled', '2024-01-01T00:00:05Z'),
    event('Warning', 'BackOff', '2024-01-01T00:00:03Z', { count: 5 }),
    event('Normal', 'Started', '2024-01-01T00:00:06Z'),
    event('Warning', 'Failed', '2024-01-01T00:00:04Z'),
    {
      ...event('Normal', 'Scheduled', ''),
      lastTimestamp: undefined,
      eventTime: '2024-01-01T00:00:01.000000Z',
    },
  ].map(toPodEvent);
  assert.deepEqual(
    recentEvents(events).map((e) => e.reason),
    ['Failed', 'BackOff', 'Started', 'Pulled', 'Scheduled'],
  );
  assert.equal(events[1]?.count, 5);
  assert.deepEqual(
    recentEvents(events, 2).map((e) => e.reason),
    ['Failed', 'BackOff'],
  );
});

test('the text names the pod, lists events, and quotes the last log lines of the previous instance', () => {
  const text = formatDiagnostics({
    pod: 'web-abc',
    container: 'app',
    events: [
      toPodEvent(event('Warning', 'BackOff', '2024-01-01T00:00:03Z', { count: 3 })),
      toPodEvent(event('Normal', 'Pulled', '2024-01-01T00:00:01Z')),
    ],
    logs: { lines: ['starting', 'panic: boom'], previous: true },
  });
  assert.equal(
    text,
    [
      'events of pod web-abc (Warning first, most recent first):',
      '  Warning BackOff (x3): BackOff happened',
      '  Normal  Pulled: Pulled happened',
      'last 2 log lines of container "app" (previous instance):',
      '  starting',
      '  panic: boom',
    ].join('\n'),
  );
});

test('missing events and unreadable logs are said so', () => {
  assert.equal(
    formatDiagnostics({
      pod: 'p',
      container: 'app',
      events: [],
      logs: { error: 'container is waiting to start' },
    }),
    'events of pod p: none\nlogs of container "app": unavailable (container is waiting to start)',
  );
  assert.equal(
    formatDiagnostics({ pod: 'p', events: [], eventsError: 'forbidden' }),
    'events of pod p: unavailable (forbidden)',
  );
  assert.equal(
    formatDiagnostics({ pod: 'p', container: 'app', events: [], logs: { lines: [], previous: false } }),
    'events of pod p: none\nlogs of container "app": empty',
  );
});
