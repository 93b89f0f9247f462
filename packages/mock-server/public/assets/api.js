/** An error answer from the /v1 API: `code` to switch on, `details` to place beside fields. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ code?: string, message?: string, details?: { field: string, message: string }[] }} body
   */
  constructor(status, body) {
    super(body.message || `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code || 'unknown_error';
    this.details = Array.isArray(body.details) ? body.details : [];
  }
}

/**
 * A client for the mock server's /v1 API on the same origin.
 *
 * @param {{ apiKey: () => string | null, onUnauthorized: (error: ApiError) => void }} options
 */
export function createApi({ apiKey, onUnauthorized }) {
  async function request(method, path, body) {
    const headers = { accept: 'application/json', authorization: `Bearer ${apiKey() ?? ''}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, {
        code: 'network_error',
        message: 'The mock server cannot be reached. Is it still running?',
      });
    }
    if (response.status === 204) return null;
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    if (!response.ok) {
      const error = new ApiError(response.status, parsed ?? {});
      if (response.status === 401) onUnauthorized(error);
      throw error;
    }
    return parsed;
  }

  const id = encodeURIComponent;
  return {
    listWebhooks: () => request('GET', '/v1/webhooks').then((body) => body.data),
    createWebhook: (fields) => request('POST', '/v1/webhooks', fields),
    updateWebhook: (webhookId, changes) => request('PATCH', `/v1/webhooks/${id(webhookId)}`, changes),
    deleteWebhook: (webhookId) => request('DELETE', `/v1/webhooks/${id(webhookId)}`),
    sendTestEvent: (webhookId) => request('POST', `/v1/webhooks/${id(webhookId)}/test`, {}),
    /** Rotates the secret; the old one keeps signing for `grace_period_seconds`. */
    rotateSecret: (webhookId, body) => request('PUT', `/v1/webhooks/${id(webhookId)}/secret`, body),
    /** Queues every failed delivery made since `since` (ISO time) to send again: `{ resent }`. */
    recoverFailed: (webhookId, since) => request('POST', `/v1/webhooks/${id(webhookId)}/recover`, { since }),
    listDeliveries: (webhookId, limit) =>
      request('GET', `/v1/deliveries?webhook_id=${id(webhookId)}&limit=${limit}`).then((body) => body.data),
    retryDelivery: (deliveryId) => request('POST', `/v1/deliveries/${id(deliveryId)}/retry`, {}),
    /** One page of deliveries, newest first: `{ data, next_cursor }`; empty filters are left out. */
    listDeliveryPage: ({ status, type, cursor, limit }) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (status) query.set('status', status);
      if (type) query.set('type', type);
      if (cursor) query.set('cursor', cursor);
      return request('GET', `/v1/deliveries?${query}`);
    },
    getDelivery: (deliveryId) => request('GET', `/v1/deliveries/${id(deliveryId)}`),
  };
}
