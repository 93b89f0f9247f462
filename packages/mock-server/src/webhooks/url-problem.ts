/**
 * Why `value` cannot be a webhook URL, or null when it can: absolute, https, or http on a loopback
 * host (any host with `allowHttp`).
 */
export function urlProblem(value: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://example.com/webhooks/caleida';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `must use https (or http on a loopback host); got ${url.protocol.slice(0, -1)}`;
  }
  if (url.protocol === 'http:' && !allowHttp && !isLoopback(url.hostname)) {
    return `uses http on ${url.hostname}, which is not a loopback host; use https, or start the mock server with --allow-http`;
  }
  return null;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
