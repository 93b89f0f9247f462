/** Every header the receiver reads, and none other. */
const RECEIVER_HEADERS = [
  'content-type',
  'content-encoding',
  'content-length',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
] as const;

/**
 * The receiver's headers out of a fetch `Headers`, each read once into a plain object. The receiver
 * looks some up more than once (the request's shape, then the signature), and `Headers.get`
 * validates and lowercases the name on every call; on @hono/node-server it also searches the raw
 * header list each time. Values are kept exactly as `get()` gives them (copies joined with ", "), so
 * every check sees what it would have seen on the `Headers`.
 */
export function readReceiverHeaders(headers: { get(name: string): string | null }): Record<string, string> {
  const record: Record<string, string> = {};
  for (const name of RECEIVER_HEADERS) {
    const value = headers.get(name);
    if (value !== null) record[name] = value;
  }
  return record;
}
