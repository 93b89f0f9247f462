import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { caleidaWebhook, keepBodyParserError } from '../src/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const quiet = { error: () => {} };

function appBehindBodyParser(options: Parameters<typeof bodyParser>[0]): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(bodyParser(options));
  app.use(caleidaWebhook({ secret: SECRET, logger: quiet, maxBodyBytes: 2 * 1024 * 1024 }));
  app.use((ctx) => {
    ctx.body = { id: ctx.state.webhook.id };
  });
  return app;
}

describe('keepBodyParserError as @koa/bodyparser onError', () => {
  const app = appBehindBodyParser({ onError: keepBodyParserError });

  it('answers unsigned garbage with 400 missing_header JSON, as without a parser', async () => {
    const response = await request(app.callback())
      .post('/')
      .set('content-type', 'application/json')
      .send('{not json')
      .expect(400)
      .expect('content-type', /application\/json/);
    expect(response.body.code).toBe('missing_header');
  });

  it('answers signed invalid JSON with 400 invalid_json', async () => {
    const signed = signedRequest({ secret: SECRET, event: '{"type":"message",' });
    const response = await request(app.callback())
      .post('/')
      .set(signed.headers)
      .send(signed.body)
      .expect(400);
    expect(response.body.code).toBe('invalid_json');
  });

  it("answers a body over the parser's jsonLimit with 413 body_too_large JSON, naming the fix", async () => {
    const event = buildEvent('message');
    const signed = signedRequest({
      secret: SECRET,
      event: { ...event, data: { ...event.data, content: 'x'.repeat(1024 * 1024 + 10) } },
    });
    const response = await request(app.callback())
      .post('/')
      .set(signed.headers)
      .send(signed.body)
      .expect(413);
    expect(response.body.code).toBe('body_too_large');
    expect(response.body.message).toMatch(/jsonLimit/);
  });

  it('accepts a valid event, the raw body kept by the parser', async () => {
    const signed = signedRequest({ secret: SECRET, event: buildEvent('message') });
    await request(app.callback())
      .post('/')
      .set(signed.headers)
      .send(signed.body)
      .expect(200, { id: signed.id });
  });
});
