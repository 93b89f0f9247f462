import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { CaleidaWebhookModule, OnAnyCaleidaEvent } from '@caleida/nestjs';
import type { ReceivedEvent, ReceiverOptions } from '@caleida/verify';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import type { FastifyRequest } from 'fastify';
import { RouteSpy } from './route-spy.js';
import { PARSED_PATH, PLAIN_PATH, type Target } from './targets.js';

@Injectable()
class SpyEvents {
  @Inject(RouteSpy) private readonly spy!: RouteSpy;

  @OnAnyCaleidaEvent()
  run(event: ReceivedEvent): Promise<void> {
    return this.spy.run(event);
  }
}

/** The customer's app: the webhook route, and on PARSED_PATH a second one behind a body parser. */
function appModule(options: ReceiverOptions, spy: RouteSpy) {
  @Module({
    imports: [
      CaleidaWebhookModule.forRoot({ ...options, path: PLAIN_PATH }),
      CaleidaWebhookModule.forRoot({ ...options, path: PARSED_PATH }),
    ],
    providers: [SpyEvents, { provide: RouteSpy, useValue: spy }],
  })
  class AppModule {}
  return AppModule;
}

/** The classic mistake on Express: the app handed to Nest already parses JSON on that path. */
function expressAdapter(): ExpressAdapter {
  const app = express();
  app.use(PARSED_PATH, express.json());
  return new ExpressAdapter(app);
}

/** The same on Fastify: a hook that reads and parses the body before routing. */
function fastifyAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter();
  adapter.getInstance().addHook('onRequest', async (request: FastifyRequest) => {
    if (request.url !== PARSED_PATH) return;
    const chunks: Buffer[] = [];
    for await (const chunk of request.raw) chunks.push(chunk as Buffer);
    request.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  });
  return adapter;
}

function nestTarget(platform: 'express' | 'fastify', rawBody: boolean): Target {
  return {
    name: `NestJS 12 ${platform === 'express' ? 'Express' : 'Fastify'}${rawBody ? ', rawBody: true' : ''} (dispatch)`,
    mode: 'dispatch',
    hasRawPath: false,
    inThisProcess: true,
    fix: platform === 'express' ? /express\.json\(\).*express\.raw/ : /untouched request stream/,
    async start(options, spy) {
      const adapter = platform === 'express' ? expressAdapter() : fastifyAdapter();
      const app = await NestFactory.create(appModule(options, spy), adapter, { logger: false, rawBody });
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  };
}

/** CaleidaWebhookModule on both Nest platforms, with Nest's rawBody option off and on. */
export const nestTargets: Target[] = [
  nestTarget('express', false),
  nestTarget('express', true),
  nestTarget('fastify', false),
  nestTarget('fastify', true),
];
