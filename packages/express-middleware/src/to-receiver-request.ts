import type { ReceiverRequest } from '@caleida/verify';
import type { Request } from 'express';

/**
 * Hands the receiver the raw bytes when express.raw() (or express.text()) already holds them, and
 * otherwise the request stream itself, with whatever a body parser left, so the receiver can tell an
 * unread body from one express.json() already consumed.
 */
export function toReceiverRequest(req: Request): ReceiverRequest {
  const held: unknown = req.body;
  const isRaw = typeof held === 'string' || held instanceof Uint8Array;
  return {
    method: req.method,
    headers: req.headers,
    body: isRaw ? held : req,
    parsedBody: isRaw ? undefined : held,
    source: 'express',
  };
}
