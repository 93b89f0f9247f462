import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  caleidaWebhook as expressWebhook,
  keepBodyParserError as keepExpressParserError,
} from '@caleida/express-middleware';
import { caleidaWebhook as fastifyWebhook } from '@caleida/fastify-plugin';
import {
  keepBodyParserError as keepKoaParserError,
  caleidaWebhook as koaWebhook,
} from '@caleida/koa-middleware';
import { createFetchHandler, createReceiver, type Receiver, type ReceiverOptions } from '@caleida/verify';
import { bodyParser } from '@koa/bodyparser';
import express5 from 'express';
import express4 from 'express4';
import Fastify, { type FastifyRequest } from 'fastify';
import Koa, { type Context, type Middleware, type Next } from 'koa';
import { nestTargets } from './nest-targets.js';
import type { RouteSpy } from './route-spy.js';

/** The webhook route with nothing in front of it. */
export const PLAIN_PATH = '/webhooks/caleida';
/** The webhook route behind the framework's usual body parser (the classic mistake). */
export const PARSED_PATH = '/parsed';
/**
 * The webhook route behind the parser setup the adapter's README documents, which keeps the raw
 * bytes: `express.raw({ type: 'application/json', limit: '1mb' }), keepBodyParserError` on Express,
 * `bodyParser({ onError: keepBodyParserError })` (@koa/bodyparser) on Koa.
 */
export const RAW_PATH = '/raw';

export interface RunningTarget {
  url: string;
  close(): Promise<void>;
}

/** One way of receiving Caleida webhooks that must behave exactly as docs/protocol.md says. */
export interface Target {
  name: string;
  mode: 'attach' | 'dispatch';
  /** Whether the target has a route behind a parser that keeps the raw bytes. */
  hasRawPath: boolean;
  /**
   * Whether requests reach the receiver as fetch `Request`s, which cannot carry the methods the
   * Fetch standard forbids (TRACE, TRACK).
   */
  fetchApi?: boolean;
  /**
   * Whether the receiver runs in this test process and takes every receiver option (a short
   * `bodyReadTimeoutMs`, a bad option refused at start-up), and keeps running a handler after its
   * sender left, as Node servers do.
   */
  inThisProcess?: boolean;
  /** What the body_already_parsed message must name as the fix. */
  fix: RegExp;
  start(options: ReceiverOptions, spy: RouteSpy): Promise<RunningTarget>;
}

const dispatchReceiver = (options: ReceiverOptions, spy: RouteSpy): Receiver =>
  createReceiver(options).onAny((event) => spy.run(event));

async function listen(server: Server): Promise<RunningTarget> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type ExpressModule = typeof express5;

function expressTarget(name: string, expressModule: ExpressModule, mode: Target['mode']): Target {
  return {
    name,
    mode,
    hasRawPath: true,
    inThisProcess: true,
    fix: /express\.json\(\).*express\.raw/,
    async start(options, spy) {
      const app = expressModule();
      const receiver = mode === 'dispatch' ? dispatchReceiver(options, spy) : undefined;
      const webhook = () => expressWebhook(receiver ? { receiver } : options);
      const route: express5.RequestHandler = (req, res, next) => {
        spy.run(req.webhook).then(() => res.status(200).json({ received: true, id: req.webhook.id }), next);
      };
      app.all(PLAIN_PATH, webhook(), route);
      app.post(PARSED_PATH, expressModule.json(), webhook(), route);
      app.all(
        RAW_PATH,
        expressModule.raw({ type: 'application/json', limit: '1mb' }),
        keepExpressParserError,
        webhook(),
        route,
      );
      return listen(createServer(app));
    },
  };
}

/** A JSON body parser that keeps no raw body, as koa-body does by default. */
const jsonBodyWithoutRaw: Middleware = async (ctx, next) => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  ctx.request.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  await next();
};

