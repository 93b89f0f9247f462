import { createReceiver, type ReceivedEvent } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { caleidaWebhook } from '../src/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const signed = () => signedRequest({ secret: SECRET, event: buildEvent('message') });

function appWith(...middleware: Koa.Middleware[]): Koa {
  const app = new Koa();
  app.silent = true;
  for (const each of middleware) app.use(each);
  return app;
}

describe('caleidaWebhook() options', () => {
  it('throws at construction for a weak secret or a bad option, naming this package', () => {
    expect(() => caleidaWebhook({ secret: 'short' })).toThrow(
      /^@caleida\/koa-middleware: Invalid webhook secret/,
    );
    expect(() => caleidaWebhook({ secret: SECRET, toleranceSeconds: -1 })).toThrow(
      /@caleida\/koa-middleware: toleranceSeconds/,
    );
  });

  it('throws for a receiver that is not one, or a receiver with a secret', () => {
    expect(() => caleidaWebhook({ receiver: {} as never })).toThrow(/@caleida\/koa-middleware: `receiver`/);
    const receiver = createReceiver({ secret: SECRET });
    expect(() => caleidaWebhook({ receiver, secret: SECRET } as never)).toThrow(/not both/);
  });
});

describe('caleidaWebhook() on Koa', () => {
  it('attach: puts the typed event on ctx.state.webhook and runs the next middleware', async () => {
    const app = appWith(caleidaWebhook({ secret: SECRET }), (ctx) => {
      expectTypeOf(ctx.state.webhook).toEqualTypeOf<ReceivedEvent>();
      if (ctx.state.webhook.type === 'message') {
        expectTypeOf(ctx.state.webhook.data.role).toEqualTypeOf<'customer' | 'agent' | 'bot' | 'system'>();
        ctx.status = 202;
        ctx.body = { role: ctx.state.webhook.data.role };
      }
    });
    const { body, headers } = signed();
    const response = await request(app.callback()).post('/').set(headers).send(body).expect(202);
    expect(response.body.role).toBe(JSON.parse(body).data.role);
  });

  it('attach: an id counts as processed only after a 2xx answer; a thrown error releases it', async () => {
    let runs = 0;
    const app = appWith(caleidaWebhook({ secret: SECRET }), (ctx) => {
      runs++;
      if (runs === 1) throw new Error('database down');
      ctx.status = 204;
    });
    const { body, headers } = signed();
    await request(app.callback()).post('/').set(headers).send(body).expect(500);
    await request(app.callback()).post('/').set(headers).send(body).expect(204);
    const duplicate = await request(app.callback()).post('/').set(headers).send(body).expect(200);
    expect(duplicate.body).toMatchObject({ duplicate: true });
    expect(runs).toBe(2);
  });

  it('attach: a connection closed before the answer finished releases the id', async () => {
    let runs = 0;
    const app = appWith(caleidaWebhook({ secret: SECRET }), (ctx) => {
      runs++;
      if (runs === 1) ctx.req.socket.destroy();
      else ctx.status = 204;
    });
    const { body, headers } = signed();
    await expect(request(app.callback()).post('/').set(headers).send(body)).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    await request(app.callback()).post('/').set(headers).send(body).expect(204);
    expect(runs).toBe(2);
  });

  it('dispatch: answers by itself and never calls the next middleware', async () => {
    const seen: string[] = [];
    const receiver = createReceiver({ secret: SECRET }).on('message', (event) => {
      seen.push(event.id);
    });
    let nextCalled = false;
    const app = appWith(caleidaWebhook({ receiver }), () => {
      nextCalled = true;
    });
    const { id, body, headers } = signed();
    await request(app.callback())
      .post('/')
      .set(headers)
      .send(body)
      .expect(200, { received: true, id, type: 'message' });
    expect(seen).toEqual([id]);
    expect(nextCalled).toBe(false);
  });

  it('uses ctx.request.rawBody when @koa/bodyparser ran first', async () => {
    const app = appWith(bodyParser(), caleidaWebhook({ secret: SECRET }), (ctx) => {
      ctx.body = { type: ctx.state.webhook.type };
    });
    const { body, headers } = signed();
    await request(app.callback()).post('/').set(headers).send(body).expect(200, { type: 'message' });
  });

  it('logs a parser that kept no raw body once, with the fix, and answers 500 body_already_parsed', async () => {
    const lines: string[] = [];
    const dropRawBody: Koa.Middleware = async (ctx, next) => {
      delete (ctx.request as { rawBody?: string }).rawBody;
      await next();
    };
    const app = appWith(
      bodyParser(),
      dropRawBody,
      caleidaWebhook({ secret: SECRET, logger: { error: (line: string) => lines.push(line) } }),
    );
    for (let i = 0; i < 2; i++) {
      const { body, headers } = signed();
      const response = await request(app.callback()).post('/').set(headers).send(body).expect(500);
      expect(response.body.code).toBe('body_already_parsed');
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/mount the Caleida middleware before koa-bodyparser/);
  });
});
