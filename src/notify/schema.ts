/**
 * The JSON Schema fragment of `notify:`, in the style of src/config/schema.ts, for the config definition to
 * include as `properties.notify` (and so in schema/canary.schema.json for editors). It describes the shape;
 * parseNotifyTargets (src/notify/settings.ts) also checks what the subset cannot say (which fields belong
 * to which type, reserved headers, credentials from `${VAR}`).
 */
// Type only: src/config/schema.ts will import notifySchema, and a value import back would be a cycle.
import type { SchemaNode } from '../config/schema.ts';
import { DASHBOARD_UID_PATTERN, MAX_RETRIES, NOTIFY_DEFAULTS } from './settings.ts';
import { NOTIFY_EVENTS, NOTIFY_TYPES } from './types.ts';

const str = (description: string): SchemaNode => ({ type: 'string', description });

/** The config's duration syntax (src/config/schema.ts DURATION_PATTERN; a test keeps the two equal). */
export const NOTIFY_DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';

const target: SchemaNode = {
  type: 'object',
  description: 'Where to send release notifications, and which events.',
  required: ['type', 'url'],
  additionalProperties: false,
  properties: {
    type: {
      type: 'string',
      enum: NOTIFY_TYPES,
      description:
        'slack (incoming webhook, Block Kit), teams (Teams Workflows webhook, Adaptive Card), webhook (JSON POST), grafana (annotations).',
    },
    name: str('A label for this target in the log and the report (never the URL).'),
    url: str(
      'slack/teams/webhook: the webhook URL, a credential: use ${VAR}. grafana: the base URL, e.g. https://grafana.example.com.',
    ),
    events: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', enum: NOTIFY_EVENTS },
      default: NOTIFY_DEFAULTS.events,
      description: 'The events this target receives (default: every event but step).',
    },
    headers: {
      type: 'object',
      description: 'Extra HTTP headers (values are treated as secrets; use ${VAR}).',
      additionalProperties: { type: 'string' },
    },
    timeout: {
      type: 'string',
      pattern: NOTIFY_DURATION_PATTERN,
      patternDescription: 'a duration such as "5s" or "500ms"',
      default: NOTIFY_DEFAULTS.timeout,
      description: 'Timeout of one HTTP request.',
    },
    retries: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_RETRIES,
      default: NOTIFY_DEFAULTS.retries,
      description: 'Retries (with exponential back-off) on network errors, timeouts, 429 and 5xx.',
    },
    secret: str(
      'webhook: HMAC-SHA256 key; the body is signed as X-Canary-Signature: sha256=<hex> (use ${VAR}).',
    ),
    token: str('grafana: service account token, sent as a bearer token (use ${VAR}).'),
    tags: {
      type: 'array',
      items: { type: 'string' },
      description: 'grafana: extra tags on the annotation.',
    },
    dashboardUID: {
      type: 'string',
      pattern: DASHBOARD_UID_PATTERN,
      patternDescription: 'a dashboard UID',
      description: 'grafana: annotate this dashboard only (default: an organization annotation).',
    },
    panelId: {
      type: 'integer',
      minimum: 0,
      description: 'grafana: annotate this panel of dashboardUID only.',
    },
  },
  allOf: [
    { if: { required: ['type'], properties: { type: { const: 'grafana' } } }, then: { required: ['token'] } },
  ],
};

/** `notify:`: include as `configSchema.properties.notify`. */
export const notifySchema: SchemaNode = {
  type: 'array',
  items: target,
  description:
    'Chat messages, a JSON webhook and Grafana annotations when a release starts, passes a step and is decided (docs/notifications.md).',
};
