import http from 'node:http';
import https from 'node:https';

/**
 * A keep-alive agent for the URL's protocol, so a run reuses its connections as a real sender does.
 *
 * @example
 * const agent = createAgent(url, 16);
 */
export function createAgent(url: URL, maxSockets = 16): http.Agent {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}
