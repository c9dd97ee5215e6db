/** The notifier plugins, one per target type, in the one registry shape (src/util/registry.ts). */
import { createRegistry } from '../util/registry.ts';
import { grafanaNotifier } from './grafana.ts';
import { slackNotifier } from './slack.ts';
import { teamsNotifier } from './teams.ts';
import type {
  GrafanaTarget,
  Notifier,
  NotifierFactory,
  NotifyTarget,
  NotifyType,
  SlackTarget,
  TeamsTarget,
  WebhookTarget,
} from './types.ts';
import { webhookNotifier } from './webhook.ts';

const factories: Record<NotifyType, NotifierFactory> = {
  slack: (target) => slackNotifier(target as SlackTarget),
  teams: (target) => teamsNotifier(target as TeamsTarget),
  webhook: (target) => webhookNotifier(target as WebhookTarget),
  grafana: (target) => grafanaNotifier(target as GrafanaTarget),
};

export const notifiers = createRegistry<NotifierFactory>('notifier', factories);

/** The notifier for a parsed target (its type was checked by parseNotifyTargets). */
export function createNotifier(target: NotifyTarget): Notifier {
  return notifiers.get(target.type, `notify[${target.index}].type`)(target);
}
