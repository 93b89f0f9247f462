import { setTimeout as sleep } from 'node:timers/promises';
import { generateEventId, signHeaders } from '@caleida/verify';
import type { FastifyBaseLogger } from 'fastify';
import type { OperationalEvent } from './operational-events.js';

/** Where operational events are POSTed, signed with `secret` like any delivery. */
export interface OperationalWebhook {
  url: string;
  secret: string;
}

/** Reports operational events. */
export interface OperationalSender {
  /** Logs the event (one line) and, with an operational webhook, POSTs it there signed. */
  send(event: OperationalEvent): void;
  /** Stops retrying and waits for the POSTs under way. */
  close(): Promise<void>;
}

/** Pauses before the second and third try of a POST that failed. */
const RETRY_PAUSES_MS = [1_000, 5_000];
const POST_TIMEOUT_MS = 10_000;

/**
 * Makes the operational event sender. Each event is logged as one `warn` line whose message is the
 * event type and whose `operationalEvent` field is the payload; with `target`, it is also POSTed
 * there with the three Standard Webhooks headers (a fresh `evt_` id), tried three times at most.
 * A failed POST is logged, never thrown: operational events must not stop deliveries.
 *
 * @example
 * const sender = createOperationalSender({ log, target: { url: 'http://127.0.0.1:9000/ops', secret } });
 * sender.send({ type: 'delivery.exhausted', timestamp: new Date().toISOString(), data });
 */
export function createOperationalSender({
  log,
  target,
}: {
  log: FastifyBaseLogger;
  target?: OperationalWebhook;
}): OperationalSender {
  const posting = new Set<Promise<void>>();
  const stop = new AbortController();

  async function post(event: OperationalEvent, { url, secret }: OperationalWebhook): Promise<void> {
    const body = JSON.stringify(event);
    const id = generateEventId();
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          body,
          headers: {
            ...signHeaders({ secret, id, payload: body }),
            'content-type': 'application/json',
            'user-agent': 'Caleida-Webhooks/1.0 (mock)',
          },
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(POST_TIMEOUT_MS)]),
        });
        await response.body?.cancel();
        if (response.ok) return;
        problem = `it answered ${response.status}`;
      } catch (error) {
        if (stop.signal.aborted) return;
        problem = (error as Error).message;
      }
      const pause = RETRY_PAUSES_MS[attempt];
      if (pause === undefined) {
        log.warn({ url, type: event.type, id }, `could not send an operational event: ${problem}`);
        return;
      }
      try {
        await sleep(pause, undefined, { signal: stop.signal });
      } catch {
        return;
      }
    }
  }

  return {
    send(event) {
      log.warn({ operationalEvent: event }, event.type);
      if (!target || stop.signal.aborted) return;
      const sending = post(event, target).finally(() => posting.delete(sending));
      posting.add(sending);
    },
    async close() {
      stop.abort();
      await Promise.allSettled(posting);
    },
  };
}
