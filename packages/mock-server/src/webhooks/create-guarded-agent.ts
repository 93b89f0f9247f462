import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { addressProblem } from './address-problem.js';
import { AddressRefusedError } from './address-refused-error.js';

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
  lookup = dnsLookup as LookupFunction,
}: GuardedAgentOptions): Agent {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      // net.connect asks for every address (options.all) when it races IPv4 and IPv6.
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      for (const resolved of addresses) {
        const problem = addressProblem(resolved, allowPrivateNetwork);
        if (problem) {
          const refused = new AddressRefusedError(
            problem.rule,
            `refused to connect: ${hostname} resolves to ${resolved}, ${problem.reason}`,
          );
          return callback(refused as NodeJS.ErrnoException, address, family);
        }
      }
      callback(null, address, family);
    });
  };
  const connect = buildConnector({ lookup: guardedLookup });
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
