import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverRequest } from '@caleida/verify';
import { All, Controller, Inject, Req, Res, SetMetadata, type Type } from '@nestjs/common';
import { ROUTE_CONFIG_KEY } from './fastify-raw-body-hook.js';
import { CALEIDA_WEBHOOK_ROUTE } from './tokens.js';
import type { WebhookRoute } from './webhook-route.js';
import { writeResponse } from './write-response.js';

// The key @nestjs/platform-fastify reads route config from (its @RouteConfig() decorator), spelled
// out so that this package does not depend on the Fastify platform.
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/** An Express request, or a Fastify request (which holds the Node request in `raw`). */
type PlatformRequest = IncomingMessage & { raw?: IncomingMessage; body?: unknown; rawBody?: Buffer };

/**
 * Makes the controller of one webhook route: every method on `path`, answered by the core. `marker`
 * tags the route in its Fastify config, for the raw-body hook to find it.
 */
export function createWebhookController(path: string, marker: object): Type {
  @Controller()
  class CaleidaWebhookController {
    @Inject(CALEIDA_WEBHOOK_ROUTE) private readonly webhookRoute!: WebhookRoute;

    @All(path)
    @SetMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { [ROUTE_CONFIG_KEY]: marker })
    async receive(req: PlatformRequest, res: ServerResponse): Promise<void> {
      const raw = req.raw ?? req;
      const answer = await this.webhookRoute.answer(
        raw,
        (): ReceiverRequest => ({
          method: raw.method ?? '',
          headers: raw.headers,
          rawHeaders: raw.rawHeaders,
          body: raw,
          parsedBody: req.rawBody ?? req.body,
          source: req.raw ? 'node' : 'express',
        }),
      );
      writeResponse(res, answer);
    }
  }
  // Parameter decorators applied as calls: the same metadata, in syntax every linter parses.
  Req()(CaleidaWebhookController.prototype, 'receive', 0);
  Res()(CaleidaWebhookController.prototype, 'receive', 1);
  return CaleidaWebhookController;
}
