import { createReceiver, type ReceivedEvent } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { caleidaWebhook } from '../src/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const quiet = { error: () => {} };
const signed = () => signedRequest({ secret: SECRET, event: buildEvent('message') });

describe('caleidaWebhook() options', () => {
  it('throws at construction for a weak secret, naming this package', () => {
    expect(() => caleidaWebhook({ secret: 'short' })).toThrow(
      /^@caleida\/express-middleware: Invalid webhook secret/,
    );
  });

  it('throws at construction for a bad option, naming this package', () => {
    expect(() => caleidaWebhook({ secret: SECRET, maxBodyBytes: 0 })).toThrow(
      /@caleida\/express-middleware: maxBodyBytes must be a positive integer/,
    );
  });

  it('throws for missing options, a receiver that is not one, or a receiver with a secret', () => {
    expect(() => caleidaWebhook(undefined as never)).toThrow(/@caleida\/express-middleware: pass options/);
    expect(() => caleidaWebhook({ receiver: {} as never })).toThrow(/createReceiver\(\)/);
    const receiver = createReceiver({ secret: SECRET });
    expect(() => caleidaWebhook({ receiver, secret: SECRET } as never)).toThrow(/not both/);
  });
});

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('caleidaWebhook() on %s', (_name, express) => {
  it('attach: puts the typed event on req.webhook and lets the route answer', async () => {
    const app = express();
    app.post('/hook', caleidaWebhook({ secret: SECRET }), (req, res) => {
      expectTypeOf(req.webhook).toEqualTypeOf<ReceivedEvent>();
      if (req.webhook.type === 'message') {
        expectTypeOf(req.webhook.data.content).toBeString();
        res.status(202).json({ content: req.webhook.data.content });
      }
    });
    const { body, headers } = signed();
    const response = await request(app).post('/hook').set(headers).send(body).expect(202);
    expect(response.body.content).toBe(JSON.parse(body).data.content);
  });

  it('attach: an id counts as processed only after a 2xx answer', async () => {
    const statuses = [500, 204, 204];
    let runs = 0;
    const app = express();
    app.post('/hook', caleidaWebhook({ secret: SECRET }), (_req, res) => {
      runs++;
      res.sendStatus(statuses.shift() ?? 204);
    });
    const { body, headers } = signed();
    await request(app).post('/hook').set(headers).send(body).expect(500);
    await request(app).post('/hook').set(headers).send(body).expect(204);
    const duplicate = await request(app).post('/hook').set(headers).send(body).expect(200);
    expect(duplicate.body).toMatchObject({ duplicate: true });
    expect(runs).toBe(2);
  });

  it('attach: a connection closed before the answer finished releases the id', async () => {
    let runs = 0;
    const app = express();
    app.post('/hook', caleidaWebhook({ secret: SECRET }), (req, res) => {
      runs++;
      if (runs === 1) req.socket.destroy();
      else res.sendStatus(204);
    });
    const { body, headers } = signed();
    await expect(request(app).post('/hook').set(headers).send(body)).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    await request(app).post('/hook').set(headers).send(body).expect(204);
    expect(runs).toBe(2);
  });

  it('attach: works mounted with app.use() on a path and inside a Router', async () => {
    const app = express();
    const router = express.Router();
    router.post('/caleida', caleidaWebhook({ secret: SECRET }), (req, res) => {
      res.json({ type: req.webhook.type });
    });
    app.use('/webhooks', router);
    const { body, headers } = signed();
    await request(app).post('/webhooks/caleida').set(headers).send(body).expect(200, { type: 'message' });
  });

  it('dispatch: answers by itself and never calls the next middleware', async () => {
    const seen: string[] = [];
    const receiver = createReceiver({ secret: SECRET }).on('message', (event) => {
      seen.push(event.id);
    });
    let nextCalled = false;
    const app = express();
    app.post('/hook', caleidaWebhook({ receiver }), () => {
      nextCalled = true;
    });
    const { id, body, headers } = signed();
    await request(app)
      .post('/hook')
      .set(headers)
      .send(body)
      .expect(200, { received: true, id, type: 'message' });
    expect(seen).toEqual([id]);
    expect(nextCalled).toBe(false);
  });

  it('logs express.json() mounted first once, with the fix, and answers 500 body_already_parsed', async () => {
    const lines: string[] = [];
    const app = express();
    app.use(express.json());
    app.post(
      '/hook',
      caleidaWebhook({ secret: SECRET, logger: { error: (line: string) => lines.push(line) } }),
    );
    for (let i = 0; i < 2; i++) {
      const { body, headers } = signed();
      const response = await request(app).post('/hook').set(headers).send(body).expect(500);
      expect(response.body.code).toBe('body_already_parsed');
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/mount the Caleida middleware before express\.json\(\)/);
  });

  it('uses the bytes express.raw() holds, and refuses a signed body with one byte changed', async () => {
    const app = express();
    app.post(
      '/hook',
      express.raw({ type: 'application/json' }),
      caleidaWebhook({ secret: SECRET, logger: quiet }),
      (_req, res) => {
        res.sendStatus(204);
      },
    );
    const { body, headers } = signed();
    await request(app).post('/hook').set(headers).send(body).expect(204);
    const tampered = signed();
    const response = await request(app)
      .post('/hook')
      .set(tampered.headers)
      .send(tampered.body.replace('"message"', '"messagE"'))
      .expect(401);
    expect(response.body.code).toBe('no_matching_signature');
  });
});
