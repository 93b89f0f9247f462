import { WebhookRequestError } from '../errors/webhook-request-error.js';
import { findRepeatedHeader, rawHeadersInclude } from '../headers/find-repeated-header.js';
import { getHeader, type HeadersLike } from '../headers/get-header.js';

/**
 * The checks made before reading a body: POST only, each single-valued header sent once, a JSON
 * content type in UTF-8 with no content coding, and a declared length within the limit (so an
 * oversized body is refused without being read).
 */
export function checkRequestShape(
  method: string,
  headers: HeadersLike,
  maxBodyBytes: number,
  rawHeaders?: readonly string[],
): void {
  if (method !== 'POST' && method.toUpperCase() !== 'POST') {
    throw new WebhookRequestError(
      'method_not_allowed',
      `Caleida delivers webhooks with POST; this request used ${method.toUpperCase()}.`,
    );
  }
  findRepeatedHeader(headers, rawHeaders);
  const contentType = getHeader(headers, 'content-type');
  if (!isJsonUtf8(contentType)) {
    throw new WebhookRequestError(
      'unsupported_media_type',
      `Caleida webhooks are JSON: expected content-type application/json, got ${contentType ? `"${contentType}"` : 'none'}.`,
    );
  }
  // Rarely sent: where the raw list says it was not, skip the search through every header's name.
  const contentEncoding =
    rawHeaders && !rawHeadersInclude(rawHeaders, 'content-encoding')
      ? undefined
      : getHeader(headers, 'content-encoding');
  if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity') {
    throw new WebhookRequestError(
      'unsupported_content_encoding',
      `Caleida never compresses webhook bodies, and the signature covers the bytes as sent: got content-encoding "${contentEncoding}". Send the body uncompressed, without a content-encoding header.`,
    );
  }
  const declaredLength = Number(getHeader(headers, 'content-length'));
  if (declaredLength > maxBodyBytes) {
    throw new WebhookRequestError(
      'body_too_large',
      `The body is ${declaredLength} bytes, larger than the receiver's limit of ${maxBodyBytes}; raise maxBodyBytes if your events are bigger.`,
    );
  }
}

function isJsonUtf8(contentType: string | undefined): boolean {
  if (!contentType) return false;
  // What Caleida sends, spared the parsing below.
  if (contentType === 'application/json') return true;
  const [mediaType = '', ...parameters] = contentType.toLowerCase().split(';');
  const type = mediaType.trim();
  if (type !== 'application/json' && !(type.startsWith('application/') && type.endsWith('+json')))
    return false;
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=');
    if (name?.trim() === 'charset' && !['utf-8', 'utf8'].includes(value.trim().replace(/"/g, '')))
      return false;
  }
  return true;
}
