import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressProblem } from './address-problem.js';
import { AddressRefusedError } from './address-refused-error.js';

/**
 * Wraps a `lookup` so that a host name resolving to an address `addressProblem()` refuses fails with
 * `AddressRefusedError` instead of answering it: every address the lookup returns is checked, so a
 * name that resolves (or later re-resolves) to a metadata or link-local address is caught.
 *
 * @param allowPrivateNetwork let private-network addresses through, default false
 * @param lookup the lookup to wrap, default `dns.lookup`
 */
export function createGuardedLookup(
  allowPrivateNetwork = false,
  lookup: LookupFunction = dnsLookup as LookupFunction,
): LookupFunction {
  return function guardedLookup(hostname, options, callback) {
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
}
