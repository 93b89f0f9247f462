import { createReceiver, type Receiver } from '../receiver/create-receiver.js';
import type { ReceiverOptions } from '../receiver/receiver-types.js';
import type { LambdaHttpEvent, LambdaHttpResult } from './lambda-http-event.js';

/**
 * An AWS Lambda handler for API Gateway REST APIs (payload 1.0), HTTP APIs (payload 2.0) and
 * function URLs: decodes base64 bodies, reads headers in any case, and answers with the receiver's
 * status and JSON body. Pass a receiver with handlers, or options to make one.
 *
 * @throws TypeError when invoked with an event that is not an HTTP event (no method in it)
 * @example
 * const receiver = createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET! }).on('chat', saveChat);
 * export const handler = createLambdaHandler(receiver);
 */
export function createLambdaHandler(
  receiverOrOptions: Receiver | ReceiverOptions,
): (event: LambdaHttpEvent) => Promise<LambdaHttpResult> {
  const receiver = 'handle' in receiverOrOptions ? receiverOrOptions : createReceiver(receiverOrOptions);
  return async function caleidaLambdaHandler(event: LambdaHttpEvent): Promise<LambdaHttpResult> {
    const method = event?.requestContext?.http?.method ?? event?.httpMethod;
    if (typeof method !== 'string') {
      throw new TypeError(
        '@caleida/verify: createLambdaHandler() takes API Gateway (REST or HTTP API) and function URL events, and this event has neither httpMethod nor requestContext.http.method; trigger the function through one of those.',
      );
    }
    const { body = null, isBase64Encoded = false } = event;
    const response = await receiver.handle({
      method,
      headers: lowerCaseHeaders(event),
      body: body === null ? undefined : isBase64Encoded ? Buffer.from(body, 'base64') : body,
      source: 'node',
    });
    return {
      statusCode: response.status,
      headers: response.headers,
      body: response.body,
      isBase64Encoded: false,
    };
  };
}

/** Payload 1.0 keeps the sender's case and every value in multiValueHeaders; 2.0 is lower-case. */
function lowerCaseHeaders({
  headers,
  multiValueHeaders,
}: LambdaHttpEvent): Record<string, string | string[]> {
  const lowered: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) lowered[name.toLowerCase()] = value;
  }
  for (const [name, values] of Object.entries(multiValueHeaders ?? {})) {
    if (values !== undefined && values.length > 0) lowered[name.toLowerCase()] = values;
  }
  return lowered;
}
