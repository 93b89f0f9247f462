import http from 'node:http';
import https from 'node:https';
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
  agents: { http: http.Agent; https: https.Agent };
  /** Requests in progress, so a shutdown can abort them. */
  inFlight?: Set<http.ClientRequest>;
}

/**
 * POSTs one signed body and resolves with what happened; never rejects. Redirects are not followed
 * (a 3xx is just a status code to the caller).
 */
export function sendAttempt({
  url,
  headers,
  body,
  timeoutMs,
  agents,
  inFlight,
}: SendAttemptOptions): Promise<AttemptResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Math.round((performance.now() - started) * 100) / 100 });
    };
    const fail = (error: string): void =>
      finish({ statusCode: null, error, responseExcerpt: null, retryAfterMs: null });

    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const payload = Buffer.from(body);
    const request = (secure ? https : http).request(target, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...headers, 'content-length': String(payload.length) },
    });
    inFlight?.add(request);
    request.on('close', () => inFlight?.delete(request));
    const timer = setTimeout(() => {
      fail(`timed out after ${timeoutMs} ms`);
      request.destroy();
    }, timeoutMs);

    request.on('error', (error: NodeJS.ErrnoException) => fail(describe(error)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (kept >= RESPONSE_EXCERPT_BYTES) return;
        const slice = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
        chunks.push(slice);
        kept += slice.length;
      });
      response.on('error', (error: NodeJS.ErrnoException) => fail(describe(error)));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        finish({
          statusCode: response.statusCode ?? null,
          error: null,
          responseExcerpt: kept > 0 ? Buffer.concat(chunks).toString('utf8') : null,
          retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
        });
      });
    });
    request.end(payload);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
