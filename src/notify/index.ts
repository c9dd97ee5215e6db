/** Release notifications: Slack, Microsoft Teams, a signed JSON webhook and Grafana annotations. */
export * from './types.ts';
export { releaseEvent, eventForRelease, type ReleaseEventInput, type ReleaseFacts } from './event.ts';
export {
  NOTIFY_DEFAULTS,
  parseNotifyTargets,
  notifySecrets,
  targetLabel,
  type ParseNotifyOptions,
} from './settings.ts';
export { notifySchema } from './schema.ts';
export {
  notifyAll,
  DEFAULT_NOTIFY_DEADLINE_MS,
  type NotifyAllOptions,
  type NotifyAllResult,
  type NotifyLog,
} from './dispatch.ts';
export { emptyNotifyState, encodeNotifyState, decodeNotifyState } from './state.ts';
export { notifiers, createNotifier } from './notifiers.ts';
export { slackMessage } from './slack.ts';
export { teamsMessage } from './teams.ts';
export { webhookPayload, webhookRequest, signBody, verifySignature, SIGNATURE_HEADER } from './webhook.ts';
export { grafanaAnnotation, grafanaTags, grafanaStateKey, runTag } from './grafana.ts';
