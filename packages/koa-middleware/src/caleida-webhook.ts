import {
  type AdapterOptions,
  type ReceivedEvent,
  resolveAdapterOptions,
  settleWhenResponseEnds,
} from '@caleida/verify';
import type { Context, Middleware, Next } from 'koa';
import { toReceiverRequest } from './to-receiver-request.js';
import { writeResponse } from './write-response.js';

declare module 'koa' {
  interface DefaultState {
    /**
     * The verified Caleida event, set by `caleidaWebhook()` ("attach" mode) on the routes it
     * guards; undefined elsewhere. Switch on `ctx.state.webhook.type` to narrow its `data`.
     */
    webhook: ReceivedEvent;
  }
}

/** Options of `caleidaWebhook()`: the receiver's options ("attach" mode), or `{ receiver }` ("dispatch" mode). */
export type CaleidaWebhookOptions = AdapterOptions;

/**
 * Koa middleware that verifies Caleida webhooks on the raw body. Mount it before any body parser,
 * or after one that keeps `ctx.request.rawBody`, given `keepBodyParserError` as its `onError` so
 * its failures get the same answers as without it: `bodyParser({ onError: keepBodyParserError })`.
 *
 * - `caleidaWebhook({ secret, ...options })` ("attach"): verifies, puts the typed event on
 *   `ctx.state.webhook` and runs the next middleware, which answers. The event id counts as
 *   processed only when the answer is 2xx, so a failed route is run again on Caleida's retry. If the sender gives up first,
 *   the id stays claimed (a retry gets 409) until the next middleware has settled.
 * - `caleidaWebhook({ receiver })` ("dispatch"): runs the receiver's handlers and answers by itself
 *   (200 once they succeed, 500 if one fails); the next middleware is not called.
 *
 * Every refusal (405, 408, 415, 413, 400, 401, 409, duplicate 200) is answered by the middleware with
 * the JSON body of @caleida/verify.
 *
 * @param options.secret the webhook secret, or several while rotating
 * @param options.toleranceSeconds timestamp window, default 300
 * @param options.maxBodyBytes body limit, default 1 MiB
 * @param options.bodyReadTimeoutMs deadline for reading a body, default 30 s (then 408)
 * @param options.replayStore processed ids, default in-memory; `false` turns replay protection off
 * @param options.unknownEvents `'acknowledge'` (default) or `'reject'`
 * @param options.receiver a receiver with handlers, for "dispatch" mode (instead of the above)
 * @throws TypeError at construction for a bad option
 * @example
 * router.post('/webhooks/caleida', caleidaWebhook({ secret: process.env.CALEIDA_WEBHOOK_SECRET! }), (ctx) => {
 *   if (ctx.state.webhook.type === 'message') console.log(ctx.state.webhook.data.content);
 *   ctx.status = 204;
 * });
 */
export function caleidaWebhook(options: CaleidaWebhookOptions): Middleware {
  const { receiver, dispatch } = resolveAdapterOptions(options, '@caleida/koa-middleware');
  const { logger } = receiver.options;

  if (dispatch) {
    return async function caleidaWebhookDispatch(ctx: Context): Promise<void> {
      writeResponse(ctx, await receiver.handle(toReceiverRequest(ctx)));
    };
  }

  return async function caleidaWebhookAttach(ctx: Context, next: Next): Promise<void> {
    const admission = await receiver.admit(toReceiverRequest(ctx));
    if (!admission.accepted) {
      writeResponse(ctx, admission.response);
      return;
    }
    ctx.state.webhook = admission.event;
    const routeFinished = settleWhenResponseEnds(ctx.res, admission, logger);
    try {
      await next();
    } catch (error) {
      routeFinished(false);
      throw error;
    }
    routeFinished(true);
  };
}
