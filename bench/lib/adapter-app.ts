/**
 * A child process of `pnpm bench adapters`: starts one webhook app on 127.0.0.1 (named in argv),
 * tells the parent its port, and answers `rss` messages with its resident and heap memory after a GC. Kept
 * out of the parent so that autocannon and the app do not share one event loop.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { caleidaWebhook as expressWebhook } from '@caleida/express-middleware';
import { caleidaWebhook as fastifyWebhook } from '@caleida/fastify-plugin';
import { caleidaWebhook as koaWebhook } from '@caleida/koa-middleware';
import { createFetchHandler, createReceiver, decodeSecret } from '@caleida/verify';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import Koa from 'koa';
import { Webhook } from 'standardwebhooks';
import { hmacFloorMatches } from './hmac-floor.js';

export const BENCH_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const BENCH_PATH = '/webhooks/caleida';

const floorKey = decodeSecret(BENCH_SECRET);

/**
 * The least any verifying receiver must do: HMAC the exact bytes, compare in constant time, parse
 * the JSON. An app doing only this shows how close an adapter comes to the cheapest possible one.
 */
function floorVerify(raw: Buffer, headers: IncomingHttpHeaders): boolean {
  return floorVerifyWith(
    raw,
    headers['webhook-id'],
    headers['webhook-timestamp'],
    headers['webhook-signature'],
  );
}

function floorVerifyWith(raw: Buffer, id: unknown, timestamp: unknown, signatureHeader: unknown): boolean {
  if (!hmacFloorMatches(floorKey, `${id}.${timestamp}.`, raw, String(signatureHeader))) return false;
  JSON.parse(raw.toString('utf8'));
  return true;
}

/** A fetch handler on @hono/node-server (the server Hono runs on in Node), listening nowhere yet. */
function fetchServer(fetch: (request: Request) => Response | Promise<Response>): Server {
  return createAdaptorServer({ fetch }) as Server;
}

