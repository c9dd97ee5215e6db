/**
 * The generic webhook: the release event as JSON, in the documented shape of
 * schema/notification-webhook.schema.json (schemaVersion 1), POSTed with the target's headers and, when a
 * secret is set, `X-Canary-Signature: sha256=<hex HMAC-SHA256 of the raw body>` over the exact bytes sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { defineNotifier, USER_AGENT } from './notifier.ts';
import type { Notifier, ReleaseEvent, WebhookTarget } from './types.ts';

export const WEBHOOK_SCHEMA_VERSION = 1;
export const SIGNATURE_HEADER = 'X-Canary-Signature';
export const EVENT_HEADER = 'X-Canary-Event';
export const DELIVERY_HEADER = 'X-Canary-Delivery';

/** The body: schemaVersion and a delivery id, then the event. */
export type WebhookPayload = { schemaVersion: typeof WEBHOOK_SCHEMA_VERSION; id: string } & ReleaseEvent;

/**
 * Stable per run, event and step (`github-123-1/step/2`): the same notification retried, or sent again by a
 * re-run of the same attempt, has the same id, so a receiver can drop duplicates.
 */
export function deliveryId(event: ReleaseEvent): string {
  return `${event.runId}/${event.event}${event.step ? `/${event.step.number}` : ''}`;
}

/** Pure. */
export function webhookPayload(event: ReleaseEvent): WebhookPayload {
  return { schemaVersion: WEBHOOK_SCHEMA_VERSION, id: deliveryId(event), ...event };
}

/** `sha256=<hex>`: HMAC-SHA256 of the body's bytes, keyed with the secret (UTF-8). */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers (and the tests): does the header match the body, compared in constant time? */
export function verifySignature(secret: string, body: Buffer | string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Pure: the exact bytes and headers of the POST. */
export function webhookRequest(
  event: ReleaseEvent,
  target: Pick<WebhookTarget, 'headers' | 'secret'>,
): { body: Buffer; headers: Record<string, string> } {
  const body = Buffer.from(JSON.stringify(webhookPayload(event)), 'utf8');
  return {
    body,
    headers: {
      ...target.headers,
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      [EVENT_HEADER]: event.event,
      [DELIVERY_HEADER]: deliveryId(event),
      ...(target.secret ? { [SIGNATURE_HEADER]: signBody(target.secret, body) } : {}),
    },
  };
}

export function webhookNotifier(target: WebhookTarget): Notifier {
  return defineNotifier(target, async (event, send) => {
    const { body, headers } = webhookRequest(event, target);
    const delivery = await send({ method: 'POST', url: target.url, headers, body });
    return delivery.ok ? { ok: true } : { ok: false, problem: delivery.problem };
  });
}
