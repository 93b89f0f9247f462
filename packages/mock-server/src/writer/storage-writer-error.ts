/** Why the writer thread could not take a write. */
export type StorageWriterErrorCode = 'writer_stopped' | 'writer_closed';

/**
 * The writer thread is gone: it died (`writer_stopped`, see the log for why) or the server is
 * closing (`writer_closed`). Storage counts it as broken (`storageFailure()`), so a trigger answers
 * 503 `storage_unavailable` and attempt results stay in memory.
 */
export class StorageWriterError extends Error {
  override readonly name = 'StorageWriterError';
  readonly code: StorageWriterErrorCode;

  constructor(code: StorageWriterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
