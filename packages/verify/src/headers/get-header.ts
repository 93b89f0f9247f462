import { WebhookVerificationError } from '../errors/webhook-verification-error.js';

/** A fetch `Headers`, a Node `IncomingHttpHeaders` (arrays included) or a plain object of any case. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * Reads one header, case-insensitively. A header sent several times (a Node array) counts once when
 * every copy is equal; `webhook-signature` copies are joined, since each holds a list of signatures.
 */
export function getHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | readonly string[] | number | undefined>;
  let value = record[name];
  if (value === undefined) {
    for (const key in record) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined || typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value.length === 0) return undefined;
  if (name === 'webhook-signature') return value.join(' ');
  const first = value[0] as string;
  if (value.some((copy) => copy !== first)) {
    throw new WebhookVerificationError(
      'ambiguous_header',
      `The ${name} header was sent ${value.length} times with different values; send it once.`,
    );
  }
  return first;
}
