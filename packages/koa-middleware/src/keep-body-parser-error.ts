import type { BodyParserError } from '@caleida/verify';
import type { Context } from 'koa';

const PARSER_ERROR = Symbol('@caleida/koa-middleware body parser error');
type WithParserError = Context & { [PARSER_ERROR]?: BodyParserError };

/**
 * `onError` for @koa/bodyparser (or koa-bodyparser) in front of `caleidaWebhook()`: the parser
 * would answer a failure (unparsable JSON, a body over its limit) with its own `400 text/plain`
 * before any signature check. This keeps the failure for the Caleida middleware, which answers as
 * if no parser had been there (same status, same JSON body).
 *
 * @example
 * router.post('/webhooks/caleida', bodyParser({ onError: keepBodyParserError }), caleidaWebhook({ secret }), route);
 */
export function keepBodyParserError(error: Error, ctx: Context): void {
  (ctx as WithParserError)[PARSER_ERROR] = error as BodyParserError;
}

/** The failure `keepBodyParserError` kept for this request, if any. */
export function keptBodyParserError(ctx: Context): BodyParserError | undefined {
  return (ctx as WithParserError)[PARSER_ERROR];
}
