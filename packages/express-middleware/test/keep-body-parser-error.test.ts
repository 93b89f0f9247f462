import { gzipSync } from 'node:zlib';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { caleidaWebhook, keepBodyParserError } from '../src/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const quiet = { error: () => {} };

/** A signed `message` of about `bytes` bytes. */
function signedOfSize(bytes: number) {
  const event = buildEvent('message');
  return signedRequest({
    secret: SECRET,
    event: { ...event, data: { ...event.data, content: 'x'.repeat(bytes) } },
  });
}

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('keepBodyParserError on %s', (_name, express) => {
  const appBehind = (parser: express5.RequestHandler) => {
    const app = express();
    app.post(
      '/hook',
      parser,
      keepBodyParserError,
      caleidaWebhook({ secret: SECRET, logger: quiet }),
      (req, res) => {
        res.json({ id: req.webhook.id });
      },
    );
    return app;
  };

  it("accepts a signed 200 KB event behind express.raw({ type: 'application/json', limit: '1mb' })", async () => {
    const { id, body, headers } = signedOfSize(200 * 1024);
    const app = appBehind(express.raw({ type: 'application/json', limit: '1mb' }));
    await request(app).post('/hook').set(headers).send(body).expect(200, { id });
  });

  it("answers express.raw()'s own 100kb limit with the receiver's 413 JSON, naming the fix", async () => {
    const { body, headers } = signedOfSize(200 * 1024);
    const response = await request(appBehind(express.raw({ type: 'application/json' })))
      .post('/hook')
      .set(headers)
      .send(body)
      .expect(413)
      .expect('content-type', /application\/json/);
    expect(response.body.code).toBe('body_too_large');
    expect(response.body.message).toMatch(/limit: '1mb'/);
  });

  it('answers a gzip body refused by express.raw({ inflate: false }) with 415 unsupported_content_encoding', async () => {
    const { body, headers } = signedOfSize(10);
    const response = await request(appBehind(express.raw({ type: 'application/json', inflate: false })))
      .post('/hook')
      .set({ ...headers, 'content-encoding': 'gzip' })
      .send(gzipSync(body))
      .expect(415);
    expect(response.body.code).toBe('unsupported_content_encoding');
    expect(response.body.message).toMatch(/never compresses/);
  });

  it('answers unparsable JSON behind express.json() as without it: unsigned 400 missing_header, signed 400 invalid_json', async () => {
    const app = appBehind(express.json());
    const unsigned = await request(app)
      .post('/hook')
      .set('content-type', 'application/json')
      .send('{not json')
      .expect(400);
    expect(unsigned.body.code).toBe('missing_header');
    const signed = signedRequest({ secret: SECRET, event: '{"type":"message",' });
    const invalid = await request(app).post('/hook').set(signed.headers).send(signed.body).expect(400);
    expect(invalid.body.code).toBe('invalid_json');
  });

  it('passes on an error that does not come from a body parser', async () => {
    const app = express();
    app.post(
      '/hook',
      (_req, _res, next) => next(new Error('not a parser')),
      keepBodyParserError,
      caleidaWebhook({ secret: SECRET, logger: quiet }),
      (_req, res) => {
        res.sendStatus(204);
      },
    );
    app.use(((error, _req, res, _next) => {
      res.status(599).send(error.message);
    }) as express5.ErrorRequestHandler);
    await request(app).post('/hook').send('{}').expect(599, 'not a parser');
  });
});
