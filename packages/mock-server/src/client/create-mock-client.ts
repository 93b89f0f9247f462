import type { EventType } from '@caleida/verify';
import type { ApiErrorCode, FieldIssue } from '../api/api-error.js';
import type { API_ROUTES } from '../api/api-routes.js';
import type { RouteRequest, RouteResponse } from '../api/define-route.js';
import type { DeliveryStatus } from '../storage/delivery-store.js';
import { MockApiError } from './mock-api-error.js';
import { WaitTimeoutError } from './wait-timeout-error.js';

type Routes = typeof API_ROUTES;
type Body<N extends keyof Routes> = RouteRequest<Routes[N]>['body'];
type Answer<N extends keyof Routes> = RouteResponse<Routes[N]>;

/** A webhook as the API shows it. */
export type Webhook = Answer<'getWebhook'>;
/** An event as the API shows it. */
export type MockEvent = Answer<'getEvent'>;
/** A delivery with its attempts, as lists show it. */
export type Delivery = Answer<'retryDelivery'>;
/** A delivery with every attempt in full. */
export type DeliveryDetail = Answer<'getDelivery'>;
/** What a trigger answers: the event and one delivery per webhook. */
export type TriggeredEvent = Answer<'triggerEvent'>;

/** Options of `createMockClient()`. */
export interface MockClientOptions {
  /** The mock server's base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The API key the server printed at start. */
  apiKey: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** Filters of `client.deliveries.list()`. */
export interface DeliveryListOptions {
  status?: DeliveryStatus;
  webhookId?: string;
  eventId?: string;
  /** The event type. */
  type?: EventType;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

/** What `client.deliveries.waitFor()` waits for: an event's or a webhook's deliveries. */
export type WaitForOptions = (
  | { eventId: string; webhookId?: string }
  | { webhookId: string; eventId?: string }
) & {
  /** Default `succeeded`. */
  status?: DeliveryStatus;
  /** How many deliveries must be in `status`; default 1. */
  count?: number;
  /** Default 30 000 ms; may exceed the server's 60 s cap (the client asks again). */
  timeoutMs?: number;
};

/** Longest one long-poll asks the server to wait. */
const SERVER_MAX_WAIT_MS = 60_000;

/**
 * A typed client for the mock server's API: every request and answer type comes from the zod
 * schemas the server validates with. It imports nothing server-side and needs only `fetch`.
 *
 * @example
 * const client = createMockClient({ url: server.url, apiKey: server.apiKey });
 * const { event } = await client.events.trigger('message', {});
 * await client.deliveries.waitFor({ eventId: event.id, count: 1, timeoutMs: 5000 });
 */
export function createMockClient(options: MockClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new Error(
        `Could not reach the mock server at ${url} (${(error as Error).message}); is it running, and is the URL right?`,
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new MockApiError(
        response.status,
        'internal_error',
        `${method} ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      );
    }
    if (!response.ok) {
      const error = (parsed ?? {}) as { code?: ApiErrorCode; message?: string; details?: FieldIssue[] };
      throw new MockApiError(
        response.status,
        error.code ?? 'internal_error',
        error.message ?? `${method} ${url} answered ${response.status}`,
        error.details,
      );
    }
    return parsed as T;
  }

  const id = (value: string) => encodeURIComponent(value);
  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) search.set(key, String(value));
    const text = search.toString();
    return text ? `?${text}` : '';
  };

  return {
    webhooks: {
      /** Adds a webhook. */
      create: (body: Body<'createWebhook'>) => call<Webhook>('POST', '/v1/webhooks', body),
      get: (webhookId: string) => call<Webhook>('GET', `/v1/webhooks/${id(webhookId)}`),
      /** Changes any field; `status: 'active'` re-enables a disabled webhook. */
      update: (webhookId: string, body: Body<'updateWebhook'>) =>
        call<Webhook>('PATCH', `/v1/webhooks/${id(webhookId)}`, body),
      delete: async (webhookId: string): Promise<void> => {
        await call<undefined>('DELETE', `/v1/webhooks/${id(webhookId)}`);
      },
      list: async (): Promise<Webhook[]> => (await call<Answer<'listWebhooks'>>('GET', '/v1/webhooks')).data,
      /** The secret itself. */
      secret: async (webhookId: string): Promise<string> =>
        (await call<Answer<'getWebhookSecret'>>('GET', `/v1/webhooks/${id(webhookId)}/secret`)).secret,
      /** Rotates the secret; the previous one keeps signing for `grace_period_seconds`. */
      rotateSecret: (webhookId: string, body: Body<'rotateWebhookSecret'> = {}) =>
        call<Webhook>('PUT', `/v1/webhooks/${id(webhookId)}/secret`, body),
      /** Sends again every delivery of the webhook that failed since `since`. */
      recover: (webhookId: string, body: Body<'recoverWebhook'>) =>
        call<Answer<'recoverWebhook'>>('POST', `/v1/webhooks/${id(webhookId)}/recover`, body),
    },
    events: {
      /** Makes an event occur; without `data` a realistic example is generated, and partial `data` fills in the rest of one. */
      trigger: (type: EventType, input: Omit<Body<'triggerEvent'>, 'type'> = {}) =>
        call<TriggeredEvent>('POST', '/v1/events', { type, ...input }),
      get: (eventId: string) => call<MockEvent>('GET', `/v1/events/${id(eventId)}`),
      list: async (filter: { type?: EventType; limit?: number } = {}): Promise<MockEvent[]> =>
        (await call<Answer<'listEvents'>>('GET', `/v1/events${query(filter)}`)).data,
    },
    deliveries: {
      /** A page of deliveries, newest first; pass `next_cursor` as `cursor` for the next (null at the end). */
      list: (filter: DeliveryListOptions = {}) =>
        call<Answer<'listDeliveries'>>(
          'GET',
          `/v1/deliveries${query({
            status: filter.status,
            type: filter.type,
            webhook_id: filter.webhookId,
            event_id: filter.eventId,
            cursor: filter.cursor,
            limit: filter.limit,
          })}`,
        ),
      get: (deliveryId: string) => call<DeliveryDetail>('GET', `/v1/deliveries/${id(deliveryId)}`),
      /** Sends a delivery again now. */
      retry: (deliveryId: string) => call<Delivery>('POST', `/v1/deliveries/${id(deliveryId)}/retry`),
      /**
       * Resolves with the deliveries once `count` of them are in `status` (the server answers as soon
       * as they are: no polling), or rejects with a `WaitTimeoutError` listing what did arrive.
       */
      waitFor: async (wait: WaitForOptions): Promise<Delivery[]> => {
        const status = wait.status ?? 'succeeded';
        const count = wait.count ?? 1;
        const timeoutMs = wait.timeoutMs ?? 30_000;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const left = Math.max(0, deadline - Date.now());
          const answer = await call<Answer<'waitForDeliveries'>>(
            'GET',
            `/v1/deliveries/wait${query({ event_id: wait.eventId, webhook_id: wait.webhookId, status, count, timeout_ms: Math.min(left, SERVER_MAX_WAIT_MS) })}`,
          );
          if (!answer.timed_out) return answer.data;
          if (Date.now() >= deadline) {
            const whose = [
              wait.eventId && `event ${wait.eventId}`,
              wait.webhookId && `webhook ${wait.webhookId}`,
            ]
              .filter(Boolean)
              .join(' and ');
            throw new WaitTimeoutError(`${count} ${status} deliveries of ${whose}`, timeoutMs, answer.data);
          }
        }
      },
    },
  };
}

/** The client `createMockClient()` returns. */
export type MockClient = ReturnType<typeof createMockClient>;
