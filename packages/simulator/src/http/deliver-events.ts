import type http from 'node:http';
import { signedRequest } from '@caleida/verify/testing';
import { UsageError } from '../usage-error.js';
import { createAgent } from './create-agent.js';
import { DeliveryError } from './delivery-error.js';
import { sendWebhook } from './send-webhook.js';

/** An event to deliver: its envelope, and its id when it must be kept (a replay). */
export interface OutgoingEvent {
  id?: string;
  event: { type: string; timestamp: string; data: unknown };
}

/** The outcome of one delivery. */
export interface DeliveryResult {
  index: number;
  id: string;
  type: string;
  /** `null` when there was no HTTP answer. */
  status: number | null;
  latencyMs: number;
  body: string;
  error?: string;
}

/** Options of `deliverEvents()`. */
export interface DeliverEventsOptions {
  events: readonly OutgoingEvent[];
  url: URL;
  secret: string;
  /** Extra headers (`--header`). */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Requests in flight at once. Default 1, which keeps causal order. */
  concurrency?: number;
  /** Largest number of requests started per second. Default: no limit. */
  ratePerSecond?: number;
  /** Wait between events as long as their envelope timestamps are apart (implies concurrency 1). */
  preserveTiming?: boolean;
  onDelivery?: (result: DeliveryResult) => void;
  agent?: http.Agent;
}

/**
 * Signs each event at the moment it is sent (fresh `webhook-timestamp`, its own `webhook-id` unless
 * one is given) and POSTs it as `JSON.stringify({type, timestamp, data})`. An unreachable host stops
 * the run with a `UsageError`; any other failure is reported as a result with `status: null`.
 *
 * @example
 * await deliverEvents({ events: buildConversation().map((event) => ({ event })), url, secret });
 */
export async function deliverEvents({
  events,
  url,
  secret,
  headers = {},
  timeoutMs = 10_000,
  concurrency = 1,
  ratePerSecond,
  preserveTiming = false,
  onDelivery,
  agent = createAgent(url, concurrency),
}: DeliverEventsOptions): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  const started = performance.now();
  let next = 0;
  let stopped: Error | undefined;

  const deliverOne = async (index: number): Promise<void> => {
    const outgoing = events[index] as OutgoingEvent;
    if (ratePerSecond) await sleep(started + (index * 1000) / ratePerSecond - performance.now());
    if (preserveTiming && index > 0) {
      const previous = events[index - 1] as OutgoingEvent;
      await sleep(Date.parse(outgoing.event.timestamp) - Date.parse(previous.event.timestamp));
    }
    const { type, timestamp, data } = outgoing.event;
    const request = signedRequest({
      secret,
      event: { type, timestamp, data },
      ...(outgoing.id ? { id: outgoing.id } : {}),
    });
    let result: DeliveryResult;
    try {
      const answer = await sendWebhook({
        url,
        body: request.body,
        headers: { ...headers, ...request.headers },
        agent,
        timeoutMs,
      });
      result = {
        index,
        id: request.id,
        type,
        status: answer.status,
        latencyMs: answer.latencyMs,
        body: answer.body,
      };
    } catch (error) {
      if (error instanceof DeliveryError && error.code === 'unreachable') {
        stopped ??= new UsageError('unreachable_host', error.message);
        return;
      }
      result = {
        index,
        id: request.id,
        type,
        status: null,
        latencyMs: 0,
        body: '',
        error: (error as Error).message,
      };
    }
    results.push(result);
    onDelivery?.(result);
  };

  const worker = async (): Promise<void> => {
    while (!stopped && next < events.length) await deliverOne(next++);
  };
  try {
    await Promise.all(Array.from({ length: preserveTiming ? 1 : Math.max(1, concurrency) }, worker));
  } finally {
    agent.destroy();
  }
  if (stopped) throw stopped;
  return results.sort((a, b) => a.index - b.index);
}

function sleep(milliseconds: number): Promise<void> {
  return milliseconds > 0 ? new Promise((resolve) => setTimeout(resolve, milliseconds)) : Promise.resolve();
}
