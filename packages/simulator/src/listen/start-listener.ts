import { appendFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, getHeader } from '@caleida/verify';
import type { EventTypePattern } from './event-type-pattern.js';
import { forwardRequest } from './forward-request.js';
import type { ForwardRoute } from './parse-forward-routes.js';

/** One request the listener got, as it reports it. */
export interface ListenedEvent {
  /** Whether the signature was checked and valid; `null` when no secret was given. */
  verified: boolean | null;
  /** The status answered. */
  status: number;
  id?: string;
  type?: string;
  timestamp?: string;
  /** The `webhook-timestamp` of this attempt, in Unix seconds. */
  webhookTimestamp?: number;
  data?: unknown;
  /** Why it was refused (or could not be read). */
  error?: string;
  duplicate?: boolean;
  /** Acknowledged with a 2xx but not matched by `events`: not forwarded or recorded. */
  ignored?: boolean;
  /** Where it was forwarded, if it was. */
  forwardedTo?: string;
}

/** Options of `startListener()`. */
export interface ListenerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Verify with this secret; without one, events are shown unverified. */
  secret?: string;
  /** Append `{id, type, timestamp, data}` per accepted event to this JSON-lines file. */
  recordPath?: string;
  /** Forward every request, exact bytes and headers, to this URL and answer with its response. */
  forwardTo?: URL;
  /** Per-type targets, tried in order before `forwardTo`: the first whose glob matches the type wins. */
  routes?: readonly ForwardRoute[];
  /**
   * Only events whose type matches one of these are forwarded, recorded and reported as such; the
   * others are answered 2xx and reported with `ignored: true`. Default: every type.
   */
  events?: readonly EventTypePattern[];
  timeoutMs?: number;
  onEvent?: (event: ListenedEvent) => void;
}

/** A running listener. */
export interface Listener {
  url: string;
  close(): Promise<void>;
}

/** Largest body read when no secret (and so no receiver limit) applies. */
const MAX_UNVERIFIED_BYTES = 8 * 1024 * 1024;

/**
 * Starts a local webhook receiver that verifies (with `createReceiver` when a secret is given),
 * reports, records and optionally forwards every request.
 *
 * @example
 * const listener = await startListener({ port: 0, secret, onEvent: console.log });
 */
export async function startListener({
  port,
  host = '127.0.0.1',
  secret,
  recordPath,
  forwardTo,
  routes = [],
  events: patterns,
  timeoutMs = 10_000,
  onEvent = () => {},
}: ListenerOptions): Promise<Listener> {
  const receiver = secret ? createReceiver({ secret, logger: { error: () => {} } }) : undefined;
  const maxBytes = receiver ? receiver.options.maxBodyBytes + 1 : MAX_UNVERIFIED_BYTES;

  const record = (event: ListenedEvent) => {
    if (!recordPath || event.type === undefined) return;
    const { id, type, timestamp, data } = event;
    appendFileSync(recordPath, `${JSON.stringify({ id, type, timestamp, data })}\n`);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request, maxBytes);
    const method = request.method ?? 'GET';
    const webhookTimestamp = Number(getHeader(request.headers, 'webhook-timestamp')) || undefined;
    let event: ListenedEvent;
    let answer = {
      status: 200,
      headers: { 'content-type': 'application/json' } as Record<string, string>,
      body: '',
    };

    if (receiver) {
      const admission = await receiver.admit({ method, headers: request.headers, body });
      if (admission.accepted) {
        const { id, type, timestamp, data } = admission.event;
        const name = type === 'unknown' ? admission.event.receivedType : type;
        event = {
          verified: true,
          status: 200,
          id,
          type: name,
          timestamp,
          data,
          ...(webhookTimestamp ? { webhookTimestamp } : {}),
        };
        answer.body = JSON.stringify({ received: true, id, type: name });
        await admission.settle(true);
      } else {
        const parsed = safeJson(admission.response.body) as
          | { message?: string; duplicate?: boolean }
          | undefined;
        event = {
          verified: Boolean(parsed?.duplicate),
          status: admission.response.status,
          ...(getHeader(request.headers, 'webhook-id')
            ? { id: getHeader(request.headers, 'webhook-id') }
            : {}),
          ...(parsed?.duplicate ? { duplicate: true } : { error: parsed?.message ?? 'refused' }),
        };
        answer = {
          status: admission.response.status,
          headers: admission.response.headers,
          body: admission.response.body,
        };
      }
    } else {
      const parsed = safeJson(body.toString('utf8')) as
        | { type?: unknown; timestamp?: unknown; data?: unknown }
        | undefined;
      const id = getHeader(request.headers, 'webhook-id');
      event =
        parsed && typeof parsed.type === 'string'
          ? {
              verified: null,
              status: 200,
              ...(id ? { id } : {}),
              type: parsed.type,
              ...(typeof parsed.timestamp === 'string' ? { timestamp: parsed.timestamp } : {}),
              data: parsed.data,
              ...(webhookTimestamp ? { webhookTimestamp } : {}),
            }
          : { verified: null, status: 200, error: 'the body is not a Caleida event (no JSON with a "type")' };
      answer.body = JSON.stringify({ received: true, ...(id ? { id } : {}) });
    }

    // A refused request has no verified type; the type its body claims still picks its route.
    const type = event.type ?? claimedType(body);
    if (patterns && type !== undefined && event.status < 300 && !patterns.some((p) => p.matches(type))) {
      event.ignored = true;
      onEvent(event);
      response.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    const target =
      (type === undefined ? undefined : routes.find((route) => route.types.matches(type))?.url) ?? forwardTo;
    if (target) {
      event.forwardedTo = target.href;
      try {
        const forwarded = await forwardRequest(target, method, request.headers, body, timeoutMs);
        answer = {
          status: forwarded.status,
          headers: { 'content-type': 'application/json' },
          body: forwarded.body,
        };
        event.status = forwarded.status;
      } catch (error) {
        answer = {
          status: 502,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: (error as Error).message }),
        };
        event.status = 502;
        event.error = `forwarding failed: ${(error as Error).message}`;
      }
    }
    if (event.verified !== false && !event.duplicate) record(event);
    onEvent(event);
    response.writeHead(answer.status, answer.headers).end(answer.body);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      onEvent({ verified: null, status: 500, error: error.message });
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Past the limit the receiver refuses it anyway: keep draining so the answer can still be sent.
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function claimedType(body: Buffer): string | undefined {
  const type = (safeJson(body.toString('utf8')) as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
