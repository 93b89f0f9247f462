import { bodyParserFailure, type ReceiverRequest } from '@caleida/verify';
import type { Context } from 'koa';
import { keptBodyParserError } from './keep-body-parser-error.js';

/**
 * Hands the receiver the Node request stream, and the raw body when a body parser kept it
 * (`ctx.request.rawBody`, as @koa/bodyparser does) or else what it parsed: the core uses kept bytes
 * as they are, reads an untouched stream, and explains a body already consumed. After a parser
 * failure kept by `keepBodyParserError`, hands it what the parser left instead.
 */
export function toReceiverRequest(ctx: Context): ReceiverRequest {
  const parserError = keptBodyParserError(ctx);
  if (parserError) {
    const failure = bodyParserFailure(parserError, 'koa');
    return {
      method: ctx.method,
      headers: ctx.headers,
      rawHeaders: ctx.req.rawHeaders,
      source: 'koa',
      ...failure,
    };
  }
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
