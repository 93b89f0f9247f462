import {
  type AdapterOptions,
  type ReceivedEvent,
  resolveAdapterOptions,
  settleWhenResponseEnds,
} from '@caleida/verify';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toReceiverRequest } from './to-receiver-request.js';
import { writeResponse } from './write-response.js';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified Caleida event, set by `caleidaWebhook()` ("attach" mode) on the routes it
       * guards; undefined elsewhere. Switch on `req.webhook.type` to narrow `req.webhook.data`.
       */
      webhook: ReceivedEvent;
    }
  }
}

/** Options of `caleidaWebhook()`: the receiver's options ("attach" mode), or `{ receiver }` ("dispatch" mode). */
export type CaleidaWebhookOptions = AdapterOptions;

/**
 * Express 4 and 5 middleware that verifies Caleida webhooks on the raw body. Mount it before any
 * body parser. Behind one, mount `keepBodyParserError` between them, so the parser's failures get
 * the same answers as without it: `express.raw({ type: 'application/json', limit: '1mb' }),
 * keepBodyParserError, caleidaWebhook(options)`.
 *
 * - `caleidaWebhook({ secret, ...options })` ("attach"): verifies, puts the typed event on
 *   `req.webhook` and lets your route answer. The event id counts as processed only when your route
 *   answers 2xx, so a failed route is run again on Caleida's retry. If the sender gives up first,
 *   the id stays claimed (a retry gets 409) until your route ends its response.
 * - `caleidaWebhook({ receiver })` ("dispatch"): runs the receiver's handlers and answers by itself
 *   (200 once they succeed, 500 if one fails).
 *
 * Every refusal (405, 408, 415, 413, 400, 401, 409, duplicate 200) is answered by the middleware with
 * the JSON body of @caleida/verify; your route never sees it.
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
 * app.post('/webhooks/caleida', caleidaWebhook({ secret: process.env.CALEIDA_WEBHOOK_SECRET! }), (req, res) => {
 *   if (req.webhook.type === 'message') console.log(req.webhook.data.content);
 *   res.sendStatus(204);
 * });
 */
export function caleidaWebhook(options: CaleidaWebhookOptions): RequestHandler {
  const { receiver, dispatch } = resolveAdapterOptions(options, '@caleida/express-middleware');
  const { logger } = receiver.options;

  if (dispatch) {
    return function caleidaWebhookDispatch(req: Request, res: Response, next: NextFunction): void {
      receiver.handle(toReceiverRequest(req)).then((response) => writeResponse(res, response), next);
    };
  }

  return function caleidaWebhookAttach(req: Request, res: Response, next: NextFunction): void {
    receiver.admit(toReceiverRequest(req)).then((admission) => {
      if (!admission.accepted) {
        writeResponse(res, admission.response);
        return;
      }
      req.webhook = admission.event;
      settleWhenResponseEnds(res, admission, logger);
      next();
    }, next);
  };
}
