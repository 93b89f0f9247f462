import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** The two HTTP platforms of Nest the module must work on. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A Nest app listening on 127.0.0.1 at an ephemeral port. */
export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Creates `module` on `platform` and listens for real, as `main.ts` would. */
export async function startNestApp(
  module: Type,
  platform: Platform,
  options: { rawBody?: boolean; globalPrefix?: string; logger?: LoggerService } = {},
): Promise<RunningApp> {
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(module, adapter, {
    logger: options.logger ?? false,
    rawBody: options.rawBody ?? false,
  });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
