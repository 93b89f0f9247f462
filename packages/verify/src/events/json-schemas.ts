import { z } from 'zod';
import type { EventType } from './event-types.js';
import { EVENT_TYPES } from './event-types.js';
import { eventSchemas } from './schemas.js';

/**
 * The JSON Schema (draft 2020-12) of each event's whole body, generated from the same zod schemas
 * that validate at run time. Published as `@caleida/verify/schemas/<type>.json`.
 */
export function eventJsonSchemas(): Record<EventType, Record<string, unknown>> {
  const schemas = {} as Record<EventType, Record<string, unknown>>;
  for (const type of EVENT_TYPES) {
    schemas[type] = {
      $id: `https://caleida.ai/schemas/webhooks/${type}.json`,
      title: `Caleida ${type} event`,
      ...z.toJSONSchema(eventSchemas[type], { io: 'input' }),
    };
  }
  return schemas;
}
