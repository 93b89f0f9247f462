import type { EventType, ReceivedEventOf } from '@caleida/verify';
import { SetMetadata } from '@nestjs/common';

/** Metadata key under which `@OnCaleidaEvent()` records the event types of a provider method. */
export const CALEIDA_EVENT_HANDLER = 'caleida:event-handler';

/** What `@OnCaleidaEvent()` records: the types to run for, or `'*'` for every event. */
export interface CaleidaEventHandlerMetadata {
  types: readonly (EventType | 'unknown')[] | '*';
}

/** A method that takes the event (or nothing); only its parameter is checked. */
type HandlerDescriptor<T extends EventType | 'unknown'> = { value?: (event: ReceivedEventOf<T>) => unknown };

/**
 * Runs the decorated provider method for every verified event of this type (or these types). A
 * method that throws (or rejects) answers 500, so Caleida retries the event.
 *
 * @param type an event type, `'unknown'` for types this version does not know, or a list of them
 * @example
 * @Injectable()
 * export class ChatEvents {
 *   @OnCaleidaEvent('message')
 *   async onMessage(event: ReceivedEventOf<'message'>) {
 *     await this.messages.save(event.data);
 *   }
 * }
 */
export function OnCaleidaEvent<T extends EventType | 'unknown'>(
  type: T | readonly T[],
): (target: object, key: string | symbol, descriptor: HandlerDescriptor<T>) => void {
  const types = typeof type === 'string' ? [type] : [...type];
  if (types.length === 0 || types.some((each) => typeof each !== 'string')) {
    throw new TypeError(
      "@caleida/nestjs: @OnCaleidaEvent() takes an event type or a list of them, e.g. @OnCaleidaEvent('message').",
    );
  }
  return SetMetadata(CALEIDA_EVENT_HANDLER, { types } satisfies CaleidaEventHandlerMetadata);
}

/**
 * Runs the decorated provider method for every verified event, unknown types included, after the
 * `@OnCaleidaEvent()` methods of its type.
 *
 * @example
 * @OnAnyCaleidaEvent()
 * audit(event: ReceivedEvent) { this.log.info(`${event.type} ${event.id}`); }
 */
export function OnAnyCaleidaEvent(): MethodDecorator {
  return SetMetadata(CALEIDA_EVENT_HANDLER, { types: '*' } satisfies CaleidaEventHandlerMetadata);
}
