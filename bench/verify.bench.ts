/**
 * `pnpm bench verify`: @caleida/verify against the floor node's crypto sets, and against the
 * standardwebhooks and svix libraries, on the same signed bodies of 1 KiB and 16 KiB; then the Web
 * Crypto path (verifyAsync, constructEventAsync) against the same floor, one request at a time, with
 * what one crypto.subtle HMAC costs on Node beside it (the Web Crypto floor).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { constructEvent, constructEventAsync, decodeSecret, verify, verifyAsync } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { measureOps } from './lib/measure-ops.js';
import { printTable } from './lib/print-table.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const TARGETS = { 'verify + parse': 0.85, constructEvent: 0.8 } as const;
/** The Web Crypto path's target, at 16 KiB: a threadpool round trip per HMAC costs more than small bodies take. */
const WEB_TARGET = { name: 'verifyAsync + parse', size: 16 * 1024, ratio: 0.7 } as const;
const key = decodeSecret(SECRET);
const standardWebhook = new StandardWebhook(SECRET);
const svixWebhook = new SvixWebhook(SECRET);

function messageOfSize(bytes: number): string {
  const event = buildEvent('message', { seed: 1 });
  const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
  const filler = 'The customer asked about the refund for the duplicate March charge. ';
  const content = filler.repeat(Math.ceil(bytes / filler.length)).slice(0, bytes - base);
  return JSON.stringify({ ...event, data: { ...event.data, content } });
}

let failed = false;
const rows: (string | number)[][] = [['candidate', 'size', 'ops/s', 'ratio to floor', 'target']];
const webRows: (string | number)[][] = [['candidate', 'size', 'ops/s', 'ratio to floor', 'target']];
for (const size of [1024, 16 * 1024]) {
  const body = messageOfSize(size);
  const request = signedRequest({ secret: SECRET, event: body });
  const bytes = Buffer.from(request.body);
  const { headers } = request;
  const signature = headers['webhook-signature'];
  const floor = () => {
    const expected = createHmac('sha256', key)
      .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`)
      .update(bytes)
      .digest();
    if (!timingSafeEqual(expected, Buffer.from(signature.slice(3), 'base64'))) throw new Error('mismatch');
    return JSON.parse(bytes.toString('utf8'));
  };

  const results = measureOps([
    { name: 'floor', run: floor },
    {
      name: 'verify + parse',
      run: () => {
        verify({ secret: SECRET, payload: bytes, headers });
        return JSON.parse(bytes.toString('utf8'));
      },
    },
    { name: 'constructEvent', run: () => constructEvent({ secret: SECRET, payload: bytes, headers }) },
    { name: 'standardwebhooks', run: () => standardWebhook.verify(bytes, headers) },
    { name: 'svix', run: () => svixWebhook.verify(bytes, headers) },
  ]);
  const floorOps = results.get('floor') ?? 1;
  for (const [name, ops] of results) {
    const ratio = ops / floorOps;
    const target = TARGETS[name as keyof typeof TARGETS];
    if (target !== undefined && ratio < target) failed = true;
    rows.push([
      name,
      `${size / 1024} KiB`,
      Math.round(ops).toLocaleString('en-US'),
      `${ratio.toFixed(2)}x`,
      target === undefined ? '' : `>= ${target}x ${ratio >= target ? 'met' : 'MISSED'}`,
    ]);
  }

  // What Web Crypto itself costs on Node: one crypto.subtle HMAC with the key already imported.
  const subtleKey = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signedBytes = Buffer.concat([
    Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`),
    bytes,
  ]);
  const webResults = await measureOpsAwaited([
    { name: 'floor', run: floor },
    {
      name: 'crypto.subtle floor',
      run: async () => {
        const expected = Buffer.from(await crypto.subtle.sign('HMAC', subtleKey, signedBytes));
        if (!timingSafeEqual(expected, Buffer.from(signature.slice(3), 'base64')))
          throw new Error('mismatch');
        return JSON.parse(bytes.toString('utf8'));
      },
    },
    {
      name: 'verifyAsync + parse',
      run: async () => {
        await verifyAsync({ secret: SECRET, payload: bytes, headers });
        return JSON.parse(bytes.toString('utf8'));
      },
    },
    {
      name: 'constructEventAsync',
      run: () => constructEventAsync({ secret: SECRET, payload: bytes, headers }),
    },
  ]);
  const webFloor = webResults.get('floor') ?? 1;
  for (const [name, ops] of webResults) {
    const ratio = ops / webFloor;
    const target = name === WEB_TARGET.name && size === WEB_TARGET.size ? WEB_TARGET.ratio : undefined;
    if (target !== undefined && ratio < target) failed = true;
    webRows.push([
      name,
      `${size / 1024} KiB`,
      Math.round(ops).toLocaleString('en-US'),
      `${ratio.toFixed(2)}x`,
      target === undefined ? '' : `>= ${target}x ${ratio >= target ? 'met' : 'MISSED'}`,
    ]);
  }
}
printTable(rows);
console.log('\nWeb Crypto path (crypto.subtle on Node), each request awaited before the next:\n');
printTable(webRows);
console.log(
  `\nTargets ${failed ? 'MISSED' : 'met'} (verify + parse >= 0.85x the floor, constructEvent >= 0.8x, verifyAsync + parse >= ${WEB_TARGET.ratio}x at 16 KiB).`,
);

/**
 * `measureOps()` for functions that may return a promise: the same interleaved rounds, each call
 * awaited before the next, so an async candidate is timed end to end, one request at a time.
 */
async function measureOpsAwaited(
  candidates: { name: string; run: () => unknown }[],
  { rounds = 7, roundMs = 250 } = {},
): Promise<Map<string, number>> {
  for (const candidate of candidates) for (let i = 0; i < 2_000; i++) await candidate.run();
  const samples = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const candidate of candidates) {
      let operations = 0;
      const start = process.hrtime.bigint();
      const deadline = start + BigInt(roundMs * 1e6);
      let now = start;
      while (now < deadline) {
        for (let i = 0; i < 20; i++) await candidate.run();
        operations += 20;
        now = process.hrtime.bigint();
      }
      samples.get(candidate.name)?.push(operations / (Number(now - start) / 1e9));
    }
  }
  return new Map(
    [...samples].map(([name, values]) => [name, [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0]),
  );
}
