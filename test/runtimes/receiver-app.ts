/**
 * The receiver every runtime test serves, written against Web APIs only so the same file runs in
 * Bun, Deno and workerd: the webhook route (the fetch handler of @caleida/verify/web), the same
 * route behind `request.json()`, and `/verify`, which runs verifyAsync() on a JSON description of a
 * request and answers its outcome, so a test can compare it with verify() on Node.
 */
import { createFetchHandler, createReceiver, verifyAsync } from '@caleida/verify/web';

/** What the test process hands each runtime. */
export interface ReceiverAppConfig {
  secret: string;
  maxBodyBytes: number;
  /** Reaches the test process: `/run` with an event (the route spy), `/log` with a logged line. */
  callTestProcess: (path: '/run' | '/log', body: string) => Promise<Response>;
}

/** The body `/verify` takes: verifyAsync()'s options, with `now` in Unix seconds. */
export interface VerifyCall {
  secret: string | string[];
  payload: string;
  headers: Record<string, string>;
  now?: number;
  toleranceSeconds?: number;
}

export const PLAIN_PATH = '/webhooks/caleida';
export const PARSED_PATH = '/parsed';
export const VERIFY_PATH = '/verify';

/** A fetch handler for the whole app. */
export function receiverApp({
  secret,
  maxBodyBytes,
  callTestProcess,
}: ReceiverAppConfig): (request: Request) => Promise<Response> {
  const logsInFlight: Promise<unknown>[] = [];
  const receiver = createReceiver({
    secret,
    maxBodyBytes,
    logger: { error: (line: string) => logsInFlight.push(callTestProcess('/log', line)) },
  }).onAny(async (event) => {
    const answer = await callTestProcess('/run', JSON.stringify(event));
    if (!answer.ok) throw new Error(`the route failed with ${answer.status}`);
  });
  const handleWebhook = createFetchHandler(receiver);

  const route = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === PLAIN_PATH) return handleWebhook(request);
    if (pathname === PARSED_PATH) {
      await request.json();
      return handleWebhook(request);
    }
    if (pathname === VERIFY_PATH) return Response.json(await outcomeOfVerify(await request.json()));
    return new Response('not found', { status: 404 });
  };

  return async function receiverAppHandler(request: Request): Promise<Response> {
    const response = await route(request);
    // A logged line must reach the test before the answer that caused it.
    await Promise.all(logsInFlight.splice(0));
    return response;
  };
}

async function outcomeOfVerify(call: VerifyCall): Promise<object> {
  try {
    const value = await verifyAsync({
      secret: call.secret,
      payload: call.payload,
      headers: call.headers,
      ...(call.now === undefined ? {} : { now: new Date(call.now * 1000) }),
      ...(call.toleranceSeconds === undefined ? {} : { toleranceSeconds: call.toleranceSeconds }),
    });
    return { value };
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    return { error: { name, code, message } };
  }
}
