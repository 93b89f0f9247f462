import type { ReceiverResponse } from '@caleida/verify';
import type { Context } from 'koa';

/** Copies the receiver's answer onto the Koa context; headers first, so Koa keeps the JSON type. */
export function writeResponse(ctx: Context, { status, headers, body }: ReceiverResponse): void {
  ctx.status = status;
  ctx.set(headers);
  ctx.body = body;
}
