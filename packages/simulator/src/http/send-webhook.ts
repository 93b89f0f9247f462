import http from 'node:http';
import https from 'node:https';
import { DeliveryError, toDeliveryError } from './delivery-error.js';

/** What `sendWebhook()` sends. */
export interface SendWebhookOptions {
  url: URL;
  /** The exact body bytes (or text) to send. */
  body: string | Buffer;
  headers: Record<string, string>;
  /** Default POST. */
  method?: string;
  /** A keep-alive agent from `createAgent()`; default: Node's global agent. */
  agent?: http.Agent;
  /** Milliseconds to wait for the whole answer. Default 10 000. */
  timeoutMs?: number;
}

/** The endpoint's answer. */
export interface WebhookDelivery {
  status: number;
  /** The response body as text. */
  body: string;
  /** Milliseconds from sending to the end of the response. */
  latencyMs: number;
}

/**
 * Sends one HTTP request with Node's http/https client and resolves with the status and body.
 * Rejects with `DeliveryError` only when there is no answer at all.
 *
 * @example
 * const { status } = await sendWebhook({ url, body, headers: { ...signHeaders(...), 'content-type': 'application/json' } });
 */
export function sendWebhook({
  url,
  body,
  headers,
  method = 'POST',
  agent,
  timeoutMs = 10_000,
}: SendWebhookOptions): Promise<WebhookDelivery> {
  const started = performance.now();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = client.request(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(agent ? { agent } : {}),
      },
      (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          // Only the start is ever shown; a huge answer must not fill memory.
          if (text.length < 65_536) text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: text, latencyMs: performance.now() - started }),
        );
        response.on('error', () =>
          resolve({ status: response.statusCode ?? 0, body: text, latencyMs: performance.now() - started }),
        );
      },
    );
    request.setTimeout(timeoutMs, () => {
      request.destroy(
        new DeliveryError('timeout', `${url.origin} did not answer within ${timeoutMs} ms (--timeout).`),
      );
    });
    request.on('error', (error) => {
      // A server that answers 413 early may reset the socket while the body is still being written.
      if (!answered) reject(toDeliveryError(error, url));
    });
    request.end(body);
  });
}
