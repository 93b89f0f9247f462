import { type SignOptions, sign } from './sign.js';
import { toUnixSeconds } from './to-unix-seconds.js';

/** The three headers Caleida sends with every attempt. A type, not an interface, so it fits `Record<string, string>`. */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * Signs a webhook and returns all three headers. `timestamp` defaults to now; `secret` may be a list,
 * which signs with each (as Caleida does while a secret is being rotated).
 *
 * @example
 * const headers = signHeaders({ secret, id: generateEventId(), payload: body });
 * await fetch(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
 */
export function signHeaders(
  options: Omit<SignOptions, 'timestamp' | 'secret'> & {
    secret: string | readonly string[];
    timestamp?: number | Date;
  },
): WebhookHeaders {
  const seconds = toUnixSeconds(options.timestamp ?? new Date());
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  const signature = secrets
    .map((secret) => sign({ secret, id: options.id, timestamp: seconds, payload: options.payload }))
    .join(' ');
  return { 'webhook-id': options.id, 'webhook-timestamp': String(seconds), 'webhook-signature': signature };
}
