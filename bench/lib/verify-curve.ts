import { constructEvent, decodeSecret, verify } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { hmacFloorMatches } from './hmac-floor.js';
import type { Candidate } from './measure-ops.js';
import { measureTimePerOp, median, medianRatio } from './measure-time-per-op.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Payload sizes of the verify curve: 256 B to 1 MiB, ×4 each step. */
export const VERIFY_SIZES = [256, 1024, 4096, 16384, 65536, 262144, 1048576] as const;

/** The candidates of the verify curve, in legend order. */
export const VERIFY_CANDIDATES = [
  'crypto floor',
  'verify + parse',
  'constructEvent',
  'standardwebhooks',
] as const;

/** µs per event of each candidate at one payload size. */
export interface VerifyPoint {
  size: number;
  micros: Map<string, number>;
  /** Time of each candidate over the crypto floor's, the median of the ratios taken round by round. */
  toFloor: Map<string, number>;
  /** Minor page faults per call of each candidate: fresh memory touched for the first time. */
  pageFaults: Map<string, number>;
}

/** A signed `message` event whose body is exactly `bytes` long (padding its content). */
function messageOfSize(bytes: number): string {
  const event = buildEvent('message', { seed: 1 });
  const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
  const filler = 'The customer asked about the refund for the duplicate March charge. ';
  const content = filler.repeat(Math.ceil(bytes / filler.length)).slice(0, Math.max(0, bytes - base));
  return JSON.stringify({ ...event, data: { ...event.data, content } });
}

/**
 * Time per event against payload size for @caleida/verify, the crypto floor (HMAC + constant-time
 * compare + JSON.parse on the same bytes, as bench/verify.bench.ts defines it) and the
 * standardwebhooks library, measured in interleaved rounds at each size.
 */
export function measureVerifyCurve(sizes: readonly number[], { quick = false } = {}): VerifyPoint[] {
  const key = decodeSecret(SECRET);
  const standardWebhook = new StandardWebhook(SECRET);
  return sizes.map((size) => {
    const request = signedRequest({ secret: SECRET, event: messageOfSize(size) });
    const bytes = Buffer.from(request.body);
    const { headers } = request;
    const signature = headers['webhook-signature'];
    const candidates: Candidate[] = [
      {
        name: 'crypto floor',
        run: () => {
          if (
            !hmacFloorMatches(
              key,
              `${headers['webhook-id']}.${headers['webhook-timestamp']}.`,
              bytes,
              signature,
            )
          )
            throw new Error('mismatch');
          return JSON.parse(bytes.toString('utf8'));
        },
      },
      {
        name: 'verify + parse',
        run: () => {
          verify({ secret: SECRET, payload: bytes, headers });
          return JSON.parse(bytes.toString('utf8'));
        },
      },
      { name: 'constructEvent', run: () => constructEvent({ secret: SECRET, payload: bytes, headers }) },
      { name: 'standardwebhooks', run: () => standardWebhook.verify(bytes, headers) },
    ];
    const samples = measureTimePerOp(
      candidates,
      quick ? { rounds: 3, roundMs: 60, warmupMs: 40 } : { rounds: 9, roundMs: 250, warmupMs: 200 },
    );
    const micros = new Map([...samples].map(([name, values]) => [name, median(values)]));
    const toFloor = new Map(candidates.map(({ name }) => [name, medianRatio(samples, name, 'crypto floor')]));
    // Counted apart from the timing: a copy of the body shows here exactly, where time is noisy.
    const pageFaults = new Map(
      candidates.map((candidate) => {
        const calls = 20;
        const before = process.resourceUsage().minorPageFault;
        for (let i = 0; i < calls; i++) candidate.run();
        return [candidate.name, (process.resourceUsage().minorPageFault - before) / calls] as const;
      }),
    );
    return { size: bytes.length, micros, toFloor, pageFaults };
  });
}
