/**
 * What every notifier shares: a result that names the target by position and type only, every string in
 * it scrubbed of the target's URL, token, secret and header values (and of any URL at all), and no throw —
 * an unexpected error becomes a warning like any failed delivery.
 */
import { Redactor } from '../util/redact.ts';
import { deliver, type Delivery, type DeliveryRequest } from './http.ts';
import { notifySecrets, targetLabel } from './settings.ts';
import type { Notifier, NotifyContext, NotifyResult, NotifyTarget, ReleaseEvent } from './types.ts';

/** What a notifier's delivery came to, before it is turned into a NotifyResult. */
export interface Outcome {
  ok: boolean;
  /** Why it failed, or what went wrong on the way to a success (e.g. an annotation created anew). */
  problem?: string;
}

/** Sends one request with the target's timeout and retries, within the dispatch deadline. */
export type Send = (request: DeliveryRequest) => Promise<Delivery>;

export const USER_AGENT = 'canary-action';

const ANY_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Removes the target's secrets and any URL from text meant for a log or a report. */
export function scrubber(target: NotifyTarget): (text: string) => string {
  const redactor = new Redactor();
  notifySecrets([target]).forEach((secret) => redactor.add(secret));
  return (text) => redactor.redact(text).replace(ANY_URL, '<url>');
}

export function defineNotifier<T extends NotifyTarget>(
  target: T,
  run: (event: ReleaseEvent, send: Send, context: NotifyContext) => Promise<Outcome>,
): Notifier {
  const label = targetLabel(target);
  const scrub = scrubber(target);
  return {
    target,
    async send(event, context) {
      let attempts = 0;
      const send: Send = (request) =>
        deliver(request, {
          timeoutMs: target.timeoutMs,
          retries: target.retries,
          signal: context.signal,
          ...(context.sleep ? { sleep: context.sleep } : {}),
          ...(context.random ? { random: context.random } : {}),
          onAttempt: () => {
            attempts++;
            context.onAttempt?.();
          },
        });
      let outcome: Outcome;
      try {
        outcome = await run(event, send, context);
      } catch (error) {
        outcome = { ok: false, problem: `internal error: ${(error as Error)?.message ?? String(error)}` };
      }
      const result: NotifyResult = {
        target: label,
        type: target.type,
        event: event.event,
        ok: outcome.ok,
        attempts,
      };
      if (outcome.problem) {
        const what = outcome.ok ? 'delivered, but' : 'not delivered:';
        result.warning = scrub(`${label}: ${JSON.stringify(event.event)} ${what} ${outcome.problem}`);
      }
      return result;
    },
  };
}

/** A JSON body as the exact bytes sent. */
export const jsonBody = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
