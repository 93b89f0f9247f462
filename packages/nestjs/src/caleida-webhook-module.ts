import { createReceiver, resolveAdapterOptions } from '@caleida/verify';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { CaleidaEventExplorer } from './caleida-event-explorer.js';
import { type CaleidaWebhookModuleOptions, DEFAULT_WEBHOOK_PATH } from './caleida-webhook-module-options.js';
import { createWebhookController } from './create-webhook-controller.js';
import { installRawBodyHook } from './install-raw-body-hook.js';
import { CALEIDA_RAW_BODY_HOOK, CALEIDA_WEBHOOK_ROUTE } from './tokens.js';
import { WebhookRoute } from './webhook-route.js';

const PACKAGE = '@caleida/nestjs';

/**
 * A webhook route that verifies Caleida webhooks with `@caleida/verify` and runs the
 * `@OnCaleidaEvent()` methods of your providers. Every answer (200, duplicate 200, 400, 401, 405,
 * 409, 413, 415, 500) comes from the core, with its JSON body. Works on `@nestjs/platform-express`
 * and `@nestjs/platform-fastify`, with or without `rawBody: true`.
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: Nest's dynamic modules are classes with a static forRoot().
export class CaleidaWebhookModule {
  /**
   * @param options.secret the webhook secret, or several while rotating
   * @param options.path the route's path, default `/webhooks/caleida`
   * @param options.toleranceSeconds timestamp window, default 300
   * @param options.maxBodyBytes body limit, default 1 MiB
   * @param options.replayStore processed ids, default in-memory; `false` turns replay protection off
   * @param options.unknownEvents `'acknowledge'` (default) or `'reject'`
   * @throws TypeError for a bad option, when the module is declared
   * @example
   * @Module({
   *   imports: [CaleidaWebhookModule.forRoot({ secret: process.env.CALEIDA_WEBHOOK_SECRET! })],
   *   providers: [ChatEvents],
   * })
   * export class AppModule {}
   */
  static forRoot(options: CaleidaWebhookModuleOptions): DynamicModule {
    if (typeof options !== 'object' || options === null || 'receiver' in options) {
      throw new TypeError(
        `${PACKAGE}: pass the receiver's options, e.g. CaleidaWebhookModule.forRoot({ secret: process.env.CALEIDA_WEBHOOK_SECRET }); handlers are @OnCaleidaEvent() methods.`,
      );
    }
    const { path = DEFAULT_WEBHOOK_PATH, ...receiverOptions } = options;
    checkPath(path);
    // Checks the options now, so that a bad one fails where the module is declared.
    resolveAdapterOptions(receiverOptions, PACKAGE);
    const marker = { path };
    return {
      module: CaleidaWebhookModule,
      imports: [DiscoveryModule],
      controllers: [createWebhookController(path, marker)],
      providers: [
        // One receiver per app: apps made from the same module (as e2e tests do) share no handlers or ids.
        {
          provide: CALEIDA_WEBHOOK_ROUTE,
          useFactory: () => new WebhookRoute(createReceiver(receiverOptions), path, marker),
        },
        {
          provide: CALEIDA_RAW_BODY_HOOK,
          useFactory: installRawBodyHook,
          inject: [HttpAdapterHost, CALEIDA_WEBHOOK_ROUTE],
        },
        CaleidaEventExplorer,
      ],
    };
  }
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !/^\/[^?#\s]*$/.test(path) || (path.length > 1 && path.endsWith('/'))) {
    throw new TypeError(
      `${PACKAGE}: path must be a URL path starting with "/" and without a trailing slash, e.g. "/webhooks/caleida"; got ${JSON.stringify(path)}.`,
    );
  }
  return path;
}
