/** What `load` needs from an HTTP/1.x response head, read straight from the bytes. */
export interface ResponseHead {
  status: number;
  /** Where the body starts: just after the blank line that ends the head. */
  bodyStart: number;
  /** The content-length header's value, or -1 when there is none. */
  contentLength: number;
  /** True when the body is sent with transfer-encoding: chunked. */
  chunked: boolean;
  /** True when the server said connection: close. */
  close: boolean;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const ZERO = 48;
const STATUS_LINE_START = 'HTTP/1.';

/**
 * Reads the status and the body's framing from the response head at the start of `bytes`, without
 * turning the head into a string: `undefined` while the head is incomplete, `null` when the bytes
 * are not an HTTP/1.x response. Header names are matched without regard to case.
 *
 * @example
 * readResponseHead(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
 * // { status: 200, bodyStart: 38, contentLength: 2, chunked: false, close: false }
 */
export function readResponseHead(bytes: Buffer): ResponseHead | null | undefined {
  const length = bytes.length;
  // "HTTP/1.1 200": a status line shorter than that cannot be judged yet.
  for (let at = 0; at < STATUS_LINE_START.length && at < length; at++) {
    if (bytes[at] !== STATUS_LINE_START.charCodeAt(at)) return null;
  }
  if (length < 12) return undefined;
  const status = digit(bytes[9]) * 100 + digit(bytes[10]) * 10 + digit(bytes[11]);
  if (bytes[8] !== SPACE || !(status >= 100 && status <= 999)) return null;
  let contentLength = -1;
  let chunked = false;
  let close = false;
  let lineStart = bytes.indexOf(LF, 12) + 1;
  if (lineStart === 0) return undefined;
  for (;;) {
    const lineEnd = bytes.indexOf(LF, lineStart);
    if (lineEnd < 0) return undefined;
    const valueEnd = bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (valueEnd === lineStart) {
      return { status, bodyStart: lineEnd + 1, contentLength, chunked, close };
    }
    if (hasName(bytes, lineStart, valueEnd, 'content-length:')) {
      contentLength = readNumber(bytes, lineStart + 15, valueEnd);
      if (contentLength < 0) return null;
    } else if (hasName(bytes, lineStart, valueEnd, 'transfer-encoding:')) {
      chunked = valueHas(bytes, lineStart + 18, valueEnd, 'chunked');
    } else if (hasName(bytes, lineStart, valueEnd, 'connection:')) {
      close = valueHas(bytes, lineStart + 11, valueEnd, 'close');
    }
    lineStart = lineEnd + 1;
  }
}

/** A decimal digit's value, or NaN (which fails every range check) for any other byte. */
function digit(byte: number | undefined): number {
  return byte !== undefined && byte >= ZERO && byte <= ZERO + 9 ? byte - ZERO : Number.NaN;
}

/** Whether the line at `start` begins with `name` (lower case, ending in ':'), in any case. */
function hasName(bytes: Buffer, start: number, end: number, name: string): boolean {
  if (end - start < name.length) return false;
  // OR-ing 0x20 lowers ASCII letters and leaves '-' and ':' as they are.
  for (let at = 0; at < name.length; at++) {
    if (((bytes[start + at] as number) | 0x20) !== name.charCodeAt(at)) return false;
  }
  return true;
}

/** The whole number between optional spaces, or -1 when there is anything else. */
function readNumber(bytes: Buffer, start: number, end: number): number {
  let at = start;
  while (at < end && (bytes[at] === SPACE || bytes[at] === TAB)) at++;
  let value = 0;
  let digits = 0;
  for (; at < end; at++) {
    const byte = bytes[at] as number;
    if (byte < ZERO || byte > ZERO + 9) break;
    value = value * 10 + byte - ZERO;
    digits++;
  }
  while (at < end && (bytes[at] === SPACE || bytes[at] === TAB)) at++;
  return digits > 0 && digits <= 15 && at === end ? value : -1;
}

/** Whether a header value contains `word` (lower case), in any case. */
function valueHas(bytes: Buffer, start: number, end: number, word: string): boolean {
  return bytes.toString('latin1', start, end).toLowerCase().includes(word);
}
