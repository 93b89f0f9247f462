import type { z } from 'zod';
import type { UrlPolicy } from '../webhooks/url-problem.js';

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A body schema, or one built for the server's URL policy (webhook URLs depend on it). */
export type BodySchema = z.ZodType | ((policy: UrlPolicy) => z.ZodType);

/**
 * One route of the API as data: its path, what it accepts and what it answers. The server
 * validates and types its handler from it, `/openapi.json` documents it, and the client takes its
 * types from it.
 */
export interface RouteDefinition {
  method: HttpMethod;
  /** OpenAPI form: `/v1/webhooks/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** Reachable without the API key. */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: BodySchema;
  /** A body must be sent; otherwise a missing body counts as `{}`. */
  bodyRequired?: boolean;
  /** The answer on success: its status and schema (null for no body). */
  success: { status: number; schema: z.ZodType | null; contentType?: string };
  /** The error statuses this route can answer, each with the ApiError body. */
  errors: readonly number[];
}

/**
 * Declares a route, keeping its literal types for the handler and the client.
 *
 * @example
 * const getWebhook = defineRoute({ method: 'GET', path: '/v1/webhooks/{id}', ... });
 */
export function defineRoute<const R extends RouteDefinition>(route: R): R {
  return route;
}

type BodyOf<R extends RouteDefinition> = R['body'] extends (policy: UrlPolicy) => infer S ? S : R['body'];

/** What a route's handler receives once its input was validated. */
export interface RouteInput<R extends RouteDefinition> {
  params: R['params'] extends z.ZodType ? z.output<R['params']> : Record<string, never>;
  query: R['query'] extends z.ZodType ? z.output<R['query']> : Record<string, never>;
  body: BodyOf<R> extends z.ZodType ? z.output<BodyOf<R>> : undefined;
}

/** What a client sends: path params, query and body, in the API's own (snake_case) names. */
export interface RouteRequest<R extends RouteDefinition> {
  params: R['params'] extends z.ZodType ? z.input<R['params']> : undefined;
  query: R['query'] extends z.ZodType ? z.input<R['query']> : undefined;
  body: BodyOf<R> extends z.ZodType ? z.input<BodyOf<R>> : undefined;
}

/** The body a route answers on success. */
export type RouteResponse<R extends RouteDefinition> = R['success']['schema'] extends z.ZodType
  ? z.output<R['success']['schema']>
  : undefined;

/** The body a handler returns: what the success schema accepts. */
export type RouteReply<R extends RouteDefinition> = R['success']['schema'] extends z.ZodType
  ? z.input<R['success']['schema']>
  : undefined;
