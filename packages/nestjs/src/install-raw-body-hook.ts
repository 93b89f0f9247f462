import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { installExpressRawBodyHook } from './express-raw-body-hook.js';
import { installFastifyRawBodyHook } from './fastify-raw-body-hook.js';
import type { WebhookRoute } from './webhook-route.js';

/**
 * Installs the route's raw-body hook on the platform as soon as the app has one: at once in
 * `NestFactory.create()`, and in `Test.createTestingModule()` when `createNestApplication()` sets it.
 * Both come before `app.init()` adds the body parsers, so the hook sees the webhook request first,
 * whether the app was created with `rawBody: true` or not.
 */
export function installRawBodyHook(adapterHost: HttpAdapterHost, route: WebhookRoute): void {
  // init$ replays: it fires now if the adapter is already set.
  adapterHost.init$.subscribe(() => installOn(adapterHost.httpAdapter, route));
}

function installOn(httpAdapter: HttpAdapterHost['httpAdapter'] | undefined, route: WebhookRoute): void {
  // An application context without HTTP (NestFactory.createApplicationContext) has no route to guard.
  if (!httpAdapter) return;
  const platform = httpAdapter.getType();
  if (platform === 'express') installExpressRawBodyHook(httpAdapter.getInstance(), route);
  else if (platform === 'fastify') installFastifyRawBodyHook(httpAdapter.getInstance(), route);
  else {
    new Logger('@caleida/nestjs').warn(
      `No raw-body hook for the "${platform}" platform: create the app with { rawBody: true } so ${route.path} can verify signatures.`,
    );
  }
}
