import type { IncomingHttpHeaders } from 'node:http';
import { sendWebhook, type WebhookDelivery } from '../http/send-webhook.js';

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
]);

/**
 * Forwards a request unchanged (exact body bytes, same headers but the hop-by-hop ones) to another
 * URL and resolves with its answer.
 */
export function forwardRequest(
  target: URL,
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  timeoutMs: number,
): Promise<WebhookDelivery> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return sendWebhook({ url: target, method, headers: forwarded, body, timeoutMs });
}
