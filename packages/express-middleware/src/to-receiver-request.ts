import type { ReceiverRequest } from '@caleida/verify';
import type { Request } from 'express';

/**
 * Hands the receiver the request stream and whatever a body parser left in `req.body`: the core
 * uses bytes kept by express.raw() as they are, reads an untouched stream, and explains a body
 * express.json() already consumed.
 */
export function toReceiverRequest(req: Request): ReceiverRequest {
  return {
    method: req.method,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    body: req,
    parsedBody: req.body,
    source: 'express',
  };
}
