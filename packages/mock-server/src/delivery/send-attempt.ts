import type { Dispatcher } from 'undici';
import { AddressRefusedError } from '../webhooks/address-refused-error.js';
import type { AttemptDeadlines } from './attempt-deadlines.js';
import { parseRetryAfter } from './parse-retry-after.js';

/** Longest part of a response body kept in the attempt log. */
export const RESPONSE_EXCERPT_BYTES = 4096;

/** What one HTTP call returned. */
export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  /** True when the response body was longer than `responseExcerpt` (cut at `RESPONSE_EXCERPT_BYTES`). */
  responseTruncated: boolean;
  /** The headers sent, exactly as handed to undici (which adds `host`, `content-length`, `connection`). */
  requestHeaders: Record<string, string>;
  /** The response's headers as undici parsed them; null when no response arrived. */
  responseHeaders: ResponseHeaders | null;
  /** Milliseconds from the start until the response's status and headers arrived; null without a response. */
  firstByteMs: number | null;
  /** From `Retry-After`, when the response carried one. */
  retryAfterMs: number | null;
  durationMs: number;
  /**
   * True when the webhook's address is one the mock server refuses (see `createGuardedAgent()`):
   * nothing was sent, and sending again would be refused again.
   */
  addressRefused?: boolean;
}

/** Response headers by lower-case name; a repeated header is a list. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What `sendAttempt()` needs. */
export interface SendAttemptOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** undici dispatcher (an `Agent`) holding the keep-alive connections. */
  dispatcher: Dispatcher;
  /** Times the attempt out (one limit on the whole attempt: connect, headers and body) and lets a shutdown abort it. */
  deadlines: AttemptDeadlines;
}

/**
 * POSTs one signed body with undici and resolves with what happened; never rejects. Uses undici's
 * low-level `dispatch()` with a handler of callbacks (no streams, no AbortSignal per attempt), which
 * costs far less CPU per request than `request()`. Redirects are not followed (dispatch never
 * follows them), so a 3xx is just a status code to the caller.
 */
export function sendAttempt({
  url,
  headers,
  body,
  dispatcher,
  deadlines,
}: SendAttemptOptions): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const { origin, path } = target(url);
    const attempt = new Attempt(resolve, headers);
    deadlines.track(attempt);
    dispatcher.dispatch({ origin, path, method: 'POST', headers, body }, attempt);
  });
}

/** One attempt in progress: the undici handler and what `AttemptDeadlines` can abort. */
class Attempt implements Dispatcher.DispatchHandler {
  readonly started = performance.now();
  done = false;
  private controller: Dispatcher.DispatchController | undefined;
  private abortedWith: Error | undefined;
  private statusCode: number | null = null;
  private retryAfter: string | undefined;
  private responseHeaders: ResponseHeaders | null = null;
  private firstByteMs: number | null = null;
  private chunks: Buffer[] = [];
  private kept = 0;
  private truncated = false;

  constructor(
    private readonly resolve: (result: AttemptResult) => void,
    private readonly requestHeaders: Record<string, string>,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Aborted while it waited for a connection: never send it.
    if (this.abortedWith) controller.abort(this.abortedWith);
    else this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx informational answers come before the real one.
    if (statusCode < 200) return;
    this.statusCode = statusCode;
    this.firstByteMs = this.elapsed();
    this.responseHeaders = headers;
    const retryAfter = headers['retry-after'];
    this.retryAfter = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // Read to the end so the connection can be reused, keeping only the start.
    if (this.kept >= RESPONSE_EXCERPT_BYTES) {
      this.truncated = true;
      return;
    }
    if (chunk.length > RESPONSE_EXCERPT_BYTES - this.kept) this.truncated = true;
    const slice = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - this.kept);
    this.chunks.push(slice);
    this.kept += slice.length;
  }

  onResponseEnd(): void {
    if (this.done) return;
    const { kept, chunks } = this;
    this.finish({
      statusCode: this.statusCode,
      error: null,
      responseExcerpt:
        kept === 0
          ? null
          : (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8'),
      responseTruncated: this.truncated,
      requestHeaders: this.requestHeaders,
      responseHeaders: this.responseHeaders,
      firstByteMs: this.firstByteMs,
      retryAfterMs: parseRetryAfter(this.retryAfter),
      durationMs: this.elapsed(),
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    if (error instanceof AddressRefusedError) {
      this.finish({ ...this.failure(error.message), addressRefused: true });
      return;
    }
    this.finish(this.failure(describe(error as NodeJS.ErrnoException)));
  }

  /** Ends the attempt now with `reason` as its error, and the request with it. */
  abort(reason: Error): void {
    if (this.done) return;
    this.abortedWith = reason;
    this.finish(this.failure(reason.message));
    this.controller?.abort(reason);
  }

  private finish(result: AttemptResult): void {
    this.done = true;
    this.chunks = [];
    this.resolve(result);
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 100) / 100;
  }

  /** No answer to show: whatever part of a response came before the failure is dropped. */
  private failure(error: string): AttemptResult {
    return {
      statusCode: null,
      error,
      responseExcerpt: null,
      responseTruncated: false,
      requestHeaders: this.requestHeaders,
      responseHeaders: null,
      firstByteMs: null,
      retryAfterMs: null,
      durationMs: this.elapsed(),
    };
  }
}

// Webhook URLs are few and sent to over and over: parse each once.
const targets = new Map<string, { origin: string; path: string }>();
const MAX_TARGETS = 1000;

function target(url: string): { origin: string; path: string } {
  let found = targets.get(url);
  if (!found) {
    const parsed = new URL(url);
    found = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, found);
  }
  return found;
}

function describe(error: NodeJS.ErrnoException): string {
  // undici wraps socket errors; the errno code (ECONNREFUSED, ...) sits on the cause.
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  const code = error.code && !error.code.startsWith('UND_ERR') ? error.code : (cause?.code ?? error.code);
  const message = cause?.message && cause.code === code ? cause.message : error.message;
  return code ? `${code}: ${message}` : message;
}
