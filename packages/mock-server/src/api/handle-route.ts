import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UrlPolicy } from '../webhooks/url-problem.js';
import type { RouteDefinition, RouteInput, RouteReply } from './define-route.js';
import { parseInput } from './parse-input.js';

/** A route's handler: its validated input in, the answer's body out. */
export type RouteHandler<R extends RouteDefinition> = (
  input: RouteInput<R>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<RouteReply<R>> | RouteReply<R>;

/**
 * Registers `route` on `app` (whose prefix is `prefix`): params, query and body are validated with
 * the route's schemas (a refusal lists each bad field), and the answer gets the route's status.
 *
 * @example
 * handleRoute(v1, '/v1', API_ROUTES.getWebhook, policy, ({ params }) => presentWebhook(find(params.id)));
 */
export function handleRoute<R extends RouteDefinition>(
  app: FastifyInstance,
  prefix: string,
  route: R,
  policy: UrlPolicy,
  handler: RouteHandler<R>,
): void {
  const { params, query } = route;
  const body = typeof route.body === 'function' ? route.body(policy) : route.body;
  const url = route.path.slice(prefix.length).replace(/\{(\w+)\}/g, ':$1');
  const status = route.success.status;
  app.route({
    method: route.method,
    url,
    handler: async (request, reply) => {
      const input = {
        params: params ? parseInput(params, request.params) : {},
        query: query ? parseInput(query, request.query) : {},
        body: body ? parseInput(body, route.bodyRequired ? request.body : (request.body ?? {})) : undefined,
      } as RouteInput<R>;
      const answer = await handler(input, request, reply);
      if (reply.sent) return reply;
      // A handler may answer another status (e.g. a 503 it sets); only the default is the route's.
      if (reply.statusCode === 200) reply.code(status);
      return answer;
    },
  });
}
