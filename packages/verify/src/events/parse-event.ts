import type { z } from 'zod';
import { type PayloadIssue, PayloadValidationError } from '../errors/payload-validation-error.js';
import type { ParsedEvent } from './event.js';
import { isEventType } from './event-types.js';
import { envelopeSchema, eventSchemas } from './schemas.js';

/**
 * Parses and validates a body against the schema of its event type. Returns a typed event
 * (`event.type === 'message'` narrows `event.data`), or an `UnknownEvent` for a type this version
 * does not know. Throws `PayloadValidationError` with the path of each problem. Synchronous.
 *
 * Call it only on a verified body (or use `constructEvent()`, which does both).
 *
 * @example
 * const event = parseEvent(rawBody);
 * if (event.type === 'insight.sentiment') console.log(event.data.score);
 */
export function parseEvent(body: string | Uint8Array): ParsedEvent {
  const json = parseJson(body);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new PayloadValidationError(
      'invalid_payload',
      'The body must be a JSON object: { "type": ..., "timestamp": ..., "data": { ... } }.',
      [{ path: [], message: 'expected an object' }],
    );
  }
  const type = (json as { type?: unknown }).type;
  if (isEventType(type)) {
    const result = eventSchemas[type].safeParse(json);
    if (result.success) return result.data;
    throw invalidPayload(`The ${type} event does not match its schema`, result.error);
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) throw invalidPayload('The body is not a Caleida event envelope', result.error);
  return {
    type: 'unknown',
    receivedType: result.data.type,
    timestamp: result.data.timestamp,
    data: result.data.data,
  };
}

// One pass that decodes and rejects invalid UTF-8, instead of a check and then a decode.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseJson(body: string | Uint8Array): unknown {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new PayloadValidationError(
        'invalid_utf8',
        'The body is not valid UTF-8; Caleida sends UTF-8 JSON.',
      );
    }
  }
  if (text.length === 0)
    throw new PayloadValidationError('empty_body', 'The body is empty; expected a JSON event.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PayloadValidationError(
      'invalid_json',
      `The body is not valid JSON: ${(error as Error).message}.`,
    );
  }
}

function invalidPayload(prefix: string, error: z.ZodError): PayloadValidationError {
  const issues: PayloadIssue[] = error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
  }));
  const detail = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return new PayloadValidationError('invalid_payload', `${prefix}: ${detail}.`, issues);
}
