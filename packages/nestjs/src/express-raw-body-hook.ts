import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookRoute } from './webhook-route.js';
import { writeNodeResponse } from './write-response.js';

type ExpressRequest = IncomingMessage & { path: string; body?: unknown };
type ExpressApp = {
  use(handler: (req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void) => void): unknown;
};

/**
 * Mounts, on the Express app and ahead of the body parsers Nest adds at `app.init()`, a middleware
 * that hands the webhook route's untouched request stream to the core. Once the core has read it,
 * Nest's JSON parser sees a finished stream and skips it.
 */
export function installExpressRawBodyHook(app: ExpressApp, route: WebhookRoute): void {
  app.use(function caleidaRawBody(req, res, next) {
    if (withoutTrailingSlash(req.path) !== route.path) {
      next();
      return;
    }
    const request = {
      method: req.method ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: req,
      parsedBody: req.body,
    };
    route.admitBeforeParsing({ ...request, source: 'express' }, req, res).then((answer) => {
      if (answer) writeNodeResponse(res, answer);
      else next();
    }, next);
  });
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
