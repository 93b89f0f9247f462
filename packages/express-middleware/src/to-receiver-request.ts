import { bodyParserFailure, type ReceiverRequest } from '@caleida/verify';
import type { Request } from 'express';
import { keptBodyParserError } from './keep-body-parser-error.js';

/**
 * Hands the receiver the request stream and whatever a body parser left in `req.body`: the core
 * uses bytes kept by express.raw() as they are, reads an untouched stream, and explains a body
 * express.json() already consumed. After a parser failure kept by `keepBodyParserError`, hands it
 * what the parser left instead, so the receiver answers as if no parser had been there.
 */
export function toReceiverRequest(req: Request): ReceiverRequest {
  const parserError = keptBodyParserError(req);
  if (parserError) {
    const failure = bodyParserFailure(parserError, 'express');
    return {
      method: req.method,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      source: 'express',
      ...failure,
    };
  }
  return {
    method: req.method,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    body: req,
    parsedBody: req.body,
    source: 'express',
  };
}
