import { type Dispatcher, request } from 'undici';
import { parseRetryAfter } from './parse-retry-after.js';

/** Longest part of a response body kept in the attempt log. */
export const RESPONSE_EXCERPT_BYTES = 4096;

/** What one HTTP call returned. */
export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  /** From `Retry-After`, when the response carried one. */
  retryAfterMs: number | null;
  durationMs: number;
}

/** What `sendAttempt()` needs. */
export interface SendAttemptOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** undici dispatcher (an `Agent`) holding the keep-alive connections. */
  dispatcher: Dispatcher;
  /** Attempts in progress, so a shutdown can abort them. */
  inFlight?: Set<AbortController>;
}

/**
 * POSTs one signed body with undici and resolves with what happened; never rejects. Redirects are
 * not followed (undici's `request` only follows them with a redirect interceptor, which we do not
 * add), so a 3xx is just a status code to the caller.
 */
export async function sendAttempt({
  url,
  headers,
  body,
  timeoutMs,
  dispatcher,
  inFlight,
}: SendAttemptOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
  const controller = new AbortController();
  let timedOut = false;
  // One limit on the whole attempt (connect, headers and body), not undici's per-phase timeouts.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  inFlight?.add(controller);
  try {
    const response = await request(url, {
      method: 'POST',
      headers,
      body,
      dispatcher,
      signal: controller.signal,
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    // Read to the end so the connection can be reused, keeping only the start.
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (kept >= RESPONSE_EXCERPT_BYTES) continue;
      const slice = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
      chunks.push(slice);
      kept += slice.length;
    }
    const retryAfter = response.headers['retry-after'];
    return {
      statusCode: response.statusCode,
      error: null,
      responseExcerpt: kept > 0 ? Buffer.concat(chunks).toString('utf8') : null,
      retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
      durationMs: elapsed(),
    };
  } catch (error) {
    const message = timedOut ? `timed out after ${timeoutMs} ms` : describe(error as NodeJS.ErrnoException);
    return {
      statusCode: null,
      error: message,
      responseExcerpt: null,
      retryAfterMs: null,
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    inFlight?.delete(controller);
  }
}

function describe(error: NodeJS.ErrnoException): string {
  // undici wraps socket errors; the errno code (ECONNREFUSED, ...) sits on the cause.
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  const code = error.code && !error.code.startsWith('UND_ERR') ? error.code : (cause?.code ?? error.code);
  const message = cause?.message && cause.code === code ? cause.message : error.message;
  return code ? `${code}: ${message}` : message;
}
