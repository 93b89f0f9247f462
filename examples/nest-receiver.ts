/**
 * A NestJS receiver, on Express or on Fastify (NEST_PLATFORM=fastify). Run:
 *   CALEIDA_WEBHOOK_SECRET=whsec_... pnpm tsx examples/nest-receiver.ts
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { CaleidaWebhookModule, OnAnyCaleidaEvent, OnCaleidaEvent } from '@caleida/nestjs';
import type { AnyEventHandler, ReceivedEvent, ReceivedEventOf } from '@caleida/verify';
import { Inject, Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type ExampleOptions, runExample } from './lib/run-example.js';

const ON_EVENT = Symbol('ON_EVENT');

/** The part to copy: a provider whose decorated methods run for verified events. */
@Injectable()
export class ChatEvents {
  @Inject(ON_EVENT) private readonly onEvent!: AnyEventHandler;

  @OnCaleidaEvent('insight.sentiment')
  flagNegative(event: ReceivedEventOf<'insight.sentiment'>): void {
    if (event.data.sentiment === 'negative') console.log(`chat ${event.data.chat_id} needs attention`);
  }

  @OnAnyCaleidaEvent()
  async record(event: ReceivedEvent): Promise<void> {
    await this.onEvent(event);
  }
}

/** The app module: the webhook route at /webhooks/caleida and the provider above. */
export function createAppModule(secret: string | string[], onEvent: AnyEventHandler): Type {
  @Module({
    imports: [CaleidaWebhookModule.forRoot({ secret })],
    providers: [ChatEvents, { provide: ON_EVENT, useValue: onEvent }],
  })
  class AppModule {}
  return AppModule;
}

/** Starts the Nest receiver on 127.0.0.1, on Express (default) or Fastify. */
export async function startNestReceiver(
  { secret, port = 3000, onEvent = () => {} }: ExampleOptions,
  platform: 'express' | 'fastify' = process.env.NEST_PLATFORM === 'fastify' ? 'fastify' : 'express',
) {
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(createAppModule(secret, onEvent), adapter, {
    logger: ['error', 'warn'],
  });
  await app.listen(port, '127.0.0.1');
  const { port: bound } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}/webhooks/caleida`, close: () => app.close() };
}

await runExample(import.meta.url, startNestReceiver);
