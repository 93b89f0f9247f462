import { WebhookRequestError } from '../errors/webhook-request-error.js';
import { FailedBody } from './read-raw-body.js';
import type { RequestSource } from './receiver-types.js';

/**
 * What a body parser in front of an adapter reports when it fails: body-parser (express.raw(),
 * express.json()) passes it to next(err), co-body (@koa/bodyparser, koa-bodyparser) throws it.
 */
export interface BodyParserError extends Error {
  type?: string;
  status: number;
  limit?: number;
  length?: number;
  body?: unknown;
}

/** Whether `error` comes from a body parser (an HTTP error: a `status`, and usually a `type`). */
export function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).status === 'number';
}

const LIMIT_FIXES: Partial<Record<RequestSource, string>> = {
  express:
    "(express.raw() defaults to 100kb); give it the receiver's limit, e.g. express.raw({ type: 'application/json', limit: '1mb' }), or mount the Caleida middleware without a parser in front",
  koa: "; give it the receiver's limit, e.g. bodyParser({ jsonLimit: '1mb', onError: keepBodyParserError }), or mount the Caleida middleware before the body parser",
};

/**
 * Turns a body parser's failure into a request body the receiver can judge as if nothing had been
 * in front: the text a JSON parser could not parse (still checked against its signature), or a
 * body that fails to read with the receiver's own error. The Express and Koa adapters' answer to a
 * parser that failed before them.
 */
export function bodyParserFailure(
  error: BodyParserError,
  source: RequestSource,
): { body: unknown; parsedBody?: string } {
  // body-parser marks unparsable JSON with a type; co-body keeps the text with no type.
  const unparsed = error.type === 'entity.parse.failed' || error.type === undefined;
  if (unparsed && typeof error.body === 'string') return { body: undefined, parsedBody: error.body };
  return { body: new FailedBody(bodyReadError(error, source)) };
}

function bodyReadError(error: BodyParserError, source: RequestSource): Error {
  switch (error.type) {
    case 'entity.too.large':
      return new WebhookRequestError(
        'body_too_large',
        `The body parser in front of the Caleida middleware refused a body over its own limit of ${error.limit} bytes ${LIMIT_FIXES[source] ?? "; give it the receiver's limit (1 MiB), or mount the Caleida middleware without a parser in front"}.`,
      );
    case 'encoding.unsupported':
      return new WebhookRequestError(
        'unsupported_content_encoding',
        `Caleida never compresses webhook bodies, and the signature covers the bytes as sent: ${error.message}. Send the body uncompressed, without a content-encoding header.`,
      );
    case 'stream.not.readable':
      return new WebhookRequestError(
        'body_already_consumed',
        'The request body was read by something before the body parser in front of the Caleida middleware, so the signed bytes are gone: mount the Caleida middleware before anything that reads the body.',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new Error('The request was aborted before its body was fully received.');
    default:
      // E.g. a content coding that failed to decode: the receiver's own checks of the headers come
      // first and usually answer; otherwise a 500 in JSON rather than the framework's error page.
      return new Error(`The body parser in front of the Caleida middleware failed: ${error.message}`);
  }
}
