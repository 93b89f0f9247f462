import type { EventType } from '@caleida/verify';

/** A webhook as the registry API returns it. */
export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  status: 'active' | 'disabled';
}

/** A delivery as the registry API returns it. */
export interface Delivery {
  id: string;
  event_id: string;
  webhook_id: string;
  event_type: string;
  status: 'pending' | 'in_flight' | 'succeeded' | 'failed' | 'cancelled';
  attempts: { number: number; status_code: number | null; error: string | null }[];
}

/** A small client for the mock server's /v1 API, as a CI pipeline would write one. */
export function mockApi(url: string, apiKey: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return {
    addWebhook: (webhook: { name: string; url: string; secret: string; events: readonly EventType[] }) =>
      call<Webhook>('POST', '/v1/webhooks', webhook),
    editWebhook: (id: string, changes: Partial<{ url: string; secret: string; events: EventType[] }>) =>
      call<Webhook>('PATCH', `/v1/webhooks/${id}`, changes),
    deleteWebhook: (id: string) => call<void>('DELETE', `/v1/webhooks/${id}`),
    trigger: async (type: EventType, data?: unknown) =>
      (
        await call<{ event: { id: string } }>('POST', '/v1/events', {
          type,
          ...(data === undefined ? {} : { data }),
        })
      ).event.id,
    deliveries: async (query: Record<string, string>) =>
      (
        await call<{ data: Delivery[] }>(
          'GET',
          `/v1/deliveries?${new URLSearchParams({ limit: '1000', ...query })}`,
        )
      ).data,
  };
}

export type MockApi = ReturnType<typeof mockApi>;
