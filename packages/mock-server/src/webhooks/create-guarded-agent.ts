import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { addressProblem } from './address-problem.js';
import { AddressRefusedError } from './address-refused-error.js';
import { createGuardedLookup } from './create-guarded-lookup.js';

/** Options of `createGuardedAgent()`. */
export interface GuardedAgentOptions {
  /** Connections per origin. */
  connections: number;
  /** Let private-network addresses through. Default false. */
  allowPrivateNetwork?: boolean;
  /** Resolves host names; default `dns.lookup`. Tests inject one to point a name anywhere. */
  lookup?: LookupFunction;
}

/**
 * An undici `Agent` that refuses to connect to an address `addressProblem()` refuses. The check
 * runs in the connector on the address about to be connected to: an IP in the URL as it is, a host
 * name on every address its lookup returns, at each new connection. So a name that resolves (or
 * later re-resolves) to a metadata or link-local address is caught, which a check of the URL text
 * alone cannot do. A refused connection fails with `AddressRefusedError`.
 *
 * @example
 * const agent = createGuardedAgent({ connections: 64 });
 */
export function createGuardedAgent({
  connections,
  allowPrivateNetwork = false,
  lookup,
}: GuardedAgentOptions): Agent {
  const connect = buildConnector({ lookup: createGuardedLookup(allowPrivateNetwork, lookup) });
  return new Agent({
    connections,
    connect(options, callback) {
      // net.connect skips the lookup for an IP, so an IP in the URL is checked here.
      if (isIP(options.hostname) !== 0) {
        const problem = addressProblem(options.hostname, allowPrivateNetwork);
        if (problem) {
          const message = `refused to connect to ${options.hostname}, ${problem.reason}`;
          return callback(new AddressRefusedError(problem.rule, message), null);
        }
      }
      connect(options, callback);
    },
  });
}
