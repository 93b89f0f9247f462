import { addressProblem, isLoopbackAddress } from './address-problem.js';

/** Longest webhook URL accepted. */
export const MAX_URL_LENGTH = 2048;

/** What `urlProblem()` allows beyond https on public hosts and http on loopback ones. */
export interface UrlPolicy {
  /** http on any host. */
  allowHttp: boolean;
  /** Private-network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). */
  allowPrivateNetwork: boolean;
}

// Names of cloud metadata services: they resolve to a refused address anyway, but saying so here
// gives the clearer message when the webhook is saved.
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

/**
 * Why `value` cannot be a webhook URL, or null when it can: absolute, https (or http on a loopback
 * host, any host with `allowHttp`), no credentials, and a host that is not a refused address (see
 * `addressProblem()`). Judges the host as the WHATWG URL parser reads it, so `http://0x7f000001/`
 * is 127.0.0.1; store `new URL(value).href`, the same normalised form.
 */
export function urlProblem(value: string, { allowHttp, allowPrivateNetwork }: UrlPolicy): string | null {
  if (value.length > MAX_URL_LENGTH)
    return `must be at most ${MAX_URL_LENGTH} characters; got ${value.length}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://example.com/webhooks/caleida';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `must use https (or http on a loopback host); got ${url.protocol.slice(0, -1)}`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not carry a user name or password (user:pass@host): they would be stored and shown with the webhook; remove them and authenticate deliveries by their signature';
  }
  const host = url.hostname;
  const name = host.replace(/\.$/, '');
  if (METADATA_HOSTS.has(name)) {
    return `points at ${name}, a cloud metadata service, never allowed (it hands out credentials); point the webhook at your receiver's own host`;
  }
  const problem = addressProblem(host, allowPrivateNetwork);
  if (problem) return `points at ${host}, ${problem.reason}`;
  if (url.protocol === 'http:' && !allowHttp && !isLoopback(name)) {
    return `uses http on ${host}, which is not a loopback host; use https, or start the mock server with --allow-http`;
  }
  return null;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host);
}
