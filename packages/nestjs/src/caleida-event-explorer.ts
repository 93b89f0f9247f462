import type { ReceivedEvent } from '@caleida/verify';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CALEIDA_EVENT_HANDLER, type CaleidaEventHandlerMetadata } from './on-caleida-event.js';
import { CALEIDA_WEBHOOK_ROUTE } from './tokens.js';
import type { WebhookRoute } from './webhook-route.js';

/** Finds every `@OnCaleidaEvent()` provider method of the application and registers it on the route's receiver. */
@Injectable()
export class CaleidaEventExplorer implements OnModuleInit {
  @Inject(DiscoveryService) private readonly discovery!: DiscoveryService;
  @Inject(MetadataScanner) private readonly scanner!: MetadataScanner;
  @Inject(CALEIDA_WEBHOOK_ROUTE) private readonly route!: WebhookRoute;

  onModuleInit(): void {
    const { receiver } = this.route;
    const anyHandlers: ((event: ReceivedEvent) => unknown)[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const { instance } = wrapper;
      if (!wrapper.isDependencyTreeStatic()) {
        this.warnIfDecorated(wrapper.metatype, wrapper.name);
        continue;
      }
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') continue;
        const metadata = Reflect.getMetadata(CALEIDA_EVENT_HANDLER, method) as
          | CaleidaEventHandlerMetadata
          | undefined;
        if (!metadata) continue;
        const handler = (event: ReceivedEvent) => method.call(instance, event);
        if (metadata.types === '*') anyHandlers.push(handler);
        else receiver.on(metadata.types, handler as never);
      }
    }
    for (const handler of anyHandlers) receiver.onAny(async (event) => void (await handler(event)));
  }

  /** A request-scoped provider has no instance to call outside a request: say so instead of skipping it silently. */
  private warnIfDecorated(metatype: unknown, name: unknown): void {
    const prototype = (metatype as { prototype?: object } | undefined)?.prototype;
    if (!prototype) return;
    const decorated = this.scanner
      .getAllMethodNames(prototype)
      .some((method) =>
        Reflect.getMetadata(CALEIDA_EVENT_HANDLER, (prototype as Record<string, unknown>)[method] as object),
      );
    if (decorated) {
      new Logger('@caleida/nestjs').warn(
        `${String(name)} is request-scoped, so its @OnCaleidaEvent() methods never run; make it a singleton provider (the default scope).`,
      );
    }
  }
}
