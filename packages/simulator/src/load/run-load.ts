import { generateEventId } from '@caleida/verify';
import { createAgent } from '../http/create-agent.js';
import { DeliveryError } from '../http/delivery-error.js';
import { type AnswerCallback, RawHttpConnection } from '../http/raw-http-connection.js';
import { sendWebhook } from '../http/send-webhook.js';
import { createBodyPicker } from './create-body-picker.js';
import { LatencyHistogram } from './latency-histogram.js';
import { type LoadBody, LoadSigner } from './load-signer.js';
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

/** Sends one signed request and calls back with its answer; `close()` ends its connection. */
interface Sender {
  send(body: LoadBody, id: string, timestamp: string, signature: string, onAnswer: AnswerCallback): void;
  close(): void;
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
  const signer = new LoadSigner(secret);
  const pickBody = createBodyPicker(mix, signer);
  const agent = createAgent(url, concurrency);
  const extraHeaderLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Plain http goes over raw keep-alive sockets, one per worker; https through Node's client.
  const createSender = (): Sender => {
    if (url.protocol === 'http:') {
      const connection = new RawHttpConnection(url, timeoutMs);
      return {
        send: (body, id, timestamp, signature, onAnswer) =>
          connection.request(
            `content-type: application/json\r\n${extraHeaderLines}webhook-id: ${id}\r\nwebhook-timestamp: ${timestamp}\r\nwebhook-signature: ${signature}\r\n`,
            body.bytes,
            onAnswer,
          ),
        close: () => connection.close(),
      };
    }
    return {
      send: (body, id, timestamp, signature, onAnswer) =>
        sendWebhook({
          url,
          body: body.bytes,
          headers: {
            ...headers,
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': signature,
            'content-type': 'application/json',
          },
          agent,
          timeoutMs,
        }).then(
          (answer) => onAnswer(undefined, answer.status, answer.latencyMs),
          (error: DeliveryError) => onAnswer(error, 0, 0),
        ),
      close: () => {},
    };
  };
  // The timestamp header changes once a second: its text is made once a second too.
  let clockSeconds = -1;
  let clockText = '';
  const timestampNow = (): string => {
    const seconds = Math.floor(Date.now() / 1000);
    if (seconds !== clockSeconds) {
      clockSeconds = seconds;
      clockText = String(seconds);
    }
    return clockText;
  };

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

  const senders: Sender[] = [];
  // Each worker keeps one request in flight, sending the next from the previous one's answer:
  // callbacks rather than an async loop, which would cost a promise and a microtask per request.
  const worker = (done: () => void, fail: (error: unknown) => void): void => {
    const sender = createSender();
    senders.push(sender);
    const sendNow = (): void => {
      if (performance.now() >= deadline) {
        done();
        return;
      }
      try {
        const body = pickBody();
        const id = generateEventId();
        const timestamp = timestampNow();
        sender.send(body, id, timestamp, signer.sign(body, id, timestamp), onAnswer);
      } catch (error) {
        fail(error);
      }
    };
    const next = (): void => {
      if (performance.now() >= deadline) {
        done();
        return;
      }
      if (ratePerSecond) {
        const due = startedAt + (started * 1000) / ratePerSecond;
        started++;
        const wait = due - performance.now();
        if (wait > 0) {
          setTimeout(sendNow, wait);
          return;
        }
      }
      sendNow();
    };
    const onAnswer: AnswerCallback = (error, status, latencyMs) => {
      if (error) {
        errors++;
        if (error instanceof DeliveryError && error.code === 'unreachable') unreachableErrors++;
        if (errorMessages.size < 5) errorMessages.add(error.message);
        if (unreachableErrors > 0 && latencies.count === 0) {
          done();
          return;
        }
      } else {
        latencies.record(latencyMs);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      next();
    };
    next();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let running = concurrency;
      const done = () => {
        if (--running === 0) resolve();
      };
      for (let index = 0; index < concurrency; index++) worker(done, reject);
    });
  } finally {
    if (progress) clearInterval(progress);
    agent.destroy();
    for (const sender of senders) sender.close();
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
