/** Why a request got no HTTP answer at all (`invalid_response`: the answer was not HTTP). */
export type DeliveryErrorCode = 'unreachable' | 'timeout' | 'connection_reset' | 'invalid_response';

/**
 * A request that got no status code: the host could not be reached, it did not answer in time, it
 * closed the connection first, or what it sent back was not an HTTP response.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Turns a Node socket error into a `DeliveryError` that says, in words, what happened. */
export function toDeliveryError(error: unknown, url: URL): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE.has(code)) {
    const why =
      code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code;
    return new DeliveryError(
      'unreachable',
      `Cannot reach ${url.origin} (${why}); is your server running and listening on that host and port?`,
    );
  }
  return new DeliveryError(
    'connection_reset',
    `${url.origin} closed the connection without answering (${code || (error as Error).message}).`,
  );
}