const apps: Record<string, () => Promise<Server>> = {
  async 'express + crypto floor'() {
    const app = express();
    app.post(BENCH_PATH, express.raw({ type: 'application/json' }), (req, res) => {
      if (floorVerify(req.body as Buffer, req.headers)) res.status(200).json({ received: true });
      else res.status(401).json({ code: 'no_matching_signature' });
    });
    return createServer(app);
  },
  async 'koa + crypto floor'() {
    const app = new Koa();
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const ok = floorVerify(Buffer.concat(chunks), ctx.headers);
      ctx.status = ok ? 200 : 401;
      ctx.body = ok ? { received: true } : { code: 'no_matching_signature' };
    });
    return createServer(app.callback());
  },
  async 'fastify + crypto floor'() {
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    app.post(BENCH_PATH, async (request, reply) =>
      floorVerify(request.body as Buffer, request.headers)
        ? { received: true }
        : reply.code(401).send({ code: 'no_matching_signature' }),
    );
    await app.ready();
    return app.server;
  },
  async 'express 4 + crypto floor'() {
    const app = express4();
    app.post(BENCH_PATH, express4.raw({ type: 'application/json' }), (req, res) => {
      if (floorVerify(req.body as Buffer, req.headers)) res.status(200).json({ received: true });
      else res.status(401).json({ code: 'no_matching_signature' });
    });
    return createServer(app);
  },
  async 'express 4 bare'() {
    const app = express4();
    app.post(BENCH_PATH, express4.raw({ type: 'application/json' }), (_req, res) => {
      res.status(200).json({ received: true });
    });
    return createServer(app);
  },
  async 'express 4 + @caleida/express-middleware'() {
    const app = express4();
    app.post(BENCH_PATH, expressWebhook({ secret: BENCH_SECRET }), (req, res) => {
      res.status(200).json({ received: true, id: req.webhook.id });
    });
    return createServer(app);
  },
  async 'express 4 + @caleida/express-middleware (dispatch)'() {
    const app = express4();
    app.post(BENCH_PATH, expressWebhook({ receiver: createReceiver({ secret: BENCH_SECRET }) }));
    return createServer(app);
  },
  async 'express + @caleida/express-middleware (dispatch)'() {
    const app = express();
    app.post(BENCH_PATH, expressWebhook({ receiver: createReceiver({ secret: BENCH_SECRET }) }));
    return createServer(app);
  },
  async 'koa + @caleida/koa-middleware (dispatch)'() {
    const app = new Koa();
    app.use(koaWebhook({ receiver: createReceiver({ secret: BENCH_SECRET }) }));
    return createServer(app.callback());
  },
  async 'fetch bare'() {
    return fetchServer(async (request) => {
      await request.arrayBuffer();
      return Response.json({ received: true });
    });
  },
  async 'fetch + crypto floor'() {
    return fetchServer(async (request) => {
      const raw = Buffer.from(await request.arrayBuffer());
      const { headers } = request;
      const ok = floorVerifyWith(
        raw,
        headers.get('webhook-id'),
        headers.get('webhook-timestamp'),
        headers.get('webhook-signature'),
      );
      return ok
        ? Response.json({ received: true })
        : Response.json({ code: 'no_matching_signature' }, { status: 401 });
    });
  },
  async 'fetch + createFetchHandler'() {
    return fetchServer(createFetchHandler({ secret: BENCH_SECRET }));
  },
  async 'express bare'() {
    const app = express();
    app.post(BENCH_PATH, express.raw({ type: 'application/json' }), (_req, res) => {
      res.status(200).json({ received: true });
    });
    return createServer(app);
  },
  async 'express + standardwebhooks'() {
    const webhook = new Webhook(BENCH_SECRET);
    const app = express();
    app.post(BENCH_PATH, express.raw({ type: 'application/json' }), (req, res) => {
      try {
        webhook.verify(req.body as Buffer, req.headers as Record<string, string>);
        res.status(200).json({ received: true });
      } catch {
        res.status(401).json({ code: 'invalid_signature' });
      }
    });
    return createServer(app);
  },
  async 'express + @caleida/express-middleware'() {
    const app = express();
    app.post(BENCH_PATH, expressWebhook({ secret: BENCH_SECRET }), (req, res) => {
      res.status(200).json({ received: true, id: req.webhook.id });
    });
    return createServer(app);
  },
  async 'express.raw() + @caleida/express-middleware'() {
    const app = express();
    app.post(
      BENCH_PATH,
      express.raw({ type: 'application/json' }),
      expressWebhook({ secret: BENCH_SECRET }),
      (req, res) => {
        res.status(200).json({ received: true, id: req.webhook.id });
      },
    );
    return createServer(app);
  },
  async 'koa bare'() {
    const app = new Koa();
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.state.raw = Buffer.concat(chunks);
      ctx.body = { received: true };
    });
    return createServer(app.callback());
  },
  async 'koa + @caleida/koa-middleware'() {
    const app = new Koa();
    app.use(koaWebhook({ secret: BENCH_SECRET }));
    app.use((ctx) => {
      ctx.body = { received: true, id: ctx.state.webhook.id };
    });
    return createServer(app.callback());
  },
  async 'fastify bare'() {
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    app.post(BENCH_PATH, async () => ({ received: true }));
    await app.ready();
    return app.server;
  },
  async 'fastify + @caleida/fastify-plugin (dispatch)'() {
    const app = Fastify();
    await app.register(fastifyWebhook, {
      url: BENCH_PATH,
      receiver: createReceiver({ secret: BENCH_SECRET }),
    });
    await app.ready();
    return app.server;
  },
  async 'fastify + @caleida/fastify-plugin'() {
    const app = Fastify();
    await app.register(fastifyWebhook, {
      url: BENCH_PATH,
      secret: BENCH_SECRET,
      async handler(request) {
        return { received: true, id: request.webhook.id };
      },
    });
    await app.ready();
    return app.server;
  },
};

if (process.send) {
  const name = process.argv[2] ?? '';
  const start = apps[name];
  if (!start) throw new Error(`Unknown app "${name}". Known: ${Object.keys(apps).join(', ')}.`);
  const server = await start();
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on('message', (message) => {
    if (message === 'rss') {
      globalThis.gc?.();
      process.send?.({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
    }
    // A clean exit, so that a profile asked for with --cpu-prof gets written.
    if (message === 'exit') process.exit(0);
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMicros: user + system });
    }
  });
}
