import { generateEventId, signHeaders, type WebhookHeaders } from '@caleida/verify';
import { buildConversation } from '@caleida/verify/testing';
import { createAgent } from '../http/create-agent.js';
import { DeliveryError } from '../http/delivery-error.js';
import { RawHttpConnection } from '../http/raw-http-connection.js';
import { sendWebhook } from '../http/send-webhook.js';
import { LatencyHistogram } from './latency-histogram.js';
import { DEFAULT_MIX, type EventMix } from './parse-mix.js';
import type { LatencySummary } from './summarize-latency.js';

/** Options of `runLoad()`. */
export interface LoadOptions {
  url: URL;
  secret: string;
  durationMs: number;
  /** Requests started per second; default: as fast as `concurrency` allows. */
  ratePerSecond?: number;
  /** Requests in flight at once (and connections). Default 10. */
  concurrency?: number;
  mix?: EventMix;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Called about every 250 ms with the running counts. */
  onProgress?: (progress: { elapsedMs: number; sent: number; errors: number }) => void;
}

/** What a load run achieved. */
export interface LoadSummary {
  sent: number;
  statuses: Record<string, number>;
  errors: number;
  /** The first few distinct error messages. */
  errorMessages: string[];
  latencyMs: LatencySummary;
  elapsedMs: number;
  /** Completed requests per second. */
  achievedRate: number;
  /** True when no request got an HTTP answer because the host could not be reached. */
  unreachable: boolean;
}

/**
 * Sends signed events for a while, each with its own id and a fresh timestamp, over keep-alive
 * connections, and measures what came back.
 *
 * @example
 * const summary = await runLoad({ url, secret, durationMs: 10_000, concurrency: 20 });
 */
export async function runLoad({
  url,
  secret,
  durationMs,
  ratePerSecond,
  concurrency = 10,
  mix = DEFAULT_MIX,
  headers = {},
  timeoutMs = 10_000,
  onProgress,
}: LoadOptions): Promise<LoadSummary> {
  // Bodies are prepared once; what varies per request (id, timestamp, signature) is made per request.
  const pool = new Map<string, { text: string; bytes: Buffer }[]>();
  for (let seed = 1; seed <= 16; seed++) {
    for (const event of buildConversation({ seed })) {
      const list = pool.get(event.type) ?? [];
      const text = JSON.stringify(event);
      list.push({ text, bytes: Buffer.from(text) });
      pool.set(event.type, list);
    }
  }
  const totalWeight = mix.reduce((sum, [, weight]) => sum + weight, 0);
  const pickBody = (): { text: string; bytes: Buffer } => {
    let roll = Math.random() * totalWeight;
    let type = mix[0]?.[0] ?? 'message';
    for (const [candidate, weight] of mix) {
      type = candidate;
      roll -= weight;
      if (roll < 0) break;
    }
    const bodies = pool.get(type) ?? [];
    return bodies[Math.floor(Math.random() * bodies.length)] ?? { text: '', bytes: Buffer.alloc(0) };
  };

  const agent = createAgent(url, concurrency);
  const extraHeaderLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Constant memory however long the run: no list of every latency.
  const latencies = new LatencyHistogram();
  const statuses: Record<string, number> = {};
  const errorMessages = new Set<string>();
  let errors = 0;
  let unreachableErrors = 0;
  let started = 0;
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const progress = onProgress
    ? setInterval(
        () =>
          onProgress({ elapsedMs: performance.now() - startedAt, sent: latencies.count + errors, errors }),
        250,
      )
    : undefined;

  // Plain http goes over raw keep-alive sockets, one per worker; https through Node's client.
  const send =
    url.protocol === 'http:'
      ? () => {
          const connection = new RawHttpConnection(url, timeoutMs);
          connections.push(connection);
          return (body: { text: string; bytes: Buffer }, signed: WebhookHeaders) =>
            connection.send(
              `content-type: application/json\r\n${extraHeaderLines}webhook-id: ${signed['webhook-id']}\r\nwebhook-timestamp: ${signed['webhook-timestamp']}\r\nwebhook-signature: ${signed['webhook-signature']}\r\n`,
              body.bytes,
            );
        }
      : () => (body: { text: string; bytes: Buffer }, signed: WebhookHeaders) =>
          sendWebhook({
            url,
            body: body.bytes,
            headers: { ...headers, ...signed, 'content-type': 'application/json' },
            agent,
            timeoutMs,
          });
  const connections: RawHttpConnection[] = [];

  const worker = async (): Promise<void> => {
    const sendOne = send();
    while (performance.now() < deadline) {
      if (ratePerSecond) {
        const due = startedAt + (started * 1000) / ratePerSecond;
        started++;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (performance.now() >= deadline) break;
      }
      const body = pickBody();
      const signed = signHeaders({ secret, id: generateEventId(), payload: body.text });
      try {
        const answer = await sendOne(body, signed);
        latencies.record(answer.latencyMs);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      } catch (error) {
        errors++;
        if (error instanceof DeliveryError && error.code === 'unreachable') unreachableErrors++;
        if (errorMessages.size < 5) errorMessages.add((error as Error).message);
        if (unreachableErrors > 0 && latencies.count === 0) break;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (progress) clearInterval(progress);
    agent.destroy();
    for (const connection of connections) connection.close();
  }
  const elapsedMs = performance.now() - startedAt;
  return {
    sent: latencies.count + errors,
    statuses,
    errors,
    errorMessages: [...errorMessages],
    latencyMs: latencies.summary(),
    elapsedMs,
    achievedRate: latencies.count / (elapsedMs / 1000),
    unreachable: latencies.count === 0 && unreachableErrors > 0,
  };
}