function koaTarget(mode: Target['mode']): Target {
  return {
    name: `Koa 3 (${mode})`,
    mode,
    hasRawPath: true,
    inThisProcess: true,
    fix: /koa-bodyparser.*rawBody/,
    async start(options, spy) {
      const app = new Koa();
      app.silent = true;
      const receiver = mode === 'dispatch' ? dispatchReceiver(options, spy) : undefined;
      const webhook = () => koaWebhook(receiver ? { receiver } : options);
      const route: Middleware = async (ctx) => {
        await spy.run(ctx.state.webhook);
        ctx.body = { received: true, id: ctx.state.webhook.id };
      };
      const routes = new Map<string, Middleware[]>([
        [PLAIN_PATH, [webhook(), route]],
        [PARSED_PATH, [jsonBodyWithoutRaw, webhook(), route]],
        [RAW_PATH, [bodyParser({ onError: keepKoaParserError }), webhook(), route]],
      ]);
      app.use((ctx: Context, next: Next) => {
        const chain = routes.get(ctx.path);
        if (!chain) return next();
        const run = (index: number): Promise<void> =>
          Promise.resolve(chain[index]?.(ctx, () => run(index + 1)));
        return run(0);
      });
      return listen(createServer(app.callback()));
    },
  };
}

/** An app-wide hook that reads and parses every body before routing, as a body-parsing plugin would. */
async function parseBodyEarly(request: FastifyRequest): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request.raw) chunks.push(chunk as Buffer);
  request.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function fastifyTarget(mode: Target['mode']): Target {
  return {
    name: `Fastify 5 (${mode})`,
    mode,
    hasRawPath: false,
    inThisProcess: true,
    fix: /@caleida\/fastify-plugin register the webhook route/,
    async start(options, spy) {
      const app = Fastify();
      const receiver = mode === 'dispatch' ? dispatchReceiver(options, spy) : undefined;
      const pluginOptions = (url: string) =>
        receiver
          ? { url, receiver }
          : {
              url,
              ...options,
              async handler(request: FastifyRequest) {
                await spy.run(request.webhook);
                return { received: true, id: request.webhook.id };
              },
            };
      await app.register(fastifyWebhook, pluginOptions(PLAIN_PATH));
      await app.register(async (scope) => {
        scope.addHook('onRequest', parseBodyEarly);
        await scope.register(fastifyWebhook, pluginOptions(PARSED_PATH));
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  };
}

/**
 * A web Request made from a Node request, as @hono/node-server does: from `rawHeaders`, so a header
 * sent twice reaches the handler as the Fetch standard joins it.
 */
function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2) {
    headers.append(req.rawHeaders[index] as string, req.rawHeaders[index + 1] as string);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', 'http://127.0.0.1'), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

const fetchTarget: Target = {
  name: 'createFetchHandler (dispatch)',
  mode: 'dispatch',
  hasRawPath: false,
  fetchApi: true,
  inThisProcess: true,
  fix: /request\.json\(\)/,
  async start(options, spy) {
    const handler = createFetchHandler(dispatchReceiver(options, spy));
    const routes = new Map<string, (request: Request) => Promise<Response>>([
      [PLAIN_PATH, handler],
      [
        PARSED_PATH,
        async (request) => {
          await request.json();
          return handler(request);
        },
      ],
    ]);
    const server = createServer(async (req, res) => {
      let request: Request;
      try {
        request = toWebRequest(req);
      } catch (error) {
        // The Fetch standard forbids some methods (TRACE, TRACK): no Request can carry them, so
        // no fetch handler ever sees one. Answer here rather than crash the server.
        res.writeHead(501, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      const route = routes.get(new URL(request.url).pathname);
      const response = route ? await route(request) : new Response('not found', { status: 404 });
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    return listen(server);
  },
};

/** Every target the conformance suite runs against. */
export const targets: Target[] = [
  expressTarget('Express 5 (attach)', express5, 'attach'),
  expressTarget('Express 5 (dispatch)', express5, 'dispatch'),
  expressTarget('Express 4 (attach)', express4 as unknown as ExpressModule, 'attach'),
  expressTarget('Express 4 (dispatch)', express4 as unknown as ExpressModule, 'dispatch'),
  koaTarget('attach'),
  koaTarget('dispatch'),
  fastifyTarget('attach'),
  fastifyTarget('dispatch'),
  fetchTarget,
  ...nestTargets,
  ...(await import('./runtime-targets.js')).runtimeTargets,
];
