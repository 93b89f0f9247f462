import type { ReceiverRequest } from '@caleida/verify';
import type { Context } from 'koa';

/**
 * Hands the receiver the Node request stream, and the raw body when a body parser kept it
 * (`ctx.request.rawBody`, as @koa/bodyparser does) or else what it parsed: the core uses kept bytes
 * as they are, reads an untouched stream, and explains a body already consumed.
 */
export function toReceiverRequest(ctx: Context): ReceiverRequest {
  const { rawBody, body } = ctx.request as { rawBody?: unknown; body?: unknown };
  return {
    method: ctx.method,
    headers: ctx.headers,
    rawHeaders: ctx.req.rawHeaders,
    body: ctx.req,
    parsedBody: typeof rawBody === 'string' ? rawBody : body,
    source: 'koa',
  };
}
