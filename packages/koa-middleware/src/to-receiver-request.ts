import type { ReceiverRequest } from '@caleida/verify';
import type { Context } from 'koa';

/**
 * Hands the receiver the raw body when a body parser kept it (`ctx.request.rawBody`, as
 * @koa/bodyparser does), and otherwise the Node request stream, with whatever a parser left in
 * `ctx.request.body`, so the receiver can tell an unread body from one already consumed.
 */
export function toReceiverRequest(ctx: Context): ReceiverRequest {
  const rawBody: unknown = (ctx.request as { rawBody?: unknown }).rawBody;
  const isRaw = typeof rawBody === 'string' || rawBody instanceof Uint8Array;
  return {
    method: ctx.method,
    headers: ctx.headers,
    body: isRaw ? rawBody : ctx.req,
    parsedBody: isRaw ? undefined : (ctx.request as { body?: unknown }).body,
    source: 'koa',
  };
}
