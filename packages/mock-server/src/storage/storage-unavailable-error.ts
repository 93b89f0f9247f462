import type { StorageFailure } from './storage-failure.js';

/**
 * Storage could not take a write in time: `busy` (locked by another connection past the retries)
 * or `broken` (disk full, I/O error, corrupt page). Nothing of the write was kept.
 *
 * @example
 * catch (error) { if (error instanceof StorageUnavailableError) reply.header('retry-after', '1'); }
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  readonly code: StorageFailure;

  constructor(code: StorageFailure, cause: unknown) {
    super(
      code === 'busy'
        ? 'The mock server could not store the event: its database is locked by another connection; try again in a moment.'
        : `The mock server could not store the event: its database failed (${(cause as Error).message}); see its log.`,
      { cause },
    );
    this.code = code;
  }
}
