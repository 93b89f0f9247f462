import type { ReceivedEvent } from '@caleida/verify';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
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
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
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
}
