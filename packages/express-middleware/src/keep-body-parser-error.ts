import { type BodyParserError, isBodyParserError } from '@caleida/verify';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';

const PARSER_ERROR = Symbol('@caleida/express-middleware body parser error');
type WithParserError = Request & { [PARSER_ERROR]?: BodyParserError };

const keep: ErrorRequestHandler = function keepBodyParserError(error, req, _res, next) {
  if (!isBodyParserError(error)) {
    next(error);
    return;
  }
  (req as WithParserError)[PARSER_ERROR] = error;
  next();
};

/**
 * Error middleware for a route with a body parser in front of `caleidaWebhook()`: express.raw() or
 * express.json() pass a failure (a body over their limit, a content coding, unparsable JSON) to
 * `next(err)`, which would skip the Caleida middleware and answer with an HTML error page. This
 * keeps the failure for the Caleida middleware, which answers as if no parser had been there (same
 * status, same JSON body). Other errors pass on untouched.
 *
 * @example
 * app.post('/webhooks/caleida', express.raw({ type: 'application/json', limit: '1mb' }),
 *   keepBodyParserError, caleidaWebhook({ secret }), (req, res) => res.sendStatus(204));
 *
 * Typed as a request handler too: Express tells error handlers apart by their four parameters at
 * run time, and a route whose handler list mixes both kinds loses the inferred `req` / `res` types
 * of the handlers after it.
 */
export const keepBodyParserError = keep as ErrorRequestHandler & RequestHandler;

/** The failure `keepBodyParserError` kept for this request, if any. */
export function keptBodyParserError(req: Request): BodyParserError | undefined {
  return (req as WithParserError)[PARSER_ERROR];
}
